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
 * The figures below come from the rules document, kept apart from the
 * generator's own tables on purpose.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan_gen.h"
#include "domain/plan_text.h"

#define KM		1000
#define MAXW		PLAN_MAX_WEEKS

/* The rules document's figures at 5K, 10K, half, marathon. */
static const double anchor_m[4] = { 5000, 10000, 21097.5, 42195 };
static const struct {
	double	 min_weeks, taper_days, last_long_days;
	double	 long_lo, long_hi, long_min, share_max;
	double	 ready_week, ready_long, peak_lo, peak_cap;
} doc[4] = {
	{  4,  7,  8, 12 * KM, 16 * KM, 100, 0.40, 15 * KM,  6 * KM,
	   30 * KM, 120 * KM },
	{  6, 10,  8, 14 * KM, 18 * KM, 120, 0.42, 20 * KM, 10 * KM,
	   40 * KM, 130 * KM },
	{  8, 14, 10, 16 * KM, 22 * KM, 150, 0.45, 30 * KM, 15 * KM,
	   50 * KM, 145 * KM },
	{ 12, 21, 14, 29 * KM, 35 * KM, 180, 0.50, 45 * KM, 26 * KM,
	   60 * KM, 160 * KM },
};

/* A figure of the document for any distance: log-interpolated. */
#define DOC(d, f)	doc_figure(d, offsetof(__typeof__(doc[0]), f))

static double
doc_figure(int metres, size_t off)
{
	double d = metres == 21097 ? 21097.5 : metres, t;
	int i;

	for (i = 0; i < 3 && d > anchor_m[i + 1]; i++)
		;
	if (d <= anchor_m[0] || i == 3)
		return *(const double *)((const char *)&doc[i] + off);
	t = log(d / anchor_m[i]) / log(anchor_m[i + 1] / anchor_m[i]);
	return *(const double *)((const char *)&doc[i] + off) * (1 - t) +
	    *(const double *)((const char *)&doc[i + 1] + off) * t;
}

/* ---- the view of a plan the rules look at ---- */

struct view {
	const struct plan_input	*in;
	const struct plan	*p;
	date_t			 w1;
	int			 taper_days, last_long_days;
	int			 vol[MAXW + 2], runs[MAXW + 2];
	int			 longm[MAXW + 2], other_max[MAXW + 2];
	int			 full[MAXW + 2];	/* whole week shown */
	int			 pre[MAXW + 2];		/* wholly pre-taper */
};

static char why[1024];

/* Records the first failure; always returns -1. */
static int
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static int
is_long(const struct plan_workout *w)
{
	return w->type == WORKOUT_LONG;
}

static int
is_quality(const struct plan_workout *w)
{
	return w->type == WORKOUT_INTERVALS || w->type == WORKOUT_TEMPO;
}

static int
is_hard(const struct plan_workout *w)
{
	return is_quality(w) || is_long(w) || w->type == WORKOUT_RACE;
}

static int
days_out(const struct view *v, const struct plan_workout *w)
{
	return v->in->race_date - w->date;
}

static void
make_view(const struct plan_input *in, const struct plan *p, struct view *v)
{
	date_t ws;
	size_t i;
	int w;

	memset(v, 0, sizeof(*v));
	v->in = in;
	v->p = p;
	v->w1 = date_week_start(p->start_date, in->first_day);
	v->taper_days = (int)lround(DOC(in->race_distance, taper_days));
	v->last_long_days = (int)lround(DOC(in->race_distance, last_long_days));
	for (w = 1; w <= p->total_weeks; w++) {
		ws = v->w1 + 7 * (w - 1);
		v->full[w] = ws >= p->start_date;
		v->pre[w] = ws + 6 < in->race_date - v->taper_days;
	}
	for (i = 0; i + 1 < p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i];

		w = x->week;
		v->vol[w] += x->distance_m;
		v->runs[w]++;
		if (is_long(x))
			v->longm[w] = x->distance_m;
		else if (x->distance_m > v->other_max[w])
			v->other_max[w] = x->distance_m;
	}
}

/* ---- rules ---- */

/* Dates, weeks, the race, descriptions, paces. */
static int
rule_structure(const struct view *v)
{
	const struct plan *p = v->p;
	const struct plan_workout *race = &p->workouts[p->nworkouts - 1];
	size_t i;
	int z;

	if (p->total_weeks != plan_week_of(v->w1, v->in->race_date) ||
	    (v->in->weeks && p->total_weeks != v->in->weeks))
		return fail("total weeks %d", p->total_weeks);
	if (race->type != WORKOUT_RACE || race->date != v->in->race_date ||
	    race->distance_m != v->in->race_distance ||
	    race->week != p->total_weeks)
		return fail("the race is not last, on its date and distance");
	if (abs(race->duration_min * 60 - p->race_time_s) > 30)
		return fail("race duration %d min", race->duration_min);
	for (z = 1; z < PACE__MAX; z++)
		if (p->paces[z][0] >= p->paces[z - 1][0] ||
		    p->paces[z][1] >= p->paces[z - 1][1] ||
		    p->paces[z][0] >= p->paces[z][1])
			return fail("paces out of order at zone %d", z);
	for (i = 0; i < p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i];

		if (x->date < p->start_date || x->date > v->in->race_date ||
		    x->week != plan_week_of(v->w1, x->date))
			return fail("workout %zu dated or numbered wrong", i);
		if (i + 1 < p->nworkouts && p->workouts[i + 1].date <= x->date)
			return fail("two workouts a day or out of order");
		if (x->description[0] == '\0' || x->pace_fast_s > x->pace_slow_s ||
		    x->pace_fast_s <= 0)
			return fail("workout %zu: no description or bad paces", i);
		if (x->type != WORKOUT_RACE &&
		    (x->distance_m < 3000 || x->distance_m % 500 != 0))
			return fail("workout %zu: %d m", i, x->distance_m);
	}
	return 0;
}

/* Phases contiguous and in order, the taper last. */
static int
rule_phases(const struct view *v)
{
	const struct plan *p = v->p;
	int i;

	if (p->nphases < 2 || p->phases[0].start_week != 1 ||
	    p->phases[p->nphases - 1].kind != PHASE_TAPER ||
	    p->phases[p->nphases - 1].end_week != p->total_weeks)
		return fail("phases do not span the plan, taper last");
	for (i = 1; i < p->nphases; i++)
		if (p->phases[i].kind <= p->phases[i - 1].kind ||
		    p->phases[i].start_week != p->phases[i - 1].end_week + 1)
			return fail("phase %d out of order", i);
	return 0;
}

/* No two hard days in a row; the day after a long run is easy or rest. */
static int
rule_hard_days(const struct view *v)
{
	const struct plan *p = v->p;
	size_t i;

	for (i = 0; i + 1 < p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i], *y = x + 1;

		if (y->date != x->date + 1)
			continue;
		if (is_hard(x) && is_hard(y))
			return fail("hard days in a row on day -%d",
			    days_out(v, x));
	}
	return 0;
}

/* +10% a week at most, cutbacks 20% lighter, at most 4 weeks without. */
static int
rule_volume(const struct view *v)
{
	const struct plan *p = v->p;
	int w, prev = 0, streak = 0;

	for (w = 1; w <= p->total_weeks; w++) {
		if (v->vol[w] != p->week_volume_m[w - 1])
			return fail("week %d volume %d != %d", w, v->vol[w],
			    p->week_volume_m[w - 1]);
		if (!v->pre[w] || !v->full[w])
			continue;
		if (p->week_cutback[w - 1]) {
			if (prev && (v->vol[w] > prev * 0.86 + 1 ||
			    v->vol[w] < prev * 0.74))
				return fail("cutback week %d: %d after %d", w,
				    v->vol[w], prev);
			streak = 0;
			continue;
		}
		if (prev && v->vol[w] > prev * 1.10 + 1)
			return fail("week %d: %d after %d (+10%% at most)", w,
			    v->vol[w], prev);
		if (++streak > 4)
			return fail("5 weeks in a row without a lighter one");
		prev = v->vol[w];
	}
	return 0;
}

/* The first full week starts from what the runner runs now. */
static int
rule_first_week(const struct view *v)
{
	int stated = v->in->weekly_distance_m, w, lo, hi;
	const struct plan *p = v->p;
	size_t i;

	lo = (int)(stated * 0.9);
	hi = (int)(stated * 1.1) + 1;
	if (stated < 20 * KM && hi < stated + 5 * KM)
		hi = stated + 5 * KM;
	for (w = 1; w <= 2 && !v->full[w]; w++)
		if (v->vol[w] > hi)
			return fail("part week %d: %d from %d a week", w,
			    v->vol[w], stated);
	if (v->vol[w] < lo || v->vol[w] > hi)
		return fail("first full week %d: %d from %d a week", w,
		    v->vol[w], stated);
	for (i = 0; i < p->nworkouts; i++)
		if (is_long(&p->workouts[i])) {
			if (v->in->longest_run_m > 0 && p->workouts[i].distance_m >
			    v->in->longest_run_m + 2 * KM)
				return fail("first long run %d after a longest "
				    "of %d", p->workouts[i].distance_m,
				    v->in->longest_run_m);
			break;
		}
	return 0;
}

/* The long run: longest of its week, +2 km at most, capped, progressing. */
static int
rule_long_run(const struct view *v)
{
	const struct plan *p = v->p;
	double share = DOC(v->in->race_distance, share_max);
	int w, longest = v->in->longest_run_m, last = 0, flat = 0;

	for (w = 1; w <= p->total_weeks; w++) {
		int l = v->longm[w];

		if (l == 0)
			continue;
		if (v->other_max[w] > l)
			return fail("week %d: a %d m run beside a %d m long run",
			    w, v->other_max[w], l);
		if (longest > 0 && l > longest + 2 * KM)
			return fail("week %d: long run %d after %d", w, l,
			    longest);
		longest = l > longest ? l : longest;
		if (v->pre[w] && v->full[w] && l > share * v->vol[w] + 500 &&
		    l > (v->vol[w] + v->in->runs_per_week - 1) /
		    v->in->runs_per_week + 500)
			return fail("week %d: long run %d of %d", w, l, v->vol[w]);
		if (!v->pre[w] || p->week_cutback[w - 1])
			continue;
		/* Flat is fine only where the week pins it: an even share. */
		flat = l == last && l > (v->vol[w] / v->in->runs_per_week + 999) /
		    500 * 500 ? flat + 1 : 0;
		last = l;
		if (flat >= 4)
			return fail("long run flat at %d for 5 weeks", l);
	}
	return 0;
}

/* Long runs counted back from race day. */
static int
rule_taper_long(const struct view *v)
{
	const struct plan *p = v->p;
	size_t i;

	for (i = 0; i < p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i];
		int d = days_out(v, x);

		if (!is_long(x))
			continue;
		if (d <= 7 || d < v->last_long_days)
			return fail("a long run %d days before the race", d);
		if (x->distance_m >= 30 * KM && d < 21)
			return fail("a %d m long run %d days out", x->distance_m,
			    d);
	}
	return 0;
}

/* The last two days, the sharpener, race-week run lengths. */
static int
rule_race_days(const struct view *v)
{
	const struct plan *p = v->p;
	int peak = p->peak_volume_m, sharp = 0;
	size_t i;

	for (i = 0; i + 1 < p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i];
		int d = days_out(v, x);

		if (d <= 2 && (x->type != WORKOUT_EASY ||
		    (x->distance_m > 5 * KM && x->duration_min > 25)))
			return fail("%s %d m %d days before the race",
			    workout_type_name(x->type), x->distance_m, d);
		if (d >= 3 && d <= 5 && is_quality(x))
			sharp++;
		if (d <= 7 && x->distance_m > 4500 &&
		    x->distance_m > peak * 0.20 + 500)
			return fail("%d m %d days out (peak week %d)",
			    x->distance_m, d, peak);
		if (d <= 7 && is_quality(x) && (d < 3 || d > 5))
			return fail("quality %d days out", d);
	}
	if (sharp != 1)
		return fail("%d sharpening sessions 3-5 days out", sharp);
	return 0;
}

/* Volume over the last days: Bosquet's 41-60% cut, or a shorter taper. */
static int
rule_taper_depth(const struct view *v)
{
	const struct plan *p = v->p;
	int s14 = 0, s7 = 0, st = 0, t = v->taper_days;
	double peak = p->peak_volume_m;
	size_t i;

	for (i = 0; i + 1 < p->nworkouts; i++) {
		int d = days_out(v, &p->workouts[i]);

		s14 += d <= 14 ? p->workouts[i].distance_m : 0;
		s7 += d <= 7 ? p->workouts[i].distance_m : 0;
		st += d <= t ? p->workouts[i].distance_m : 0;
	}
	if (v->in->race_distance >= 21097) {
		double cut = 1 - s14 / (2 * peak);

		if (cut < 0.41 || cut > 0.60)
			return fail("last 14 days %d m: %.0f%% below the peak "
			    "%.0f", s14, cut * 100, peak);
	}
	if (st > 0.80 * peak * t / 7 || s7 > 0.65 * peak)
		return fail("taper too shallow: %d m in %d days, %d in 7 "
		    "(peak %.0f)", st, t, s7, peak);
	return 0;
}

/*
 * Runners keep their volume (no full pre-taper week well below it), and
 * grow at most to their volume plus half (25 km at most), or the
 * distance's peak aimed at, never past where growth stops.
 */
static int
rule_keeps_volume(const struct view *v)
{
	int w, stated = v->in->weekly_distance_m, d = v->in->race_distance;
	double v1 = stated > 15 * KM ? stated : 15 * KM;
	double grow = fmax(DOC(d, peak_lo), v1 + fmin(v1 / 2, 25 * KM));
	double top = fmax(stated, fmin(grow, DOC(d, peak_cap))) + 500;

	for (w = 1; w <= v->p->total_weeks; w++) {
		if (v->pre[w] && v->full[w] && !v->p->week_cutback[w - 1] &&
		    v->vol[w] < 0.9 * stated)
			return fail("week %d: %d from %d a week", w, v->vol[w],
			    stated);
		if (v->pre[w] && v->vol[w] > top)
			return fail("week %d: %d, more than %.0f", w, v->vol[w],
			    top);
	}
	return 0;
}

/* Effort, not pace, uphill; every unit word matches the rendering. */
static int
rule_text(const struct view *v)
{
	const struct plan *p = v->p;
	char km[PLAN_DESC_MAX * 2], mi[PLAN_DESC_MAX * 2], d[32];
	size_t i;

	for (i = 0; i < p->nworkouts; i++) {
		const struct plan_workout *x = &p->workouts[i];
		const char *mine;

		plan_text_render(km, sizeof(km), x->description, UNIT_KM);
		plan_text_render(mi, sizeof(mi), x->description, UNIT_MI);
		if (strchr(km, '{') || strchr(mi, '{') || strstr(mi, "/km") ||
		    strstr(km, "/mi") || strstr(km, " mi "))
			return fail("unit words: '%s' / '%s'", km, mi);
		/* A mile plan's reps are ones a mile runner's track has. */
		if (v->in->unit == UNIT_MI && strstr(mi, " km"))
			return fail("km in a mile plan: '%s'", mi);
		if (strstr(km, "uphill") && (strstr(km, "/km") ||
		    !strstr(km, "effort")))
			return fail("hills with a pace: '%s'", km);
		mine = v->in->unit == UNIT_MI ? mi : km;
		units_format_distance(d, sizeof(d), x->distance_m, v->in->unit);
		if ((x->type == WORKOUT_EASY || x->type == WORKOUT_LONG ||
		    x->type == WORKOUT_RECOVERY) && strncmp(mine, d, strlen(d)))
			return fail("'%s' under %s", mine, d);
		if (v->in->race_distance != 42195 && strstr(km, "marathon pace")
		    && !strstr(km, "half-marathon pace"))
			return fail("marathon pace in a %d m plan: '%s'",
			    v->in->race_distance, km);
	}
	return 0;
}

/* The systems of a phase's two sessions (document: The week). */
static void
phase_systems(int d, enum phase_kind k, enum pace_zone *a, enum pace_zone *b)
{
	*a = PACE_I;
	*b = PACE_T;
	if (k == PHASE_PEAK && d > 30000)
		*a = PACE_M;
}

/* The zone whose fast pace a quality workout targets, at its week's VDOT. */
static int
zone_of(const struct plan *p, const struct plan_workout *w)
{
	int paces[PACE__MAX][2], z;

	vdot_paces(p->week_vdot[w->week - 1], paces);
	for (z = 0; z < PACE__MAX; z++)
		if (w->pace_fast_s == paces[z][0])
			return z;
	/* Marathon-pace work of a 35 km race is at its own race pace. */
	return strstr(w->description, "(race pace)") ? PACE_M : -1;
}

/* With any number of runs, Build and Peak keep both their systems. */
static int
rule_systems(const struct view *v)
{
	const struct plan *p = v->p;
	int k, seen[PACE__MAX], weeks, w, q;
	enum pace_zone a, b;
	size_t i;

	for (k = 0; k < p->nphases; k++) {
		const struct plan_phase *ph = &p->phases[k];

		if (ph->kind != PHASE_BUILD && ph->kind != PHASE_PEAK)
			continue;
		memset(seen, 0, sizeof(seen));
		weeks = 0;
		for (w = ph->start_week; w <= ph->end_week; w++) {
			q = 0;
			for (i = 0; i < p->nworkouts; i++)
				if (p->workouts[i].week == w &&
				    is_quality(&p->workouts[i]) &&
				    days_out(v, &p->workouts[i]) > v->taper_days) {
					int z = zone_of(p, &p->workouts[i]);

					seen[z == PACE_R ? PACE_I : z < 0 ? 0 : z]++;
					q = 1;
				}
			weeks += q;
		}
		phase_systems(v->in->race_distance, ph->kind, &a, &b);
		if (weeks >= 2 && (!seen[a] || !seen[b]))
			return fail("%s: %s %d, %s %d over %d weeks",
			    phase_name(ph->kind), pace_zone_key(a), seen[a],
			    pace_zone_key(b), seen[b], weeks);
	}
	return 0;
}

/* Fitness from the runner, the goal a target; paces progress, capped. */
static int
rule_fitness(const struct view *v)
{
	const struct plan *p = v->p;
	const struct plan_input *in = v->in;
	int w;
	double g;

	if (in->recent_race_time_s > 0 && p->vdot_source != VDOT_FROM_RACE)
		return fail("a recent race, but VDOT from %s",
		    vdot_source_name(p->vdot_source));
	for (w = 2; w <= p->total_weeks; w++)
		if (p->week_vdot[w - 1] < p->week_vdot[w - 2] ||
		    p->week_vdot[w - 1] > p->vdot + 2.0001 ||
		    p->week_vdot[w - 1] > p->vdot + (w - 1) / 4.0 + 0.0001)
			return fail("week %d VDOT %.1f from %.1f", w,
			    p->week_vdot[w - 1], p->vdot);
	if (in->goal_time_s <= 0)
		return 0;
	g = vdot_from_race(in->race_distance == 21097 ? 21097.5 :
	    in->race_distance, in->goal_time_s);
	if (g <= p->vdot_end && p->race_time_s != in->goal_time_s)
		return fail("a reachable goal (%.1f <= %.1f) not raced",
		    g, p->vdot_end);
	if (g > p->vdot_end + 0.1 && (p->race_time_s <= in->goal_time_s ||
	    !strstr(p->note, "faster than your training supports") ||
	    strstr(p->note, "VDOT") != NULL))
		return fail("an out-of-reach goal (%.1f > %.1f) paced: '%s'", g,
		    p->vdot_end, p->note);
	return 0;
}

/* Peak long runs where published plans put them (enough volume, time). */
static int
rule_peak_long(const struct view *v)
{
	const struct plan_input *in = v->in;
	const struct plan *p = v->p;
	int d = in->race_distance, e_mid = (p->paces[PACE_E][0] +
	    p->paces[PACE_E][1]) / 2;
	double lo = DOC(d, long_lo), hi = DOC(d, long_hi);
	double by_time = DOC(d, long_min) * 60 * 1000.0 / e_mid;

	if (d != 5000 && d != 10000 && d != 21097 && d != 42195)
		return 0;
	/* Enough volume and weeks to get there, and not a high-volume runner. */
	if (in->weekly_distance_m < DOC(d, ready_week) * 1.5 ||
	    p->total_weeks < DOC(d, min_weeks) + 4 ||
	    in->weekly_distance_m / in->runs_per_week > hi * 0.8 ||
	    (in->longest_run_m > 0 && in->longest_run_m < lo / 2))
		return 0;
	if (p->peak_long_m > hi + 1 || p->peak_long_m < fmin(lo, by_time) - 500)
		return fail("peak long run %d outside %.0f-%.0f (time %.0f)",
		    p->peak_long_m, lo, hi, by_time);
	return 0;
}

static int (*const rules[])(const struct view *) = {
	rule_structure, rule_phases, rule_hard_days, rule_volume,
	rule_first_week, rule_long_run, rule_taper_long, rule_race_days,
	rule_taper_depth, rule_keeps_volume, rule_text, rule_systems,
	rule_fitness, rule_peak_long,
};

/* 0 when plan p of in keeps every rule, else -1 with why set. */
static int
check_plan(const struct plan_input *in, const struct plan *p)
{
	struct view v;
	size_t k;

	make_view(in, p, &v);
	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++)
		if (rules[k](&v) != 0)
			return -1;
	return 0;
}

/* A refusal must say what to do, never in the generator's jargon. */
static int
check_refusal(const struct plan_input *in, const struct plan_errors *e)
{
	int f;

	for (f = 0; f < PF__MAX; f++) {
		const char *m = e->msg[f];

		if (m[0] == '\0')
			continue;
		if (strstr(m, "VDOT") || strstr(m, "outside"))
			return fail("jargon: %s", m);
		if (f == PF_WEEKLY_DISTANCE && in->weekly_distance_m >=
		    PLAN_MIN_WEEKLY_M && strstr(m, "build-up") &&
		    !strstr(m, "Choose") && !strstr(m, "Run more"))
			return fail("no alternative: %s", m);
	}
	return 0;
}

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
		cr_log_error("%s: %s", what, why);
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
