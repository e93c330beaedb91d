/*
 * client: the only code that speaks HTTP to Strava (or the sandbox).
 *
 * OAuth calls go to STRAVA_OAUTH_BASE, REST calls to STRAVA_API_BASE,
 * through core/http.c (timeouts, no redirects, a size cap, no token
 * logged).  Every answer is classified into a typed status the callers
 * act on (retry, reconnect, give up), and the rate-limit headers of every
 * API answer are recorded in the shared strava_rate_limit row so all job
 * workers on all hosts see one budget; an API call is not even sent while
 * that budget is known to be spent.
 */
#ifndef CADENCE_STRAVA_CLIENT_H
#define CADENCE_STRAVA_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "core/buf.h"

#define STRAVA_MAX_BODY		(16 * 1024 * 1024)
#define STRAVA_WINDOW		900	/* the short rate-limit window */
#define STRAVA_429_MIN_WAIT	2	/* a 429 with budget left: brief pause */
#define STRAVA_ERR_MAX		256
#define STRAVA_LOCATION_MAX	2048	/* Location of a redirect */

struct config;
struct db;

enum strava_status {
	STRAVA_OK,
	STRAVA_UNAUTHORIZED,	/* 401/403, or OAuth refusing a code/token (400) */
	STRAVA_NOT_FOUND,	/* 404 */
	STRAVA_RATE_LIMITED,	/* 429 or budget spent: see retry_after */
	STRAVA_SERVER_ERROR,	/* 5xx: retryable */
	STRAVA_TIMEOUT,		/* connect/transfer failure: retryable */
	STRAVA_BAD_RESPONSE,	/* anything else we cannot use */
	STRAVA_BAD_REQUEST,	/* 400 from the REST API: our request, not
				   the token (refreshing would not help) */
};

/* The four rate-limit pairs of one answer (-1: header absent). */
struct strava_usage {
	bool	present;
	int	limit_15, limit_day, usage_15, usage_day;
	int	read_limit_15, read_limit_day, read_usage_15, read_usage_day;
};

struct strava_resp {
	enum strava_status	 status;
	long			 http;		/* 0 when no answer */
	buf_t			 body;
	json_t			*json;		/* parsed body (OK only), or NULL */
	int			 retry_after;	/* seconds, RATE_LIMITED etc. */
	struct strava_usage	 usage;
	char			 location[STRAVA_LOCATION_MAX];	/* or "" */
	char			 err[STRAVA_ERR_MAX];
};

void	 strava_resp_free(struct strava_resp *);
const char *strava_status_name(enum strava_status);
/* True for the statuses worth trying again later. */
bool	 strava_retryable(enum strava_status);

/*
 * GET {API_BASE}{path} with the access token.  db (may be NULL) is where
 * the budget is checked and the usage recorded.  Returns r->status.
 */
enum strava_status strava_api_get(const struct config *, struct db *,
	    const char *access_token, const char *path, struct strava_resp *r);
/*
 * POST {OAUTH_BASE}{path} with a urlencoded form (already encoded) and an
 * optional bearer token.  For /oauth/token and /oauth/deauthorize.
 */
enum strava_status strava_oauth_post(const struct config *, const char *path,
	    const char *form, const char *bearer, struct strava_resp *r);
/*
 * An application call to {API_BASE}{path} (push subscriptions): method
 * "GET", "POST" (form, already encoded, as the body) or "DELETE"; the
 * caller puts client_id and client_secret in the form or the query.  No
 * bearer token, and no rate-limit budget (Strava does not count these).
 * A 204 is STRAVA_OK with json NULL; on errors r->body keeps the answer.
 */
enum strava_status strava_app_call(const struct config *, const char *method,
	    const char *path, const char *form, struct strava_resp *r);

/* Pure helpers, exposed for the unit tests. */
/*
 * The status of an HTTP answer.  A 400 means a refused code or refresh
 * token only from the OAuth endpoints (oauth true); from the REST API it
 * is STRAVA_BAD_REQUEST.
 */
enum strava_status strava_classify(long http, bool oauth);
/*
 * The scope a 401 body says the token lacks, as Strava words it:
 * {"message":"Authorization Error","errors":[{"resource":"AccessToken",
 * "field":"activity:read_permission","code":"missing"}]} gives
 * "activity:read".  False (out "") when the body says no such thing.
 */
bool	 strava_missing_scope(const char *body, size_t len, char *out,
	    size_t outlen);
/* Parses "a,b" into two ints; false on anything else. */
bool	 strava_parse_pair(const char *v, int *a, int *b);
/*
 * Seconds to wait after a 429 (or before a call) given the usage at epoch
 * now: to the end of the 15-minute window if it is spent, to UTC midnight
 * if the day is spent; 0 when budget is left.
 */
int	 strava_usage_wait(const struct strava_usage *, time_t now);

#endif
