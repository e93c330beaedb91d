/*
 * plan_gen: fitness today and on race day, the goal, phases, and the
 * passes that lay out and write the plan (validation is plan_validate.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/plan_gen.h"
#include "domain/plan_internal.h"

/* Daniels: fitness grows about 1 VDOT per 4-6 weeks of steady training. */
#define PROGRESS_WEEKS		5
#define PROGRESS_MAX		2.0	/* over the whole plan */
#define GOAL_SLACK		0.05	/* VDOT rounding */

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

int
plan_min_weeks(int race_distance)
{
	struct race_profile p;

	plan_profile(race_distance, &p);
	return p.min_weeks;
}

int
plan_week_of(date_t week1_start, date_t d)
{
	return (int)((d - week1_start) / 7) + 1;
}

/* Fitness each week: +1 VDOT per PROGRESS_WEEKS of training, capped. */
static void
progression(struct plan *p, const struct schedule *s)
{
	int w, done;
	double v;

	for (w = 1; w <= p->total_weeks; w++) {
		done = (w - 1 < s->full_pre ? w - 1 : s->full_pre) /
		    PROGRESS_WEEKS;
		v = p->vdot + (done < PROGRESS_MAX ? done : PROGRESS_MAX);
		p->week_vdot[w - 1] = v > VDOT_MAX ? VDOT_MAX : v;
	}
	p->vdot_end = p->week_vdot[p->total_weeks - 1];
}

static int
predict(double vdot, int metres)
{
	return (int)lround(vdot_predict_time(vdot, plan_exact_distance(metres)));
}

/* Race-day predictions at the fitness the training supports. */
static void
predictions(const struct plan_input *in, struct plan *p)
{
	static const int std_m[4] = { 5000, 10000, 21097, 42195 };
	int i, own = 0;

	for (i = 0; i < 4; i++) {
		p->predictions[i].distance_m = std_m[i];
		p->predictions[i].time_s = predict(p->vdot_end, std_m[i]);
		own |= fabs(plan_exact_distance(std_m[i]) -
		    plan_exact_distance(in->race_distance)) < 1;
	}
	p->npredictions = 4;
	if (!own) {
		p->predictions[4].distance_m = in->race_distance;
		p->predictions[4].time_s = predict(p->vdot_end, in->race_distance);
		p->npredictions = 5;
	}
}

/*
 * The race-day target: the goal when the training supports it (or it is
 * slower), else what the training supports, said plainly.
 */
static void
goal(const struct plan_input *in, struct plan *p)
{
	int pred = predict(p->vdot_end, in->race_distance);
	char g[16], t[16];
	double need;

	p->race_time_s = pred;
	if (in->goal_time_s <= 0)
		return;
	need = vdot_from_race(plan_exact_distance(in->race_distance),
	    in->goal_time_s);
	p->goal_vdot = round(need * 10) / 10;
	if (need <= p->vdot_end + GOAL_SLACK) {
		p->goal_realistic = 1;
		p->race_time_s = in->goal_time_s;
		return;
	}
	units_format_duration(g, sizeof(g), in->goal_time_s);
	units_format_duration(t, sizeof(t), pred);
	snprintf(p->note, sizeof(p->note), "Your goal of %s is faster than "
	    "your training supports by race day: about %s is realistic, so "
	    "the race pace is set for %s.", g, t, t);
}

/*
 * Base, Build, Peak before the weeks labelled Taper; short plans drop
 * Base.  A re-plan does not start the phases before its first again: from
 * Build, no Base; from Peak, Peak up to the taper.
 */
static void
phases(const struct plan_input *in, struct plan *p, const struct schedule *s)
{
	int rest = p->total_weeks - s->taper_weeks, peak, base, n = 0, wk = 1;
	int len[PHASE__MAX], k;

	if (rest <= 5) {
		peak = rest <= 3 ? 1 : 2;
		base = 0;
	} else {
		peak = rest / 5 < 2 ? 2 : rest / 5 > 4 ? 4 : rest / 5;
		base = (rest - peak) / 2;
	}
	if (in->first_phase >= PHASE_BUILD)
		base = 0;
	if (in->first_phase >= PHASE_PEAK)
		peak = rest;
	len[PHASE_BASE] = base;
	len[PHASE_BUILD] = rest - peak - base;
	len[PHASE_PEAK] = peak;
	len[PHASE_TAPER] = s->taper_weeks;
	for (k = 0; k < PHASE__MAX; k++) {
		if (len[k] <= 0)
			continue;
		p->phases[n].kind = (enum phase_kind)k;
		p->phases[n].start_week = wk;
		p->phases[n].end_week = wk + len[k] - 1;
		wk += len[k];
		n++;
	}
	p->nphases = n;
}

enum phase_kind
plan_phase_of(const struct plan *p, int week, int *phase_week)
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

/* The fullest week wholly before the taper, and the longest long run. */
static void
peaks(struct plan *p, const struct schedule *s)
{
	size_t i;
	int w;

	for (w = 1; w <= s->full_pre; w++)
		if (s->w1 + 7 * (w - 1) >= p->start_date &&
		    p->week_volume_m[w - 1] > p->peak_volume_m)
			p->peak_volume_m = p->week_volume_m[w - 1];
	for (i = 0; i < p->nworkouts; i++)
		if (p->workouts[i].type == WORKOUT_LONG &&
		    p->workouts[i].distance_m > p->peak_long_m)
			p->peak_long_m = p->workouts[i].distance_m;
	for (w = 1; w <= p->total_weeks; w++)
		p->week_cutback[w - 1] = s->cutback[w - 1];
}

static void
lay_out(const struct plan_input *in, const struct race_profile *prof,
    const struct schedule *s, struct plan *p)
{
	struct layout ly;

	memset(&ly, 0, sizeof(ly));
	ly.in = in;
	ly.prof = prof;
	ly.sch = s;
	ly.plan = p;
	plan_lay_weeks(&ly);
	plan_lay_taper(&ly);
	plan_pick_sessions(&ly);
	plan_space_hard_days(&ly);
	plan_write(&ly);
	free(ly.slots);
}

void
plan_fitness(const struct plan_input *in, struct vdot_fitness *f)
{
	if (in->vdot >= VDOT_MIN && in->vdot <= VDOT_MAX) {
		f->vdot = round(in->vdot * 10) / 10;
		f->source = VDOT_FROM_RUNS;
		f->run = -1;
		return;
	}
	vdot_estimate(in->recent_race_distance, in->recent_race_time_s,
	    in->runs, in->nruns, in->today, in->weekly_distance_m, f);
}

int
plan_generate(const struct plan_input *in, struct plan *out)
{
	struct race_profile prof;
	struct schedule s;
	struct vdot_fitness f;

	memset(out, 0, sizeof(*out));
	if (plan_validate(in, NULL) != 0)
		return -1;
	plan_profile(in->race_distance, &prof);
	plan_fitness(in, &f);
	if (plan_schedule(in, &prof, f.vdot, &s) != 0)
		return -1;
	out->vdot = f.vdot;
	out->vdot_source = (enum vdot_source)f.source;
	out->evidence_run = f.run;
	vdot_paces(f.vdot, out->paces);
	out->start_date = s.start;
	out->race_date = in->race_date;
	out->taper_start = s.taper_start;
	out->total_weeks = s.nweeks;
	progression(out, &s);
	predictions(in, out);
	goal(in, out);
	phases(in, out, &s);
	lay_out(in, &prof, &s, out);
	peaks(out, &s);
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
