/*
 * plan_describe: the session of each training day.
 *
 * Before the taper, quality slot A holds the phase's first session and
 * B its second (Base: strides, fartlek or hills; Build: VO2max intervals
 * and threshold; Peak: the race's own mix).  A week that can hold only
 * one (3-4 runs a week, a cutback week, a day too short) takes the one
 * the phase has had less of, so no system disappears for a phase.  In
 * the taper slot A keeps a shortened Peak session up to 8 days out, then
 * one sharpener 3-5 days out.  Reps are ones a track has in the runner's
 * unit (1 km or 1 mile, 400 m, 800 m, 1200 m); the writing is
 * plan_write.c's.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/plan_internal.h"
#include "domain/plan_text.h"

#define MILE			1609

/*
 * Budgets follow Daniels' limits on quality running per week: R up to
 * 5% of the week, I 8% (10 km at most), T 10%, M 15% (16 km at most).
 */
const struct session_def plan_sessions[S__MAX] = {
	[S_EASY]    = { ST_EASY, WORKOUT_EASY, PACE_E, { 0, 0 }, 0, { 0, 0 },
	    { 0, 0 }, 0, 0, NULL },
	[S_STRIDES] = { ST_EASY, WORKOUT_EASY, PACE_E, { 0, 0 }, 0, { 0, 0 },
	    { 0, 0 }, 0, 0, PLAN_STRIDES },
	[S_HILLS]   = { ST_HILLS, WORKOUT_INTERVALS, PACE_R, { 200, 200 }, 200,
	    { 6, 6 }, { 10, 10 }, 0.05, 8000, "hill" },
	[S_FARTLEK] = { ST_REPS, WORKOUT_TEMPO, PACE_T, { 1000, MILE }, 200,
	    { 3, 2 }, { 6, 4 }, 0.10, 6000, NULL },
	[S_VO2_1K]  = { ST_REPS, WORKOUT_INTERVALS, PACE_I, { 1000, 1200 }, 400,
	    { 3, 3 }, { 6, 5 }, 0.08, 10000, NULL },
	[S_VO2_800] = { ST_REPS, WORKOUT_INTERVALS, PACE_I, { 800, 800 }, 400,
	    { 4, 4 }, { 8, 8 }, 0.08, 10000, NULL },
	[S_VO2_600] = { ST_REPS, WORKOUT_INTERVALS, PACE_I, { 600, 600 }, 400,
	    { 3, 3 }, { 8, 8 }, 0.08, 10000, NULL },
	[S_CRUISE]  = { ST_REPS, WORKOUT_TEMPO, PACE_T, { 2000, MILE }, 400,
	    { 2, 3 }, { 5, 6 }, 0.10, 12000, NULL },
	[S_TEMPO]   = { ST_CONT, WORKOUT_TEMPO, PACE_T, { 0, 0 }, 0,
	    { 2000, 2000 }, { 10000, 10000 }, 0.10, 10000, "tempo" },
	[S_R400]    = { ST_REPS, WORKOUT_INTERVALS, PACE_R, { 400, 400 }, 400,
	    { 6, 6 }, { 12, 12 }, 0.05, 5000, NULL },
	[S_I1200]   = { ST_REPS, WORKOUT_INTERVALS, PACE_I, { 1200, 1200 }, 400,
	    { 3, 3 }, { 6, 6 }, 0.08, 10000, NULL },
	[S_MPACE]   = { ST_CONT, WORKOUT_TEMPO, PACE_M, { 0, 0 }, 0,
	    { 3000, 3000 }, { 16000, 16000 }, 0.15, 16000, "marathon pace" },
	[S_SHARP_R] = { ST_REPS, WORKOUT_INTERVALS, PACE_R, { 200, 200 }, 200,
	    { 4, 4 }, { 6, 6 }, 0.03, 1200, NULL },
	[S_SHARP_T] = { ST_REPS, WORKOUT_TEMPO, PACE_T, { 1000, 800 }, 200,
	    { 2, 2 }, { 3, 4 }, 0.06, 3000, NULL },
};

int
plan_sess_is_hard(enum sess s)
{
	return plan_sessions[s].style != ST_EASY;
}

static int
short_race(enum race_class rc)
{
	return rc == RC_5K || rc == RC_10K;
}

enum sess
plan_sharpener(const struct race_profile *p)
{
	return short_race(p->rc) ? S_SHARP_R : S_SHARP_T;
}

/* The phase's two sessions (a, b) and which one leads (1: a). */
static int
phase_sessions(enum phase_kind ph, enum race_class rc, int alt, enum sess *a,
    enum sess *b)
{
	if (ph == PHASE_BASE) {
		*a = S_STRIDES;
		*b = alt ? S_FARTLEK : S_HILLS;
		return 0;
	}
	if (ph == PHASE_BUILD) {
		*a = alt ? S_VO2_1K : S_VO2_800;
		*b = alt ? S_CRUISE : S_TEMPO;
		return short_race(rc);
	}
	switch (rc) {
	case RC_5K:	*a = alt ? S_R400 : S_VO2_1K; *b = S_TEMPO; break;
	case RC_10K:	*a = S_I1200; *b = alt ? S_CRUISE : S_TEMPO; break;
	case RC_HALF:	*a = S_VO2_1K; *b = S_TEMPO; break;
	default:	*a = S_CRUISE; *b = S_MPACE; break;
	}
	return short_race(rc) || rc == RC_MARATHON;
}

int
plan_sess_min_m(enum sess s, enum unit u, int warmup)
{
	const struct session_def *d = &plan_sessions[s];
	int n = d->min_reps[u];


	if (d->style == ST_EASY)
		return 0;
	if (d->style == ST_CONT)
		return 2 * warmup + n;
	return 2 * warmup + n * d->rep_m[u] + (n - 1) * d->jog_m;
}

static int
fits(enum sess s, int dist, enum unit u)
{
	return dist >= PLAN_MIN_HARD_M &&
	    dist >= plan_sess_min_m(s, u, PLAN_WARMUP_M);
}

/* Per-phase count of A and B sessions scheduled, for the rotation. */
struct rotation {
	enum phase_kind	 phase;
	int		 used_a, used_b;
};

/* The same system's shorter session, for a day too short; S_EASY: none. */
static enum sess
smaller(enum sess q)
{
	switch (q) {
	case S_VO2_1K: case S_I1200: case S_R400:	return S_VO2_800;
	case S_VO2_800:					return S_VO2_600;
	case S_CRUISE: case S_FARTLEK:			return S_TEMPO;
	default:					return S_EASY;
	}
}

/* Session q, or its smaller kin, if one fits distance d; else strides. */
static enum sess
fitting(enum sess q, int d, enum unit u)
{
	while (q != S_EASY && plan_sess_is_hard(q) && !fits(q, d, u))
		q = smaller(q);
	return q == S_EASY ? S_STRIDES : q;
}

/* Puts session q on slot s, fitted to its day; 1 if it is quality. */
static int
put(struct slot *s, enum sess q, enum unit u)
{
	if (s == NULL)
		return 0;
	s->sess = plan_sess_is_hard(q) ? fitting(q, s->dist, u) : q;
	return plan_sess_is_hard(s->sess);
}

/* The slot of a and b that fits session q (its own first), or NULL. */
static struct slot *
room_for(enum sess q, struct slot *own, struct slot *other, enum unit u)
{
	enum sess f;

	if (own != NULL && plan_sess_is_hard(f = fitting(q, own->dist, u)))
		return own;
	if (other != NULL && plan_sess_is_hard(f = fitting(q, other->dist, u)))
		return other;
	return NULL;
}

/*
 * Week w's normal slots: A and B, or, when the week holds one quality
 * session (few runs, a cutback, or a day too short for the other), the
 * one the phase has had less of, on whichever slot fits it.
 */
static void
pick_week(struct layout *ly, int w, struct slot *a, struct slot *b,
    struct rotation *r)
{
	enum unit u = ly->in->unit;
	enum sess sa, sb, q;
	struct slot *at;
	int pw, lead, single, take_a;
	enum phase_kind ph = plan_phase_of(ly->plan, w, &pw);

	if (ph == PHASE_TAPER)
		ph = PHASE_PEAK;	/* its days before the taper */
	if (ph != r->phase) {
		memset(r, 0, sizeof(*r));
		r->phase = ph;
	}
	lead = phase_sessions(ph, ly->prof->rc, pw % 2, &sa, &sb);
	single = ly->in->runs_per_week <= 4 || ly->sch->cutback[w - 1] ||
	    room_for(sa, a, NULL, u) == NULL || room_for(sb, b, NULL, u) == NULL;
	if (!single || ph == PHASE_BASE) {	/* Base: A is strides anyway */
		r->used_a += put(a, sa, u);
		r->used_b += put(b, sb, u);
		return;
	}
	take_a = r->used_a < r->used_b || (r->used_a == r->used_b && lead);
	q = take_a ? sa : sb;
	if (a != NULL)
		a->sess = S_STRIDES;
	if (b != NULL)
		b->sess = S_STRIDES;
	if ((at = room_for(q, take_a ? a : b, take_a ? b : a, u)) == NULL)
		return;
	put(at, q, u);
	r->used_a += take_a;
	r->used_b += !take_a;
}

/* Sessions of the taper's days. */
static void
pick_taper(struct layout *ly, struct slot *s)
{
	enum sess a, b;
	int lead;

	if (s->kind == SK_SHARPEN) {
		s->sess = plan_sharpener(ly->prof);
		return;
	}
	s->sess = S_EASY;
	if (s->kind != SK_TAPER || s->days_out <= 7)
		return;	/* the last week's only quality is the sharpener */
	lead = phase_sessions(PHASE_PEAK, ly->prof->rc, 1, &a, &b);
	if (s->role == ROLE_HARD_A)
		s->sess = fitting(lead ? a : b, s->dist, ly->in->unit);
	else if (s->role == ROLE_HARD_B)
		s->sess = S_STRIDES;
}

void
plan_pick_sessions(struct layout *ly)
{
	struct rotation r;
	struct slot *a, *b;
	int w, i;

	memset(&r, 0, sizeof(r));
	r.phase = PHASE__MAX;
	for (w = 1; w <= ly->sch->nweeks; w++) {
		a = b = NULL;
		for (i = 0; i < ly->nslots; i++) {
			struct slot *s = &ly->slots[i];

			if (s->week != w || s->dist == 0)
				continue;
			if (s->kind != SK_NORMAL)
				pick_taper(ly, s);
			else if (s->shown && s->role == ROLE_HARD_A)
				a = s;
			else if (s->shown && s->role == ROLE_HARD_B)
				b = s;
		}
		if (a != NULL || b != NULL)
			pick_week(ly, w, a, b, &r);
	}
}

static int
is_long(const struct slot *s)
{
	return s->role == ROLE_LONG &&
	    (s->kind == SK_NORMAL || s->kind == SK_LONG_TAPER);
}

static int
hard_day(const struct slot *s)
{
	return s->dist > 0 && s->shown && (is_long(s) ||
	    plan_sess_is_hard(s->sess));
}

void
plan_space_hard_days(struct layout *ly)
{
	struct slot *x, *y;
	int i;

	for (i = 0; i + 1 < ly->nslots; i++) {
		x = &ly->slots[i];
		y = &ly->slots[i + 1];
		if (y->date != x->date + 1 || !hard_day(x) || !hard_day(y))
			continue;
		/* The long run and the sharpener stay; a quality day goes. */
		if (y->kind == SK_SHARPEN || is_long(y))
			x->sess = S_STRIDES;
		else
			y->sess = S_STRIDES;
	}
}
