/*
 * connection: see connection.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "db/strava.h"
#include "strava/client.h"
#include "strava/connection.h"
#include "strava/tokens.h"

#define NAME_MAX_BYTES	255

/* "Firstname Lastname", cut to the column's size on a UTF-8 boundary. */
static void
athlete_name(const json_t *athlete, char out[NAME_MAX_BYTES + 1])
{
	const char	*f = json_string_value(json_object_get(athlete,
			    "firstname"));
	const char	*l = json_string_value(json_object_get(athlete,
			    "lastname"));
	size_t		 n;

	snprintf(out, NAME_MAX_BYTES + 1, "%s%s%s", f ? f : "",
	    f && l && *f && *l ? " " : "", l ? l : "");
	n = strlen(out);
	while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80 &&
	    n == NAME_MAX_BYTES)
		out[--n] = '\0';
}

static enum connect_result
link_runner(const struct config *cfg, struct db *db, const char *user_id,
    const json_t *tok, const char *scope, char *err, size_t errlen)
{
	json_t			*athlete = json_object_get(tok, "athlete");
	const char		*access = json_string_value(
				    json_object_get(tok, "access_token"));
	const char		*refresh = json_string_value(
				    json_object_get(tok, "refresh_token"));
	json_t			*exp = json_object_get(tok, "expires_at");
	char			 name[NAME_MAX_BYTES + 1];
	unsigned char		 key[TOKEN_KEY_BYTES];
	struct db_strava_link	 l;
	enum db_link_result	 res;
	char			*sealed_access, *sealed_refresh;

	if (!json_is_integer(json_object_get(athlete, "id")) ||
	    access == NULL || refresh == NULL || !json_is_integer(exp) ||
	    strlen(access) >= TOKEN_MAX || strlen(refresh) >= TOKEN_MAX) {
		snprintf(err, errlen, "Strava's token answer lacks fields");
		return CONNECT_UNAVAILABLE;
	}
	if (!token_key(cfg, key)) {
		snprintf(err, errlen, "CADENCE_SECRET_KEY is not set");
		return CONNECT_ERROR;
	}
	athlete_name(athlete, name);
	memset(&l, 0, sizeof(l));
	l.athlete_id = json_integer_value(json_object_get(athlete, "id"));
	l.athlete_name = name;
	l.scope = scope;
	l.sealed_access = sealed_access = token_seal(key, user_id,
	    TOKEN_COL_ACCESS, access);
	l.sealed_refresh = sealed_refresh = token_seal(key, user_id,
	    TOKEN_COL_REFRESH, refresh);
	l.expires_at = json_integer_value(exp);
	sodium_memzero(key, sizeof(key));
	res = db_strava_link(db, user_id, &l);
	free(sealed_access);
	free(sealed_refresh);
	switch (res) {
	case DB_LINK_OK:
		return CONNECT_OK;
	case DB_LINK_TAKEN:
		snprintf(err, errlen, "athlete %" PRId64 " is linked to "
		    "another runner", l.athlete_id);
		return CONNECT_TAKEN;
	default:
		snprintf(err, errlen, "database error while linking Strava");
		return CONNECT_ERROR;
	}
}

enum connect_result
strava_connect_code(const struct config *cfg, struct db *db,
    const char *user_id, const char *code, const char *scope, char *err,
    size_t errlen)
{
	struct strava_resp	 r;
	buf_t			 form = BUF_INIT;
	enum connect_result	 res;

	buf_puts(&form, "grant_type=authorization_code&client_id=");
	buf_urlenc(&form, cfg->strava_client_id);
	buf_puts(&form, "&client_secret=");
	buf_urlenc(&form, cfg->strava_client_secret);
	buf_puts(&form, "&code=");
	buf_urlenc(&form, code);
	strava_oauth_post(cfg, "/oauth/token", buf_cstr(&form), NULL, &r);
	buf_free(&form);
	if (r.status == STRAVA_UNAUTHORIZED) {
		snprintf(err, errlen, "Strava refused the code (HTTP %ld)",
		    r.http);
		res = CONNECT_REFUSED;
	} else if (r.status != STRAVA_OK) {
		snprintf(err, errlen, "token exchange: %s", r.err);
		res = CONNECT_UNAVAILABLE;
	} else {
		res = link_runner(cfg, db, user_id, r.json, scope, err, errlen);
	}
	strava_resp_free(&r);
	return res;
}

/* Best effort: a failure is logged and never stops the disconnect. */
static void
deauthorize(const struct config *cfg, struct db *db, const char *user_id)
{
	struct strava_auth	 auth;
	struct strava_resp	 r;
	buf_t			 form = BUF_INIT;
	char			 err[STRAVA_ERR_MAX];

	switch (strava_access_token(cfg, db, user_id, &auth, err,
	    sizeof(err))) {
	case TOKEN_OK:
	case TOKEN_NEEDS_SCOPE:		/* still a token Strava takes */
		break;
	default:
		if (auth.athlete_id != 0)
			log_warn("strava: no token to deauthorize %s: %s",
			    user_id, err);
		return;
	}
	buf_puts(&form, "access_token=");
	buf_urlenc(&form, auth.access);
	strava_oauth_post(cfg, "/oauth/deauthorize", buf_cstr(&form), NULL,
	    &r);
	sodium_memzero(form.data, form.len);
	sodium_memzero(auth.access, sizeof(auth.access));
	if (r.status != STRAVA_OK)
		log_warn("strava: deauthorizing %s failed: %s", user_id,
		    r.err);
	buf_free(&form);
	strava_resp_free(&r);
}

int
strava_disconnect(const struct config *cfg, struct db *db,
    const char *user_id)
{
	deauthorize(cfg, db, user_id);
	return db_strava_unlink(db, user_id);
}

int
strava_sandbox_authorize(const struct config *cfg, int64_t athlete_id,
    char *code, size_t codelen, char *err, size_t errlen)
{
	struct strava_resp	 r;
	buf_t			 form = BUF_INIT, redirect = BUF_INIT;
	const char		*c;
	size_t			 n;
	int			 rc = -1;

	buf_printf(&redirect, "%s%s", cfg->base_url, STRAVA_CALLBACK_PATH);
	buf_puts(&form, "client_id=");
	buf_urlenc(&form, cfg->strava_client_id);
	buf_puts(&form, "&redirect_uri=");
	buf_urlenc(&form, buf_cstr(&redirect));
	buf_printf(&form, "&response_type=code&approval_prompt=auto"
	    "&scope=%s&state=demo&athlete_id=%" PRId64 "&decision=authorize",
	    STRAVA_SCOPE, athlete_id);
	strava_oauth_post(cfg, "/oauth/authorize", buf_cstr(&form), NULL, &r);
	if (r.http != 302 || (c = strstr(r.location, "code=")) == NULL) {
		snprintf(err, errlen, "the sandbox did not redirect with a "
		    "code (HTTP %ld)", r.http);
		goto out;
	}
	c += strlen("code=");
	n = strcspn(c, "&");
	if (n == 0 || n >= codelen) {
		snprintf(err, errlen, "bad code in the sandbox's redirect");
		goto out;
	}
	memcpy(code, c, n);
	code[n] = '\0';
	rc = 0;
out:
	buf_free(&form);
	buf_free(&redirect);
	strava_resp_free(&r);
	return rc;
}
