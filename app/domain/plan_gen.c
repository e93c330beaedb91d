/*
 * plan_gen: validation, fitness (VDOT, paces, predictions), phases and
 * weekly volume; the workouts of each week come from plan_week.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/plan_gen.h"
#include "domain/plan_internal.h"

#define WEEKLY_FLOOR_M		15000	/* plans never start below this */
#define PEAK_GROWTH		1.5	/* peak target over current volume */
#define WEEKLY_GROWTH		1.10	/* at most +10% a week */
#define CUTBACK_EVERY		4	/* every 4th week is lighter ... */
#define CUTBACK_FACTOR		0.80	/* ... by 20% */
#define RUNS_CAP_SHARE		0.85	/* week <= runs x long cap x this */
#define GOAL_VDOT_MARGIN	1.10	/* goal at most 10% above the race */
#define VOLUME_VDOT_BASE	30.0	/* VDOT estimate without any time: */
#define VOLUME_VDOT_PER_KM	0.2	/* base + 0.2 per weekly km ... */
#define VOLUME_VDOT_MAX		45.0	/* ... at most this */

static const struct class_rules class_rules[RC__MAX] = {
	[RC_5K]       = {  7500,  4, 30000, 64000, 16000, 0.28, "5K" },
	[RC_10K]      = { 15000,  6, 40000, 76000, 19000, 0.30, "10K" },
	[RC_HALF]     = { 30000,  8, 50000, 88000, 22000, 0.32, "half marathon" },
	[RC_MARATHON] = { PLAN_MAX_RACE_M, 12, 60000, 90000, 33000, 0.35,
	    "marathon" },
};

/* Taper volume as a share of peak, by taper length; race week last. */
static const double taper_share[3][3] = {
	{ 0.50 }, { 0.70, 0.50 }, { 0.80, 0.65, 0.50 },
};

static const char *const workout_names[WORKOUT__MAX] = {
	"Easy", "Long", "Intervals", "Tempo", "Recovery", "Race",
};
static const char *const phase_names[PHASE__MAX] = {
	"Base", "Build", "Peak", "Taper",
};
static const char *const field_names[PF__MAX] = {
	"race_distance", "race_date", "start_date", "runs_per_week",
	"long_run_day", "weekly_distance", "longest_run",
	"recent_race_distance", "recent_race_time", "goal_time",
};

const char *
workout_type_name(enum workout_type t)
{
	return (unsigned)t < WORKOUT__MAX ? workout_names[t] : "Easy";
}

const char *
phase_name(enum phase_kind k)
{
	return (unsigned)k < PHASE__MAX ? phase_names[k] : "Base";
}

const char *
plan_field_name(enum plan_field f)
{
	return (unsigned)f < PF__MAX ? field_names[f] : "";
}

const char *
vdot_source_name(enum vdot_source s)
{
	return s == VDOT_FROM_RACE ? "race" :
	    s == VDOT_FROM_GOAL ? "goal" : "volume";
}

int
round_down_m(double m)
{
	return (int)floor(m / PLAN_ROUND_M + 1e-9) * PLAN_ROUND_M;
}

int
round_up_m(double m)
{
	return (int)ceil(m / PLAN_ROUND_M - 1e-9) * PLAN_ROUND_M;
}

int
round_near_m(double m)
{
	return (int)lround(m / PLAN_ROUND_M) * PLAN_ROUND_M;
}

enum race_class
plan_race_class(int d)
{
	int c;

	for (c = 0; c < RC_MARATHON; c++)
		if (d <= class_rules[c].upto_m)
			return (enum race_class)c;
	return RC_MARATHON;
}

const struct class_rules *
plan_class_rules(enum race_class c)
{
	return &class_rules[c];
}

int
plan_min_weeks(int race_distance)
{
	return class_rules[plan_race_class(race_distance)].min_weeks;
}

int
plan_volume_cap(int race_distance, int runs)
{
	const struct class_rules *cr = &class_rules[plan_race_class(race_distance)];
	int by_runs = round_down_m(runs * cr->long_cap_m * RUNS_CAP_SHARE);

	return by_runs < cr->peak_hi_m ? by_runs : cr->peak_hi_m;
}

int
plan_taper_weeks(enum race_class c, int total_weeks)
{
	switch (c) {
	case RC_5K:
		return 1;
	case RC_10K:
		return total_weeks >= 10 ? 2 : 1;
	case RC_HALF:
		return 2;
	default:
		return 3;
	}
}

int
plan_week_of(date_t week1_start, date_t d)
{
	return (int)((d - week1_start) / 7) + 1;
}

/* The race distance to compute with: the half is 21097.5 m exactly. */
static double
exact_distance(int m)
{
	return m == 21097 || m == 21098 ? HALF_MARATHON_M : (double)m;
}

/* First day of week 1: from the number of weeks, or the start date. */
static date_t
week1_start(const struct plan_input *in)
{
	date_t race_ws = date_week_start(in->race_date, in->first_day);

	if (in->weeks > 0)
		return race_ws - 7 * (in->weeks - 1);
	return date_week_start(in->start_date, in->first_day);
}

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

static void
validate_calendar(const struct plan_input *in, struct plan_errors *e)
{
	const struct class_rules *cr;
	int weeks;

	if (in->race_date <= in->today)
		set_err(e, PF_RACE_DATE, "The race date must be after today.");
	if (in->first_day != WD_MON && in->first_day != WD_SUN) {
		set_err(e, PF_START_DATE,
		    "Weeks must start on Monday or Sunday.");
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
	weeks = plan_week_of(week1_start(in), in->race_date);
	if (weeks > PLAN_MAX_WEEKS)
		set_err(e, PF_START_DATE, "This plan would last %d weeks; "
		    "the most is %d: start later.", weeks, PLAN_MAX_WEEKS);
	if (in->race_distance < PLAN_MIN_RACE_M ||
	    in->race_distance > PLAN_MAX_RACE_M)
		return;
	cr = &class_rules[plan_race_class(in->race_distance)];
	if (weeks < cr->min_weeks)
		set_err(e, PF_START_DATE, "A %s plan needs at least %d weeks; "
		    "this one has %d: start earlier.", cr->name,
		    cr->min_weeks, weeks);
}

/* The VDOT of a time over a distance: 0 if within VDOT_MIN..MAX, else -1. */
static int
check_vdot(int metres, int seconds, double *vdot)
{
	*vdot = vdot_from_race(exact_distance(metres), seconds);
	return *vdot >= VDOT_MIN && *vdot <= VDOT_MAX ? 0 : -1;
}

static void
validate_fitness(const struct plan_input *in, struct plan_errors *e)
{
	double rv = 0, gv;
	int have_race = 0;
	char t[16];

	if (in->weekly_distance_m < 0 || in->weekly_distance_m > PLAN_MAX_WEEKLY_M)
		set_err(e, PF_WEEKLY_DISTANCE,
		    "Weekly distance must be between 0 and %d km.",
		    PLAN_MAX_WEEKLY_M / 1000);
	if (in->longest_run_m < 0 || in->longest_run_m > PLAN_MAX_LONGEST_M)
		set_err(e, PF_LONGEST_RUN,
		    "Longest run must be between 0 and %d km.",
		    PLAN_MAX_LONGEST_M / 1000);
	if (in->recent_race_distance != 0 || in->recent_race_time_s != 0) {
		if (in->recent_race_distance < PLAN_MIN_RACE_M ||
		    in->recent_race_distance > PLAN_MAX_RACE_M)
			set_err(e, PF_RECENT_RACE_DISTANCE, "Give the recent "
			    "race distance (1 to 100 km) with its time.");
		else if (in->recent_race_time_s <= 0)
			set_err(e, PF_RECENT_RACE_TIME, "Give the time of "
			    "the recent race (h:mm:ss or mm:ss).");
		else if (check_vdot(in->recent_race_distance,
		    in->recent_race_time_s, &rv) != 0)
			set_err(e, PF_RECENT_RACE_TIME, "That time gives a "
			    "VDOT of %.1f, outside %.0f-%.0f: check it.", rv,
			    VDOT_MIN, VDOT_MAX);
		else
			have_race = 1;
	}
	if (in->goal_time_s < 0)
		set_err(e, PF_GOAL_TIME, "Give the goal as h:mm:ss or mm:ss.");
	if (in->goal_time_s <= 0 || in->race_distance < PLAN_MIN_RACE_M ||
	    in->race_distance > PLAN_MAX_RACE_M)
		return;
	if (check_vdot(in->race_distance, in->goal_time_s, &gv) != 0) {
		set_err(e, PF_GOAL_TIME, "That goal gives a VDOT of %.1f, "
		    "outside %.0f-%.0f: check it.", gv, VDOT_MIN, VDOT_MAX);
		return;
	}
	if (have_race && gv > rv * GOAL_VDOT_MARGIN) {
		units_format_duration(t, sizeof(t),
		    (int)lround(vdot_predict_time(rv * GOAL_VDOT_MARGIN,
		    exact_distance(in->race_distance))));
		set_err(e, PF_GOAL_TIME, "This goal needs VDOT %.1f, more "
		    "than 10%% above your recent race (%.1f): aim for %s "
		    "or slower.", gv, rv, t);
	}
}

int
plan_validate(const struct plan_input *in, struct plan_errors *errs)
{
	struct plan_errors local;
	struct plan_errors *e = errs != NULL ? errs : &local;

	memset(e, 0, sizeof(*e));
	if (in->race_distance < PLAN_MIN_RACE_M ||
	    in->race_distance > PLAN_MAX_RACE_M)
		set_err(e, PF_RACE_DISTANCE, "The race distance must be "
		    "between %d and %d km.", PLAN_MIN_RACE_M / 1000,
		    PLAN_MAX_RACE_M / 1000);
	if (in->runs_per_week < PLAN_MIN_RUNS || in->runs_per_week > PLAN_MAX_RUNS)
		set_err(e, PF_RUNS_PER_WEEK, "Runs per week must be %d to %d.",
		    PLAN_MIN_RUNS, PLAN_MAX_RUNS);
	if ((unsigned)in->long_run_day >= WD__MAX)
		set_err(e, PF_LONG_RUN_DAY, "Choose a day for the long run.");
	validate_calendar(in, e);
	validate_fitness(in, e);
	return e->count;
}

/* VDOT, its source, paces and predictions. */
static void
plan_fitness(const struct plan_input *in, struct plan *p)
{
	static const int std_m[4] = { 5000, 10000, 21097, 42195 };
	double race_m = exact_distance(in->race_distance), v;
	int i;

	if (in->recent_race_distance > 0 && in->recent_race_time_s > 0) {
		v = vdot_from_race(exact_distance(in->recent_race_distance),
		    in->recent_race_time_s);
		p->vdot_source = VDOT_FROM_RACE;
	} else if (in->goal_time_s > 0) {
		v = vdot_from_race(race_m, in->goal_time_s);
		p->vdot_source = VDOT_FROM_GOAL;
	} else {
		v = VOLUME_VDOT_BASE +
		    VOLUME_VDOT_PER_KM * in->weekly_distance_m / 1000.0;
		if (v > VOLUME_VDOT_MAX)
			v = VOLUME_VDOT_MAX;
		p->vdot_source = VDOT_FROM_VOLUME;
	}
	p->vdot = round(v * 10) / 10;
	vdot_paces(p->vdot, p->paces);
	for (i = 0; i < 4; i++) {
		p->predictions[i].distance_m = std_m[i];
		p->predictions[i].time_s = (int)lround(vdot_predict_time(
		    p->vdot, exact_distance(std_m[i])));
		if (std_m[i] == in->race_distance ||
		    (std_m[i] == 21097 && in->race_distance == 21098))
			p->race_time_s = p->predictions[i].time_s;
	}
	p->npredictions = 4;
	if (p->race_time_s == 0) {
		p->race_time_s = (int)lround(vdot_predict_time(p->vdot, race_m));
		p->predictions[4].distance_m = in->race_distance;
		p->predictions[4].time_s = p->race_time_s;
		p->npredictions = 5;
	}
	if (in->goal_time_s > 0)
		p->race_time_s = in->goal_time_s;
}

/* Base, Build, Peak before the taper; short plans drop Base. */
static void
plan_phases(struct plan *p, enum race_class rc)
{
	int w = p->total_weeks, taper = plan_taper_weeks(rc, w);
	int rest = w - taper, peak, build, base, n = 0, wk = 1;
	int len[PHASE__MAX];

	if (rest <= 5) {
		peak = rest <= 3 ? 1 : 2;
		base = 0;
	} else {
		peak = rest / 5 < 2 ? 2 : rest / 5 > 4 ? 4 : rest / 5;
		base = (rest - peak) / 2;
	}
	build = rest - peak - base;
	len[PHASE_BASE] = base;
	len[PHASE_BUILD] = build;
	len[PHASE_PEAK] = peak;
	len[PHASE_TAPER] = taper;
	for (int k = 0; k < PHASE__MAX; k++) {
		if (len[k] == 0)
			continue;
		p->phases[n].kind = (enum phase_kind)k;
		p->phases[n].start_week = wk;
		p->phases[n].end_week = wk + len[k] - 1;
		wk += len[k];
		n++;
	}
	p->nphases = n;
}

/*
 * Weekly targets: start at the current volume (floored), +10% a week up
 * to the peak target, every CUTBACK_EVERY-th week 20% lighter (never the
 * last week before the taper), then the taper shares of the peak.
 */
static void
plan_volumes(const struct plan_input *in, struct plan *p, enum race_class rc)
{
	const struct class_rules *cr = &class_rules[rc];
	int taper = plan_taper_weeks(rc, p->total_weeks);
	int rest = p->total_weeks - taper, w, last, target, v0;
	int hi = plan_volume_cap(in->race_distance, in->runs_per_week);

	v0 = in->weekly_distance_m < WEEKLY_FLOOR_M ? WEEKLY_FLOOR_M :
	    in->weekly_distance_m > hi ? hi : in->weekly_distance_m;
	v0 = round_near_m(v0);
	target = round_near_m(v0 * PEAK_GROWTH);
	if (target < cr->peak_lo_m)
		target = cr->peak_lo_m;
	if (target > hi)
		target = hi;
	if (target < v0)
		target = v0;
	last = v0;
	for (w = 1; w <= rest; w++) {
		if (w % CUTBACK_EVERY == 0 && w < rest) {
			p->week_volume_m[w - 1] = round_near_m(last * CUTBACK_FACTOR);
			p->week_cutback[w - 1] = 1;
			continue;
		}
		if (w > 1)
			last = round_down_m(last * WEEKLY_GROWTH);
		if (last > target)
			last = target;
		p->week_volume_m[w - 1] = last;
	}
	p->peak_volume_m = last;
	for (w = 0; w < taper; w++)
		p->week_volume_m[rest + w] =
		    round_near_m(last * taper_share[taper - 1][w]);
}

static enum phase_kind
phase_of(const struct plan *p, int week, int *phase_week)
{
	int i;

	for (i = 0; i < p->nphases; i++)
		if (week >= p->phases[i].start_week &&
		    week <= p->phases[i].end_week) {
			*phase_week = week - p->phases[i].start_week + 1;
			return p->phases[i].kind;
		}
	*phase_week = 1;
	return PHASE_TAPER;
}

/*
 * The week's long run: the class share of the week (28% for a 5K up to
 * 35% for a marathon; more with few runs, so it stays the longest run),
 * never above 35% nor below 25%, within the class
 * cap and at most LONG_STEP_M beyond the longest run so far (the 25%
 * floor wins over that step: documented).
 */
static int
long_run_m(int volume, int runs, const struct class_rules *cr, int longest)
{
	int cap = cr->long_cap_m;
	int lo = round_up_m(volume * LONG_SHARE_MIN);
	int hi = round_down_m(volume * LONG_SHARE_MAX);
	double share = cr->long_share;
	int l;

	if (1.1 / runs > share)
		share = 1.1 / runs;
	l = round_near_m(volume * share);
	if (l > longest + LONG_STEP_M)
		l = round_down_m(longest + LONG_STEP_M);
	if (l > cap)
		l = cap;
	if (l > hi)
		l = hi;
	if (l < lo)
		l = lo;
	return l;
}

static void
plan_weeks(const struct plan_input *in, struct plan *p, enum race_class rc,
    date_t w1)
{
	const struct class_rules *cr = &class_rules[rc];
	int taper = plan_taper_weeks(rc, p->total_weeks);
	int longest = in->longest_run_m > 0 ? in->longest_run_m :
	    round_near_m(in->weekly_distance_m * cr->long_share);
	size_t cap = 0;
	struct week_spec ws;
	int w;

	memset(&ws, 0, sizeof(ws));
	ws.in = in;
	ws.plan = p;
	ws.rc = rc;
	for (w = 1; w <= p->total_weeks; w++) {
		ws.week = w;
		ws.week_start = w1 + 7 * (w - 1);
		ws.phase = phase_of(p, w, &ws.phase_week);
		ws.volume_m = p->week_volume_m[w - 1];
		ws.cutback = p->week_cutback[w - 1];
		ws.race_week = w == p->total_weeks;
		ws.taper = w > p->total_weeks - taper;
		ws.long_m = ws.race_week ? 0 : long_run_m(ws.volume_m,
		    in->runs_per_week, cr, longest);
		if (ws.long_m > longest && !ws.taper)
			longest = ws.long_m;
		p->week_volume_m[w - 1] = plan_week_layout(&ws, &p->workouts,
		    &p->nworkouts, &cap);
	}
	plan_add_race(in, p, p->total_weeks, &p->workouts, &p->nworkouts,
	    &cap);
}

int
plan_generate(const struct plan_input *in, struct plan *out)
{
	enum race_class rc;
	date_t w1;

	memset(out, 0, sizeof(*out));
	if (plan_validate(in, NULL) != 0)
		return -1;
	rc = plan_race_class(in->race_distance);
	w1 = week1_start(in);
	out->start_date = in->weeks > 0 ? w1 : in->start_date;
	out->race_date = in->race_date;
	out->total_weeks = plan_week_of(w1, in->race_date);
	plan_fitness(in, out);
	plan_phases(out, rc);
	plan_volumes(in, out, rc);
	plan_weeks(in, out, rc, w1);
	return 0;
}

void
plan_free(struct plan *p)
{
	free(p->workouts);
	p->workouts = NULL;
	p->nworkouts = 0;
}

void
plan_keep_from(struct plan *p, date_t from)
{
	size_t i = 0;

	while (i < p->nworkouts && p->workouts[i].date < from)
		i++;
	memmove(p->workouts, p->workouts + i,
	    (p->nworkouts - i) * sizeof(*p->workouts));
	p->nworkouts -= i;
}
