/*
 * workout_steps: building a generated workout's steps and describing
 * them in km and mi.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/workout_steps.h"

#define E_FAST	330	/* 5:30/km */
#define E_SLOW	360

static struct ws_workout
build(const struct ws_spec *sp)
{
	struct ws_workout w;
	char err[128] = "";

	cr_assert_eq(ws_build(sp, &w, err, sizeof(err)), 0, "%s", err);
	return w;
}

static void
assert_render(const struct ws_workout *w, enum unit u, const char *want)
{
	char b[WS_RENDER_MAX];
	int n = ws_render(b, sizeof(b), w, u);

	cr_assert_str_eq(b, want);
	cr_assert_eq(n, (int)strlen(want));
}

Test(workout_steps, intervals_km_and_mi)
{
	struct ws_spec sp = { .session = WS_INTERVALS, .distance_m = 10000,
	    .pace_fast_s = 250, .pace_slow_s = 255, .easy_fast_s = E_FAST,
	    .easy_slow_s = E_SLOW, .reps = 6, .rep_m = 800, .recovery_m = 400 };
	struct ws_workout w = build(&sp);

	cr_assert_eq(w.nblocks, 3);
	cr_assert_eq(w.blocks[0].work.intensity, WS_WARMUP);
	cr_assert_eq(w.blocks[0].work.value, 1400);
	cr_assert_eq(w.blocks[1].reps, 6);
	cr_assert_eq(w.blocks[1].work.target, WS_TGT_PACE);
	cr_assert_eq(w.blocks[1].recovery.value, 400);
	cr_assert_eq(w.blocks[2].work.intensity, WS_COOLDOWN);
	cr_assert_eq(ws_step_count(&w), 4);
	cr_assert_eq(ws_distance_m(&w), 10000);
	/* 2 x 1.4 km at 5:45 + 6 x (800 m at 4:12.5 + 400 m at 5:45). */
	cr_assert_eq(ws_duration_s(&w), 483 + 483 + 6 * (202 + 138));
	assert_render(&w, UNIT_KM, "1.4 km warm-up at 5:30-6:00/km, "
	    "6 x 800 m at 4:10-4:15/km (3:20-3:24 each) with 400 m jog, "
	    "1.4 km cool-down at 5:30-6:00/km");
	assert_render(&w, UNIT_MI, "0.9 mi warm-up at 8:51-9:39/mi, "
	    "6 x 800 m in 3:20-3:24 (4:10-4:15/km) with 400 m jog, "
	    "0.9 mi cool-down at 8:51-9:39/mi");
}

Test(workout_steps, mile_reps)
{
	struct ws_spec sp = { .session = WS_INTERVALS, .distance_m = 12000,
	    .pace_fast_s = 240, .pace_slow_s = 245, .easy_fast_s = E_FAST,
	    .easy_slow_s = E_SLOW, .reps = 4, .rep_m = 1609, .recovery_m = 400 };
	struct ws_workout w = build(&sp);
	char b[WS_RENDER_MAX];

	ws_render_step(b, sizeof(b), &w.blocks[1].work, UNIT_MI);
	cr_assert_str_eq(b, "1 mi at 6:26-6:34/mi");
	ws_render_step(b, sizeof(b), &w.blocks[1].work, UNIT_KM);
	cr_assert_str_eq(b, "1 mi at 4:00-4:05/km (6:26-6:34 each)");
	/* A 1 km rep for a mile runner: per-km pace and the rep time. */
	sp.rep_m = 1000;
	w = build(&sp);
	ws_render_step(b, sizeof(b), &w.blocks[1].work, UNIT_MI);
	cr_assert_str_eq(b, "1 km in 4:00-4:05 (4:00-4:05/km)");
}

Test(workout_steps, hills_say_effort)
{
	struct ws_spec sp = { .session = WS_INTERVALS, .distance_m = 8000,
	    .pace_fast_s = 230, .pace_slow_s = 235, .easy_fast_s = E_FAST,
	    .easy_slow_s = E_SLOW, .reps = 8, .rep_m = 200, .recovery_m = 200,
	    .hills = true };
	struct ws_workout w = build(&sp);

	cr_assert_eq(w.blocks[1].work.target, WS_TGT_EFFORT);
	cr_assert_eq(w.blocks[1].work.effort, WS_EFFORT_HARD);
	assert_render(&w, UNIT_KM, "2.4 km warm-up at 5:30-6:00/km, "
	    "8 x 200 m uphill at hard effort (or on the flat), 200 m jog back "
	    "down, 2.4 km cool-down at 5:30-6:00/km");
}

Test(workout_steps, easy_with_strides)
{
	struct ws_spec sp = { .session = WS_EASY, .distance_m = 8000,
	    .pace_fast_s = E_FAST, .pace_slow_s = E_SLOW, .strides = 6 };
	struct ws_workout w = build(&sp);

	cr_assert_eq(w.nblocks, 2);
	cr_assert_eq(w.blocks[1].work.duration, WS_DUR_TIME);
	cr_assert_eq(w.blocks[1].work.value, WS_STRIDE_S);
	assert_render(&w, UNIT_KM, "8 km easy at 5:30-6:00/km, then 6 x 20 s "
	    "strides, fast but relaxed (1 min easy between)");
	/* Strides are run, not planned distance: 6 x 80 s at 6:00/km. */
	cr_assert_eq(ws_distance_m(&w), 8000 + 6 * 80 * 1000 / 360);
}

Test(workout_steps, long_run_with_marathon_finish)
{
	struct ws_spec sp = { .session = WS_LONG, .distance_m = 26000,
	    .pace_fast_s = 280, .pace_slow_s = 285, .easy_fast_s = E_FAST,
	    .easy_slow_s = E_SLOW, .block_m = 6500 };
	struct ws_workout w = build(&sp);

	cr_assert_eq(w.nblocks, 2);
	assert_render(&w, UNIT_KM, "19.5 km easy at 5:30-6:00/km, "
	    "6.5 km at 4:40-4:45/km");
	cr_assert_eq(ws_distance_m(&w), 26000);
}

Test(workout_steps, tempo_steady_recovery_race)
{
	struct ws_spec sp = { .session = WS_TEMPO, .distance_m = 10000,
	    .pace_fast_s = 265, .pace_slow_s = 270, .easy_fast_s = E_FAST,
	    .easy_slow_s = E_SLOW, .block_m = 5000 };
	struct ws_workout w = build(&sp);

	assert_render(&w, UNIT_KM, "2.5 km warm-up at 5:30-6:00/km, "
	    "5 km at 4:25-4:30/km, 2.5 km cool-down at 5:30-6:00/km");
	sp = (struct ws_spec){ .session = WS_RECOVERY_RUN, .distance_m = 5000,
	    .pace_fast_s = 360, .pace_slow_s = 380 };
	w = build(&sp);
	assert_render(&w, UNIT_KM, "5 km easy at 6:00-6:20/km");
	sp = (struct ws_spec){ .session = WS_RACE, .distance_m = 42195,
	    .pace_fast_s = 300, .pace_slow_s = 300 };
	w = build(&sp);
	assert_render(&w, UNIT_KM, "42.2 km at 5:00/km");
	assert_render(&w, UNIT_MI, "26.2 mi at 8:03/mi");
}

Test(workout_steps, no_easy_pace_means_no_target)
{
	struct ws_spec sp = { .session = WS_TEMPO, .distance_m = 8000,
	    .pace_fast_s = 265, .pace_slow_s = 270, .block_m = 4000 };
	struct ws_workout w = build(&sp);

	cr_assert_eq(w.blocks[0].work.target, WS_TGT_NONE);
	assert_render(&w, UNIT_KM, "2 km warm-up, 4 km at 4:25-4:30/km, "
	    "2 km cool-down");
}

Test(workout_steps, bad_specs_are_refused_with_a_reason)
{
	static const struct {
		struct ws_spec	 sp;
		const char	*msg;
	} bad[] = {
		{ { .session = WS_INTERVALS, .distance_m = 5000, .pace_fast_s = 250,
		    .pace_slow_s = 255, .reps = 6, .rep_m = 800, .recovery_m = 400 },
		  "the main set (7200 m) is longer than the workout (5000 m)" },
		{ { .session = WS_INTERVALS, .distance_m = 50000, .pace_fast_s = 250,
		    .pace_slow_s = 255, .reps = 41, .rep_m = 200, .recovery_m = 200 },
		  "41 reps: at most 40" },
		{ { .session = WS_EASY, .distance_m = 8000, .pace_fast_s = 360,
		    .pace_slow_s = 330 }, "pace range 360-330 s/km is out of range" },
		{ { .session = WS_EASY, .distance_m = 8000, .pace_fast_s = 60,
		    .pace_slow_s = 70 }, "pace range 60-70 s/km is out of range" },
		{ { .session = WS_SESSION__MAX, .distance_m = 8000, .pace_fast_s = 330,
		    .pace_slow_s = 360 }, "unknown workout type" },
		{ { .session = WS_EASY, .distance_m = 0, .pace_fast_s = 330,
		    .pace_slow_s = 360 }, "distance 0 m is out of range" },
		{ { .session = WS_TEMPO, .distance_m = 5000, .pace_fast_s = 265,
		    .pace_slow_s = 270, .block_m = 6000 },
		  "the block (6000 m) is longer than the workout (5000 m)" },
		{ { .session = WS_TEMPO, .distance_m = 9000, .pace_fast_s = 265,
		    .pace_slow_s = 270, .block_m = 6000, .reps = 2, .rep_m = 1000,
		    .recovery_m = 200 }, "reps and a continuous block at once" },
	};
	struct ws_workout w;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		cr_assert_eq(ws_build(&bad[i].sp, &w, err, sizeof(err)), -1, "case %zu", i);
		cr_assert_str_eq(err, bad[i].msg, "case %zu", i);
		cr_assert_eq(w.nblocks, 0);
	}
}

/* Every rep structure the generator uses, at every distance it gives
 * quality sessions: the steps add up to the workout, and the text fits. */
Test(workout_steps, steps_add_up_over_the_generator_range)
{
	static const int reps_m[][2] = { { 200, 200 }, { 400, 400 }, { 800, 400 },
	    { 1000, 400 }, { 1000, 200 }, { 1200, 400 }, { 2000, 400 } };
	char b[WS_RENDER_MAX];
	size_t k;
	int d, r;

	for (k = 0; k < sizeof(reps_m) / sizeof(reps_m[0]); k++)
		for (d = 5000; d <= 20000; d += 500)
			for (r = 2; r <= 12; r++) {
				struct ws_spec sp = { .session = WS_INTERVALS,
				    .distance_m = d, .pace_fast_s = 250,
				    .pace_slow_s = 255, .easy_fast_s = E_FAST,
				    .easy_slow_s = E_SLOW, .reps = r,
				    .rep_m = reps_m[k][0], .recovery_m = reps_m[k][1] };
				struct ws_workout w;

				if (ws_build(&sp, &w, NULL, 0) != 0) {
					cr_assert_gt(r * (reps_m[k][0] + reps_m[k][1]), d);
					continue;
				}
				cr_assert_eq(ws_distance_m(&w), d);
				cr_assert_lt(ws_render(b, sizeof(b), &w, UNIT_MI), WS_RENDER_MAX);
				cr_assert_lt(ws_render(b, sizeof(b), &w, UNIT_KM), WS_RENDER_MAX);
			}
}

Test(workout_steps, render_truncates_like_snprintf)
{
	struct ws_spec sp = { .session = WS_RECOVERY_RUN, .distance_m = 5000,
	    .pace_fast_s = 360, .pace_slow_s = 380 };
	struct ws_workout w = build(&sp);
	char b[8];

	cr_assert_eq(ws_render(b, sizeof(b), &w, UNIT_KM), 25);
	cr_assert_str_eq(b, "5 km ea");
	cr_assert_eq(ws_render(NULL, 0, &w, UNIT_KM), 25);
}
