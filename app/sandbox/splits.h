/*
 * splits: a detailed activity's laps, splits_metric and splits_standard
 * as Strava sends them (GET /activities/{id}), made up from the
 * activity's own figures: a steady run with a little drift, a workout
 * (workout_type 3) as warm-up, five fast reps with jogs, and cool-down.
 * Deterministic: the same activity gives the same laps.  The times add
 * up to its moving time, the distances to its distance.
 */
#ifndef SANDBOX_SPLITS_H
#define SANDBOX_SPLITS_H

#include <jansson.h>

#include "sandbox/store.h"

/* Adds "laps", "splits_metric" and "splits_standard" to j. */
void	 sb_activity_add_splits(json_t *j, const struct sb_activity *);

#endif
