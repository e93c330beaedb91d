/*
 * fetch: the Strava side of the webhook queue (strava/webhook_queue.h).
 * Set as the queue's hooks in strava_jobs_register() (strava/jobs.c):
 *
 *	job_fetch_activity = strava_job_fetch_activity;
 *	job_confirm_deauth = strava_job_confirm_deauth;
 */
#ifndef CADENCE_STRAVA_FETCH_H
#define CADENCE_STRAVA_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "strava/webhook_queue.h"

/*
 * Any activity event, create, update or delete alike (webhooks are
 * unsigned: the event only says "ask Strava"): refreshes the runner's
 * token if needed and GETs /activities/{id}.
 *   200  upserted and matched (strava/sync.h); non-runs are stored but
 *        never matched.  A delete is not confirmed: nothing is removed.
 *   404  deleted, or private while the runner granted only activity:read:
 *        our copy is removed and the workouts re-evaluated.  A create
 *        (a fresh upload) and an unconfirmed delete are asked again
 *        within the not-found window, never after it (fetch_retry_within).
 *   401  with a missing scope: the connection needs re-authorisation
 *        (tokens.h), no retry; else refresh on the retry.
 *   400  failed (a bad request; refreshing would not help).
 *   429, 5xx, timeouts: retried (Retry-After, the rate-limit window).
 * Events of the same activity that arrived before the fetch began are
 * answered by it (queue_coalesce).
 */
enum job_result strava_job_fetch_activity(struct job_ctx *,
	    const struct webhook_row *, const char *user_id, char *err,
	    size_t errlen);
/*
 * Whether an event age seconds old, on its attempts-th claim, may be asked
 * again within a not-found window of window seconds; *delay: when.
 */
bool	fetch_retry_within(int window, int attempts, int64_t age, int *delay);
/* Asks Strava whether the runner really revoked our access (see the
 * job_confirm_deauth hook in strava/webhook_queue.h). */
enum job_result strava_job_confirm_deauth(struct job_ctx *,
	    const char *user_id, char *err, size_t errlen);

#endif
