/*
 * db/fitness: the runner's training loads (activity_loads, the thresholds
 * they were scored against in fitness_thresholds, the heart rates of
 * athlete_profiles) and what the fitness chart reads: the loads of a
 * window of days, the workouts marked done by hand, and the active plan
 * ahead.  Scores are derived data the job worker writes
 * (training/scoring.c); pages only read.
 *
 * Every function takes user_id and touches only that runner's rows.
 * Calls return 1 (found, done) / 0 (none) / -1 (database error) unless
 * said otherwise; results live in the arena given.
 */
#ifndef CADENCE_DB_FITNESS_H
#define CADENCE_DB_FITNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/fitness.h"
#include "domain/load.h"
#include "domain/splits.h"

struct db;

/* What the runner's thresholds come from. */
struct fitness_profile {
	date_t		 today;		/* in the runner's time zone */
	int		 max_hr;	/* bpm, 0: not given */
	int		 threshold_hr;
	int		 race_m;	/* the profile's recent race, 0: none */
	int		 race_s;
	double		 plan_vdot;	/* the active plan's, 0: none */
	bool		 scored;	/* loads were scored before ... */
	double		 scored_vdot;	/* ... against these (0: none) */
	int		 scored_hr;
};
int	fitness_load_profile(struct db *, const char *user_id,
	    struct fitness_profile *);
/* Saves the heart rates of settings (0: not given): 1, 0 no profile. */
int	fitness_save_heart_rates(struct db *, const char *user_id, int max_hr,
	    int threshold_hr);

/* A run to score. */
struct fitness_score_row {
	const char	*id;		/* strava_activities.id */
	const char	*updated_at;	/* the version scored */
	bool		 is_run;
	struct load_run	 run;		/* type: the matched workout's */
	struct run_splits splits;	/* laps / splits (arena) */
};
/*
 * user_id's activities to score: those never scored or changed since
 * (every one with all).  Returns how many are in *out, or -1.
 */
int	fitness_rows_to_score(struct db *, arena_t *, const char *user_id,
	    bool all, struct fitness_score_row **out);
/*
 * Stores the scores of rows (n of them) and the thresholds they were
 * scored against, in one transaction.  0 or -1.
 */
int	fitness_store_scores(struct db *, const char *user_id,
	    const struct fitness_score_row *rows, const struct load_score *,
	    size_t n, double vdot, int threshold_hr);

/* A stored day of the runner's series (fitness_days). */
struct fitness_stored_day {
	date_t		 day;
	double		 load, ctl, atl;
};
/*
 * Replaces user_id's stored series with s's history (the seed as a row
 * the day before its first day, then every day up to today), writing the
 * changed rows only.  0 or -1.
 */
int	fitness_store_series(struct db *, const char *user_id,
	    const struct fitness_series *);
/*
 * user_id's stored days from the last one before day from (the seed to
 * go on from) to the last one, by date: how many in *out, or -1.
 */
int	fitness_stored_days(struct db *, arena_t *, const char *user_id,
	    date_t from, struct fitness_stored_day **out);

/* A day's run as the chart reads it. */
struct fitness_day_run {
	date_t		 date;
	double		 tss;		/* stored; < 0: not scored yet */
	struct load_run	 run;		/* to score it meanwhile */
};
/*
 * user_id's runs dated from..to (local dates) with their loads, and the
 * workouts marked done by hand without a run (as runs of their type and
 * estimated duration, tss < 0).  Returns how many, or -1.
 */
int	fitness_day_runs(struct db *, arena_t *, const char *user_id,
	    date_t from, date_t to, struct fitness_day_run **out);

/* The active plan from tomorrow to race day, for the projection. */
struct fitness_ahead_workout {
	date_t		 date;
	int		 type;		/* enum workout_type */
	int		 duration_s;
	int		 distance_m;
};
struct fitness_ahead {
	const char	*plan_id;	/* NULL: no active plan */
	const char	*plan_name;
	const char	*race_name;
	date_t		 race_date;
	double		 vdot;		/* 0: unknown */
	const char	*vdot_source;	/* "race", "runs", "volume" ... */
	struct fitness_ahead_workout *workouts;	/* after today, by date */
	size_t		 nworkouts;
};
int	fitness_plan_ahead(struct db *, arena_t *, const char *user_id,
	    date_t today, struct fitness_ahead *);

/* The load stored for one activity (the activity page): 1, 0 none. */
int	fitness_activity_load(struct db *, const char *user_id,
	    const char *activity_id, struct load_score *);

/* The runners with an active plan (the daily look): n, or -1. */
int	fitness_active_runners(struct db *, arena_t *, const char ***ids);

#endif
