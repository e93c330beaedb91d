/*
 * activities: the runner's imported Strava activities (strava_activities)
 * as the activity list and the dashboard show them, each with the first
 * workout it completes (workout_completions).
 *
 * Every function takes user_id and reads only that runner's rows; results
 * live in the arena given, never a PGresult.  Strava's writes to these
 * tables (strava/sync.c, strava/import.c) join this module when strava/
 * is converted.
 */
#ifndef CADENCE_DB_ACTIVITIES_H
#define CADENCE_DB_ACTIVITIES_H

#include "core/arena.h"
#include "db/plan_view.h"
#include "domain/vdot_estimate.h"

struct db;

/* Which activities a list shows. */
enum activities_filter {
	ACTIVITIES_ALL,		/* every activity */
	ACTIVITIES_MATCHED,	/* completes a workout */
	ACTIVITIES_UNMATCHED,	/* a run (sport_is_run) that completes none */
};

struct activity_listed {
	/* id, strava_id, name ("" for none), sport_type, distance_m,
	 * moving_s, heartrate, date (PV_NO_DATE if unreadable) and is_run;
	 * elevation_m is -1 (not loaded). */
	struct pv_activity	 activity;
	/* The first workout it completes (by date, then id), or NULL; only
	 * id, date, type_key, type_name and distance_m are set. */
	struct pv_workout	*workout;
};

/*
 * Up to limit of user_id's activities passing filter and started on
 * since or later (PV_NO_DATE: any day), newest first (by local start,
 * then id), after skipping offset.  A bound on since keeps the cost of a
 * filter that few runs pass from growing with the history.  Returns how many are in
 * *out (>= 0), or -1 on a database error.
 */
int	activities_list_newest(struct db *, arena_t *, const char *user_id,
	    enum activities_filter, date_t since, int limit, int offset,
	    struct activity_listed **out);

/*
 * user_id's runs of the window_days up to today (newest first, at most
 * ACTIVITIES_RECENT_MAX) as the fitness estimate reads them
 * (domain/vdot_estimate.h).  Returns how many (>= 0) or -1.
 */
#define ACTIVITIES_RECENT_MAX	400
int	activities_recent_runs(struct db *, arena_t *, const char *user_id,
	    date_t today, int window_days, const struct run_sample **out,
	    size_t *n);

#endif
