/*
 * pace_update: new training paces for the rest of a plan.  The check
 * that matters: a plan's workouts moved from VDOT v to v + delta carry
 * the paces (and descriptions) the generator itself writes at v + delta.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "domain/pace_update.h"
#include "domain/plan_gen.h"
#include "domain/plan_text.h"
#include "domain/vdot.h"

Test(pace_update, the_map_pairs_each_zone_of_each_week)
{
	struct pace_map m;
	struct pace_pair p;
	int a[PACE__MAX][2], b[PACE__MAX][2], z, k;

	pace_map_build(45, 2, &m);
	cr_assert_geq(m.n, 15);
	for (k = 0; k < 3; k++) {
		vdot_paces(45 + k, a);
		vdot_paces(47 + k, b);
		for (z = 0; z < PACE__MAX; z++) {
			p = (struct pace_pair){ a[z][0], a[z][1] };
			cr_assert(pace_map_find(&m, &p), "zone %d week +%d", z, k);
			cr_assert_eq(p.fast, b[z][0]);
			cr_assert_eq(p.slow, b[z][1]);
		}
		p = (struct pace_pair){ a[PACE_E][1], a[PACE_E][1] + 20 };
		cr_assert(pace_map_find(&m, &p), "recovery, week +%d", k);
		cr_assert_eq(p.fast, b[PACE_E][1]);
		cr_assert_eq(p.slow, b[PACE_E][1] + 20);
	}
	p = (struct pace_pair){ 301, 299 };	/* not the plan's */
	cr_assert_not(pace_map_find(&m, &p));
	cr_assert_eq(p.fast, 301);
}

Test(pace_update, what_is_not_the_plans_stays)
{
	struct pace_map m;
	char desc[64] = "Hill reps by feel {p:1:2} {x:3} {R:6:800:200:210";
	char want[64];
	int f = 250, s = 260;

	pace_map_build(45, 1, &m);
	memcpy(want, desc, sizeof(want));
	cr_assert_not(pace_update(&m, &f, &s, desc, sizeof(desc)));
	cr_assert_str_eq(desc, want);
	cr_assert_eq(f, 250);
	cr_assert_eq(s, 260);
}

Test(pace_update, a_description_that_would_not_fit_stays)
{
	struct pace_map m;
	int a[PACE__MAX][2], f, s;
	char desc[24];

	pace_map_build(45, -3, &m);
	vdot_paces(45, a);
	f = a[PACE_E][0];
	s = a[PACE_E][1];
	/* Paces keep their digits: the same length fits. */
	snprintf(desc, sizeof(desc), "easy {p:%d:%d}", f, s);
	cr_assert(pace_update(&m, &f, &s, desc, sizeof(desc)));
	cr_assert_neq(f, a[PACE_E][0]);
	cr_assert_neq(strstr(desc, "{p:"), NULL);
	cr_assert_lt(strlen(desc), sizeof(desc));
	snprintf(desc, sizeof(desc), "{p:%d:%d}", a[PACE_T][0], a[PACE_T][1]);
	cr_assert_not(pace_update(&m, &f, &s, desc, 5), "too small: kept");
}

static struct plan_input
input(double vdot, enum unit u, int distance)
{
	struct plan_input in;

	memset(&in, 0, sizeof(in));
	in.race_distance = distance;
	in.race_date = date_from_ymd(2027, 4, 25);
	in.weeks = 18;
	in.runs_per_week = 6;
	in.long_run_day = WD_SUN;
	in.first_day = WD_MON;
	in.weekly_distance_m = 55000;
	in.longest_run_m = 20000;
	in.unit = u;
	in.today = date_from_ymd(2026, 12, 1);
	in.vdot = vdot;
	return in;
}

/* Moves every workout of a plan at v to v + delta and compares it with
 * the generator's own plan at v + delta, day by day. */
static void
compare(double v, double delta, enum unit u, int distance)
{
	struct plan_input	 a = input(v, u, distance), b = input(v + delta,
	    u, distance);
	struct plan		 p, q;
	struct pace_map		 m;
	char			 x[PLAN_DESC_MAX * 2], y[PLAN_DESC_MAX * 2];
	size_t			 i, same = 0, text = 0, compared = 0;

	cr_assert_eq(plan_generate(&a, &p), 0);
	cr_assert_eq(plan_generate(&b, &q), 0);
	cr_assert_eq(p.nworkouts, q.nworkouts);
	pace_map_build(p.vdot, delta, &m);
	for (i = 0; i < p.nworkouts; i++) {
		struct plan_workout *w = &p.workouts[i], *z = &q.workouts[i];

		if (w->type == WORKOUT_RACE || w->distance_m != z->distance_m ||
		    w->type != z->type)
			continue;
		compared++;
		pace_update(&m, &w->pace_fast_s, &w->pace_slow_s,
		    w->description, sizeof(w->description));
		same += w->pace_fast_s == z->pace_fast_s &&
		    w->pace_slow_s == z->pace_slow_s;
		plan_text_render(x, sizeof(x), w->description, u);
		plan_text_render(y, sizeof(y), z->description, u);
		text += strcmp(x, y) == 0;
		if (w->type != WORKOUT_LONG)	/* race-pace finishes aside */
			cr_assert_str_eq(x, y, "VDOT %.1f + %.1f, day %d", v,
			    delta, w->date - p.race_date);
	}
	cr_assert_geq(compared, p.nworkouts / 2, "VDOT %.1f + %.1f: %zu of %zu compared", v, delta, compared, p.nworkouts);
	cr_assert_eq(same, compared, "VDOT %.1f + %.1f: %zu of %zu", v, delta,
	    same, compared);
	cr_assert_gt(text, compared * 9 / 10);
	plan_free(&p);
	plan_free(&q);
}

Test(pace_update, moved_paces_are_the_generators_own)
{
	compare(42.0, 1.5, UNIT_KM, 21097);
	compare(50.0, -1.2, UNIT_MI, 10000);
	compare(38.4, 3.0, UNIT_KM, 42195);
	compare(60.0, 1.0, UNIT_MI, 5000);
}

Test(pace_update, the_vdot_of_a_plans_easy_pace)
{
	int	 p[PACE__MAX][2];
	double	 v, got;

	for (v = 30; v <= 70; v += 0.7) {
		vdot_paces(v, p);
		got = pace_vdot_of_easy(p[PACE_E][0], p[PACE_E][1]);
		cr_assert_gt(got, 0, "VDOT %.1f", v);
		/* Another VDOT within the rounding of the paces, or it. */
		cr_assert_float_eq(got, v, 0.35, "VDOT %.1f: %.1f", v, got);
	}
	cr_assert_eq(pace_vdot_of_easy(100, 110), 0);
}
