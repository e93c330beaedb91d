/*
 * training/series: the runner's fitness, fatigue and form as the pages
 * show them (/fitness, the dashboard): the stored series of the days
 * shown (db/fitness.h's fitness_days, which the job worker keeps from the
 * whole history), gone on from with the runs since it was stored, and
 * projected through the active plan's workouts to race day.  The cost
 * follows the window shown, not the history: one query for the days,
 * one for the plan ahead, two more for runs the job has not seen yet,
 * and without any stored day (a new runner), the runs of the window and
 * FITNESS_SEED_DAYS before it with a warm start meanwhile.
 */
#ifndef CADENCE_TRAINING_SERIES_H
#define CADENCE_TRAINING_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "db/fitness.h"
#include "domain/fitness.h"

#define TRAINING_RAMP_DAYS	7	/* loaded before the window: its ramps */

struct db;

struct training_fitness {
	date_t			 today;
	struct fitness_ahead	 ahead;		/* plan_id NULL: no active plan */
	bool			 has_race;	/* projected to the race */
	struct fitness_series	 series;	/* free: training_fitness_free */
	struct fitness_week	*weeks;		/* calendar weeks of it */
	size_t			 nweeks;
	bool			 stored;	/* from the stored series */
};

/*
 * Loads user_id's series for the days from `from` (clamped to today) to
 * today and the plan ahead.  0, or -1 on a database error.
 */
int	training_fitness_load(struct db *, arena_t *, const char *user_id,
	    date_t today, date_t from, enum weekday first,
	    struct training_fitness *);
void	training_fitness_free(struct training_fitness *);

#endif
