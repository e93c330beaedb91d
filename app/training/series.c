/*
 * training/series: see series.h.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/load.h"
#include "training/scoring.h"
#include "training/series.h"

/* Runs' loads of days from..to: stored, or scored now (thresholds read
 * only when one is not). */
static int
runs_between(struct db *db, arena_t *a, const char *user_id, date_t from,
    date_t to, struct fitness_load **out)
{
	struct fitness_day_run	*r;
	struct fitness_profile	 f;
	struct load_thresholds	 th;
	double			 vdot;
	int			 i, n, lthr;
	bool			 have = false;

	*out = NULL;
	if (from > to)
		return 0;
	if ((n = fitness_day_runs(db, a, user_id, from, to, &r)) < 0)
		return -1;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		if (r[i].tss < 0 && !have) {
			if (fitness_load_profile(db, user_id, &f) == -1)
				return -1;
			th = training_thresholds(&f, &vdot, &lthr);
			have = true;
		}
		(*out)[i].date = r[i].date;
		(*out)[i].tss = r[i].tss >= 0 ? r[i].tss :
		    load_run(&th, &r[i].run).tss;
	}
	return n;
}

/* The stored days (seed first) and the runs after them as loads. */
static int
from_stored(struct db *db, arena_t *a, const char *user_id, date_t today,
    const struct fitness_stored_day *d, int nd, struct fitness_input *in)
{
	struct fitness_load	*after, *l;
	int			 i, na;

	if ((na = runs_between(db, a, user_id, d[nd - 1].day + 1, today,
	    &after)) < 0)
		return -1;
	l = arena_alloc(a, sizeof(*l) * (size_t)(nd + na + 1));
	for (i = 1; i < nd; i++)
		l[i - 1] = (struct fitness_load){ d[i].day, d[i].load };
	if (na > 0)
		memcpy(l + nd - 1, after, sizeof(*l) * (size_t)na);
	in->done = l;
	in->ndone = (size_t)(nd - 1 + na);
	in->seed = FITNESS_SEED_GIVEN;
	in->start = d[0].day + 1 <= today ? d[0].day + 1 : today;
	in->ctl0 = d[0].ctl;
	in->atl0 = d[0].atl;
	return 0;
}

/* The planned workouts' loads, after today up to the race. */
static void
planned(arena_t *a, const struct fitness_ahead *x, struct fitness_input *in)
{
	struct fitness_load	*l = arena_alloc(a, sizeof(*l) *
	    (x->nworkouts + 1));
	size_t			 i;

	for (i = 0; i < x->nworkouts; i++)
		l[i] = (struct fitness_load){ x->workouts[i].date,
		    load_planned((enum workout_type)x->workouts[i].type,
		    x->workouts[i].duration_s) };
	in->planned = l;
	in->nplanned = x->nworkouts;
}

int
training_fitness_load(struct db *db, arena_t *a, const char *user_id,
    date_t today, date_t from, enum weekday first,
    struct training_fitness *t)
{
	struct fitness_input	 in;
	struct fitness_stored_day *d;
	struct fitness_load	*l;
	int			 nd, n;

	memset(t, 0, sizeof(*t));
	memset(&in, 0, sizeof(in));
	t->today = in.today = in.end = today;
	from = (from < today ? from : today) - TRAINING_RAMP_DAYS;
	if (fitness_plan_ahead(db, a, user_id, today, &t->ahead) == -1 ||
	    (nd = fitness_stored_days(db, a, user_id, from, &d)) < 0)
		return -1;
	if ((t->stored = nd > 0)) {
		if (from_stored(db, a, user_id, today, d, nd, &in) == -1)
			return -1;
	} else {
		if ((n = runs_between(db, a, user_id, from - FITNESS_SEED_DAYS,
		    today, &l)) < 0)
			return -1;
		in.done = l;
		in.ndone = (size_t)n;
		in.seed = FITNESS_SEED_WARM;
	}
	t->has_race = t->ahead.plan_id != NULL && t->ahead.race_date > today &&
	    t->ahead.race_date - today < FITNESS_MAX_DAYS;
	if (t->has_race) {
		in.end = t->ahead.race_date;
		planned(a, &t->ahead, &in);
	}
	if (fitness_compute(&in, &t->series) != 0)
		return -1;
	t->weeks = fitness_weeks(&t->series, first, &t->nweeks);
	return 0;
}

void
training_fitness_free(struct training_fitness *t)
{
	fitness_free(&t->series);
	free(t->weeks);
	t->weeks = NULL;
	t->nweeks = 0;
}
