/*
 * match: see match.h for the rules.  Every step works on copies sorted by
 * id (and date), and every choice is made by a total order on (distance
 * gap, ids), which is what makes the result independent of input order.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/activity.h"
#include "domain/match.h"

struct wslot {
	const struct match_workout	*w;
	bool				 locked;	/* no auto changes */
	bool				 completed;
	bool				 taken;		/* has an auto pair */
};

struct aslot {
	const struct match_activity	*a;
	bool				 taken;
};

/* One way to complete a workout: one activity, or a combination. */
struct cand {
	size_t	 wi;
	size_t	 ai[MATCH_COMBO_MAX];	/* ascending indices into ctx.acts */
	int	 n;
	int64_t	 gap;			/* |sum of distances - planned| */
};

struct ctx {
	const struct match_input	*in;
	struct wslot			*works;	/* sorted by id */
	struct aslot			*acts;	/* sorted by date, then id */
	struct aslot			**abyid;	/* acts, sorted by id */
	struct match_pair		*forbid;	/* sorted unmatched pairs */
	struct match_pair		*out;
	size_t				 nout;
};

bool
match_is_run(const char *sport_type)
{
	return sport_is_run(sport_type);
}

bool
match_within(int64_t distance_m, int64_t planned_m)
{
	if (planned_m < 1 || planned_m > MATCH_DISTANCE_MAX ||
	    distance_m < 0 || distance_m > MATCH_DISTANCE_MAX * 2)
		return false;
	/* d/p in [0.9, 1.1]  <=>  100d in [90p, 110p]: exact at the bounds. */
	return 100 * distance_m >= (100 - MATCH_TOLERANCE_PCT) * planned_m &&
	    100 * distance_m <= (100 + MATCH_TOLERANCE_PCT) * planned_m;
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct match_pair *x = a, *y = b;
	int c = strcmp(x->workout_id, y->workout_id);

	return c != 0 ? c : strcmp(x->activity_id, y->activity_id);
}

static int
wslot_cmp(const void *a, const void *b)
{
	const struct wslot *x = a, *y = b;

	return strcmp(x->w->id, y->w->id);
}

static int
aslot_cmp(const void *a, const void *b)
{
	const struct aslot *x = a, *y = b;

	if (x->a->date != y->a->date)
		return x->a->date < y->a->date ? -1 : 1;
	return strcmp(x->a->id, y->a->id);
}

static int
aslotp_cmp(const void *a, const void *b)
{
	const struct aslot *const *x = a, *const *y = b;

	return strcmp((*x)->a->id, (*y)->a->id);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct wslot *
find_workout(const struct ctx *c, const char *id)
{
	size_t lo = 0, hi = c->in->nworkouts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(id, c->works[mid].w->id);

		if (r == 0)
			return &c->works[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static struct aslot *
find_activity(const struct ctx *c, const char *id)
{
	size_t lo = 0, hi = c->in->nactivities;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct aslot *s = c->abyid[mid];
		int r = strcmp(id, s->a->id);

		if (r == 0)
			return s;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool
forbidden(const struct ctx *c, const char *wid, const char *aid)
{
	struct match_pair key = { wid, aid };

	return bsearch(&key, c->forbid, c->in->nunmatched,
	    sizeof(key), pair_cmp) != NULL;
}

static void
emit(struct ctx *c, const char *wid, const char *aid)
{
	c->out[c->nout].workout_id = wid;
	c->out[c->nout].activity_id = aid;
	c->nout++;
}

/* Sorted copies, and the id index of the activities. */
static void
ctx_init(struct ctx *c, const struct match_input *in)
{
	size_t i, n = in->nactivities;

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->works = xcalloc(in->nworkouts, sizeof(*c->works));
	for (i = 0; i < in->nworkouts; i++)
		c->works[i].w = &in->workouts[i];
	qsort(c->works, in->nworkouts, sizeof(*c->works), wslot_cmp);

	c->acts = xcalloc(n, sizeof(*c->acts));
	for (i = 0; i < n; i++)
		c->acts[i].a = &in->activities[i];
	qsort(c->acts, n, sizeof(*c->acts), aslot_cmp);

	c->abyid = xcalloc(n, sizeof(*c->abyid));
	for (i = 0; i < n; i++)
		c->abyid[i] = &c->acts[i];
	qsort(c->abyid, n, sizeof(*c->abyid), aslotp_cmp);

	c->forbid = xcalloc(in->nunmatched, sizeof(*c->forbid));
	if (in->nunmatched > 0)
		memcpy(c->forbid, in->unmatched,
		    in->nunmatched * sizeof(*c->forbid));
	qsort(c->forbid, in->nunmatched, sizeof(*c->forbid), pair_cmp);

	/* Each auto pair uses a distinct activity, at most one per activity. */
	c->out = xcalloc(n + in->ncurrent, sizeof(*c->out));
}

static void
ctx_free(struct ctx *c)
{
	free(c->works);
	free(c->acts);
	free(c->abyid);
	free(c->forbid);
}

/* Manual pairs and by-hand marks lock workouts and take activities. */
static void
apply_locks(struct ctx *c)
{
	const struct match_input *in = c->in;
	struct wslot *ws;
	struct aslot *as;
	size_t i;

	for (i = 0; i < in->nworkouts; i++) {
		ws = &c->works[i];
		if (ws->w->done_by_hand)
			ws->locked = ws->completed = true;
		if (ws->w->skipped_by_hand)
			ws->locked = true;
	}
	for (i = 0; i < in->nmanual; i++) {
		if ((ws = find_workout(c, in->manual[i].workout_id)) != NULL)
			ws->locked = ws->completed = true;
		if ((as = find_activity(c, in->manual[i].activity_id)) != NULL)
			as->taken = true;
	}
}

/*
 * Stored auto pairs of locked workouts are left alone, unless their
 * activity went to a manual pair or the pair was undone by hand.
 */
static void
keep_locked_pairs(struct ctx *c)
{
	const struct match_input *in = c->in;
	struct match_pair *cur;
	struct wslot *ws;
	struct aslot *as;
	size_t i, n = in->ncurrent;

	cur = xcalloc(n, sizeof(*cur));
	if (n > 0)
		memcpy(cur, in->current, n * sizeof(*cur));
	qsort(cur, n, sizeof(*cur), pair_cmp);
	for (i = 0; i < n; i++) {
		ws = find_workout(c, cur[i].workout_id);
		if (ws == NULL || !ws->locked ||
		    forbidden(c, cur[i].workout_id, cur[i].activity_id))
			continue;
		as = find_activity(c, cur[i].activity_id);
		if (as != NULL) {
			if (as->taken)
				continue;
			as->taken = true;
		}
		emit(c, cur[i].workout_id, cur[i].activity_id);
	}
	free(cur);
}

static bool
open_workout(const struct wslot *ws)
{
	return !ws->locked && !ws->taken && ws->w->planned_m >= 1 &&
	    ws->w->planned_m <= MATCH_DISTANCE_MAX;
}

static bool
free_run(const struct aslot *as)
{
	return !as->taken && sport_is_run(as->a->sport_type) &&
	    as->a->distance_m >= 0 && as->a->distance_m <= MATCH_DISTANCE_MAX;
}

/* [*lo, *hi) = the activities dated d. */
static void
day_range(const struct ctx *c, date_t d, size_t *lo, size_t *hi)
{
	size_t a = 0, b = c->in->nactivities;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (c->acts[mid].a->date < d)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < c->in->nactivities && c->acts[a].a->date == d)
		a++;
	*hi = a;
}

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int i;

	if (a->gap != b->gap)
		return a->gap < b->gap ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	if (a->wi != b->wi)
		return a->wi < b->wi ? -1 : 1;
	for (i = 0; i < a->n; i++)
		if (a->ai[i] != b->ai[i])
			return a->ai[i] < b->ai[i] ? -1 : 1;
	return 0;
}

/* Takes candidates best first while their workout and activities are free. */
static void
take_greedy(struct ctx *c, struct cand *cands, size_t ncands)
{
	size_t i;
	int k;

	if (ncands == 0)	/* cands may be NULL */
		return;
	qsort(cands, ncands, sizeof(*cands), cand_cmp);
	for (i = 0; i < ncands; i++) {
		struct cand *cd = &cands[i];
		struct wslot *ws = &c->works[cd->wi];

		if (ws->taken)
			continue;
		for (k = 0; k < cd->n; k++)
			if (c->acts[cd->ai[k]].taken)
				break;
		if (k < cd->n)
			continue;
		ws->taken = ws->completed = true;
		for (k = 0; k < cd->n; k++) {
			c->acts[cd->ai[k]].taken = true;
			emit(c, ws->w->id, c->acts[cd->ai[k]].a->id);
		}
	}
}

static int64_t
gap(int64_t sum, int64_t planned)
{
	return sum > planned ? sum - planned : planned - sum;
}

static void
match_single(struct ctx *c)
{
	struct cand *cands = NULL;
	size_t i, j, lo, hi, n = 0, cap = 0;

	for (i = 0; i < c->in->nworkouts; i++) {
		const struct match_workout *w = c->works[i].w;

		if (!open_workout(&c->works[i]))
			continue;
		day_range(c, w->date, &lo, &hi);
		for (j = lo; j < hi; j++) {
			const struct match_activity *a = c->acts[j].a;

			if (!free_run(&c->acts[j]) ||
			    !match_within(a->distance_m, w->planned_m) ||
			    forbidden(c, w->id, a->id))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				cands = xrealloc(cands, cap * sizeof(*cands));
			}
			memset(&cands[n], 0, sizeof(cands[n]));
			cands[n].wi = i;
			cands[n].ai[0] = j;
			cands[n].n = 1;
			cands[n].gap = gap(a->distance_m, w->planned_m);
			n++;
		}
	}
	take_greedy(c, cands, n);
	free(cands);
}

/* Combinations of 2..MATCH_COMBO_MAX free runs of the workout's day. */
static void
match_combos(struct ctx *c)
{
	struct cand *cands = NULL;
	size_t i, j, lo, hi, n = 0, cap = 0, day[MATCH_DAY_RUNS_MAX];
	unsigned mask, nday, k;

	for (i = 0; i < c->in->nworkouts; i++) {
		const struct match_workout *w = c->works[i].w;

		if (!open_workout(&c->works[i]))
			continue;
		day_range(c, w->date, &lo, &hi);
		for (nday = 0, j = lo; j < hi && nday < MATCH_DAY_RUNS_MAX; j++)
			if (free_run(&c->acts[j]) &&
			    !forbidden(c, w->id, c->acts[j].a->id))
				day[nday++] = j;
		for (mask = 1; mask < (1u << nday); mask++) {
			int64_t sum = 0;
			int cnt = __builtin_popcount(mask);

			if (cnt < 2 || cnt > MATCH_COMBO_MAX)
				continue;
			for (k = 0; k < nday; k++)
				if (mask & (1u << k))
					sum += c->acts[day[k]].a->distance_m;
			if (!match_within(sum, w->planned_m))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				cands = xrealloc(cands, cap * sizeof(*cands));
			}
			memset(&cands[n], 0, sizeof(cands[n]));
			cands[n].wi = i;
			for (k = 0; k < nday; k++)
				if (mask & (1u << k))
					cands[n].ai[cands[n].n++] = day[k];
			cands[n].gap = gap(sum, w->planned_m);
			n++;
		}
	}
	take_greedy(c, cands, n);
	free(cands);
}

/*
 * A workout still open after singles and combinations takes the free runs
 * of its day that miss the tolerance, as a partial completion (compliance
 * tells how far off).  Workouts go in id order, so with two open workouts
 * on one day the smaller id gets the runs: rare, and deterministic.
 */
static void
match_partial(struct ctx *c)
{
	size_t i, j, lo, hi;
	int n;

	for (i = 0; i < c->in->nworkouts; i++) {
		struct wslot *ws = &c->works[i];

		if (!open_workout(ws))
			continue;
		day_range(c, ws->w->date, &lo, &hi);
		for (n = 0, j = lo; j < hi && n < MATCH_COMBO_MAX; j++) {
			if (!free_run(&c->acts[j]) ||
			    forbidden(c, ws->w->id, c->acts[j].a->id))
				continue;
			c->acts[j].taken = ws->taken = true;
			emit(c, ws->w->id, c->acts[j].a->id);
			n++;
		}
	}
}

static void
collect(struct ctx *c, struct match_result *r)
{
	size_t i;

	qsort(c->out, c->nout, sizeof(*c->out), pair_cmp);
	r->pairs = c->out;
	r->npairs = c->nout;

	r->completed = xcalloc(c->in->nworkouts, sizeof(*r->completed));
	for (i = 0; i < c->in->nworkouts; i++)
		if (c->works[i].completed)
			r->completed[r->ncompleted++] = c->works[i].w->id;

	r->unplanned = xcalloc(c->in->nactivities, sizeof(*r->unplanned));
	for (i = 0; i < c->in->nactivities; i++)
		if (!c->acts[i].taken &&
		    sport_is_run(c->acts[i].a->sport_type))
			r->unplanned[r->nunplanned++] = c->acts[i].a->id;
	qsort(r->unplanned, r->nunplanned, sizeof(*r->unplanned), str_cmp);
}

void
match_run(const struct match_input *in, struct match_result *r)
{
	struct ctx c;

	memset(r, 0, sizeof(*r));
	ctx_init(&c, in);
	apply_locks(&c);
	keep_locked_pairs(&c);
	match_single(&c);
	match_combos(&c);
	match_partial(&c);
	collect(&c, r);
	ctx_free(&c);
}

void
match_result_free(struct match_result *r)
{
	free(r->pairs);
	free(r->completed);
	free(r->unplanned);
	memset(r, 0, sizeof(*r));
}

static struct match_pair *
sorted_copy(const struct match_pair *p, size_t n)
{
	struct match_pair *c = xcalloc(n, sizeof(*c));

	if (n > 0)
		memcpy(c, p, n * sizeof(*c));
	qsort(c, n, sizeof(*c), pair_cmp);
	return c;
}

void
match_diff(const struct match_pair *current, size_t ncurrent,
    const struct match_pair *desired, size_t ndesired, struct match_diff *d)
{
	struct match_pair *cur = sorted_copy(current, ncurrent);
	struct match_pair *des = sorted_copy(desired, ndesired);
	size_t i = 0, j = 0;

	memset(d, 0, sizeof(*d));
	d->add = xcalloc(ndesired, sizeof(*d->add));
	d->remove = xcalloc(ncurrent, sizeof(*d->remove));
	/* Merge walk; duplicates on either side are collapsed. */
	while (i < ncurrent || j < ndesired) {
		int r = i == ncurrent ? 1 : j == ndesired ? -1 :
		    pair_cmp(&cur[i], &des[j]);

		if (r < 0) {
			if (d->nremove == 0 ||
			    pair_cmp(&d->remove[d->nremove - 1], &cur[i]) != 0)
				d->remove[d->nremove++] = cur[i];
			i++;
		} else if (r > 0) {
			if (d->nadd == 0 ||
			    pair_cmp(&d->add[d->nadd - 1], &des[j]) != 0)
				d->add[d->nadd++] = des[j];
			j++;
		} else {
			struct match_pair same = cur[i];

			while (i < ncurrent && pair_cmp(&cur[i], &same) == 0)
				i++;
			while (j < ndesired && pair_cmp(&des[j], &same) == 0)
				j++;
		}
	}
	free(cur);
	free(des);
}

void
match_diff_free(struct match_diff *d)
{
	free(d->add);
	free(d->remove);
	memset(d, 0, sizeof(*d));
}
