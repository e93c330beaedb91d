/* garmin: see garmin.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/activity_detail.h"
#include "db/activity_files.h"
#include "db/db.h"
#include "db/garmin.h"
#include "db/workouts.h"
#include "domain/date.h"

/* ---- tokens -------------------------------------------------------------- */

#define TOKEN_COLUMNS \
    "garmin_user_id IS NOT NULL, needs_reconnect," \
    " COALESCE(garmin_user_id, ''), COALESCE(access_token, '')," \
    " COALESCE(refresh_token, '')," \
    " COALESCE(extract(epoch FROM expires_at)::bigint, 0), permissions"

static const struct db_stmt q_tokens = DB_STMT("garmin_tokens_get",
    "SELECT " TOKEN_COLUMNS " FROM garmin_connections WHERE user_id = $1");
static const struct db_stmt q_tokens_lock = DB_STMT("garmin_tokens_lock",
    "SELECT " TOKEN_COLUMNS " FROM garmin_connections WHERE user_id = $1"
    " FOR UPDATE");
enum { TK_CONNECTED, TK_BROKEN, TK_GUSER, TK_ACCESS, TK_REFRESH, TK_EXPIRES,
	TK_PERMS, TK__MAX };
/* Only a connected row takes tokens: a disconnect in between wins. */
static const struct db_stmt q_store = DB_STMT("garmin_tokens_store",
    "UPDATE garmin_connections SET access_token = $2, refresh_token = $3,"
    "       expires_at = to_timestamp($4), refresh_expires_at ="
    "       to_timestamp($5), needs_reconnect = FALSE"
    " WHERE user_id = $1 AND garmin_user_id IS NOT NULL");
static const struct db_stmt q_broken = DB_STMT("garmin_tokens_broken",
    "UPDATE garmin_connections SET needs_reconnect = TRUE"
    " WHERE user_id = $1");

int
db_garmin_tokens(struct db *db, const char *user_id, bool lock,
    struct db_garmin_tokens *t)
{
	PGresult	*r;
	int		 found;

	memset(t, 0, sizeof(*t));
	if ((r = db_exec(db, lock ? &q_tokens_lock : &q_tokens, 1,
	    &user_id)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		t->connected = db_bool(r, 0, TK_CONNECTED);
		t->needs_reconnect = db_bool(r, 0, TK_BROKEN);
		snprintf(t->garmin_user_id, sizeof(t->garmin_user_id), "%s",
		    db_val(r, 0, TK_GUSER));
		snprintf(t->access, sizeof(t->access), "%s",
		    db_val(r, 0, TK_ACCESS));
		snprintf(t->refresh, sizeof(t->refresh), "%s",
		    db_val(r, 0, TK_REFRESH));
		t->expires_at = db_long(r, 0, TK_EXPIRES);
		snprintf(t->permissions, sizeof(t->permissions), "%s",
		    db_val(r, 0, TK_PERMS));
	}
	PQclear(r);
	return found;
}

int
db_garmin_tokens_store(struct db *db, const char *user_id,
    const char *sealed_access, const char *sealed_refresh, int64_t expires_at,
    int64_t refresh_expires_at)
{
	char		 exp[24], rexp[24];
	const char	*p[5] = { user_id, sealed_access, sealed_refresh, exp,
			    rexp };

	snprintf(exp, sizeof(exp), "%" PRId64, expires_at);
	snprintf(rexp, sizeof(rexp), "%" PRId64, refresh_expires_at);
	return db_run(db, &q_store, 5, p) == 1 ? 0 : -1;
}

int
db_garmin_broken(struct db *db, const char *user_id)
{
	return db_run(db, &q_broken, 1, &user_id) < 0 ? -1 : 0;
}

/* ---- link and unlink ----------------------------------------------------- */

static const struct db_stmt q_taken = DB_STMT("garmin_user_taken",
    "SELECT 1 FROM garmin_connections"
    " WHERE garmin_user_id = $1 AND user_id <> $2");
static const struct db_stmt q_link = DB_STMT("garmin_link",
    "INSERT INTO garmin_connections (user_id, garmin_user_id, access_token,"
    "       refresh_token, expires_at, refresh_expires_at, scope,"
    "       permissions, connected_at)"
    " VALUES ($1, $2, $3, $4, to_timestamp($5), to_timestamp($6), $7, $8,"
    "         NOW())"
    " ON CONFLICT (user_id) DO UPDATE SET garmin_user_id = $2,"
    "       access_token = $3, refresh_token = $4,"
    "       expires_at = to_timestamp($5), refresh_expires_at ="
    "       to_timestamp($6), scope = $7, permissions = $8,"
    "       needs_reconnect = FALSE, connected_at = NOW(),"
    "       disconnected_at = NULL");
/* A new link publishes the plan's next workouts (sql/023). */
static const struct db_stmt q_publish_now = DB_STMT("garmin_publish_now",
    "SELECT garmin_publish_enqueue($1)");
/* ... and asks for the history (garmin/jobs.h, garmin.backfill). */
static const struct db_stmt q_backfill = DB_STMT("garmin_backfill_queue",
    "INSERT INTO jobs (kind, user_id, dedup_key)"
    " SELECT 'garmin.backfill', u.id, u.id::text FROM users u"
    "  WHERE u.id = $1"
    " ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'"
    "   AND dedup_key IS NOT NULL DO NOTHING");
static const struct db_stmt q_drop_published = DB_STMT(
    "garmin_drop_published", "DELETE FROM garmin_published WHERE user_id = $1");
static const struct db_stmt q_affected = DB_STMT("garmin_affected_workouts",
    "SELECT DISTINCT c.workout_id FROM workout_completions c"
    "  JOIN strava_activities a ON a.id = c.strava_activity_id"
    " WHERE a.user_id = $1 AND a.source = 'garmin'");
enum { AW_WORKOUT, AW__MAX };
/* Runs that were also uploaded as files stay, as file runs (sql/024). */
static const struct db_stmt q_keep_files = DB_STMT("garmin_keep_file_runs",
    "SELECT activity_keep_file_runs($1, 'garmin')");
static const struct db_stmt q_drop_activities = DB_STMT(
    "garmin_drop_activities",
    "DELETE FROM strava_activities WHERE user_id = $1 AND source = 'garmin'");
static const struct db_stmt q_drop_sources = DB_STMT("garmin_drop_sources",
    "DELETE FROM activity_sources s USING strava_activities a"
    " WHERE a.id = s.activity_id AND a.user_id = $1 AND s.source = 'garmin'");
static const struct db_stmt q_unlink = DB_STMT("garmin_unlink",
    "UPDATE garmin_connections SET garmin_user_id = NULL,"
    "       access_token = NULL, refresh_token = NULL, expires_at = NULL,"
    "       refresh_expires_at = NULL, scope = '', permissions = '',"
    "       needs_reconnect = FALSE, disconnected_at = NOW()"
    " WHERE user_id = $1 AND garmin_user_id IS NOT NULL");

enum db_garmin_link_result
db_garmin_link(struct db *db, const char *user_id,
    const struct db_garmin_link *l)
{
	char		 exp[24], rexp[24];
	const char	*taken[2] = { l->garmin_user_id, user_id };
	const char	*p[8] = { user_id, l->garmin_user_id, l->sealed_access,
			    l->sealed_refresh, exp, rexp, l->scope,
			    l->permissions };
	int		 n;

	snprintf(exp, sizeof(exp), "%" PRId64, l->expires_at);
	snprintf(rexp, sizeof(rexp), "%" PRId64, l->refresh_expires_at);
	if (db_begin(db) == -1 ||
	    (n = db_exists(db, &q_taken, 2, taken)) == -1)
		goto fail;
	if (n == 1) {
		db_rollback(db);
		return DB_GARMIN_LINK_TAKEN;
	}
	if (db_run(db, &q_link, 8, p) != 1) {
		if (db_unique_violation(db)) {	/* lost a race for it */
			db_rollback(db);
			return DB_GARMIN_LINK_TAKEN;
		}
		goto fail;
	}
	if (db_run(db, &q_publish_now, 1, p) < 0 ||
	    db_run(db, &q_backfill, 1, p) < 0 || db_commit(db) == -1)
		goto fail;
	return DB_GARMIN_LINK_OK;
fail:
	db_rollback(db);
	return DB_GARMIN_LINK_ERROR;
}

long
db_garmin_unlink(struct db *db, const char *user_id)
{
	const char	*p[1] = { user_id };
	PGresult	*r = NULL;
	long		 n;
	int		 i;

	if (db_begin(db) == -1 || (r = db_exec(db, &q_affected, 1, p)) == NULL ||
	    db_run(db, &q_drop_sources, 1, p) < 0 ||
	    db_exists(db, &q_keep_files, 1, p) < 0 ||
	    (n = db_run(db, &q_drop_activities, 1, p)) < 0 ||
	    db_run(db, &q_drop_published, 1, p) < 0 ||
	    db_run(db, &q_unlink, 1, p) < 0)
		goto fail;
	for (i = 0; i < PQntuples(r); i++)
		if (workouts_refresh_state(db, db_val(r, i, AW_WORKOUT)) == -1)
			goto fail;
	if (db_commit(db) == -1)
		goto fail;
	PQclear(r);
	return n;
fail:
	db_rollback(db);
	PQclear(r);
	return -1;
}

static const struct db_stmt q_runner = DB_STMT("garmin_runner_by_user",
    "SELECT user_id FROM garmin_connections WHERE garmin_user_id = $1");
enum { RU_ID, RU__MAX };

int
db_garmin_runner(struct db *db, const char *garmin_user_id, char user_id[40])
{
	PGresult	*r;
	int		 found;

	if ((r = db_exec(db, &q_runner, 1, &garmin_user_id)) == NULL)
		return -1;
	if ((found = PQntuples(r) > 0))
		snprintf(user_id, 40, "%s", db_val(r, 0, RU_ID));
	PQclear(r);
	return found;
}

static const struct db_stmt q_perms = DB_STMT("garmin_permissions_set",
    "UPDATE garmin_connections SET permissions = $2"
    " WHERE user_id = $1 AND garmin_user_id IS NOT NULL");
static const struct db_stmt q_synced = DB_STMT("garmin_synced",
    "UPDATE garmin_connections SET last_sync_at = NOW() WHERE user_id = $1");

int
db_garmin_permissions_set(struct db *db, const char *user_id,
    const char *permissions)
{
	const char *p[2] = { user_id, permissions };

	/* Workout import granted now: publish (the function checks). */
	return db_run(db, &q_perms, 2, p) < 0 ||
	    db_run(db, &q_publish_now, 1, p) < 0 ? -1 : 0;
}

int
db_garmin_synced(struct db *db, const char *user_id)
{
	return db_run(db, &q_synced, 1, &user_id) < 0 ? -1 : 0;
}

/* ---- runs ---------------------------------------------------------------- */

/* The runner's time zone, as their pages use it ('UTC' without one). */
#define RUNNER_TZ \
    "COALESCE((SELECT timezone FROM athlete_profiles WHERE user_id = $1)," \
    " 'UTC')"

static const struct db_stmt q_known = DB_STMT("garmin_run_known",
    "SELECT 1 FROM strava_activities"
    " WHERE user_id = $1 AND garmin_summary_id = $2"
    " UNION ALL"
    " SELECT 1 FROM activity_sources s"
    "   JOIN strava_activities a ON a.id = s.activity_id"
    "  WHERE a.user_id = $1 AND s.source = 'garmin' AND s.detail = $2");
static const struct db_stmt q_insert = DB_STMT("garmin_run_insert",
    "INSERT INTO strava_activities (user_id, source, garmin_summary_id,"
    "        name, sport_type, distance, moving_time, elapsed_time,"
    "        average_speed, average_heartrate, start_date_local,"
    "        start_date, timezone, total_elevation_gain)"
    " SELECT u.id, 'garmin', $2, $3, $4, $5::int, $6::int, $7::int,"
    "        CASE WHEN $6::int > 0 THEN round($5::numeric / $6::int, 2) END,"
    "        $8::numeric, to_timestamp($9) AT TIME ZONE " RUNNER_TZ ","
    "        to_timestamp($9) AT TIME ZONE 'UTC', " RUNNER_TZ ","
    "        $10::numeric"
    "   FROM users u WHERE u.id = $1"
    " RETURNING id, start_date_local::date::text");
enum { GI_ID, GI_DATE };

int
db_garmin_run_known(struct db *db, const char *user_id,
    const char *summary_id)
{
	const char *p[2] = { user_id, summary_id };

	return db_exists(db, &q_known, 2, p);
}

int
db_garmin_run_insert(struct db *db, const char *user_id,
    const struct db_garmin_run *g, char id_out[40], date_t *local)
{
	char		 dist[16], mov[16], ela[16], hr[32], start[24], gain[32];
	const char	*p[10] = { user_id, g->summary_id, g->name,
			    g->sport_type, dist, mov, ela, NULL, start, NULL };
	PGresult	*r;
	int		 rc = -1;

	snprintf(dist, sizeof(dist), "%d", g->distance_m);
	snprintf(mov, sizeof(mov), "%d", g->moving_s);
	snprintf(ela, sizeof(ela), "%d", g->elapsed_s);
	snprintf(hr, sizeof(hr), "%.2f", g->average_hr);
	snprintf(start, sizeof(start), "%" PRId64, g->start_epoch);
	snprintf(gain, sizeof(gain), "%.2f", g->elevation_gain);
	if (g->average_hr > 0)
		p[7] = hr;
	if (g->elevation_gain >= 0)
		p[9] = gain;
	if ((r = db_exec(db, &q_insert, 10, p)) == NULL)
		return -1;
	if (PQntuples(r) == 0)		/* kept as a copy (sql/026) */
		rc = 1;
	else if (date_parse(db_val(r, 0, GI_DATE), local)) {
		snprintf(id_out, 40, "%s", db_val(r, 0, GI_ID));
		rc = 0;
	}
	PQclear(r);
	return rc;
}

/* ---- activity details ---------------------------------------------------- */

static const struct db_stmt q_details_row = DB_STMT("garmin_details_row",
    "SELECT id, start_date_local::date::text FROM strava_activities"
    " WHERE user_id = $1 AND source = 'garmin' AND garmin_summary_id = $2");
enum { DR_ID, DR_DATE };
static const struct db_stmt q_details_store = DB_STMT("garmin_details_store",
    "UPDATE strava_activities SET summary_polyline = $3, splits = $4::jsonb,"
    "       total_elevation_gain = COALESCE(total_elevation_gain,"
    "                                       $5::numeric),"
    "       updated_at = NOW()"
    " WHERE id = $2 AND user_id = $1 AND source = 'garmin'");

int
db_garmin_details_row(struct db *db, const char *user_id,
    const char *summary_id, char id_out[40], date_t *local)
{
	const char	*p[2] = { user_id, summary_id };
	PGresult	*r;
	int		 found;

	if ((r = db_exec(db, &q_details_row, 2, p)) == NULL)
		return -1;
	found = PQntuples(r) == 1 && date_parse(db_val(r, 0, DR_DATE), local);
	if (found)
		snprintf(id_out, 40, "%s", db_val(r, 0, DR_ID));
	PQclear(r);
	return found;
}

int
db_garmin_details_store(struct db *db, const char *user_id,
    const char *activity_id, const struct db_garmin_details *d)
{
	char		 climb[32];
	char		*splits = activity_splits_json(d->splits);
	const char	*p[5] = { user_id, activity_id, d->polyline, splits,
			    d->climb_m >= 0 ? climb : NULL };
	int		 n;

	snprintf(climb, sizeof(climb), "%.2f", d->climb_m);
	n = db_run(db, &q_details_store, 5, p);
	free(splits);
	if (n != 1)
		return n < 0 ? -1 : 0;
	return activity_files_laps_replace(db, user_id, activity_id,
	    d->splits) == -1 ? -1 : 1;
}

/* ---- workouts out -------------------------------------------------------- */

static const struct db_stmt q_upcoming = DB_STMT("garmin_upcoming",
    "SELECT w.id, w.scheduled_date::text, w.workout_type, w.distance,"
    "       COALESCE(w.pace_fast, 0), COALESCE(w.pace_slow, 0), w.description"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND p.is_active"
    "   AND COALESCE(w.manual_status, '') <> 'skipped'"
    "   AND w.scheduled_date >= (NOW() AT TIME ZONE " RUNNER_TZ ")::date"
    "   AND w.scheduled_date < (NOW() AT TIME ZONE " RUNNER_TZ ")::date + "
    DB_GARMIN_PUBLISH_DAYS
    " ORDER BY w.scheduled_date, w.id");
enum { UP_ID, UP_DATE, UP_TYPE, UP_DIST, UP_FAST, UP_SLOW, UP_DESC, UP__MAX };
static const struct db_stmt q_published = DB_STMT("garmin_published_list",
    "SELECT workout_id, garmin_workout_id, scheduled_date::text,"
    "       content_hash,"
    "       scheduled_date < (NOW() AT TIME ZONE " RUNNER_TZ ")::date"
    "  FROM garmin_published WHERE user_id = $1 ORDER BY workout_id");
enum { PB_WORKOUT, PB_GARMIN, PB_DATE, PB_HASH, PB_PAST, PB__MAX };
static const struct db_stmt q_published_save = DB_STMT("garmin_published_save",
    "INSERT INTO garmin_published (user_id, workout_id, garmin_workout_id,"
    "        garmin_schedule_id, scheduled_date, content_hash)"
    " VALUES ($1, $2, $3, $4, $5::date, $6)"
    " ON CONFLICT (user_id, workout_id) DO UPDATE SET"
    "   garmin_workout_id = $3, garmin_schedule_id = $4,"
    "   scheduled_date = $5::date, content_hash = $6, published_at = NOW()");
static const struct db_stmt q_published_drop = DB_STMT("garmin_published_drop",
    "DELETE FROM garmin_published WHERE user_id = $1 AND workout_id = $2");
static const struct db_stmt q_publish_result = DB_STMT("garmin_publish_result",
    "UPDATE garmin_connections SET publish_error = $2::text,"
    "       published_at = CASE WHEN $2::text IS NULL THEN NOW()"
    "                      ELSE published_at END"
    " WHERE user_id = $1");

int
db_garmin_upcoming(struct db *db, arena_t *a, const char *user_id,
    struct db_garmin_upcoming **out)
{
	PGresult	*r;
	int		 i, n;

	if ((r = db_exec(db, &q_upcoming, 1, &user_id)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n > 0 ? n : 1));
	for (i = 0; i < n; i++) {
		struct db_garmin_upcoming *u = &(*out)[i];

		u->workout_id = db_strdup(a, r, i, UP_ID);
		u->date = db_strdup(a, r, i, UP_DATE);
		u->type = db_strdup(a, r, i, UP_TYPE);
		u->distance_m = (int)db_long(r, i, UP_DIST);
		u->pace_fast = (int)db_long(r, i, UP_FAST);
		u->pace_slow = (int)db_long(r, i, UP_SLOW);
		u->description = db_null(r, i, UP_DESC) ? NULL :
		    db_strdup(a, r, i, UP_DESC);
	}
	PQclear(r);
	return n;
}

int
db_garmin_published_list(struct db *db, arena_t *a, const char *user_id,
    struct db_garmin_published **out)
{
	PGresult	*r;
	int		 i, n;

	if ((r = db_exec(db, &q_published, 1, &user_id)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n > 0 ? n : 1));
	for (i = 0; i < n; i++) {
		struct db_garmin_published *p = &(*out)[i];

		p->workout_id = db_strdup(a, r, i, PB_WORKOUT);
		p->garmin_workout_id = db_long(r, i, PB_GARMIN);
		p->date = db_strdup(a, r, i, PB_DATE);
		p->hash = db_strdup(a, r, i, PB_HASH);
		p->past = db_bool(r, i, PB_PAST);
	}
	PQclear(r);
	return n;
}

int
db_garmin_published_save(struct db *db, const char *user_id,
    const char *workout_id, int64_t garmin_workout_id,
    int64_t garmin_schedule_id, const char *date, const char *hash)
{
	char		 gw[24], gs[24];
	const char	*p[6] = { user_id, workout_id, gw,
			    garmin_schedule_id > 0 ? gs : NULL, date, hash };

	snprintf(gw, sizeof(gw), "%" PRId64, garmin_workout_id);
	snprintf(gs, sizeof(gs), "%" PRId64, garmin_schedule_id);
	return db_run(db, &q_published_save, 6, p) == 1 ? 0 : -1;
}

int
db_garmin_published_drop(struct db *db, const char *user_id,
    const char *workout_id)
{
	const char *p[2] = { user_id, workout_id };

	return db_run(db, &q_published_drop, 2, p) < 0 ? -1 : 0;
}

int
db_garmin_publish_result(struct db *db, const char *user_id,
    const char *error)
{
	const char *p[2] = { user_id, error };

	return db_run(db, &q_publish_result, 2, p) < 0 ? -1 : 0;
}

/* ---- status -------------------------------------------------------------- */

static const struct db_stmt q_status = DB_STMT("garmin_status",
    "SELECT garmin_user_id IS NOT NULL, needs_reconnect,"
    "       COALESCE(garmin_user_id, ''), permissions,"
    "       COALESCE(to_char(connected_at AT TIME ZONE 'UTC',"
    "                'YYYY-MM-DD HH24:MI'), ''),"
    "       COALESCE(to_char(last_sync_at AT TIME ZONE 'UTC',"
    "                'YYYY-MM-DD HH24:MI'), ''),"
    "       COALESCE(to_char(published_at AT TIME ZONE 'UTC',"
    "                'YYYY-MM-DD HH24:MI'), ''), COALESCE(publish_error, '')"
    "  FROM garmin_connections WHERE user_id = $1");
enum { GS_CONNECTED, GS_BROKEN, GS_GUSER, GS_PERMS, GS_CONNECTED_AT,
	GS_SYNCED_AT, GS_PUBLISHED_AT, GS_PUBLISH_ERROR, GS__MAX };

int
db_garmin_status(struct db *db, const char *user_id,
    struct db_garmin_status *s)
{
	PGresult	*r;
	int		 found;

	memset(s, 0, sizeof(*s));
	if ((r = db_exec(db, &q_status, 1, &user_id)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		s->connected = db_bool(r, 0, GS_CONNECTED);
		s->needs_reconnect = db_bool(r, 0, GS_BROKEN);
		snprintf(s->garmin_user_id, sizeof(s->garmin_user_id), "%s",
		    db_val(r, 0, GS_GUSER));
		snprintf(s->permissions, sizeof(s->permissions), "%s",
		    db_val(r, 0, GS_PERMS));
		snprintf(s->connected_at, sizeof(s->connected_at), "%s",
		    db_val(r, 0, GS_CONNECTED_AT));
		snprintf(s->last_sync_at, sizeof(s->last_sync_at), "%s",
		    db_val(r, 0, GS_SYNCED_AT));
		snprintf(s->published_at, sizeof(s->published_at), "%s",
		    db_val(r, 0, GS_PUBLISHED_AT));
		snprintf(s->publish_error, sizeof(s->publish_error), "%s",
		    db_val(r, 0, GS_PUBLISH_ERROR));
	}
	PQclear(r);
	return found;
}
