/*
 * plan_validate: every field's bounds, the consistency of the fitness
 * figures, and readiness, each problem in words a runner can act on.
 *
 * Readiness: the plan's own safe build-up (plan_schedule.c) must bring
 * the runner, within the weeks available, to the distance's minimum peak
 * week and peak long run (docs/training-plan-rules.md).  When it cannot,
 * the message gives those minimums and a realistic alternative: the
 * nearest later race date that works, or a shorter race on this date.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/plan_gen.h"
#include "domain/plan_internal.h"

static void
set_err(struct plan_errors *e, enum plan_field f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_err(struct plan_errors *e, enum plan_field f, const char *fmt, ...)
{
	va_list ap;

	if (e->msg[f][0] != '\0')
		return;		/* the first problem of a field is enough */
	va_start(ap, fmt);
	vsnprintf(e->msg[f], sizeof(e->msg[f]), fmt, ap);
	va_end(ap);
	e->count++;
}

/* Short labels for messages. */
struct words {
	char	 week[24], longest[24], avg[24];
};

static void
dist(char *out, size_t n, int m, enum unit u)
{
	units_format_distance(out, n, m, u);
}

static void
validate_race(const struct plan_input *in, struct plan_errors *e)
{
	char lo[24];

	dist(lo, sizeof(lo), PLAN_MIN_RACE_M, in->unit);
	if (in->race_distance > PLAN_MAX_RACE_M)
		set_err(e, PF_RACE_DISTANCE, "Cadence plans races up to the "
		    "marathon. An ultra needs back-to-back long runs, "
		    "time on feet, hills, walking breaks and fuelling practice, "
		    "which Cadence does not plan yet: choose the marathon or a "
		    "shorter race.");
	else if (in->race_distance < PLAN_MIN_RACE_M)
		set_err(e, PF_RACE_DISTANCE, "Cadence plans races from %s up "
		    "to the marathon.", lo);
	if (in->race_date <= in->today)
		set_err(e, PF_RACE_DATE, "The race date must be after today.");
	if (in->runs_per_week < PLAN_MIN_RUNS || in->runs_per_week > PLAN_MAX_RUNS)
		set_err(e, PF_RUNS_PER_WEEK, "Runs per week must be %d to %d.",
		    PLAN_MIN_RUNS, PLAN_MAX_RUNS);
	if ((unsigned)in->long_run_day >= WD__MAX)
		set_err(e, PF_LONG_RUN_DAY, "Choose a day for the long run.");
}

static int
distance_ok(const struct plan_input *in)
{
	return in->race_distance >= PLAN_MIN_RACE_M &&
	    in->race_distance <= PLAN_MAX_RACE_M;
}

static void
validate_calendar(const struct plan_input *in, struct plan_errors *e)
{
	struct race_profile p;
	char name[40];
	int weeks;

	if (in->first_day != WD_MON && in->first_day != WD_SUN) {
		set_err(e, PF_START_DATE, "Weeks must start on Monday or Sunday.");
		return;
	}
	if (in->weeks != 0 &&
	    (in->weeks < PLAN_MIN_WEEKS || in->weeks > PLAN_MAX_WEEKS)) {
		set_err(e, PF_START_DATE, "A plan lasts %d to %d weeks.",
		    PLAN_MIN_WEEKS, PLAN_MAX_WEEKS);
		return;
	}
	if (in->weeks == 0 && in->start_date >= in->race_date) {
		set_err(e, PF_START_DATE,
		    "The start date must be before the race date.");
		return;
	}
	weeks = plan_week_of(plan_first_week(in), in->race_date);
	if (weeks > PLAN_MAX_WEEKS)
		set_err(e, PF_START_DATE, "This plan would last %d weeks; "
		    "the most is %d: start later.", weeks, PLAN_MAX_WEEKS);
	if (!distance_ok(in))
		return;
	plan_profile(in->race_distance, &p);
	plan_profile_name(&p, in->unit, name, sizeof(name));
	if (weeks < p.min_weeks && !in->replan)
		set_err(e, PF_START_DATE, "A %s plan needs at least %d weeks; "
		    "this one has %d: start earlier.", name, p.min_weeks, weeks);
}

static void
validate_volume(const struct plan_input *in, struct plan_errors *e)
{
	int n = in->runs_per_week, w = in->weekly_distance_m;
	int l = in->longest_run_m;
	struct words s;
	char max[24];

	if (w < 0 || w > PLAN_MAX_WEEKLY_M) {
		dist(max, sizeof(max), PLAN_MAX_WEEKLY_M, in->unit);
		set_err(e, PF_WEEKLY_DISTANCE, "Give what you run in a typical "
		    "week, 0 to %s.", max);
		return;
	}
	if (l < 0 || l > PLAN_MAX_LONGEST_M) {
		dist(max, sizeof(max), PLAN_MAX_LONGEST_M, in->unit);
		set_err(e, PF_LONGEST_RUN, "Give your longest run of the last "
		    "month or so, 0 to %s.", max);
		return;
	}
	dist(s.week, sizeof(s.week), w, in->unit);
	dist(s.longest, sizeof(s.longest), l, in->unit);
	dist(max, sizeof(max), PLAN_MIN_WEEKLY_M, in->unit);
	if (w < PLAN_MIN_WEEKLY_M)
		set_err(e, PF_WEEKLY_DISTANCE, "Cadence plans start from about "
		    "%s a week of running. Build up first with run-walk "
		    "sessions (say 1 minute running, 1-2 minutes walking, 20-30 "
		    "minutes, three times a week) until %s a week feels easy, "
		    "then come back.", max, max);
	if (l > w && l > 0)
		set_err(e, PF_LONGEST_RUN, "A %s run is more than your whole "
		    "week (%s): give what you run in a typical week, and your "
		    "longest run of the last month or so.", s.longest, s.week);
	if (n < PLAN_MIN_RUNS || n > PLAN_MAX_RUNS || w < PLAN_MIN_WEEKLY_M)
		return;
	dist(s.avg, sizeof(s.avg), w / n, in->unit);
	if (w / n > PLAN_MAX_RUN_AVG_M)
		set_err(e, n < PLAN_MAX_RUNS ? PF_RUNS_PER_WEEK :
		    PF_WEEKLY_DISTANCE, "Cadence plans one run a day: %s in %d "
		    "runs would be %s each. Choose more runs a week (up to 7) "
		    "or give a lower weekly distance.", s.week, n, s.avg);
	else if (l > 0 && 0.9 * w > n * round_down_m(l + LONG_STEP_M))
		set_err(e, PF_LONGEST_RUN, "With %d runs a week, %s means runs "
		    "of about %s, but your longest recent run is %s: choose "
		    "more runs a week, or check both distances.", n, s.week,
		    s.avg, s.longest);
}

/* "1:23:45 for 10 km would be faster than the world record". */
static int
check_time(const struct plan_input *in, struct plan_errors *e,
    enum plan_field f, int metres, int secs, const char *what)
{
	double x = plan_exact_distance(metres), v = vdot_from_race(x, secs);
	char t[16], slow[16], d[24];

	if (v >= VDOT_MIN && v <= VDOT_MAX)
		return 0;
	units_format_duration(t, sizeof(t), secs);
	units_format_duration(slow, sizeof(slow),
	    (int)lround(vdot_predict_time(VDOT_MIN, x)));
	dist(d, sizeof(d), metres, in->unit);
	if (v > VDOT_MAX)
		set_err(e, f, "%s for %s would be faster than the world record: "
		    "check the %s (h:mm:ss or mm:ss).", t, d, what);
	else
		set_err(e, f, "%s for %s is slower than Cadence's paces go "
		    "(about %s at most): check the %s, or leave it empty.",
		    t, d, slow, what);
	return -1;
}

static void
validate_times(const struct plan_input *in, struct plan_errors *e)
{
	if (in->recent_race_distance != 0 || in->recent_race_time_s != 0) {
		if (in->recent_race_distance < PLAN_MIN_RECENT_M ||
		    in->recent_race_distance > PLAN_MAX_RECENT_M)
			set_err(e, PF_RECENT_RACE_DISTANCE, "Give the distance "
			    "of a race from 1500 m to the marathon, with its "
			    "time.");
		else if (in->recent_race_time_s <= 0)
			set_err(e, PF_RECENT_RACE_TIME, "Give the time of "
			    "the recent race (h:mm:ss or mm:ss).");
		else
			check_time(in, e, PF_RECENT_RACE_TIME,
			    in->recent_race_distance, in->recent_race_time_s,
			    "time");
	}
	if (in->goal_time_s < 0)
		set_err(e, PF_GOAL_TIME, "Give the goal as h:mm:ss or mm:ss.");
	else if (in->goal_time_s > 0 && distance_ok(in))
		check_time(in, e, PF_GOAL_TIME, in->race_distance,
		    in->goal_time_s, "goal");
}

/* The peak week and long run in->'s build-up reaches; 1 when enough. */
static int
reaches(const struct plan_input *in, double vdot, int *v, int *l)
{
	struct race_profile p;
	struct schedule s;
	int need_long;

	plan_profile(in->race_distance, &p);
	if (plan_week_of(plan_first_week(in), in->race_date) < p.min_weeks ||
	    plan_schedule(in, &p, vdot, &s) != 0)
		return 0;
	need_long = plan_long_time_cap(&p, vdot);
	need_long = need_long < p.ready_long_m ? need_long : p.ready_long_m;
	*v = s.v_peak;
	*l = s.l_peak;
	return s.v_peak >= p.ready_week_m && s.l_peak >= need_long;
}

/* The first later race date (same weekday) that works; 0 if none. */
static date_t
later_race(const struct plan_input *in, double vdot)
{
	struct plan_input x = *in;
	int extra, v, l;

	for (extra = 1; extra < PLAN_MAX_WEEKS; extra++) {
		x.race_date = in->race_date + 7 * extra;
		x.weeks = in->weeks > 0 ? in->weeks + extra : 0;
		if (plan_week_of(plan_first_week(&x), x.race_date) > PLAN_MAX_WEEKS)
			return 0;
		if (reaches(&x, vdot, &v, &l))
			return x.race_date;
	}
	return 0;
}

/* The longest standard race shorter than in's that works on its date. */
static int
shorter_race(const struct plan_input *in, double vdot)
{
	static const int std_m[] = { 21097, 10000, 5000 };
	struct plan_input x = *in;
	size_t k;
	int v, l;

	for (k = 0; k < sizeof(std_m) / sizeof(std_m[0]); k++) {
		x.race_distance = std_m[k];
		if (std_m[k] < in->race_distance && reaches(&x, vdot, &v, &l))
			return std_m[k];
	}
	return 0;
}

/* "Choose a race on or after 2027-06-06, or a half marathon on this date." */
static void
alternatives(const struct plan_input *in, double vdot, char *out, size_t n)
{
	date_t later = later_race(in, vdot);
	int shorter = shorter_race(in, vdot);
	struct race_profile p;
	char d[11], name[40];

	if (shorter > 0) {
		plan_profile(shorter, &p);
		plan_profile_name(&p, in->unit, name, sizeof(name));
	}
	if (later > 0)
		date_format(later, d);
	if (later > 0 && shorter > 0)
		snprintf(out, n, "Choose a race on or after %s, or a %s on "
		    "this date.", d, name);
	else if (later > 0)
		snprintf(out, n, "Choose a race on or after %s.", d);
	else if (shorter > 0)
		snprintf(out, n, "Choose a %s on this date.", name);
	else
		snprintf(out, n, "Run more each week for a while first, then "
		    "come back.");
}

static void
validate_readiness(const struct plan_input *in, struct plan_errors *e)
{
	struct race_profile p;
	struct vdot_fitness f;
	char name[40], alt[160], have[24], vw[24], vl[24], nw[24], nl[24];
	int v = 0, l = 0;

	if (in->replan)
		return;		/* the race is fixed: do what can safely be done */
	plan_fitness(in, &f);
	if (reaches(in, f.vdot, &v, &l))
		return;
	plan_profile(in->race_distance, &p);
	plan_profile_name(&p, in->unit, name, sizeof(name));
	alternatives(in, f.vdot, alt, sizeof(alt));
	dist(have, sizeof(have), in->weekly_distance_m, in->unit);
	dist(vw, sizeof(vw), v, in->unit);
	dist(vl, sizeof(vl), l, in->unit);
	dist(nw, sizeof(nw), p.ready_week_m, in->unit);
	dist(nl, sizeof(nl), p.ready_long_m, in->unit);
	set_err(e, PF_WEEKLY_DISTANCE, "From %s a week, a safe build-up "
	    "(10%% more a week at most) reaches %s weeks and a %s long run "
	    "by this race; a %s needs at least %s weeks and a %s long run. %s",
	    have, vw, vl, name, nw, nl, alt);
}

int
plan_validate(const struct plan_input *in, struct plan_errors *errs)
{
	struct plan_errors local;
	struct plan_errors *e = errs != NULL ? errs : &local;

	memset(e, 0, sizeof(*e));
	validate_race(in, e);
	validate_calendar(in, e);
	validate_volume(in, e);
	validate_times(in, e);
	if (e->count == 0)
		validate_readiness(in, e);
	return e->count;
}
