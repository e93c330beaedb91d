/*
 * match: decides which Strava activities complete which planned workouts.
 *
 * The caller loads one window (say the weeks around a new activity) of
 * workouts, activities, manual decisions and the auto pairs stored now,
 * calls match_run(), then match_diff() to turn the desired auto pairs
 * into rows to insert and delete.  Pure and deterministic: the result
 * does not depend on the order of any input array.
 *
 * Rules, in order:
 *  - Only runs (sport_is_run(), domain/activity.h) are auto-matched.
 *  - A workout with a manual pair, or marked done or skipped by hand, is
 *    locked: it gets no new auto pair and its stored auto pairs are kept.
 *  - An activity in a manual pair is never auto-matched elsewhere; a pair
 *    "unmatched by hand" is never re-created, alone or in a combination.
 *  - An activity completes a workout on the same local date when its
 *    distance is within MATCH_TOLERANCE_PCT of the plan, bounds included.
 *    Candidates are taken closest distance first; ties go to the smaller
 *    workout id, then the smaller activity id.  One activity completes at
 *    most one workout.
 *  - A workout still open may be completed by 2..MATCH_COMBO_MAX runs of
 *    its day that none alone fit but whose sum does (a double run).
 *  - A workout still open after that takes the other runs of its day (up
 *    to MATCH_COMBO_MAX, never a pair unmatched by hand) as a *partial*
 *    completion: a 6.7 km run on the day of a 9.5 km workout is that
 *    workout run short, not a missed workout next to an unplanned run.
 *    It is not "completed"; compliance (domain/compliance.h) colours it
 *    by its percent.  Open workouts go in id order.
 *  - Run activities left in no pair are "unplanned".
 *
 * Ids are compared with strcmp() and must be unique within each array.
 * The result points into the input strings: keep them alive meanwhile.
 */
#ifndef CADENCE_MATCH_H
#define CADENCE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/date.h"

#define MATCH_TOLERANCE_PCT	10		/* +-10 % of planned distance */
#define MATCH_COMBO_MAX		4		/* runs summed for one workout */
#define MATCH_DAY_RUNS_MAX	8		/* free runs of a day tried in combos */
#define MATCH_DISTANCE_MAX	10000000	/* 10 000 km: larger is bogus */

struct match_workout {
	const char	*id;		/* UUID, 36 chars */
	date_t		 date;		/* the runner's local date */
	int64_t		 planned_m;	/* 0: no distance, never auto-matched */
	const char	*type;		/* workout type key, informative */
	bool		 done_by_hand;
	bool		 skipped_by_hand;
};

struct match_activity {
	const char	*id;		/* Strava id as text */
	date_t		 date;		/* local date of start_date_local */
	const char	*sport_type;	/* "Run", "Ride", ... */
	int64_t		 distance_m;
	int64_t		 moving_s;
};

struct match_pair {
	const char	*workout_id;
	const char	*activity_id;
};

struct match_input {
	const struct match_workout	*workouts;
	size_t				 nworkouts;
	const struct match_activity	*activities;
	size_t				 nactivities;
	const struct match_pair		*manual;	/* matched by hand: stay */
	size_t				 nmanual;
	const struct match_pair		*unmatched;	/* undone by hand: never auto */
	size_t				 nunmatched;
	const struct match_pair		*current;	/* auto pairs stored now */
	size_t				 ncurrent;
};

/* Every array is sorted by strcmp() of its ids (pairs: workout, activity). */
struct match_result {
	struct match_pair	*pairs;		/* desired auto pairs */
	size_t			 npairs;
	const char		**completed;	/* workouts done: auto within the
						   tolerance, manual, by hand
						   (not partial ones) */
	size_t			 ncompleted;
	const char		**unplanned;	/* run activities in no pair */
	size_t			 nunplanned;
};

struct match_diff {
	struct match_pair	*add;
	size_t			 nadd;
	struct match_pair	*remove;
	size_t			 nremove;
};

/*
 * sport_is_run() (domain/activity.h) under its older name, for callers
 * not yet moved to it (strava/fetch.c).
 */
bool	 match_is_run(const char *sport_type);
/* True if distance_m is within the tolerance of planned_m (integer maths). */
bool	 match_within(int64_t distance_m, int64_t planned_m);
void	 match_run(const struct match_input *, struct match_result *);
void	 match_result_free(struct match_result *);
/* Pairs in desired but not current (add) and in current but not desired. */
void	 match_diff(const struct match_pair *current, size_t ncurrent,
	    const struct match_pair *desired, size_t ndesired,
	    struct match_diff *);
void	 match_diff_free(struct match_diff *);

#endif
