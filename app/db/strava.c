/* strava: see strava.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/strava.h"
#include "db/strava_import.h"
#include "db/strava_keep.h"
#include "db/workouts.h"

/* ---- tokens -------------------------------------------------------------- */

#define TOKEN_COLUMNS \
    "strava_access_token, strava_refresh_token," \
    " COALESCE(extract(epoch FROM strava_token_expires_at)::bigint, 0)," \
    " COALESCE(strava_athlete_id, 0), COALESCE(strava_scope, '')," \
    " strava_needs_reconnect, COALESCE(strava_scope_missing, '')"

static const struct db_stmt q_tokens = DB_STMT("strava_tokens_get",
    "SELECT " TOKEN_COLUMNS " FROM users WHERE id = $1");
static const struct db_stmt q_tokens_lock = DB_STMT("strava_tokens_lock",
    "SELECT " TOKEN_COLUMNS " FROM users WHERE id = $1 FOR UPDATE");
enum { TK_ACCESS, TK_REFRESH, TK_EXPIRES, TK_ATHLETE, TK_SCOPE, TK_BROKEN,
	TK_SCOPE_MISSING, TK__MAX };
/* A refreshed pair does not cure a missing scope: only a new grant does
 * (q_link clears strava_scope_missing first). */
static const struct db_stmt q_store = DB_STMT("strava_tokens_store",
    "UPDATE users SET strava_access_token = $2, strava_refresh_token = $3,"
    "       strava_token_expires_at = to_timestamp($4) AT TIME ZONE 'UTC',"
    "       strava_needs_reconnect = strava_scope_missing IS NOT NULL"
    " WHERE id = $1");
/* A refused refresh token is the end of the grant, scope or not. */
static const struct db_stmt q_broken = DB_STMT("strava_tokens_broken",
    "UPDATE users SET strava_needs_reconnect = TRUE,"
    "       strava_scope_missing = NULL WHERE id = $1");
static const struct db_stmt q_needs_scope = DB_STMT("strava_tokens_scope",
    "UPDATE users SET strava_needs_reconnect = TRUE,"
    "       strava_scope_missing = $2 WHERE id = $1");
static const struct db_stmt q_token_stale = DB_STMT("strava_token_stale",
    "UPDATE users SET strava_token_expires_at = LEAST("
    "       strava_token_expires_at, NOW() AT TIME ZONE 'UTC') WHERE id = $1");

int
db_strava_tokens(struct db *db, const char *user_id, bool lock,
    struct db_strava_tokens *t)
{
	PGresult *r;

	memset(t, 0, sizeof(*t));
	if ((r = db_exec(db, lock ? &q_tokens_lock : &q_tokens, 1,
	    &user_id)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		t->found = true;
		t->has_tokens = !db_null(r, 0, TK_ACCESS) &&
		    !db_null(r, 0, TK_REFRESH);
		snprintf(t->access, sizeof(t->access), "%s",
		    db_val(r, 0, TK_ACCESS));
		snprintf(t->refresh, sizeof(t->refresh), "%s",
		    db_val(r, 0, TK_REFRESH));
		t->expires_at = db_long(r, 0, TK_EXPIRES);
		t->athlete_id = db_long(r, 0, TK_ATHLETE);
		snprintf(t->scope, sizeof(t->scope), "%s",
		    db_val(r, 0, TK_SCOPE));
		t->needs_reconnect = db_bool(r, 0, TK_BROKEN);
		snprintf(t->scope_missing, sizeof(t->scope_missing), "%s",
		    db_val(r, 0, TK_SCOPE_MISSING));
	}
	PQclear(r);
	return 0;
}

int
db_strava_tokens_store(struct db *db, const char *user_id,
    const char *sealed_access, const char *sealed_refresh, int64_t expires_at)
{
	char		 exp[24];
	const char	*p[4] = { user_id, sealed_access, sealed_refresh, exp };

	snprintf(exp, sizeof(exp), "%" PRId64, expires_at);
	return db_run(db, &q_store, 4, p) == 1 ? 0 : -1;
}

int
db_strava_broken(struct db *db, const char *user_id)
{
	return db_run(db, &q_broken, 1, &user_id) == 1 ? 0 : -1;
}

int
db_strava_needs_scope(struct db *db, const char *user_id, const char *scope)
{
	const char *p[2] = { user_id, scope };

	return db_run(db, &q_needs_scope, 2, p) == 1 ? 0 : -1;
}

int
db_strava_token_stale(struct db *db, const char *user_id)
{
	return db_run(db, &q_token_stale, 1, &user_id) < 0 ? -1 : 0;
}

/* ---- link and unlink ----------------------------------------------------- */

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
    " WHERE a.user_id = $1 AND a.source = 'strava'");
enum { AW_WORKOUT, AW__MAX };
/* Runs that were also uploaded as files stay, as file runs (sql/024). */
static const struct db_stmt q_keep_files = DB_STMT("strava_keep_file_runs",
    "SELECT activity_keep_file_runs($1, 'strava')");
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

enum db_link_result
db_strava_link(struct db *db, const char *user_id,
    const struct db_strava_link *l)
{
	char		 aid[24];
	const char	*taken[2] = { aid, user_id };
	const char	*p[4] = { user_id, aid, l->scope, l->athlete_name };
	int		 n;

	snprintf(aid, sizeof(aid), "%" PRId64, l->athlete_id);
	if (db_begin(db) == -1 ||
	    (n = db_exists(db, &q_taken, 2, taken)) == -1)
		goto fail;
	if (n == 1) {
		db_rollback(db);
		return DB_LINK_TAKEN;
	}
	if (db_run(db, &q_link, 4, p) != 1) {
		if (db_unique_violation(db)) {	/* lost a race for it */
			db_rollback(db);
			return DB_LINK_TAKEN;
		}
		goto fail;
	}
	if (db_strava_tokens_store(db, user_id, l->sealed_access,
	    l->sealed_refresh, l->expires_at) == -1 ||
	    db_import_enqueue(db, user_id) == -1 || db_commit(db) == -1)
		goto fail;
	return DB_LINK_OK;
fail:
	db_rollback(db);
	return DB_LINK_ERROR;
}

int
db_strava_unlink(struct db *db, const char *user_id)
{
	const char	*p[1] = { user_id };
	PGresult	*r = NULL;
	int		 i;

	if (db_begin(db) == -1 || (r = db_exec(db, &q_affected, 1, p)) == NULL ||
	    strava_keep_done(db, user_id) < 0 ||	/* done stays done */
	    db_exists(db, &q_keep_files, 1, p) < 0 ||
	    db_run(db, &q_drop_activities, 1, p) < 0 ||
	    db_run(db, &q_unlink, 1, p) < 0 ||
	    db_import_drop(db, user_id) == -1)
		goto fail;
	for (i = 0; i < PQntuples(r); i++)
		if (workouts_refresh_state(db, db_val(r, i, AW_WORKOUT)) == -1)
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

/*
 * Only what a reconnect needs stays: the athlete id, so reconnecting finds
 * the same account (docs/operations.md, retention).  This UPDATE takes
 * the runner's row first, as strava_keep_done() wants.
 */
static const struct db_stmt q_forget_tokens = DB_STMT("job_forget_tokens",
    "UPDATE users SET strava_access_token = NULL,"
    "       strava_refresh_token = NULL, strava_token_expires_at = NULL,"
    "       strava_athlete_name = NULL, strava_scope = NULL,"
    "       strava_connected_at = NULL, strava_scope_missing = NULL"
    " WHERE id = $1");

long
db_strava_deauthorized(struct db *db, const char *user_id)
{
	if (db_run(db, &q_forget_tokens, 1, &user_id) < 0 ||
	    strava_keep_done(db, user_id) < 0 ||	/* done stays done */
	    db_exists(db, &q_keep_files, 1, &user_id) < 0)
		return -1;
	return db_run(db, &q_drop_activities, 1, &user_id);
}

/* ---- status -------------------------------------------------------------- */

/* One query: the link, its health and the import's progress. */
static const struct db_stmt q_status = DB_STMT("strava_status",
    "SELECT u.strava_athlete_id IS NOT NULL AND u.strava_access_token"
    "       IS NOT NULL,"
    "       COALESCE(u.strava_athlete_name, ''), u.strava_athlete_id,"
    "       u.strava_needs_reconnect OR (u.strava_athlete_id IS NOT NULL"
    "        AND u.strava_access_token IS NULL),"
    "       i.status IN ('pending', 'running'), i.done, GREATEST(i.total, i.done)"
    "  FROM users u LEFT JOIN strava_imports i ON i.user_id = u.id"
    " WHERE u.id = $1");
enum { SS_CONNECTED, SS_NAME, SS_ATHLETE, SS_RECONNECT, SS_IMPORTING,
	SS_DONE, SS_TOTAL, SS__MAX };

int
db_strava_status(struct db *db, const char *user_id,
    struct db_strava_status *s)
{
	PGresult	*r;
	int		 found;

	memset(s, 0, sizeof(*s));
	if ((r = db_exec(db, &q_status, 1, &user_id)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		s->linked = !db_null(r, 0, SS_ATHLETE);
		snprintf(s->athlete_name, sizeof(s->athlete_name), "%s",
		    db_val(r, 0, SS_NAME));
		s->athlete_id = db_long(r, 0, SS_ATHLETE);
		s->needs_reconnect = db_bool(r, 0, SS_RECONNECT);
		s->importing = db_bool(r, 0, SS_IMPORTING);
		s->import_done = db_long(r, 0, SS_DONE);
		s->import_total = db_long(r, 0, SS_TOTAL);
	}
	PQclear(r);
	return found;
}
