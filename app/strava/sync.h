/*
 * sync: stores Strava activities and keeps the plan's completions right.
 *
 * sync_activities() upserts activities on strava_activity_id (an edit
 * replaces the stored columns) and re-runs the matcher (domain/match.h)
 * over the local dates they touch, old and new, one day either side:
 * workouts of the active plan, the runner's activities, the stored auto
 * pairs, the manual pairs and the pairs unmatched by hand are loaded in
 * four queries, match_run/match_diff decide, and the diff is applied with
 * workouts_refresh_state, all in the caller's transaction.  Manual
 * decisions are inputs, never outputs: re-importing cannot undo them.
 */
#ifndef CADENCE_STRAVA_SYNC_H
#define CADENCE_STRAVA_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "domain/date.h"
#include "strava/activity_json.h"

#define SYNC_WINDOW_DAYS	1	/* days either side of a touched date */

struct db;

struct sync_stats {
	size_t	stored;		/* activities inserted or updated */
	size_t	inserted;
	size_t	foreign;	/* id owned by another runner: left alone */
	size_t	copies;		/* kept as a copy of a run shown otherwise */
	size_t	added;		/* auto pairs created */
	size_t	removed;	/* auto pairs dropped */
};

/*
 * Upserts n activities of user_id (raw[i]: the JSON kept in raw_data, may
 * be NULL) and re-matches.  In the caller's transaction; 0 or -1.
 */
int	sync_activities(struct db *, const char *user_id,
	    const struct strava_activity *acts, const char *const *raw,
	    size_t n, struct sync_stats *);
/* Re-matches user_id's local dates from..to (inclusive); 0 or -1. */
int	sync_rematch(struct db *, const char *user_id, date_t from, date_t to,
	    struct sync_stats *);
/*
 * After activities were deleted (completions gone by cascade): refreshes
 * the runner's workouts whose completed_at no longer agrees and re-matches
 * their dates.  In the caller's transaction; 0 or -1.
 */
int	sync_after_delete(struct db *, const char *user_id);
/*
 * Removes user_id's activity strava_id (Strava no longer shows it) and
 * re-derives the workouts it completed, in a transaction of its own.
 * Returns 1 when removed, 0 when it was not stored, -1 (rolled back).
 */
int	sync_remove_activity(struct db *, const char *user_id,
	    int64_t strava_id);

#endif
