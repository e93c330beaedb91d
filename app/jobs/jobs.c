/*
 * jobs: the engine of the job queue (see jobs.h): the kinds' handlers,
 * claiming in batches, and recording outcomes with backoff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "db/jobs.h"
#include "jobs/jobs.h"

#define JOBS_MAX_KINDS	32

static struct {
	char		 kind[JOBS_KIND_MAX];
	job_handler_fn	 fn;
} kinds[JOBS_MAX_KINDS];
static size_t nkinds;

void
jobs_register_kind(const char *kind, job_handler_fn fn)
{
	size_t i;

	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0) {
			kinds[i].fn = fn;
			return;
		}
	if (nkinds == JOBS_MAX_KINDS || strlen(kind) >= JOBS_KIND_MAX) {
		log_error("jobs: cannot register kind %s", kind);
		abort();	/* a programming error, found at start-up */
	}
	snprintf(kinds[nkinds].kind, JOBS_KIND_MAX, "%s", kind);
	kinds[nkinds++].fn = fn;
}

static job_handler_fn
handler_of(const char *kind)
{
	size_t i;

	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].fn;
	return NULL;
}

int
jobs_enqueue(struct db *db, const char *kind, const char *user_id,
    const char *payload, const char *dedup_key, int delay)
{
	return db_jobs_insert(db, kind, user_id, payload, dedup_key, delay);
}

int
jobs_backoff(int attempts, int retry_after, double rnd)
{
	double	delay = JOBS_BACKOFF_BASE, jitter;
	int	i;

	if (rnd < 0 || rnd >= 1)
		rnd = 0;
	if (retry_after > 0) {
		jitter = retry_after / 10.0 < 60 ? retry_after / 10.0 : 60;
		return retry_after + (int)(jitter * rnd);
	}
	for (i = 1; i < attempts && delay < JOBS_BACKOFF_MAX; i++)
		delay *= 2;
	if (delay > JOBS_BACKOFF_MAX)
		delay = JOBS_BACKOFF_MAX;
	/* "Equal jitter": half fixed, half random, so jobs that failed
	 * together do not retry together. */
	return (int)(delay / 2 + delay / 2 * rnd);
}

static double
random_unit(void)
{
	return (double)arc4random_uniform(1000000) / 1000000.0;
}

/* Records r for job j: one statement, under the job's lease. */
static int
finish(struct db *db, const struct job *j, enum job_result r,
    const char *err, int retry_after)
{
	char	text[JOBS_ERR_MAX + 64];
	int	rc;

	if (r == JOB_RETRY && j->attempts >= JOBS_MAX_ATTEMPTS) {
		/* The note says the attempts ran out, not only the last. */
		snprintf(text, sizeof(text), "gave up after %d attempts: %s",
		    j->attempts, err);
		err = text;
		r = JOB_FAIL;
	}
	switch (r) {
	case JOB_OK:
	case JOB_SKIP:
		rc = db_jobs_done(db, j->id, err);
		break;
	case JOB_RETRY:
	case JOB_DEFER:
		rc = db_jobs_retry(db, j->id, jobs_backoff(j->attempts,
		    retry_after, random_unit()), err, r == JOB_DEFER);
		break;
	default:
		rc = db_jobs_fail(db, j->id, err);
	}
	if (rc == 0)
		log_warn("jobs: %s %s: the claim lapsed before it was recorded",
		    j->kind, j->id);
	if (r == JOB_FAIL)
		log_warn("jobs: %s %s failed after %d attempt(s): %s", j->kind,
		    j->id, j->attempts, err);
	else if (r == JOB_RETRY)
		log_info("jobs: %s %s, attempt %d, will retry: %s", j->kind,
		    j->id, j->attempts, err);
	return rc < 0 ? -1 : 0;
}

static void
run_one(const struct config *cfg, struct db *db, const struct job *j)
{
	job_handler_fn	 fn = handler_of(j->kind);
	struct job_run	 run = { cfg, db, 0 };
	char		 err[JOBS_ERR_MAX] = "";
	enum job_result	 r;

	if (fn == NULL) {
		snprintf(err, sizeof(err), "no handler for kind %s here",
		    j->kind);
		run.retry_after = JOBS_DEFER_SECONDS;
		r = JOB_DEFER;
	} else if (j->attempts > JOBS_MAX_ATTEMPTS) {
		snprintf(err, sizeof(err), "gave up after %d attempts (the last "
		    "ended without an outcome: did the job worker die?)",
		    j->attempts - 1);
		r = JOB_FAIL;
	} else {
		r = fn(&run, j, err, sizeof(err));
		db_rollback(db);	/* a handler's transaction never leaks */
	}
	(void)finish(db, j, r, err, run.retry_after);
}

int
jobs_work(const struct config *cfg, struct db *db,
    bool (*should_stop)(void *), void *arg,
    void (*busy)(const char *kind, bool on, void *arg))
{
	struct job	 batch[JOBS_CLAIM_BATCH];
	arena_t		 a;
	int		 n, i, total = 0;

	arena_init(&a);
	do {
		arena_reset(&a);
		if ((n = db_jobs_claim(db, &a, JOBS_CLAIM_BATCH,
		    JOBS_LEASE_SECONDS, batch)) < 0) {
			total = -1;
			break;
		}
		for (i = 0; i < n; i++) {
			/* A stopping worker leaves the rest to lapse back. */
			if (should_stop != NULL && should_stop(arg))
				(void)db_jobs_retry(db, batch[i].id, 0,
				    "given back: the worker stopped", 1);
			else {
				if (busy != NULL)
					busy(batch[i].kind, true, arg);
				run_one(cfg, db, &batch[i]);
				if (busy != NULL)
					busy(batch[i].kind, false, arg);
				total++;
			}
		}
	} while (n == JOBS_CLAIM_BATCH &&
	    !(should_stop != NULL && should_stop(arg)));
	arena_free(&a);
	return total;
}
