/*
 * adapt: detection of the reasons to adapt a plan, the basis of a
 * re-plan, and the re-plan itself (see adapt.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/adapt.h"
#include "domain/plan_internal.h"
#include "domain/units.h"
#include "domain/vdot.h"

#define PROGRESS_WEEKS		5	/* plan_gen.c: +1 VDOT per 5 weeks */
#define PROGRESS_MAX		2

static const char *const reason_keys[ADAPT__MAX] = {
	"low_week", "missed_key", "break", "fitness", "manual",
};

const char *
adapt_reason_key(enum adapt_reason r)
{
	return (unsigned)r < ADAPT__MAX ? reason_keys[r] : "manual";
}

static void
append(char *out, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
append(char *out, size_t n, const char *fmt, ...)
{
	size_t	len = strnlen(out, n);
	va_list	ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

static bool
is_key(enum workout_type t)
{
	return t == WORKOUT_LONG || t == WORKOUT_INTERVALS ||
	    t == WORKOUT_TEMPO;
}

/* Metres run on the days from..to. */
static long
run_between(const struct adapt_input *in, date_t from, date_t to)
{
	long	 m = 0;
	size_t	 i;

	for (i = 0; i < in->nruns; i++)
		if (in->runs[i].date >= from && in->runs[i].date <= to &&
		    in->runs[i].distance_m > 0)
			m += in->runs[i].distance_m;
	return m;
}

/* The last day with a run up to day `to`; false when there is none. */
static bool
last_run(const struct adapt_input *in, date_t to, date_t *out)
{
	bool	 found = false;
	size_t	 i;

	*out = 0;
	for (i = 0; i < in->nruns; i++)
		if (in->runs[i].date <= to && in->runs[i].distance_m > 0 &&
		    (!found || in->runs[i].date > *out)) {
			*out = in->runs[i].date;
			found = true;
		}
	return found;
}

static void
add_key(struct adapt_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_key(struct adapt_finding *f, const char *fmt, ...)
{
	size_t	len = strlen(f->key);
	va_list	ap;

	if (len > 0 && len + 1 < sizeof(f->key))
		f->key[len++] = '|';
	va_start(ap, fmt);
	vsnprintf(f->key + len, sizeof(f->key) - len, fmt, ap);
	va_end(ap);
}

/* The last full week of the plan, under ADAPT_LOW_SHARE of its distance. */
static void
find_low_week(const struct adapt_input *in, struct adapt_finding *f)
{
	date_t	 w0 = date_week_start(in->today, in->first_day) - 7;
	long	 planned = 0, actual;
	size_t	 i;
	char	 d[11];

	if (w0 < in->plan_start)
		return;		/* not a whole week of the plan */
	for (i = 0; i < in->nworkouts; i++)
		if (in->workouts[i].date >= w0 && in->workouts[i].date <= w0 + 6 &&
		    in->workouts[i].type != WORKOUT_RACE)
			planned += in->workouts[i].distance_m;
	actual = run_between(in, w0, w0 + 6);
	if (planned < ADAPT_LOW_MIN_M || actual >= ADAPT_LOW_SHARE * planned)
		return;
	f->reasons |= ADAPT_BIT(ADAPT_LOW_WEEK);
	f->low_week = w0;
	f->low_planned_m = (int)planned;
	f->low_actual_m = (int)actual;
	date_format(w0, d);
	add_key(f, "low:%s", d);
}

/* Key workouts of the last ADAPT_MISSED_DAYS neither run nor marked done. */
static void
find_missed(const struct adapt_input *in, struct adapt_finding *f)
{
	char	 a[11], b[11];
	size_t	 i;

	for (i = 0; i < in->nworkouts; i++) {
		const struct adapt_workout *w = &in->workouts[i];

		if (w->date < in->today - ADAPT_MISSED_DAYS ||
		    w->date >= in->today || w->date < in->plan_start ||
		    !is_key(w->type) || w->done)
			continue;
		/* The last two, oldest first. */
		f->missed[0] = f->missed[1];
		f->missed_type[0] = f->missed_type[1];
		f->missed[1] = w->date;
		f->missed_type[1] = w->type;
		f->nmissed++;
	}
	if (f->nmissed < ADAPT_MISSED_KEYS)
		return;
	f->reasons |= ADAPT_BIT(ADAPT_MISSED_KEY);
	date_format(f->missed[0], a);
	date_format(f->missed[1], b);
	add_key(f, "missed:%s:%s", a, b);
}

/* Workouts planned on the days from..to (a rest the plan asked for is no
 * break). */
static int
planned_between(const struct adapt_input *in, date_t from, date_t to)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < in->nworkouts; i++)
		n += in->workouts[i].date >= from && in->workouts[i].date <= to;
	return n;
}

/* ADAPT_BREAK_DAYS or more days without a run, up to yesterday. */
static void
find_break(const struct adapt_input *in, struct adapt_finding *f)
{
	date_t	 last;
	int	 days, stage;
	char	 d[11];

	if (!last_run(in, in->today, &last))
		return;
	f->last_run = last;
	f->has_last_run = true;
	days = in->today - last - 1;	/* today is not over */
	if (days < ADAPT_BREAK_DAYS ||
	    planned_between(in, last + 1, in->today - 1) < 2)
		return;
	f->reasons |= ADAPT_BIT(ADAPT_BREAK);
	f->break_days = days;
	stage = days < ADAPT_BREAK_STEP_DAYS ? 1 :
	    days < ADAPT_BREAK_BASE_DAYS ? 2 : 3;
	date_format(last, d);
	add_key(f, "break:%s:%d", d, stage);
}

double
adapt_week_vdot(const struct adapt_input *in, date_t d)
{
	date_t	 w1 = date_week_start(in->plan_start, in->first_day);
	int	 done = d > w1 ? (plan_week_of(w1, d) - 1) / PROGRESS_WEEKS : 0;
	double	 v;

	if (in->now_vdot > 0)
		return in->now_vdot;
	if (in->plan_vdot <= 0)
		return 0;
	v = in->plan_vdot + (done < PROGRESS_MAX ? done : PROGRESS_MAX);
	return v > VDOT_MAX ? VDOT_MAX : v;
}

/* The runs' fitness ADAPT_VDOT_STEP from what the plan's paces use now. */
static void
find_fitness(const struct adapt_input *in, struct adapt_finding *f)
{
	double	 v, now = adapt_week_vdot(in, in->today);
	bool	 up, down;

	f->evidence = vdot_best_run(in->runs, in->nruns, in->today, &v);
	if (f->evidence < 0)
		return;
	f->runs_vdot = round(v * 10) / 10;
	if (now <= 0)
		return;
	up = f->runs_vdot >= now + ADAPT_VDOT_STEP - 1e-9;
	/* Training runs are a lower bound: they say fitness fell only against
	 * a plan whose VDOT came from runs too. */
	down = in->plan_source == VDOT_FROM_RUNS &&
	    f->runs_vdot <= now - ADAPT_VDOT_STEP + 1e-9;
	if (!up && !down)
		return;
	f->reasons |= ADAPT_BIT(ADAPT_FITNESS);
	add_key(f, "fitness:%ld", lround(f->runs_vdot * 10));
}

/* A run (or a workout marked done) within the last ADAPT_TRACKED_DAYS. */
static bool
tracked(const struct adapt_input *in)
{
	date_t last;

	return last_run(in, in->today, &last) &&
	    last >= in->today - ADAPT_TRACKED_DAYS;
}

/* The first day of the taper of in's race. */
static date_t
taper_start(const struct adapt_input *in)
{
	struct race_profile p;

	plan_profile(in->race_distance, &p);
	return in->race_date - p.taper_days;
}

void
adapt_detect(const struct adapt_input *in, struct adapt_finding *f)
{
	memset(f, 0, sizeof(*f));
	f->evidence = -1;
	if (in->days_off > 0) {
		f->reasons |= ADAPT_BIT(ADAPT_MANUAL);
		add_key(f, "manual:%d", in->days_off);
	}
	if (in->today <= in->plan_start || in->today + 1 >= taper_start(in) ||
	    !tracked(in))
		return;
	find_break(in, f);
	find_low_week(in, f);
	find_missed(in, f);
	find_fitness(in, f);
}

bool
adapt_paces_only(const struct adapt_finding *f)
{
	return f->reasons == ADAPT_BIT(ADAPT_FITNESS);
}

enum adapt_reason
adapt_main_reason(const struct adapt_finding *f)
{
	static const enum adapt_reason order[] = { ADAPT_MANUAL, ADAPT_BREAK,
	    ADAPT_LOW_WEEK, ADAPT_MISSED_KEY, ADAPT_FITNESS };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (f->reasons & ADAPT_BIT(order[i]))
			return order[i];
	return ADAPT_MANUAL;
}

/* Daniels' FVDOT-1 table: days off, factor. */
static const struct { int days; double f; } fvdot_rows[] = {
	{ 5, 1.000 }, { 6, 0.997 }, { 7, 0.994 }, { 10, 0.985 },
	{ 14, 0.973 }, { 21, 0.952 }, { 28, 0.931 }, { 35, 0.910 },
	{ 42, 0.889 }, { 49, 0.868 }, { 56, 0.847 }, { 63, 0.826 },
	{ 70, 0.805 }, { 72, 0.800 },
};

double
adapt_fvdot(int days)
{
	size_t	 i, n = sizeof(fvdot_rows) / sizeof(fvdot_rows[0]);
	double	 t;

	if (days <= fvdot_rows[0].days)
		return 1.0;
	for (i = 1; i < n; i++)
		if (days <= fvdot_rows[i].days) {
			t = (double)(days - fvdot_rows[i - 1].days) /
			    (fvdot_rows[i].days - fvdot_rows[i - 1].days);
			return fvdot_rows[i - 1].f +
			    t * (fvdot_rows[i].f - fvdot_rows[i - 1].f);
		}
	return fvdot_rows[n - 1].f;
}

void
adapt_basis(const struct adapt_input *in, const struct adapt_finding *f,
    enum phase_kind current, struct adapt_basis *b)
{
	date_t	 from = in->today - ADAPT_RECENT_DAYS + 1;
	size_t	 i;

	memset(b, 0, sizeof(*b));
	b->weekly_m = (int)(run_between(in, from, in->today) * 7 /
	    ADAPT_RECENT_DAYS);
	for (i = 0; i < in->nruns; i++)
		if (in->runs[i].date >= from && in->runs[i].date <= in->today &&
		    in->runs[i].distance_m > b->longest_m)
			b->longest_m = in->runs[i].distance_m;
	b->break_days = f->break_days > in->days_off ? f->break_days :
	    in->days_off;
	/* Daniels: the VDOT before the setback times FVDOT-1 for its days;
	 * before it, what the runs show when they moved, else the plan's. */
	b->fvdot = adapt_fvdot(b->break_days);
	b->vdot = adapt_week_vdot(in, in->today + 1);
	if ((f->reasons & ADAPT_BIT(ADAPT_FITNESS)) && f->runs_vdot > 0) {
		b->vdot = f->runs_vdot;
		b->vdot_from_runs = true;
	}
	b->vdot *= b->fvdot;
	b->vdot = b->vdot < VDOT_MIN ? 0 : round(b->vdot * 10) / 10;
	/* Friel: a week off costs a phase, more than two weeks the base. */
	b->first_phase = current > PHASE_PEAK ? PHASE_PEAK : current;
	if (b->break_days >= ADAPT_BREAK_BASE_DAYS)
		b->first_phase = PHASE_BASE;
	else if (b->break_days >= ADAPT_BREAK_STEP_DAYS &&
	    b->first_phase > PHASE_BASE)
		b->first_phase = (enum phase_kind)(b->first_phase - 1);
}

/* The first day of the first whole week from day d. */
static date_t
first_full_week(date_t d, enum weekday first)
{
	date_t ws = date_week_start(d, first);

	return ws == d ? d : ws + 7;
}

/* The generator's input for the rest of orig from day from. */
static void
replan_input(const struct plan_input *orig, const struct adapt_basis *b,
    date_t from, int cap_week_m, int cap_long_m, struct plan_input *in)
{
	*in = *orig;
	in->today = from - 1;
	in->weeks = 0;
	in->start_date = from;
	/* What was run, to 500 m below; one run a day: never more than
	 * PLAN_MAX_RUN_AVG_M a run. */
	in->weekly_distance_m = round_down_m(b->weekly_m < orig->runs_per_week *
	    PLAN_MAX_RUN_AVG_M ? b->weekly_m : orig->runs_per_week *
	    PLAN_MAX_RUN_AVG_M);
	in->longest_run_m = b->longest_m < in->weekly_distance_m ?
	    b->longest_m : in->weekly_distance_m;
	in->recent_race_distance = in->recent_race_time_s = 0;
	in->runs = NULL;
	in->nruns = 0;
	in->replan = 1;
	in->cap_week_m = cap_week_m;
	in->cap_long_m = cap_long_m;
	in->first_phase = b->first_phase;
	in->vdot = b->vdot;
}

/* The re-plan reaches the distance's minimum peak week and long run. */
static bool
ready(const struct race_profile *p, const struct plan *q)
{
	int need_long = plan_long_time_cap(p, q->vdot);

	need_long = need_long < p->ready_long_m ? need_long : p->ready_long_m;
	return q->peak_volume_m >= p->ready_week_m && q->peak_long_m >= need_long;
}

enum adapt_refusal
adapt_replan(const struct plan_input *orig, const struct adapt_basis *b,
    date_t from, int cap_week_m, int cap_long_m, struct plan_input *used,
    struct plan *out)
{
	struct race_profile	 p;
	struct plan_input	 in;
	struct plan_errors	 e;

	memset(out, 0, sizeof(*out));
	plan_profile(orig->race_distance, &p);
	/* A whole week before the taper at least, to build from. */
	if (first_full_week(from, orig->first_day) + 6 >=
	    orig->race_date - p.taper_days)
		return ADAPT_TOO_LATE;
	if (b->weekly_m < ADAPT_MIN_WEEKLY_M)
		return ADAPT_TOO_LITTLE;
	replan_input(orig, b, from, cap_week_m, cap_long_m, &in);
	/* A longest run that does not fit the week: assumed from the week. */
	if (plan_validate(&in, &e) != 0 && e.msg[PF_LONGEST_RUN][0] != '\0')
		in.longest_run_m = 0;
	if (used != NULL)
		*used = in;
	if (plan_generate(&in, out) != 0)
		return ADAPT_NO_PLAN;
	if (!ready(&p, out)) {
		plan_free(out);
		return ADAPT_NOT_READY;
	}
	return ADAPT_OK;
}

#define PEAK_WEEKS	64	/* weeks of a plan, with room */

void
adapt_peaks(const struct adapt_workout *w, size_t n, int race_distance,
    date_t race_date, enum weekday first, int *week_m, int *long_m)
{
	struct race_profile	 p;
	long			 vol[PEAK_WEEKS];
	date_t			 w0, taper;
	size_t			 i;
	int			 k;

	*week_m = *long_m = 0;
	if (n == 0)
		return;
	plan_profile(race_distance, &p);
	taper = race_date - p.taper_days;
	w0 = date_week_start(w[0].date, first);
	memset(vol, 0, sizeof(vol));
	for (i = 0; i < n; i++) {
		k = (int)((date_week_start(w[i].date, first) - w0) / 7);
		if (w[i].type == WORKOUT_RACE || k < 0 || k >= PEAK_WEEKS)
			continue;
		vol[k] += w[i].distance_m;
		if (w[i].type == WORKOUT_LONG && w[i].distance_m > *long_m)
			*long_m = w[i].distance_m;
	}
	for (k = 0; k < PEAK_WEEKS && w0 + 7 * k + 6 < taper; k++)
		if (vol[k] > *week_m)
			*week_m = (int)vol[k];
}

enum phase_kind
adapt_phase_named(const char *name)
{
	int k;

	for (k = 0; name != NULL && k < PHASE__MAX; k++)
		if (strcmp(name, phase_name((enum phase_kind)k)) == 0)
			return (enum phase_kind)k;
	return PHASE_BASE;
}

/* Adds a phase, or stretches the last one when it is of the same kind. */
static void
add_phase(struct plan_phase *out, int *n, int max, enum phase_kind k,
    int from, int to)
{
	if (to < from)
		return;
	if (*n > 0 && out[*n - 1].kind == k && out[*n - 1].end_week + 1 >= from) {
		out[*n - 1].end_week = to;
		return;
	}
	if (*n == max) {	/* keep the last ones: stretch the first back */
		memmove(out, out + 1, sizeof(*out) * (size_t)(max - 1));
		(*n)--;
		out[0].start_week = 1;
	}
	out[*n].kind = k;
	out[*n].start_week = from;
	out[*n].end_week = to;
	(*n)++;
}

int
adapt_merge_phases(const struct plan_phase *old, int nold,
    const struct plan *q, int week, struct plan_phase *out)
{
	int i, n = 0, end;

	for (i = 0; i < nold; i++) {
		end = old[i].end_week < week - 1 ? old[i].end_week : week - 1;
		add_phase(out, &n, PLAN_MAX_PHASES, old[i].kind,
		    old[i].start_week, end);
	}
	for (i = 0; i < q->nphases; i++)
		add_phase(out, &n, PLAN_MAX_PHASES, q->phases[i].kind,
		    q->phases[i].start_week + week - 1,
		    q->phases[i].end_week + week - 1);
	return n;
}

static const char *
type_words(enum workout_type t)
{
	switch (t) {
	case WORKOUT_LONG:	return "the long run";
	case WORKOUT_INTERVALS:	return "the intervals";
	case WORKOUT_TEMPO:	return "the tempo run";
	default:		return "the workout";
	}
}

/* "12 Nov" */
static void
day_words(char out[16], date_t d)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	snprintf(out, 16, "%d %s", dd, month_short(m));
}

void
adapt_evidence(char *out, size_t n, const struct run_sample *r, enum unit u)
{
	char	 dist[24], pace[24], day[16];

	units_format_distance(dist, sizeof(dist), r->distance_m, u);
	units_format_pace(pace, sizeof(pace), r->distance_m > 0 ?
	    (int)lround(r->moving_s * 1000.0 / r->distance_m) : 0, u);
	day_words(day, r->date);
	snprintf(out, n, "from your %s on %s at %s", dist, day, pace);
}

static void
describe_low(char *out, size_t n, const struct adapt_finding *f, enum unit u)
{
	char	 a[24], p[24], day[16];

	units_format_distance(a, sizeof(a), f->low_actual_m, u);
	units_format_distance(p, sizeof(p), f->low_planned_m, u);
	day_words(day, f->low_week);
	append(out, n, "In the week of %s you ran %s of the %s planned "
	    "(%d %%). ", day, a, p, f->low_planned_m > 0 ?
	    (int)(100L * f->low_actual_m / f->low_planned_m) : 0);
}

void
adapt_describe(char *out, size_t n, const struct adapt_finding *f,
    const struct run_sample *runs, enum unit u)
{
	char	 d1[16], d2[16], ev[96];

	if (n > 0)
		out[0] = '\0';
	if (f->reasons & ADAPT_BIT(ADAPT_MANUAL))
		append(out, n, "You asked to adjust the plan. ");
	if (f->reasons & ADAPT_BIT(ADAPT_BREAK)) {
		day_words(d1, f->last_run);
		append(out, n, "You have not run for %d days (since %s). ",
		    f->break_days, d1);
	}
	if (f->reasons & ADAPT_BIT(ADAPT_LOW_WEEK))
		describe_low(out, n, f, u);
	if (f->reasons & ADAPT_BIT(ADAPT_MISSED_KEY)) {
		day_words(d1, f->missed[0]);
		day_words(d2, f->missed[1]);
		append(out, n, "You missed %d key workouts, among them %s of "
		    "%s and %s of %s. ", f->nmissed,
		    type_words(f->missed_type[0]), d1,
		    type_words(f->missed_type[1]), d2);
	}
	if ((f->reasons & ADAPT_BIT(ADAPT_FITNESS)) && f->evidence >= 0 &&
	    runs != NULL) {
		adapt_evidence(ev, sizeof(ev), &runs[f->evidence], u);
		append(out, n, "Your runs show a fitness of VDOT %.1f (%s). ",
		    f->runs_vdot, ev);
	}
	n = strnlen(out, n);
	if (n > 0 && out[n - 1] == ' ')
		out[n - 1] = '\0';
}

void
adapt_describe_basis(char *out, size_t n, const struct adapt_basis *b,
    enum unit u)
{
	char	 w[24], l[24];

	units_format_distance(w, sizeof(w), b->weekly_m, u);
	units_format_distance(l, sizeof(l), b->longest_m, u);
	snprintf(out, n, "The new weeks start from what you ran over the last "
	    "4 weeks: %s a week on average, a longest run of %s", w, l);
	if (b->vdot > 0)
		append(out, n, ", at a fitness of VDOT %.1f (%s%s)", b->vdot,
		    b->vdot_from_runs ? "from your runs" : "the plan's",
		    b->fvdot < 1 ? ", allowing for the days off" : "");
	append(out, n, ". They grow by at most 10 %% a week, never past the "
	    "original plan, and keep its taper.");
}
