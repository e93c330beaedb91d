/*
 * publish: the plan's workouts of the next DB_GARMIN_PUBLISH_DAYS days on
 * the runner's Garmin Connect calendar (Training API V2: a workout of
 * structured steps, then a schedule for its day), as the job kind
 * garmin.publish, queued by database triggers whenever the plan changes
 * and when a runner connects (sql/023).
 *
 * What was sent is remembered per workout with a hash of the workout's
 * JSON and day: the same hash is left alone, another one (edited, moved)
 * is deleted at Garmin and published again, a workout no longer in the
 * window (deleted, skipped, moved away) is deleted at Garmin; days gone
 * by are left as they are.  A failure (429, 5xx, no answer) is retried
 * by the job queue and shown on settings until a publication succeeds.
 */
#ifndef CADENCE_GARMIN_PUBLISH_H
#define CADENCE_GARMIN_PUBLISH_H

#define GARMIN_KIND_PUBLISH	"garmin.publish"

/* Registers garmin.publish with the job workers. */
void	garmin_publish_register(void);

#endif
