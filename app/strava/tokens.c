/*
 * tokens: see tokens.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/strava.h"
#include "strava/client.h"
#include "strava/tokens.h"

#define NONCE_BYTES	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES	crypto_aead_xchacha20poly1305_ietf_ABYTES
#define PREFIX		TOKEN_KEY_ID ":"
#define SEALED_MAX	1024	/* base64 of nonce + token + tag, generous */

bool
token_key(const struct config *cfg, unsigned char key[TOKEN_KEY_BYTES])
{
	size_t n = 0;

	if (strlen(cfg->secret_key) != 2 * TOKEN_KEY_BYTES)
		return false;
	return sodium_hex2bin(key, TOKEN_KEY_BYTES, cfg->secret_key,
	    2 * TOKEN_KEY_BYTES, NULL, &n, NULL) == 0 && n == TOKEN_KEY_BYTES;
}

/* "user_id:column": what binds a ciphertext to its place. */
static char *
additional_data(const char *user_id, const char *column)
{
	char *ad;

	if (asprintf(&ad, "%s:%s", user_id, column) < 0)
		fatal_oom();
	return ad;
}

char *
token_seal(const unsigned char key[TOKEN_KEY_BYTES], const char *user_id,
    const char *column, const char *plain)
{
	size_t		 plen = strlen(plain), blen = NONCE_BYTES + plen + TAG_BYTES;
	size_t		 b64len = sodium_base64_ENCODED_LEN(blen,
			    sodium_base64_VARIANT_ORIGINAL);
	unsigned char	*bin = xmalloc(blen);
	unsigned long long clen;
	char		*ad = additional_data(user_id, column), *out;

	randombytes_buf(bin, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(bin + NONCE_BYTES, &clen,
	    (const unsigned char *)plain, plen, (const unsigned char *)ad,
	    strlen(ad), NULL, bin, key);
	out = xmalloc(strlen(PREFIX) + b64len);
	strcpy(out, PREFIX);
	sodium_bin2base64(out + strlen(PREFIX), b64len, bin,
	    NONCE_BYTES + (size_t)clen, sodium_base64_VARIANT_ORIGINAL);
	free(bin);
	free(ad);
	return out;
}

bool
token_open(const unsigned char key[TOKEN_KEY_BYTES], const char *user_id,
    const char *column, const char *sealed, char *out, size_t outlen)
{
	unsigned char	 bin[SEALED_MAX];
	size_t		 blen = 0;
	unsigned long long plen;
	char		*ad;
	bool		 ok;

	if (sealed == NULL || !str_has_prefix(sealed, PREFIX))
		return false;
	sealed += strlen(PREFIX);
	if (sodium_base642bin(bin, sizeof(bin), sealed, strlen(sealed), NULL,
	    &blen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    blen < NONCE_BYTES + TAG_BYTES ||
	    blen - NONCE_BYTES - TAG_BYTES >= outlen)
		return false;
	ad = additional_data(user_id, column);
	ok = crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out,
	    &plen, NULL, bin + NONCE_BYTES, blen - NONCE_BYTES,
	    (const unsigned char *)ad, strlen(ad), bin, key) == 0;
	free(ad);
	out[ok ? plen : 0] = '\0';
	return ok;
}

bool
scope_has(const char *scope, const char *item)
{
	size_t		 n = strlen(item);
	const char	*p = scope;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return false;
}

/* ---- storage ------------------------------------------------------------- */

int
token_needs_scope(struct db *db, const char *user_id, const char *scope)
{
	return db_strava_needs_scope(db, user_id, scope);
}

int
token_store(struct db *db, const struct config *cfg, const char *user_id,
    const char *access, const char *refresh, int64_t expires_at)
{
	unsigned char	 key[TOKEN_KEY_BYTES];
	char		*a, *r;
	int		 rc;

	if (!token_key(cfg, key))
		return -1;
	a = token_seal(key, user_id, TOKEN_COL_ACCESS, access);
	r = token_seal(key, user_id, TOKEN_COL_REFRESH, refresh);
	rc = db_strava_tokens_store(db, user_id, a, r, expires_at);
	sodium_memzero(key, sizeof(key));
	free(a);
	free(r);
	return rc;
}

/* The row as read, with what a caller sees copied into auth. */
struct token_row {
	struct db_strava_tokens	 t;
	bool			 needs_scope;	/* broken only by a missing
						   scope */
};

static int
read_row(struct db *db, bool lock, const char *user_id, struct token_row *r,
    struct strava_auth *auth)
{
	if (db_strava_tokens(db, user_id, lock, &r->t) == -1)
		return -1;
	auth->athlete_id = r->t.athlete_id;
	snprintf(auth->scope, sizeof(auth->scope), "%s", r->t.scope);
	snprintf(auth->scope_missing, sizeof(auth->scope_missing), "%s",
	    r->t.scope_missing);
	r->needs_scope = auth->scope_missing[0] != '\0';
	return 0;
}

/* The token answer of a refresh: fields checked. */
static bool
parse_token_answer(const json_t *j, const char **access, const char **refresh,
    int64_t *expires_at)
{
	json_t *e = json_object_get(j, "expires_at");

	*access = json_string_value(json_object_get(j, "access_token"));
	*refresh = json_string_value(json_object_get(j, "refresh_token"));
	if (*access == NULL || *refresh == NULL || !json_is_integer(e) ||
	    strlen(*access) >= TOKEN_MAX || strlen(*refresh) >= TOKEN_MAX)
		return false;
	*expires_at = json_integer_value(e);
	return true;
}

/* Under the row lock: spends the refresh token.  Commits or rolls back. */
static enum token_result
refresh_locked(const struct config *cfg, struct db *db, const char *user_id,
    const unsigned char key[TOKEN_KEY_BYTES], const char *sealed_refresh,
    struct strava_auth *auth, char *err, size_t errlen)
{
	char			 refresh[TOKEN_MAX];
	buf_t			 form = BUF_INIT;
	struct strava_resp	 r;
	const char		*na, *nr;
	int64_t			 exp;
	enum token_result	 res;

	if (!token_open(key, user_id, TOKEN_COL_REFRESH, sealed_refresh,
	    refresh, sizeof(refresh))) {
		db_rollback(db);
		snprintf(err, errlen, "the stored refresh token does not decrypt");
		return TOKEN_ERROR;
	}
	buf_puts(&form, "grant_type=refresh_token&client_id=");
	buf_urlenc(&form, cfg->strava_client_id);
	buf_puts(&form, "&client_secret=");
	buf_urlenc(&form, cfg->strava_client_secret);
	buf_puts(&form, "&refresh_token=");
	buf_urlenc(&form, refresh);
	sodium_memzero(refresh, sizeof(refresh));
	strava_oauth_post(cfg, "/oauth/token", buf_cstr(&form), NULL, &r);
	sodium_memzero(form.data, form.len);
	buf_free(&form);

	if (r.status == STRAVA_UNAUTHORIZED) {
		/* Strava refused the refresh token: only a reconnect helps. */
		snprintf(err, errlen, "Strava refused the refresh token "
		    "(HTTP %ld): reconnect needed", r.http);
		res = db_strava_broken(db, user_id) == 0 &&
		    db_commit(db) == 0 ? TOKEN_BROKEN : TOKEN_RETRY;
	} else if (r.status != STRAVA_OK ||
	    !parse_token_answer(r.json, &na, &nr, &exp)) {
		snprintf(err, errlen, "token refresh failed: %s", r.status ==
		    STRAVA_OK ? "bad answer" : r.err);
		auth->retry_after = r.retry_after;
		res = TOKEN_RETRY;
	} else if (token_store(db, cfg, user_id, na, nr, exp) == -1 ||
	    db_commit(db) == -1) {
		/* The rotated token is lost with this transaction: rare, and
		 * the runner is then asked to reconnect on the next try. */
		snprintf(err, errlen, "could not save the refreshed tokens");
		res = TOKEN_RETRY;
	} else {
		snprintf(auth->access, sizeof(auth->access), "%s", na);
		auth->refreshed = true;
		res = TOKEN_OK;
	}
	if (res != TOKEN_OK && res != TOKEN_BROKEN)
		db_rollback(db);
	strava_resp_free(&r);
	return res;
}

enum token_result
strava_access_token(const struct config *cfg, struct db *db,
    const char *user_id, struct strava_auth *auth, char *err, size_t errlen)
{
	unsigned char		 key[TOKEN_KEY_BYTES];
	struct token_row	 t;
	enum token_result	 res;
	bool			 locked = false;

	memset(auth, 0, sizeof(*auth));
	memset(&t, 0, sizeof(t));
	err[0] = '\0';
	if (!token_key(cfg, key)) {
		snprintf(err, errlen, "CADENCE_SECRET_KEY is not set");
		return TOKEN_ERROR;
	}
	if (read_row(db, false, user_id, &t, auth) == -1)
		goto db_fail;
	for (;;) {
		if (!t.t.has_tokens || (t.t.needs_reconnect && !t.needs_scope)) {
			res = t.t.needs_reconnect ? TOKEN_BROKEN : TOKEN_NOT_CONNECTED;
			snprintf(err, errlen, "%s", t.t.needs_reconnect ? "Strava "
			    "connection needs a reconnect" : "not connected");
			break;
		}
		if (t.t.expires_at - (int64_t)time(NULL) > TOKEN_REFRESH_MARGIN) {
			res = token_open(key, user_id, TOKEN_COL_ACCESS,
			    t.t.access, auth->access, sizeof(auth->access)) ?
			    TOKEN_OK : TOKEN_ERROR;
			if (res == TOKEN_ERROR)
				snprintf(err, errlen, "the stored access "
				    "token does not decrypt");
			break;
		}
		if (locked) {
			res = refresh_locked(cfg, db, user_id, key, t.t.refresh,
			    auth, err, errlen);
			locked = false;	/* committed or rolled back */
			break;
		}
		/* Take the row lock and look again: someone may have won. */
		if (db_begin(db) == -1)
			goto db_fail;
		locked = true;
		if (read_row(db, true, user_id, &t, auth) == -1)
			goto db_fail;
	}
	if (locked)
		db_commit(db);
	sodium_memzero(&t, sizeof(t));
	sodium_memzero(key, sizeof(key));
	if (res == TOKEN_OK && auth->scope_missing[0] != '\0') {
		snprintf(err, errlen, "Strava connection needs re-authorisation "
		    "granting %s", auth->scope_missing);
		res = TOKEN_NEEDS_SCOPE;
	}
	return res;
db_fail:
	if (locked)
		db_rollback(db);
	sodium_memzero(&t, sizeof(t));
	sodium_memzero(key, sizeof(key));
	snprintf(err, errlen, "database error reading the Strava tokens");
	return TOKEN_RETRY;
}
