/*
 * plan_internal: what plan_gen.c (validation, fitness, phases, volume)
 * shares with plan_week.c (laying out and describing one week).  Not for
 * use outside app/domain/plan_*.c.
 */
#ifndef CADENCE_PLAN_INTERNAL_H
#define CADENCE_PLAN_INTERNAL_H

#include "domain/plan_gen.h"

#define PLAN_MIN_RUN_M		3000	/* shorter runs are dropped */
#define PLAN_MIN_HARD_M		5000	/* room for warm-up + reps + cool-down */
#define PLAN_ROUND_M		500	/* workout distances are multiples */
#define PLAN_SHAKEOUT_M		3000
#define LONG_SHARE_MIN		0.25
#define LONG_SHARE_MAX		0.35
#define LONG_STEP_M		2000	/* long run growth over the longest so far */
#define RACE_WEEK_RUN_SHARE	0.20	/* of peak, per run in race week */

/* Race distances fall into four classes with their own rules. */
enum race_class { RC_5K, RC_10K, RC_HALF, RC_MARATHON, RC__MAX };

struct class_rules {
	int	 upto_m;		/* class covers distances up to this */
	int	 min_weeks;
	int	 peak_lo_m, peak_hi_m;	/* peak weekly volume bounds */
	int	 long_cap_m;		/* longest long run */
	double	 long_share;		/* target share of the week */
	const char *name;		/* "5K" ... for messages */
};

enum race_class plan_race_class(int race_distance);
const struct class_rules *plan_class_rules(enum race_class);
/* Taper length in weeks (race week included). */
int	 plan_taper_weeks(enum race_class, int total_weeks);

/* Everything plan_week needs to lay out one week. */
struct week_spec {
	const struct plan_input	*in;
	const struct plan	*plan;		/* paces, race time */
	enum race_class		 rc;
	int			 week;		/* 1-based */
	date_t			 week_start;
	enum phase_kind		 phase;
	int			 phase_week;	/* 1-based within the phase */
	int			 volume_m;	/* target, race excluded */
	int			 long_m;	/* 0: no long run this week */
	int			 cutback;
	int			 race_week;
	int			 taper;
};

/*
 * Appends the week's workouts (dates within [start, race)) to the
 * array, growing it; returns the distance appended.
 */
int	 plan_week_layout(const struct week_spec *, struct plan_workout **,
	    size_t *n, size_t *cap);
/* Appends the race itself. */
void	 plan_add_race(const struct plan_input *, const struct plan *,
	    int week, struct plan_workout **, size_t *n, size_t *cap);
/* Rounds to PLAN_ROUND_M: down, up, nearest. */
int	 round_down_m(double);
int	 round_up_m(double);
int	 round_near_m(double);

#endif
