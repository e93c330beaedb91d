/*
 * training/adjust: see adjust.h.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/json_text.h"
#include "core/log.h"
#include "core/util.h"
#include "db/activities.h"
#include "db/fitness.h"
#include "db/plan_view.h"
#include "db/plans.h"
#include "domain/adapt.h"
#include "domain/pace_update.h"
#include "domain/vdot.h"
#include "training/adjust.h"

/* Everything a proposal is made from. */
struct ctx {
	struct db		*db;
	arena_t			*a;
	const char		*user_id;
	const char		*plan_id;
	date_t			 today;
	enum unit		 unit;
	struct plan_race	 race;
	struct plan_input	 orig;		/* the plan's generator input */
	struct plan_view	 pv;
	double			 plan_vdot;
	struct adapt_input	 in;
	struct adapt_workout	*w;
	struct remaining_workout *rem;		/* untouched, from tomorrow */
	int			 nrem;
	struct remaining_workout *kept;		/* the others: kept */
	date_t			*kept_first;	/* the day each was first on */
	int			 nkept;
};

static int
type_of(const char *stored)
{
	int t;

	for (t = 0; stored != NULL && t < WORKOUT__MAX; t++)
		if (strncasecmp(stored, workout_type_name((enum workout_type)t),
		    strlen(workout_type_name((enum workout_type)t))) == 0)
			return t;
	return WORKOUT_EASY;
}

/* The plan's workouts as carried out. */
static void
workouts_of(struct ctx *c)
{
	size_t i;

	c->w = arena_alloc(c->a, sizeof(*c->w) * (c->pv.nworkouts + 1));
	for (i = 0; i < c->pv.nworkouts; i++) {
		const struct pv_workout *x = &c->pv.workouts[i];

		c->w[i].date = x->date;
		c->w[i].type = (enum workout_type)type_of(x->type_name);
		c->w[i].distance_m = x->distance_m;
		c->w[i].done = x->comp.state == CS_DONE ||
		    x->comp.state == CS_PARTLY_DONE;
		c->w[i].skipped = x->skipped;
	}
	c->in.workouts = c->w;
	c->in.nworkouts = c->pv.nworkouts;
}

/* The runs of the last weeks and the workouts marked done without one. */
static int
runs_of(struct ctx *c)
{
	const struct run_sample	*r;
	struct run_sample	*all;
	size_t			 n, i, k;

	if (activities_recent_runs(c->db, c->a, c->user_id, c->today,
	    ADAPT_TRACKED_DAYS, &r, &n) < 0)
		return -1;
	all = arena_alloc(c->a, sizeof(*all) * (n + c->pv.nworkouts + 1));
	memcpy(all, r, sizeof(*all) * n);
	for (i = 0, k = n; i < c->pv.nworkouts; i++) {
		const struct pv_workout *x = &c->pv.workouts[i];

		if (x->done_by_hand && x->nlinks == 0 && x->date <= c->today)
			all[k++] = (struct run_sample){ x->date, x->distance_m,
			    0, 0 };
	}
	c->in.runs = all;
	c->in.nruns = k;
	return 0;
}

/* What the plan's paces stand for now: its next easy workout's. */
static double
now_vdot(const struct ctx *c)
{
	int i;

	for (i = 0; i < c->nrem; i++)
		if (type_of(c->rem[i].type) == WORKOUT_EASY && c->rem[i].fast > 0)
			return pace_vdot_of_easy(c->rem[i].fast, c->rem[i].slow);
	return 0;
}

static int
load_ctx(struct ctx *c)
{
	const char	*source;
	int		 rc;

	c->orig.today = c->today;
	if ((rc = plans_load_inputs(c->db, c->a, c->user_id, c->plan_id,
	    &c->race, &c->orig)) != 1 ||
	    (rc = plan_view_load(c->db, c->a, c->user_id, c->plan_id, c->today,
	    0, 0, &c->pv)) != 1 ||
	    (rc = adjustments_plan_vdot(c->db, c->a, c->user_id, c->plan_id,
	    &c->plan_vdot, &source)) != 1)
		return rc;
	if ((c->nrem = adjustments_remaining(c->db, c->a, c->user_id,
	    c->plan_id, c->today + 1, &c->rem)) < 0 ||
	    (c->nkept = adjustments_kept(c->db, c->a, c->user_id, c->plan_id,
	    c->today + 1, &c->kept, &c->kept_first)) < 0)
		return -1;
	memset(&c->in, 0, sizeof(c->in));
	c->in.today = c->today;
	c->in.first_day = c->orig.first_day;
	c->in.plan_start = c->pv.start_date;
	c->in.race_date = c->pv.race_date;
	c->in.race_distance = c->pv.race_distance;
	c->in.plan_vdot = c->plan_vdot;
	c->in.plan_source = strcmp(source, "runs") == 0 ? VDOT_FROM_RUNS :
	    strcmp(source, "race") == 0 ? VDOT_FROM_RACE : VDOT_FROM_VOLUME;
	c->in.now_vdot = now_vdot(c);
	workouts_of(c);
	return runs_of(c) == -1 ? -1 : 1;
}

/* The phase of the plan on day d. */
static enum phase_kind
phase_on(const struct ctx *c, date_t d)
{
	int week = plan_week_of(date_week_start(c->pv.start_date,
	    c->orig.first_day), d);
	const char *name = plan_view_phase(&c->pv, week);

	return name != NULL ? adapt_phase_named(name) : PHASE_BASE;
}

static json_t *
workout_json(const struct plan_workout *w)
{
	char d[11];

	date_format(w->date, d);
	return json_pack("{s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:s}", "date", d,
	    "week", w->week, "type", workout_type_name(w->type), "distance",
	    w->distance_m, "minutes", w->duration_min, "fast", w->pace_fast_s,
	    "slow", w->pace_slow_s, "description", w->description);
}

static json_t *
old_json(const struct remaining_workout *r, int n)
{
	json_t	*arr = json_array();
	char	 d[11];
	int	 i;

	for (i = 0; i < n; i++) {
		date_format(r[i].date, d);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:i, s:i,"
		    " s:i, s:i, s:i}", "id", r[i].id, "date", d, "type",
		    r[i].type, "distance", r[i].distance_m, "minutes",
		    r[i].minutes, "week", r[i].week, "fast", r[i].fast, "slow",
		    r[i].slow));
	}
	return arr;
}

/* A day a kept workout holds (or was first on): no new workout there. */
static bool
kept_day(const struct ctx *c, date_t d)
{
	int i;

	for (i = 0; i < c->nkept; i++)
		if (c->kept[i].date == d || c->kept_first[i] == d)
			return true;
	return false;
}

/* q as it will be stored: the race, and the workouts on free days. */
static void
drop_kept_days(const struct ctx *c, struct plan *q)
{
	size_t i, k = 0;

	for (i = 0; i < q->nworkouts; i++)
		if (q->workouts[i].type == WORKOUT_RACE ||
		    !kept_day(c, q->workouts[i].date))
			q->workouts[k++] = q->workouts[i];
	q->nworkouts = k;
}

/* The re-plan's changes: its workouts and phases, and what they replace. */
static char *
replan_changes(const struct ctx *c, const struct plan *q)
{
	json_t	*j = json_object(), *ws = json_array(), *ph = json_array();
	char	*text;
	size_t	 i;
	int	 k;

	for (i = 0; i < q->nworkouts; i++)
		json_array_append_new(ws, workout_json(&q->workouts[i]));
	for (k = 0; k < q->nphases; k++)
		json_array_append_new(ph, json_pack("{s:s, s:i, s:i}", "name",
		    phase_name(q->phases[k].kind), "start", q->phases[k].start_week,
		    "end", q->phases[k].end_week));
	json_object_set_new(j, "workouts", ws);
	json_object_set_new(j, "phases", ph);
	json_object_set_new(j, "old", old_json(c->rem, c->nrem));
	json_object_set_new(j, "kept", old_json(c->kept, c->nkept));
	text = json_text(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

/* Nothing would change: the same days, types and distances. */
static bool
same_as_now(const struct ctx *c, const struct plan *q)
{
	size_t	 i;

	if (q->nworkouts != (size_t)c->nrem)
		return false;
	for (i = 0; i < q->nworkouts; i++)
		if (q->workouts[i].date != c->rem[i].date ||
		    q->workouts[i].distance_m != c->rem[i].distance_m ||
		    (int)q->workouts[i].type != type_of(c->rem[i].type))
			return false;
	return true;
}

static char *
basis_json(const struct adapt_finding *f, const struct adapt_basis *b)
{
	json_t	*j = json_object(), *reasons = json_array();
	char	*text;
	int	 r;

	for (r = 0; r < ADAPT__MAX; r++)
		if (f->reasons & ADAPT_BIT(r))
			json_array_append_new(reasons,
			    json_string(adapt_reason_key((enum adapt_reason)r)));
	json_object_set_new(j, "reasons", reasons);
	json_object_set_new(j, "runs_vdot", json_real(f->runs_vdot));
	json_object_set_new(j, "break_days", json_integer(f->break_days));
	json_object_set_new(j, "low_actual_m", json_integer(f->low_actual_m));
	json_object_set_new(j, "low_planned_m", json_integer(f->low_planned_m));
	json_object_set_new(j, "missed", json_integer(f->nmissed));
	if (b != NULL) {
		json_object_set_new(j, "weekly_m", json_integer(b->weekly_m));
		json_object_set_new(j, "longest_m", json_integer(b->longest_m));
		json_object_set_new(j, "vdot", json_real(b->vdot));
		json_object_set_new(j, "fvdot", json_real(b->fvdot));
		json_object_set_new(j, "first_phase",
		    json_string(phase_name(b->first_phase)));
	}
	text = json_text(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

static void
refusal(const struct ctx *c, enum adapt_refusal r,
    const struct adapt_basis *b, char *why, size_t n)
{
	char	 w[24], min[24];

	units_format_distance(w, sizeof(w), b->weekly_m, c->unit);
	units_format_distance(min, sizeof(min), ADAPT_MIN_WEEKLY_M, c->unit);
	switch (r) {
	case ADAPT_TOO_LATE:
		snprintf(why, n, "Your race is close: the taper starts within a "
		    "week, and Cadence keeps a taper as it is. Run the workouts "
		    "left as you can, and skip what you cannot rather than catch "
		    "up.");
		break;
	case ADAPT_TOO_LITTLE:
		snprintf(why, n, "You have run %s a week over the last 4 weeks. "
		    "Cadence re-plans from %s a week at least: build back up "
		    "with run-walk sessions (say 1 minute running, 1-2 minutes "
		    "walking, 20-30 minutes, three times a week) until that "
		    "feels easy, then ask again.", w, min);
		break;
	case ADAPT_NOT_READY:
		snprintf(why, n, "From %s a week, a safe build-up (10 %% more a "
		    "week at most) does not reach what this race needs by race "
		    "day, and Cadence will not cram the missing weeks in: "
		    "choose a later race or a shorter one (edit the plan).", w);
		break;
	default:
		snprintf(why, n, "Cadence could not re-plan these weeks.");
	}
}

static enum training_proposal
store(struct ctx *c, struct adjustment_new *n, char *basis, char *changes,
    char id[ADJUSTMENT_ID_LEN])
{
	int rc;

	n->plan_id = c->plan_id;
	n->basis = basis;
	n->changes = changes;
	rc = adjustments_create(c->db, c->user_id, n, id);
	free(basis);
	free(changes);
	return rc < 0 ? PROPOSAL_FAILED : rc == 1 ? PROPOSAL_MADE :
	    PROPOSAL_NONE;
}

/* q's weeks in the plan's numbering, its phases merged with the plan's. */
static void
renumber(const struct ctx *c, struct plan *q, date_t from)
{
	struct plan_phase	 old[PLAN_MAX_PHASES], out[PLAN_MAX_PHASES];
	date_t			 w1 = date_week_start(c->pv.start_date,
	    c->orig.first_day);
	size_t			 i;
	int			 k, n;

	for (i = 0; i < q->nworkouts; i++)
		q->workouts[i].week = plan_week_of(w1, q->workouts[i].date);
	for (k = 0; k < c->pv.nphases && k < PLAN_MAX_PHASES; k++) {
		old[k].kind = adapt_phase_named(c->pv.phases[k].name);
		old[k].start_week = c->pv.phases[k].start_week;
		old[k].end_week = c->pv.phases[k].end_week;
	}
	n = adapt_merge_phases(old, k, q, plan_week_of(w1, from), out);
	memcpy(q->phases, out, sizeof(out));
	q->nphases = n;
}

static enum training_proposal
propose_replan(struct ctx *c, const struct adapt_finding *f,
    char id[ADJUSTMENT_ID_LEN], char *why, size_t whylen)
{
	struct adjustment_new	 n;
	struct adapt_basis	 b;
	struct plan		 q;
	enum adapt_refusal	 r;
	char			 sum[ADAPT_TEXT_MAX], basis[ADAPT_TEXT_MAX];
	int			 cap_w, cap_l;
	date_t			 from = c->today + 1;

	adapt_basis(&c->in, f, phase_on(c, from), &b);
	adapt_peaks(c->w, c->in.nworkouts, c->pv.race_distance,
	    c->pv.race_date, c->orig.first_day, &cap_w, &cap_l);
	if ((r = adapt_replan(&c->orig, &b, from, cap_w, cap_l, NULL, &q)) !=
	    ADAPT_OK) {
		refusal(c, r, &b, why, whylen);
		return PROPOSAL_REFUSED;
	}
	renumber(c, &q, from);
	drop_kept_days(c, &q);
	if (same_as_now(c, &q)) {
		plan_free(&q);
		snprintf(why, whylen, "Your plan already fits what you have "
		    "run: re-planning changes nothing.");
		return PROPOSAL_REFUSED;
	}
	adapt_describe(sum, sizeof(sum), f, c->in.runs, c->unit);
	adapt_describe_basis(basis, sizeof(basis), &b, c->unit);
	memset(&n, 0, sizeof(n));
	n.kind = "replan";
	n.reason = adapt_reason_key(adapt_main_reason(f));
	n.trigger_key = f->key;
	n.summary = arena_printf(c->a, "%s%s%s", sum, *sum ? " " : "", basis);
	n.from = from;
	n.old_vdot = c->plan_vdot;
	n.new_vdot = q.vdot;
	{
		char *changes = replan_changes(c, &q);

		plan_free(&q);
		return store(c, &n, basis_json(f, &b), changes, id);
	}
}

static json_t *
zones_json(double from, double to)
{
	static const char *const names[PACE__MAX] = { "Easy", "Marathon",
	    "Threshold", "Interval", "Repetition" };
	int	 a[PACE__MAX][2], b[PACE__MAX][2], z;
	json_t	*arr = json_array();

	vdot_paces(from, a);
	vdot_paces(to, b);
	for (z = 0; z < PACE__MAX; z++)
		json_array_append_new(arr, json_pack("{s:s, s:[i, i], s:[i, i]}",
		    "zone", names[z], "old", a[z][0], a[z][1], "new", b[z][0],
		    b[z][1]));
	return arr;
}

/* The workouts whose paces move, into a changes JSON object. */
static int
pace_changes(const struct ctx *c, const struct pace_map *m, json_t *ws)
{
	char	 d[11], *desc;
	int	 i, f, s, n = 0;
	size_t	 len;

	for (i = 0; i < c->nrem; i++) {
		const struct remaining_workout *r = &c->rem[i];

		if (type_of(r->type) == WORKOUT_RACE || r->fast <= 0)
			continue;
		len = (r->description ? strlen(r->description) : 0) + 64;
		desc = arena_alloc(c->a, len);
		snprintf(desc, len, "%s", r->description ? r->description : "");
		f = r->fast;
		s = r->slow;
		if (!pace_update(m, &f, &s, desc, len))
			continue;
		date_format(r->date, d);
		json_array_append_new(ws, json_pack("{s:s, s:s, s:s, s:i, s:[i, "
		    "i], s:[i, i], s:s}", "id", r->id, "date", d, "type",
		    r->type, "distance", r->distance_m, "old", r->fast, r->slow,
		    "new", f, s, "description", desc));
		n++;
	}
	return n;
}

static enum training_proposal
propose_paces(struct ctx *c, const struct adapt_finding *f,
    char id[ADJUSTMENT_ID_LEN])
{
	struct adjustment_new	 n;
	struct pace_map		 m;
	double			 now = adapt_week_vdot(&c->in, c->today);
	double			 delta = f->runs_vdot - now;
	char			 sum[ADAPT_TEXT_MAX], *changes;
	json_t			*j = json_object(), *ws = json_array();

	pace_map_build(c->plan_vdot, delta, &m);
	if (pace_changes(c, &m, ws) == 0) {
		json_decref(ws);
		json_decref(j);
		return PROPOSAL_NONE;
	}
	json_object_set_new(j, "workouts", ws);
	json_object_set_new(j, "zones", zones_json(now, now + delta));
	changes = json_text(j, JSON_COMPACT);
	json_decref(j);
	adapt_describe(sum, sizeof(sum), f, c->in.runs, c->unit);
	memset(&n, 0, sizeof(n));
	n.kind = "paces";
	n.reason = adapt_reason_key(ADAPT_FITNESS);
	n.trigger_key = f->key;
	n.summary = arena_printf(c->a, "%s The plan's paces are for VDOT "
	    "%.1f: the workouts left get the paces of VDOT %.1f.", sum, now,
	    f->runs_vdot);
	n.from = c->today + 1;
	n.old_vdot = c->plan_vdot;
	n.new_vdot = round((c->plan_vdot + delta) * 10) / 10;
	return store(c, &n, basis_json(f, NULL), changes, id);
}

enum training_proposal
training_detect(struct db *db, arena_t *a, const char *user_id,
    char id[ADJUSTMENT_ID_LEN])
{
	struct fitness_profile	 p;
	struct fitness_ahead	 ahead;
	struct adapt_finding	 f;
	struct ctx		 c;
	char			 why[ADAPT_TEXT_MAX];
	enum training_proposal	 r;
	int			 rc;

	if ((rc = fitness_load_profile(db, user_id, &p)) != 1 ||
	    (rc = fitness_plan_ahead(db, a, user_id, p.today, &ahead)) != 1)
		return rc < 0 ? PROPOSAL_FAILED : PROPOSAL_NONE;
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.a = a;
	c.user_id = user_id;
	c.plan_id = ahead.plan_id;
	c.today = p.today;
	if ((rc = load_ctx(&c)) != 1)
		return rc < 0 ? PROPOSAL_FAILED : PROPOSAL_NONE;
	c.unit = c.orig.unit;
	adapt_detect(&c.in, &f);
	if (f.reasons == 0)
		return PROPOSAL_NONE;
	if (adapt_paces_only(&f))
		return propose_paces(&c, &f, id);
	r = propose_replan(&c, &f, id, why, sizeof(why));
	if (r == PROPOSAL_REFUSED) {
		log_info("fitness: %s: no re-plan for %s: %s", user_id, f.key,
		    why);
		return PROPOSAL_NONE;
	}
	return r;
}

enum training_proposal
training_propose(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, date_t today, int days_off, enum unit u,
    char id[ADJUSTMENT_ID_LEN], char *why, size_t whylen)
{
	struct adapt_finding	 f;
	struct ctx		 c;
	int			 rc;

	memset(&c, 0, sizeof(c));
	c.db = db;
	c.a = a;
	c.user_id = user_id;
	c.plan_id = plan_id;
	c.today = today;
	c.unit = u;
	if ((rc = load_ctx(&c)) != 1) {
		snprintf(why, whylen, "There is no such plan.");
		return rc < 0 ? PROPOSAL_FAILED : PROPOSAL_REFUSED;
	}
	c.in.days_off = days_off;
	adapt_detect(&c.in, &f);
	if (!(f.reasons & ADAPT_BIT(ADAPT_MANUAL))) {
		f.reasons |= ADAPT_BIT(ADAPT_MANUAL);
		snprintf(f.key, sizeof(f.key), "manual");
	}
	return propose_replan(&c, &f, id, why, whylen);
}

/* A stored re-plan back into a plan (workouts malloc'ed: plan_free). */
static bool
replan_from_json(const json_t *ch, struct plan *p)
{
	const json_t	*ws = json_object_get(ch, "workouts"), *ph, *v;
	size_t		 i;

	memset(p, 0, sizeof(*p));
	p->workouts = calloc(json_array_size(ws) + 1, sizeof(*p->workouts));
	if (p->workouts == NULL)
		return false;
	json_array_foreach(ws, i, v) {
		struct plan_workout *w = &p->workouts[i];

		if (!date_parse(json_string_value(json_object_get(v, "date")) ?
		    json_string_value(json_object_get(v, "date")) : "",
		    &w->date))
			return false;
		w->week = (int)json_integer_value(json_object_get(v, "week"));
		w->type = (enum workout_type)type_of(json_string_value(
		    json_object_get(v, "type")));
		w->distance_m = (int)json_integer_value(json_object_get(v,
		    "distance"));
		w->duration_min = (int)json_integer_value(json_object_get(v,
		    "minutes"));
		w->pace_fast_s = (int)json_integer_value(json_object_get(v,
		    "fast"));
		w->pace_slow_s = (int)json_integer_value(json_object_get(v,
		    "slow"));
		snprintf(w->description, sizeof(w->description), "%s",
		    json_string_value(json_object_get(v, "description")) ?
		    json_string_value(json_object_get(v, "description")) : "");
		p->nworkouts++;
	}
	ph = json_object_get(ch, "phases");
	json_array_foreach(ph, i, v) {
		if (i >= PLAN_MAX_PHASES)
			break;
		p->phases[i].kind = adapt_phase_named(json_string_value(
		    json_object_get(v, "name")));
		p->phases[i].start_week = (int)json_integer_value(
		    json_object_get(v, "start"));
		p->phases[i].end_week = (int)json_integer_value(
		    json_object_get(v, "end"));
		p->nphases++;
	}
	return p->nworkouts > 0 && p->nphases > 0;
}

static enum adjustment_result
accept_replan(struct db *db, const char *user_id, const struct adjustment *x,
    const json_t *ch)
{
	enum adjustment_result	 r = ADJ_FAILED;
	struct plan		 p;

	if (replan_from_json(ch, &p))
		r = adjustments_accept_replan(db, user_id, x->id, &p,
		    x->new_vdot);
	plan_free(&p);
	return r;
}

static enum adjustment_result
accept_paces(struct db *db, arena_t *a, const char *user_id,
    const struct adjustment *x, const json_t *ch)
{
	const json_t		*ws = json_object_get(ch, "workouts"), *v;
	struct pace_change	*pc;
	size_t			 i, n = json_array_size(ws);

	pc = arena_alloc(a, sizeof(*pc) * (n + 1));
	json_array_foreach(ws, i, v) {
		pc[i].workout_id = arena_strdup(a, json_string_value(
		    json_object_get(v, "id")) ? json_string_value(
		    json_object_get(v, "id")) : "");
		pc[i].fast = (int)json_integer_value(json_array_get(
		    json_object_get(v, "new"), 0));
		pc[i].slow = (int)json_integer_value(json_array_get(
		    json_object_get(v, "new"), 1));
		pc[i].description = arena_strdup(a, json_string_value(
		    json_object_get(v, "description")) ? json_string_value(
		    json_object_get(v, "description")) : "");
		if (pc[i].fast <= 0 || pc[i].slow < pc[i].fast)
			return ADJ_FAILED;
	}
	return adjustments_accept_paces(db, user_id, x->id, pc, n, x->new_vdot);
}

enum adjustment_result
training_accept(struct db *db, arena_t *a, const char *user_id,
    const char *id)
{
	struct adjustment	 x;
	enum adjustment_result	 r;
	json_t			*ch;
	int			 rc;

	if ((rc = adjustments_load(db, a, user_id, id, &x)) != 1)
		return rc < 0 ? ADJ_FAILED : ADJ_NOT_FOUND;
	if (strcmp(x.status, "pending") != 0)
		return ADJ_NOT_FOUND;
	if ((ch = json_loads(x.changes ? x.changes : "", 0, NULL)) == NULL)
		return ADJ_FAILED;
	r = strcmp(x.kind, "paces") == 0 ? accept_paces(db, a, user_id, &x,
	    ch) : accept_replan(db, user_id, &x, ch);
	json_decref(ch);
	return r;
}
