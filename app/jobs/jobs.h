/*
 * jobs: one durable job queue for background work, kind-keyed (table
 * jobs, sql/016_jobs.sql).  A module registers a handler for each kind it
 * owns (jobs_register_kind); anything enqueues (jobs_enqueue, also inside
 * its own transaction); the job workers (jobs/job_worker.c) claim due
 * jobs in batches and run the handlers.
 *
 * Delivery is at least once: a worker that dies after the work but before
 * recording it leaves the job to be done again, so handlers must be
 * idempotent.  A handler's outcome: done, skipped (done, with a note),
 * retry later (exponential backoff with jitter, or the delay it asks for),
 * failed (after JOBS_MAX_ATTEMPTS, or at once), or deferred (retry without
 * spending an attempt).  Failed jobs stay for `cadence jobs retry`.
 */
#ifndef CADENCE_JOBS_H
#define CADENCE_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/jobs.h"	/* struct job */

#define JOBS_MAX_ATTEMPTS	8
#define JOBS_BACKOFF_BASE	30	/* seconds before the second attempt */
#define JOBS_BACKOFF_MAX	(6 * 3600)	/* longest automatic wait */
#define JOBS_DEFER_SECONDS	60	/* a kind no worker knows yet */
#define JOBS_LEASE_SECONDS	600	/* a claim's hard limit */
#define JOBS_CLAIM_BATCH	16
#define JOBS_KIND_MAX		64	/* bytes of a kind name */
#define JOBS_ERR_MAX		512
#define JOBS_KEEP_DAYS		14	/* finished jobs kept for inspection */

struct config;
struct db;

/* What running a job came to. */
enum job_result {
	JOB_OK,		/* done (err may hold a note) */
	JOB_SKIP,	/* nothing to do; err holds the note */
	JOB_RETRY,	/* transient failure (err): try again later */
	JOB_FAIL,	/* permanent failure (err): park it as failed */
	JOB_DEFER,	/* cannot be done yet (err): RETRY, no attempt spent */
};

struct job_run {
	const struct config	*cfg;
	struct db		*db;
	/* Out: seconds before the retry (e.g. a 429's Retry-After); 0: the
	 * queue's backoff.  Reset per job. */
	int			 retry_after;
};

typedef enum job_result (*job_handler_fn)(struct job_run *,
	    const struct job *, char *err, size_t errlen);

/* Registers the handler of kind (at start-up, before the workers fork). */
void	jobs_register_kind(const char *kind, job_handler_fn);
/*
 * Adds a job of kind for user_id (NULL: none) with a JSON payload (NULL:
 * {}), due in delay seconds.  With a dedup_key, nothing is added while a
 * job of that kind and key waits.  Joins the caller's transaction, if
 * any.  Returns 1 added, 0 one was waiting, -1 on error.
 */
int	jobs_enqueue(struct db *, const char *kind, const char *user_id,
	    const char *payload, const char *dedup_key, int delay);
/*
 * Claims and runs due jobs until a batch comes back short or should_stop
 * says so.  Returns how many ran, or -1 on a database error.  Unknown
 * kinds wait (deferred) for a worker that knows them.
 */
int	jobs_work(const struct config *, struct db *,
	    bool (*should_stop)(void *), void *arg, void (*busy)(const char *kind,
	    bool on, void *arg));
/* Seconds before attempt attempts+1 (backoff with "equal jitter"). */
int	jobs_backoff(int attempts, int retry_after, double rnd);

#endif
