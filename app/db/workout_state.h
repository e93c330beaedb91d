/*
 * workout_state: the older names of workouts_refresh_state() and
 * workouts_refresh_state_for_activity() (db/workouts.h), which now own
 * completed_at.  Pending: only strava/ (connection.c, sync.c) still
 * includes this header; it goes when strava/ is converted to db/ modules.
 */
#ifndef CADENCE_WORKOUT_STATE_H
#define CADENCE_WORKOUT_STATE_H

#include "db/workouts.h"

static inline int
workout_state_refresh(struct db *db, const char *workout_id)
{
	return workouts_refresh_state(db, workout_id);
}

static inline int
workout_state_refresh_for_activity(struct db *db, const char *activity_id)
{
	return workouts_refresh_state_for_activity(db, activity_id);
}

#endif
