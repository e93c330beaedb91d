/*
 * Splits per km or mile from laps: time, distance and heart rate are
 * shared out by distance and nothing is lost or made up.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "domain/splits.h"
#include "domain/units.h"

static struct split_input
lap(double m, int s, double hr)
{
	struct split_input l = { m, s, hr, true, m / 100 };

	return l;
}

Test(splits, even_laps_cut_per_km)
{
	struct split_input	 in[] = { lap(2500, 750, 140), lap(1500, 420, 0) };
	struct split		*s;
	size_t			 n;

	s = splits_resample(in, 2, 1000, &n);
	cr_assert_eq(n, 4);
	cr_assert_float_eq(s[0].moving_s, 300, 1e-9);
	cr_assert_float_eq(s[1].pace_s_per_km, 300, 1e-9);
	/* Split 3 is the first lap's last 500 m and the second's first. */
	cr_assert_float_eq(s[2].moving_s, 150 + 140, 1e-9);
	cr_assert_float_eq(s[2].start_m, 2000, 1e-9);
	cr_assert_eq(s[2].average_hr, 140);	/* half its time had HR */
	cr_assert_eq(s[3].average_hr, 0);	/* none of it */
	cr_assert_float_eq(s[3].pace_s_per_km, 280, 1e-9);
	cr_assert_eq(s[3].index, 4);
	cr_assert_float_eq(s[0].elevation_m, 10, 1e-9);
	free(s);
}

Test(splits, heart_rate_is_time_weighted)
{
	struct split_input	 in[] = { lap(500, 100, 150), lap(500, 300, 170) };
	struct split		*s;
	size_t			 n;

	s = splits_resample(in, 2, 1000, &n);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(s[0].average_hr, (150 * 100 + 170 * 300) / 400.0,
	    1e-9);
	free(s);
}

Test(splits, nothing_lost_or_made_up)
{
	struct split_input	 in[60];
	struct split		*s;
	size_t			 n, i, k;
	double			 dist, time, sd, st, elev, se;

	srand(42);
	for (k = 0; k < 200; k++) {
		size_t m = 1 + (size_t)rand() % 60;

		dist = time = elev = 0;
		for (i = 0; i < m; i++) {
			in[i] = lap(rand() % 3000, 60 + rand() % 900, 150);
			if (in[i].distance_m == 0)
				in[i].moving_s = 0;
			dist += in[i].distance_m;
			time += in[i].moving_s;
			elev += in[i].elevation_m;
		}
		s = splits_resample(in, m, k % 2 ? METRES_PER_MILE : 1000, &n);
		if (dist == 0) {
			cr_assert_null(s);
			continue;
		}
		sd = st = se = 0;
		for (i = 0; i < n; i++) {
			cr_assert_float_eq(s[i].start_m, sd, 1e-6);
			sd += s[i].distance_m;
			st += s[i].moving_s;
			se += s[i].elevation_m;
			if (i + 1 < n)	/* only the last may be short */
				cr_assert_float_eq(s[i].distance_m,
				    k % 2 ? METRES_PER_MILE : 1000, 1e-6);
		}
		cr_assert_float_eq(sd, dist, 1e-6);
		cr_assert_float_eq(st, time, 1e-6);
		cr_assert_float_eq(se, elev, 1e-6);
		free(s);
	}
}

Test(splits, a_crumb_at_the_end_joins_the_last_split)
{
	struct split_input	 in[] = { lap(3004, 900, 0) };
	struct split		*s;
	size_t			 n;

	s = splits_resample(in, 1, 1000, &n);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(s[2].distance_m, 1004, 1e-9);
	free(s);
	in[0].distance_m = 3050;	/* 50 m is a split of its own */
	s = splits_resample(in, 1, 1000, &n);
	cr_assert_eq(n, 4);
	cr_assert_float_eq(s[3].distance_m, 50, 1e-9);
	free(s);
}

Test(splits, convert_keeps_strava_splits_and_skips_standing_laps)
{
	struct split_input	 in[] = {
		lap(1000, 290, 150), lap(0, 0, 0), lap(1001.2, 300, 155),
		lap(380, 110, 160),
	};
	struct split		*s;
	size_t			 n;

	s = splits_convert(in, 4, &n);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(s[1].distance_m, 1001.2, 1e-9);
	cr_assert_float_eq(s[2].start_m, 2001.2, 1e-9);
	cr_assert_eq(s[2].index, 3);
	free(s);
}

Test(splits, unusable_input)
{
	struct split_input	 in[] = { lap(1000, 300, 150), lap(1000, 0, 0) };
	size_t			 n = 5;

	/* Distance without time: an infinite speed. */
	cr_assert_null(splits_resample(in, 2, 1000, &n));
	cr_assert_eq(n, 0);
	in[1] = lap(NAN, 300, 0);
	cr_assert_null(splits_resample(in, 2, 1000, &n));
	in[1] = lap(-5, 300, 0);
	cr_assert_null(splits_convert(in, 2, &n));
	in[1] = lap(1000, 300, INFINITY);
	cr_assert_null(splits_convert(in, 2, &n));
	in[1] = lap(1000, 300, 0);
	cr_assert_null(splits_resample(in, 2, 0, &n));	/* no length */
	cr_assert_null(splits_resample(in, 0, 1000, &n));
	/* Too many splits to draw. */
	in[0] = lap(1e9, 100000, 0);
	cr_assert_null(splits_resample(in, 1, 1000, &n));
}

Test(splits, extremes_leave_out_a_short_last_split)
{
	struct split_input	 in[] = {
		lap(1000, 300, 0), lap(1000, 280, 0), lap(1000, 310, 0),
		lap(200, 40, 0),	/* a sprint finish: 3:20/km */
	};
	struct split		*s;
	size_t			 n, fast, slow;

	s = splits_convert(in, 4, &n);
	splits_extremes(s, n, &fast, &slow);
	cr_assert_eq(fast, 1);
	cr_assert_eq(slow, 2);
	free(s);
	/* Intervals: short laps are not remainders when not last. */
	struct split_input	 iv[] = {
		lap(2000, 640, 0), lap(400, 80, 0), lap(400, 150, 0),
		lap(2000, 650, 0),
	};

	s = splits_convert(iv, 4, &n);
	splits_extremes(s, n, &fast, &slow);
	cr_assert_eq(fast, 1);
	cr_assert_eq(slow, 2);
	free(s);
}
