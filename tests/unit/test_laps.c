/*
 * laps: the reps of an interval session from a watch's laps (15.5).
 */
#include <criterion/criterion.h>

#include "domain/laps.h"

Test(laps, reps_between_warm_up_jogs_and_cool_down)
{
	/* 2 km warm-up, 3 x 1 km at about 4:00 with 400 m jogs, cool-down. */
	static const struct lap l[] = {
		{ 2000, 720 }, { 1000, 240 }, { 400, 180 }, { 1000, 236 },
		{ 400, 185 }, { 1000, 248 }, { 1500, 560 },
	};
	size_t idx[7], n = laps_reps(l, 7, idx);

	cr_assert_eq(n, 3);
	cr_expect_eq(idx[0], 1);
	cr_expect_eq(idx[1], 3);
	cr_expect_eq(idx[2], 5);
}

Test(laps, a_steady_runs_automatic_laps_are_no_reps)
{
	static const struct lap l[] = {
		{ 1000, 360 }, { 1000, 355 }, { 1000, 362 }, { 420, 150 },
	};
	size_t idx[4];

	cr_expect_eq(laps_reps(l, 4, idx), 0);
}

Test(laps, strides_and_empty_laps_are_left_out)
{
	static const struct lap l[] = {
		{ 3000, 1080 }, { 100, 18 }, { 800, 190 }, { 0, 60 },
		{ 800, 186 }, { 1000, 400 },
	};
	size_t idx[6], n = laps_reps(l, 6, idx);

	cr_assert_eq(n, 2);
	cr_expect_eq(idx[0], 2);
	cr_expect_eq(idx[1], 4);
	cr_expect_eq(laps_reps(l, 1, idx), 0);
	cr_expect_eq(laps_reps(NULL, 0, idx), 0);
}
