/*
 * vdot: the Daniels & Gilbert equations, predictions and training paces.
 */
#include <math.h>

#include "domain/vdot.h"

/*
 * Pace bands as fractions of VDOT (the oxygen cost the pace needs over
 * the runner's VO2max).  Chosen so the middle of each band matches
 * Daniels' published tables within a few seconds per km (VDOT 50: E
 * 4:53-5:33, T 4:13-4:19, I 3:50-4:00, R 3:36-3:44).  M is the
 * predicted marathon pace +- M_SPREAD_S.
 */
static const double zone_pct[PACE__MAX][2] = {
	[PACE_E] = { 0.74, 0.64 },
	[PACE_T] = { 0.89, 0.86 },
	[PACE_I] = { 1.00, 0.95 },
	[PACE_R] = { 1.08, 1.04 },
};
#define M_SPREAD_S	3
#define MARATHON_M	42195.0

static const char *const zone_keys[PACE__MAX] = { "E", "M", "T", "I", "R" };

const char *
pace_zone_key(enum pace_zone z)
{
	return (unsigned)z < PACE__MAX ? zone_keys[z] : "E";
}

static double
oxygen_cost(double v)
{
	return -4.60 + 0.182258 * v + 0.000104 * v * v;
}

static double
vo2max_fraction(double minutes)
{
	return 0.8 + 0.1894393 * exp(-0.012778 * minutes) +
	    0.2989558 * exp(-0.1932605 * minutes);
}

double
vdot_from_race(double metres, double seconds)
{
	double t = seconds / 60.0;

	return oxygen_cost(metres / t) / vo2max_fraction(t);
}

double
vdot_predict_time(double vdot, double metres)
{
	/* VDOT(t) falls monotonically in t: bisect on [1 min, 24 h]. */
	double lo = 60.0, hi = 86400.0, mid;
	int i;

	for (i = 0; i < 60; i++) {
		mid = (lo + hi) / 2;
		if (vdot_from_race(metres, mid) > vdot)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

double
vdot_velocity(double vdot, double pct)
{
	/* Solve 0.000104 v^2 + 0.182258 v - 4.60 - pct*vdot = 0 for v > 0. */
	double a = 0.000104, b = 0.182258, c = -4.60 - pct * vdot;

	return (-b + sqrt(b * b - 4 * a * c)) / (2 * a);
}

static int
pace_at(double vdot, double pct)
{
	return (int)lround(60000.0 / vdot_velocity(vdot, pct));
}

void
vdot_paces(double vdot, int paces[PACE__MAX][2])
{
	int z, m;

	for (z = 0; z < PACE__MAX; z++) {
		if (z == PACE_M)
			continue;
		paces[z][0] = pace_at(vdot, zone_pct[z][0]);
		paces[z][1] = pace_at(vdot, zone_pct[z][1]);
	}
	m = (int)lround(vdot_predict_time(vdot, MARATHON_M) /
	    (MARATHON_M / 1000.0));
	paces[PACE_M][0] = m - M_SPREAD_S;
	paces[PACE_M][1] = m + M_SPREAD_S;
	/* Rounding must never let a harder zone be slower than an easier one. */
	for (z = 1; z < PACE__MAX; z++)
		for (m = 0; m < 2; m++)
			if (paces[z][m] >= paces[z - 1][m])
				paces[z][m] = paces[z - 1][m] - 1;
}
