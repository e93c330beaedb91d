/*
 * plan_gen: the training-plan generator.
 *
 * From a runner's race (distance, date), calendar (start date or number
 * of weeks, runs a week, long-run day, first weekday) and fitness
 * (weekly distance, longest recent run, a recent race, imported runs, a
 * goal time) it derives today's VDOT, what the training supports on race
 * day, race predictions, training paces, phases, weekly volumes and every
 * dated workout up to the race.  The taper is counted in days back from
 * race day, whatever the calendar.  The rules are in
 * docs/training-plan-rules.md.  Pure and deterministic: no I/O, no clock
 * ("today" is an input), no globals; the same input always gives the
 * same plan.  The structs are plain data so callers can persist them.
 */
#ifndef CADENCE_PLAN_GEN_H
#define CADENCE_PLAN_GEN_H

#include <stddef.h>

#include "domain/date.h"
#include "domain/vdot_estimate.h"
#include "domain/units.h"
#include "domain/vdot.h"

#define PLAN_MIN_WEEKS		4	/* any distance */
#define PLAN_MAX_WEEKS		30
#define PLAN_MIN_RACE_M		3000
#define PLAN_MAX_RACE_M		42195	/* ultras are refused */
#define PLAN_MIN_RECENT_M	1500	/* VDOT is for 1500 m to the marathon */
#define PLAN_MAX_RECENT_M	42195
#define PLAN_MIN_RUNS		3
#define PLAN_MAX_RUNS		7
#define PLAN_MIN_WEEKLY_M	10000	/* below: run-walk first */
#define PLAN_MAX_WEEKLY_M	250000	/* a typo guard; readiness says more */
#define PLAN_MAX_RUN_AVG_M	25000	/* one run a day: week / runs at most */
#define PLAN_MAX_LONGEST_M	100000
#define PLAN_NPREDICTIONS	5	/* 5K, 10K, half, marathon, the race */
#define PLAN_DESC_MAX		512	/* a template, see plan_text.h */
#define PLAN_ERR_MAX		400
#define PLAN_NOTE_MAX		200
#define PLAN_MAX_PHASES		8	/* a re-plan may start a phase again */

enum workout_type {
	WORKOUT_EASY, WORKOUT_LONG, WORKOUT_INTERVALS, WORKOUT_TEMPO,
	WORKOUT_RECOVERY, WORKOUT_RACE, WORKOUT__MAX
};

enum phase_kind { PHASE_BASE, PHASE_BUILD, PHASE_PEAK, PHASE_TAPER, PHASE__MAX };

/* The form fields validation can complain about, named as in the form. */
enum plan_field {
	PF_RACE_DISTANCE, PF_RACE_DATE, PF_START_DATE, PF_RUNS_PER_WEEK,
	PF_LONG_RUN_DAY, PF_WEEKLY_DISTANCE, PF_LONGEST_RUN,
	PF_RECENT_RACE_DISTANCE, PF_RECENT_RACE_TIME, PF_GOAL_TIME, PF__MAX
};

struct plan_input {
	int		 race_distance;		/* metres */
	date_t		 race_date;
	date_t		 start_date;		/* used when weeks == 0 */
	int		 weeks;			/* 0, or 4..30 incl. race week */
	int		 runs_per_week;		/* 3..7 */
	enum weekday	 long_run_day;
	enum weekday	 first_day;		/* WD_MON or WD_SUN */
	int		 weekly_distance_m;	/* current volume */
	int		 longest_run_m;		/* 0: unknown */
	int		 recent_race_distance;	/* metres, 0: none */
	int		 recent_race_time_s;
	int		 goal_time_s;		/* 0: none */
	const struct run_sample *runs;		/* imported runs, any order */
	size_t		 nruns;
	enum unit	 unit;			/* mile-friendly reps, messages */
	date_t		 today;
	/*
	 * Re-planning the rest of a plan (domain/adapt.h); all 0 for a new
	 * plan.  replan: the race date is fixed, so the distance's minimum
	 * length and readiness refuse nothing; cap_week_m / cap_long_m: no
	 * week or long run past them (the original plan's peaks; a runner
	 * above them keeps their volume); first_phase: the earlier phases
	 * are not started again; vdot (> 0): today's fitness as given.
	 */
	int		 replan;
	int		 cap_week_m;
	int		 cap_long_m;
	enum phase_kind	 first_phase;
	double		 vdot;
};

struct plan_workout {
	date_t		 date;
	int		 week;			/* 1-based */
	enum workout_type type;
	int		 distance_m;
	int		 duration_min;		/* estimate from the paces */
	int		 pace_fast_s, pace_slow_s;	/* per km */
	/* A template: render it with plan_text_render() in any unit. */
	char		 description[PLAN_DESC_MAX];
};

struct plan_phase {
	enum phase_kind	 kind;
	int		 start_week, end_week;	/* inclusive, 1-based */
};

struct plan_prediction {
	int		 distance_m;		/* 21097 for the half */
	int		 time_s;
};

struct plan {
	double		 vdot;			/* fitness today */
	enum vdot_source vdot_source;
	int		 evidence_run;		/* in->runs index, -1: none */
	double		 vdot_end;		/* what the training supports */
	double		 week_vdot[PLAN_MAX_WEEKS];	/* paces of each week */
	int		 paces[PACE__MAX][2];	/* today's, sec/km [fast, slow] */
	struct plan_prediction predictions[PLAN_NPREDICTIONS];	/* race day */
	int		 npredictions;
	double		 goal_vdot;		/* 0: no goal */
	int		 goal_realistic;	/* the training supports it */
	int		 race_time_s;		/* the race-day target */
	char		 note[PLAN_NOTE_MAX];	/* goal vs fitness; "" if none */
	date_t		 start_date;		/* first day with workouts */
	date_t		 race_date;
	date_t		 taper_start;		/* first day of the taper */
	int		 total_weeks;		/* race week included */
	struct plan_phase phases[PLAN_MAX_PHASES];	/* by week */
	int		 nphases;
	int		 peak_volume_m;		/* the fullest pre-taper week */
	int		 peak_long_m;		/* the longest long run */
	/* Training distance of each week (race excluded), index week - 1. */
	int		 week_volume_m[PLAN_MAX_WEEKS];
	unsigned char	 week_cutback[PLAN_MAX_WEEKS];	/* lighter week */
	struct plan_workout *workouts;		/* by date; the race last */
	size_t		 nworkouts;
};

/* Field -> message; msg[f][0] == '\0' when field f is fine. */
struct plan_errors {
	int		 count;
	char		 msg[PF__MAX][PLAN_ERR_MAX];
};

/*
 * Returns the number of invalid fields (0: valid); errs may be NULL.
 * Besides each field's bounds it checks readiness: whether the weeks
 * available can safely bring the runner's volume and long run to what
 * the distance needs; if not, the message gives the minimum and a
 * realistic alternative (a later race, a shorter distance).
 */
int	 plan_validate(const struct plan_input *, struct plan_errors *errs);
/*
 * Validates, then fills *out (which the caller frees with plan_free).
 * Returns 0, or -1 when the input is invalid (out is then empty).
 */
int	 plan_generate(const struct plan_input *, struct plan *out);
void	 plan_free(struct plan *);
/*
 * For re-planning: drops the workouts dated before from (the rest of a
 * regenerated plan replaces what the caller kept in the future).
 */
void	 plan_keep_from(struct plan *, date_t from);

/* Weeks a plan for this race distance needs at least (4 for a 5K ...). */
int	 plan_min_weeks(int race_distance);
/* Week number (1-based) of date d in a plan starting on week_start. */
int	 plan_week_of(date_t week1_start, date_t d);

const char *workout_type_name(enum workout_type);	/* "Easy" ... "Race" */
const char *phase_name(enum phase_kind);		/* "Base" ... "Taper" */
const char *plan_field_name(enum plan_field);		/* "race_distance" */

#endif
