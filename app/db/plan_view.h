/*
 * plan_view: loads a training plan as the pages show it, in a fixed number
 * of queries whatever its size: one for the plan and its phases, one for
 * its workouts (with the runner's feedback) in a date window, one for the
 * runner's activities in that window with the completions that tie them
 * to the plan's workouts.  The rows become plain structs in the request
 * arena; compliance of every workout is evaluated once here, so pages only
 * format.
 *
 * The two shapes the pages need:
 *	whole plan (calendar, week, exports):	plan_view_load(..., 0, 0)
 *	this week of the active plan (dashboard):	plan_view_load_active(
 *	    ..., week_start, week_start + 6)
 *
 * Every query is scoped to the runner (training_plans.user_id), so another
 * runner's plan id loads nothing, exactly like a missing one.
 */
#ifndef CADENCE_PLAN_VIEW_H
#define CADENCE_PLAN_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/compliance.h"
#include "domain/date.h"

#define PV_QUERIES	3	/* queries one load costs */
#define PV_NO_DATE	INT32_MIN
#define PV_MAX_PHASES	8

struct db;

struct pv_activity {
	const char	*id;		/* strava_activities.id (UUID) */
	long long	 strava_id;	/* Strava's own id, for links */
	const char	*name;		/* "" when Strava sent none */
	const char	*sport_type;
	int		 distance_m;
	int		 moving_s;
	int		 heartrate;	/* average bpm, 0: unknown */
	int		 elevation_m;	/* total gain, -1: unknown */
	date_t		 date;		/* local date of the start */
	bool		 is_run;
	int		 nworkouts;	/* workouts of this plan it completes */
	bool		 matched_elsewhere;	/* completes a workout of another plan */
};

struct pv_link {
	struct pv_activity	*activity;
	bool			 manual;	/* matched by hand */
};

struct pv_workout {
	const char	*id;
	int		 week_number;	/* as stored */
	date_t		 date;
	date_t		 original_date;	/* PV_NO_DATE unless moved */
	const char	*type_key;	/* "easy" ... "race" */
	const char	*type_name;	/* "Easy" ... "Race" */
	int		 distance_m;
	int		 duration_min;	/* 0: no estimate */
	int		 pace_fast, pace_slow;	/* s/km, 0: none */
	const char	*description;	/* NULL: none */
	bool		 done_by_hand, skipped;
	const char	*note;		/* NULL: none */
	int		 rpe;		/* effort, 1 very easy .. 10 maximal; 0: not set */
	int64_t		 updated;	/* epoch seconds of updated_at */
	struct pv_link	*links;		/* matched activities */
	int		 nlinks;
	int64_t		 actual_m;	/* sum of the matched distances */
	int64_t		 actual_s;	/* and of their moving times */
	struct compliance comp;
};

struct pv_phase {
	const char	*name;		/* "Base" ... "Taper" */
	int		 start_week, end_week;
};

struct plan_view {
	const char	*id;
	const char	*user_id;
	const char	*name;
	const char	*race_name;	/* the race's name, or the plan's */
	int		 race_distance;
	date_t		 race_date;
	date_t		 start_date;
	int		 total_weeks;
	bool		 active;
	double		 vdot;		/* 0: unknown */
	const char	*ics_nonce;	/* of the feed token (pages/exports.c) */
	struct pv_phase	 phases[PV_MAX_PHASES];
	int		 nphases;
	struct pv_workout *workouts;	/* by date, then id */
	size_t		 nworkouts;
	struct pv_activity *activities;	/* by start, then id */
	size_t		 nactivities;
	date_t		 from, to;	/* the window loaded */
};

/*
 * Loads plan plan_id of runner user_id with the workouts and activities
 * dated from..to, today being the runner's.  from = to = 0: the whole
 * plan (every workout, and the runs of its weeks give or take one).
 * Returns 1 when loaded, 0 when there is no such plan of this runner, -1
 * on a database error.
 */
int	plan_view_load(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, date_t today, date_t from, date_t to,
	    struct plan_view *out);
/*
 * The same in two steps, for pages that need the plan's dates to choose
 * the window (the week view): the plan alone (1, 0 or -1, as above), then
 * its workouts and runs dated from..to (PV_QUERIES - 1 queries).
 */
int	plan_view_load_head(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, struct plan_view *out);
int	plan_view_load_window(struct db *, arena_t *, date_t today,
	    date_t from, date_t to, struct plan_view *);
/* The same for the runner's active plan (0 when there is none). */
int	plan_view_load_active(struct db *, arena_t *, const char *user_id,
	    date_t today, date_t from, date_t to, struct plan_view *out);

/*
 * What a week's totals count (one definition for the calendar, the week
 * view, the dashboard and the weekly mail): every workout with its
 * compliance, and every run that completes no workout ("unplanned").
 */
bool	plan_view_is_unplanned(const struct pv_activity *);
void	plan_view_count_workout(struct week_totals *, const struct pv_workout *);
void	plan_view_count_unplanned(struct week_totals *,
	    const struct pv_activity *);
/* The totals of the workouts and unplanned runs dated from..to. */
void	plan_view_totals(const struct plan_view *, date_t from, date_t to,
	    struct week_totals *);

/* The phase name of week n, or NULL. */
const char *plan_view_phase(const struct plan_view *, int week);
/* The key ("easy" ... "race") of a stored type ("Long", "long run" ...). */
const char *plan_view_type_key(const char *stored);
/* "Easy" ... for a stored type key (any case); "Easy" for unknown ones. */
const char *plan_view_type_name(const char *type_key);
/* True for the workouts the dashboard calls "key": intervals, tempo, long, race. */
bool	plan_view_is_key(const struct pv_workout *);

#endif
