/*
 * training/scoring: the job worker's side of the training loads
 * (docs/training-load.md): the runner's thresholds, each run scored
 * (domain/load.h) and stored (db/fitness.h), and the fitness series over
 * the whole history stored for the pages (fitness_days).
 *
 * A run is scored again when it changed; every run when the thresholds
 * did (a new plan VDOT, heart rates in settings).  Idempotent: run it as
 * often as the queue delivers it.
 */
#ifndef CADENCE_TRAINING_SCORING_H
#define CADENCE_TRAINING_SCORING_H

#include "core/arena.h"
#include "db/fitness.h"
#include "domain/load.h"

struct db;

/*
 * The thresholds of f's runner: pace from the active plan's VDOT (else
 * the profile's recent race), heart rate as given (else 90 % of max).
 * The VDOT and threshold heart rate used into *vdot and *lthr.
 */
struct load_thresholds training_thresholds(const struct fitness_profile *f,
	    double *vdot, int *lthr);
/*
 * Scores a run as stored (its laps, else its per-km splits, shared out
 * when they cover the run); a non-run scores 0 (LOAD_NONE).
 */
struct load_score training_score(arena_t *, const struct load_thresholds *,
	    const struct load_run *, const struct run_splits *, bool is_run);

struct training_rescore {
	int		 scored;	/* runs scored now */
	int		 days;		/* days of the stored series */
	date_t		 today;
};
/*
 * Scores user_id's stale runs and stores their fitness series up to the
 * runner's today.  0, or -1 on a database error.
 */
int	training_rescore(struct db *, arena_t *, const char *user_id,
	    struct training_rescore *);

#endif
