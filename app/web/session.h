/*
 * session: who is signed in, and the CSRF token of their forms.
 *
 * The session cookie holds a 256-bit random token; the sessions table
 * holds only its SHA-256, so a database leak gives no usable cookie.  A
 * garbled, unknown or expired cookie simply means "signed out".
 * Signed-out visitors get a short-lived pre-session cookie so the sign-up
 * and sign-in forms carry a CSRF token too.
 */
#ifndef CADENCE_SESSION_H
#define CADENCE_SESSION_H

#include <jansson.h>
#include <stdbool.h>

#include "web/http.h"

#define SESSION_TOKEN_BYTES	32
#define SESSION_COOKIE		"cadence_session"
#define SESSION_COOKIE_SECURE	"__Host-cadence_session"
#define PRESESSION_COOKIE	"cadence_pre"
#define PRESESSION_COOKIE_SECURE "__Host-cadence_pre"

/* The signed-in runner, loaded with the session (one query). */
struct runner {
	const char	*id;
	const char	*email;
	const char	*name;
	const char	*units;		/* "km" or "mi" */
	const char	*first_day;	/* "mon" or "sun" */
	const char	*timezone;	/* IANA name */
	const char	*today;		/* YYYY-MM-DD in the runner's zone */
	long		 weekly_distance;	/* metres, 0 = unknown */
	long		 recent_race_distance;	/* metres, 0 = none */
	long		 recent_race_time;	/* seconds, 0 = none */
	long		 strava_athlete_id;	/* 0 = not connected */
	long long	 data_version;	/* moves on any change (page cache) */
};

json_t	*runner_json(const struct runner *);

/*
 * Reads the session cookie and fills req->runner, req->session_id and
 * req->csrf_token.  Issues a pre-session cookie for signed-out visitors
 * when the page needs a CSRF token (need_csrf).  -1 on a database error.
 */
int	session_load(struct request *, struct response *, bool need_csrf);
/* True if the request's csrf_token field matches its session's token. */
bool	csrf_valid(const struct request *);
/* False for cross-site POSTs (Sec-Fetch-Site or a foreign Origin). */
bool	same_origin(const struct request *);

/* Starts a new session for user_id (sign-in) and sets the cookie. */
int	session_start(struct request *, struct response *, const char *user_id);
/* Deletes the current session row and clears the cookie. */
int	session_end(struct request *, struct response *);

#endif
