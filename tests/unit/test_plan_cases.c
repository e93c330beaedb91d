/*
 * Plan generator: the cases of issue 13 one by one (each failed on the
 * old generator), validation messages, readiness, fitness and goals,
 * units, determinism and re-planning.  The property sweeps are in
 * test_plan_gen.c.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan_gen.h"
#include "domain/plan_text.h"

#define KM	1000

static struct plan_input
input(int distance, int y, int m, int d, int weeks, int runs,
    enum weekday long_day, int weekly_km)
{
	struct plan_input in;

	memset(&in, 0, sizeof(in));
	in.race_distance = distance;
	in.race_date = date_from_ymd(y, m, d);
	in.weeks = weeks;
	in.runs_per_week = runs;
	in.long_run_day = long_day;
	in.first_day = WD_MON;
	in.weekly_distance_m = weekly_km * KM;
	in.unit = UNIT_KM;
	in.today = date_from_ymd(2026, 1, 5);
	return in;
}

static const char *
text(const struct plan_workout *w, enum unit u)
{
	static char b[PLAN_DESC_MAX * 2];

	plan_text_render(b, sizeof(b), w->description, u);
	return b;
}

/* Distance run in days lo..hi before the race (race excluded). */
static int
volume_days(const struct plan *p, int lo, int hi)
{
	size_t i;
	int sum = 0, d;

	for (i = 0; i + 1 < p->nworkouts; i++) {
		d = p->race_date - p->workouts[i].date;
		if (d >= lo && d <= hi)
			sum += p->workouts[i].distance_m;
	}
	return sum;
}

/* The last long run's days before the race, 0 if none. */
static int
last_long_days(const struct plan *p)
{
	size_t i;
	int d = 0;

	for (i = 0; i < p->nworkouts; i++)
		if (p->workouts[i].type == WORKOUT_LONG)
			d = p->race_date - p->workouts[i].date;
	return d;
}

/* Issue 13, 1: a Wednesday marathon, Sunday long runs, Monday weeks. */
Test(issue13, wednesday_marathon_keeps_its_taper)
{
	struct plan_input in = input(42195, 2026, 9, 9, 16, 5, WD_SUN, 50);
	struct plan p;
	size_t i;

	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_geq(last_long_days(&p), 14);
	for (i = 0; i + 1 < p.nworkouts; i++)
		if (p.race_date - p.workouts[i].date <= 2)
			cr_assert_leq(p.workouts[i].distance_m, 5 * KM,
			    "%s", text(&p.workouts[i], UNIT_KM));
	/* Bosquet: 41-60% less over the last 14 days. */
	cr_assert_geq(volume_days(&p, 1, 14), 0.80 * p.peak_volume_m);
	cr_assert_leq(volume_days(&p, 1, 14), 1.18 * p.peak_volume_m);
	plan_free(&p);
}

/* Issue 13, 1: a Sunday 10K in Sunday-first weeks: race week is race day. */
Test(issue13, sunday_10k_in_sunday_weeks_tapers)
{
	struct plan_input in = input(10000, 2026, 9, 6, 8, 5, WD_SAT, 40);
	struct plan p;
	size_t i;

	in.first_day = WD_SUN;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_leq(volume_days(&p, 1, 7), 0.65 * p.peak_volume_m);
	for (i = 0; i + 1 < p.nworkouts; i++) {
		int d = p.race_date - p.workouts[i].date;

		if (d <= 7)
			cr_assert(p.workouts[i].type != WORKOUT_LONG);
		if (d <= 7 && p.workouts[i].type == WORKOUT_INTERVALS)
			cr_assert(d >= 3 && d <= 5);
	}
	plan_free(&p);
}

/* Issue 13, 2: the goal is a target, not where paces come from. */
Test(issue13, a_goal_never_sets_the_paces)
{
	struct plan_input in = input(42195, 2026, 9, 6, 30, 5, WD_SUN, 20);
	struct plan a, b;
	size_t i;

	cr_assert_eq(plan_generate(&in, &a), 0);
	in.goal_time_s = 2 * 3600 + 3 * 60;	/* 2:03:00 */
	cr_assert_eq(plan_generate(&in, &b), 0);
	cr_assert_eq(b.vdot_source, VDOT_FROM_VOLUME);
	cr_assert_float_eq(a.vdot, b.vdot, 1e-9);
	cr_assert_gt(b.paces[PACE_E][0], 6 * 60);	/* not 3:14/km */
	cr_assert_eq(a.nworkouts, b.nworkouts);
	for (i = 0; i + 1 < a.nworkouts; i++)
		cr_assert_str_eq(a.workouts[i].description,
		    b.workouts[i].description);
	cr_assert_eq(b.goal_realistic, 0);
	cr_assert_eq(b.race_time_s, a.race_time_s);
	cr_assert(strstr(b.note, "2:03:00") && strstr(b.note, "realistic"),
	    "%s", b.note);
	plan_free(&a);
	plan_free(&b);
}

/* Issue 13, 2: a 25:00 5K runner races the marathon at their M pace. */
Test(issue13, race_pace_matches_training)
{
	struct plan_input in = input(42195, 2026, 9, 6, 18, 5, WD_SUN, 50);
	struct plan p;
	int pace, m[PACE__MAX][2];

	in.recent_race_distance = 5000;
	in.recent_race_time_s = 25 * 60;
	in.goal_time_s = 3 * 3600 + 40 * 60;	/* 5:13/km */
	cr_assert_eq(plan_generate(&in, &p), 0);
	pace = p.workouts[p.nworkouts - 1].pace_fast_s;
	vdot_paces(p.vdot_end, m);
	cr_assert_leq(abs(pace - (m[PACE_M][0] + m[PACE_M][1]) / 2), 2,
	    "race %d, M %d-%d", pace, m[PACE_M][0], m[PACE_M][1]);
	cr_assert_eq(p.race_time_s, p.predictions[3].time_s);
	cr_assert(strstr(text(&p.workouts[p.nworkouts - 1], UNIT_KM),
	    "realistic"));
	plan_free(&p);
}

/* Issue 13, 2: a realistic goal is raced as it is. */
Test(issue13, a_reachable_goal_is_the_target)
{
	struct plan_input in = input(21097, 2026, 9, 6, 14, 5, WD_SUN, 40);
	struct plan p;

	in.recent_race_distance = 10000;
	in.recent_race_time_s = 45 * 60;
	in.goal_time_s = 3600 + 45 * 60;	/* slower than predicted */
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_eq(p.race_time_s, in.goal_time_s);
	cr_assert_eq(p.goal_realistic, 1);
	cr_assert_str_eq(p.note, "");
	plan_free(&p);
}

/* Issue 13, 2: imported runs say how fit the runner is, and which run. */
Test(issue13, fitness_from_imported_runs)
{
	struct plan_input in = input(10000, 2026, 6, 7, 12, 5, WD_SUN, 40);
	struct run_sample r[3] = {
		{ in.today - 3, 10000, 55 * 60, 0 },
		{ in.today - 10, 5000, 21 * 60, 0 },	/* a parkrun */
		{ in.today - 12, 16000, 95 * 60, 0 },
	};
	struct plan p;

	in.runs = r;
	in.nruns = 3;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_eq(p.vdot_source, VDOT_FROM_RUNS);
	cr_assert_eq(p.evidence_run, 1);
	cr_assert_float_eq(p.vdot, round(vdot_from_race(5000, 21 * 60) * 10) /
	    10, 1e-9);
	plan_free(&p);
}

/* Issue 13, 2: paces progress about 1 VDOT per 4-6 weeks, capped. */
Test(issue13, paces_progress_capped)
{
	struct plan_input in = input(42195, 2026, 9, 6, 24, 5, WD_SUN, 50);
	struct plan p;
	int w;

	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_float_eq(p.week_vdot[0], p.vdot, 1e-9);
	cr_assert_gt(p.vdot_end, p.vdot);
	cr_assert_leq(p.vdot_end, p.vdot + 2.0 + 1e-9);
	for (w = 1; w < p.total_weeks; w++)
		cr_assert_geq(p.week_vdot[w], p.week_vdot[w - 1]);
	plan_free(&p);
}

/* Issue 13, 2: messages say what a time means, not "VDOT 188.2". */
Test(issue13, messages_in_a_runners_words)
{
	struct plan_input in = input(42195, 2026, 9, 6, 16, 5, WD_SUN, 50);
	struct plan_errors e;

	in.recent_race_distance = 5000;
	in.recent_race_time_s = 9 * 60;
	cr_assert_eq(plan_validate(&in, &e), 1);
	cr_assert(strstr(e.msg[PF_RECENT_RACE_TIME], "world record"), "%s",
	    e.msg[PF_RECENT_RACE_TIME]);
	in.recent_race_time_s = 90 * 60;
	cr_assert_eq(plan_validate(&in, &e), 1);
	cr_assert(strstr(e.msg[PF_RECENT_RACE_TIME], "slower"));
	in.recent_race_distance = in.recent_race_time_s = 0;
	in.goal_time_s = 60 * 60;
	cr_assert_eq(plan_validate(&in, &e), 1);
	cr_assert(strstr(e.msg[PF_GOAL_TIME], "world record"));
	cr_assert_null(strstr(e.msg[PF_GOAL_TIME], "VDOT"));
}

/* Issue 13, 3: too little running for the race: refused, with a way out. */
Test(issue13, not_ready_is_refused_with_alternatives)
{
	struct plan_input in = input(42195, 2026, 4, 5, 12, 5, WD_SUN, 10);
	struct plan_errors e;
	const char *m = e.msg[PF_WEEKLY_DISTANCE];

	cr_assert_eq(plan_validate(&in, &e), 1);
	cr_assert(strstr(m, "marathon needs at least 45 km") &&
	    strstr(m, "on or after") && strstr(m, "on this date"), "%s", m);
	in.weekly_distance_m = 0;
	cr_assert_eq(plan_validate(&in, &e), 1);
	cr_assert(strstr(m, "run-walk"), "%s", m);
	in.weekly_distance_m = 0;
	in.longest_run_m = 30 * KM;
	cr_assert_eq(plan_validate(&in, &e), 2);
	cr_assert(strstr(e.msg[PF_LONGEST_RUN], "whole week"));
}

/* Issue 13, 3: the first week is the runner's week; high volume is kept. */
Test(issue13, first_week_and_high_volume)
{
	struct plan_input in = input(5000, 2026, 6, 7, 12, 7, WD_SUN, 150);
	struct plan p;
	int w;

	in.longest_run_m = 28 * KM;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_geq(p.week_volume_m[0], 135 * KM);
	cr_assert_leq(p.week_volume_m[0], 165 * KM);
	for (w = 0; w < p.total_weeks; w++)
		if (!p.week_cutback[w] && p.race_date - (p.start_date + 7 * w) > 14)
			cr_assert_geq(p.week_volume_m[w], 135 * KM, "week %d", w);
	plan_free(&p);
}

/* Issue 13, 4: a 50 km/week marathoner's long runs reach 29-35 km. */
Test(issue13, marathon_long_runs_as_published)
{
	struct plan_input in = input(42195, 2026, 9, 6, 18, 5, WD_SUN, 50);
	struct plan p;

	in.recent_race_distance = 21097;
	in.recent_race_time_s = 3600 + 40 * 60;
	cr_assert_eq(plan_generate(&in, &p), 0);
	cr_assert_geq(p.peak_long_m, 29 * KM);
	cr_assert_leq(p.peak_long_m, 35 * KM);
	plan_free(&p);
}

/* Issue 13, 4: half-marathon long runs finish at half-marathon pace. */
Test(issue13, half_long_runs_finish_at_half_pace)
{
	struct plan_input in = input(21097, 2026, 9, 6, 16, 5, WD_SUN, 45);
	struct plan p;
	size_t i;
	int finish = 0;

	cr_assert_eq(plan_generate(&in, &p), 0);
	for (i = 0; i < p.nworkouts; i++) {
		const char *t = text(&p.workouts[i], UNIT_KM);

		cr_assert_null(strstr(t, " marathon pace"), "%s", t);
		finish += strstr(t, "at half-marathon pace") != NULL;
	}
	cr_assert_gt(finish, 0);
	plan_free(&p);
}

/* Issue 13, 5: ultras are refused plainly; so are tiny races. */
Test(issue13, ultras_and_tiny_races_refused)
{
	static const int d[] = { 42196, 50000, 80467, 100000 };
	struct plan_input in = input(50000, 2026, 9, 6, 20, 5, WD_SUN, 80);
	struct plan_errors e;
	size_t k;

	for (k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
		in.race_distance = d[k];
		cr_assert_eq(plan_validate(&in, &e), 1);
		cr_assert(strstr(e.msg[PF_RACE_DISTANCE], "ultra"));
	}
	in.race_distance = 1500;
	cr_assert_eq(plan_validate(&in, &e), 1);
	cr_assert(strstr(e.msg[PF_RACE_DISTANCE], "from 3 km"));
}

/* Issue 13, 5: a 15K and a 30K get a shape between their neighbours. */
Test(issue13, distances_between_classes)
{
	static const int d[] = { 10000, 15000, 21097, 30000, 42195 };
	int prev_long = 0, prev_days = 0, prev_weeks = 0;
	size_t k;

	for (k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
		struct plan_input in = input(d[k], 2026, 9, 6, 20, 6, WD_SUN, 70);
		struct plan p;

		in.recent_race_distance = 10000;
		in.recent_race_time_s = 40 * 60;
		cr_assert_eq(plan_generate(&in, &p), 0, "%d", d[k]);
		cr_assert_gt(p.peak_long_m, prev_long, "%d", d[k]);
		cr_assert_gt(p.race_date - p.taper_start, prev_days, "%d", d[k]);
		cr_assert_geq(plan_min_weeks(d[k]), prev_weeks);
		prev_long = p.peak_long_m;
		prev_days = p.race_date - p.taper_start;
		prev_weeks = plan_min_weeks(d[k]);
		plan_free(&p);
	}
	cr_assert_gt(plan_min_weeks(30000), plan_min_weeks(21097));
	cr_assert_lt(plan_min_weeks(30000), plan_min_weeks(42195));
}

/* Issue 13, 6: a mile runner reads miles under miles; reps they can run. */
Test(issue13, miles_everywhere_for_a_mile_runner)
{
	struct plan_input in = input(10000, 2026, 9, 6, 14, 5, WD_SUN, 50);
	struct plan p;
	char d[24];
	size_t i;
	int reps = 0;

	in.unit = UNIT_MI;
	cr_assert_eq(plan_generate(&in, &p), 0);
	for (i = 0; i < p.nworkouts; i++) {
		const char *t = text(&p.workouts[i], UNIT_MI);

		cr_assert_null(strstr(t, "km"), "%s", t);
		if (p.workouts[i].type == WORKOUT_EASY) {
			units_format_distance(d, sizeof(d),
			    p.workouts[i].distance_m, UNIT_MI);
			cr_assert(strncmp(t, d, strlen(d)) == 0, "%s / %s", t, d);
		}
		reps += strstr(t, " x 800 m in ") != NULL ||
		    strstr(t, " x 1200 m in ") != NULL ||
		    strstr(t, " x 1 mile at ") != NULL;
		if (strstr(t, "uphill"))
			cr_assert(strstr(t, "effort") && !strstr(t, "/mi"), "%s", t);
	}
	cr_assert_gt(reps, 0);
	plan_free(&p);
}

Test(plan, deterministic)
{
	struct plan_input in = input(42195, 2026, 9, 6, 16, 5, WD_SUN, 50);
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
	struct plan_input in = input(42195, 2026, 9, 6, 16, 5, WD_SUN, 50);
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
	cr_assert_str_eq(workout_type_name(WORKOUT_LONG), "Long");
	cr_assert_str_eq(workout_type_name(WORKOUT_RACE), "Race");
	cr_assert_str_eq(phase_name(PHASE_TAPER), "Taper");
	cr_assert_str_eq(plan_field_name(PF_GOAL_TIME), "goal_time");
	cr_assert_str_eq(vdot_source_name(VDOT_FROM_RUNS), "runs");
	cr_assert_eq(plan_min_weeks(5000), 4);
	cr_assert_eq(plan_min_weeks(10000), 6);
	cr_assert_eq(plan_min_weeks(21097), 8);
	cr_assert_eq(plan_min_weeks(42195), 12);
}

/* ---- validation of each field ---- */

static struct plan_input
good(void)
{
	struct plan_input in = input(42195, 2027, 4, 25, 16, 5, WD_SUN, 50);

	in.longest_run_m = 18 * KM;
	in.recent_race_distance = 5000;
	in.recent_race_time_s = 20 * 60;
	in.today = date_from_ymd(2026, 12, 1);
	return in;
}

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
	struct plan_input in = good();
	struct plan_errors e;

	cr_assert_eq(plan_validate(&in, &e), 0);
	cr_assert_eq(plan_validate(&in, NULL), 0);
}

Test(plan_validate, each_field)
{
	struct plan_input in;
	char msg[64];

	in = good(); in.race_distance = 2999;
	expect_error(&in, PF_RACE_DISTANCE, "from 3 km");
	in = good(); in.today = in.race_date;
	expect_error(&in, PF_RACE_DATE, "after today");
	in = good(); in.weeks = 0; in.start_date = in.race_date;
	expect_error(&in, PF_START_DATE, "before the race date");
	in = good(); in.weeks = 31;
	expect_error(&in, PF_START_DATE, "4 to 30 weeks");
	in = good(); in.weeks = 0; in.start_date = in.race_date - 7 * 31;
	expect_error(&in, PF_START_DATE, "the most is 30");
	in = good(); in.weeks = 11;
	expect_error(&in, PF_START_DATE, "marathon plan needs at least 12 weeks");
	in = good(); in.race_distance = 15000; in.weeks = 6;
	snprintf(msg, sizeof(msg), "15 km race plan needs at least %d",
	    plan_min_weeks(15000));
	expect_error(&in, PF_START_DATE, msg);
	in = good(); in.first_day = WD_WED;
	expect_error(&in, PF_START_DATE, "Monday or Sunday");
	in = good(); in.runs_per_week = 2;
	expect_error(&in, PF_RUNS_PER_WEEK, "3 to 7");
	in = good(); in.long_run_day = (enum weekday)7;
	expect_error(&in, PF_LONG_RUN_DAY, "day");
	in = good(); in.weekly_distance_m = 250001;
	expect_error(&in, PF_WEEKLY_DISTANCE, "0 to 250 km");
	in = good(); in.weekly_distance_m = 200 * KM; in.runs_per_week = 7;
	in.longest_run_m = 30 * KM;
	expect_error(&in, PF_WEEKLY_DISTANCE, "one run a day");
	in = good(); in.longest_run_m = 100001;
	expect_error(&in, PF_LONGEST_RUN, "0 to 100 km");
	in = good(); in.longest_run_m = 6 * KM;
	expect_error(&in, PF_LONGEST_RUN, "choose more runs a week");
	in = good(); in.recent_race_distance = 0;
	expect_error(&in, PF_RECENT_RACE_DISTANCE, "with its time");
	in = good(); in.recent_race_distance = 50000;
	expect_error(&in, PF_RECENT_RACE_DISTANCE, "1500 m to the marathon");
	in = good(); in.recent_race_time_s = 0;
	expect_error(&in, PF_RECENT_RACE_TIME, "time of the recent race");
	in = good(); in.goal_time_s = -5;
	expect_error(&in, PF_GOAL_TIME, "h:mm:ss");
}

Test(plan_validate, several_fields_at_once)
{
	struct plan_input in = good();
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
