/*
 * connection: linking a runner to a Garmin Connect user (OAuth 2.0 with
 * PKCE, the Garmin Connect Developer Program's contract), a valid access
 * token on demand, and unlinking.  Used by pages/garmin.c and the Garmin
 * jobs (garmin/jobs.c).
 *
 * PKCE: the verifier is the keyed hash of the state under
 * CADENCE_SECRET_KEY (core/secret.h, SECRET_GARMIN_PKCE): 64 hex digits,
 * within RFC 7636's 43-128 unreserved characters, never stored and never
 * sent anywhere but to the token endpoint; the challenge is its S256.
 * No scope is asked: the runner ticks permissions on Garmin's page, and
 * the permissions endpoint says which.
 *
 * Tokens are sealed like Strava's (strava/tokens.h), bound to the runner
 * and to the column.  Garmin rotates refresh tokens: the refresh runs
 * under SELECT ... FOR UPDATE of the runner's connection, looks at the
 * expiry again once it holds the lock (another worker may have just
 * refreshed), and saves the new pair in the same transaction.
 */
#ifndef CADENCE_GARMIN_CONNECTION_H
#define CADENCE_GARMIN_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>

#define GARMIN_CALLBACK_PATH	"/garmin/callback"
#define GARMIN_TOKEN_MAX	1024	/* a plain token, NUL included */
#define GARMIN_REFRESH_MARGIN	600	/* refresh when less is left (s) */
#define GARMIN_ERR_TEXT_MAX	256
#define GARMIN_COL_ACCESS	"garmin_connections.access_token"
#define GARMIN_COL_REFRESH	"garmin_connections.refresh_token"

struct config;
struct db;

/* A client id and a valid CADENCE_SECRET_KEY. */
bool	 garmin_configured(const struct config *);
/*
 * Garmin's consent page URL for state (malloc'd), with the S256
 * challenge of state's verifier; NULL without a key.
 */
char	*garmin_authorize_url(const struct config *, const char *state);

enum garmin_connect_result {
	GARMIN_CONNECT_OK,
	GARMIN_CONNECT_REFUSED,		/* Garmin refused the code */
	GARMIN_CONNECT_TAKEN,		/* Garmin user linked elsewhere */
	GARMIN_CONNECT_UNAVAILABLE,	/* Garmin unreachable or failing */
	GARMIN_CONNECT_ERROR,		/* our side (database, key) */
};

/*
 * Exchanges code (with state's verifier), asks the user id and
 * permissions endpoints, and links user_id, tokens sealed.
 */
enum garmin_connect_result garmin_connect_code(const struct config *,
	    struct db *, const char *user_id, const char *code,
	    const char *state, char *err, size_t errlen);

enum garmin_token_result {
	GARMIN_TOKEN_OK,
	GARMIN_TOKEN_NOT_CONNECTED,
	GARMIN_TOKEN_BROKEN,		/* refresh refused: reconnect */
	GARMIN_TOKEN_RETRY,		/* Garmin or the database failed */
	GARMIN_TOKEN_ERROR,		/* key missing, token not ours */
};

/*
 * A valid access token for user_id into access, refreshed (single
 * flight) when less than GARMIN_REFRESH_MARGIN is left.  retry_after
 * (may be NULL) gets a 429's wait.
 */
enum garmin_token_result garmin_access_token(const struct config *,
	    struct db *, const char *user_id, char access[GARMIN_TOKEN_MAX],
	    int *retry_after, char *err, size_t errlen);
/*
 * Unlinks user_id: asks Garmin to delete the registration (best effort,
 * logged), then deletes the tokens and the runs from Garmin.  0 / -1.
 */
int	 garmin_disconnect(const struct config *, struct db *,
	    const char *user_id);

#endif
