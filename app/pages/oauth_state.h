/*
 * oauth_state: the state parameter of an OAuth connection (Strava's and
 * Garmin's consent pages), one mechanism for both.
 *
 * The state is 256 random bits (base64url), stored only as its SHA-256
 * with the session and runner it was made for (db/oauth_states.h); the
 * callback deletes it as it checks it, so it is single use, and it is
 * refused after DB_OAUTH_STATE_TTL.  Nothing is sent to the provider
 * before the state has been accepted.
 */
#ifndef CADENCE_PAGES_OAUTH_STATE_H
#define CADENCE_PAGES_OAUTH_STATE_H

#include "db/oauth_states.h"
#include "web/http.h"

#define OAUTH_STATE_TEXT_MAX	128

/* A fresh state for this session and runner into state: 0, or -1. */
int	oauth_state_begin(struct request *, enum oauth_provider,
	    char state[OAUTH_STATE_TEXT_MAX]);
/*
 * The callback's ?state=: 1 when it is this session's, fresh and now
 * spent; 0 when not, with a 400 page naming service ("Strava") in res;
 * -1 on a database error.
 */
int	oauth_state_check(struct request *, struct response *,
	    enum oauth_provider, const char *service);
/* A 302 to the provider's consent page at url: 0, or -1. */
int	oauth_redirect(struct request *, struct response *, const char *url);

#endif
