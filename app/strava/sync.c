/*
 * sync: see sync.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/workout_state.h"
#include "domain/match.h"
#include "strava/sync.h"

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

/* The active plan's workouts of the window. */
static const struct db_stmt q_workouts = DB_STMT("sync_workouts",
    "SELECT w.id, w.scheduled_date::text, w.distance, w.workout_type,"
    "       COALESCE(w.manual_status, '')"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND p.is_active"
    "   AND w.scheduled_date BETWEEN $2::date AND $3::date");
static const struct db_stmt q_activities = DB_STMT("sync_activities",
    "SELECT id, start_date_local::date::text, sport_type, distance,"
    "       moving_time"
    "  FROM strava_activities"
    " WHERE user_id = $1 AND start_date_local >= $2::date"
    "   AND start_date_local < $3::date + 1");
/*
 * Pairs touching the window.  An auto pair counts as "current" only when
 * both ends are in the window (col 3); any other pair locks its ends like
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
static const struct db_stmt q_unmatches = DB_STMT("sync_unmatches",
    "SELECT u.workout_id, u.strava_activity_id"
    "  FROM workout_unmatches u"
    "  JOIN workouts w ON w.id = u.workout_id"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND w.scheduled_date BETWEEN $2::date AND $3::date");
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
 * a deletion (the formula of db/workout_state.c, used only to find them).
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

static const struct db_stmt q_remove_activity = DB_STMT(
    "sync_remove_activity",
    "DELETE FROM strava_activities"
    " WHERE strava_activity_id = $1 AND user_id = $2");

/* ---- upsert ------------------------------------------------------------ */

static void
fmt_double(char *out, size_t len, bool present, double v)
{
	if (present)
		snprintf(out, len, "%.2f", v);
}

/* One activity; *old_date is set when it was stored on another date. */
static int
upsert_one(struct db *db, const char *user_id, const struct strava_activity *a,
    const char *raw, struct sync_stats *st, date_t *lo, date_t *hi,
    bool *updated_out, char id_out[40])
{
	char		 sid[24], dist[24], mov[16], ela[16], spd[32], hr[32];
	char		 start[24], elev[32];
	const char	*p[UPSERT_COLUMNS];
	PGresult	*r;
	date_t		 old;

	snprintf(sid, sizeof(sid), "%" PRId64, a->id);
	snprintf(dist, sizeof(dist), "%" PRId64, a->distance_m);
	snprintf(mov, sizeof(mov), "%" PRId32, a->moving_time_s);
	snprintf(ela, sizeof(ela), "%" PRId32, a->elapsed_time_s);
	spd[0] = hr[0] = elev[0] = '\0';
	fmt_double(spd, sizeof(spd), a->average_speed > 0, a->average_speed);
	fmt_double(hr, sizeof(hr), a->has_heartrate, a->average_heartrate);
	fmt_double(elev, sizeof(elev), a->has_elevation,
	    a->total_elevation_gain);
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
	p[11] = raw;
	p[12] = start;
	p[13] = a->timezone[0] ? a->timezone : NULL;
	p[14] = elev[0] ? elev : NULL;
	p[15] = a->is_private ? "true" : "false";
	p[16] = a->summary_polyline;
	if ((r = db_exec(db, &q_upsert, UPSERT_COLUMNS, p)) == NULL)
		return -1;
	*updated_out = false;
	if (PQntuples(r) == 0) {
		/* The id belongs to another runner's row: never touched. */
		st->foreign++;
		PQclear(r);
		return 0;
	}
	snprintf(id_out, 40, "%s", db_val(r, 0, 0));
	st->stored++;
	if (db_bool(r, 0, 1))
		st->inserted++;
	else
		*updated_out = true;
	if (!db_null(r, 0, 2) && date_parse(db_val(r, 0, 2), &old)) {
		if (old < *lo)
			*lo = old;
		if (old > *hi)
			*hi = old;
	}
	PQclear(r);
	if (a->local_date < *lo)
		*lo = a->local_date;
	if (a->local_date > *hi)
		*hi = a->local_date;
	return 0;
}

int
sync_activities(struct db *db, const char *user_id,
    const struct strava_activity *acts, const char *const *raw, size_t n,
    struct sync_stats *st)
{
	date_t	  lo = INT32_MAX, hi = INT32_MIN;
	char	(*updated)[40] = xcalloc(n + 1, 40);
	size_t	  i, nupd = 0;
	bool	  upd;
	int	  rc = -1;

	for (i = 0; i < n; i++) {
		if (upsert_one(db, user_id, &acts[i], raw != NULL ? raw[i] :
		    NULL, st, &lo, &hi, &upd, updated[nupd]) == -1)
			goto out;
		if (upd)
			nupd++;
	}
	if (lo <= hi && sync_rematch(db, user_id, lo, hi, st) == -1)
		goto out;
	/* An edited time or distance changes completed_at of kept pairs. */
	for (i = 0; i < nupd; i++)
		if (workout_state_refresh_for_activity(db, updated[i]) == -1)
			goto out;
	rc = 0;
out:
	free(updated);
	return rc;
}

/* ---- matching ------------------------------------------------------------ */

struct window {
	PGresult		*wr, *ar, *pr, *ur;
	struct match_workout	*works;
	struct match_activity	*acts;
	struct match_pair	*current, *manual, *unmatched;
	size_t			 nworks, nacts, ncurrent, nmanual, nunmatched;
};

static void
window_free(struct window *w)
{
	PQclear(w->wr);
	PQclear(w->ar);
	PQclear(w->pr);
	PQclear(w->ur);
	free(w->works);
	free(w->acts);
	free(w->current);
	free(w->manual);
	free(w->unmatched);
}

static int
window_load(struct db *db, const char *user_id, date_t from, date_t to,
    struct window *w)
{
	char		 f[11], t[11];
	const char	*p[3] = { user_id, f, t };
	int		 i, n;

	date_format(from, f);
	date_format(to, t);
	if ((w->wr = db_exec(db, &q_workouts, 3, p)) == NULL ||
	    (w->ar = db_exec(db, &q_activities, 3, p)) == NULL ||
	    (w->pr = db_exec(db, &q_pairs, 3, p)) == NULL ||
	    (w->ur = db_exec(db, &q_unmatches, 3, p)) == NULL)
		return -1;

	n = PQntuples(w->wr);
	w->works = xcalloc((size_t)n + 1, sizeof(*w->works));
	for (i = 0; i < n; i++) {
		struct match_workout *mw = &w->works[w->nworks];

		if (!date_parse(db_val(w->wr, i, 1), &mw->date))
			continue;
		mw->id = db_val(w->wr, i, 0);
		mw->planned_m = db_long(w->wr, i, 2);
		mw->type = db_val(w->wr, i, 3);
		mw->done_by_hand = strcmp(db_val(w->wr, i, 4), "done") == 0;
		mw->skipped_by_hand = strcmp(db_val(w->wr, i, 4), "skipped") == 0;
		w->nworks++;
	}
	n = PQntuples(w->ar);
	w->acts = xcalloc((size_t)n + 1, sizeof(*w->acts));
	for (i = 0; i < n; i++) {
		struct match_activity *ma = &w->acts[w->nacts];

		if (!date_parse(db_val(w->ar, i, 1), &ma->date))
			continue;
		ma->id = db_val(w->ar, i, 0);
		ma->sport_type = db_val(w->ar, i, 2);
		ma->distance_m = db_long(w->ar, i, 3);
		ma->moving_s = db_long(w->ar, i, 4);
		w->nacts++;
	}
	n = PQntuples(w->pr);
	w->current = xcalloc((size_t)n + 1, sizeof(*w->current));
	w->manual = xcalloc((size_t)n + 1, sizeof(*w->manual));
	for (i = 0; i < n; i++) {
		struct match_pair pair = { db_val(w->pr, i, 0),
		    db_val(w->pr, i, 1) };

		if (db_bool(w->pr, i, 2) && db_bool(w->pr, i, 3))
			w->current[w->ncurrent++] = pair;
		else
			w->manual[w->nmanual++] = pair;
	}
	n = PQntuples(w->ur);
	w->unmatched = xcalloc((size_t)n + 1, sizeof(*w->unmatched));
	for (i = 0; i < n; i++) {
		w->unmatched[i].workout_id = db_val(w->ur, i, 0);
		w->unmatched[i].activity_id = db_val(w->ur, i, 1);
	}
	w->nunmatched = (size_t)n;
	return 0;
}

static int
apply_pairs(struct db *db, const struct db_stmt *q,
    const struct match_pair *pairs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p[2] = { pairs[i].workout_id, pairs[i].activity_id };

		if (db_run(db, q, 2, p) < 0 ||
		    workout_state_refresh(db, pairs[i].workout_id) == -1)
			return -1;
	}
	return 0;
}

int
sync_rematch(struct db *db, const char *user_id, date_t from, date_t to,
    struct sync_stats *st)
{
	struct window		w;
	struct match_input	in;
	struct match_result	res;
	struct match_diff	diff;
	int			rc = -1;

	memset(&w, 0, sizeof(w));
	if (window_load(db, user_id, from - SYNC_WINDOW_DAYS,
	    to + SYNC_WINDOW_DAYS, &w) == -1)
		goto out;
	memset(&in, 0, sizeof(in));
	in.workouts = w.works;
	in.nworkouts = w.nworks;
	in.activities = w.acts;
	in.nactivities = w.nacts;
	in.manual = w.manual;
	in.nmanual = w.nmanual;
	in.unmatched = w.unmatched;
	in.nunmatched = w.nunmatched;
	in.current = w.current;
	in.ncurrent = w.ncurrent;
	match_run(&in, &res);
	match_diff(w.current, w.ncurrent, res.pairs, res.npairs, &diff);
	/* Removals first: an activity may move to another workout. */
	rc = apply_pairs(db, &q_remove, diff.remove, diff.nremove) == -1 ||
	    apply_pairs(db, &q_add, diff.add, diff.nadd) == -1 ? -1 : 0;
	if (st != NULL) {
		st->added += diff.nadd;
		st->removed += diff.nremove;
	}
	match_diff_free(&diff);
	match_result_free(&res);
out:
	window_free(&w);
	return rc;
}

int
sync_after_delete(struct db *db, const char *user_id)
{
	PGresult	*r;
	date_t		 d;
	int		 i, rc = 0;

	if ((r = db_exec(db, &q_stale, 1, &user_id)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r) && rc == 0; i++) {
		if (workout_state_refresh(db, db_val(r, i, 0)) == -1)
			rc = -1;
		/* Another run of that day may now complete it. */
		else if (date_parse(db_val(r, i, 1), &d))
			rc = sync_rematch(db, user_id, d, d, NULL);
	}
	PQclear(r);
	return rc;
}

int
sync_remove_activity(struct db *db, const char *user_id, int64_t strava_id)
{
	char		 id[24];
	const char	*p[2] = { id, user_id };
	long		 n = -1;

	snprintf(id, sizeof(id), "%" PRId64, strava_id);
	/*
	 * sync_after_delete (not workout_state_refresh_for_activity, which
	 * needs the activity still there): after the cascade it finds the
	 * workouts whose completed_at no longer agrees and re-matches their
	 * days, in this same transaction.
	 */
	if (db_begin(db) == -1 ||
	    (n = db_run(db, &q_remove_activity, 2, p)) < 0 ||
	    (n > 0 && sync_after_delete(db, user_id) == -1) ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return n > 0 ? 1 : 0;
}
