/*
 * plan_taper: the days before the race, counted back from race day.
 *
 * The taper is a number of days (the profile's: 7 for a 5K up to 21 for
 * a marathon), whatever weekday the race falls on and whichever day the
 * runner's week starts.  Within it:
 *   - the last 2 days: rest, or a short shake-out (3 km the eve with 6-7
 *     runs a week, 4 km two days out with 4 or more);
 *   - one short sharpening session 3-5 days out keeps the intensity;
 *   - no long run closer than the profile's last_long_days (8 to 14), a
 *     shortened one (80% of the peak, under 30 km) before that, and a
 *     30 km+ long run only 21 days out or more;
 *   - the rest of the volume follows a target: half marathon and longer,
 *     the last 14 days hold one peak week (a 50% cut, Bosquet 2007's
 *     41-60%) and days 15-21 80% of one; shorter races, half a peak
 *     week in the last 7 days and three quarters of a week's worth
 *     before.  It is shared by the days actually there, falling towards
 *     the race, so a long-run day on the race's eve is simply rest,
 *     never spread over the other runs.
 */
#include <math.h>

#include "domain/plan_internal.h"

#define BAND_DAYS		14	/* the Bosquet window */
#define BAND_SHARE		1.00	/* of a peak week over those 14 days */
#define WEEK3_SHARE		0.80	/* days 15-21, of a peak week */
#define SHORT_TAPER_SHARE	0.50	/* shorter tapers: the last 7 days */
#define LONG_TAPER_SHARE	0.80	/* shortened long run, of the peak */
#define STEADY_SHARE		0.60	/* the long-run day too close: at most */
#define SHARPEN_SHARE		0.15	/* of the peak week ... */
#define SHARPEN_MAX_M		8000	/* ... at most: a short session */
#define FALL_LAST_WEEK		0.45	/* relative day weights: race week */
#define FALL_WEEK2		0.75	/* days 8-14 */

static int
in_taper(const struct layout *ly, const struct slot *s)
{
	return s->shown && s->days_out <= ly->prof->taper_days;
}

/* The run-length cap in the last 7 days: a fifth of the peak week. */
static int
race_week_cap(const struct layout *ly)
{
	int cap = round_down_m(ly->sch->v_peak * TAPER_RUN_SHARE);

	return cap < PLAN_MIN_RUN_M ? PLAN_MIN_RUN_M : cap;
}

/* The sharpener: 4, else 3, else 5 days out; -1 if none (cannot be). */
static int
pick_sharpener(const struct layout *ly)
{
	static const int pref[] = { 4, 3, 5 };
	size_t k;
	int i;

	for (k = 0; k < sizeof(pref) / sizeof(pref[0]); k++)
		for (i = 0; i < ly->nslots; i++)
			if (ly->slots[i].shown &&
			    ly->slots[i].days_out == pref[k])
				return i;
	return -1;
}

/* The sharpener's day: a share of the peak week, room for its reps. */
static int
sharpener_m(const struct layout *ly)
{
	int v = ly->sch->v_peak, d = round_near_m(v * SHARPEN_SHARE);
	int hi = round_down_m(v * TAPER_RUN_SHARE);
	int lo = round_up_m(plan_sess_min_m(plan_sharpener(ly->prof),
	    ly->in->unit, PLAN_WARMUP_M));

	lo = lo < PLAN_SHARPEN_MIN_M ? PLAN_SHARPEN_MIN_M : lo;
	hi = hi > SHARPEN_MAX_M ? SHARPEN_MAX_M : hi;
	hi = hi < lo ? lo : hi;
	return d < lo ? lo : d > hi ? hi : d;
}

/* The last two days: rest or a short shake-out. */
static void
shakeout(const struct layout *ly, struct slot *s)
{
	int runs = ly->in->runs_per_week;

	s->kind = SK_SHAKEOUT;
	s->dist = s->days_out == 1 ? (runs >= 6 ? PLAN_SHAKEOUT_M : 0) :
	    runs >= 4 ? PLAN_SHAKEOUT2_M : 0;
}

/* The long-run day inside the taper. */
static void
long_day(const struct layout *ly, struct slot *s)
{
	int peak = ly->sch->l_peak, d;

	if (s->days_out < ly->prof->last_long_days) {
		s->kind = SK_STEADY;
		s->cap = round_down_m(peak * STEADY_SHARE);
		return;
	}
	s->kind = SK_LONG_TAPER;
	d = s->days_out >= LONG_30K_DAYS ? peak :
	    round_near_m(peak * LONG_TAPER_SHARE);
	if (s->days_out < LONG_30K_DAYS && d >= LONG_30K_M)
		d = LONG_30K_M - PLAN_ROUND_M;
	s->dist = d < s->dist ? d : s->dist;
}

/* Kind, fixed distance or cap of every slot in the taper. */
static void
classify(struct layout *ly)
{
	int i, sharp = pick_sharpener(ly), cap7 = race_week_cap(ly);
	struct slot *s;

	for (i = 0; i < ly->nslots; i++) {
		s = &ly->slots[i];
		if (!in_taper(ly, s))
			continue;
		s->cap = s->dist;	/* never longer than in a peak week */
		if (s->days_out <= 2)
			shakeout(ly, s);
		else if (i == sharp) {
			s->kind = SK_SHARPEN;
			s->dist = sharpener_m(ly);
		} else if (s->role == ROLE_LONG)
			long_day(ly, s);
		else
			s->kind = SK_TAPER;
		if (s->days_out <= 7 && s->cap > cap7)
			s->cap = cap7;
		if (s->cap < PLAN_MIN_RUN_M)
			s->cap = PLAN_MIN_RUN_M;
	}
}

/*
 * A low-volume runner's fixed days may hold more than the window's
 * target: the shake-outs go first (two days out, then the eve).
 */
static int
spare_shakeouts(struct layout *ly, int lo, int hi, int fixed, int target)
{
	int i, d;

	for (d = 2; d >= 1 && fixed > target; d--)
		for (i = 0; i < ly->nslots; i++) {
			struct slot *s = &ly->slots[i];

			if (s->kind == SK_SHAKEOUT && s->days_out == d &&
			    d > lo && d <= hi && in_taper(ly, s)) {
				fixed -= s->dist;
				s->dist = 0;
			}
		}
	return fixed;
}

/* Relative size of a taper day: falling towards the race. */
static double
fall(int days_out)
{
	if (days_out <= 7)
		return FALL_LAST_WEEK * days_out / 5.0;
	return days_out <= BAND_DAYS ? FALL_WEEK2 : 1.0;
}

static int
adjustable(const struct slot *s)
{
	return s->kind == SK_TAPER || s->kind == SK_STEADY;
}

/* Shares target over the adjustable days of (lo..hi] days out. */
static void
fill_window(struct layout *ly, int lo, int hi, int target)
{
	struct slot *sl = ly->slots, win[PLAN_MAX_WEEKS * PLAN_MAX_RUNS];
	int i, n = 0, fixed = 0, k;

	for (i = 0; i < ly->nslots; i++) {
		if (!in_taper(ly, &sl[i]) || sl[i].days_out <= lo ||
		    sl[i].days_out > hi)
			continue;
		if (!adjustable(&sl[i])) {
			fixed += sl[i].dist;
			continue;
		}
		win[n] = sl[i];
		win[n].weight = sl[i].weight * sl[i].cap * fall(sl[i].days_out);
		n++;
	}
	fixed = spare_shakeouts(ly, lo, hi, fixed, target);
	target = round_down_m(target - fixed);
	plan_share(win, n, target > 0 ? target : 0, PLAN_MIN_RUN_M,
	    PLAN_MAX_WEEKLY_M);
	for (i = 0, k = 0; i < ly->nslots && k < n; i++)
		if (in_taper(ly, &sl[i]) && sl[i].days_out > lo &&
		    sl[i].days_out <= hi && adjustable(&sl[i]))
			sl[i].dist = win[k++].dist;
}

/* Within each week, no run longer than its long run. */
static void
cap_at_long(struct layout *ly)
{
	int i, j;

	for (i = 0; i < ly->nslots; i++) {
		const struct slot *l = &ly->slots[i];

		if (l->role != ROLE_LONG || l->dist == 0 ||
		    (l->kind != SK_NORMAL && l->kind != SK_LONG_TAPER))
			continue;
		for (j = 0; j < ly->nslots; j++)
			if (j != i && ly->slots[j].week == l->week &&
			    ly->slots[j].dist > l->dist)
				ly->slots[j].dist = l->dist;
	}
}

void
plan_lay_taper(struct layout *ly)
{
	int t = ly->prof->taper_days, v = ly->sch->v_peak;

	classify(ly);
	if (t >= BAND_DAYS) {
		fill_window(ly, 0, BAND_DAYS, round_near_m(v * BAND_SHARE));
		fill_window(ly, BAND_DAYS, t,
		    round_near_m(v * WEEK3_SHARE * (t - BAND_DAYS) / 7.0));
	} else {
		fill_window(ly, 0, 7, round_near_m(v * SHORT_TAPER_SHARE));
		fill_window(ly, 7, t, round_near_m(v * FALL_WEEK2 * (t - 7) /
		    7.0));
	}
	cap_at_long(ly);
}
