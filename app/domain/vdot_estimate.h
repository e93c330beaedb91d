/*
 * vdot_estimate: a runner's VDOT today, from what Cadence knows of them.
 *
 * In order of trust: a recent race (vdot_from_race), else the best effort
 * among the runs imported over the last ESTIMATE_WINDOW_DAYS, else a
 * conservative default from weekly volume.  A training run is rarely
 * all-out, so the VDOT of a run read as a race is a lower bound of the
 * runner's fitness; so is the volume default.  vdot_estimate() takes
 * the runs' estimate when it is at least the volume default, and says
 * which run it came from.  Pure: runs and "today" are inputs.
 */
#ifndef CADENCE_VDOT_ESTIMATE_H
#define CADENCE_VDOT_ESTIMATE_H

#include <stddef.h>

#include "domain/date.h"

#define ESTIMATE_WINDOW_DAYS	56	/* runs of the last 8 weeks count */
#define ESTIMATE_MIN_RUN_M	3000	/* shorter efforts say little */
#define ESTIMATE_MAX_RUN_M	42195
#define ESTIMATE_MIN_RUN_S	(12 * 60)
#define ESTIMATE_FAST_S_PER_KM	150	/* faster than 2:30/km: a GPS error */
#define ESTIMATE_SLOW_S_PER_KM	600	/* slower than 10:00/km: walking */
#define ESTIMATE_VOLUME_BASE	30.0	/* VDOT = base + per_km x weekly km */
#define ESTIMATE_VOLUME_PER_KM	0.2
#define ESTIMATE_VOLUME_MAX	45.0

/* One imported run. */
struct run_sample {
	date_t	 date;		/* local date of the start */
	int	 distance_m;
	int	 moving_s;
	int	 avg_hr;	/* beats per minute, 0: unknown */
};

enum vdot_source { VDOT_FROM_RACE, VDOT_FROM_RUNS, VDOT_FROM_VOLUME };

struct vdot_fitness {
	double		 vdot;		/* rounded to 0.1 */
	enum vdot_source source;
	int		 run;		/* index of the run used, -1: none */
};

/*
 * The best effort among runs (n of them) dated within the window before
 * today: its VDOT and index, or -1 (vdot 0) when no run qualifies.  A
 * run whose heart rate (when known) is below the median of the runs'
 * is passed over: fast at an easy heart rate is more likely a GPS or a
 * labelling error than fitness.
 */
int	 vdot_best_run(const struct run_sample *, size_t n, date_t today,
	    double *vdot);
/* The conservative default: base + per_km x weekly km, at most max. */
double	 vdot_from_volume(int weekly_m);
/*
 * Today's fitness from a recent race (race_m > 0 and race_s > 0), else
 * the runs, else the weekly volume.
 */
void	 vdot_estimate(int race_m, int race_s, const struct run_sample *,
	    size_t n, date_t today, int weekly_m, struct vdot_fitness *out);
/* "race", "runs", "volume". */
const char *vdot_source_name(enum vdot_source);

#endif
