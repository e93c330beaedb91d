/*
 * import: the history import that follows a new Strava connection.
 *
 * Never done in a web request: GET /strava/callback adds a row to
 * strava_imports and a job of kind "strava.import" (import_enqueue); the
 * job queue (jobs/jobs.h) leases it to a job worker, whose handler
 * (import_job) fetches GET /athlete/activities?after=A&page=P&per_page=200
 * page by page, oldest first.  Each page's activities are upserted and
 * matched (strava/sync.h) in the same transaction that advances the
 * checkpoint (page), guarded by the page it started from: a page is
 * stored exactly once whatever crashes or races.  After
 * IMPORT_PAGES_PER_TURN pages the job steps aside (deferred for
 * IMPORT_TURN_DELAY) so other work gets a turn.  A 429 or a spent budget
 * defers it for as long as the rate-limit window implies (no attempt
 * spent); 5xx and timeouts are retried with the queue's backoff, and a
 * turn that stored pages before failing spends no attempt either; a
 * refused token marks the connection broken.  When the queue gives the
 * job up, the import is marked failed (sql/025).
 */
#ifndef CADENCE_STRAVA_IMPORT_H
#define CADENCE_STRAVA_IMPORT_H

#include <time.h>

#include "db/strava_import.h"
#include "jobs/jobs.h"

#define IMPORT_PER_PAGE		DB_IMPORT_PER_PAGE
#define IMPORT_HISTORY_DAYS	DB_IMPORT_HISTORY_DAYS
#define IMPORT_PAGES_PER_TURN	5	/* then other jobs get a turn */
#define IMPORT_TURN_DELAY	1	/* seconds: the next turn's wait */
#define IMPORT_CLEANUP_SECONDS	3600	/* raw_data clean-up period */
#define STRAVA_KIND_IMPORT	DB_IMPORT_KIND	/* "strava.import" */

struct config;
struct db;

/* Starts (or restarts) user_id's import; caller's transaction.  0 / -1. */
int	import_enqueue(struct db *, const char *user_id);
/* "strava.import": a turn of the job's runner's import (see above). */
enum job_result import_job(struct job_run *, const struct job *, char *err,
	    size_t errlen);
/* The raw_data clean-up, when *last is older than IMPORT_CLEANUP_SECONDS. */
void	import_cleanup_due(const struct config *, struct db *, time_t *last);
/* Nulls raw_data older than CADENCE_RAW_DATA_DAYS; rows changed or -1. */
long	import_cleanup_raw(const struct config *, struct db *);

#endif
