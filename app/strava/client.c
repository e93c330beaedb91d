/*
 * client: see client.h.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/strava_app.h"
#include "strava/client.h"

#define DAY_SECONDS	86400
#define USER_AGENT	"Cadence/1.0 (+libcurl)"

/* ---- the shared budget --------------------------------------------------- */

bool
strava_parse_pair(const char *v, int *a, int *b)
{
	char	 first[24];
	const char *comma;
	size_t	 n;

	if (v == NULL || (comma = strchr(v, ',')) == NULL)
		return false;
	n = (size_t)(comma - v);
	if (n == 0 || n >= sizeof(first))
		return false;
	memcpy(first, v, n);
	first[n] = '\0';
	return parse_int(first, 0, 1000000000, a) &&
	    parse_int(comma + 1, 0, 1000000000, b);
}

int
strava_usage_wait(const struct strava_usage *u, time_t now)
{
	int wait = 0, to_window, to_day;

	if (!u->present)
		return 0;
	to_window = STRAVA_WINDOW - (int)(now % STRAVA_WINDOW);
	to_day = DAY_SECONDS - (int)(now % DAY_SECONDS);
	if ((u->limit_15 > 0 && u->usage_15 >= u->limit_15) ||
	    (u->read_limit_15 > 0 && u->read_usage_15 >= u->read_limit_15))
		wait = to_window;
	if ((u->limit_day > 0 && u->usage_day >= u->limit_day) ||
	    (u->read_limit_day > 0 && u->read_usage_day >= u->read_limit_day))
		wait = to_day;
	return wait;
}

/* Seconds until the stored budget allows a call again; 0 when it does. */
static int
budget_wait(struct db *db, time_t now)
{
	struct strava_usage	 u;
	struct db_strava_budget	 b;

	if (db == NULL || db_strava_budget_get(db, &b) != 1)
		return 0;	/* no record: Strava itself will tell */
	memset(&u, 0, sizeof(u));
	u.present = true;
	u.limit_15 = b.limit_15;
	u.limit_day = b.limit_day;
	u.read_limit_15 = b.read_limit_15;
	u.read_limit_day = b.read_limit_day;
	/* Usage of a window or day that is over does not count. */
	if (b.window_start == (int64_t)(now - now % STRAVA_WINDOW)) {
		u.usage_15 = b.usage_15;
		u.read_usage_15 = b.read_usage_15;
	}
	if (b.day_start == (int64_t)(now - now % DAY_SECONDS)) {
		u.usage_day = b.usage_day;
		u.read_usage_day = b.read_usage_day;
	}
	return strava_usage_wait(&u, now);
}

static void
budget_record(struct db *db, const struct strava_usage *u, bool throttled,
    time_t now)
{
	struct db_strava_budget b = {
		.limit_15 = u->limit_15, .limit_day = u->limit_day,
		.usage_15 = u->usage_15, .usage_day = u->usage_day,
		.read_limit_15 = u->read_limit_15,
		.read_limit_day = u->read_limit_day,
		.read_usage_15 = u->read_usage_15,
		.read_usage_day = u->read_usage_day,
		.window_start = now - now % STRAVA_WINDOW,
		.day_start = now - now % DAY_SECONDS,
	};

	if (db == NULL || !u->present)
		return;
	if (db_strava_budget_record(db, &b, throttled) == -1)
		log_warn("strava: could not record the rate-limit usage");
}

/* ---- HTTP ------------------------------------------------------------------ */

struct call {
	struct strava_resp	*r;
	bool			 has_limit, has_usage;
	bool			 has_read_limit, has_read_usage;
	int			 retry_after_header;	/* -1: none */
};

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct call *c = arg;

	if (c->r->body.len + size * n > STRAVA_MAX_BODY)
		return 0;	/* aborts the transfer */
	buf_add(&c->r->body, data, size * n);
	return size * n;
}

/* Copies a header's value (trimmed) if line is "name: value". */
static bool
header_value(const char *line, size_t len, const char *name, char *out,
    size_t outlen)
{
	size_t nl = strlen(name), i, j;

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return false;
	for (i = nl + 1; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	for (j = len; j > i && (line[j - 1] == '\r' || line[j - 1] == '\n' ||
	    line[j - 1] == ' '); j--)
		continue;
	if (j - i >= outlen)
		return false;
	memcpy(out, line + i, j - i);
	out[j - i] = '\0';
	return true;
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct call		*c = arg;
	struct strava_usage	*u = &c->r->usage;
	size_t			 len = size * n;
	char			 v[64];

	if (header_value(line, len, "X-RateLimit-Limit", v, sizeof(v)))
		c->has_limit = strava_parse_pair(v, &u->limit_15, &u->limit_day);
	else if (header_value(line, len, "X-RateLimit-Usage", v, sizeof(v)))
		c->has_usage = strava_parse_pair(v, &u->usage_15, &u->usage_day);
	else if (header_value(line, len, "X-ReadRateLimit-Limit", v, sizeof(v)))
		c->has_read_limit = strava_parse_pair(v, &u->read_limit_15,
		    &u->read_limit_day);
	else if (header_value(line, len, "X-ReadRateLimit-Usage", v, sizeof(v)))
		c->has_read_usage = strava_parse_pair(v, &u->read_usage_15,
		    &u->read_usage_day);
	else if (header_value(line, len, "Location", c->r->location,
	    sizeof(c->r->location)))
		;	/* kept for OAuth redirects */
	else if (header_value(line, len, "Retry-After", v, sizeof(v)) &&
	    !parse_int(v, 0, 86400, &c->retry_after_header))
		c->retry_after_header = -1;
	return len;
}

enum strava_status
strava_classify(long http, bool oauth)
{
	if (http >= 200 && http < 300)
		return STRAVA_OK;
	switch (http) {
	case 400:
		/* OAuth: a bad code or refresh token.  REST: a bad request,
		 * which no refresh cures (and refreshing on it looped). */
		return oauth ? STRAVA_UNAUTHORIZED : STRAVA_BAD_REQUEST;
	case 401:
	case 403:
		return STRAVA_UNAUTHORIZED;
	case 404:
		return STRAVA_NOT_FOUND;
	case 429:
		return STRAVA_RATE_LIMITED;
	default:
		return http >= 500 ? STRAVA_SERVER_ERROR : STRAVA_BAD_RESPONSE;
	}
}

#define MISSING_SUFFIX	"_permission"

bool
strava_missing_scope(const char *body, size_t len, char *out, size_t outlen)
{
	json_t		*j, *e;
	const char	*field, *code;
	size_t		 i, n;
	bool		 found = false;

	out[0] = '\0';
	if (body == NULL || len == 0 ||
	    (j = json_loadb(body, len, 0, NULL)) == NULL)
		return false;
	json_array_foreach(json_object_get(j, "errors"), i, e) {
		field = json_string_value(json_object_get(e, "field"));
		code = json_string_value(json_object_get(e, "code"));
		if (field == NULL || code == NULL || strcmp(code, "missing") ||
		    (n = strlen(field)) <= strlen(MISSING_SUFFIX) ||
		    strcmp(field + n - strlen(MISSING_SUFFIX), MISSING_SUFFIX))
			continue;
		n -= strlen(MISSING_SUFFIX);
		if (n >= outlen)
			continue;
		memcpy(out, field, n);
		out[n] = '\0';
		found = true;
		break;
	}
	json_decref(j);
	return found;
}

/* One call; url is absolute; method NULL: GET, or POST when form is set. */
static enum strava_status
perform(const char *method, const char *url, const char *form,
    const char *bearer, bool oauth, struct strava_resp *r)
{
	struct call		 c;
	struct curl_slist	*h = NULL;
	CURL			*curl;
	CURLcode		 rc;
	char			*auth = NULL;
	json_error_t		 jerr;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.retry_after_header = -1;
	if ((curl = curl_easy_init()) == NULL)
		fatal_oom();
	if (bearer != NULL) {
		if (asprintf(&auth, "Authorization: Bearer %s", bearer) < 0)
			fatal_oom();
		h = curl_slist_append(h, auth);
	}
	h = curl_slist_append(h, "Accept: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)STRAVA_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)STRAVA_TOTAL_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &c);
	if (form != NULL)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	if (method != NULL)
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->http);
	curl_easy_cleanup(curl);
	curl_slist_free_all(h);
	free(auth);

	r->usage.present = c.has_limit && c.has_usage;
	if (!c.has_read_limit || !c.has_read_usage)
		r->usage.read_limit_15 = r->usage.read_limit_day =
		    r->usage.read_usage_15 = r->usage.read_usage_day = 0;
	if (rc != CURLE_OK) {
		snprintf(r->err, sizeof(r->err), "%s", curl_easy_strerror(rc));
		r->http = 0;
		return r->status = rc == CURLE_WRITE_ERROR ?
		    STRAVA_BAD_RESPONSE : STRAVA_TIMEOUT;
	}
	r->status = strava_classify(r->http, oauth);
	if (r->status == STRAVA_RATE_LIMITED) {
		r->retry_after = c.retry_after_header > 0 ?
		    c.retry_after_header : strava_usage_wait(&r->usage, time(NULL));
		if (r->retry_after < STRAVA_429_MIN_WAIT)
			r->retry_after = STRAVA_429_MIN_WAIT;
	}
	if (r->status != STRAVA_OK) {
		snprintf(r->err, sizeof(r->err), "HTTP %ld from Strava", r->http);
		return r->status;
	}
	if (r->http == 204)
		return STRAVA_OK;	/* No Content: json stays NULL */
	r->json = json_loadb(buf_cstr(&r->body), r->body.len, 0, &jerr);
	if (r->json == NULL) {
		snprintf(r->err, sizeof(r->err), "Strava's answer is not JSON: %s",
		    jerr.text);
		return r->status = STRAVA_BAD_RESPONSE;
	}
	return STRAVA_OK;
}

enum strava_status
strava_api_get(const struct config *cfg, struct db *db,
    const char *access_token, const char *path, struct strava_resp *r)
{
	time_t	 now = time(NULL);
	int	 wait;
	char	*url;

	if ((wait = budget_wait(db, now)) > 0) {
		memset(r, 0, sizeof(*r));
		r->retry_after = wait;
		snprintf(r->err, sizeof(r->err), "rate-limit budget spent "
		    "(wait %d s)", wait);
		return r->status = STRAVA_RATE_LIMITED;
	}
	if (asprintf(&url, "%s%s", cfg->strava_api_base, path) < 0)
		fatal_oom();
	perform(NULL, url, NULL, access_token, false, r);
	free(url);
	budget_record(db, &r->usage, r->status == STRAVA_RATE_LIMITED, now);
	return r->status;
}

enum strava_status
strava_oauth_post(const struct config *cfg, const char *path,
    const char *form, const char *bearer, struct strava_resp *r)
{
	char *url;

	if (asprintf(&url, "%s%s", cfg->strava_oauth_base, path) < 0)
		fatal_oom();
	perform(NULL, url, form != NULL ? form : "", bearer, true, r);
	free(url);
	return r->status;
}

enum strava_status
strava_app_call(const struct config *cfg, const char *method,
    const char *path, const char *form, struct strava_resp *r)
{
	char *url;

	if (asprintf(&url, "%s%s", cfg->strava_api_base, path) < 0)
		fatal_oom();
	perform(method, url, form, NULL, false, r);
	free(url);
	return r->status;
}

void
strava_resp_free(struct strava_resp *r)
{
	buf_free(&r->body);
	if (r->json != NULL)
		json_decref(r->json);
	r->json = NULL;
}

const char *
strava_status_name(enum strava_status s)
{
	static const char *const names[] = { "ok", "unauthorized",
	    "not found", "rate limited", "server error", "timeout",
	    "bad response", "bad request" };

	return (size_t)s < NELEM(names) ? names[s] : "?";
}

bool
strava_retryable(enum strava_status s)
{
	return s == STRAVA_RATE_LIMITED || s == STRAVA_SERVER_ERROR ||
	    s == STRAVA_TIMEOUT;
}
