/*
 * fitness: VDOT from a recent race, the best effort among the imported
 * runs of the last 8 weeks, or a conservative default from volume.
 */
#include <criterion/criterion.h>

#include "domain/vdot_estimate.h"
#include "domain/vdot.h"

static const date_t today = 20000;

/* A run of the given VDOT read as a race, days ago. */
static struct run_sample
run(int days_ago, int metres, double vdot, int hr)
{
	struct run_sample r = { today - days_ago, metres,
	    (int)vdot_predict_time(vdot, metres), hr };

	return r;
}

Test(vdot_estimate, best_effort_in_the_window)
{
	struct run_sample r[] = {
		run(2, 10000, 38, 0), run(10, 8000, 46, 0), run(20, 12000, 40, 0),
	};
	double v;

	cr_assert_eq(vdot_best_run(r, 3, today, &v), 1);
	cr_assert_float_eq(v, 46, 0.05);
}

Test(vdot_estimate, runs_that_say_little_are_passed_over)
{
	struct run_sample r[] = {
		run(ESTIMATE_WINDOW_DAYS + 1, 10000, 60, 0),	/* too old */
		run(-1, 10000, 60, 0),				/* tomorrow */
		run(3, 2000, 60, 0),				/* too short */
		{ today - 4, 10000, 1500, 0 },			/* 2:30/km: GPS */
		{ today - 5, 5000, 3300, 0 },			/* 11:00/km: a walk */
		{ today - 6, 4000, 600, 0 },			/* ten minutes */
		run(7, 10000, 41, 0),
	};
	double v;

	cr_assert_eq(vdot_best_run(r, 7, today, &v), 6);
	cr_assert_float_eq(v, 41, 0.05);
	cr_assert_eq(vdot_best_run(r, 6, today, &v), -1);
	cr_assert_eq(v, 0);
}

Test(vdot_estimate, fast_at_an_easy_heart_rate_is_not_believed)
{
	struct run_sample r[] = {
		run(2, 10000, 40, 150), run(4, 10000, 41, 152),
		run(6, 10000, 55, 120),		/* a GPS shortcut, HR says easy */
		run(8, 10000, 39, 148),
	};
	double v;

	cr_assert_eq(vdot_best_run(r, 4, today, &v), 1);
	cr_assert_float_eq(v, 41, 0.05);
}

Test(vdot_estimate, a_race_first_then_runs_then_volume)
{
	struct run_sample r[] = { run(3, 10000, 47, 0) };
	struct vdot_fitness f;

	vdot_estimate(5000, 20 * 60, r, 1, today, 40000, &f);
	cr_assert_eq(f.source, VDOT_FROM_RACE);
	cr_assert_float_eq(f.vdot, 49.8, 0.05);
	cr_assert_eq(f.run, -1);
	vdot_estimate(0, 0, r, 1, today, 40000, &f);
	cr_assert_eq(f.source, VDOT_FROM_RUNS);
	cr_assert_eq(f.run, 0);
	cr_assert_float_eq(f.vdot, 47, 0.05);
	vdot_estimate(0, 0, NULL, 0, today, 50000, &f);
	cr_assert_eq(f.source, VDOT_FROM_VOLUME);
	cr_assert_float_eq(f.vdot, 40.0, 0.01);	/* 30 + 0.2 x 50 */
	vdot_estimate(0, 0, NULL, 0, today, 200000, &f);
	cr_assert_float_eq(f.vdot, ESTIMATE_VOLUME_MAX, 0.01);
}

Test(vdot_estimate, easy_runs_below_the_volume_default_do_not_lower_it)
{
	/* Both are lower bounds of fitness: the larger one is the better. */
	struct run_sample r[] = { run(3, 10000, 35, 0) };
	struct vdot_fitness f;

	vdot_estimate(0, 0, r, 1, today, 50000, &f);
	cr_assert_eq(f.source, VDOT_FROM_VOLUME);
	cr_assert_float_eq(f.vdot, 40.0, 0.01);
	cr_assert_str_eq(vdot_source_name(VDOT_FROM_RUNS), "runs");
}
