/*
 * client: the only code that speaks HTTP to Garmin (or the Garmin
 * sandbox).  OAuth's consent page and token endpoint hang off
 * GARMIN_OAUTH_BASE (Garmin's token endpoint is on another host,
 * diauth.garmin.com: garmin_token_url), the REST APIs off GARMIN_API_BASE.
 * Calls go through core/http.c (timeouts, no redirects, a size cap).
 * Every answer is classified into a status callers act on: retry,
 * reconnect, give up.  Nothing here logs a token.
 */
#ifndef CADENCE_GARMIN_CLIENT_H
#define CADENCE_GARMIN_CLIENT_H

#include <stdbool.h>

#include <jansson.h>

#include "core/buf.h"

#define GARMIN_MAX_BODY		(4 * 1024 * 1024)
#define GARMIN_ERR_MAX		256
#define GARMIN_429_WAIT		60	/* a 429 without Retry-After */

struct config;

enum garmin_status {
	GARMIN_OK,		/* 2xx */
	GARMIN_UNAUTHORIZED,	/* 401, or OAuth refusing a code/token (400) */
	GARMIN_NOT_PERMITTED,	/* 412 (permission not granted) or 403 */
	GARMIN_NOT_FOUND,	/* 404 */
	GARMIN_CONFLICT,	/* 409 (a backfill asked twice) */
	GARMIN_RATE_LIMITED,	/* 429: see retry_after */
	GARMIN_UNAVAILABLE,	/* 5xx, timeout, no answer: retryable */
	GARMIN_BAD_REQUEST,	/* another 4xx from the REST API */
	GARMIN_BAD_RESPONSE,	/* an answer we cannot use */
};

struct garmin_resp {
	enum garmin_status	 status;
	long			 http;		/* 0 when no answer */
	buf_t			 body;
	json_t			*json;		/* parsed (OK only), or NULL */
	int			 retry_after;	/* seconds, RATE_LIMITED */
	char			 err[GARMIN_ERR_MAX];
};

/*
 * One call to url (absolute): method (GET, POST, PUT, DELETE), body with
 * its content type (NULL: none), an optional bearer token.  Fills r
 * (free with garmin_resp_free) and returns r->status.  A 2xx body is
 * parsed as any JSON value (a schedule id is a bare number).
 */
enum garmin_status garmin_call(const char *method, const char *url,
	    const char *body, const char *content_type, const char *bearer,
	    bool oauth, struct garmin_resp *r);
/* POSTs a form to the token endpoint. */
enum garmin_status garmin_token_post(const struct config *, const char *form,
	    struct garmin_resp *r);
/* method path (under GARMIN_API_BASE) with the runner's access token. */
enum garmin_status garmin_api(const struct config *, const char *method,
	    const char *path, const json_t *body, const char *access,
	    struct garmin_resp *r);
void	 garmin_resp_free(struct garmin_resp *);
/* The token endpoint's URL into out (malloc'd). */
char	*garmin_token_url(const struct config *);
/* The status's name, for logs and job notes. */
const char *garmin_status_name(enum garmin_status);
/* Worth trying again later (429, 5xx, no answer). */
bool	 garmin_retryable(enum garmin_status);

#endif
