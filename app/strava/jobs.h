/*
 * strava/jobs: Strava's work in the job workers (jobs/job_worker.h).
 * Two kinds of the job queue: "strava.event", a webhook event
 * (strava/webhook_queue.h), and "strava.import", a runner's history
 * import (strava/import.h).  And one source of chores: first the spool
 * replayed into the queue (events that arrived while PostgreSQL was
 * down), after the queue's jobs the resyncs and retention
 * (strava/webhook_housekeeping.h) and the raw-data clean-up.  Also sets
 * the webhook handler's hooks to the Strava client (strava/fetch.h).
 */
#ifndef CADENCE_STRAVA_JOBS_H
#define CADENCE_STRAVA_JOBS_H

#define STRAVA_SPOOL_BATCH	256	/* spool files replayed per pass */

/* Before the job workers start (cadence serve, cadence worker). */
void	strava_jobs_register(void);

#endif
