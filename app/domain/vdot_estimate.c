/*
 * fitness: VDOT from a race, from imported runs or from weekly volume.
 */
#include <math.h>
#include <stdlib.h>

#include "core/util.h"
#include "domain/vdot_estimate.h"
#include "domain/vdot.h"

static const char *const source_names[] = { "race", "runs", "volume" };

const char *
vdot_source_name(enum vdot_source s)
{
	return (unsigned)s <= VDOT_FROM_VOLUME ? source_names[s] : "volume";
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Median of the known heart rates, 0 when fewer than three are known. */
static int
median_hr(const struct run_sample *r, size_t n)
{
	int *hr = xmalloc(n * sizeof(*hr) + 1), med = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (r[i].avg_hr > 0)
			hr[k++] = r[i].avg_hr;
	if (k >= 3) {
		qsort(hr, k, sizeof(*hr), cmp_int);
		med = hr[k / 2];
	}
	free(hr);
	return med;
}

/* A run that can stand for an effort: in the window, run-like, long enough. */
static int
qualifies(const struct run_sample *r, date_t today)
{
	double per_km;

	if (r->date > today || r->date < today - ESTIMATE_WINDOW_DAYS ||
	    r->distance_m < ESTIMATE_MIN_RUN_M ||
	    r->distance_m > ESTIMATE_MAX_RUN_M ||
	    r->moving_s < ESTIMATE_MIN_RUN_S)
		return 0;
	per_km = r->moving_s * 1000.0 / r->distance_m;
	return per_km >= ESTIMATE_FAST_S_PER_KM && per_km <= ESTIMATE_SLOW_S_PER_KM;
}

int
vdot_best_run(const struct run_sample *r, size_t n, date_t today,
    double *vdot)
{
	int med = median_hr(r, n), best = -1;
	size_t i;
	double v;

	*vdot = 0;
	for (i = 0; i < n; i++) {
		if (!qualifies(&r[i], today) ||
		    (med > 0 && r[i].avg_hr > 0 && r[i].avg_hr < med))
			continue;
		v = vdot_from_race(r[i].distance_m, r[i].moving_s);
		if (v < VDOT_MIN || v > VDOT_MAX || v <= *vdot)
			continue;
		*vdot = v;
		best = (int)i;
	}
	return best;
}

double
vdot_from_volume(int weekly_m)
{
	double v = ESTIMATE_VOLUME_BASE + ESTIMATE_VOLUME_PER_KM * weekly_m / 1000.0;

	return v > ESTIMATE_VOLUME_MAX ? ESTIMATE_VOLUME_MAX : v;
}

void
vdot_estimate(int race_m, int race_s, const struct run_sample *runs,
    size_t n, date_t today, int weekly_m, struct vdot_fitness *out)
{
	double v, vol = vdot_from_volume(weekly_m);
	int best;

	out->run = -1;
	if (race_m > 0 && race_s > 0) {
		v = vdot_from_race(race_m == 21097 || race_m == 21098 ?
		    HALF_MARATHON_M : race_m, race_s);
		out->source = VDOT_FROM_RACE;
	} else if ((best = vdot_best_run(runs, n, today, &v)) >= 0 &&
	    v >= vol) {
		out->source = VDOT_FROM_RUNS;
		out->run = best;
	} else {
		v = vol;
		out->source = VDOT_FROM_VOLUME;
	}
	out->vdot = round(v * 10) / 10;
}
