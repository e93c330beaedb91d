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

#include <stdbool.h>

#include "domain/runner.h"
#include "web/http.h"

#define SESSION_TOKEN_BYTES	32
#define SESSION_COOKIE		"cadence_session"
#define SESSION_COOKIE_SECURE	"__Host-cadence_session"
#define PRESESSION_COOKIE	"cadence_pre"
#define PRESESSION_COOKIE_SECURE "__Host-cadence_pre"


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
