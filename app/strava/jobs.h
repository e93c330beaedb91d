/*
 * strava/jobs: Strava's work in the job workers (jobs/job_worker.h),
 * registered as one source: first the spool replayed into the database
 * and the webhook events (strava/webhook_queue.h), ahead of the job
 * queue's kinds, so a runner's new run shows soon; after them the
 * resyncs and retention (strava/webhook_housekeeping.h) and the history
 * imports (strava/import.h).  Also sets the webhook queue's hooks to the
 * Strava client (strava/fetch.h).
 */
#ifndef CADENCE_STRAVA_JOBS_H
#define CADENCE_STRAVA_JOBS_H

#define STRAVA_SPOOL_BATCH	256	/* spool files replayed per pass */

/* Before the job workers start (cadence serve, cadence worker). */
void	strava_jobs_register(void);

#endif
