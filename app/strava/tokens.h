/*
 * tokens: a runner's Strava tokens, encrypted at rest, and a valid access
 * token on demand.
 *
 * Tokens live in users.strava_access_token / strava_refresh_token as
 * "k1:" + base64(nonce || XChaCha20-Poly1305 ciphertext), with the key
 * CADENCE_SECRET_KEY.  The additional data is "user id:column", so a
 * ciphertext copied to another row or column does not open.  "k1" names
 * the key, leaving room for rotation (k2 with the old key kept to read).
 *
 * strava_access_token() refreshes when the token has less than
 * TOKEN_REFRESH_MARGIN left.  Strava rotates refresh tokens: spending one
 * twice loses the connection, so the refresh runs under SELECT ... FOR
 * UPDATE of the runner's row, re-checks the expiry once the lock is held
 * (another process may just have refreshed), and saves the new pair in
 * that same transaction.  A refused refresh marks the connection broken
 * (users.strava_needs_reconnect).  A token Strava says lacks a scope
 * (users.strava_scope_missing, set by token_needs_scope) still works for
 * what it may do, but the runner must authorize again: callers get
 * TOKEN_NEEDS_SCOPE with the token, and refreshing does not clear it.
 */
#ifndef CADENCE_STRAVA_TOKENS_H
#define CADENCE_STRAVA_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#define TOKEN_KEY_ID		"k1"
#define TOKEN_KEY_BYTES		crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define TOKEN_MAX		256	/* a plain token, NUL included */
#define TOKEN_REFRESH_MARGIN	3600	/* refresh when less is left (s) */
#define TOKEN_SCOPE_MAX		256
#define TOKEN_COL_ACCESS	"strava_access_token"
#define TOKEN_COL_REFRESH	"strava_refresh_token"

struct config;
struct db;

/* Parses CADENCE_SECRET_KEY (64 hex digits); false if unset or bad. */
bool	 token_key(const struct config *, unsigned char key[TOKEN_KEY_BYTES]);
/* Encrypts plain for (user_id, column); returns a malloc'd "k1:..." */
char	*token_seal(const unsigned char key[TOKEN_KEY_BYTES],
	    const char *user_id, const char *column, const char *plain);
/* Decrypts into out; false when forged, moved, or of an unknown key. */
bool	 token_open(const unsigned char key[TOKEN_KEY_BYTES],
	    const char *user_id, const char *column, const char *sealed,
	    char *out, size_t outlen);

/*
 * Saves a token pair for user_id (encrypted) with its expiry (epoch),
 * clearing strava_needs_reconnect.  Runs in the caller's transaction.
 */
int	 token_store(struct db *, const struct config *, const char *user_id,
	    const char *access, const char *refresh, int64_t expires_at);

enum token_result {
	TOKEN_OK,
	TOKEN_NOT_CONNECTED,	/* no tokens */
	TOKEN_BROKEN,		/* refused by Strava: runner must reconnect */
	TOKEN_RETRY,		/* Strava or the database failed: later */
	TOKEN_ERROR,		/* the stored tokens cannot be read (key?) */
	TOKEN_NEEDS_SCOPE,	/* a valid token (in auth) lacking a scope
				   Strava asked for (auth->scope_missing) */
};

struct strava_auth {
	char	 access[TOKEN_MAX];
	int64_t	 athlete_id;
	char	 scope[TOKEN_SCOPE_MAX];	/* granted, comma list */
	char	 scope_missing[TOKEN_SCOPE_MAX];	/* TOKEN_NEEDS_SCOPE */
	bool	 refreshed;			/* this call refreshed */
	int	 retry_after;			/* TOKEN_RETRY: seconds */
};

/* A valid access token of user_id, refreshed if needed. */
enum token_result strava_access_token(const struct config *, struct db *,
	    const char *user_id, struct strava_auth *, char *err,
	    size_t errlen);
/*
 * Strava answered 401 saying the token lacks scope (e.g. "activity:read"):
 * the connection needs re-authorisation granting it, and nothing is
 * fetched or refreshed for it meanwhile.  0 or -1.
 */
int	 token_needs_scope(struct db *, const char *user_id, const char *scope);
/* True if the comma list scope has item. */
bool	 scope_has(const char *scope, const char *item);

#endif
