/*
 * plan_week: the training days of each week and their distances.
 *
 * The runner's runs_per_week days sit at fixed offsets from the long-run
 * day (offset 0).  Offsets +2 and +4 are the only quality slots (A and
 * B): they are never next to each other nor to the long run, even across
 * week boundaries, because the pattern is the same every week.  Offset
 * +1, the day after the long run, is a recovery run.  A week's volume
 * (the schedule's, as if the week were whole) goes to the long run, and
 * the rest is shared by weight, no run shorter than 3 km nor longer
 * than the long run.  The taper pass (plan_taper.c) then reshapes the
 * days before the race.
 */
#include <string.h>

#include "core/util.h"
#include "domain/plan_internal.h"

#define WEIGHT_HARD	1.10	/* share of the week's rest, by role */
#define WEIGHT_EASY	1.00
#define WEIGHT_RECOVERY	0.60

/* Offsets from the long-run day, by runs per week. */
static const int patterns[PLAN_MAX_RUNS + 1][PLAN_MAX_RUNS] = {
	[3] = { 0, 2, 4 },
	[4] = { 0, 2, 4, 5 },
	[5] = { 0, 1, 2, 4, 5 },
	[6] = { 0, 1, 2, 3, 4, 5 },
	[7] = { 0, 1, 2, 3, 4, 5, 6 },
};

static enum role
role_at(int off)
{
	return off == 0 ? ROLE_LONG : off == 1 ? ROLE_RECOVERY :
	    off == 2 ? ROLE_HARD_A : off == 4 ? ROLE_HARD_B : ROLE_EASY;
}

static double
role_weight(enum role r)
{
	return r == ROLE_RECOVERY ? WEIGHT_RECOVERY :
	    r == ROLE_HARD_A || r == ROLE_HARD_B ? WEIGHT_HARD : WEIGHT_EASY;
}

/* Week w's days in date order (the whole pattern, race or not). */
static int
week_slots(const struct layout *ly, int w, struct slot *sl)
{
	const struct plan_input *in = ly->in;
	date_t ws = ly->sch->w1 + 7 * (w - 1);
	int n = in->runs_per_week, i, j;

	for (i = 0; i < n; i++) {
		int off = patterns[n][i];
		int wd = ((int)in->long_run_day + off) % 7;
		struct slot s;

		memset(&s, 0, sizeof(s));
		s.date = ws + (wd - (int)in->first_day + 7) % 7;
		s.week = w;
		s.days_out = in->race_date - s.date;
		s.role = role_at(off);
		s.weight = role_weight(s.role);
		s.sess = S_EASY;
		s.kind = SK_NORMAL;
		s.shown = s.date >= ly->sch->start;
		for (j = i; j > 0 && sl[j - 1].date > s.date; j--)
			sl[j] = sl[j - 1];
		sl[j] = s;
	}
	return n;
}

/* Drops the least important run still planned: recovery, easy, B, A. */
static int
drop_one(struct slot *sl, int n)
{
	static const enum role order[] = { ROLE_RECOVERY, ROLE_EASY,
	    ROLE_HARD_B, ROLE_HARD_A, ROLE_LONG };
	size_t k;
	int i;

	for (k = 0; k < NELEM(order); k++)
		for (i = n - 1; i >= 0; i--)
			if (sl[i].weight > 0 && sl[i].role == order[k]) {
				sl[i].weight = 0;
				return 1;
			}
	return 0;
}

/*
 * Hands out the rounding left-over (or takes back the excess) 500 m at a
 * time, to the recovery run only when nothing else can take it.
 */
static void
settle(struct slot *sl, int n, int left, int lo, int cap)
{
	int guard, pass, i, moved, step, d;

	for (guard = 0; left != 0 && guard < 1000; guard++) {
		step = left > 0 ? PLAN_ROUND_M : -PLAN_ROUND_M;
		moved = 0;
		for (pass = 0; pass < 2 && !moved; pass++)
			for (i = 0; i < n && left != 0; i++) {
				if (sl[i].weight <= 0 ||
				    (sl[i].role == ROLE_RECOVERY) != pass)
					continue;
				d = sl[i].dist + step;
				if (d < lo || d > (sl[i].cap > 0 ? sl[i].cap : cap))
					continue;
				sl[i].dist = d;
				left -= step;
				moved = 1;
			}
		if (!moved)
			break;
	}
}

void
plan_share(struct slot *sl, int n, int rest, int lo, int cap)
{
	double wsum;
	int i, cnt, sum, c;

	for (;;) {
		cnt = 0;
		for (i = 0; i < n; i++)
			cnt += sl[i].weight > 0;
		if (cnt == 0 || cnt * lo <= rest || !drop_one(sl, n))
			break;
	}
	wsum = 0;
	for (i = 0; i < n; i++)
		wsum += sl[i].weight > 0 ? sl[i].weight : 0;
	sum = 0;
	for (i = 0; i < n; i++) {
		sl[i].dist = 0;
		if (sl[i].weight <= 0 || wsum <= 0)
			continue;
		c = sl[i].cap > 0 ? sl[i].cap : cap;
		sl[i].dist = round_down_m(rest * sl[i].weight / wsum);
		sl[i].dist = sl[i].dist > c ? c : sl[i].dist < lo ? lo :
		    sl[i].dist;
		sum += sl[i].dist;
	}
	settle(sl, n, rest - sum, lo, cap);
}

/* The long run a full week w would hold. */
static int
week_long(const struct layout *ly, int w)
{
	const struct schedule *s = ly->sch;

	if (s->longm[w - 1] > 0)
		return s->longm[w - 1];
	return w > s->full_pre ? s->l_peak : s->l0;
}

/* Lays out week w at its schedule volume; returns its slots, by date. */
static int
lay_week(const struct layout *ly, int w, struct slot *sl)
{
	int n = week_slots(ly, w, sl), i, l = week_long(ly, w), k = 0;
	struct slot others[PLAN_MAX_RUNS];
	int rest = ly->sch->vref[w - 1] - l;

	for (i = 0; i < n; i++)
		if (sl[i].role == ROLE_LONG)
			sl[i].dist = l;
		else
			others[k++] = sl[i];
	plan_share(others, k, rest > 0 ? rest : 0, PLAN_MIN_RUN_M, l);
	for (i = 0, k = 0; i < n; i++)
		if (sl[i].role != ROLE_LONG)
			sl[i] = others[k++];
	return n;
}

void
plan_lay_weeks(struct layout *ly)
{
	struct slot sl[PLAN_MAX_RUNS];
	int w, n, i;

	ly->slots = xcalloc((size_t)ly->sch->nweeks * PLAN_MAX_RUNS + 1,
	    sizeof(*ly->slots));
	ly->nslots = 0;
	for (w = 1; w <= ly->sch->nweeks; w++) {
		n = lay_week(ly, w, sl);
		for (i = 0; i < n; i++)
			if (sl[i].date < ly->in->race_date)
				ly->slots[ly->nslots++] = sl[i];
	}
}
