/*
 * VDOT: the Daniels & Gilbert equations against published figures, the
 * inverse (predictions) and the training pace bands.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "domain/vdot.h"

Test(vdot, known_race_values)
{
	cr_assert_float_eq(vdot_from_race(5000, 20 * 60), 49.8, 0.05);
	cr_assert_float_eq(vdot_from_race(5000, 25 * 60), 38.3, 0.05);
	/* Daniels' table: VDOT 50 runs 10K in 41:21, marathon 3:10:49. */
	cr_assert_float_eq(vdot_from_race(10000, 41 * 60 + 21), 50.0, 0.1);
	cr_assert_float_eq(vdot_from_race(42195, 3 * 3600 + 10 * 60 + 49),
	    50.0, 0.1);
}

Test(vdot, predictions_invert_the_equation)
{
	double t = vdot_predict_time(vdot_from_race(5000, 1200), 42195);

	/* 20:00 5K -> about 3:11 marathon. */
	cr_assert(fabs(t - (3 * 3600 + 11 * 60)) <= 90, "marathon %.0f s", t);
	cr_assert_float_eq(vdot_predict_time(49.806, 5000), 1200, 1.0);
	cr_assert_float_eq(vdot_from_race(HALF_MARATHON_M,
	    vdot_predict_time(61.3, HALF_MARATHON_M)), 61.3, 1e-6);
	/* Longer races take longer, at any fitness. */
	for (double v = VDOT_MIN; v <= VDOT_MAX; v += 5)
		cr_assert_lt(vdot_predict_time(v, 10000),
		    vdot_predict_time(v, HALF_MARATHON_M));
}

Test(vdot, velocity_at_fraction)
{
	/* At 100% the oxygen cost equals VDOT. */
	double v = vdot_velocity(50, 1.0);

	cr_assert_float_eq(-4.60 + 0.182258 * v + 0.000104 * v * v, 50.0, 1e-9);
	cr_assert_lt(vdot_velocity(50, 0.7), v);
}

static int
mid(const int r[2])
{
	return (r[0] + r[1]) / 2;
}

Test(vdot, paces_match_daniels_table_at_50)
{
	int p[PACE__MAX][2];

	vdot_paces(50.0, p);
	/* Table: M 4:31, T 4:15, I 3:55, R about 3:40 per km. */
	cr_assert(abs(mid(p[PACE_M]) - 271) <= 3, "M %d", mid(p[PACE_M]));
	cr_assert(abs(mid(p[PACE_T]) - 255) <= 4, "T %d", mid(p[PACE_T]));
	cr_assert(abs(mid(p[PACE_I]) - 235) <= 4, "I %d", mid(p[PACE_I]));
	cr_assert(abs(mid(p[PACE_R]) - 220) <= 5, "R %d", mid(p[PACE_R]));
	/* E loosely 4:51-5:29. */
	cr_assert(abs(p[PACE_E][0] - 291) <= 6, "E fast %d", p[PACE_E][0]);
	cr_assert(abs(p[PACE_E][1] - 329) <= 6, "E slow %d", p[PACE_E][1]);
}

Test(vdot, paces_ordered_at_every_fitness)
{
	int p[PACE__MAX][2], z, e;

	for (double v = VDOT_MIN; v <= VDOT_MAX; v += 0.1) {
		vdot_paces(v, p);
		for (z = 0; z < PACE__MAX; z++) {
			cr_assert_lt(p[z][0], p[z][1], "vdot %.1f zone %d", v, z);
			for (e = 0; z > 0 && e < 2; e++)
				cr_assert_lt(p[z][e], p[z - 1][e],
				    "vdot %.1f zone %s end %d", v,
				    pace_zone_key(z), e);
		}
	}
}

Test(vdot, zone_keys)
{
	cr_assert_str_eq(pace_zone_key(PACE_E), "E");
	cr_assert_str_eq(pace_zone_key(PACE_M), "M");
	cr_assert_str_eq(pace_zone_key(PACE_T), "T");
	cr_assert_str_eq(pace_zone_key(PACE_I), "I");
	cr_assert_str_eq(pace_zone_key(PACE_R), "R");
}
