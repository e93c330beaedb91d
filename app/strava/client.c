/*
 * client: see client.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "db/strava_app.h"
#include "strava/client.h"

#define DAY_SECONDS	86400
#define USER_AGENT	"Cadence/1.0 (+libcurl)"
#define SHORT_VALUE_MAX	64	/* longer rate-limit or Retry-After values
				   are ignored */

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

/* ---- HTTP (core/http.c): Strava's headers and statuses --------------------- */

/* The headers an answer is read for, and their names (same order). */
enum {
	H_LIMIT, H_USAGE, H_READ_LIMIT, H_READ_USAGE, H_LOCATION,
	H_RETRY_AFTER, H__MAX
};
static const char *const captured[H__MAX + 1] = {
	"X-RateLimit-Limit", "X-RateLimit-Usage", "X-ReadRateLimit-Limit",
	"X-ReadRateLimit-Usage", "Location", "Retry-After", NULL
};
static const char *const accept_json[] = { "Accept: application/json",
	NULL };

/* A header's value if it came and is short enough to be a number. */
static const char *
short_value(const struct http_resp *h, int which)
{
	const char *v = h->headers[which];

	return v != NULL && strlen(v) < SHORT_VALUE_MAX ? v : NULL;
}

/* A rate-limit pair of the answer, if it came and parses. */
static bool
usage_pair(const struct http_resp *h, int which, int *a, int *b)
{
	return strava_parse_pair(short_value(h, which), a, b);
}

/* The rate-limit usage, Location and Retry-After (-1: none) of h. */
static void
read_headers(const struct http_resp *h, struct strava_resp *r,
    int *retry_after)
{
	struct strava_usage	*u = &r->usage;
	const char		*v;
	bool			 limit, usage;

	limit = usage_pair(h, H_LIMIT, &u->limit_15, &u->limit_day);
	usage = usage_pair(h, H_USAGE, &u->usage_15, &u->usage_day);
	u->present = limit && usage;
	limit = usage_pair(h, H_READ_LIMIT, &u->read_limit_15,
	    &u->read_limit_day);
	usage = usage_pair(h, H_READ_USAGE, &u->read_usage_15,
	    &u->read_usage_day);
	if (!limit || !usage)
		u->read_limit_15 = u->read_limit_day = u->read_usage_15 =
		    u->read_usage_day = 0;
	if ((v = h->headers[H_LOCATION]) != NULL)
		snprintf(r->location, sizeof(r->location), "%s", v);
	if ((v = short_value(h, H_RETRY_AFTER)) == NULL ||
	    !parse_int(v, 0, 86400, retry_after))
		*retry_after = -1;
}

/* Strava's status for the class of an answer. */
static enum strava_status
from_class(enum http_class c, bool oauth)
{
	switch (c) {
	case HTTP_OK:
		return STRAVA_OK;
	case HTTP_BAD_REQUEST:
		/* OAuth: a bad code or refresh token.  REST: a bad request,
		 * which no refresh cures (and refreshing on it looped). */
		return oauth ? STRAVA_UNAUTHORIZED : STRAVA_BAD_REQUEST;
	case HTTP_UNAUTHORIZED:
	case HTTP_FORBIDDEN:
		return STRAVA_UNAUTHORIZED;
	case HTTP_NOT_FOUND:
		return STRAVA_NOT_FOUND;
	case HTTP_RATE_LIMITED:
		return STRAVA_RATE_LIMITED;
	case HTTP_SERVER_ERROR:
		return STRAVA_SERVER_ERROR;
	case HTTP_NO_ANSWER:
		return STRAVA_TIMEOUT;
	default:	/* cut for size, another 4xx, a 3xx */
		return STRAVA_BAD_RESPONSE;
	}
}

enum strava_status
strava_classify(long http, bool oauth)
{
	return from_class(http_classify(0, http), oauth);
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
	struct http_req		 req = {
		.method = method, .url = url, .bearer = bearer,
		.headers = accept_json, .body = form, .user_agent = USER_AGENT,
		.max_body = STRAVA_MAX_BODY, .capture = captured,
	};
	struct http_resp	 h;
	enum http_class		 c;
	json_error_t		 jerr;
	int			 retry_after;

	memset(r, 0, sizeof(*r));
	c = http_perform(&req, &h);
	r->status = from_class(c, oauth);
	r->http = h.status;
	r->body = h.body;
	h.body = (buf_t)BUF_INIT;
	read_headers(&h, r, &retry_after);
	snprintf(r->err, sizeof(r->err), "%s", h.err);
	http_resp_free(&h);
	if (c == HTTP_NO_ANSWER || c == HTTP_TOO_LARGE)
		return r->status;	/* err: libcurl's words */
	if (r->status == STRAVA_RATE_LIMITED) {
		r->retry_after = retry_after > 0 ?
		    retry_after : strava_usage_wait(&r->usage, time(NULL));
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
