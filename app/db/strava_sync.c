/* strava_sync: see strava_sync.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/strava_sync.h"

#define UPSERT_COLUMNS 17

static const struct db_stmt q_upsert = DB_STMT("sync_upsert",
    "WITH old AS (SELECT start_date_local::date AS d FROM strava_activities"
    "              WHERE strava_activity_id = $2 AND user_id = $1)"
    " INSERT INTO strava_activities (user_id, strava_activity_id, name,"
    "        sport_type, distance, moving_time, elapsed_time, average_speed,"
    "        average_heartrate, start_date_local, is_manual, raw_data,"
    "        start_date, timezone, total_elevation_gain, is_private,"
    "        summary_polyline)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
    "         to_timestamp($13) AT TIME ZONE 'UTC', $14, $15, $16, $17)"
    " ON CONFLICT (strava_activity_id) DO UPDATE SET"
    "   name = EXCLUDED.name, sport_type = EXCLUDED.sport_type,"
    "   distance = EXCLUDED.distance, moving_time = EXCLUDED.moving_time,"
    "   elapsed_time = EXCLUDED.elapsed_time,"
    "   average_speed = EXCLUDED.average_speed,"
    "   average_heartrate = EXCLUDED.average_heartrate,"
    "   start_date_local = EXCLUDED.start_date_local,"
    "   is_manual = EXCLUDED.is_manual,"
    "   raw_data = COALESCE(EXCLUDED.raw_data, strava_activities.raw_data),"
    "   start_date = EXCLUDED.start_date, timezone = EXCLUDED.timezone,"
    "   total_elevation_gain = EXCLUDED.total_elevation_gain,"
    "   is_private = EXCLUDED.is_private,"
    "   summary_polyline = EXCLUDED.summary_polyline"
    " WHERE strava_activities.user_id = EXCLUDED.user_id"
    " RETURNING id, (xmax = 0), (SELECT d::text FROM old)");
enum { UP_ID, UP_INSERTED, UP_OLD_DATE, UP__MAX };

/* The active plan's workouts of the window. */
static const struct db_stmt q_workouts = DB_STMT("sync_workouts",
    "SELECT w.id, w.scheduled_date::text, w.distance, w.workout_type,"
    "       COALESCE(w.manual_status, '')"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND p.is_active"
    "   AND w.scheduled_date BETWEEN $2::date AND $3::date");
enum { SW_ID, SW_DATE, SW_DISTANCE, SW_TYPE, SW_MANUAL, SW__MAX };
static const struct db_stmt q_activities = DB_STMT("sync_activities",
    "SELECT id, start_date_local::date::text, sport_type, distance,"
    "       moving_time"
    "  FROM strava_activities"
    " WHERE user_id = $1 AND start_date_local >= $2::date"
    "   AND start_date_local < $3::date + 1");
enum { SA_ID, SA_DATE, SA_SPORT, SA_DISTANCE, SA_MOVING, SA__MAX };
/*
 * Pairs touching the window.  An auto pair counts as "current" only when
 * both ends are in the window (SP_INSIDE); any other pair locks its ends like
 * a manual one, so the matcher never moves what it cannot see.
 */
static const struct db_stmt q_pairs = DB_STMT("sync_pairs",
    "SELECT c.workout_id, c.strava_activity_id, c.matched_automatically,"
    "       (p.is_active AND w.scheduled_date BETWEEN $2::date AND $3::date"
    "        AND a.start_date_local >= $2::date"
    "        AND a.start_date_local < $3::date + 1)"
    "  FROM workout_completions c"
    "  JOIN strava_activities a ON a.id = c.strava_activity_id"
    "  JOIN workouts w ON w.id = c.workout_id"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE a.user_id = $1 AND p.user_id = $1"
    "   AND ((p.is_active AND w.scheduled_date BETWEEN $2::date AND $3::date)"
    "     OR (a.start_date_local >= $2::date"
    "         AND a.start_date_local < $3::date + 1))");
enum { SP_WORKOUT, SP_ACTIVITY, SP_AUTO, SP_INSIDE, SP__MAX };
static const struct db_stmt q_unmatches = DB_STMT("sync_unmatches",
    "SELECT u.workout_id, u.strava_activity_id"
    "  FROM workout_unmatches u"
    "  JOIN workouts w ON w.id = u.workout_id"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND w.scheduled_date BETWEEN $2::date AND $3::date");
enum { SU_WORKOUT, SU_ACTIVITY, SU__MAX };
static const struct db_stmt q_add = DB_STMT("sync_pair_add",
    "INSERT INTO workout_completions (workout_id, strava_activity_id,"
    "        matched_automatically) VALUES ($1, $2, TRUE)"
    " ON CONFLICT (workout_id, strava_activity_id) DO NOTHING");
static const struct db_stmt q_remove = DB_STMT("sync_pair_remove",
    "DELETE FROM workout_completions"
    " WHERE workout_id = $1 AND strava_activity_id = $2"
    "   AND matched_automatically");
/*
 * Workouts whose completed_at no longer agrees with their completions after
 * a deletion (the formula of db/workouts.c, used only to find them).
 */
static const struct db_stmt q_stale = DB_STMT("sync_stale_workouts",
    "SELECT w.id, w.scheduled_date::text"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND w.manual_status IS NULL"
    "   AND w.completed_at IS DISTINCT FROM"
    "       (SELECT MAX(COALESCE(a.start_date, a.start_date_local)"
    "                   + make_interval(secs => a.elapsed_time))"
    "          FROM workout_completions c"
    "          JOIN strava_activities a ON a.id = c.strava_activity_id"
    "         WHERE c.workout_id = w.id)");
enum { SS_ID, SS_DATE, SS__MAX };

/*
 * A run Strava deleted that another source also delivered stays, from
 * that copy (sql/026); a Strava copy kept under a run shown from another
 * source goes.
 */
/* No row back from the upsert: another runner's id, or kept as a copy. */
static const struct db_stmt q_foreign = DB_STMT("sync_foreign",
    "SELECT 1 FROM strava_activities"
    " WHERE strava_activity_id = $1 AND user_id <> $2");
static const struct db_stmt q_keep_others = DB_STMT("sync_keep_others",
    "SELECT COALESCE(sum(activity_keep_other_copies($2, 'strava', id)), 0)"
    "  FROM strava_activities WHERE strava_activity_id = $1 AND user_id = $2");
static const struct db_stmt q_remove_copy = DB_STMT("sync_remove_copy",
    "DELETE FROM activity_sources s USING strava_activities a"
    " WHERE s.activity_id = a.id AND a.user_id = $2"
    "   AND s.source = 'strava' AND s.detail = $1::bigint::text");
static const struct db_stmt q_remove_activity = DB_STMT(
    "sync_remove_activity",
    "DELETE FROM strava_activities"
    " WHERE strava_activity_id = $1 AND user_id = $2");


static void
fmt_double(char *out, size_t len, bool present, double v)
{
	out[0] = '\0';
	if (present)
		snprintf(out, len, "%.2f", v);
}

int
db_sync_upsert(struct db *db, const char *user_id,
    const struct db_activity_in *a, struct db_upserted *out)
{
	char		 sid[24], dist[24], mov[16], ela[16], spd[32], hr[32];
	char		 start[24], elev[32];
	const char	*p[UPSERT_COLUMNS];
	PGresult	*r;
	int		 stored;

	memset(out, 0, sizeof(*out));
	snprintf(sid, sizeof(sid), "%" PRId64, a->strava_id);
	snprintf(dist, sizeof(dist), "%" PRId64, a->distance_m);
	snprintf(mov, sizeof(mov), "%" PRId32, a->moving_s);
	snprintf(ela, sizeof(ela), "%" PRId32, a->elapsed_s);
	fmt_double(spd, sizeof(spd), a->average_speed > 0, a->average_speed);
	fmt_double(hr, sizeof(hr), a->has_heartrate, a->average_heartrate);
	fmt_double(elev, sizeof(elev), a->has_elevation, a->elevation_gain);
	snprintf(start, sizeof(start), "%" PRId64, a->start_epoch);
	p[0] = user_id;
	p[1] = sid;
	p[2] = a->name;
	p[3] = a->sport_type;
	p[4] = dist;
	p[5] = mov;
	p[6] = ela;
	p[7] = spd[0] ? spd : NULL;
	p[8] = hr[0] ? hr : NULL;
	p[9] = a->start_local;
	p[10] = a->manual ? "true" : "false";
	p[11] = a->raw;
	p[12] = start;
	p[13] = a->timezone != NULL && a->timezone[0] ? a->timezone : NULL;
	p[14] = elev[0] ? elev : NULL;
	p[15] = a->is_private ? "true" : "false";
	p[16] = a->summary_polyline;
	if ((r = db_exec(db, &q_upsert, UPSERT_COLUMNS, p)) == NULL)
		return -1;
	/* No row: another runner's id (never touched), or kept as a copy. */
	if ((stored = PQntuples(r) > 0)) {
		snprintf(out->id, sizeof(out->id), "%s", db_val(r, 0, UP_ID));
		out->inserted = db_bool(r, 0, UP_INSERTED);
		out->moved = !db_null(r, 0, UP_OLD_DATE) &&
		    date_parse(db_val(r, 0, UP_OLD_DATE), &out->old_date);
	}
	PQclear(r);
	if (stored)
		return 1;
	switch (db_exists(db, &q_foreign, 2, (const char *[]){ sid, user_id })) {
	case 1:
		return 0;
	case 0:
		return 2;
	default:
		return -1;
	}
}

/* ---- the matcher's window ------------------------------------------------ */

static void
read_works(arena_t *a, const PGresult *r, struct db_match_window *w)
{
	int i, n = PQntuples(r);

	w->works = arena_alloc(a, ((size_t)n + 1) * sizeof(*w->works));
	for (i = 0; i < n; i++) {
		struct match_workout	*mw = &w->works[w->nworks];
		const char		*manual = db_val(r, i, SW_MANUAL);

		if (!date_parse(db_val(r, i, SW_DATE), &mw->date))
			continue;
		mw->id = arena_strdup(a, db_val(r, i, SW_ID));
		mw->planned_m = db_long(r, i, SW_DISTANCE);
		mw->type = arena_strdup(a, db_val(r, i, SW_TYPE));
		mw->done_by_hand = strcmp(manual, "done") == 0;
		mw->skipped_by_hand = strcmp(manual, "skipped") == 0;
		w->nworks++;
	}
}

static void
read_acts(arena_t *a, const PGresult *r, struct db_match_window *w)
{
	int i, n = PQntuples(r);

	w->acts = arena_alloc(a, ((size_t)n + 1) * sizeof(*w->acts));
	for (i = 0; i < n; i++) {
		struct match_activity *ma = &w->acts[w->nacts];

		if (!date_parse(db_val(r, i, SA_DATE), &ma->date))
			continue;
		ma->id = arena_strdup(a, db_val(r, i, SA_ID));
		ma->sport_type = arena_strdup(a, db_val(r, i, SA_SPORT));
		ma->distance_m = db_long(r, i, SA_DISTANCE);
		ma->moving_s = db_long(r, i, SA_MOVING);
		w->nacts++;
	}
}

static void
read_pairs(arena_t *a, const PGresult *r, struct db_match_window *w)
{
	int i, n = PQntuples(r);

	w->current = arena_alloc(a, ((size_t)n + 1) * sizeof(*w->current));
	w->manual = arena_alloc(a, ((size_t)n + 1) * sizeof(*w->manual));
	for (i = 0; i < n; i++) {
		struct match_pair pair = {
			arena_strdup(a, db_val(r, i, SP_WORKOUT)),
			arena_strdup(a, db_val(r, i, SP_ACTIVITY)) };

		if (db_bool(r, i, SP_AUTO) && db_bool(r, i, SP_INSIDE))
			w->current[w->ncurrent++] = pair;
		else
			w->manual[w->nmanual++] = pair;
	}
}

static void
read_unmatches(arena_t *a, const PGresult *r, struct db_match_window *w)
{
	int i, n = PQntuples(r);

	w->unmatched = arena_alloc(a, ((size_t)n + 1) * sizeof(*w->unmatched));
	for (i = 0; i < n; i++) {
		w->unmatched[i].workout_id = arena_strdup(a,
		    db_val(r, i, SU_WORKOUT));
		w->unmatched[i].activity_id = arena_strdup(a,
		    db_val(r, i, SU_ACTIVITY));
	}
	w->nunmatched = (size_t)n;
}

/* Runs q over the window and reads it with read; 0 or -1. */
static int
window_part(struct db *db, arena_t *a, const struct db_stmt *q,
    const char *const *p, struct db_match_window *w,
    void (*read)(arena_t *, const PGresult *, struct db_match_window *))
{
	PGresult *r;

	if ((r = db_exec(db, q, 3, p)) == NULL)
		return -1;
	read(a, r, w);
	PQclear(r);
	return 0;
}

int
db_sync_window(struct db *db, arena_t *a, const char *user_id, date_t from,
    date_t to, struct db_match_window *w)
{
	char		 f[11], t[11];
	const char	*p[3] = { user_id, f, t };

	memset(w, 0, sizeof(*w));
	date_format(from, f);
	date_format(to, t);
	return window_part(db, a, &q_workouts, p, w, read_works) == -1 ||
	    window_part(db, a, &q_activities, p, w, read_acts) == -1 ||
	    window_part(db, a, &q_pairs, p, w, read_pairs) == -1 ||
	    window_part(db, a, &q_unmatches, p, w, read_unmatches) == -1 ?
	    -1 : 0;
}

int
db_sync_pair_add(struct db *db, const struct match_pair *pair)
{
	const char *p[2] = { pair->workout_id, pair->activity_id };

	return db_run(db, &q_add, 2, p) < 0 ? -1 : 0;
}

int
db_sync_pair_remove(struct db *db, const struct match_pair *pair)
{
	const char *p[2] = { pair->workout_id, pair->activity_id };

	return db_run(db, &q_remove, 2, p) < 0 ? -1 : 0;
}

/* ---- deletions ----------------------------------------------------------- */

int
db_sync_stale(struct db *db, arena_t *a, const char *user_id,
    struct db_stale_workout **out)
{
	PGresult	*r;
	int		 i, n;

	if ((r = db_exec(db, &q_stale, 1, &user_id)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, ((size_t)n + 1) * sizeof(**out));
	for (i = 0; i < n; i++) {
		(*out)[i].id = arena_strdup(a, db_val(r, i, SS_ID));
		(*out)[i].dated = date_parse(db_val(r, i, SS_DATE),
		    &(*out)[i].date);
	}
	PQclear(r);
	return n;
}

long
db_sync_remove_activity(struct db *db, const char *user_id, int64_t strava_id)
{
	char		 id[24];
	const char	*p[2] = { id, user_id };

	PGresult	*r;
	long		 kept, copies, gone;

	snprintf(id, sizeof(id), "%" PRId64, strava_id);
	if ((r = db_exec(db, &q_keep_others, 2, p)) == NULL)
		return -1;
	kept = PQntuples(r) == 1 ? db_long(r, 0, 0) : 0;
	PQclear(r);
	if ((copies = db_run(db, &q_remove_copy, 2, p)) < 0 ||
	    (gone = db_run(db, &q_remove_activity, 2, p)) < 0)
		return -1;
	return kept + copies + gone > 0 ? 1 : 0;
}
