/*
 * plan_rules: the rules of docs/training-plan-rules.md as checks on a
 * generated plan (see plan_rules.h), shared by the generator's property
 * tests (test_plan_gen.c) and the re-plan's (test_adapt.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan_text.h"
#include "plan_rules.h"

/* The rules document's figures at 5K, 10K, half, marathon. */
static const double anchor_m[4] = { 5000, 10000, 21097.5, 42195 };
static const struct plan_doc doc[4] = {
	{  4,  7,  8, 12 * KM, 16 * KM, 100, 0.40, 15 * KM,  6 * KM,
	   30 * KM, 120 * KM },
	{  6, 10,  8, 14 * KM, 18 * KM, 120, 0.42, 20 * KM, 10 * KM,
	   40 * KM, 130 * KM },
	{  8, 14, 10, 16 * KM, 22 * KM, 150, 0.45, 30 * KM, 15 * KM,
	   50 * KM, 145 * KM },
	{ 12, 21, 14, 29 * KM, 35 * KM, 180, 0.50, 45 * KM, 26 * KM,
	   60 * KM, 160 * KM },
};

double
plan_doc_figure(int metres, size_t off)
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



char plan_why[1024];

/* Records the first failure; always returns -1. */
static int
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(plan_why, sizeof(plan_why), fmt, ap);
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

void
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

int
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

int
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
