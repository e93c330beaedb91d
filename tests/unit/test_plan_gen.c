/*
 * Plan generator: property tests over every race class, plan length,
 * runs per week, fitness level and long-run day (each generated plan is
 * checked against every rule in docs/training-plan-rules.md), plus
 * validation messages, determinism and re-planning.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan_gen.h"

/* Per-class figures from the rules document (kept apart from the code). */
static const struct {
	int	 distance, min_weeks, peak_lo, peak_hi, long_cap;
} classes[] = {
	{  5000,  4, 30000, 64000, 16000 },
	{ 10000,  6, 40000, 76000, 19000 },
	{ 21097,  8, 50000, 88000, 22000 },
	{ 42195, 12, 60000, 90000, 33000 },
};

/* Fitness levels: weekly km with a matching 5K time. */
static const struct { int weekly, five_k_s, longest; } fitness[] = {
	{ 15000, 30 * 60, 6000 },
	{ 30000, 25 * 60, 10000 },
	{ 50000, 21 * 60, 16000 },
	{ 80000, 18 * 60, 26000 },
};

#define CHECK(cond, ...) do { if (!(cond)) { \
	cr_assert_fail("%s: " #cond, ctx); return; } } while (0)

static int
is_hard(enum workout_type t)
{
	return t == WORKOUT_INTERVALS || t == WORKOUT_TEMPO ||
	    t == WORKOUT_LONG || t == WORKOUT_RACE;
}

static int
taper_len(int ci, int weeks)
{
	return ci == 0 ? 1 : ci == 1 ? (weeks >= 10 ? 2 : 1) : ci == 2 ? 2 : 3;
}

static struct plan_input
base_input(void)
{
	struct plan_input in;

	memset(&in, 0, sizeof(in));
	in.race_distance = 42195;
	in.race_date = date_from_ymd(2027, 4, 25);	/* a Sunday */
	in.weeks = 16;
	in.runs_per_week = 5;
	in.long_run_day = WD_SUN;
	in.first_day = WD_MON;
	in.weekly_distance_m = 40000;
	in.longest_run_m = 16000;
	in.recent_race_distance = 5000;
	in.recent_race_time_s = 20 * 60;
	in.unit = UNIT_KM;
	in.today = date_from_ymd(2026, 12, 1);
	return in;
}

struct weekinfo {
	int	 vol, runs, free, hard, longm, longest_other;
};

/* Checks one plan against every rule; ctx names it in failures. */
static void
check_plan(const struct plan_input *in, const struct plan *p, int ci,
    const char *ctx)
{
	struct weekinfo wk[PLAN_MAX_WEEKS + 1];
	date_t w1 = date_week_start(p->start_date, in->first_day);
	int partial1 = p->start_date != w1, taper, rest, w, z, i, e;
	int v0, hi, peak = 0, prev_long, run_len, ncut, expect_weeks;
	const struct plan_workout *race;

	memset(wk, 0, sizeof(wk));
	expect_weeks = (date_week_start(in->race_date, in->first_day) - w1) / 7 + 1;
	CHECK(p->total_weeks == expect_weeks);
	if (in->weeks)
		CHECK(p->total_weeks == in->weeks);
	CHECK(p->nworkouts > 0);

	/* Paces: R < I < T < M < E at both ends, fast < slow. */
	for (z = 0; z < PACE__MAX; z++) {
		CHECK(p->paces[z][0] < p->paces[z][1]);
		for (e = 0; z > 0 && e < 2; e++)
			CHECK(p->paces[z][e] < p->paces[z - 1][e]);
	}

	/* Phases: contiguous, in order, the taper as long as the rules say. */
	taper = taper_len(ci, p->total_weeks);
	rest = p->total_weeks - taper;
	CHECK(p->nphases >= 3 && p->nphases <= 4);
	CHECK(p->phases[0].start_week == 1);
	for (i = 0; i < p->nphases; i++) {
		CHECK(p->phases[i].start_week <= p->phases[i].end_week);
		if (i > 0) {
			CHECK(p->phases[i].kind > p->phases[i - 1].kind);
			CHECK(p->phases[i].start_week ==
			    p->phases[i - 1].end_week + 1);
		}
	}
	CHECK(p->phases[p->nphases - 1].kind == PHASE_TAPER);
	CHECK(p->phases[p->nphases - 1].end_week == p->total_weeks);
	CHECK(p->phases[p->nphases - 1].start_week == rest + 1);
	CHECK(p->nphases == 4 || rest <= 5);

	/* The race: last, once, on the race date, at the race distance. */
	race = &p->workouts[p->nworkouts - 1];
	CHECK(race->type == WORKOUT_RACE);
	CHECK(race->date == in->race_date);
	CHECK(race->distance_m == in->race_distance);
	CHECK(race->week == p->total_weeks);
	CHECK(race->pace_fast_s == race->pace_slow_s);
	CHECK(abs(race->duration_min * 60 - p->race_time_s) <= 30);

	for (i = 0; i < (int)p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i];
		const struct plan_workout *y = i + 1 < (int)p->nworkouts ?
		    &p->workouts[i + 1] : NULL;
		double km = x->distance_m / 1000.0;

		CHECK(x->date >= p->start_date && x->date <= in->race_date);
		CHECK(x->week == (x->date - w1) / 7 + 1);
		CHECK(x->week >= 1 && x->week <= p->total_weeks);
		CHECK(x->description[0] != '\0');
		CHECK(strstr(x->description, in->unit == UNIT_MI ? "/mi" :
		    "/km") != NULL);
		CHECK(x->pace_fast_s <= x->pace_slow_s);
		if (y != NULL) {
			CHECK(y->date > x->date);	/* one a day, sorted */
			/* No two hard days in a row, long run and race too. */
			if (y->date == x->date + 1)
				CHECK(!(is_hard(x->type) && is_hard(y->type)));
			if (x->type == WORKOUT_LONG && y->date == x->date + 1)
				CHECK(y->type == WORKOUT_EASY ||
				    y->type == WORKOUT_RECOVERY);
		}
		if (x->type == WORKOUT_RACE) {
			CHECK(i == (int)p->nworkouts - 1);
			continue;
		}
		CHECK(x->distance_m >= 3000 && x->distance_m % 500 == 0);
		/* Duration from paces: between all-R and all-recovery. */
		CHECK(x->duration_min >= floor(km * p->paces[PACE_R][0] / 60) - 1);
		CHECK(x->duration_min <= ceil(km * (p->paces[PACE_E][1] + 20) / 60) + 1);
		wk[x->week].vol += x->distance_m;
		wk[x->week].runs++;
		wk[x->week].free += x->date < in->race_date - 1;
		if (x->type == WORKOUT_INTERVALS || x->type == WORKOUT_TEMPO)
			wk[x->week].hard++;
		if (x->type == WORKOUT_LONG) {
			CHECK(wk[x->week].longm == 0);
			wk[x->week].longm = x->distance_m;
		} else if (x->distance_m > wk[x->week].longest_other)
			wk[x->week].longest_other = x->distance_m;
	}

	/* Weekly volume, hard sessions, long runs. */
	hi = classes[ci].peak_hi;
	if (in->runs_per_week * classes[ci].long_cap * 0.85 < hi)
		hi = (int)(in->runs_per_week * classes[ci].long_cap * 0.85) / 500 * 500;
	cr_assert_eq(plan_volume_cap(in->race_distance, in->runs_per_week), hi);
	v0 = in->weekly_distance_m < 15000 ? 15000 : in->weekly_distance_m;
	if (v0 > hi)
		v0 = hi;
	/* Unknown longest run: the first long run sets the base. */
	prev_long = in->longest_run_m > 0 ? in->longest_run_m : 1000000;
	run_len = 0;
	ncut = 0;
	for (w = 1; w <= p->total_weeks; w++) {
		int vol = wk[w].vol, full = !(w == 1 && partial1);

		CHECK(vol == p->week_volume_m[w - 1]);
		CHECK(wk[w].runs <= in->runs_per_week);
		CHECK(wk[w].hard <= 2);
		if (vol > peak)
			peak = vol;
		if (w > rest)
			continue;
		/* Pre-taper weeks. */
		CHECK(vol <= hi);
		CHECK(vol <= fmax(fmax(v0 * 1.5, classes[ci].peak_lo), v0) + 500);
		if (w == 1 && full)
			CHECK(vol == (v0 + 250) / 500 * 500);
		if (full && w >= 2 && !(w == 2 && partial1)) {
			int prev = wk[w - 1].vol;

			if (p->week_cutback[w - 1]) {
				CHECK(vol >= prev * 0.74 && vol <= prev * 0.86);
			} else if (p->week_cutback[w - 2]) {
				CHECK(w >= 3 && vol <= wk[w - 2].vol * 1.10);
			} else
				CHECK(vol <= prev * 1.10);
		}
		if (p->week_cutback[w - 1]) {
			ncut++;
			run_len = 0;
		} else
			CHECK(++run_len <= 4);	/* a cutback every 3-4 weeks */
		if (!full)
			continue;
		/* The long run: 25-35% of the week, capped, progressive. */
		if (w1 + 7 * (w - 1) + ((int)in->long_run_day -
		    (int)in->first_day + 7) % 7 >= in->race_date - 1)
			continue;	/* the long-run day is the race's eve */
		CHECK(wk[w].longm > 0);
		CHECK(wk[w].longm * 100 >= vol * 25 && wk[w].longm * 100 <= vol * 35);
		CHECK(wk[w].longm <= classes[ci].long_cap);
		CHECK(wk[w].longm <= prev_long + 2000 ||
		    wk[w].longm <= ceil(vol * 0.25 / 500) * 500);
		if (wk[w].longm > prev_long || prev_long == 1000000)
			prev_long = wk[w].longm;
	}
	CHECK(rest < 5 || ncut >= 1);
	/* The taper: falling, the race week 40-60% below the peak. */
	for (w = rest + 1; w <= p->total_weeks; w++) {
		CHECK(wk[w].vol < p->peak_volume_m);
		if (w > rest + 1)
			CHECK(wk[w].vol < wk[w - 1].vol);
	}
	CHECK(peak == p->peak_volume_m || partial1);
	CHECK(wk[p->total_weeks].vol <= p->peak_volume_m * 0.60);
	/* ... when it has room: two runs before the race's eve. */
	if (wk[p->total_weeks].free >= 2)
		CHECK(wk[p->total_weeks].vol >= p->peak_volume_m * 0.40 - 500);
	CHECK(wk[p->total_weeks].longm == 0);
}

static void
gen_and_check(const struct plan_input *in, int ci, const char *ctx)
{
	struct plan p;
	struct plan_errors errs;

	if (plan_validate(in, &errs) != 0) {
		int f;

		for (f = 0; f < PF__MAX; f++)
			if (errs.msg[f][0])
				cr_log_error("%s: %s", plan_field_name(f),
				    errs.msg[f]);
		cr_assert_fail("%s: invalid", ctx);
		return;
	}
	cr_assert_eq(plan_generate(in, &p), 0, "%s", ctx);
	check_plan(in, &p, ci, ctx);
	plan_free(&p);
}

Test(plan_props, every_class_length_runs_fitness_and_day)
{
	static const enum weekday days[] = { WD_SUN, WD_SAT, WD_WED };
	struct plan_input in = base_input();
	char ctx[160];
	int ci, weeks, runs, fi, di, count = 0;

	for (ci = 0; ci < 4; ci++)
	for (weeks = classes[ci].min_weeks; weeks <= PLAN_MAX_WEEKS; weeks++)
	for (runs = 3; runs <= 7; runs++)
	for (fi = 0; fi < 4; fi++)
	for (di = 0; di < 3; di++) {
		in.race_distance = classes[ci].distance;
		in.weeks = weeks;
		in.runs_per_week = runs;
		in.long_run_day = days[di];
		in.first_day = (weeks + runs) % 2 ? WD_MON : WD_SUN;
		in.unit = fi % 2 ? UNIT_MI : UNIT_KM;
		/* Races on Sunday, Saturday and (one in five) a Wednesday. */
		in.race_date = date_from_ymd(2027, 4, 25) -
		    (weeks % 5 == 0 ? 4 : weeks % 2);
		in.weekly_distance_m = fitness[fi].weekly;
		in.longest_run_m = fitness[fi].longest;
		in.recent_race_distance = 5000;
		in.recent_race_time_s = fitness[fi].five_k_s;
		snprintf(ctx, sizeof(ctx), "dist %d weeks %d runs %d weekly %d "
		    "long %s first %s race %d", in.race_distance, weeks, runs,
		    in.weekly_distance_m, weekday_key(in.long_run_day),
		    weekday_key(in.first_day), (int)in.race_date);
		gen_and_check(&in, ci, ctx);
		count++;
	}
	cr_assert_eq(count, 94 * 5 * 4 * 3);
}

Test(plan_props, start_date_mid_week_and_every_race_weekday)
{
	struct plan_input in = base_input();
	char ctx[160];
	int ci, off, rd, runs;

	in.weeks = 0;
	for (ci = 0; ci < 4; ci++)
	for (rd = 0; rd < 7; rd++)
	for (off = 0; off < 7; off++)
	for (runs = 3; runs <= 7; runs += 2) {
		in.race_distance = classes[ci].distance;
		in.race_date = date_from_ymd(2027, 4, 19) + rd;
		in.start_date = in.race_date - 7 * (classes[ci].min_weeks + 3) + off;
		in.runs_per_week = runs;
		in.long_run_day = (enum weekday)((rd + off) % 7);
		in.recent_race_distance = 0;
		in.recent_race_time_s = 0;
		in.longest_run_m = 0;
		snprintf(ctx, sizeof(ctx), "start-date dist %d race+%d start+%d "
		    "runs %d", in.race_distance, rd, off, runs);
		gen_and_check(&in, ci, ctx);
	}
}

Test(plan_props, custom_distances_use_their_class)
{
	struct plan_input in = base_input();
	static const int dist[] = { 1000, 3000, 8000, 15000, 30000, 50000,
	    100000 };
	static const int ci[] = { 0, 0, 1, 1, 2, 3, 3 };
	char ctx[64];
	size_t k;

	for (k = 0; k < sizeof(dist) / sizeof(dist[0]); k++) {
		in.race_distance = dist[k];
		in.weeks = 14;
		snprintf(ctx, sizeof(ctx), "custom %d", dist[k]);
		gen_and_check(&in, ci[k], ctx);
	}
}

Test(plan, known_marathon_plan_shape)
{
	struct plan_input in = base_input();
	struct plan p;
	int phase_seen[PHASE__MAX] = { 0 }, strides = 0, mpace = 0, vo2 = 0;
	size_t i;

	in.weeks = 18;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_float_eq(p.vdot, 49.8, 0.05);
	cr_assert_eq(p.vdot_source, VDOT_FROM_RACE);
	cr_assert_eq(p.total_weeks, 18);
	cr_assert_eq(p.nphases, 4);
	cr_assert_eq(p.phases[3].start_week, 16);	/* 3-week taper */
	for (i = 0; i < (size_t)p.nphases; i++)
		phase_seen[p.phases[i].kind] = 1;
	cr_assert(phase_seen[PHASE_BASE] && phase_seen[PHASE_BUILD] &&
	    phase_seen[PHASE_PEAK]);
	/* Sessions vary by phase. */
	for (i = 0; i < p.nworkouts; i++) {
		const struct plan_workout *w = &p.workouts[i];

		if (w->week <= p.phases[0].end_week)
			strides += strstr(w->description, "strides") != NULL;
		if (w->week >= p.phases[2].start_week && w->week <= p.phases[2].end_week)
			mpace += strstr(w->description, "marathon pace") != NULL;
		if (w->week >= p.phases[1].start_week && w->week <= p.phases[1].end_week)
			vo2 += w->type == WORKOUT_INTERVALS &&
			    w->pace_fast_s == p.paces[PACE_I][0];
	}
	cr_assert_gt(strides, 0);
	cr_assert_gt(mpace, 0);
	cr_assert_gt(vo2, 0);
	/* Predictions: 5K 20:00, marathon about 3:11. */
	cr_assert_eq(p.npredictions, 4);
	cr_assert_eq(p.predictions[0].distance_m, 5000);
	cr_assert(abs(p.predictions[0].time_s - 1200) <= 3);
	cr_assert_eq(p.predictions[3].distance_m, 42195);
	cr_assert(abs(p.predictions[3].time_s - (3 * 3600 + 11 * 60)) <= 90,
	    "marathon %d", p.predictions[3].time_s);
	cr_assert_eq(p.race_time_s, p.predictions[3].time_s);
	plan_free(&p);
}

Test(plan, example_interval_description)
{
	struct plan_input in = base_input();
	struct plan p;
	size_t i;
	int found = 0;

	in.race_distance = 10000;
	in.weeks = 12;
	in.unit = UNIT_MI;
	cr_assert_eq(plan_generate(&in, &p), 0);
	for (i = 0; i < p.nworkouts; i++)
		if (p.workouts[i].type == WORKOUT_INTERVALS &&
		    strstr(p.workouts[i].description, " x 1 km at ") &&
		    strstr(p.workouts[i].description, "/mi with 400 m jog") &&
		    strstr(p.workouts[i].description, " mi easy, "))
			found++;
	cr_assert_gt(found, 0);
	plan_free(&p);
}

Test(plan, custom_distance_gets_its_own_prediction)
{
	struct plan_input in = base_input();
	struct plan p;

	in.race_distance = 15000;
	in.weeks = 10;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_eq(p.npredictions, 5);
	cr_assert_eq(p.predictions[4].distance_m, 15000);
	cr_assert(p.predictions[4].time_s > p.predictions[1].time_s &&
	    p.predictions[4].time_s < p.predictions[2].time_s);
	plan_free(&p);
}

Test(plan, vdot_sources)
{
	struct plan_input in = base_input();
	struct plan p;

	in.recent_race_distance = in.recent_race_time_s = 0;
	in.goal_time_s = 3 * 3600 + 30 * 60;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_eq(p.vdot_source, VDOT_FROM_GOAL);
	cr_assert_float_eq(p.vdot, 44.6, 0.3);
	cr_assert_eq(p.race_time_s, in.goal_time_s);
	cr_assert(strstr(p.workouts[p.nworkouts - 1].description, "Goal 3:30:00"));
	plan_free(&p);

	in.goal_time_s = 0;
	in.weekly_distance_m = 50000;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_eq(p.vdot_source, VDOT_FROM_VOLUME);
	cr_assert_float_eq(p.vdot, 40.0, 0.01);	/* 30 + 0.2 * 50 */
	plan_free(&p);

	in.weekly_distance_m = 200000;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_float_eq(p.vdot, 45.0, 0.01);	/* capped */
	plan_free(&p);
}

Test(plan, deterministic)
{
	struct plan_input in = base_input();
	struct plan a, b;

	cr_assert_eq(plan_generate(&in, &a), 0);
	cr_assert_eq(plan_generate(&in, &b), 0);
	cr_assert_eq(a.nworkouts, b.nworkouts);
	cr_assert_eq(memcmp(a.workouts, b.workouts,
	    a.nworkouts * sizeof(*a.workouts)), 0);
	cr_assert_eq(memcmp(a.week_volume_m, b.week_volume_m,
	    sizeof(a.week_volume_m)), 0);
	plan_free(&a);
	plan_free(&b);
}

Test(plan, keep_from_drops_the_past)
{
	struct plan_input in = base_input();
	struct plan p;
	date_t from = in.race_date - 20;
	size_t n, i, expect = 0;

	cr_assert_eq(plan_generate(&in, &p), 0);
	n = p.nworkouts;
	for (i = 0; i < n; i++)
		expect += p.workouts[i].date >= from;
	plan_keep_from(&p, from);
	cr_assert_eq(p.nworkouts, expect);
	cr_assert_lt(expect, n);
	cr_assert_geq(p.workouts[0].date, from);
	cr_assert_eq(p.workouts[p.nworkouts - 1].type, WORKOUT_RACE);
	plan_keep_from(&p, in.race_date + 1);
	cr_assert_eq(p.nworkouts, 0);
	plan_free(&p);
}

Test(plan, names)
{
	cr_assert_str_eq(workout_type_name(WORKOUT_EASY), "Easy");
	cr_assert_str_eq(workout_type_name(WORKOUT_LONG), "Long");
	cr_assert_str_eq(workout_type_name(WORKOUT_INTERVALS), "Intervals");
	cr_assert_str_eq(workout_type_name(WORKOUT_TEMPO), "Tempo");
	cr_assert_str_eq(workout_type_name(WORKOUT_RECOVERY), "Recovery");
	cr_assert_str_eq(workout_type_name(WORKOUT_RACE), "Race");
	cr_assert_str_eq(phase_name(PHASE_BASE), "Base");
	cr_assert_str_eq(phase_name(PHASE_TAPER), "Taper");
	cr_assert_str_eq(plan_field_name(PF_GOAL_TIME), "goal_time");
	cr_assert_eq(plan_min_weeks(5000), 4);
	cr_assert_eq(plan_min_weeks(10000), 6);
	cr_assert_eq(plan_min_weeks(21097), 8);
	cr_assert_eq(plan_min_weeks(42195), 12);
}

/* ---- validation ---- */

/* Validates in, expecting exactly one bad field containing want. */
static void
expect_error(const struct plan_input *in, enum plan_field f, const char *want)
{
	struct plan_errors e;
	struct plan p;

	cr_assert_eq(plan_validate(in, &e), 1, "field %s: count %d",
	    plan_field_name(f), e.count);
	cr_assert(strstr(e.msg[f], want) != NULL, "%s: got '%s'",
	    plan_field_name(f), e.msg[f]);
	cr_assert_eq(plan_generate(in, &p), -1);
	cr_assert_eq(p.nworkouts, 0);
}

Test(plan_validate, good_input_passes)
{
	struct plan_input in = base_input();
	struct plan_errors e;

	cr_assert_eq(plan_validate(&in, &e), 0);
	cr_assert_eq(e.count, 0);
	cr_assert_eq(plan_validate(&in, NULL), 0);
}

Test(plan_validate, each_field)
{
	struct plan_input in;

	in = base_input(); in.race_distance = 500;
	expect_error(&in, PF_RACE_DISTANCE, "between 1 and 100 km");
	in = base_input(); in.race_distance = 100001;
	expect_error(&in, PF_RACE_DISTANCE, "between 1 and 100 km");
	in = base_input(); in.today = in.race_date;
	expect_error(&in, PF_RACE_DATE, "after today");
	in = base_input(); in.weeks = 0; in.start_date = in.race_date;
	expect_error(&in, PF_START_DATE, "before the race date");
	in = base_input(); in.weeks = 31;
	expect_error(&in, PF_START_DATE, "4 to 30 weeks");
	in = base_input(); in.weeks = 0; in.start_date = in.race_date - 7 * 31;
	expect_error(&in, PF_START_DATE, "the most is 30");
	in = base_input(); in.weeks = 11;
	expect_error(&in, PF_START_DATE, "marathon plan needs at least 12 weeks");
	in = base_input(); in.race_distance = 21097; in.weeks = 7;
	expect_error(&in, PF_START_DATE, "half marathon plan needs at least 8");
	in = base_input(); in.race_distance = 10000; in.weeks = 5;
	expect_error(&in, PF_START_DATE, "10K plan needs at least 6");
	in = base_input(); in.race_distance = 5000; in.weeks = 3;
	expect_error(&in, PF_START_DATE, "4 to 30 weeks");
	in = base_input(); in.first_day = WD_WED;
	expect_error(&in, PF_START_DATE, "Monday or Sunday");
	in = base_input(); in.runs_per_week = 2;
	expect_error(&in, PF_RUNS_PER_WEEK, "3 to 7");
	in = base_input(); in.runs_per_week = 8;
	expect_error(&in, PF_RUNS_PER_WEEK, "3 to 7");
	in = base_input(); in.long_run_day = (enum weekday)7;
	expect_error(&in, PF_LONG_RUN_DAY, "day");
	in = base_input(); in.weekly_distance_m = -1;
	expect_error(&in, PF_WEEKLY_DISTANCE, "between 0 and 250 km");
	in = base_input(); in.weekly_distance_m = 250001;
	expect_error(&in, PF_WEEKLY_DISTANCE, "between 0 and 250 km");
	in = base_input(); in.longest_run_m = 100001;
	expect_error(&in, PF_LONGEST_RUN, "between 0 and 100 km");
	in = base_input(); in.recent_race_distance = 0;
	expect_error(&in, PF_RECENT_RACE_DISTANCE, "with its time");
	in = base_input(); in.recent_race_distance = 999;
	expect_error(&in, PF_RECENT_RACE_DISTANCE, "1 to 100 km");
	in = base_input(); in.recent_race_time_s = 0;
	expect_error(&in, PF_RECENT_RACE_TIME, "time of the recent race");
	in = base_input(); in.recent_race_time_s = 9 * 60;	/* 5K in 9:00 */
	expect_error(&in, PF_RECENT_RACE_TIME, "outside 20-85");
	in = base_input(); in.recent_race_time_s = 90 * 60;	/* 5K in 1:30 */
	expect_error(&in, PF_RECENT_RACE_TIME, "outside 20-85");
	in = base_input(); in.goal_time_s = -5;
	expect_error(&in, PF_GOAL_TIME, "h:mm:ss");
	in = base_input(); in.goal_time_s = 60 * 60;		/* 1:00:00 */
	expect_error(&in, PF_GOAL_TIME, "outside 20-85");
	/* 20:00 5K (VDOT 49.8): 2:55 needs VDOT 55.4, more than +10%. */
	in = base_input(); in.goal_time_s = 2 * 3600 + 55 * 60;
	expect_error(&in, PF_GOAL_TIME, "more than 10% above");
}

Test(plan_validate, ambitious_but_realistic_goal_is_fine)
{
	struct plan_input in = base_input();

	in.goal_time_s = 3 * 3600 + 2 * 60;	/* VDOT ~52.6 < 54.8 */
	cr_assert_eq(plan_validate(&in, NULL), 0);
}

Test(plan_validate, several_fields_at_once)
{
	struct plan_input in = base_input();
	struct plan_errors e;

	in.runs_per_week = 9;
	in.today = in.race_date + 1;
	in.weekly_distance_m = -3;
	cr_assert_eq(plan_validate(&in, &e), 3);
	cr_assert_neq(e.msg[PF_RUNS_PER_WEEK][0], '\0');
	cr_assert_neq(e.msg[PF_RACE_DATE][0], '\0');
	cr_assert_neq(e.msg[PF_WEEKLY_DISTANCE][0], '\0');
	cr_assert_eq(e.msg[PF_GOAL_TIME][0], '\0');
}
