/*
 * adapt: when a training plan should change, and what the rest of it is
 * re-planned from (docs/plan-adaptation.md).
 *
 * Detection looks at the plan as it was carried out: the last full week
 * under ADAPT_LOW_SHARE of its planned distance, ADAPT_MISSED_KEYS key
 * workouts (long run, intervals, tempo) missed or skipped within
 * ADAPT_MISSED_DAYS, ADAPT_BREAK_DAYS or more days without a run, or the
 * fitness shown by the runs ADAPT_VDOT_STEP or more from the plan's.  Each
 * finding has a key naming the event (the week, the workouts, the last
 * run before the break and how long it has lasted, the new VDOT), so that
 * an event is answered once, however the runner decides.
 *
 * The re-plan is the generator's (plan_gen.h, replan mode) from the first
 * day re-planned to the same race, fed with what was actually run: the
 * average week and the longest run of the last ADAPT_RECENT_DAYS, the
 * fitness (the plan's, progressed as the plan had it, times Daniels'
 * factor for the days off; or the runs' when they show more), and the
 * phase to resume (Friel: after 8-14 days off one phase back, after more,
 * Base again).  It never goes past the original plan's peak week and long
 * run, never starts inside the taper, and needs ADAPT_MIN_WEEKLY_M of
 * recent running.  Pure: no I/O, "today" is an input.
 */
#ifndef CADENCE_ADAPT_H
#define CADENCE_ADAPT_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/date.h"
#include "domain/plan_gen.h"
#include "domain/vdot_estimate.h"

#define ADAPT_LOW_SHARE		0.70	/* a week under 70 % of its plan */
#define ADAPT_LOW_MIN_M		5000	/* lighter planned weeks: not judged */
#define ADAPT_MISSED_KEYS	2	/* key workouts missed ... */
#define ADAPT_MISSED_DAYS	14	/* ... within this many days */
#define ADAPT_BREAK_DAYS	5	/* days in a row without a run */
#define ADAPT_BREAK_STEP_DAYS	8	/* Friel: from 8 days off, a phase back */
#define ADAPT_BREAK_BASE_DAYS	15	/* ... from 15 days, Base again */
#define ADAPT_VDOT_STEP		1.0	/* fitness moved by this much */
#define ADAPT_RECENT_DAYS	28	/* what was actually run: volume, longest */
#define ADAPT_TRACKED_DAYS	56	/* no run in this long: nothing is known */
#define ADAPT_MIN_WEEKLY_M	PLAN_MIN_WEEKLY_M	/* below: no re-plan */
#define ADAPT_MAX_DAYS_OFF	120	/* "I could not run for N days" */
#define ADAPT_KEY_MAX		96
#define ADAPT_TEXT_MAX		1024

/* A workout of the plan as it was carried out (by date). */
struct adapt_workout {
	date_t		 date;
	enum workout_type type;
	int		 distance_m;
	bool		 done;		/* a run completes it, or marked done */
	bool		 skipped;	/* skipped by hand */
};

enum adapt_reason {
	ADAPT_LOW_WEEK, ADAPT_MISSED_KEY, ADAPT_BREAK, ADAPT_FITNESS,
	ADAPT_MANUAL, ADAPT__MAX
};
#define ADAPT_BIT(r)	(1u << (r))

struct adapt_input {
	date_t		 today;
	enum weekday	 first_day;
	date_t		 plan_start;	/* first day with workouts */
	date_t		 race_date;
	int		 race_distance;	/* metres */
	const struct adapt_workout *workouts;	/* by date */
	size_t		 nworkouts;
	/* Runs (and workouts marked done without one, as samples without
	 * time), any order. */
	const struct run_sample *runs;
	size_t		 nruns;
	double		 plan_vdot;	/* 0: unknown */
	double		 now_vdot;	/* what the plan's paces stand for now
					   (pace_vdot_of_easy); 0: from
					   plan_vdot's progression */
	enum vdot_source plan_source;
	int		 days_off;	/* the runner says so (manual); 0 */
};

/* What detection found (reasons: ADAPT_BIT()s; 0: nothing). */
struct adapt_finding {
	unsigned	 reasons;
	date_t		 low_week;		/* first day of the low week */
	int		 low_planned_m, low_actual_m;
	int		 nmissed;		/* key workouts missed or skipped */
	date_t		 missed[ADAPT_MISSED_KEYS];	/* the last two */
	enum workout_type missed_type[ADAPT_MISSED_KEYS];
	int		 break_days;		/* days without a run (or said) */
	date_t		 last_run;		/* PV-style: 0 when none */
	bool		 has_last_run;
	double		 runs_vdot;		/* the runs' fitness, 0: none */
	int		 evidence;		/* its run (index), -1: none */
	char		 key[ADAPT_KEY_MAX];	/* the event(s) answered */
};

/*
 * Looks for reasons to adapt in's plan today.  Nothing is found before
 * the plan starts, from the taper on, or when the runner has no run at
 * all in the last ADAPT_TRACKED_DAYS (nothing is known of their running).
 * With days_off > 0 the finding is ADAPT_MANUAL whatever else holds.
 */
void	 adapt_detect(const struct adapt_input *, struct adapt_finding *);
/* True when only the fitness moved: new paces, not a re-plan. */
bool	 adapt_paces_only(const struct adapt_finding *);

/* What a re-plan starts from. */
struct adapt_basis {
	int		 weekly_m;	/* average week of the last 28 days */
	int		 longest_m;	/* longest run of the last 28 days */
	int		 break_days;
	double		 vdot;		/* today's fitness for the re-plan */
	double		 fvdot;		/* Daniels' factor for the days off */
	enum phase_kind	 first_phase;	/* the phase to resume */
	bool		 vdot_from_runs;
};

/*
 * Daniels' FVDOT-1 (no cross-training) for days off: 1 up to 5 days,
 * 0.973 at 14, 0.931 at 28, 0.8 from 72 (linear between his rows).
 */
double	 adapt_fvdot(int days_off);
/*
 * The plan's VDOT as its week holding day d uses it: now_vdot when given,
 * else +1 per 5 weeks since its first week, +2 at most (plan_gen.c's
 * progression).
 */
double	 adapt_week_vdot(const struct adapt_input *, date_t d);
/*
 * The basis of a re-plan from tomorrow: in's runs of the last
 * ADAPT_RECENT_DAYS, the days off, the plan's week VDOT (or the runs'
 * when the finding says they moved) times adapt_fvdot(), and the phase
 * to resume from current (the plan's phase tomorrow).
 */
void	 adapt_basis(const struct adapt_input *, const struct adapt_finding *,
	    enum phase_kind current, struct adapt_basis *);

/* Why no re-plan could be made. */
enum adapt_refusal {
	ADAPT_OK,
	ADAPT_TOO_LATE,		/* the first day re-planned is in the taper */
	ADAPT_TOO_LITTLE,	/* under ADAPT_MIN_WEEKLY_M recently */
	/* The safe build-up from what was run does not reach the race's
	 * minimum peak week and long run (plan_validate's readiness). */
	ADAPT_NOT_READY,
	ADAPT_NO_PLAN,		/* the generator found no plan */
};

/*
 * Re-plans orig (the plan's generator input) from day from on: *out is a
 * plan of the weeks from from's to the race (week numbers, phases and
 * volumes its own; the caller renumbers), which the caller frees.
 * cap_week_m / cap_long_m: the original plan's peak week and long run.
 * used (may be NULL) receives the generator input it was made from.
 */
enum adapt_refusal adapt_replan(const struct plan_input *orig,
	    const struct adapt_basis *, date_t from, int cap_week_m,
	    int cap_long_m, struct plan_input *used, struct plan *out);

/*
 * The original plan's peaks, a re-plan's caps: its fullest whole week
 * before the taper (the race left out) and its longest long run.
 */
void	 adapt_peaks(const struct adapt_workout *, size_t n, int race_distance,
	    date_t race_date, enum weekday first, int *week_m, int *long_m);
/*
 * The plan's phases once re-planned from its week `week` (1-based, the
 * plan's numbering) with q: its own phases before that week, q's (whose
 * week 1 is `week`) from it, neighbours of one kind joined.  Into out (at
 * most PLAN_MAX_PHASES; a longer list keeps its last ones, the first
 * stretched back to week 1); returns how many.
 */
int	 adapt_merge_phases(const struct plan_phase *old, int nold,
	    const struct plan *q, int week, struct plan_phase *out);
/* The phase named name ("Base" ...), PHASE_BASE when none is. */
enum phase_kind adapt_phase_named(const char *name);

/*
 * Plain-text sentences for the runner, in unit u: why (the finding), and
 * what the re-plan starts from.  Append to out (n bytes, terminated).
 */
void	 adapt_describe(char *out, size_t n, const struct adapt_finding *,
	    const struct run_sample *runs, enum unit u);
void	 adapt_describe_basis(char *out, size_t n, const struct adapt_basis *,
	    enum unit u);
/* "from your 10.2 km on 12 Nov at 4:41/km" for a run. */
void	 adapt_evidence(char *out, size_t n, const struct run_sample *,
	    enum unit u);
/* "low_week" ... "manual": the stored names of the reasons. */
const char *adapt_reason_key(enum adapt_reason);
/* The first reason set, in the order break, low week, missed, fitness. */
enum adapt_reason adapt_main_reason(const struct adapt_finding *);

#endif
