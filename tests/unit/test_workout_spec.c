/*
 * domain/workout_spec: a stored workout's steps read back from the
 * generator's description templates (reps, tempo blocks, a long run's
 * fast finish, hills, strides), and a steady run for anything else.
 */
#include <criterion/criterion.h>

#include "domain/workout_spec.h"

static struct ws_spec sp;

Test(workout_spec, intervals_read_their_reps_and_the_jog_between)
{
	workout_spec_from("intervals", 10400, 250, 255, "{d:2000} easy, "
	    "{R:6:800:240:245} with 400 m jog, {d:1600} easy", &sp);
	cr_assert_eq(sp.session, WS_INTERVALS);
	cr_assert_eq(sp.reps, 6);
	cr_assert_eq(sp.rep_m, 800);
	cr_assert_eq(sp.recovery_m, 400);
	cr_assert_eq(sp.pace_fast_s, 240);
	cr_assert_eq(sp.pace_slow_s, 245);
}

Test(workout_spec, tempo_long_hills_and_strides)
{
	workout_spec_from("tempo", 8500, 270, 280, "{d:2000} easy, {d:5000} at "
	    "{p:270:280} (threshold), {d:1500} easy", &sp);
	cr_assert_eq(sp.block_m, 5000);
	cr_assert_eq(sp.reps, 0);
	workout_spec_from("long", 20000, 330, 360, "{d:20000} long run: "
	    "{d:16000} easy at {p:330:360}, then the last {d:4000} at marathon "
	    "pace ({p:290:300})", &sp);
	cr_assert_eq(sp.session, WS_LONG);
	cr_assert_eq(sp.block_m, 4000);
	cr_assert_eq(sp.easy_fast_s, 330);
	cr_assert_eq(sp.pace_fast_s, 290);
	workout_spec_from("intervals", 7200, 300, 330, "{d:2000} easy, 8 x 200 m "
	    "uphill (about 45-60 s) at a hard, controlled effort: jog back "
	    "down, {d:2000} easy", &sp);
	cr_assert(sp.hills);
	cr_assert_eq(sp.reps, 8);
	workout_spec_from("easy", 8000, 330, 360, "{d:8000} easy at {p:330:360}, "
	    "then 6 x 20 s strides", &sp);
	cr_assert_eq(sp.strides, 6);
}

Test(workout_spec, anything_else_is_one_steady_run_that_builds)
{
	struct ws_workout	w;
	char			err[128];

	workout_spec_from("easy", 6000, 0, 0, "Run to the lake and back", &sp);
	cr_assert_eq(sp.reps + sp.block_m + sp.strides, 0);
	cr_assert_eq(sp.pace_fast_s, WSPEC_DEFAULT_FAST_S);
	cr_assert_eq(workout_steps_of("easy", 6000, 0, 0, "Run to the lake",
	    &w, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(ws_step_count(&w), 1);
	/* Reps that cannot fit fall back to the steady run. */
	cr_assert_eq(workout_steps_of("intervals", 3000, 250, 255,
	    "{R:20:1000:240:245}", &w, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(ws_step_count(&w), 1);
	cr_assert_eq(workout_steps_of("intervals", 10400, 250, 255,
	    "{d:2000} easy, {R:6:800:240:245} with 400 m jog, {d:1600} easy",
	    &w, err, sizeof(err)), 0, "%s", err);
	cr_assert_geq(ws_step_count(&w), 3);
}
