/*
 * workout_state: keeps workouts.completed_at in agreement with what
 * completes a workout: its matched activities (workout_completions) or a
 * hand mark (manual_status 'done').  Every change to completions or to
 * manual_status calls this in the same transaction, so the two never
 * disagree.
 */
#ifndef CADENCE_WORKOUT_STATE_H
#define CADENCE_WORKOUT_STATE_H

struct db;

/* Re-derives completed_at of one workout; -1 on a database error. */
int	workout_state_refresh(struct db *, const char *workout_id);
/* The same for every workout a Strava activity (UUID) is matched to. */
int	workout_state_refresh_for_activity(struct db *, const char *activity_id);

#endif
