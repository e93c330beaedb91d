/*
 * laps: which laps of a run were the reps of an interval or tempo
 * session (issue 15.5), to judge their pace instead of the whole run's,
 * whose warm-up, recoveries and cool-down make any average meaningless.
 *
 * A watch's laps of such a session alternate fast reps with slow jogs.
 * The reps are the laps of at least LAPS_REP_MIN_M whose pace is within
 * LAPS_REP_SPREAD_PCT of the fastest such lap.  A run whose laps are all
 * alike (automatic 1 km laps of a steady run) has no reps: 0.  Pure.
 */
#ifndef CADENCE_LAPS_H
#define CADENCE_LAPS_H

#include <stddef.h>

#define LAPS_REP_MIN_M		150	/* shorter laps are strides or noise */
#define LAPS_REP_SPREAD_PCT	12	/* a rep is this close to the fastest */

struct lap {
	int	 distance_m;
	int	 moving_s;
};

/*
 * The indices of the rep laps, in order, into idx (room for n); returns
 * how many (0: none found).
 */
size_t	laps_reps(const struct lap *, size_t n, size_t *idx);

#endif
