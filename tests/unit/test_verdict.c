/*
 * verdict: a run against each target of its workout (issue 15.5).
 */
#include <criterion/criterion.h>

#include "domain/verdict.h"

Test(verdict, distance_uses_the_matchers_tolerance)
{
	cr_expect_eq(verdict_distance(9000, 10000), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_distance(11000, 10000), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_distance(8999, 10000), VERDICT_UNDER);
	cr_expect_eq(verdict_distance(11001, 10000), VERDICT_OVER);
	cr_expect_eq(verdict_distance(5000, 0), VERDICT_NONE);
	cr_expect_eq(verdict_distance(0, 10000), VERDICT_NONE);
}

Test(verdict, duration_is_looser)
{
	cr_expect_eq(verdict_duration(3400, 3000), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_duration(3451, 3000), VERDICT_OVER);
	cr_expect_eq(verdict_duration(2549, 3000), VERDICT_UNDER);
	cr_expect_eq(verdict_duration(2550, 3000), VERDICT_IN_RANGE);
}

Test(verdict, pace_in_its_range_give_or_take_a_few_seconds)
{
	/* 5:00-5:30/km */
	cr_expect_eq(verdict_pace(302, 300, 330), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_pace(295, 300, 330), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_pace(294, 300, 330), VERDICT_UNDER);
	cr_expect_eq(verdict_pace(335, 300, 330), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_pace(336, 300, 330), VERDICT_OVER);
	cr_expect_eq(verdict_pace(272, 272, 0), VERDICT_IN_RANGE);
	cr_expect_eq(verdict_pace(300, 0, 0), VERDICT_NONE);
	cr_expect_eq(verdict_pace(0, 300, 330), VERDICT_NONE);
}

Test(verdict, run_pace_rounds)
{
	cr_expect_eq(verdict_run_pace(10000, 3000), 300);
	cr_expect_eq(verdict_run_pace(3333, 1000), 300);
	cr_expect_eq(verdict_run_pace(0, 1000), 0);
}
