/*
 * fitness: CTL, ATL and TSB as daily series (see fitness.h and
 * docs/training-load.md).  One pass to bin the loads by day, one pass of
 * the two exponentially weighted averages: O(runs + days).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fitness.h"

static double
clean_load(double tss)
{
	if (!isfinite(tss) || tss < 0)
		return 0;
	return tss;
}

/* The first day of the series: the earliest run, never before the limit. */
static date_t
first_day(const struct fitness_input *in)
{
	date_t	 first = in->today, limit = in->end - FITNESS_MAX_DAYS + 1;
	size_t	 i;

	for (i = 0; i < in->ndone; i++)
		if (in->done[i].date < first && in->done[i].date >= limit)
			first = in->done[i].date;
	return first;
}

static void
bin_loads(struct fitness_series *s, const struct fitness_load *l, size_t n,
    date_t from, date_t to)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].date >= from && l[i].date <= to)
			s->days[l[i].date - s->first].load +=
			    clean_load(l[i].tss);
}

/* The average daily load of the first weeks of history. */
static double
warm_seed(const struct fitness_series *s)
{
	int	 i, n = s->today + 1;
	double	 sum = 0;

	if (n > FITNESS_SEED_DAYS)
		n = FITNESS_SEED_DAYS;
	for (i = 0; i < n; i++)
		sum += s->days[i].load;
	return sum / n;
}

static void
run_averages(struct fitness_series *s)
{
	double	 kc = 1 - exp(-1.0 / FITNESS_CTL_DAYS);
	double	 ka = 1 - exp(-1.0 / FITNESS_ATL_DAYS);
	double	 ctl = s->ctl0, atl = s->atl0;
	int	 i;

	for (i = 0; i < s->ndays; i++) {
		struct fitness_day *d = &s->days[i];

		if (d->load > FITNESS_DAY_MAX_LOAD)
			d->load = FITNESS_DAY_MAX_LOAD;
		d->tsb = ctl - atl;
		ctl += kc * (d->load - ctl);
		atl += ka * (d->load - atl);
		d->ctl = ctl;
		d->atl = atl;
	}
}

int
fitness_compute(const struct fitness_input *in, struct fitness_series *s)
{
	memset(s, 0, sizeof(*s));
	if (in->end < in->today || in->end - in->today >= FITNESS_MAX_DAYS ||
	    (in->seed == FITNESS_SEED_GIVEN && (in->start > in->today ||
	    in->end - in->start >= FITNESS_MAX_DAYS)))
		return -1;
	s->first = in->seed == FITNESS_SEED_GIVEN ? in->start : first_day(in);
	s->ndays = in->end - s->first + 1;
	s->today = in->today - s->first;
	s->days = calloc((size_t)s->ndays, sizeof(*s->days));
	if (s->days == NULL)
		abort();	/* as buf.c: workers are respawned */
	bin_loads(s, in->done, in->ndone, s->first, in->today);
	bin_loads(s, in->planned, in->nplanned, in->today + 1, in->end);
	if (in->seed == FITNESS_SEED_WARM && s->today >= 0)
		s->ctl0 = s->atl0 = warm_seed(s);
	if (in->seed == FITNESS_SEED_GIVEN) {
		s->ctl0 = isfinite(in->ctl0) && in->ctl0 > 0 ? in->ctl0 : 0;
		s->atl0 = isfinite(in->atl0) && in->atl0 > 0 ? in->atl0 : 0;
	}
	run_averages(s);
	return 0;
}

void
fitness_free(struct fitness_series *s)
{
	free(s->days);
	memset(s, 0, sizeof(*s));
}

const struct fitness_day *
fitness_at(const struct fitness_series *s, date_t d)
{
	if (s->days == NULL || d < s->first || d >= s->first + s->ndays)
		return NULL;
	return &s->days[d - s->first];
}

/* CTL at the end of day index i; the seed before the series. */
static double
ctl_at(const struct fitness_series *s, int i)
{
	return i < 0 ? s->ctl0 : s->days[i].ctl;
}

double
fitness_ramp(const struct fitness_series *s, date_t d)
{
	int i = d - s->first;

	if (s->days == NULL || i < 0 || i >= s->ndays)
		return 0;
	return s->days[i].ctl - ctl_at(s, i - 7);
}

enum fitness_ramp_level
fitness_ramp_level(double ramp)
{
	if (ramp > FITNESS_RAMP_TOO_FAST)
		return RAMP_TOO_FAST;
	if (ramp > FITNESS_RAMP_HIGH)
		return RAMP_HIGH;
	return RAMP_OK;
}

/* Fills week w from day index lo to hi (inclusive, within the series). */
static void
fill_week(const struct fitness_series *s, struct fitness_week *w, int lo,
    int hi)
{
	int i;

	w->ndays = hi - lo + 1;
	w->load = 0;
	for (i = lo; i <= hi; i++)
		w->load += s->days[i].load;
	w->ctl_end = s->days[hi].ctl;
	/* A partial week is compared with the CTL a whole week before. */
	w->ramp = w->ctl_end - ctl_at(s, hi - 7);
	w->level = fitness_ramp_level(w->ramp);
	w->projected = hi > s->today;
}

struct fitness_week *
fitness_weeks(const struct fitness_series *s, enum weekday first, size_t *n)
{
	struct fitness_week	*w;
	date_t			 start = date_week_start(s->first, first);
	size_t			 count, k;
	int			 lo, hi;

	*n = 0;
	if (s->days == NULL || s->ndays <= 0)
		return NULL;
	count = (size_t)((s->first + s->ndays - 1 - start) / 7 + 1);
	if ((w = calloc(count, sizeof(*w))) == NULL)
		abort();
	for (k = 0; k < count; k++) {
		w[k].start = start + (date_t)(7 * k);
		lo = w[k].start - s->first;
		hi = lo + 6;
		fill_week(s, &w[k], lo < 0 ? 0 : lo,
		    hi >= s->ndays ? s->ndays - 1 : hi);
	}
	*n = count;
	return w;
}
