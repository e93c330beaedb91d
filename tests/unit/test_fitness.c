/*
 * Fitness, fatigue and form: the exponentially weighted averages against
 * their closed forms and Banister's impulse-response sums, TSB as
 * TrainingPeaks defines it, the projection through planned workouts, the
 * warm start and the ramp-rate warnings.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "domain/fitness.h"

#define DAY0	date_from_ymd(2025, 1, 6)	/* a Monday */

static double
k_of(double tau)
{
	return 1 - exp(-1 / tau);
}

/* A series of n days of history with load(i), today the last of them. */
static void
history(struct fitness_series *s, int n, double (*load)(int),
    enum fitness_seed seed)
{
	struct fitness_load	*l = calloc((size_t)n, sizeof(*l));
	struct fitness_input	 in = { 0 };
	int			 i;

	for (i = 0; i < n; i++) {
		l[i].date = DAY0 + i;
		l[i].tss = load(i);
	}
	in.done = l;
	in.ndone = (size_t)n;
	in.today = in.end = DAY0 + n - 1;
	in.seed = seed;
	cr_assert_eq(fitness_compute(&in, s), 0);
	free(l);
}

static double constant_80(int i) { (void)i; return 80; }

Test(fitness, constant_load_converges_to_that_load)
{
	struct fitness_series s;

	history(&s, 600, constant_80, FITNESS_SEED_ZERO);
	cr_assert_eq(s.ndays, 600);
	/* Closed form from zero: L (1 - e^(-n/tau)) after n days. */
	for (int n = 1; n <= 600; n += 37) {
		cr_assert_float_eq(s.days[n - 1].ctl,
		    80 * (1 - exp(-n / 42.0)), 1e-9);
		cr_assert_float_eq(s.days[n - 1].atl,
		    80 * (1 - exp(-n / 7.0)), 1e-9);
	}
	cr_assert_float_eq(s.days[599].ctl, 80, 80 * 1e-5);
	cr_assert_float_eq(s.days[599].tsb, 0, 1e-3);
	fitness_free(&s);
}

Test(fitness, fatigue_reacts_faster_than_fitness)
{
	struct fitness_series s;

	history(&s, 60, constant_80, FITNESS_SEED_ZERO);
	/* After three weeks fatigue is near the load, fitness not halfway. */
	cr_assert_gt(s.days[20].atl, 0.95 * 80);
	cr_assert_lt(s.days[20].ctl, 0.5 * 80);
	for (int i = 0; i < 60; i++)
		cr_assert_gt(s.days[i].atl, s.days[i].ctl);
	fitness_free(&s);
}

static double impulse(int i) { return i == 10 ? 150 : 0; }

Test(fitness, one_hard_day_fatigue_up_and_gone_sooner)
{
	struct fitness_series s;

	history(&s, 60, impulse, FITNESS_SEED_ZERO);
	cr_assert_float_eq(s.days[10].atl, 150 * k_of(7), 1e-9);
	cr_assert_float_eq(s.days[10].ctl, 150 * k_of(42), 1e-9);
	/* Form dips the next morning, then recovers above zero. */
	cr_assert_lt(s.days[11].tsb, 0);
	cr_assert_gt(s.days[40].tsb, 0);
	/* Each decays at its own rate. */
	cr_assert_float_eq(s.days[20].atl / s.days[10].atl, exp(-10 / 7.0),
	    1e-9);
	cr_assert_float_eq(s.days[20].ctl / s.days[10].ctl, exp(-10 / 42.0),
	    1e-9);
	fitness_free(&s);
}

static double pseudo_random(int i) { return (i * 7919 % 211) * (i % 3 != 0); }

Test(fitness, equals_banister_impulse_response_sums)
{
	/*
	 * Banister: fitness(t) = sum_s w(s) e^(-(t-s)/tau); CTL is that sum
	 * times 1 - e^(-1/tau) (the gain that makes a constant load L give L).
	 */
	struct fitness_series	 s;
	int			 t, d;

	history(&s, 200, pseudo_random, FITNESS_SEED_ZERO);
	for (t = 0; t < 200; t += 13) {
		double fit = 0, fat = 0;

		for (d = 0; d <= t; d++) {
			fit += pseudo_random(d) * exp(-(t - d) / 42.0);
			fat += pseudo_random(d) * exp(-(t - d) / 7.0);
		}
		cr_assert_float_eq(s.days[t].ctl, k_of(42) * fit, 1e-6);
		cr_assert_float_eq(s.days[t].atl, k_of(7) * fat, 1e-6);
	}
	fitness_free(&s);
}

static double worked_100(int i) { return i == 0 ? 100 : 50; }
static double worked_60(int i) { return i == 0 ? 60 : 50; }

Test(fitness, banister_one_day_worked_example)
{
	/*
	 * calculatorhub.com: fitness 100, fatigue 60, today's load 50,
	 * tau 42 and 7: fitness 147.65, fatigue 102.00 (un-normalised).
	 */
	struct fitness_series s;

	history(&s, 2, worked_100, FITNESS_SEED_ZERO);
	cr_assert_float_eq(s.days[0].ctl / k_of(42), 100, 1e-9);
	cr_assert_float_eq(s.days[1].ctl / k_of(42), 147.65, 0.005);
	fitness_free(&s);
	history(&s, 2, worked_60, FITNESS_SEED_ZERO);
	/* The page prints 102.00; 60 e^(-1/7) + 50 is 102.013. */
	cr_assert_float_eq(s.days[1].atl / k_of(7), 102.00, 0.02);
	fitness_free(&s);
}

Test(fitness, form_is_yesterdays_balance)
{
	struct fitness_series s;

	history(&s, 120, pseudo_random, FITNESS_SEED_ZERO);
	cr_assert_eq(s.days[0].tsb, 0);
	for (int i = 1; i < 120; i++)
		cr_assert_float_eq(s.days[i].tsb,
		    s.days[i - 1].ctl - s.days[i - 1].atl, 1e-12);
	fitness_free(&s);
}

Test(fitness, runs_in_any_order_and_same_day_add_up)
{
	struct fitness_load	 a[] = {
		{ DAY0 + 3, 40 }, { DAY0, 60 }, { DAY0 + 3, 20 }, { DAY0 + 1, 10 },
	};
	struct fitness_input	 in = { a, 4, NULL, 0, DAY0 + 5, DAY0 + 5,
	    FITNESS_SEED_ZERO, 0, 0, 0 };
	struct fitness_series	 s;

	cr_assert_eq(fitness_compute(&in, &s), 0);
	cr_assert_eq(s.first, DAY0);
	cr_assert_eq(s.days[3].load, 60);
	cr_assert_eq(s.days[2].load, 0);
	cr_assert_eq(fitness_at(&s, DAY0 + 1)->load, 10);
	cr_assert_null(fitness_at(&s, DAY0 - 1));
	cr_assert_null(fitness_at(&s, DAY0 + 6));
	fitness_free(&s);
}

Test(fitness, projection_takes_plans_after_today_only)
{
	date_t			 today = DAY0 + 10;
	struct fitness_load	 done[] = {
		{ DAY0, 50 }, { today, 70 },
		{ today + 2, 999 },	/* a run in the future */
	};
	struct fitness_load	 plan[] = {
		{ today, 888 }, { today + 1, 40 }, { today + 4, 90 },
		{ today + 30, 777 },	/* after race day */
	};
	struct fitness_input	 in = { done, 3, plan, 4, today, today + 5,
	    FITNESS_SEED_ZERO, 0, 0, 0 };
	struct fitness_series	 s;

	cr_assert_eq(fitness_compute(&in, &s), 0);
	cr_assert_eq(s.today, 10);
	cr_assert_eq(s.ndays, 16);
	cr_assert_eq(fitness_at(&s, today)->load, 70);
	cr_assert_eq(fitness_at(&s, today + 1)->load, 40);
	cr_assert_eq(fitness_at(&s, today + 2)->load, 0);
	cr_assert_eq(fitness_at(&s, today + 4)->load, 90);
	fitness_free(&s);
}

Test(fitness, bad_loads_and_ranges)
{
	struct fitness_load	 l[] = {
		{ DAY0, NAN }, { DAY0 + 1, -50 }, { DAY0 + 2, INFINITY },
		{ DAY0 + 3, 1e9 },
		{ DAY0 - FITNESS_MAX_DAYS - 5, 100 },	/* too old to count */
	};
	struct fitness_input	 in = { l, 5, NULL, 0, DAY0 + 3, DAY0 + 3,
	    FITNESS_SEED_ZERO, 0, 0, 0 };
	struct fitness_series	 s;

	cr_assert_eq(fitness_compute(&in, &s), 0);
	cr_assert_eq(s.first, DAY0);
	cr_assert_eq(s.days[0].load + s.days[1].load + s.days[2].load, 0);
	cr_assert_eq(s.days[3].load, FITNESS_DAY_MAX_LOAD);
	fitness_free(&s);
	in.end = in.today - 1;
	cr_assert_eq(fitness_compute(&in, &s), -1);
	cr_assert_null(s.days);
	in.end = in.today + FITNESS_MAX_DAYS;
	cr_assert_eq(fitness_compute(&in, &s), -1);
	fitness_free(&s);
	/* No run at all: a series from today. */
	in.ndone = 0;
	in.end = in.today + 3;
	cr_assert_eq(fitness_compute(&in, &s), 0);
	cr_assert_eq(s.first, in.today);
	cr_assert_eq(s.ndays, 4);
	fitness_free(&s);
}

Test(fitness, warm_start_shows_no_false_climb)
{
	struct fitness_series	 cold, warm;
	struct fitness_week	*w;
	size_t			 n, i;

	history(&cold, 28, constant_80, FITNESS_SEED_ZERO);
	history(&warm, 28, constant_80, FITNESS_SEED_WARM);
	/* From zero, the first week looks like a dangerous climb... */
	w = fitness_weeks(&cold, WD_MON, &n);
	cr_assert_eq(w[0].level, RAMP_TOO_FAST);
	free(w);
	/* ...a runner already at 80 a day is flat from the start. */
	cr_assert_float_eq(warm.ctl0, 80, 1e-9);
	w = fitness_weeks(&warm, WD_MON, &n);
	for (i = 0; i < n; i++)
		cr_assert_float_eq(w[i].ramp, 0, 1e-9);
	free(w);
	fitness_free(&cold);
	fitness_free(&warm);
}

static double step_up(int i) { return i < 196 ? 50 : 120; }

Test(fitness, ramp_rate_and_warnings)
{
	struct fitness_series	 s;
	struct fitness_week	*w;
	size_t			 n, k, days = 0;
	double			 load = 0, first_ramp;

	history(&s, 231, step_up, FITNESS_SEED_WARM);	/* 33 weeks */
	/* The ramp is CTL over 7 days; a step of load gives it in closed form. */
	first_ramp = fitness_ramp(&s, DAY0 + 202);
	cr_assert_float_eq(first_ramp,
	    (120 - s.days[195].ctl) * (1 - exp(-7 / 42.0)), 1e-9);
	cr_assert_float_eq(fitness_ramp(&s, DAY0 + 150), 0, 0.01);
	w = fitness_weeks(&s, WD_MON, &n);
	cr_assert_eq(n, 33);
	for (k = 0; k < n; k++) {
		days += (size_t)w[k].ndays;
		load += w[k].load;
		cr_assert_eq(w[k].level, fitness_ramp_level(w[k].ramp));
		cr_assert_eq(w[k].projected, false);
	}
	cr_assert_eq(days, 231);
	cr_assert_float_eq(load, 196 * 50 + 35 * 120, 1e-6);
	/*
	 * From 50 to 120 a day: the first week gains 70 (1 - e^(-1/6)) =
	 * 10.7, past the limit; the next 9.1, high; they slow down after.
	 */
	cr_assert_eq(w[27].level, RAMP_OK);
	cr_assert_float_eq(w[28].ramp, first_ramp, 1e-12);
	cr_assert_eq(w[28].level, RAMP_TOO_FAST);
	cr_assert_eq(w[29].level, RAMP_HIGH);
	cr_assert_gt(w[29].ramp, w[30].ramp);
	free(w);
	cr_assert_eq(fitness_ramp_level(FITNESS_RAMP_HIGH), RAMP_OK);
	cr_assert_eq(fitness_ramp_level(FITNESS_RAMP_HIGH + 0.1), RAMP_HIGH);
	cr_assert_eq(fitness_ramp_level(FITNESS_RAMP_TOO_FAST + 0.1),
	    RAMP_TOO_FAST);
	fitness_free(&s);
}

Test(fitness, weeks_flag_projected_ramps)
{
	date_t			 today = DAY0 + 2;	/* a Wednesday */
	struct fitness_load	 plan[40];
	struct fitness_input	 in = { NULL, 0, plan, 40, today, today + 40,
	    FITNESS_SEED_ZERO, 0, 0, 0 };
	struct fitness_series	 s;
	struct fitness_week	*w;
	size_t			 n, i;

	for (i = 0; i < 40; i++) {
		plan[i].date = today + 1 + (date_t)i;
		plan[i].tss = 150;
	}
	cr_assert_eq(fitness_compute(&in, &s), 0);
	w = fitness_weeks(&s, WD_MON, &n);
	cr_assert_eq(w[0].start, DAY0);
	cr_assert_eq(w[0].ndays, 5);	/* Wednesday to Sunday */
	cr_assert_eq(w[0].projected, true);
	cr_assert_eq(w[1].level, RAMP_TOO_FAST);
	cr_assert_eq(w[n - 1].start + 6 >= today + 40, true);
	free(w);
	fitness_free(&s);
}

/* Going on from a stored day gives the whole history's values exactly. */
Test(fitness, goes_on_from_a_stored_day)
{
	struct fitness_load	 l[300];
	struct fitness_input	 whole = { 0 }, part = { 0 };
	struct fitness_series	 a, b;
	const struct fitness_day *x, *y;
	date_t			 today = date_from_ymd(2026, 11, 20), d;
	int			 i;

	for (i = 0; i < 300; i++)
		l[i] = (struct fitness_load){ today - 400 + i, 20 + (i * 37) % 90 };
	whole.done = l;
	whole.ndone = 300;
	whole.today = today;
	whole.end = today + 30;
	whole.seed = FITNESS_SEED_WARM;
	cr_assert_eq(fitness_compute(&whole, &a), 0);
	/* From day -200 on, seeded with the day before's values. */
	part = whole;
	part.seed = FITNESS_SEED_GIVEN;
	part.start = today - 200;
	part.ctl0 = fitness_at(&a, part.start - 1)->ctl;
	part.atl0 = fitness_at(&a, part.start - 1)->atl;
	cr_assert_eq(fitness_compute(&part, &b), 0);
	cr_assert_eq(b.first, part.start);
	for (d = part.start; d <= whole.end; d++) {
		x = fitness_at(&a, d);
		y = fitness_at(&b, d);
		cr_assert_not_null(y);
		cr_assert_float_eq(x->ctl, y->ctl, 1e-9, "day %d", d - today);
		cr_assert_float_eq(x->atl, y->atl, 1e-9);
		cr_assert_float_eq(x->tsb, y->tsb, 1e-9);
	}
	cr_assert_float_eq(fitness_ramp(&a, today), fitness_ramp(&b, today),
	    1e-9);
	fitness_free(&b);
	part.start = today + 1;		/* after today: refused */
	cr_assert_eq(fitness_compute(&part, &b), -1);
	fitness_free(&a);
}
