/*
 * connection: see connection.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/util.h"
#include "db/db.h"
#include "db/garmin.h"
#include "garmin/client.h"
#include "garmin/connection.h"
#include "strava/tokens.h"

#define CHALLENGE_MAX	64	/* base64url of 32 bytes is 43 */

bool
garmin_configured(const struct config *cfg)
{
	unsigned char key[TOKEN_KEY_BYTES];

	return cfg->garmin_client_id[0] != '\0' && token_key(cfg, key);
}

/* The verifier is derived, not stored: see connection.h. */
static bool
pkce_verifier(const struct config *cfg, const char *state,
    char verifier[SECRET_MAC_HEX])
{
	return secret_mac_hex(cfg, SECRET_GARMIN_PKCE, state, verifier);
}

static void
pkce_challenge(const char *verifier, char out[CHALLENGE_MAX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)verifier,
	    strlen(verifier));
	sodium_bin2base64(out, CHALLENGE_MAX, h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void
callback_url(const struct config *cfg, buf_t *out)
{
	buf_printf(out, "%s%s", cfg->base_url, GARMIN_CALLBACK_PATH);
}

char *
garmin_authorize_url(const struct config *cfg, const char *state)
{
	char	 verifier[SECRET_MAC_HEX], challenge[CHALLENGE_MAX];
	buf_t	 url = BUF_INIT, cb = BUF_INIT;
	char	*s;

	if (!pkce_verifier(cfg, state, verifier))
		return NULL;
	pkce_challenge(verifier, challenge);
	sodium_memzero(verifier, sizeof(verifier));
	callback_url(cfg, &cb);
	buf_printf(&url, "%s/oauth2Confirm?client_id=", cfg->garmin_oauth_base);
	buf_urlenc(&url, cfg->garmin_client_id);
	buf_printf(&url, "&response_type=code&code_challenge=%s"
	    "&code_challenge_method=S256&redirect_uri=", challenge);
	buf_urlenc(&url, buf_cstr(&cb));
	buf_puts(&url, "&state=");
	buf_urlenc(&url, state);
	s = xstrdup(buf_cstr(&url));
	buf_free(&url);
	buf_free(&cb);
	return s;
}

/* ---- the token answer ---------------------------------------------------- */

struct token_answer {
	const char	*access, *refresh, *scope;
	int64_t		 expires_at, refresh_expires_at;
};

static bool
parse_token_answer(const json_t *j, struct token_answer *t)
{
	json_t	*e = json_object_get(j, "expires_in");
	json_t	*re = json_object_get(j, "refresh_token_expires_in");
	time_t	 now = time(NULL);

	t->access = json_string_value(json_object_get(j, "access_token"));
	t->refresh = json_string_value(json_object_get(j, "refresh_token"));
	t->scope = json_string_value(json_object_get(j, "scope"));
	if (t->access == NULL || t->refresh == NULL || !json_is_integer(e) ||
	    strlen(t->access) >= GARMIN_TOKEN_MAX ||
	    strlen(t->refresh) >= GARMIN_TOKEN_MAX)
		return false;
	if (t->scope == NULL || strlen(t->scope) >= 255)
		t->scope = "";
	t->expires_at = (int64_t)now + json_integer_value(e);
	t->refresh_expires_at = (int64_t)now + (json_is_integer(re) ?
	    json_integer_value(re) : 90 * 86400);
	return true;
}

/* Garmin's permission list as "A,B" into out; false if not a list. */
static bool
permissions_text(const json_t *arr, buf_t *out)
{
	size_t	 i;
	json_t	*v;

	if (!json_is_array(arr))
		return false;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);

		if (s == NULL || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") !=
		    strlen(s))
			continue;
		if (out->len + strlen(s) + 1 >= DB_GARMIN_PERMS_MAX)
			break;
		if (out->len > 0)
			buf_putc(out, ',');
		buf_puts(out, s);
	}
	return true;
}

/* ---- connecting ---------------------------------------------------------- */

/* The user id and permissions endpoints, with the new token. */
static enum garmin_connect_result
ask_user(const struct config *cfg, const char *access, char *guser,
    size_t guserlen, buf_t *perms, char *err, size_t errlen)
{
	struct garmin_resp	 r;
	const char		*id;

	garmin_api(cfg, "GET", "/wellness-api/rest/user/id", NULL, access, &r);
	id = json_string_value(json_object_get(r.json, "userId"));
	if (r.status != GARMIN_OK || id == NULL || *id == '\0' ||
	    strlen(id) >= guserlen) {
		snprintf(err, errlen, "user id: %s", r.status == GARMIN_OK ?
		    "bad answer" : r.err);
		garmin_resp_free(&r);
		return GARMIN_CONNECT_UNAVAILABLE;
	}
	snprintf(guser, guserlen, "%s", id);
	garmin_resp_free(&r);
	garmin_api(cfg, "GET", "/wellness-api/rest/user/permissions", NULL,
	    access, &r);
	if (r.status != GARMIN_OK || !permissions_text(r.json, perms)) {
		snprintf(err, errlen, "permissions: %s", r.status == GARMIN_OK ?
		    "bad answer" : r.err);
		garmin_resp_free(&r);
		return GARMIN_CONNECT_UNAVAILABLE;
	}
	garmin_resp_free(&r);
	return GARMIN_CONNECT_OK;
}

static enum garmin_connect_result
link_runner(const struct config *cfg, struct db *db, const char *user_id,
    const struct token_answer *t, char *err, size_t errlen)
{
	unsigned char			 key[TOKEN_KEY_BYTES];
	char				 guser[DB_GARMIN_ID_MAX];
	buf_t				 perms = BUF_INIT;
	struct db_garmin_link		 l;
	enum db_garmin_link_result	 lr;
	char				*sa, *sr;
	enum garmin_connect_result	 res;

	if ((res = ask_user(cfg, t->access, guser, sizeof(guser), &perms, err,
	    errlen)) != GARMIN_CONNECT_OK) {
		buf_free(&perms);
		return res;
	}
	if (!token_key(cfg, key)) {
		buf_free(&perms);
		snprintf(err, errlen, "CADENCE_SECRET_KEY is not set");
		return GARMIN_CONNECT_ERROR;
	}
	memset(&l, 0, sizeof(l));
	l.garmin_user_id = guser;
	l.scope = t->scope;
	l.permissions = buf_cstr(&perms);
	l.sealed_access = sa = token_seal(key, user_id, GARMIN_COL_ACCESS,
	    t->access);
	l.sealed_refresh = sr = token_seal(key, user_id, GARMIN_COL_REFRESH,
	    t->refresh);
	l.expires_at = t->expires_at;
	l.refresh_expires_at = t->refresh_expires_at;
	sodium_memzero(key, sizeof(key));
	lr = db_garmin_link(db, user_id, &l);
	free(sa);
	free(sr);
	buf_free(&perms);
	if (lr == DB_GARMIN_LINK_OK)
		return GARMIN_CONNECT_OK;
	if (lr == DB_GARMIN_LINK_TAKEN) {
		snprintf(err, errlen, "Garmin user is linked to another runner");
		return GARMIN_CONNECT_TAKEN;
	}
	snprintf(err, errlen, "database error while linking Garmin");
	return GARMIN_CONNECT_ERROR;
}

enum garmin_connect_result
garmin_connect_code(const struct config *cfg, struct db *db,
    const char *user_id, const char *code, const char *state, char *err,
    size_t errlen)
{
	char				 verifier[SECRET_MAC_HEX];
	struct garmin_resp		 r;
	struct token_answer		 t;
	buf_t				 form = BUF_INIT;
	enum garmin_connect_result	 res;

	if (!pkce_verifier(cfg, state, verifier)) {
		snprintf(err, errlen, "CADENCE_SECRET_KEY is not set");
		return GARMIN_CONNECT_ERROR;
	}
	buf_puts(&form, "grant_type=authorization_code&client_id=");
	buf_urlenc(&form, cfg->garmin_client_id);
	buf_puts(&form, "&client_secret=");
	buf_urlenc(&form, cfg->garmin_client_secret);
	buf_puts(&form, "&code=");
	buf_urlenc(&form, code);
	buf_printf(&form, "&code_verifier=%s&redirect_uri=", verifier);
	sodium_memzero(verifier, sizeof(verifier));
	{
		buf_t cb = BUF_INIT;

		callback_url(cfg, &cb);
		buf_urlenc(&form, buf_cstr(&cb));
		buf_free(&cb);
	}
	garmin_token_post(cfg, buf_cstr(&form), &r);
	sodium_memzero(form.data, form.len);
	buf_free(&form);
	if (r.status == GARMIN_UNAUTHORIZED) {
		snprintf(err, errlen, "Garmin refused the code (HTTP %ld)",
		    r.http);
		res = GARMIN_CONNECT_REFUSED;
	} else if (r.status != GARMIN_OK || !parse_token_answer(r.json, &t)) {
		snprintf(err, errlen, "token exchange: %s", r.status ==
		    GARMIN_OK ? "bad answer" : r.err);
		res = GARMIN_CONNECT_UNAVAILABLE;
	} else {
		res = link_runner(cfg, db, user_id, &t, err, errlen);
	}
	garmin_resp_free(&r);
	return res;
}

/* ---- a valid access token ------------------------------------------------ */

/* Under the row lock: spends the refresh token.  Commits or rolls back. */
static enum garmin_token_result
refresh_locked(const struct config *cfg, struct db *db, const char *user_id,
    const unsigned char *key, const struct db_garmin_tokens *row,
    char access[GARMIN_TOKEN_MAX], int *retry_after, char *err,
    size_t errlen)
{
	char				 refresh[GARMIN_TOKEN_MAX];
	char				*a, *rf;
	buf_t				 form = BUF_INIT;
	struct garmin_resp		 r;
	struct token_answer		 t;
	enum garmin_token_result	 res;

	if (!token_open(key, user_id, GARMIN_COL_REFRESH, row->refresh,
	    refresh, sizeof(refresh))) {
		db_rollback(db);
		snprintf(err, errlen, "the stored refresh token does not "
		    "decrypt");
		return GARMIN_TOKEN_ERROR;
	}
	buf_puts(&form, "grant_type=refresh_token&client_id=");
	buf_urlenc(&form, cfg->garmin_client_id);
	buf_puts(&form, "&client_secret=");
	buf_urlenc(&form, cfg->garmin_client_secret);
	buf_puts(&form, "&refresh_token=");
	buf_urlenc(&form, refresh);
	sodium_memzero(refresh, sizeof(refresh));
	garmin_token_post(cfg, buf_cstr(&form), &r);
	sodium_memzero(form.data, form.len);
	buf_free(&form);
	if (r.status == GARMIN_UNAUTHORIZED) {
		snprintf(err, errlen, "Garmin refused the refresh token (HTTP "
		    "%ld): reconnect needed", r.http);
		res = db_garmin_broken(db, user_id) == 0 && db_commit(db) == 0 ?
		    GARMIN_TOKEN_BROKEN : GARMIN_TOKEN_RETRY;
	} else if (r.status != GARMIN_OK || !parse_token_answer(r.json, &t)) {
		snprintf(err, errlen, "token refresh failed: %s", r.status ==
		    GARMIN_OK ? "bad answer" : r.err);
		if (retry_after != NULL)
			*retry_after = r.retry_after;
		res = GARMIN_TOKEN_RETRY;
	} else {
		/* The new refresh token is the only one that works now:
		 * stored before anything else, in this transaction. */
		a = token_seal(key, user_id, GARMIN_COL_ACCESS, t.access);
		rf = token_seal(key, user_id, GARMIN_COL_REFRESH, t.refresh);
		if (db_garmin_tokens_store(db, user_id, a, rf, t.expires_at,
		    t.refresh_expires_at) == -1 || db_commit(db) == -1) {
			snprintf(err, errlen, "could not save the refreshed "
			    "tokens");
			res = GARMIN_TOKEN_RETRY;
		} else {
			snprintf(access, GARMIN_TOKEN_MAX, "%s", t.access);
			res = GARMIN_TOKEN_OK;
		}
		free(a);
		free(rf);
	}
	if (res != GARMIN_TOKEN_OK && res != GARMIN_TOKEN_BROKEN)
		db_rollback(db);
	garmin_resp_free(&r);
	return res;
}

/* What the row as read allows without a refresh; -1: refresh it. */
static int
usable(const struct db_garmin_tokens *t, int found, char *err, size_t errlen)
{
	if (found != 1 || !t->connected) {
		snprintf(err, errlen, "not connected to Garmin");
		return GARMIN_TOKEN_NOT_CONNECTED;
	}
	if (t->needs_reconnect) {
		snprintf(err, errlen, "Garmin connection needs a reconnect");
		return GARMIN_TOKEN_BROKEN;
	}
	if (t->expires_at - (int64_t)time(NULL) > GARMIN_REFRESH_MARGIN)
		return GARMIN_TOKEN_OK;
	return -1;
}

enum garmin_token_result
garmin_access_token(const struct config *cfg, struct db *db,
    const char *user_id, char access[GARMIN_TOKEN_MAX], int *retry_after,
    char *err, size_t errlen)
{
	unsigned char		 key[TOKEN_KEY_BYTES];
	struct db_garmin_tokens	 t;
	int			 found, u;
	bool			 locked = false;
	enum garmin_token_result res;

	access[0] = '\0';
	err[0] = '\0';
	if (!token_key(cfg, key)) {
		snprintf(err, errlen, "CADENCE_SECRET_KEY is not set");
		return GARMIN_TOKEN_ERROR;
	}
	if ((found = db_garmin_tokens(db, user_id, false, &t)) == -1)
		goto db_fail;
	if ((u = usable(&t, found, err, errlen)) == -1) {
		/* Take the row lock and look again: someone may have won. */
		if (db_begin(db) == -1)
			goto db_fail;
		locked = true;
		if ((found = db_garmin_tokens(db, user_id, true, &t)) == -1)
			goto db_fail;
		u = usable(&t, found, err, errlen);
	}
	if (u == -1) {
		res = refresh_locked(cfg, db, user_id, key, &t, access,
		    retry_after, err, errlen);
		locked = false;	/* committed or rolled back */
	} else if (u == GARMIN_TOKEN_OK) {
		res = token_open(key, user_id, GARMIN_COL_ACCESS, t.access,
		    access, GARMIN_TOKEN_MAX) ? GARMIN_TOKEN_OK :
		    GARMIN_TOKEN_ERROR;
		if (res == GARMIN_TOKEN_ERROR)
			snprintf(err, errlen, "the stored access token does "
			    "not decrypt");
	} else {
		res = (enum garmin_token_result)u;
	}
	if (locked)
		db_commit(db);
	sodium_memzero(&t, sizeof(t));
	sodium_memzero(key, sizeof(key));
	return res;
db_fail:
	if (locked)
		db_rollback(db);
	sodium_memzero(&t, sizeof(t));
	sodium_memzero(key, sizeof(key));
	snprintf(err, errlen, "database error reading the Garmin tokens");
	return GARMIN_TOKEN_RETRY;
}

/* ---- disconnecting ------------------------------------------------------- */

/* Best effort: a failure is logged and never stops the disconnect. */
static void
deregister(const struct config *cfg, struct db *db, const char *user_id)
{
	char			 access[GARMIN_TOKEN_MAX];
	char			 err[GARMIN_ERR_TEXT_MAX];
	struct garmin_resp	 r;

	if (garmin_access_token(cfg, db, user_id, access, NULL, err,
	    sizeof(err)) != GARMIN_TOKEN_OK) {
		log_info("garmin: no token to deregister %s: %s", user_id, err);
		return;
	}
	garmin_api(cfg, "DELETE", "/wellness-api/rest/user/registration", NULL,
	    access, &r);
	sodium_memzero(access, sizeof(access));
	if (r.status != GARMIN_OK)
		log_warn("garmin: deregistering %s failed: %s", user_id, r.err);
	garmin_resp_free(&r);
}

int
garmin_disconnect(const struct config *cfg, struct db *db,
    const char *user_id)
{
	deregister(cfg, db, user_id);
	return db_garmin_unlink(db, user_id) < 0 ? -1 : 0;
}
