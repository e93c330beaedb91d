/*
 * strava_helpers: see strava_helpers.h.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/util.h"
#include "strava_helpers.h"

#define IMPORT_WAIT_SECONDS	30

const char *
sandbox_url(void)
{
	return env_or("SANDBOX_URL", "http://127.0.0.1:8090");
}

json_t *
sb_call(struct client *c, const char *method, const char *path,
    const char *body, bool json, long *status)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	 r;
	char			 url[512];
	json_t			*j;
	long			 st;

	snprintf(url, sizeof(url), "%s%s", sandbox_url(), path);
	st = client_req(c, method, url, body, json ? jh : NULL, &r);
	if (status != NULL)
		*status = st;
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	resp_done(&r);
	return j;
}

void
sb_config(struct client *c, const char *json)
{
	long st;

	json_decref(sb_call(c, "POST", "/_sandbox/config", json, true, &st));
	cr_assert_eq(st, 200, "sandbox config %s", json);
}

long long
sb_new_athlete(struct client *c, const char *firstname)
{
	char		 body[128];
	json_t		*j;
	long long	 id;

	snprintf(body, sizeof(body), "firstname=%s&lastname=Webhook",
	    firstname);
	j = sb_call(c, "POST", "/_sandbox/athletes", body, false, NULL);
	cr_assert_not_null(j);
	id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	cr_assert_gt(id, 9000);
	return id;
}

const char *
sb_access_token(struct client *c, long long athlete)
{
	static char	 tok[128];
	json_t		*j = sb_call(c, "GET", "/_sandbox/tokens", NULL, false,
			    NULL), *g;
	size_t		 i;

	tok[0] = '\0';
	json_array_foreach(j, i, g)
		if (json_integer_value(json_object_get(g, "athlete_id")) ==
		    athlete && !json_is_true(json_object_get(g, "revoked")))
			snprintf(tok, sizeof(tok), "%s", json_string_value(
			    json_object_get(g, "access_token")));
	json_decref(j);
	return tok;
}

/* The value of query parameter name in url (no %xx decoding). */
static const char *
qparam(const char *url, const char *name)
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

const char *
sb_connect_runner(struct client *c, long long athlete)
{
	return sb_connect_runner_scope(c, athlete, "read,activity:read_all");
}

long
sb_calls(struct client *c)
{
	json_t	*j = sb_call(c, "GET", "/_sandbox/usage", NULL, false, NULL);
	long	 n;

	cr_assert(json_is_object(j), "GET /_sandbox/usage");
	n = (long)json_integer_value(json_object_get(j, "read_usage_daily"));
	json_decref(j);
	return n;
}

long long
sb_quiet_activity(struct client *c, long long athlete)
{
	char		 body[128];
	json_t		*j;
	long		 st;
	long long	 id;

	snprintf(body, sizeof(body), "{\"count\":1,\"athlete_id\":%lld}",
	    athlete);
	j = sb_call(c, "POST", "/_sandbox/activities/bulk", body, true, &st);
	cr_assert_eq(st, 201);
	id = json_integer_value(json_object_get(j, "first_id"));
	json_decref(j);
	return id;
}

long
post_webhook(struct client *c, const char *body)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	r;
	long			st = client_req(c, "POST", "/strava/webhook",
				    body, jh, &r);

	resp_done(&r);
	return st;
}

const char *
sb_connect_runner_scope(struct client *c, long long athlete,
    const char *scope)
{
	static char		 id[64];
	struct http_resp	 r;
	char			 email[128], loc[2048], form[2048], url[512];
	char			 redirect[512], state[256];

	client_signup(c, "webhook", email);
	cr_assert_eq(client_get(c, "/strava/connect", &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	snprintf(redirect, sizeof(redirect), "%s", qparam(loc, "redirect_uri"));
	snprintf(state, sizeof(state), "%s", qparam(loc, "state"));
	snprintf(form, sizeof(form), "client_id=1000&redirect_uri=%s"
	    "&response_type=code&state=%s&athlete_id=%lld"
	    "&scope=%s&decision=authorize", redirect, state, athlete, scope);
	snprintf(url, sizeof(url), "%s/oauth/authorize", sandbox_url());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	cr_assert_eq(client_get(c, loc, &r), 303, "%s", buf_cstr(&r.body));
	resp_done(&r);
	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM users WHERE"
	    " strava_athlete_id = %lld", athlete));
	cr_assert_neq(id[0], '\0', "athlete %lld not linked", athlete);
	cr_assert(wait_true(IMPORT_WAIT_SECONDS, "(SELECT status = 'done' "
	    "FROM strava_imports WHERE user_id = '%s')", id),
	    "the history import did not finish");
	return id;
}

int
cadence_cmd(char *out, size_t outlen, const char *env, const char *args)
{
	char	 cmd[1024];
	FILE	*p;
	size_t	 n = 0, got;
	int	 st;

	snprintf(cmd, sizeof(cmd), "env %s %s %s 2>&1", env,
	    env_or("CADENCE_BIN", "build/cadence"), args);
	cr_assert_not_null(p = popen(cmd, "r"));
	while (n + 1 < outlen && (got = fread(out + n, 1, outlen - 1 - n,
	    p)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void
test_subscribe(void)
{
	char out[2048];

	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava subscribe"), 0,
	    "%s", out);
}

void
test_unsubscribe(void)
{
	char out[2048];

	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava unsubscribe"),
	    0, "%s", out);
}

double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool
wait_true(double seconds, const char *fmt, ...)
{
	char	 cond[4096];
	va_list	 ap;
	double	 t0 = mono_now();

	va_start(ap, fmt);
	vsnprintf(cond, sizeof(cond), fmt, ap);
	va_end(ap);
	do {
		if (strcmp(db_value("SELECT (%s)", cond), "t") == 0)
			return true;
		usleep(50 * 1000);
	} while (mono_now() - t0 < seconds);
	return false;
}

long
db_long_value(const char *fmt, ...)
{
	char	 sql[4096];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return atol(db_value("%s", sql));
}
