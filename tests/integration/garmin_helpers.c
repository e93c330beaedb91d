/* garmin_helpers: see garmin_helpers.h. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "garmin_helpers.h"

const char *
gs_url(void)
{
	return env_or("GARMIN_SANDBOX_URL", "http://127.0.0.1:8091");
}

json_t *
gs_call(struct client *c, const char *method, const char *path,
    const char *form, long *status)
{
	struct http_resp	 r;
	char			 url[1024];
	json_t			*j;
	long			 st;

	snprintf(url, sizeof(url), "%s%s", gs_url(), path);
	st = client_req(c, method, url, form, NULL, &r);
	if (status != NULL)
		*status = st;
	j = json_loads(buf_cstr(&r.body), JSON_DECODE_ANY, NULL);
	resp_done(&r);
	return j;
}

json_t *
gs_json(struct client *c, const char *method, const char *path,
    const char *json, long *status)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	 r;
	char			 url[1024];
	json_t			*j;
	long			 st;

	snprintf(url, sizeof(url), "%s%s", gs_url(), path);
	st = client_req(c, method, url, json, jh, &r);
	if (status != NULL)
		*status = st;
	j = json_loads(buf_cstr(&r.body), JSON_DECODE_ANY, NULL);
	resp_done(&r);
	return j;
}

const char *
gs_record(struct client *c, const char *user, long long start,
    int distance_m, int duration_s)
{
	static char	 sid[64];
	char		 body[512];
	json_t		*j;
	long		 st;

	snprintf(body, sizeof(body), "{\"user_id\":\"%s\",\"start\":%lld,"
	    "\"distance_m\":%d,\"duration\":%d,\"name\":\"Watch run\"}",
	    user, start, distance_m, duration_s);
	j = gs_json(c, "POST", "/_sandbox/activities", body, &st);
	cr_assert_eq(st, 201, "record a garmin run: %ld", st);
	snprintf(sid, sizeof(sid), "%s", json_string_value(json_object_get(j,
	    "summaryId")));
	json_decref(j);
	cr_assert_neq(sid[0], '\0');
	return sid;
}

void
gs_config(struct client *c, const char *json)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	 r;
	char			 url[512];

	snprintf(url, sizeof(url), "%s/_sandbox/config", gs_url());
	cr_assert_eq(client_req(c, "POST", url, json, jh, &r), 200,
	    "garmin sandbox config %s: %s", json, buf_cstr(&r.body));
	resp_done(&r);
}

const char *
gs_new_user(struct client *c, const char *name)
{
	static char	 id[2][64];
	static int	 k;
	char		 form[128];
	json_t		*j;
	long		 st;

	snprintf(form, sizeof(form), "name=%s", urlenc(name));
	j = gs_call(c, "POST", "/_sandbox/users", form, &st);
	cr_assert_eq(st, 201, "new garmin sandbox user");
	k = !k;
	snprintf(id[k], sizeof(id[k]), "%s",
	    json_string_value(json_object_get(j, "id")));
	json_decref(j);
	return id[k];
}

bool
gs_registered(struct client *c, const char *user)
{
	json_t	*j = gs_call(c, "GET", "/_sandbox/users", NULL, NULL), *u;
	size_t	 i;
	bool	 reg = false;

	json_array_foreach(json_is_array(j) ? j : json_object_get(j, "users"),
	    i, u)
		if (strcmp(json_string_value(json_object_get(u, "id")), user) == 0)
			reg = json_is_true(json_object_get(u, "registered"));
	json_decref(j);
	return reg;
}

const char *
gs_qparam(const char *url, const char *name)
{
	static char	 out[1024];
	const char	*p;
	size_t		 n = strlen(name), k;

	for (p = strchr(url, '?'); p != NULL; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '=') {
			k = strcspn(p + 2 + n, "&");
			snprintf(out, sizeof(out), "%.*s", (int)k, p + 2 + n);
			return out;
		}
	return "";
}

long
gs_connect(struct client *c, const char *prefix, const char *user,
    const char *perms, const char **runner)
{
	static char		 id[64];
	struct http_resp	 r;
	char			 email[128], loc[2048], form[4096], url[512];
	long			 st;

	client_signup(c, prefix, email);
	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM users WHERE "
	    "email = '%s'", email));
	if (runner != NULL)
		*runner = id;
	cr_assert_eq(client_get(c, "/garmin/connect", &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	/* The consent page's form, as the browser posts it. */
	snprintf(form, sizeof(form), "%s&user_id=%s&decision=agree"
	    "&permissions=%s", strchr(loc, '?') + 1, user, perms);
	snprintf(url, sizeof(url), "%s/oauth2Confirm", gs_url());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	st = client_get(c, loc, &r);
	resp_done(&r);
	return st;
}
