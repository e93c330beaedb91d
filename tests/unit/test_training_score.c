/*
 * training/scoring: the runner's thresholds from what Cadence knows of
 * them, and a stored run scored with its laps (else its per-km splits).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/vdot.h"
#include "training/scoring.h"

Test(training_score, thresholds_from_plan_race_or_heart_rates)
{
	struct fitness_profile	 f;
	struct load_thresholds	 t;
	double			 v;
	int			 hr;

	memset(&f, 0, sizeof(f));
	t = training_thresholds(&f, &v, &hr);
	cr_assert_eq(v, 0);
	cr_assert_eq(hr, 0);
	cr_assert_eq(t.pace_s_per_km, 0, "nothing known: no pace method");
	f.race_m = 10000;
	f.race_s = 50 * 60;
	t = training_thresholds(&f, &v, &hr);
	cr_assert_float_eq(v, 40.0, 0.11, "the profile's race: %.1f", v);
	cr_assert_float_eq(t.pace_s_per_km, load_threshold_pace(v), 1e-9);
	f.plan_vdot = 47.5;	/* the active plan's first */
	f.max_hr = 190;
	t = training_thresholds(&f, &v, &hr);
	cr_assert_float_eq(v, 47.5, 1e-9);
	cr_assert_eq(hr, 171, "90 %% of the maximum");
	f.threshold_hr = 168;	/* given: as it is */
	training_thresholds(&f, &v, &hr);
	cr_assert_eq(hr, 168);
}

Test(training_score, laps_first_then_splits_then_the_average)
{
	struct fitness_profile	 f = { .plan_vdot = 50 };
	struct split_input	 laps[3] = {	/* 2 km easy, 2 km hard, 2 km easy */
		{ 2000, 660, 0, false, 0 }, { 2000, 460, 0, false, 0 },
		{ 2000, 660, 0, false, 0 },
	}, km[6];
	struct run_splits	 s;
	struct load_run		 r = { 1780, 6000, 0, 0, LOAD_TYPE_UNKNOWN, NULL, 0 };
	struct load_thresholds	 t;
	struct load_score	 flat, by_laps, by_km, none;
	arena_t			 a;
	double			 v;
	int			 hr, i;

	arena_init(&a);
	t = training_thresholds(&f, &v, &hr);
	memset(&s, 0, sizeof(s));
	flat = training_score(&a, &t, &r, &s, true);
	cr_assert_eq(flat.method, LOAD_PACE);
	s.laps = laps;
	s.nlaps = 3;
	by_laps = training_score(&a, &t, &r, &s, true);
	cr_assert_eq(by_laps.method, LOAD_PACE);
	cr_assert_gt(by_laps.tss, flat.tss + 1, "an interval session scores "
	    "above its average (%.1f, %.1f)", by_laps.tss, flat.tss);
	for (i = 0; i < 6; i++)
		km[i] = laps[i / 2];
	for (i = 0; i < 6; i++) {
		km[i].distance_m = 1000;
		km[i].moving_s /= 2;
	}
	s.nlaps = 0;
	s.metric = km;
	s.nmetric = 6;
	by_km = training_score(&a, &t, &r, &s, true);
	cr_assert_float_eq(by_km.tss, by_laps.tss, 0.5);
	none = training_score(&a, &t, &r, &s, false);
	cr_assert_eq(none.method, LOAD_NONE, "not a run");
	cr_assert_eq(none.tss, 0);
	arena_free(&a);
}
