/*
 * plan_profile: how a plan is shaped for its race distance.
 *
 * Four anchors (5K, 10K, half, marathon) carry the figures of published
 * plans (docs/training-plan-rules.md gives each source); any distance in
 * between gets figures interpolated on a log scale of distance, so a 15K
 * or a 30K gets a taper, a long run and a minimum length of its own
 * rather than those of the class below it.  Shorter than 5K: the 5K's.
 */
#include <math.h>
#include <stdio.h>

#include "domain/plan_internal.h"

#define KM	1000
#define MIN	60

/* Figures at 5K, 10K, half, marathon (names as the fields they set). */
static const double anchor_m[RC__MAX] = { 5000, 10000, HALF_MARATHON_M, 42195 };
static const struct {
	double	 min_weeks, taper_days, last_long_days;
	double	 long_lo, long_hi, long_time;
	double	 long_share, long_share_max;
	double	 peak_lo, peak_cap, ready_week, ready_long;
} anchors[RC__MAX] = {
	{  4,  7,  8, 12 * KM, 16 * KM, 100 * MIN, 0.28, 0.40,
	   30 * KM, 120 * KM, 15 * KM,  6 * KM },
	{  6, 10,  8, 14 * KM, 18 * KM, 120 * MIN, 0.30, 0.42,
	   40 * KM, 130 * KM, 20 * KM, 10 * KM },
	{  8, 14, 10, 16 * KM, 22 * KM, 150 * MIN, 0.32, 0.45,
	   50 * KM, 145 * KM, 30 * KM, 15 * KM },
	{ 12, 21, 14, 29 * KM, 34 * KM, 180 * MIN, 0.40, 0.50,
	   60 * KM, 160 * KM, 45 * KM, 26 * KM },
};

static const char *const class_names[RC__MAX] = {
	"5K", "10K", "half marathon", "marathon",
};

double
plan_exact_distance(int m)
{
	return m == 21097 || m == 21098 ? HALF_MARATHON_M : (double)m;
}

/* The session menu: up to 7.5 km a 5K's, 15 km a 10K's, 30 km a half's. */
static enum race_class
menu_class(int d)
{
	return d <= 7500 ? RC_5K : d <= 15000 ? RC_10K : d <= 30000 ? RC_HALF :
	    RC_MARATHON;
}

/* Anchor i and the fraction t towards anchor i + 1 for distance d. */
static int
position(double d, double *t)
{
	int i;

	*t = 0;
	if (d <= anchor_m[0])
		return 0;
	for (i = 0; i + 1 < RC__MAX; i++)
		if (d <= anchor_m[i + 1]) {
			*t = log(d / anchor_m[i]) / log(anchor_m[i + 1] /
			    anchor_m[i]);
			return i;
		}
	return RC__MAX - 1;
}

#define LERP(f)	(i + 1 < RC__MAX ? anchors[i].f + t * (anchors[i + 1].f - \
		    anchors[i].f) : anchors[i].f)

void
plan_profile(int race_distance, struct race_profile *p)
{
	double t, d = plan_exact_distance(race_distance);
	int i = position(d, &t);

	p->distance_m = race_distance;
	p->exact_m = d;
	p->rc = menu_class(race_distance);
	p->min_weeks = (int)ceil(LERP(min_weeks) - 1e-9);
	p->taper_days = (int)lround(LERP(taper_days));
	p->last_long_days = (int)lround(LERP(last_long_days));
	p->long_lo_m = round_near_m(LERP(long_lo));
	p->long_hi_m = round_near_m(LERP(long_hi));
	p->long_time_s = (int)lround(LERP(long_time));
	p->long_share = LERP(long_share);
	p->long_share_max = LERP(long_share_max);
	p->peak_lo_m = round_near_m(LERP(peak_lo));
	p->peak_cap_m = round_near_m(LERP(peak_cap));
	p->ready_week_m = round_near_m(LERP(ready_week));
	p->ready_long_m = round_near_m(LERP(ready_long));
	p->race_finish = race_distance > 15000;
}

void
plan_profile_name(const struct race_profile *p, enum unit u, char *out,
    size_t n)
{
	char d[24];
	int i;

	for (i = 0; i < RC__MAX; i++)
		if (fabs(p->exact_m - anchor_m[i]) < 1) {
			snprintf(out, n, "%s", class_names[i]);
			return;
		}
	units_format_distance(d, sizeof(d), p->distance_m, u);
	snprintf(out, n, "%s race", d);
}
