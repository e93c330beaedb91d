/*
 * fitness: fitness, fatigue and form (the Performance Manager of Coggan,
 * a simplification of Banister's impulse-response model) as daily series
 * over a runner's whole history, projected through the planned workouts.
 *
 * With k(tau) = 1 - e^(-1/tau) and load(d) the day's training-stress score:
 *   CTL(d) = CTL(d-1) + k(42) (load(d) - CTL(d-1))     fitness, 42 days
 *   ATL(d) = ATL(d-1) + k(7)  (load(d) - ATL(d-1))     fatigue, 7 days
 *   TSB(d) = CTL(d-1) - ATL(d-1)                       form going into d
 * CTL and ATL are end-of-day values; TSB is yesterday's balance, the form
 * a runner starts the day (and a race) with, as TrainingPeaks shows it.
 * Days up to today take the runs' loads, later days the planned loads.
 * The ramp rate is CTL(d) - CTL(d-7), in TSS/day per week; weeks faster
 * than FITNESS_RAMP_HIGH / FITNESS_RAMP_TOO_FAST are flagged
 * (docs/training-load.md).  Pure: no I/O, no clock, no globals.
 */
#ifndef CADENCE_FITNESS_H
#define CADENCE_FITNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/date.h"

#define FITNESS_CTL_DAYS	42
#define FITNESS_ATL_DAYS	7
#define FITNESS_MAX_DAYS	(20 * 366)	/* older loads are spent anyway */
#define FITNESS_DAY_MAX_LOAD	2000.0	/* a day's load is clamped to this */
#define FITNESS_SEED_DAYS	42	/* days averaged for a warm start */
#define FITNESS_RAMP_HIGH	8.0	/* above Friel's 5-8 a week */
#define FITNESS_RAMP_TOO_FAST	10.0	/* Friel's upper limit */

/* The load of one run, or of one planned workout, on its local date. */
struct fitness_load {
	date_t		 date;
	double		 tss;
};

enum fitness_seed {
	FITNESS_SEED_ZERO,	/* CTL and ATL start at 0 on the first day */
	/*
	 * Both start at the average daily load of the first weeks, so that a
	 * runner whose history starts when they joined is not shown a steep
	 * climb from zero.
	 */
	FITNESS_SEED_WARM,
	/*
	 * Both start at ctl0 and atl0 on start (the end of the day before,
	 * as stored from an earlier whole-history computation): the series
	 * goes on from there, days before start ignored.
	 */
	FITNESS_SEED_GIVEN
};

struct fitness_input {
	const struct fitness_load *done;	/* the runs, any order */
	size_t		 ndone;
	const struct fitness_load *planned;	/* planned workouts, any order */
	size_t		 nplanned;
	date_t		 today;		/* runs up to it, plans after it */
	date_t		 end;		/* last day projected (race day) */
	enum fitness_seed seed;
	date_t		 start;		/* FITNESS_SEED_GIVEN: first day */
	double		 ctl0, atl0;	/* ... and the values before it */
};

struct fitness_day {
	double		 load;		/* the day's TSS: run, or planned */
	double		 ctl;		/* end of the day */
	double		 atl;
	double		 tsb;		/* going into the day */
};

struct fitness_series {
	date_t		 first;		/* date of days[0] */
	int		 ndays;
	int		 today;		/* index of today; later days projected */
	double		 ctl0, atl0;	/* the seed, before days[0] */
	struct fitness_day *days;
};

enum fitness_ramp_level { RAMP_OK, RAMP_HIGH, RAMP_TOO_FAST };

/* A calendar week of the series. */
struct fitness_week {
	date_t		 start;		/* first day of the week (maybe before
					   the series: then partial) */
	int		 ndays;		/* days of the series in the week */
	double		 load;		/* TSS of those days */
	double		 ctl_end;	/* CTL on the week's last day in the
					   series */
	double		 ramp;		/* CTL gained over the week */
	enum fitness_ramp_level level;
	bool		 projected;	/* the week ends after today */
};

/*
 * Computes the series from the first run (or today when none; start with
 * FITNESS_SEED_GIVEN) to end.  Returns 0, or -1 when end < today, end is
 * FITNESS_MAX_DAYS or more after today or a given start after today (out
 * is then empty, safe to free).
 * Loads that are not finite or negative count as 0; a run dated after
 * today, a plan dated today or before, anything after end is ignored,
 * and so is anything more than FITNESS_MAX_DAYS before end.
 */
int	 fitness_compute(const struct fitness_input *, struct fitness_series *);
void	 fitness_free(struct fitness_series *);
/* The day of date d, or NULL outside the series. */
const struct fitness_day *fitness_at(const struct fitness_series *, date_t d);
/* CTL(d) - CTL(d - 7) (the seed before the first day); 0 outside. */
double	 fitness_ramp(const struct fitness_series *, date_t d);
enum fitness_ramp_level fitness_ramp_level(double ramp);
/*
 * The series by calendar weeks starting on first: a malloc'ed array of
 * *n weeks (free() it); NULL and 0 for an empty series.
 */
struct fitness_week *fitness_weeks(const struct fitness_series *,
	    enum weekday first, size_t *n);

#endif
