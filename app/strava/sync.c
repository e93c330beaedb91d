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
#include "db/strava_sync.h"
#include "db/workouts.h"
#include "domain/match.h"
#include "strava/sync.h"

/* ---- upsert ------------------------------------------------------------ */

/* One activity; [*lo, *hi] grows to its date and to the one it moved from. */
static int
upsert_one(struct db *db, const char *user_id, const struct strava_activity *a,
    const char *raw, struct sync_stats *st, date_t *lo, date_t *hi,
    bool *updated_out, char id_out[40])
{
	struct db_activity_in	 in = {
		.strava_id = a->id, .name = a->name,
		.sport_type = a->sport_type, .distance_m = a->distance_m,
		.moving_s = a->moving_time_s, .elapsed_s = a->elapsed_time_s,
		.average_speed = a->average_speed,
		.has_heartrate = a->has_heartrate,
		.average_heartrate = a->average_heartrate,
		.has_elevation = a->has_elevation,
		.elevation_gain = a->total_elevation_gain,
		.start_epoch = a->start_epoch, .start_local = a->start_local,
		.timezone = a->timezone, .manual = a->manual,
		.is_private = a->is_private,
		.summary_polyline = a->summary_polyline, .raw = raw,
	};
	struct db_upserted	 out;
	int			 rc;

	*updated_out = false;
	if ((rc = db_sync_upsert(db, user_id, &in, &out)) != 1) {
		if (rc == 0)
			st->foreign++;
		else if (rc == 2)
			st->copies++;
		return rc == -1 ? -1 : 0;
	}
	snprintf(id_out, 40, "%s", out.id);
	st->stored++;
	if (out.inserted)
		st->inserted++;
	else
		*updated_out = true;
	if (out.moved) {
		if (out.old_date < *lo)
			*lo = out.old_date;
		if (out.old_date > *hi)
			*hi = out.old_date;
	}
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
		if (workouts_refresh_state_for_activity(db, updated[i]) == -1)
			goto out;
	rc = 0;
out:
	free(updated);
	return rc;
}

/* ---- matching ------------------------------------------------------------ */

static int
apply_pairs(struct db *db, int (*apply)(struct db *, const struct match_pair *),
    const struct match_pair *pairs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (apply(db, &pairs[i]) == -1 ||
		    workouts_refresh_state(db, pairs[i].workout_id) == -1)
			return -1;
	return 0;
}

int
sync_rematch(struct db *db, const char *user_id, date_t from, date_t to,
    struct sync_stats *st)
{
	struct db_match_window	w;
	struct match_input	in;
	struct match_result	res;
	struct match_diff	diff;
	arena_t			a;
	int			rc = -1;

	arena_init(&a);
	if (db_sync_window(db, &a, user_id, from - SYNC_WINDOW_DAYS,
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
	rc = apply_pairs(db, db_sync_pair_remove, diff.remove,
	    diff.nremove) == -1 || apply_pairs(db, db_sync_pair_add, diff.add,
	    diff.nadd) == -1 ? -1 : 0;
	if (st != NULL) {
		st->added += diff.nadd;
		st->removed += diff.nremove;
	}
	match_diff_free(&diff);
	match_result_free(&res);
out:
	arena_free(&a);
	return rc;
}

int
sync_after_delete(struct db *db, const char *user_id)
{
	struct db_stale_workout	*stale;
	arena_t			 a;
	int			 i, n, rc = 0;

	arena_init(&a);
	if ((n = db_sync_stale(db, &a, user_id, &stale)) == -1)
		rc = -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (workouts_refresh_state(db, stale[i].id) == -1)
			rc = -1;
		/* Another run of that day may now complete it. */
		else if (stale[i].dated)
			rc = sync_rematch(db, user_id, stale[i].date,
			    stale[i].date, NULL);
	}
	arena_free(&a);
	return rc;
}

int
sync_remove_activity(struct db *db, const char *user_id, int64_t strava_id)
{
	long n = -1;

	/*
	 * sync_after_delete (not workouts_refresh_state_for_activity, which
	 * needs the activity still there): after the cascade it finds the
	 * workouts whose completed_at no longer agrees and re-matches their
	 * days, in this same transaction.
	 */
	if (db_begin(db) == -1 ||
	    (n = db_sync_remove_activity(db, user_id, strava_id)) < 0 ||
	    (n > 0 && sync_after_delete(db, user_id) == -1) ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return n > 0 ? 1 : 0;
}
