/*
 * Load per run: rTSS and hrTSS against the worked examples of the sources
 * in docs/training-load.md, the fall-back order, and the estimates'
 * agreement with rTSS at Daniels' paces.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "domain/load.h"
#include "domain/vdot.h"

/* Metres covered in seconds at a pace in s/km. */
static double
metres_at(double seconds, double s_per_km)
{
	return seconds / s_per_km * 1000.0;
}

Test(load, one_hour_at_threshold_is_100)
{
	/* The definition of the TSS scale, pace and heart rate alike. */
	cr_assert_float_eq(load_tss(3600, 1.0), 100.0, 1e-9);
	cr_assert_float_eq(load_rtss(3600, metres_at(3600, 255), 255), 100.0,
	    1e-9);
	cr_assert_float_eq(load_hrtss(3600, 168, 168), 100.0, 1e-9);
}

Test(load, rtss_worked_examples)
{
	/* me-create.com: threshold 4:30/km, 30 min at 5:00/km: IF 0.9, 40.5. */
	cr_assert_float_eq(load_rtss(1800, metres_at(1800, 300), 270), 40.5,
	    1e-9);
	/*
	 * Slowtwitch forum: threshold 15 mph; an hour at 10 mph is 44.4, an
	 * hour at 7.5 mph 25.
	 */
	double tp = 3600.0 / (15 * METRES_PER_MILE / 1000.0);

	cr_assert_float_eq(load_rtss(3600, 10 * METRES_PER_MILE, tp), 44.44,
	    0.01);
	cr_assert_float_eq(load_rtss(3600, 7.5 * METRES_PER_MILE, tp), 25.0,
	    1e-9);
	/* Analytics Zone: threshold 4:15/km, 60 min at 4:45/km: about 80. */
	cr_assert_float_eq(load_rtss(3600, metres_at(3600, 285), 255), 80.0,
	    0.2);
}

Test(load, hrtss_worked_example)
{
	/* Mindful Runner: an hour at 90 % of threshold heart rate: 81. */
	cr_assert_float_eq(load_hrtss(3600, 153, 170), 81.0, 1e-9);
	/* Twice as long, twice the score; the square of the intensity. */
	cr_assert_float_eq(load_hrtss(7200, 153, 170), 162.0, 1e-9);
}

Test(load, threshold_pace_is_daniels_t)
{
	/* Daniels' table: T pace 4:15/km at VDOT 50. */
	cr_assert(fabs(load_threshold_pace(50) - 255) <= 4, "%.1f",
	    load_threshold_pace(50));
	/* Fitter runners have faster thresholds; nonsense VDOT has none. */
	cr_assert_lt(load_threshold_pace(60), load_threshold_pace(40));
	cr_assert_eq(load_threshold_pace(0), 0);
	cr_assert_eq(load_threshold_pace(VDOT_MAX + 1), 0);
}

Test(load, threshold_hr_given_or_from_max)
{
	struct load_athlete a = { 0, 0, 190 };

	cr_assert_eq(load_threshold_hr(&a), (int)lround(190 * LOAD_LTHR_OF_MAX));
	a.threshold_hr = 165;
	cr_assert_eq(load_threshold_hr(&a), 165);
	a.threshold_hr = 20;	/* not a heart rate: the max is used */
	cr_assert_eq(load_threshold_hr(&a), (int)lround(190 * LOAD_LTHR_OF_MAX));
	a.max_hr = 0;
	cr_assert_eq(load_threshold_hr(&a), 0);
}

/* Scores a run for an athlete, thresholds worked out each time. */
static struct load_score
score(const struct load_athlete *a, const struct load_run *r)
{
	struct load_thresholds t = load_thresholds(a);

	return load_run(&t, r);
}

static struct load_run
run_at(double seconds, double s_per_km, double hr)
{
	struct load_run r = { 0 };

	r.moving_s = (int)seconds;
	r.distance_m = metres_at(seconds, s_per_km);
	r.average_hr = hr;
	r.type = LOAD_TYPE_UNKNOWN;
	return r;
}

Test(load, pace_first_then_hr_then_estimate)
{
	struct load_athlete	 a = { 50, 170, 0 };
	struct load_run		 r = run_at(3600, 300, 150);
	struct load_score	 s;

	s = score(&a, &r);
	cr_assert_eq(s.method, LOAD_PACE);
	cr_assert_float_eq(s.tss, load_rtss(3600, r.distance_m,
	    load_threshold_pace(50)), 1e-9);
	a.vdot = 0;
	s = score(&a, &r);
	cr_assert_eq(s.method, LOAD_HR);
	cr_assert_float_eq(s.tss, load_hrtss(3600, 150, 170), 1e-9);
	a.threshold_hr = 0;
	s = score(&a, &r);
	cr_assert_eq(s.method, LOAD_ESTIMATE);
	cr_assert_float_eq(s.tss, load_tss(3600, LOAD_IF_EASY), 1e-9);
	/* A treadmill run without distance skips pace. */
	a.vdot = 50;
	a.threshold_hr = 170;
	r.distance_m = 0;
	cr_assert_eq(score(&a, &r).method, LOAD_HR);
}

Test(load, implausible_measures_fall_through)
{
	struct load_athlete	 a = { 50, 170, 0 };
	/* 10 km in 20 min is no VDOT-50 runner: a GPS glitch. */
	struct load_run		 r = run_at(1200, 120, 160);

	cr_assert_eq(score(&a, &r).method, LOAD_HR);
	r.average_hr = 250;	/* a strap gone wild */
	cr_assert_eq(score(&a, &r).method, LOAD_ESTIMATE);
	r.average_hr = 170 * LOAD_HR_IF_MAX + 2;
	cr_assert_eq(score(&a, &r).method, LOAD_ESTIMATE);
	r.average_hr = NAN;
	cr_assert_eq(score(&a, &r).method, LOAD_ESTIMATE);
}

Test(load, endless_runs_are_clamped_at_their_pace)
{
	struct load_athlete	 a = { 50, 0, 0 };
	struct load_run		 r = run_at(LOAD_MAX_SECONDS * 2.0, 400, 0);
	struct load_run		 max = run_at(LOAD_MAX_SECONDS, 400, 0);

	cr_assert_float_eq(score(&a, &r).tss, score(&a, &max).tss, 1e-6);
	cr_assert_float_eq(score(&a, &r).intensity,
	    load_threshold_pace(50) / 400, 1e-9);
}

Test(load, short_runs_score_nothing)
{
	struct load_athlete	 a = { 50, 170, 0 };
	struct load_run		 r = run_at(LOAD_MIN_SECONDS - 1, 300, 150);
	struct load_score	 s = score(&a, &r);

	cr_assert_eq(s.method, LOAD_NONE);
	cr_assert_eq(s.tss, 0);
}

Test(load, more_duration_or_speed_means_more_load)
{
	struct load_athlete	 a = { 45, 0, 0 };
	double			 prev = 0, tss;
	int			 pace;

	for (pace = 420; pace >= 240; pace -= 10) {
		struct load_run r = run_at(2700, pace, 0);

		tss = score(&a, &r).tss;
		cr_assert_gt(tss, prev, "pace %d", pace);
		prev = tss;
	}
	struct load_run r1 = run_at(1800, 330, 0), r2 = run_at(3600, 330, 0);

	cr_assert_float_eq(score(&a, &r2).tss, 2 * score(&a, &r1).tss,
	    1e-9);
}

Test(load, laps_score_intervals_above_their_average)
{
	/* 2 km easy, 5 x (1 km at I, 400 m jog), 2 km easy. */
	struct load_segment	 laps[13];
	struct load_athlete	 a = { 50, 0, 0 };
	struct load_run		 r = { 0 };
	size_t			 n = 0;
	int			 i, t = 0;
	double			 d = 0, even;

	laps[n++] = (struct load_segment){ 2000, 620 };
	for (i = 0; i < 5; i++) {
		laps[n++] = (struct load_segment){ 1000, 235 };
		laps[n++] = (struct load_segment){ 400, 150 };
	}
	laps[n++] = (struct load_segment){ 2000, 630 };
	for (i = 0; i < (int)n; i++) {
		t += laps[i].moving_s;
		d += laps[i].distance_m;
	}
	r.moving_s = t;
	r.distance_m = d;
	r.type = WORKOUT_INTERVALS;
	even = score(&a, &r).tss;
	r.segments = laps;
	r.nsegments = n;
	/* Sum of t_i IF_i^2 >= T IF_avg^2 (Cauchy-Schwarz), strictly here. */
	cr_assert_gt(score(&a, &r).tss, even * 1.02);
	/* Laps at one even pace change nothing. */
	for (i = 0; i < (int)n; i++)
		laps[i].moving_s = (int)lround(laps[i].distance_m * t / d);
	cr_assert_float_eq(score(&a, &r).tss, even, even * 0.005);
	/* Laps that do not cover the run are not used. */
	r.nsegments = 3;
	cr_assert_float_eq(score(&a, &r).tss, even, 1e-9);
}

Test(load, type_estimates_agree_with_rtss_at_daniels_paces)
{
	/*
	 * An easy hour estimated from its type scores what rTSS gives an hour
	 * at the middle of the E band, within a few points, at any fitness.
	 */
	for (double v = 35; v <= 70; v += 5) {
		int	 p[PACE__MAX][2];
		double	 t = load_threshold_pace(v), e, rec;

		vdot_paces(v, p);
		e = (p[PACE_E][0] + p[PACE_E][1]) / 2.0;
		rec = p[PACE_E][1] + 10;	/* recovery: E's slow end + */
		cr_assert_float_eq(load_planned(WORKOUT_EASY, 3600),
		    load_rtss(3600, metres_at(3600, e), t), 5.0, "VDOT %.0f", v);
		cr_assert_float_eq(load_planned(WORKOUT_RECOVERY, 3600),
		    load_rtss(3600, metres_at(3600, rec), t), 5.0,
		    "VDOT %.0f", v);
	}
}

Test(load, race_intensity_follows_daniels)
{
	/* An hour's race is threshold by definition; shorter is harder. */
	cr_assert_float_eq(load_race_intensity(3600), 1.0, 1e-12);
	cr_assert_gt(load_race_intensity(20 * 60), 1.0);
	cr_assert_lt(load_race_intensity(3 * 3600), 1.0);
	for (int m = 10; m < 240; m += 5)
		cr_assert_gt(load_race_intensity(m * 60),
		    load_race_intensity((m + 5) * 60));
	/* A 40-minute 10K planned as a race scores above an easy 40 min. */
	cr_assert_gt(load_planned(WORKOUT_RACE, 2400),
	    load_planned(WORKOUT_EASY, 2400));
}

Test(load, harder_types_score_more)
{
	static const enum workout_type order[] = { WORKOUT_RECOVERY,
	    WORKOUT_EASY, WORKOUT_TEMPO, WORKOUT_INTERVALS };

	for (size_t i = 1; i < sizeof(order) / sizeof(order[0]); i++)
		cr_assert_gt(load_planned(order[i], 3600),
		    load_planned(order[i - 1], 3600));
	cr_assert_eq(load_planned(WORKOUT_EASY, 30), 0);
}

Test(load, rpe_scale)
{
	/* 8 is an hour all out (threshold); the scale rises with effort. */
	cr_assert_float_eq(load_rpe_intensity(8), 1.0, 1e-12);
	for (int r = 2; r <= 10; r++)
		cr_assert_gt(load_rpe_intensity(r), load_rpe_intensity(r - 1));
	cr_assert_eq(load_rpe_intensity(0), 0);
	cr_assert_eq(load_rpe_intensity(11), 0);
	/* Cadence's feel runs the other way: 1 very hard .. 5 very easy. */
	for (int f = 2; f <= 5; f++)
		cr_assert_lt(load_rpe_from_feel(f), load_rpe_from_feel(f - 1));
	cr_assert_eq(load_rpe_from_feel(6), 0);

	struct load_athlete	 a = { 0 };
	struct load_run		 r = run_at(3600, 300, 0);

	r.rpe = 8;
	cr_assert_float_eq(score(&a, &r).tss, 100.0, 1e-9);
}
