/*
 * training/scoring: see scoring.h.
 */
#include <math.h>
#include <string.h>

#include "domain/fitness.h"
#include "domain/vdot.h"
#include "training/scoring.h"

struct load_thresholds
training_thresholds(const struct fitness_profile *f, double *vdot, int *lthr)
{
	struct load_athlete a;

	memset(&a, 0, sizeof(a));
	a.vdot = f->plan_vdot;
	if (a.vdot <= 0 && f->race_m >= 1500 && f->race_s > 0)
		a.vdot = vdot_from_race(f->race_m, f->race_s);
	if (a.vdot < VDOT_MIN || a.vdot > VDOT_MAX)
		a.vdot = 0;
	a.vdot = round(a.vdot * 10) / 10;
	a.threshold_hr = f->threshold_hr;
	a.max_hr = f->max_hr;
	*vdot = a.vdot;
	*lthr = load_threshold_hr(&a);
	return load_thresholds(&a);
}

struct load_score
training_score(arena_t *ar, const struct load_thresholds *th,
    const struct load_run *run, const struct run_splits *s, bool is_run)
{
	const struct split_input	*seg = s->nlaps > 0 ? s->laps : s->metric;
	size_t				 i, n = s->nlaps > 0 ? s->nlaps :
	    s->nmetric;
	struct load_segment		*ls;
	struct load_run			 r = *run;
	struct load_score		 none = { 0, 0, LOAD_NONE };

	if (!is_run)
		return none;
	if (n > 0) {
		ls = arena_alloc(ar, sizeof(*ls) * n);
		for (i = 0; i < n; i++) {
			ls[i].distance_m = seg[i].distance_m;
			ls[i].moving_s = seg[i].moving_s;
		}
		r.segments = ls;
		r.nsegments = n;
	}
	return load_run(th, &r);
}

/* The loads of every day of the history: stored, or scored meanwhile. */
static int
history(struct db *db, arena_t *a, const char *user_id, date_t today,
    const struct load_thresholds *th, struct fitness_load **out)
{
	struct fitness_day_run	*runs;
	int			 i, n;

	if ((n = fitness_day_runs(db, a, user_id, today - FITNESS_MAX_DAYS + 1,
	    today, &runs)) < 0)
		return -1;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		(*out)[i].date = runs[i].date;
		(*out)[i].tss = runs[i].tss >= 0 ? runs[i].tss :
		    load_run(th, &runs[i].run).tss;
	}
	return n;
}

/* The whole history's series, stored for the pages. */
static int
store_series(struct db *db, arena_t *a, const char *user_id, date_t today,
    const struct load_thresholds *th, int *days)
{
	struct fitness_input	 in;
	struct fitness_series	 s;
	struct fitness_load	*loads;
	int			 n, rc;

	if ((n = history(db, a, user_id, today, th, &loads)) < 0)
		return -1;
	memset(&in, 0, sizeof(in));
	in.done = loads;
	in.ndone = (size_t)n;
	in.today = in.end = today;
	in.seed = FITNESS_SEED_WARM;
	if (fitness_compute(&in, &s) != 0)
		return -1;
	*days = s.today + 1;
	rc = fitness_store_series(db, user_id, &s);
	fitness_free(&s);
	return rc;
}

int
training_rescore(struct db *db, arena_t *a, const char *user_id,
    struct training_rescore *st)
{
	struct fitness_profile	 f;
	struct fitness_score_row *rows;
	struct load_thresholds	 th;
	struct load_score	*scores;
	double			 vdot;
	int			 lthr, i, n;
	bool			 all;

	memset(st, 0, sizeof(*st));
	if ((n = fitness_load_profile(db, user_id, &f)) != 1)
		return n == 0 ? 0 : -1;	/* deleted meanwhile: nothing to do */
	st->today = f.today;
	th = training_thresholds(&f, &vdot, &lthr);
	all = !f.scored || fabs(f.scored_vdot - vdot) > 0.05 ||
	    f.scored_hr != lthr;
	if ((n = fitness_rows_to_score(db, a, user_id, all, &rows)) < 0)
		return -1;
	scores = arena_alloc(a, sizeof(*scores) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		scores[i] = training_score(a, &th, &rows[i].run, &rows[i].splits,
		    rows[i].is_run);
	if (fitness_store_scores(db, user_id, rows, scores, (size_t)n, vdot,
	    lthr) == -1)
		return -1;
	st->scored = n;
	return store_series(db, a, user_id, f.today, &th, &st->days);
}
