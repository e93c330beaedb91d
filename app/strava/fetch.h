/*
 * fetch: the Strava side of the webhook queue (jobs/queue.h).  Set as
 * the queue's hooks in jobs_register():
 *
 *	job_fetch_activity = strava_job_fetch_activity;
 *	job_confirm_deauth = strava_job_confirm_deauth;
 */
#ifndef CADENCE_STRAVA_FETCH_H
#define CADENCE_STRAVA_FETCH_H

#include "jobs/queue.h"

/*
 * Activity create/update: refreshes the runner's token if needed, GETs
 * /activities/{id}, upserts and matches (strava/sync.h).  404 right after
 * a create is retried (Strava has not processed the upload yet); 429 is
 * retried after the window; a private activity without activity:read_all
 * is skipped with a note; non-runs are stored but never matched.
 */
enum job_result strava_job_fetch_activity(struct job_ctx *,
	    const struct webhook_row *, const char *user_id, char *err,
	    size_t errlen);
/* Asks Strava whether the runner really revoked our access (see the
 * job_confirm_deauth hook in jobs/queue.h). */
enum job_result strava_job_confirm_deauth(struct job_ctx *,
	    const char *user_id, char *err, size_t errlen);

#endif
