/*
 * workouts: one workout at a time, as the workout page, its forms and the
 * dashboard need it.  Owns what the pages do to the tables workouts (edit,
 * move, add, remove, hand marks, completed_at), workout_feedback (the
 * note), workout_completions (matches by hand) and workout_unmatches.
 * Whole windows of a plan are read by db/plan_view.c; automatic matches
 * are written by strava/sync.c (to be moved here with strava/).
 *
 * Every function that takes user_id is scoped to that runner: it reads or
 * changes only workouts of the runner's own plans, and another runner's
 * workout is "none" exactly like a missing one.  Unless said otherwise
 * they return 1 (found, or done), 0 (none, or not the runner's: the
 * caller answers 404) or -1 (database error; nothing was changed).  A
 * change that needs several statements (lock the workout, change it,
 * refresh completed_at) is one transaction inside one call.  Results are
 * allocated in the arena given.
 */
#ifndef CADENCE_DB_WORKOUTS_H
#define CADENCE_DB_WORKOUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "db/plan_view.h"
#include "domain/laps.h"
#include "domain/date.h"

/* Runs this many days either side of a workout may be matched by hand. */
#define WORKOUTS_MATCH_DAYS	3

struct db;

/* The workout page: one workout, its plan, and the runs around it. */
struct workout_page {
	const char		*plan_id;
	const char		*plan_name;
	/*
	 * As db/plan_view.h describes it, except updated (0): links are
	 * the runs matched to it (any date; each activity with id,
	 * strava_id, name, distance_m, moving_s, heartrate, elevation_m
	 * and date), actual_m their
	 * distance, comp evaluated for today.
	 */
	struct pv_workout	 workout;
	/*
	 * The runner's runs within WORKOUTS_MATCH_DAYS of it that complete
	 * no workout (what may be matched by hand), by start then id, with
	 * the same fields as the links' activities.
	 */
	struct pv_activity	*candidates;
	size_t			 ncandidates;
	/* The laps Strava recorded for the matched runs, run after run. */
	struct lap		*laps;
	size_t			 nlaps;
};

/* Loads workout_id's page for today (the runner's date). */
int	workouts_load_page(struct db *, arena_t *, const char *user_id,
	    const char *workout_id, date_t today, struct workout_page *out);

/* 1 when workout_id is one of user_id's workouts, else 0 (or -1). */
int	workouts_exists(struct db *, const char *user_id,
	    const char *workout_id);

/* What workouts_match_run() did. */
enum workouts_match {
	WORKOUTS_MATCH_FAILED = -1,	/* database error */
	WORKOUTS_MATCH_NO_WORKOUT = 0,	/* not the runner's workout */
	WORKOUTS_MATCHED = 1,
	/* Not one of the runner's runs within WORKOUTS_MATCH_DAYS. */
	WORKOUTS_MATCH_REFUSED = 2,
};

/*
 * Matches run activity_id (a valid UUID) to workout_id by hand: a manual
 * completion, the pair's "unmatched by hand" forgotten, completed_at
 * refreshed.
 */
enum workouts_match workouts_match_run(struct db *, const char *user_id,
	    const char *workout_id, const char *activity_id);
/*
 * Undoes the match of activity_id (a valid UUID) and workout_id and
 * remembers it in workout_unmatches, so automatic matching leaves the
 * pair alone; completed_at refreshed.  1 also when they were not
 * matched (nothing is remembered then).
 */
int	workouts_unmatch_run(struct db *, const char *user_id,
	    const char *workout_id, const char *activity_id);
/* Stores the runner's note ("": none) and effort (RPE 1..10, 0: none). */
int	workouts_save_note(struct db *, const char *user_id,
	    const char *workout_id, const char *note, int rpe);

/* A hand mark; completed_at follows it. */
enum workout_mark { WORKOUT_MARK_NONE, WORKOUT_MARK_DONE, WORKOUT_MARK_SKIPPED };
int	workouts_set_mark(struct db *, const char *user_id,
	    const char *workout_id, enum workout_mark);

/* The plan a workout is edited within: its dates and paces. */
struct workout_frame {
	const char	*plan_id;
	date_t		 start_date;
	enum weekday	 first_day;	/* of the runner's weeks in this plan */
	date_t		 race_date;
	double		 vdot;		/* 0: unknown */
	int		 goal_pace;	/* s/km, 0: none */
	const char	*description;	/* the workout's as stored (edit), or NULL */
};

/* The frame of plan_id (to add a workout to it). */
int	workouts_plan_frame(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, struct workout_frame *);
/* The frame of the plan workout_id belongs to (to edit it). */
int	workouts_frame(struct db *, arena_t *, const char *user_id,
	    const char *workout_id, struct workout_frame *);

/*
 * An edit or a new workout.  For an edit, members at their "keep" value
 * leave the column as it is; a new workout has them all.  Both flag the
 * workout edited_by_hand, so re-planning never overwrites it.
 */
struct workout_change {
	date_t		 date;		/* PV_NO_DATE: keep */
	int		 week;		/* week_number of date */
	const char	*type;		/* "Easy" ... "Race"; NULL: keep */
	int		 distance_m;	/* 0: keep; an edit rescales the estimate */
	int		 minutes;	/* estimate of a new one; -1: none */
	bool		 set_description;	/* edit: replace it */
	const char	*description;	/* NULL: none */
	int		 pace_fast;	/* s/km for type; 0: none */
	int		 pace_slow;	/* (an edit changes paces with the type) */
	/* An edit: the coach who made it (shown as theirs), NULL: the runner. */
	const char	*adjusted_by;
};

/*
 * Applies change to workout_id; the first move records where it was first
 * scheduled.  The runner's limits (db_limit_hit()) fail it with -1.
 */
int	workouts_update(struct db *, const char *user_id,
	    const char *workout_id, const struct workout_change *);
/* Adds change to plan_id as a new workout; its id into *id. */
int	workouts_add(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, const struct workout_change *,
	    const char **id);
/*
 * Removes workout_id with its completions, feedback and unmatches (its
 * activities stay, unmatched); the plan's id into *plan_id.
 */
int	workouts_delete(struct db *, arena_t *, const char *user_id,
	    const char *workout_id, const char **plan_id);

/*
 * The next key workout (intervals, tempo, long, race) of plan_id after
 * day after that has no hand mark, into *out (comp left to the caller).
 */
int	workouts_next_key(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, date_t after, struct pv_workout *out);

/*
 * completed_at of a workout agrees with what completes it: its matched
 * activities (workout_completions) or a hand mark (manual_status 'done').
 * Every change to either calls one of these in the same transaction.
 * Not scoped to a runner: callers have already found the workout (or the
 * activity) to be the runner's in that transaction.  0, or -1.
 */
int	workouts_refresh_state(struct db *, const char *workout_id);
/* The same for every workout the activity (UUID) is matched to. */
int	workouts_refresh_state_for_activity(struct db *,
	    const char *activity_id);

#endif
