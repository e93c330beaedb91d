/*
 * plan_schedule: each week's volume and long run before the taper.
 *
 * The first week is what the runner runs now (within 10%; below 15 km a
 * week, 15 km: at most +5 km).  Volume then grows at most 10% a week,
 * every 4th week is 20% lighter, towards a peak of the current volume
 * plus half (at most +25 km) within the distance's bounds; a runner
 * already above the distance's cap keeps their volume.  The long run
 * starts at most 2 km over the runner's longest run and climbs evenly
 * (never more than 2 km a week) to the distance's peak long run, which
 * it reaches about three quarters of the way to the taper (sooner for a
 * short climb); after that it alternates the peak with a shorter one,
 * the last being the peak.  A week never holds more than runs x its
 * long run, so the long run stays the longest run of the week.
 */
#include <math.h>
#include <string.h>

#include "domain/plan_internal.h"

#define FIRST_WEEK_FLOOR_M	15000	/* below: +5 km at most (min 10 km) */
#define WEEKLY_GROWTH		1.10
#define CUTBACK_EVERY		4
#define CUTBACK_FACTOR		0.80
#define PEAK_GROWTH		0.50	/* peak = now + half ... */
#define PEAK_GROWTH_MAX_M	25000	/* ... at most this much more */
#define LONG_PEAK_AT		0.75	/* share of the long runs to reach it */
#define LONG_ALTERNATE		0.85	/* the shorter long run after that */
#define LONG_RAMP_STEP_M	1000	/* a climb's typical step: 1 km a week */
#define LONG_OVER_EVEN		1.20	/* peak long run over week / runs */
#define HIGH_VOLUME_RUN		0.80	/* runs this share of the long cap */

date_t
plan_first_week(const struct plan_input *in)
{
	date_t race_ws = date_week_start(in->race_date, in->first_day);

	if (in->weeks > 0)
		return race_ws - 7 * (in->weeks - 1);
	return date_week_start(in->start_date, in->first_day);
}

/* The long run the runner is assumed to manage when they did not say. */
static int
assumed_longest(const struct plan_input *in, const struct race_profile *p)
{
	double by_share = in->weekly_distance_m * p->long_share;
	double by_runs = 1.2 * in->weekly_distance_m / in->runs_per_week;

	return round_up_m(by_share > by_runs ? by_share : by_runs);
}

int
plan_long_time_cap(const struct race_profile *p, double vdot)
{
	int paces[PACE__MAX][2];

	vdot_paces(vdot, paces);
	return round_down_m(p->long_time_s * 1000.0 /
	    ((paces[PACE_E][0] + paces[PACE_E][1]) / 2.0));
}

/* Peak week aimed at, and the peak long run that goes with it. */
static void
targets(const struct plan_input *in, const struct race_profile *p,
    double vdot, struct schedule *s, int *v_target)
{
	int n = in->runs_per_week, stated = round_near_m(in->weekly_distance_m);
	double grow = s->v1 * PEAK_GROWTH;
	int v, l, hi = p->long_hi_m, own = round_up_m((double)s->v1 / n);

	v = s->v1 + (int)(grow < PEAK_GROWTH_MAX_M ? grow : PEAK_GROWTH_MAX_M);
	v = v < p->peak_lo_m ? p->peak_lo_m : v;
	v = v > p->peak_cap_m ? p->peak_cap_m : v;
	*v_target = stated > v ? stated : round_near_m(v);
	/* A clear long run: the class share, and a fifth over an even share. */
	l = round_near_m(p->long_share * *v_target);
	l = l < p->long_lo_m ? p->long_lo_m : l;
	if (l < round_up_m(LONG_OVER_EVEN * *v_target / n))
		l = round_up_m(LONG_OVER_EVEN * *v_target / n);
	/* A runner whose runs are already long grows past the class cap. */
	if (s->v1 > HIGH_VOLUME_RUN * p->long_hi_m * n &&
	    hi < round_up_m(LONG_OVER_EVEN * *v_target / n))
		hi = round_up_m(LONG_OVER_EVEN * *v_target / n);
	if (hi < round_up_m(LONG_OVER_EVEN * s->v1 / n))
		hi = round_up_m(LONG_OVER_EVEN * s->v1 / n);
	l = l > hi ? hi : l;
	if (l > plan_long_time_cap(p, vdot))
		l = plan_long_time_cap(p, vdot);
	/* A re-plan: never past the original plan's peaks (those the runner
	 * already runs aside). */
	if (in->cap_week_m > 0 && *v_target > in->cap_week_m)
		*v_target = stated > in->cap_week_m ? stated :
		    round_down_m(in->cap_week_m) > s->v1 ?
		    round_down_m(in->cap_week_m) : s->v1;
	if (in->cap_long_m > 0 && l > in->cap_long_m)
		l = round_down_m(in->cap_long_m);
	/* Never shorter than the runs the runner already does. */
	s->l_target = l < own ? own : l < PLAN_MIN_RUN_M ? PLAN_MIN_RUN_M : l;
	/* The peak week must leave the long run its lead. */
	v = (int)(n * s->l_target / LONG_OVER_EVEN);
	if (*v_target > v)
		*v_target = round_down_m(v) > s->v1 ? round_down_m(v) : s->v1;
}

/* Date of the long-run day in week w. */
static date_t
long_day(const struct plan_input *in, const struct schedule *s, int w)
{
	return s->w1 + 7 * (w - 1) +
	    ((int)in->long_run_day - (int)in->first_day + 7) % 7;
}

/* True when week w's long run is a full one: shown, before the taper. */
static int
normal_long(const struct plan_input *in, const struct schedule *s, int w)
{
	date_t d = long_day(in, s, w);

	return d >= s->start && d < s->taper_start;
}

/*
 * The even climb from l0 to the target, reached at long run kp of
 * nlong; from there the target alternates with a shorter long run, the
 * last one being the target.
 */
static int
ramp(const struct schedule *s, int k, int kp, int nlong)
{
	if (k >= kp)
		return (nlong - k) % 2 == 0 ? s->l_target :
		    round_near_m(s->l_target * LONG_ALTERNATE);
	return round_near_m(s->l0 + (double)(s->l_target - s->l0) * (k - 1) /
	    (kp - 1));
}

/* Where the climb tops out: 3/4 of the way, sooner for a short climb. */
static int
climb_end(const struct schedule *s, int nlong)
{
	int by_share = (int)ceil(nlong * LONG_PEAK_AT);
	int by_steps = (s->l_target - s->l0) / LONG_RAMP_STEP_M + 2;
	int kp = by_steps < by_share ? by_steps : by_share;

	return kp < 2 ? 2 : kp;
}

/*
 * The most of v a week of n runs can hold with long run l, the others
 * 3 km to l each (a very short long run leaves gaps: 3 runs of 3-3.5 km
 * hold 10.5 km, 4 need 12).
 */
static int
holds(int v, int l, int n)
{
	int k, best = l, rest = v - l;

	for (k = 1; k < n; k++)
		if (k * PLAN_MIN_RUN_M <= rest && l + (rest < k * l ? rest :
		    k * l) > best)
			best = l + (rest < k * l ? rest : k * l);
	return round_down_m(best);
}

/*
 * Fits week w's volume and long run to each other (see the top): the
 * long run grows to an even share of the week if the 2 km step allows
 * (a shorter alternate or cutback long run must not cut the week), then
 * the week holds at most runs x long run; the long run stays within the
 * distance's share of the week.
 */
static void
fit_week(const struct plan_input *in, const struct race_profile *p,
    struct schedule *s, int w, int longest)
{
	int n = in->runs_per_week, *v = &s->vref[w - 1], *l = &s->longm[w - 1];
	int need = round_up_m((double)*v / n), hi;

	if (*l < need)
		*l = need < longest + LONG_STEP_M ? need :
		    round_down_m(longest + LONG_STEP_M);
	if (in->race_date - long_day(in, s, w) < LONG_30K_DAYS &&
	    *l >= LONG_30K_M)
		*l = LONG_30K_M - PLAN_ROUND_M;	/* 30 km+: 3 weeks out at least */
	hi = round_down_m(p->long_share_max * *v);
	if (*l > hi)
		*l = hi > need ? hi : need;
	if (*v > holds(*v, *l, n))
		*v = holds(*v, *l, n);
	hi = round_down_m(p->long_share_max * *v);
	need = round_up_m((double)*v / n);
	if (*l > hi)
		*l = hi > need ? hi : need;
}

/*
 * Week w's volume before fitting: growth, a cutback, or the peak held.
 * A part first week does not count as a week of growth.
 */
static int
week_volume(const struct schedule *s, int w, int last, int target)
{
	int v, first = w == 1 || (w == 2 && s->start > s->w1);

	if (w > s->full_pre)
		return s->v_peak;	/* the taper scales it down */
	if (s->cutback[w - 1])
		return round_near_m(last * CUTBACK_FACTOR);
	v = first ? last : round_down_m(last * WEEKLY_GROWTH);
	return v > target ? (last > target ? last : target) : v;
}

/* Volumes and long runs, week by week, each fitted to the other. */
static void
weeks(const struct plan_input *in, const struct race_profile *p,
    struct schedule *s, int target)
{
	int w, k = 0, nlong = 0, kp, last = s->v1, l;
	int longest = s->l0 - LONG_STEP_M;

	for (w = 1; w <= s->nweeks; w++) {
		nlong += normal_long(in, s, w);
		s->cutback[w - 1] = w % CUTBACK_EVERY == 0 && w < s->full_pre;
	}
	kp = climb_end(s, nlong);
	for (w = 1; w <= s->nweeks; w++) {
		s->vref[w - 1] = week_volume(s, w, last, target);
		if (normal_long(in, s, w)) {
			l = ramp(s, ++k, kp, nlong);
			if (l > longest + LONG_STEP_M)
				l = longest + LONG_STEP_M;
			if (s->cutback[w - 1])
				l = round_near_m(l * CUTBACK_FACTOR);
			s->longm[w - 1] = l;
			fit_week(in, p, s, w, longest);
		}
		if (!s->cutback[w - 1]) {
			if (s->longm[w - 1] > longest)
				longest = s->longm[w - 1];
			if (s->longm[w - 1] > s->l_peak)
				s->l_peak = s->longm[w - 1];
			if (w <= s->full_pre)
				last = s->vref[w - 1];
		}
		if (w <= s->full_pre && s->vref[w - 1] > s->v_peak)
			s->v_peak = s->vref[w - 1];
	}
}

/* The calendar: weeks, taper start, weeks before it and labelled Taper. */
static int
calendar(const struct plan_input *in, const struct race_profile *p,
    struct schedule *s)
{
	date_t ws;
	int w;

	memset(s, 0, sizeof(*s));
	s->w1 = plan_first_week(in);
	s->start = in->weeks > 0 ? s->w1 : in->start_date;
	s->nweeks = plan_week_of(s->w1, in->race_date);
	s->taper_start = in->race_date - p->taper_days;
	if (s->nweeks < 1 || s->nweeks > PLAN_MAX_WEEKS)
		return -1;
	for (w = 1; w <= s->nweeks; w++) {
		ws = s->w1 + 7 * (w - 1);
		s->full_pre += ws + 6 < s->taper_start;
		s->taper_weeks += ws + 3 >= s->taper_start;
	}
	return s->full_pre >= 1 ? 0 : -1;
}

int
plan_schedule(const struct plan_input *in, const struct race_profile *p,
    double vdot, struct schedule *s)
{
	int longest, target;

	if (calendar(in, p, s) == -1)
		return -1;
	longest = in->longest_run_m > 0 ? in->longest_run_m :
	    assumed_longest(in, p);
	s->v1 = in->weekly_distance_m < FIRST_WEEK_FLOOR_M ?
	    FIRST_WEEK_FLOOR_M : round_near_m(in->weekly_distance_m);
	targets(in, p, vdot, s, &target);
	s->l0 = round_down_m(longest + LONG_STEP_M);
	if (s->l0 > s->l_target)
		s->l0 = s->l_target;
	if (s->v1 > in->runs_per_week * s->l0)
		s->v1 = round_down_m(in->runs_per_week * s->l0);
	weeks(in, p, s, target);
	return 0;
}
