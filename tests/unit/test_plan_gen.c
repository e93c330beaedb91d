/*
 * Plan generator: property tests.  Every accepted input's plan is checked
 * against every rule of docs/training-plan-rules.md (check_plan); every
 * refused input must be refused for a documented reason, in words a
 * runner can act on (check_refusal).  The sweeps cover every race
 * weekday x first day of week x long-run day, every distance from 3 km
 * to the marathon (the four classes and the distances between them),
 * plan lengths from the minimum to 30 weeks, 3-7 runs a week, 0-200 km
 * a week, km and miles, with and without a recent race, imported runs,
 * a longest run and a goal.  Combinations are drawn deterministically
 * (a fixed LCG), so a failure names a case that fails again.
 *
 * The rules and the document's figures are in plan_rules.c (shared with
 * the re-plan's property tests, test_adapt.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan_gen.h"
#include "domain/plan_text.h"

#include "plan_rules.h"

/* ---- the sweeps ---- */

static const int distances[] = { 3000, 5000, 8000, 10000, 12000, 15000,
	16093, 21097, 25000, 30000, 35000, 42195 };
static const int volumes_km[] = { 0, 5, 10, 12, 15, 20, 25, 30, 40, 50, 60,
	80, 100, 130, 160, 200 };
#define NDIST	(int)(sizeof(distances) / sizeof(distances[0]))
#define NVOL	(int)(sizeof(volumes_km) / sizeof(volumes_km[0]))

static unsigned long long lcg_state;

static unsigned
draw(unsigned n)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(lcg_state >> 33) % n;
}

struct tally {
	long	 plans, refused, failed;
};

/* Logs the first failures (all of them would flood the report). */
static void
report(struct tally *t, const char *what)
{
	if (t->failed++ < 12)
		cr_log_error("%s: %s", what, plan_why);
}

static char ctx[512];

static void
describe_case(const struct plan_input *in)
{
	char rd[11];

	date_format(in->race_date, rd);
	snprintf(ctx, sizeof(ctx), "dist %d race %s (%s) weeks %d runs %d "
	    "long %s first %s weekly %d longest %d recent %d/%d goal %d "
	    "unit %s runs %zu", in->race_distance, rd,
	    weekday_key(date_weekday(in->race_date)), in->weeks,
	    in->runs_per_week, weekday_key(in->long_run_day),
	    weekday_key(in->first_day), in->weekly_distance_m,
	    in->longest_run_m, in->recent_race_distance,
	    in->recent_race_time_s, in->goal_time_s, unit_key(in->unit),
	    in->nruns);
}

/* Imported runs of a runner of this VDOT: easy runs and one hard one. */
static struct run_sample sample_runs[6];

static void
fitness_variant(struct plan_input *in, unsigned kind, double vdot)
{
	int i, d = in->race_distance == 21097 ? 21097 : in->race_distance;

	in->recent_race_distance = in->recent_race_time_s = 0;
	in->goal_time_s = 0;
	in->runs = NULL;
	in->nruns = 0;
	if (kind & 1) {
		in->recent_race_distance = 10000;
		in->recent_race_time_s = (int)vdot_predict_time(vdot, 10000);
	}
	if (kind & 2)	/* a goal from 4 VDOT under to 8 over the runner */
		in->goal_time_s = (int)vdot_predict_time(vdot - 4 +
		    draw(13), d == 21097 ? 21097.5 : d);
	if (kind & 4) {
		for (i = 0; i < 6; i++) {
			sample_runs[i].date = in->today - 3 - 9 * i;
			sample_runs[i].distance_m = 8000 + 1000 * i;
			sample_runs[i].moving_s = (int)(vdot_predict_time(
			    i == 2 ? vdot : vdot * 0.7, sample_runs[i].distance_m));
			sample_runs[i].avg_hr = i == 2 ? 168 : 140 + i;
		}
		in->runs = sample_runs;
		in->nruns = 6;
	}
}

static void
check_case(const struct plan_input *in, struct tally *t)
{
	struct plan_errors e;
	struct plan p;

	describe_case(in);
	if (plan_validate(in, &e) != 0) {
		t->refused++;
		if (check_refusal(in, &e) != 0)
			report(t, ctx);
		cr_assert_eq(plan_generate(in, &p), -1, "%s", ctx);
		return;
	}
	cr_assert_eq(plan_generate(in, &p), 0, "%s", ctx);
	t->plans++;
	if (check_plan(in, &p) != 0)
		report(t, ctx);
	plan_free(&p);
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
	in.weekly_distance_m = 50 * KM;
	in.longest_run_m = 18 * KM;
	in.recent_race_distance = 5000;
	in.recent_race_time_s = 20 * 60;
	in.unit = UNIT_KM;
	in.today = date_from_ymd(2026, 12, 1);
	return in;
}

/* A runner's numbers drawn together: volume, longest run, fitness. */
static void
draw_runner(struct plan_input *in)
{
	int km = volumes_km[draw(NVOL)];
	double vdot = 30 + draw(41);

	in->weekly_distance_m = km * KM;
	in->longest_run_m = draw(3) == 0 ? 0 : km * KM * (20 + draw(25)) / 100;
	in->unit = draw(2) ? UNIT_MI : UNIT_KM;
	fitness_variant(in, draw(8), vdot);
}

/*
 * Every race weekday x first day x long-run day x distance x runs a
 * week; the plan length (weeks or a start date) and the runner drawn.
 */
Test(plan_props, every_calendar_distance_and_runs, .timeout = 120)
{
	struct plan_input in = base_input();
	struct tally t = { 0, 0, 0 };
	int rd, fd, ld, di, runs, min;

	lcg_state = 1;
	for (rd = 0; rd < 7; rd++)
	for (fd = 0; fd < 2; fd++)
	for (ld = 0; ld < 7; ld++)
	for (di = 0; di < NDIST; di++)
	for (runs = 3; runs <= 7; runs++) {
		in = base_input();
		in.race_distance = distances[di];
		in.race_date = date_from_ymd(2027, 4, 19) + rd;	/* Mon + rd */
		in.first_day = fd ? WD_SUN : WD_MON;
		in.long_run_day = (enum weekday)ld;
		in.runs_per_week = runs;
		min = (int)ceil(DOC(in.race_distance, min_weeks) - 1e-9);
		if (draw(3) == 0) {
			in.weeks = 0;
			in.start_date = in.race_date - 7 * (min + (int)draw(
			    (unsigned)(PLAN_MAX_WEEKS - min - 1))) - draw(7);
		} else
			in.weeks = min + (int)draw((unsigned)(PLAN_MAX_WEEKS -
			    min + 1));
		draw_runner(&in);
		check_case(&in, &t);
	}
	cr_log_info("calendar sweep: %ld plans checked, %ld refused", t.plans,
	    t.refused);
	cr_assert_eq(t.failed, 0, "%ld cases broke a rule", t.failed);
	cr_assert_gt(t.plans, 2000);
}

/* Every distance x plan length x runs a week x weekly volume. */
Test(plan_props, every_distance_length_runs_and_volume, .timeout = 120)
{
	static const int extra[] = { 0, 1, 2, 3, 5, 8, 12, 18, 26 };
	struct plan_input in;
	struct tally t = { 0, 0, 0 };
	int di, k, runs, vi, min;

	lcg_state = 2;
	for (di = 0; di < NDIST; di++)
	for (k = 0; k < (int)(sizeof(extra) / sizeof(extra[0])); k++)
	for (runs = 3; runs <= 7; runs++)
	for (vi = 0; vi < NVOL; vi++) {
		in = base_input();
		in.race_distance = distances[di];
		min = (int)ceil(DOC(in.race_distance, min_weeks) - 1e-9);
		in.weeks = min + extra[k];
		if (in.weeks > PLAN_MAX_WEEKS)
			continue;
		in.runs_per_week = runs;
		in.race_date = date_from_ymd(2027, 4, 19) + draw(7);
		in.first_day = draw(2) ? WD_SUN : WD_MON;
		in.long_run_day = (enum weekday)draw(7);
		draw_runner(&in);
		in.weekly_distance_m = volumes_km[vi] * KM;
		if (in.longest_run_m > in.weekly_distance_m)
			in.longest_run_m = in.weekly_distance_m / 3;
		check_case(&in, &t);
	}
	cr_log_info("length sweep: %ld plans checked, %ld refused", t.plans,
	    t.refused);
	cr_assert_eq(t.failed, 0, "%ld cases broke a rule", t.failed);
	cr_assert_gt(t.plans, 2000);
}
