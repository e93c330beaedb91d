/*
 * adapt: when a plan is adapted, and the re-plan's properties.
 *
 * The detection cases are worked one by one.  The property sweep builds
 * plans over every distance, length, runs a week and volume, lets a runner
 * follow them for a while and then break off (days off, a low week, key
 * workouts missed, or fitter runs), and re-plans the rest: every re-plan
 * must keep every rule of docs/training-plan-rules.md (plan_rules.c's
 * check_plan, with the runner's actual recent volume as "what they run
 * now"), never ramp faster than those rules allow from that volume, never
 * go past the original plan's peaks, and keep the taper: the same first
 * day, its rules, and no more running in it than the original had.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/adapt.h"
#include "domain/plan_internal.h"
#include "domain/vdot.h"
#include "plan_rules.h"

/* ---- detection, case by case ---------------------------------------- */

#define MAXR	400

struct runner {
	struct adapt_input	 in;
	struct adapt_workout	 w[MAXR];
	struct run_sample	 r[MAXR];
	size_t			 nw, nr;
};

/* A plan started 5 weeks before today (a Thursday), race in 10 weeks. */
static void
runner_init(struct runner *x)
{
	memset(x, 0, sizeof(*x));
	x->in.today = date_from_ymd(2026, 11, 19);
	x->in.first_day = WD_MON;
	x->in.plan_start = date_week_start(x->in.today, WD_MON) - 35;
	x->in.race_date = x->in.today + 70;
	x->in.race_distance = 21097;
	x->in.plan_vdot = 45;
	x->in.plan_source = VDOT_FROM_RACE;
	x->in.workouts = x->w;
	x->in.runs = x->r;
}

static void
plan_day(struct runner *x, date_t d, enum workout_type t, int m, bool done)
{
	x->w[x->nw++] = (struct adapt_workout){ d, t, m, done, false };
	x->in.nworkouts = x->nw;
}

/* A run of m metres on day d at s seconds a km. */
static void
ran(struct runner *x, date_t d, int m, int s_per_km)
{
	x->r[x->nr++] = (struct run_sample){ d, m, m * s_per_km / 1000, 0 };
	x->in.nruns = x->nr;
}

/* Every plan day (Tue, Thu, Sun) from the start to yesterday, run. */
static void
steady(struct runner *x, date_t until)
{
	date_t d;

	for (d = x->in.plan_start; d < until; d++) {
		enum weekday wd = date_weekday(d);

		if (wd != WD_TUE && wd != WD_THU && wd != WD_SUN)
			continue;
		plan_day(x, d, wd == WD_SUN ? WORKOUT_LONG : wd == WD_TUE ?
		    WORKOUT_INTERVALS : WORKOUT_EASY, wd == WD_SUN ? 14000 :
		    9000, true);
		ran(x, d, wd == WD_SUN ? 14000 : 9000, 330);
	}
}

/* The rest of the plan, from day from, not run yet. */
static void
ahead(struct runner *x, date_t from)
{
	date_t d;

	for (d = from; d < x->in.race_date; d++) {
		enum weekday wd = date_weekday(d);

		if (wd == WD_TUE || wd == WD_THU || wd == WD_SUN)
			plan_day(x, d, wd == WD_SUN ? WORKOUT_LONG : WORKOUT_EASY,
			    wd == WD_SUN ? 15000 : 9000, false);
	}
}

Test(adapt_detect, a_plan_followed_needs_nothing)
{
	struct runner x;
	struct adapt_finding f;

	runner_init(&x);
	steady(&x, x.in.today);
	ahead(&x, x.in.today);
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "%s", f.key);
	cr_assert_str_empty(f.key);
}

Test(adapt_detect, a_week_under_70_percent)
{
	struct runner x;
	struct adapt_finding f;
	date_t w0 = date_week_start(x.in.today = date_from_ymd(2026, 11, 19),
	    WD_MON) - 7;

	runner_init(&x);
	steady(&x, w0);
	/* Last week: 32 km planned (9 + 9 + 14), 22 run: 69 %. */
	plan_day(&x, w0 + 1, WORKOUT_INTERVALS, 9000, true);
	ran(&x, w0 + 1, 9000, 300);
	plan_day(&x, w0 + 3, WORKOUT_EASY, 9000, true);
	ran(&x, w0 + 3, 9000, 330);
	plan_day(&x, w0 + 6, WORKOUT_LONG, 14000, false);
	ran(&x, w0 + 6, 4000, 330);
	ran(&x, x.in.today - 1, 100, 330);	/* (not last week) */
	ahead(&x, x.in.today);
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, ADAPT_BIT(ADAPT_LOW_WEEK), "%x %s", f.reasons,
	    f.key);
	cr_assert_eq(f.low_week, w0);
	cr_assert_eq(f.low_planned_m, 32000);
	cr_assert_eq(f.low_actual_m, 22000);
	cr_assert_str_eq(f.key, "low:2026-11-09");
	/* 70 % exactly is not under 70 %. */
	x.r[x.nr - 2].distance_m = 4400;
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "%s", f.key);
}

Test(adapt_detect, two_key_workouts_missed_in_two_weeks)
{
	struct runner x;
	struct adapt_finding f;
	size_t i;

	runner_init(&x);
	steady(&x, x.in.today);
	ahead(&x, x.in.today);
	/* The long run 4 days ago is missed (not run, not marked). */
	for (i = 0; i < x.nw; i++)
		if (x.w[i].date == x.in.today - 4) {
			x.w[i].done = false;
			x.r[i].distance_m = 0;
		}
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons & ADAPT_BIT(ADAPT_MISSED_KEY), 0);
	/* ... and the intervals 9 days ago, skipped by hand. */
	for (i = 0; i < x.nw; i++)
		if (x.w[i].date == x.in.today - 9) {
			x.w[i].done = false;
			x.w[i].skipped = true;
			x.r[i].distance_m = 0;
		}
	adapt_detect(&x.in, &f);
	cr_assert(f.reasons & ADAPT_BIT(ADAPT_MISSED_KEY), "%s", f.key);
	cr_assert_eq(f.nmissed, 2);
	cr_assert_eq(f.missed[0], x.in.today - 9);
	cr_assert_eq(f.missed_type[0], WORKOUT_INTERVALS);
	cr_assert_eq(f.missed[1], x.in.today - 4);
	cr_assert_eq(f.missed_type[1], WORKOUT_LONG);
	cr_assert(strstr(f.key, "missed:2026-11-10:2026-11-15"), "%s", f.key);
}

Test(adapt_detect, five_days_without_a_run)
{
	struct runner x;
	struct adapt_finding f;

	runner_init(&x);
	steady(&x, x.in.today - 3);	/* last run: Sun 15, then Mon-Wed */
	ahead(&x, x.in.today - 3);
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons & ADAPT_BIT(ADAPT_BREAK), 0, "%s", f.key);
	cr_assert_eq(f.last_run, x.in.today - 4);
	x.in.today += 2;		/* Saturday: Mon..Fri, 5 days */
	adapt_detect(&x.in, &f);
	cr_assert(f.reasons & ADAPT_BIT(ADAPT_BREAK), "%s", f.key);
	cr_assert_eq(f.break_days, 5);
	cr_assert(strstr(f.key, "break:2026-11-15:1"), "%s", f.key);
	/* Three days later the break has its next stage: a new event. */
	x.in.today += 3;
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.break_days, 8);
	cr_assert(strstr(f.key, "break:2026-11-15:2"), "%s", f.key);
}

Test(adapt_detect, a_rest_the_plan_asked_for_is_no_break)
{
	struct runner x;
	struct adapt_finding f;

	runner_init(&x);
	steady(&x, x.in.today - 6);
	/* Nothing planned since: the runner was told to rest. */
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons & ADAPT_BIT(ADAPT_BREAK), 0, "%s", f.key);
}

Test(adapt_detect, fitter_runs_move_the_paces)
{
	struct runner x;
	struct adapt_finding f;
	int t = (int)lround(vdot_predict_time(46.8, 10200));

	runner_init(&x);
	steady(&x, x.in.today);
	ahead(&x, x.in.today);
	/* The plan's week 6 is at VDOT 46 (45 + 1 after 5 weeks). */
	x.r[x.nr++] = (struct run_sample){ x.in.today - 7, 10200, t, 0 };
	x.in.nruns = x.nr;
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "46 to 46.8 is not a step: %s", f.key);
	x.r[x.nr - 1].moving_s = (int)lround(vdot_predict_time(47.9, 10200));
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, ADAPT_BIT(ADAPT_FITNESS), "%s", f.key);
	cr_assert(adapt_paces_only(&f));
	cr_assert_float_eq(f.runs_vdot, 47.9, 0.051);
	cr_assert_eq(f.evidence, (int)x.nr - 1);
	cr_assert_str_eq(f.key, "fitness:479");
}

Test(adapt_detect, slower_runs_say_little_against_a_race)
{
	struct runner x;
	struct adapt_finding f;

	runner_init(&x);
	steady(&x, x.in.today);	/* easy runs: about VDOT 37 */
	ahead(&x, x.in.today);
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "%s", f.key);
	x.in.plan_source = VDOT_FROM_RUNS;	/* ... but against runs they do */
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, ADAPT_BIT(ADAPT_FITNESS), "%s", f.key);
	cr_assert_lt(f.runs_vdot, 45);
}

Test(adapt_detect, nothing_before_the_start_in_the_taper_or_untracked)
{
	struct runner x;
	struct adapt_finding f;

	runner_init(&x);
	steady(&x, x.in.today - 8);
	ahead(&x, x.in.today - 8);
	adapt_detect(&x.in, &f);
	cr_assert_neq(f.reasons, 0);
	x.in.race_date = x.in.today + 10;	/* a half's taper is 14 days */
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "in the taper: %s", f.key);
	runner_init(&x);
	ahead(&x, x.in.plan_start);		/* never a run: nothing known */
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "untracked: %s", f.key);
	runner_init(&x);
	x.in.plan_start = x.in.today + 3;
	steady(&x, x.in.today);
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, 0, "not started: %s", f.key);
}

Test(adapt_detect, the_runner_asks)
{
	struct runner x;
	struct adapt_finding f;
	char text[ADAPT_TEXT_MAX];

	runner_init(&x);
	steady(&x, x.in.today);
	ahead(&x, x.in.today);
	x.in.days_off = 10;
	adapt_detect(&x.in, &f);
	cr_assert_eq(f.reasons, ADAPT_BIT(ADAPT_MANUAL));
	cr_assert_eq(adapt_main_reason(&f), ADAPT_MANUAL);
	adapt_describe(text, sizeof(text), &f, x.r, UNIT_KM);
	cr_assert_str_eq(text, "You asked to adjust the plan.");
}

Test(adapt_detect, words_for_the_runner)
{
	struct runner x;
	struct adapt_finding f;
	struct run_sample r = { date_from_ymd(2026, 11, 12), 10200,
	    10200 * 281 / 1000, 0 };
	char text[ADAPT_TEXT_MAX];

	adapt_evidence(text, sizeof(text), &r, UNIT_KM);
	cr_assert_str_eq(text, "from your 10.2 km on 12 Nov at 4:41/km");
	adapt_evidence(text, sizeof(text), &r, UNIT_MI);
	cr_assert_str_eq(text, "from your 6.3 mi on 12 Nov at 7:32/mi");
	runner_init(&x);
	steady(&x, x.in.today - 7);
	ahead(&x, x.in.today - 7);
	adapt_detect(&x.in, &f);
	adapt_describe(text, sizeof(text), &f, x.r, UNIT_KM);
	cr_assert_str_eq(text, "You have not run for 8 days (since 10 Nov). "
	    "In the week of 9 Nov you ran 9 km of the 33 km planned (27 %).");
}

Test(adapt_basis, daniels_vdot_after_days_off)
{
	cr_assert_float_eq(adapt_fvdot(0), 1.0, 1e-9);
	cr_assert_float_eq(adapt_fvdot(5), 1.0, 1e-9);
	cr_assert_float_eq(adapt_fvdot(7), 0.994, 1e-9);
	cr_assert_float_eq(adapt_fvdot(14), 0.973, 1e-9);
	cr_assert_float_eq(adapt_fvdot(12), 0.979, 1e-9);	/* between rows */
	cr_assert_float_eq(adapt_fvdot(28), 0.931, 1e-9);
	cr_assert_float_eq(adapt_fvdot(72), 0.800, 1e-9);
	cr_assert_float_eq(adapt_fvdot(365), 0.800, 1e-9);
}

Test(adapt_basis, what_was_run_the_days_off_and_the_phase)
{
	struct runner x;
	struct adapt_finding f;
	struct adapt_basis b;

	runner_init(&x);
	steady(&x, x.in.today - 10);	/* 32 km weeks, then 10 days off */
	ahead(&x, x.in.today - 10);
	adapt_detect(&x.in, &f);
	adapt_basis(&x.in, &f, PHASE_BUILD, &b);
	cr_assert_eq(b.break_days, 10);
	cr_assert_eq(b.longest_m, 14000);
	{
		long sum = 0;
		size_t i;

		for (i = 0; i < x.nr; i++)
			if (x.r[i].date > x.in.today - 28)
				sum += x.r[i].distance_m;
		cr_assert_eq(b.weekly_m, sum * 7 / 28, "%d", b.weekly_m);
		cr_assert_lt(b.weekly_m, 32000 * 3 / 4);
	}
	cr_assert_eq(b.first_phase, PHASE_BASE, "8-14 days off: a phase back");
	cr_assert_float_eq(b.fvdot, adapt_fvdot(10), 1e-9);
	cr_assert_float_eq(b.vdot, round(46 * adapt_fvdot(10) * 10) / 10, 1e-9);
	adapt_basis(&x.in, &f, PHASE_PEAK, &b);
	cr_assert_eq(b.first_phase, PHASE_BUILD);
	x.in.days_off = 20;
	adapt_basis(&x.in, &f, PHASE_PEAK, &b);
	cr_assert_eq(b.first_phase, PHASE_BASE, "over 2 weeks: Base again");
	/* Fitter runs before the setback: theirs, times the factor. */
	f.reasons |= ADAPT_BIT(ADAPT_FITNESS);
	f.runs_vdot = 48.0;
	adapt_basis(&x.in, &f, PHASE_PEAK, &b);
	cr_assert(b.vdot_from_runs);
	cr_assert_float_eq(b.vdot, round(48.0 * adapt_fvdot(20) * 10) / 10,
	    1e-9);
}

/* ---- the re-plan's properties ------------------------------------------ */

static const int distances[] = { 5000, 10000, 15000, 21097, 30000, 42195 };
static const int volumes_km[] = { 15, 25, 35, 50, 70, 100 };

enum scenario { SC_BREAK, SC_LOW_WEEK, SC_MISSED, SC_FITTER, SC_ASKED,
	SC__MAX };

struct tally {
	long	 replans, late, little, unready, noplan, failed;
};

static unsigned long long rng;

static unsigned
draw(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static char ctx[400];

/* The runner who followed p until today, then the scenario. */
static void
follow(struct runner *x, const struct plan *p, date_t today,
    enum scenario sc, int days)
{
	date_t	 w0 = date_week_start(today, x->in.first_day) - 7;
	size_t	 i;

	for (i = 0; i < p->nworkouts && x->nw < MAXR; i++) {
		const struct plan_workout *w = &p->workouts[i];
		bool run = w->date < today;
		int m = w->distance_m;

		if (sc == SC_BREAK && w->date >= today - days)
			run = false;
		if (sc == SC_MISSED && w->date >= today - 12 &&
		    (w->type == WORKOUT_LONG || w->type == WORKOUT_INTERVALS ||
		    w->type == WORKOUT_TEMPO))
			run = false;
		if (sc == SC_LOW_WEEK && w->date >= w0 && w->date < w0 + 7)
			m = m / 2;
		plan_day(x, w->date, w->type, w->distance_m, run);
		if (run && x->nr < MAXR)
			ran(x, w->date, m, w->pace_slow_s);
	}
	if (sc == SC_FITTER && x->nr < MAXR) {
		ran(x, today - 3, 10000, 0);
		x->r[x->nr - 1].moving_s = (int)vdot_predict_time(
		    p->vdot + 3, 10000);
	}
	if (sc == SC_ASKED)
		x->in.days_off = days;
}

/* Metres planned on the days from..to (race excluded). */
static long
planned(const struct plan *p, date_t from, date_t to)
{
	long	 m = 0;
	size_t	 i;

	for (i = 0; i < p->nworkouts; i++)
		if (p->workouts[i].date >= from && p->workouts[i].date <= to &&
		    p->workouts[i].type != WORKOUT_RACE)
			m += p->workouts[i].distance_m;
	return m;
}

/* 0 when re-plan q of p keeps its taper and p's peaks; -1, plan_why. */
static int
keeps_taper_and_peaks(const struct plan *p, const struct plan *q,
    const struct plan_input *qi)
{
	long	 old_taper = planned(p, p->taper_start, p->race_date);
	long	 new_taper = planned(q, q->taper_start, q->race_date);
	int	 w, cap = p->peak_volume_m > qi->weekly_distance_m ?
	    p->peak_volume_m : qi->weekly_distance_m;

	if (q->taper_start != p->taper_start || q->race_date != p->race_date)
		return snprintf(plan_why, sizeof(plan_why), "the taper or the "
		    "race moved"), -1;
	if (new_taper > old_taper + 1500)
		return snprintf(plan_why, sizeof(plan_why), "taper %ld m, was "
		    "%ld", new_taper, old_taper), -1;
	for (w = 0; w < q->total_weeks; w++)
		if (q->week_volume_m[w] > cap + 500)
			return snprintf(plan_why, sizeof(plan_why), "week %d: %d "
			    "m past the original peak %d", w + 1,
			    q->week_volume_m[w], p->peak_volume_m), -1;
	if (q->peak_long_m > p->peak_long_m &&
	    q->peak_long_m > qi->longest_run_m)
		return snprintf(plan_why, sizeof(plan_why), "long run %d past "
		    "the original %d", q->peak_long_m, p->peak_long_m), -1;
	return 0;
}

/* The phase of p on day d (the week's). */
static enum phase_kind
phase_on(const struct plan *p, enum weekday first, date_t d)
{
	int wk = plan_week_of(date_week_start(p->start_date, first), d), i;

	for (i = 0; i < p->nphases; i++)
		if (wk >= p->phases[i].start_week && wk <= p->phases[i].end_week)
			return p->phases[i].kind;
	return PHASE_TAPER;
}

/* REPLAN_DUMP=1: a failing re-plan's days and weeks in the log. */
static void
dump(const struct plan *q)
{
	size_t	 i;
	int	 w;

	if (getenv("REPLAN_DUMP") == NULL)
		return;
	for (i = 0; i < q->nworkouts; i++)
		cr_log_info("week %d, race day %d: %s %d m", q->workouts[i].week,
		    q->workouts[i].date - q->race_date,
		    workout_type_name(q->workouts[i].type),
		    q->workouts[i].distance_m);
	for (w = 0; w < q->total_weeks; w++)
		cr_log_info("week %d: %d m%s", w + 1, q->week_volume_m[w],
		    q->week_cutback[w] ? " (cutback)" : "");
}

static void
replan_case(const struct plan_input *orig, const struct plan *p,
    date_t today, enum scenario sc, int days, struct tally *t)
{
	static struct runner x;
	struct adapt_finding	 f;
	struct adapt_basis	 b;
	struct plan		 q;
	struct plan_input	 qi;
	enum adapt_refusal	 r;

	runner_init(&x);
	x.in.today = today;
	x.in.first_day = orig->first_day;
	x.in.plan_start = p->start_date;
	x.in.race_date = p->race_date;
	x.in.race_distance = orig->race_distance;
	x.in.plan_vdot = p->vdot;
	x.in.plan_source = p->vdot_source;
	follow(&x, p, today, sc, days);
	adapt_detect(&x.in, &f);
	adapt_basis(&x.in, &f, phase_on(p, orig->first_day, today + 1), &b);
	r = adapt_replan(orig, &b, today + 1, p->peak_volume_m, p->peak_long_m,
	    &qi, &q);
	snprintf(ctx + strlen(ctx), sizeof(ctx) - strlen(ctx), " | today "
	    "+%d sc %d days %d: recent %d longest %d vdot %.1f phase %d",
	    today - p->start_date, sc, days, b.weekly_m, b.longest_m, b.vdot,
	    b.first_phase);
	if (r == ADAPT_TOO_LATE) {
		t->late++;
		cr_assert_geq(date_week_start(today + 1, orig->first_day) + 13,
		    p->taper_start, "%s", ctx);
		return;
	}
	if (r == ADAPT_TOO_LITTLE) {
		t->little++;
		cr_assert_lt(b.weekly_m, ADAPT_MIN_WEEKLY_M, "%s", ctx);
		return;
	}
	if (r == ADAPT_NOT_READY) {
		t->unready++;
		return;
	}
	if (r == ADAPT_NO_PLAN) {
		if (t->noplan++ < 5)
			cr_log_warn("no re-plan: %s", ctx);
		return;
	}
	t->replans++;
	/* The rules read "what you run now" as the actual recent volume. */
	cr_assert_leq(qi.weekly_distance_m, b.weekly_m, "%s", ctx);
	cr_assert(qi.weekly_distance_m > b.weekly_m - 500 ||
	    qi.weekly_distance_m == orig->runs_per_week * PLAN_MAX_RUN_AVG_M,
	    "%s", ctx);
	cr_assert_eq(qi.start_date, today + 1);
	cr_assert_eq(qi.race_date, p->race_date);
	if (check_plan(&qi, &q) != 0 || keeps_taper_and_peaks(p, &q, &qi) != 0)
		if (t->failed++ < 12) {
			cr_log_error("%s: %s", ctx, plan_why);
			dump(&q);
		}
	cr_assert_geq(q.workouts[0].date, today + 1, "%s", ctx);
	plan_free(&q);
}

static struct plan_input
base_input(int distance, int weeks, int runs, int km)
{
	struct plan_input in;

	memset(&in, 0, sizeof(in));
	in.race_distance = distance;
	in.race_date = date_from_ymd(2027, 4, 19) + (int)draw(7);
	in.weeks = weeks;
	in.runs_per_week = runs;
	in.long_run_day = (enum weekday)draw(7);
	in.first_day = draw(2) ? WD_SUN : WD_MON;
	in.weekly_distance_m = km * KM;
	in.longest_run_m = draw(2) ? km * KM * (25 + (int)draw(15)) / 100 : 0;
	in.unit = draw(3) == 0 ? UNIT_MI : UNIT_KM;
	in.today = in.race_date - 7 * weeks - (int)draw(5);
	if (draw(2)) {
		in.recent_race_distance = 10000;
		in.recent_race_time_s = (int)vdot_predict_time(35 + draw(25),
		    10000);
	}
	return in;
}

Test(replan_props, every_replan_keeps_the_rules_ramp_and_taper,
    .timeout = 180)
{
	static const int extra[] = { 0, 3, 8 };
	struct tally t = { 0, 0, 0, 0, 0, 0 };
	struct plan_input in;
	struct plan p;
	size_t di, ei, vi;
	int runs, k, sc, min, days;
	date_t today;

	rng = 16;
	for (di = 0; di < sizeof(distances) / sizeof(distances[0]); di++)
	for (ei = 0; ei < sizeof(extra) / sizeof(extra[0]); ei++)
	for (runs = 3; runs <= 7; runs++)
	for (vi = 0; vi < sizeof(volumes_km) / sizeof(volumes_km[0]); vi++) {
		min = (int)ceil(DOC(distances[di], min_weeks) - 1e-9);
		in = base_input(distances[di], min + extra[ei], runs,
		    volumes_km[vi]);
		if (plan_validate(&in, NULL) != 0 || plan_generate(&in, &p) != 0)
			continue;
		/* Re-planned from a few points along the plan. */
		for (k = 0; k < 8; k++) {
			today = p.start_date + 7 + (int)draw((unsigned)(
			    p.race_date - p.start_date - 7));
			sc = (int)draw(SC__MAX);
			days = sc == SC_BREAK || sc == SC_ASKED ?
			    5 + (int)draw(30) : 0;
			snprintf(ctx, sizeof(ctx), "dist %d weeks %d runs %d "
			    "km %d long %d first %s longday %s unit %s",
			    in.race_distance, in.weeks, runs, volumes_km[vi],
			    in.longest_run_m, weekday_key(in.first_day),
			    weekday_key(in.long_run_day), unit_key(in.unit));
			replan_case(&in, &p, today, (enum scenario)sc, days, &t);
		}
		plan_free(&p);
	}
	cr_log_info("re-plans: %ld checked, %ld too late (taper), %ld too "
	    "little running, %ld not ready for the race, %ld without a plan",
	    t.replans, t.late, t.little, t.unready, t.noplan);
	cr_assert_eq(t.failed, 0, "%ld re-plans broke a rule", t.failed);
	cr_assert_eq(t.noplan, 0, "%ld re-plans found no plan", t.noplan);
	cr_assert_gt(t.replans, 1000);
	cr_assert_gt(t.late + t.little + t.unready, 0);
}

Test(replan_props, inside_the_taper_nothing_is_replanned)
{
	struct plan_input in;
	struct plan p, q;
	struct adapt_basis b = { 40000, 16000, 0, 45, 1, PHASE_BUILD, false };
	date_t d;

	rng = 3;
	in = base_input(21097, 12, 5, 40);
	cr_assert_eq(plan_generate(&in, &p), 0);
	for (d = p.taper_start - 14; d < p.race_date; d++) {
		enum adapt_refusal r = adapt_replan(&in, &b, d, p.peak_volume_m,
		    p.peak_long_m, NULL, &q);

		/* A whole week before the taper, or nothing. */
		if ((date_week_start(d, in.first_day) == d ? d :
		    date_week_start(d, in.first_day) + 7) + 6 < p.taper_start) {
			cr_assert_eq(r, ADAPT_OK);
			plan_free(&q);
		} else
			cr_assert_eq(r, ADAPT_TOO_LATE, "day %d", d - p.race_date);
	}
	b.weekly_m = ADAPT_MIN_WEEKLY_M - 500;
	cr_assert_eq(adapt_replan(&in, &b, p.start_date + 14, p.peak_volume_m,
	    p.peak_long_m, NULL, &q), ADAPT_TOO_LITTLE);
	plan_free(&p);
}

Test(adapt_plan, phases_before_the_replan_stay_after_it_are_new)
{
	static const struct plan_phase old[] = {
		{ PHASE_BASE, 1, 4 }, { PHASE_BUILD, 5, 9 },
		{ PHASE_PEAK, 10, 11 }, { PHASE_TAPER, 12, 13 },
	};
	struct plan q;
	struct plan_phase out[PLAN_MAX_PHASES];
	int n;

	memset(&q, 0, sizeof(q));
	/* From week 7, Build on: the plan looks as it did. */
	q.phases[0] = (struct plan_phase){ PHASE_BUILD, 1, 3 };
	q.phases[1] = (struct plan_phase){ PHASE_PEAK, 4, 5 };
	q.phases[2] = (struct plan_phase){ PHASE_TAPER, 6, 7 };
	q.nphases = 3;
	n = adapt_merge_phases(old, 4, &q, 7, out);
	cr_assert_eq(n, 4);
	cr_assert_eq(out[1].kind, PHASE_BUILD);
	cr_assert_eq(out[1].start_week, 5);
	cr_assert_eq(out[1].end_week, 9);
	cr_assert_eq(out[3].end_week, 13);
	/* After a long break, Base again from week 7. */
	q.phases[0] = (struct plan_phase){ PHASE_BASE, 1, 2 };
	q.phases[1] = (struct plan_phase){ PHASE_BUILD, 3, 3 };
	q.phases[2] = (struct plan_phase){ PHASE_PEAK, 4, 5 };
	q.phases[3] = (struct plan_phase){ PHASE_TAPER, 6, 7 };
	q.nphases = 4;
	n = adapt_merge_phases(old, 4, &q, 7, out);
	cr_assert_eq(n, 6);
	cr_assert_eq(out[1].end_week, 6, "Build cut at the re-plan");
	cr_assert_eq(out[2].kind, PHASE_BASE);
	cr_assert_eq(out[2].start_week, 7);
	cr_assert_eq(out[3].start_week, 9);
	cr_assert_eq(out[5].kind, PHASE_TAPER);
	cr_assert_eq(adapt_phase_named("Peak"), PHASE_PEAK);
	cr_assert_eq(adapt_phase_named("nonsense"), PHASE_BASE);
}

Test(adapt_plan, the_original_peaks_cap_a_replan)
{
	struct plan_input in;
	struct plan p;
	struct adapt_workout w[PLAN_MAX_WEEKS * 7];
	size_t i;
	int week, lng;

	rng = 5;
	in = base_input(42195, 18, 5, 50);
	cr_assert_eq(plan_generate(&in, &p), 0);
	for (i = 0; i < p.nworkouts; i++)
		w[i] = (struct adapt_workout){ p.workouts[i].date,
		    p.workouts[i].type, p.workouts[i].distance_m, false, false };
	adapt_peaks(w, p.nworkouts, in.race_distance, in.race_date,
	    in.first_day, &week, &lng);
	cr_assert_eq(week, p.peak_volume_m);
	cr_assert_eq(lng, p.peak_long_m);
	plan_free(&p);
}
