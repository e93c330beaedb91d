/*
 * plan_write: turns the laid-out days into dated workouts with pace
 * targets, duration estimates and description templates (plan_text.h),
 * at the paces of each week's VDOT.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/plan_internal.h"
#include "domain/plan_text.h"

#define RECOVERY_SLOW_S		20	/* recovery: E slow end + up to this */
#define RACE_PACE_SPREAD_S	3	/* race-pace finish: predicted +- this */
#define FINISH_SHARE_HALF	0.25	/* long-run finish at race pace */
#define FINISH_SHARE_MARATHON	0.30
#define FINISH_MAX_M		16000
#define FINISH_MIN_M		2000

/* What a workout is written with. */
struct ctx {
	const struct layout	*ly;
	double			 vdot;			/* the week's ... */
	int			 paces[PACE__MAX][2];	/* ... and its paces */
	int			 race[2];		/* race pace +- spread */
	int			 week_m;		/* the week's volume */
	enum phase_kind		 phase;
	int			 cutback;
};

#define DESC(w, ...)	snprintf((w)->description, PLAN_DESC_MAX, __VA_ARGS__)

static int
minutes(double seconds)
{
	return (int)lround(seconds / 60.0);
}

static double
mid(const int r[2])
{
	return (r[0] + r[1]) / 2.0;
}

static void
set_pace(struct plan_workout *w, int fast, int slow)
{
	w->pace_fast_s = fast;
	w->pace_slow_s = slow;
}

static void
write_easy(const struct ctx *c, const struct slot *s, struct plan_workout *w)
{
	const int *e = c->paces[PACE_E];
	int d = w->distance_m;

	w->type = s->role == ROLE_RECOVERY && s->kind == SK_NORMAL ?
	    WORKOUT_RECOVERY : WORKOUT_EASY;
	set_pace(w, e[0], e[1]);
	w->duration_min = minutes(d / 1000.0 * mid(e));
	if (s->kind == SK_SHAKEOUT)
		DESC(w, "{d:%d} shake-out at {p:%d:%d} with 4 short strides: "
		    "race %s", d, e[0], e[1], s->days_out == 1 ? "tomorrow" :
		    "in 2 days");
	else if (s->kind == SK_STEADY)
		DESC(w, "{d:%d} steady run at {p:%d:%d}: no long run this "
		    "close to the race", d, e[0], e[1]);
	else if (w->type == WORKOUT_RECOVERY) {
		set_pace(w, e[1], e[1] + RECOVERY_SLOW_S);
		w->duration_min = minutes(d / 1000.0 *
		    (e[1] + RECOVERY_SLOW_S / 2.0));
		DESC(w, "{d:%d} recovery run, very relaxed ({p:%d:%d})", d,
		    e[1], e[1] + RECOVERY_SLOW_S);
	} else if (s->sess == S_STRIDES)
		DESC(w, "{d:%d} easy at {p:%d:%d}, then " PLAN_STRIDES, d,
		    e[0], e[1]);
	else
		DESC(w, "{d:%d} easy at {p:%d:%d}", d, e[0], e[1]);
}

/* "half-marathon pace", "marathon pace", "race pace". */
static const char *
race_pace_label(const struct race_profile *p)
{
	return fabs(p->exact_m - HALF_MARATHON_M) < 1 ? "half-marathon pace" :
	    p->distance_m == 42195 ? "marathon pace" : "race pace";
}

/* Peak long runs of races from 10 miles up end at race pace. */
static int
finish_m(const struct ctx *c, const struct slot *s)
{
	const struct race_profile *p = c->ly->prof;
	int seg;

	if (!p->race_finish || s->kind != SK_NORMAL || c->phase != PHASE_PEAK ||
	    c->cutback)
		return 0;
	seg = round_down_m(s->dist * (p->distance_m >= 30000 ?
	    FINISH_SHARE_MARATHON : FINISH_SHARE_HALF));
	seg = seg > FINISH_MAX_M ? FINISH_MAX_M : seg;
	return seg >= FINISH_MIN_M ? seg : 0;
}

static void
write_long(const struct ctx *c, const struct slot *s, struct plan_workout *w)
{
	const int *e = c->paces[PACE_E], *r = c->race;
	int d = w->distance_m, seg = finish_m(c, s);

	w->type = WORKOUT_LONG;
	set_pace(w, e[0], e[1]);
	w->duration_min = minutes((d - seg) / 1000.0 * mid(e) +
	    seg / 1000.0 * mid(r));
	if (seg > 0)
		DESC(w, "{d:%d} long run: {d:%d} easy at {p:%d:%d}, then the "
		    "last {d:%d} at %s ({p:%d:%d})", d, d - seg, e[0], e[1],
		    seg, race_pace_label(c->ly->prof), r[0], r[1]);
	else
		DESC(w, "{d:%d} long run at an easy, steady {p:%d:%d}", d,
		    e[0], e[1]);
}

/* Reps (or length) of session s sized to its budget and the room. */
static int
main_set(const struct ctx *c, enum sess s, int room, int *len)
{
	const struct session_def *sd = &plan_sessions[s];
	enum unit u = c->ly->in->unit;
	double budget = c->week_m * sd->budget;
	int reps, rep = sd->rep_m[u];

	budget = budget > sd->budget_max_m ? sd->budget_max_m : budget;
	if (sd->style == ST_CONT) {
		*len = round_down_m(budget);
		*len = *len > sd->max_reps[u] ? sd->max_reps[u] :
		    *len < sd->min_reps[u] ? sd->min_reps[u] : *len;
		if (*len > room)
			*len = round_down_m(room);
		return *len >= sd->min_reps[u] ? 1 : 0;
	}
	reps = (int)lround(budget / rep);
	reps = reps > sd->max_reps[u] ? sd->max_reps[u] :
	    reps < sd->min_reps[u] ? sd->min_reps[u] : reps;
	while (reps >= sd->min_reps[u] &&
	    reps * rep + (reps - 1) * sd->jog_m > room)
		reps--;
	*len = reps * rep + (reps - 1) * sd->jog_m;
	return reps >= sd->min_reps[u] ? reps : 0;
}

/*
 * The paces of a zone this week; marathon-pace work for a race that is
 * not a marathon (35 km, say) runs at that race's own pace.
 */
static const int *
zone_paces(const struct ctx *c, enum pace_zone z)
{
	if (z == PACE_M && c->ly->prof->distance_m != 42195)
		return c->race;
	return c->paces[z];
}

static void
describe_set(const struct ctx *c, enum sess s, int reps, int len, int wu,
    int cd, struct plan_workout *w)
{
	const struct session_def *sd = &plan_sessions[s];
	const int *z = zone_paces(c, sd->zone);
	char jog[16];

	plan_text_rep(jog, sizeof(jog), sd->jog_m);
	if (sd->style == ST_CONT)
		DESC(w, "{d:%d} easy, {d:%d} at {p:%d:%d} (%s), {d:%d} easy",
		    wu, len, z[0], z[1], sd->zone == PACE_M &&
		    c->ly->prof->distance_m != 42195 ? "race pace" : sd->label,
		    cd);
	else if (sd->style == ST_HILLS)
		DESC(w, "{d:%d} easy, %d x 200 m uphill (about 45-60 s) at a "
		    "hard, controlled effort, like your 3K-5K race effort: "
		    "run it by feel, not by pace; jog back down, {d:%d} easy",
		    wu, reps, cd);
	else
		DESC(w, "{d:%d} easy, {R:%d:%d:%d:%d} with %s jog, {d:%d} easy",
		    wu, reps, sd->rep_m[c->ly->in->unit], z[0], z[1], jog, cd);
}

/*
 * A quality session filling the day: warm-up, the main set sized to the
 * session's weekly budget, cool-down.  -1 when the day cannot hold the
 * smallest set (the caller writes an easy run).
 */
static int
write_quality(const struct ctx *c, const struct slot *s,
    struct plan_workout *w)
{
	const struct session_def *sd = &plan_sessions[s->sess];
	const int *z = zone_paces(c, sd->zone), *e = c->paces[PACE_E];
	int len, reps, wu, cd, work;

	if ((reps = main_set(c, s->sess, w->distance_m - 2 * PLAN_WARMUP_M,
	    &len)) == 0)
		return -1;
	work = sd->style == ST_CONT ? len : reps * sd->rep_m[c->ly->in->unit];
	wu = (w->distance_m - len) / 2 / 100 * 100;
	cd = w->distance_m - len - wu;
	w->type = sd->type;
	if (sd->style == ST_HILLS)
		set_pace(w, e[0], e[1]);	/* by effort: no pace uphill */
	else
		set_pace(w, z[0], z[1]);
	w->duration_min = minutes((w->distance_m - work) / 1000.0 * mid(e) +
	    work / 1000.0 * mid(sd->style == ST_HILLS ?
	    c->paces[PACE_R] : z));
	describe_set(c, s->sess, reps, len, wu, cd, w);
	return 0;
}

static struct plan_workout *
append(struct plan *p, size_t *cap)
{
	if (p->nworkouts == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		p->workouts = xrealloc(p->workouts, *cap * sizeof(*p->workouts));
	}
	memset(&p->workouts[p->nworkouts], 0, sizeof(*p->workouts));
	return &p->workouts[p->nworkouts++];
}

/*
 * Paces and volume of week; the paces (a few bisections) are worked out
 * again only when the week's VDOT differs from the last week's.
 */
static void
week_ctx(const struct layout *ly, int week, struct ctx *c)
{
	double v = ly->plan->week_vdot[week - 1], t;
	int pw, i, m;

	if (c->ly != ly || c->vdot != v) {
		c->ly = ly;
		c->vdot = v;
		vdot_paces(v, c->paces);
		t = vdot_predict_time(v, ly->prof->exact_m);
		m = (int)lround(t * 1000.0 / ly->prof->exact_m);
		c->race[0] = m - RACE_PACE_SPREAD_S;
		c->race[1] = m + RACE_PACE_SPREAD_S;
	}
	c->phase = plan_phase_of(ly->plan, week, &pw);
	c->cutback = ly->sch->cutback[week - 1];
	c->week_m = 0;
	for (i = 0; i < ly->nslots; i++)
		if (ly->slots[i].week == week)
			c->week_m += ly->slots[i].dist;
}

static void
write_slot(const struct ctx *c, const struct slot *s, struct plan_workout *w)
{
	w->date = s->date;
	w->week = s->week;
	w->distance_m = s->dist;
	if (s->role == ROLE_LONG &&
	    (s->kind == SK_NORMAL || s->kind == SK_LONG_TAPER))
		write_long(c, s, w);
	else if (!plan_sess_is_hard(s->sess) || write_quality(c, s, w) != 0) {
		struct slot easy = *s;

		if (plan_sess_is_hard(s->sess))
			easy.sess = S_STRIDES;
		write_easy(c, &easy, w);
	}
}

/* Where the paces come from, for the race's description. */
static void
fitness_words(const struct layout *ly, char *out, size_t n)
{
	const struct plan_input *in = ly->in;
	const struct run_sample *r;
	struct race_profile race;
	char t[16], d[11], name[40];

	switch (ly->plan->vdot_source) {
	case VDOT_FROM_RACE:
		units_format_duration(t, sizeof(t), in->recent_race_time_s);
		plan_profile(in->recent_race_distance, &race);
		plan_profile_name(&race, in->unit, name, sizeof(name));
		if (strstr(name, " race") != NULL)	/* not a standard one */
			snprintf(name, sizeof(name), "{d:%d}",
			    in->recent_race_distance);
		snprintf(out, n, "Paces from your recent %s race in %s.", name,
		    t);
		break;
	case VDOT_FROM_RUNS:
		if (ly->plan->evidence_run < 0) {	/* given: a re-plan */
			snprintf(out, n, "Paces for your fitness now (VDOT "
			    "%.1f), from what you have run lately.",
			    ly->plan->vdot);
			break;
		}
		r = &in->runs[ly->plan->evidence_run];
		units_format_duration(t, sizeof(t), r->moving_s);
		date_format(r->date, d);
		snprintf(out, n, "Paces from your run of %s ({d:%d} in %s).",
		    d, r->distance_m, t);
		break;
	default:
		snprintf(out, n, "Paces estimated from your weekly distance: "
		    "a recent race or imported runs would make them sharper.");
	}
}

/* The race itself, with the goal compared to what training supports. */
static void
write_race(const struct layout *ly, struct plan_workout *w)
{
	const struct plan *p = ly->plan;
	int d = ly->in->race_distance;
	int pace = (int)lround(p->race_time_s * 1000.0 / ly->prof->exact_m);
	char t[16], fit[160];

	w->date = ly->in->race_date;
	w->week = p->total_weeks;
	w->type = WORKOUT_RACE;
	w->distance_m = d;
	w->duration_min = minutes(p->race_time_s);
	set_pace(w, pace, pace);
	units_format_duration(t, sizeof(t), p->race_time_s);
	fitness_words(ly, fit, sizeof(fit));
	DESC(w, "Race day: {d:%d}. %s %s ({P:%d}): start at that pace, not "
	    "faster, and finish strong.%s%s %s", d, ly->in->goal_time_s > 0 &&
	    p->goal_realistic ? "Goal" : "Target", t, pace,
	    p->note[0] != '\0' ? " " : "", p->note, fit);
}

void
plan_write(struct layout *ly)
{
	struct plan *p = ly->plan;
	struct ctx c = { 0 };
	size_t cap = 0;
	int i, week = 0;

	for (i = 0; i < ly->nslots; i++) {
		const struct slot *s = &ly->slots[i];

		if (!s->shown || s->dist <= 0)
			continue;
		if (s->week != week)
			week_ctx(ly, week = s->week, &c);
		write_slot(&c, s, append(p, &cap));
		p->week_volume_m[s->week - 1] += s->dist;
	}
	write_race(ly, append(p, &cap));
}
