/*
 * connection: see connection.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "db/strava_keep.h"
#include "db/workout_state.h"
#include "strava/client.h"
#include "strava/connection.h"
#include "strava/import.h"
#include "strava/tokens.h"

#define NAME_MAX_BYTES	255

static const struct db_stmt q_taken = DB_STMT("strava_athlete_taken",
    "SELECT 1 FROM users WHERE strava_athlete_id = $1 AND id <> $2");
static const struct db_stmt q_link = DB_STMT("strava_link",
    "UPDATE users SET strava_athlete_id = $2, strava_scope = $3,"
    "       strava_athlete_name = $4, strava_connected_at = NOW(),"
    "       strava_scope_missing = NULL"
    " WHERE id = $1");
static const struct db_stmt q_affected = DB_STMT("strava_affected_workouts",
    "SELECT DISTINCT c.workout_id FROM workout_completions c"
    "  JOIN strava_activities a ON a.id = c.strava_activity_id"
    " WHERE a.user_id = $1");
static const struct db_stmt q_drop_activities = DB_STMT(
    "strava_drop_activities",
    "DELETE FROM strava_activities"
    " WHERE user_id = $1 AND source = 'strava'");	/* uploads stay */
static const struct db_stmt q_unlink = DB_STMT("strava_unlink",
    "UPDATE users SET strava_athlete_id = NULL, strava_access_token = NULL,"
    "       strava_refresh_token = NULL, strava_token_expires_at = NULL,"
    "       strava_scope = NULL, strava_athlete_name = NULL,"
    "       strava_connected_at = NULL, strava_needs_reconnect = FALSE,"
    "       strava_scope_missing = NULL"
    " WHERE id = $1");
static const struct db_stmt q_drop_import = DB_STMT("strava_drop_import",
    "DELETE FROM strava_imports WHERE user_id = $1");

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
	json_t		*athlete = json_object_get(tok, "athlete");
	const char	*access = json_string_value(json_object_get(tok,
			    "access_token"));
	const char	*refresh = json_string_value(json_object_get(tok,
			    "refresh_token"));
	json_t		*exp = json_object_get(tok, "expires_at");
	char		 aid[24], name[NAME_MAX_BYTES + 1];
	const char	*p[4] = { aid, user_id, scope, name };
	PGresult	*r;
	bool		 taken;

	if (!json_is_integer(json_object_get(athlete, "id")) ||
	    access == NULL || refresh == NULL || !json_is_integer(exp) ||
	    strlen(access) >= TOKEN_MAX || strlen(refresh) >= TOKEN_MAX) {
		snprintf(err, errlen, "Strava's token answer lacks fields");
		return CONNECT_UNAVAILABLE;
	}
	snprintf(aid, sizeof(aid), "%" PRId64,
	    (int64_t)json_integer_value(json_object_get(athlete, "id")));
	athlete_name(athlete, name);
	if (db_begin(db) == -1 || (r = db_exec(db, &q_taken, 2, p)) == NULL)
		goto fail;
	taken = PQntuples(r) > 0;
	PQclear(r);
	if (taken) {
		db_rollback(db);
		snprintf(err, errlen, "athlete %s is linked to another runner",
		    aid);
		return CONNECT_TAKEN;
	}
	p[0] = user_id, p[1] = aid;
	if (db_run(db, &q_link, 4, p) != 1) {
		if (db_unique_violation(db)) {	/* lost a race for it */
			db_rollback(db);
			return CONNECT_TAKEN;
		}
		goto fail;
	}
	if (token_store(db, cfg, user_id, access, refresh,
	    json_integer_value(exp)) == -1 || import_enqueue(db, user_id) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	return CONNECT_OK;
fail:
	db_rollback(db);
	snprintf(err, errlen, "database error while linking Strava");
	return CONNECT_ERROR;
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
	strava_urlenc(&form, cfg->strava_client_id);
	buf_puts(&form, "&client_secret=");
	strava_urlenc(&form, cfg->strava_client_secret);
	buf_puts(&form, "&code=");
	strava_urlenc(&form, code);
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
	strava_urlenc(&form, auth.access);
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
	const char	*p[1] = { user_id };
	PGresult	*r = NULL;
	int		 i;

	deauthorize(cfg, db, user_id);
	if (db_begin(db) == -1 || (r = db_exec(db, &q_affected, 1, p)) == NULL ||
	    strava_keep_done(db, user_id) < 0 ||	/* done stays done */
	    db_run(db, &q_drop_activities, 1, p) < 0 ||
	    db_run(db, &q_unlink, 1, p) < 0 ||
	    db_run(db, &q_drop_import, 1, p) < 0)
		goto fail;
	for (i = 0; i < PQntuples(r); i++)
		if (workout_state_refresh(db, db_val(r, i, 0)) == -1)
			goto fail;
	if (db_commit(db) == -1)
		goto fail;
	PQclear(r);
	return 0;
fail:
	db_rollback(db);
	PQclear(r);
	return -1;
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
	strava_urlenc(&form, cfg->strava_client_id);
	buf_puts(&form, "&redirect_uri=");
	strava_urlenc(&form, buf_cstr(&redirect));
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
