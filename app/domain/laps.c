/* laps: see laps.h. */
#include "domain/laps.h"
#include "domain/verdict.h"

static int
lap_pace(const struct lap *l)
{
	return l->distance_m >= LAPS_REP_MIN_M ?
	    verdict_run_pace(l->distance_m, l->moving_s) : 0;
}

size_t
laps_reps(const struct lap *laps, size_t n, size_t *idx)
{
	size_t	 i, k = 0, counted = 0;
	int	 fastest = 0, p;

	for (i = 0; i < n; i++) {
		if ((p = lap_pace(&laps[i])) <= 0)
			continue;
		counted++;
		if (fastest == 0 || p < fastest)
			fastest = p;
	}
	if (counted < 2)
		return 0;
	for (i = 0; i < n; i++) {
		p = lap_pace(&laps[i]);
		/* p within SPREAD % of the fastest, in integers. */
		if (p > 0 && 100LL * p <= (100LL + LAPS_REP_SPREAD_PCT) * fastest)
			idx[k++] = i;
	}
	/* Every lap alike: a steady run's automatic laps, not reps. */
	return k == counted ? 0 : k;
}
