/*
 * plan_week: lays out one week of a plan and writes each workout.
 *
 * The runner's runs_per_week days sit at fixed offsets from the long-run
 * day (offset 0).  Offsets +2 and +4 are the only "hard" slots (A and
 * B): they are never next to each other nor to the long run, even across
 * week boundaries, because the pattern is the same every week.  Offset
 * +1, the day after the long run, is a recovery run or rest.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/plan_internal.h"

#define WEIGHT_HARD	1.10	/* share of the week's rest, by role */
#define WEIGHT_EASY	1.00
#define WEIGHT_RECOVERY	0.60
#define WARMUP_MIN_M	1500	/* warm-up and cool-down each at least */
#define RECOVERY_SLOW_S	20	/* recovery pace: E slow end + up to this */
#define STRIDES		"6 x 20 s strides"

enum role { ROLE_LONG, ROLE_RECOVERY, ROLE_HARD_A, ROLE_HARD_B, ROLE_EASY,
	    ROLE_SHAKEOUT };

/* Offsets from the long-run day, by runs per week. */
static const int patterns[PLAN_MAX_RUNS + 1][PLAN_MAX_RUNS] = {
	[3] = { 0, 2, 4 },
	[4] = { 0, 2, 4, 5 },
	[5] = { 0, 1, 2, 4, 5 },
	[6] = { 0, 1, 2, 3, 4, 5 },
	[7] = { 0, 1, 2, 3, 4, 5, 6 },
};

/* Sessions: the quality workouts and their easy stand-ins. */
enum sess {
	S_EASY, S_STRIDES, S_HILLS, S_FARTLEK, S_VO2_1K, S_VO2_800, S_CRUISE,
	S_TEMPO, S_R400, S_I1200, S_MPACE, S_SHARP_R, S_SHARP_T, S__MAX
};

enum style { ST_EASY, ST_REPS, ST_HILLS, ST_CONT };

struct session_def {
	enum style	 style;
	enum workout_type type;
	enum pace_zone	 zone;
	int		 rep_m, jog_m;		/* rep_m 0: continuous */
	int		 min_reps, max_reps;
	double		 budget;		/* share of week volume ... */
	int		 budget_max_m;		/* ... up to this */
	const char	*label;
};

/*
 * Budgets follow Daniels' limits on quality running per week: R up to
 * 5% of the week, I 8% (10 km at most), T 10%, M 15%.
 */
static const struct session_def sessions[S__MAX] = {
	[S_EASY]    = { ST_EASY,  WORKOUT_EASY, PACE_E, 0, 0, 0, 0, 0, 0, NULL },
	[S_STRIDES] = { ST_EASY,  WORKOUT_EASY, PACE_E, 0, 0, 0, 0, 0, 0, STRIDES },
	[S_HILLS]   = { ST_HILLS, WORKOUT_INTERVALS, PACE_R, 200, 200, 6, 10, 0.05, 8000, "hill" },
	[S_FARTLEK] = { ST_REPS,  WORKOUT_TEMPO, PACE_T, 1000, 200, 3, 6, 0.10, 6000, NULL },
	[S_VO2_1K]  = { ST_REPS,  WORKOUT_INTERVALS, PACE_I, 1000, 400, 3, 6, 0.08, 10000, NULL },
	[S_VO2_800] = { ST_REPS,  WORKOUT_INTERVALS, PACE_I, 800, 400, 4, 8, 0.08, 10000, NULL },
	[S_CRUISE]  = { ST_REPS,  WORKOUT_TEMPO, PACE_T, 2000, 400, 2, 5, 0.10, 12000, NULL },
	[S_TEMPO]   = { ST_CONT,  WORKOUT_TEMPO, PACE_T, 0, 0, 2000, 10000, 0.10, 10000, "tempo" },
	[S_R400]    = { ST_REPS,  WORKOUT_INTERVALS, PACE_R, 400, 400, 6, 12, 0.05, 5000, NULL },
	[S_I1200]   = { ST_REPS,  WORKOUT_INTERVALS, PACE_I, 1200, 400, 3, 6, 0.08, 10000, NULL },
	[S_MPACE]   = { ST_CONT,  WORKOUT_TEMPO, PACE_M, 0, 0, 4000, 16000, 0.15, 16000, "marathon pace" },
	[S_SHARP_R] = { ST_REPS,  WORKOUT_INTERVALS, PACE_R, 200, 200, 4, 6, 0.03, 1200, NULL },
	[S_SHARP_T] = { ST_REPS,  WORKOUT_TEMPO, PACE_T, 1000, 200, 2, 3, 0.06, 3000, NULL },
};

struct slot {
	date_t		 date;
	enum role	 role;
	enum sess	 sess;
	double		 weight;
	int		 dist;
	int		 active;	/* shares the week's volume */
};

static int
is_hard(enum sess s)
{
	return sessions[s].type == WORKOUT_INTERVALS ||
	    sessions[s].type == WORKOUT_TEMPO;
}

static int
short_race(enum race_class rc)
{
	return rc == RC_5K || rc == RC_10K;
}

/* The sessions for slots A and B this week. */
static void
pick_sessions(const struct week_spec *ws, enum sess *a, enum sess *b)
{
	int alt = ws->phase_week % 2, primary_a = short_race(ws->rc);

	switch (ws->phase) {
	case PHASE_BASE:
		*a = S_STRIDES;
		*b = alt ? S_FARTLEK : S_HILLS;
		primary_a = 0;
		break;
	case PHASE_BUILD:
		*a = alt ? S_VO2_1K : S_VO2_800;
		*b = alt ? S_CRUISE : S_TEMPO;
		break;
	case PHASE_PEAK:
		switch (ws->rc) {
		case RC_5K:
			*a = alt ? S_R400 : S_VO2_1K;
			*b = S_TEMPO;
			break;
		case RC_10K:
			*a = S_I1200;
			*b = alt ? S_CRUISE : S_TEMPO;
			break;
		case RC_HALF:
			*a = S_VO2_1K;
			*b = S_TEMPO;
			break;
		default:
			*a = S_CRUISE;
			*b = S_MPACE;
			break;
		}
		break;
	default:
		*a = primary_a ? S_SHARP_R : S_SHARP_T;
		*b = S_EASY;
		primary_a = 1;
		break;
	}
	/* Few runs or a lighter week: only the primary session stays hard. */
	if (ws->in->runs_per_week <= 4 || ws->cutback) {
		if (primary_a)
			*b = S_EASY;
		else
			*a = S_STRIDES;
	}
}

static double
role_weight(const struct slot *s)
{
	if (s->role == ROLE_RECOVERY)
		return WEIGHT_RECOVERY;
	return is_hard(s->sess) ? WEIGHT_HARD : WEIGHT_EASY;
}

/* The week's training days in date order, with roles and sessions. */
static int
make_slots(const struct week_spec *ws, struct slot *sl)
{
	const struct plan_input *in = ws->in;
	int n = in->runs_per_week, i, j;
	enum sess a, b;

	pick_sessions(ws, &a, &b);
	for (i = 0; i < n; i++) {
		int off = patterns[n][i];
		int wd = ((int)in->long_run_day + off) % 7;
		struct slot s;

		memset(&s, 0, sizeof(s));
		s.date = ws->week_start + (wd - (int)in->first_day + 7) % 7;
		s.role = off == 0 ? ROLE_LONG : off == 1 ? ROLE_RECOVERY :
		    off == 2 ? ROLE_HARD_A : off == 4 ? ROLE_HARD_B : ROLE_EASY;
		s.sess = s.role == ROLE_HARD_A ? a :
		    s.role == ROLE_HARD_B ? b : S_EASY;
		if (ws->race_week) {
			/* Race week: one short sharpener, days before free. */
			if (s.role == ROLE_LONG || s.role == ROLE_HARD_B)
				s.role = ROLE_EASY;
			if (s.role == ROLE_HARD_A && s.date > in->race_date - 3)
				s.sess = S_EASY;
			if (s.role != ROLE_HARD_A)
				s.sess = S_EASY;
		}
		if (s.date == in->race_date - 1) {
			s.role = ROLE_SHAKEOUT;
			s.sess = S_EASY;
		}
		s.active = s.role != ROLE_SHAKEOUT && s.date < in->race_date &&
		    (!ws->race_week || s.date >= in->start_date);
		s.weight = role_weight(&s);
		for (j = i; j > 0 && sl[j - 1].date > s.date; j--)
			sl[j] = sl[j - 1];
		sl[j] = s;
	}
	return n;
}

/* Drops the least important active run: recovery, easy, B, A. */
static int
drop_one(struct slot *sl, int n)
{
	static const enum role order[] = { ROLE_RECOVERY, ROLE_EASY,
	    ROLE_HARD_B, ROLE_HARD_A };
	size_t k;
	int i;

	for (k = 0; k < NELEM(order); k++)
		for (i = n - 1; i >= 0; i--)
			if (sl[i].active && sl[i].role == order[k]) {
				sl[i].active = 0;
				return 1;
			}
	return 0;
}

/*
 * Shares rest (a multiple of PLAN_ROUND_M) among the active non-long
 * runs by weight, each at least PLAN_MIN_RUN_M and at most run_cap,
 * dropping runs while there is not enough for all.
 */
static void
share_rest(struct slot *sl, int n, int rest, int run_cap)
{
	double wsum;
	int i, cnt, sum, left, guard;

	for (;;) {
		cnt = 0;
		for (i = 0; i < n; i++)
			cnt += sl[i].active && sl[i].role != ROLE_LONG;
		if (cnt == 0 || cnt * PLAN_MIN_RUN_M <= rest || !drop_one(sl, n))
			break;
	}
	wsum = 0;
	for (i = 0; i < n; i++)
		if (sl[i].active && sl[i].role != ROLE_LONG)
			wsum += sl[i].weight;
	if (wsum == 0)
		return;
	sum = 0;
	for (i = 0; i < n; i++) {
		if (!sl[i].active || sl[i].role == ROLE_LONG)
			continue;
		sl[i].dist = round_down_m(rest * sl[i].weight / wsum);
		if (sl[i].dist < PLAN_MIN_RUN_M)
			sl[i].dist = PLAN_MIN_RUN_M;
		if (sl[i].dist > run_cap)
			sl[i].dist = run_cap;
		sum += sl[i].dist;
	}
	/*
	 * Hand out (or take back) the rounding left-over 500 m at a time,
	 * to the recovery run only when nothing else can take it.
	 */
	left = rest - sum;
	for (guard = 0; left != 0 && guard < 1000; guard++) {
		int step = left > 0 ? PLAN_ROUND_M : -PLAN_ROUND_M, moved = 0,
		    pass;

		for (pass = 0; pass < 2 && !moved; pass++)
			for (i = 0; i < n && left != 0; i++) {
				int d;

				if (!sl[i].active || sl[i].role == ROLE_LONG ||
				    (sl[i].role == ROLE_RECOVERY) != pass)
					continue;
				d = sl[i].dist + step;
				if (d < PLAN_MIN_RUN_M || d > run_cap)
					continue;
				sl[i].dist = d;
				left -= step;
				moved = 1;
			}
		if (!moved)
			break;
	}
}

/* ---- descriptions ---- */

static void
fmt_dist(const struct week_spec *ws, char *out, size_t n, int m)
{
	units_format_distance(out, n, m, ws->in->unit);
}

static void
fmt_range(const struct week_spec *ws, char *out, size_t n, const int r[2])
{
	units_format_pace_range(out, n, r[0], r[1], ws->in->unit);
}

/* Track reps stay metric: "400 m", "1 km", "1.2 km". */
static void
fmt_rep(char *out, size_t n, int m)
{
	if (m >= 1000 && m % 1000 == 0)
		snprintf(out, n, "%d km", m / 1000);
	else if (m >= 1000)
		snprintf(out, n, "%d.%d km", m / 1000, m % 1000 / 100);
	else
		snprintf(out, n, "%d m", m);
}

static double
mid_pace(const int r[2])
{
	return (r[0] + r[1]) / 2.0;
}

static void
set_pace(struct plan_workout *w, const int r[2])
{
	w->pace_fast_s = r[0];
	w->pace_slow_s = r[1];
}

static int
minutes(double seconds)
{
	return (int)lround(seconds / 60.0);
}

static void
write_easy(const struct week_spec *ws, struct plan_workout *w,
    enum role role, enum sess s)
{
	const int *e = ws->plan->paces[PACE_E];
	int rec[2] = { e[1], e[1] + RECOVERY_SLOW_S };
	char d[24], p[40];

	fmt_dist(ws, d, sizeof(d), w->distance_m);
	if (role == ROLE_RECOVERY) {
		w->type = WORKOUT_RECOVERY;
		set_pace(w, rec);
		fmt_range(ws, p, sizeof(p), rec);
		snprintf(w->description, sizeof(w->description),
		    "%s recovery run, very relaxed (%s)", d, p);
	} else {
		w->type = WORKOUT_EASY;
		set_pace(w, e);
		fmt_range(ws, p, sizeof(p), e);
		if (role == ROLE_SHAKEOUT)
			snprintf(w->description, sizeof(w->description),
			    "%s shake-out at %s with 4 short strides: "
			    "race tomorrow", d, p);
		else if (s == S_STRIDES)
			snprintf(w->description, sizeof(w->description),
			    "%s easy at %s, then %s", d, p, STRIDES);
		else
			snprintf(w->description, sizeof(w->description),
			    "%s easy at %s", d, p);
	}
	w->duration_min = minutes(w->distance_m / 1000.0 *
	    mid_pace(w->type == WORKOUT_RECOVERY ? rec : e));
}

/* Long run; in Peak (not cutback) half and marathon finish at M pace. */
static void
write_long(const struct week_spec *ws, struct plan_workout *w)
{
	const int *e = ws->plan->paces[PACE_E], *m = ws->plan->paces[PACE_M];
	int seg = 0;
	char d[24], ds[24], de[24], pe[40], pm[40];

	w->type = WORKOUT_LONG;
	set_pace(w, e);
	fmt_dist(ws, d, sizeof(d), w->distance_m);
	fmt_range(ws, pe, sizeof(pe), e);
	if (ws->phase == PHASE_PEAK && !ws->cutback && ws->rc >= RC_HALF) {
		seg = round_down_m(w->distance_m *
		    (ws->rc == RC_MARATHON ? 0.30 : 0.25));
		if (seg > 16000)
			seg = 16000;
	}
	if (seg >= 2000) {
		fmt_dist(ws, ds, sizeof(ds), seg);
		fmt_dist(ws, de, sizeof(de), w->distance_m - seg);
		fmt_range(ws, pm, sizeof(pm), m);
		snprintf(w->description, sizeof(w->description),
		    "%s long run: %s easy at %s, then the last %s at "
		    "marathon pace (%s)", d, de, pe, ds, pm);
	} else {
		seg = 0;
		snprintf(w->description, sizeof(w->description),
		    "%s long run at an easy, steady %s", d, pe);
	}
	w->duration_min = minutes((w->distance_m - seg) / 1000.0 *
	    mid_pace(e) + seg / 1000.0 * mid_pace(m));
}

/*
 * A quality session filling distance_m: warm-up, the main set sized to
 * the session's weekly budget, cool-down.  Returns -1 when the distance
 * cannot hold the smallest main set (the caller writes an easy run).
 */
static int
write_quality(const struct week_spec *ws, struct plan_workout *w,
    enum sess s)
{
	const struct session_def *sd = &sessions[s];
	const int *zr = ws->plan->paces[sd->zone], *e = ws->plan->paces[PACE_E];
	double budget = ws->volume_m * sd->budget;
	int room = w->distance_m - 2 * WARMUP_MIN_M, reps = 0, len, block,
	    wu, cd, work;
	char swu[24], scd[24], srep[16], sjog[16], p[40], slen[24];

	if (budget > sd->budget_max_m)
		budget = sd->budget_max_m;
	if (sd->style == ST_CONT) {
		len = round_down_m(budget);
		if (len > sd->max_reps)
			len = sd->max_reps;	/* max length for continuous */
		if (len < sd->min_reps)
			len = sd->min_reps;
		if (len > room)
			len = round_down_m(room);
		if (len < sd->min_reps)
			return -1;
		block = work = len;
	} else {
		reps = (int)lround(budget / sd->rep_m);
		if (reps > sd->max_reps)
			reps = sd->max_reps;
		if (reps < sd->min_reps)
			reps = sd->min_reps;
		while (reps >= sd->min_reps &&
		    reps * sd->rep_m + (reps - 1) * sd->jog_m > room)
			reps--;
		if (reps < sd->min_reps)
			return -1;
		work = reps * sd->rep_m;
		block = work + (reps - 1) * sd->jog_m;
	}
	wu = (w->distance_m - block) / 2 / 100 * 100;
	cd = w->distance_m - block - wu;
	w->type = sd->type;
	set_pace(w, zr);
	fmt_dist(ws, swu, sizeof(swu), wu);
	fmt_dist(ws, scd, sizeof(scd), cd);
	fmt_range(ws, p, sizeof(p), zr);
	fmt_rep(srep, sizeof(srep), sd->rep_m);
	fmt_rep(sjog, sizeof(sjog), sd->jog_m);
	if (sd->style == ST_CONT) {
		fmt_dist(ws, slen, sizeof(slen), len);
		snprintf(w->description, sizeof(w->description),
		    "%s easy, %s at %s (%s), %s easy", swu, slen, p,
		    sd->label, scd);
	} else if (sd->style == ST_HILLS)
		snprintf(w->description, sizeof(w->description),
		    "%s easy, %d x %s uphill at %s effort (or on the flat), "
		    "jog back down, %s easy", swu, reps, srep, p, scd);
	else
		snprintf(w->description, sizeof(w->description),
		    "%s easy, %d x %s at %s with %s jog, %s easy", swu, reps,
		    srep, p, sjog, scd);
	w->duration_min = minutes((w->distance_m - work) / 1000.0 *
	    mid_pace(e) + work / 1000.0 * mid_pace(zr));
	return 0;
}

static struct plan_workout *
append(struct plan_workout **arr, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*arr = xrealloc(*arr, *cap * sizeof(**arr));
	}
	memset(&(*arr)[*n], 0, sizeof(**arr));
	return &(*arr)[(*n)++];
}

int
plan_week_layout(const struct week_spec *ws, struct plan_workout **arr,
    size_t *n, size_t *cap)
{
	const struct plan_input *in = ws->in;
	struct slot sl[PLAN_MAX_RUNS];
	int ns, i, total = 0, rest = ws->volume_m, run_cap = PLAN_MAX_WEEKLY_M;

	ns = make_slots(ws, sl);
	for (i = 0; i < ns; i++) {
		if (sl[i].active && sl[i].role == ROLE_LONG) {
			sl[i].dist = ws->long_m;
			rest -= ws->long_m;
		}
		/* The day before the race: rest, or a fixed short shake-out. */
		if (sl[i].role == ROLE_SHAKEOUT && in->runs_per_week >= 6 &&
		    sl[i].date >= in->start_date) {
			sl[i].dist = PLAN_SHAKEOUT_M;
			rest -= PLAN_SHAKEOUT_M;
		}
	}
	if (ws->race_week) {
		run_cap = round_up_m(ws->plan->peak_volume_m *
		    RACE_WEEK_RUN_SHARE);
		if (run_cap < PLAN_MIN_RUN_M)
			run_cap = PLAN_MIN_RUN_M;
	}
	share_rest(sl, ns, rest, run_cap);
	for (i = 0; i < ns; i++) {
		struct plan_workout *w;

		if (sl[i].role == ROLE_SHAKEOUT && sl[i].dist > 0)
			sl[i].active = 1;
		/* Days before the start (a part week 1) are simply left out. */
		if (!sl[i].active || sl[i].date < in->start_date ||
		    sl[i].date >= in->race_date)
			continue;
		w = append(arr, n, cap);
		w->date = sl[i].date;
		w->week = ws->week;
		w->distance_m = sl[i].dist;
		total += sl[i].dist;
		if (sl[i].role == ROLE_LONG)
			write_long(ws, w);
		else if (!is_hard(sl[i].sess) || sl[i].dist < PLAN_MIN_HARD_M ||
		    write_quality(ws, w, sl[i].sess) != 0)
			write_easy(ws, w, sl[i].role,
			    sl[i].role == ROLE_HARD_A || sl[i].role == ROLE_HARD_B ?
			    S_STRIDES : sl[i].sess);
	}
	return total;
}

void
plan_add_race(const struct plan_input *in, const struct plan *p, int week,
    struct plan_workout **arr, size_t *n, size_t *cap)
{
	struct plan_workout *w = append(arr, n, cap);
	int pace = (int)lround(p->race_time_s * 1000.0 / in->race_distance);
	char d[24], t[16], ps[24];

	w->date = in->race_date;
	w->week = week;
	w->type = WORKOUT_RACE;
	w->distance_m = in->race_distance;
	w->duration_min = minutes(p->race_time_s);
	w->pace_fast_s = w->pace_slow_s = pace;
	units_format_distance(d, sizeof(d), in->race_distance, in->unit);
	units_format_duration(t, sizeof(t), p->race_time_s);
	units_format_pace(ps, sizeof(ps), pace, in->unit);
	snprintf(w->description, sizeof(w->description),
	    "Race day: %s. %s %s (%s): start at that pace, not faster, "
	    "and finish strong", d, in->goal_time_s > 0 ? "Goal" :
	    "Predicted", t, ps);
}
