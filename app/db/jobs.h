/*
 * db/jobs: the statements of the job queue (table jobs); the engine and
 * its rules are jobs/jobs.h.
 */
#ifndef CADENCE_DB_JOBS_H
#define CADENCE_DB_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

struct db;

/* A claimed job; strings live in the arena given to the claim. */
struct job {
	const char	*id;
	const char	*kind;
	const char	*user_id;	/* NULL: not a runner's */
	const char	*payload;	/* JSON text */
	int		 attempts;	/* including this one */
};

/* 1 added, 0 a job of kind and dedup_key waits already, -1. */
int	db_jobs_insert(struct db *, const char *kind, const char *user_id,
	    const char *payload, const char *dedup_key, int delay);
/*
 * Adds a job of kind for user_id keyed dedup_key, or makes the one
 * waiting due now (someone waits for it).  Caller's transaction.  0 / -1.
 */
int	db_jobs_insert_now(struct db *, const char *kind, const char *user_id,
	    const char *dedup_key);
/*
 * Registers this backend as asleep on LISTEN (inserts into jobs NOTIFY
 * only while some worker is: sql/003, sql/025), or not, dropping the
 * registrations of backends that are gone.  0 or -1.
 */
int	db_jobs_set_asleep(struct db *, bool asleep);
/*
 * Plans this connection's statements at each run (plan_cache_mode): the
 * job worker's first claims are prepared while the queue may be empty,
 * and a generic plan made then (a sequential scan) costs O(queue) per
 * claim until the table is analyzed, a minute later; under a webhook
 * burst that was 85 ms a claim at 7,000 jobs.  0 or -1.
 */
int	db_jobs_plan_per_run(struct db *);
/*
 * Claims up to max due jobs for this connection's backend (lease of
 * lease_s seconds), counting an attempt on each; into out (arena),
 * oldest first.
 * Returns how many, or -1.
 */
int	db_jobs_claim(struct db *, arena_t *, int max, int lease_s,
	    struct job *out);
/* Outcomes; each only for a lease this backend holds: 1, 0 (lapsed), -1. */
int	db_jobs_done(struct db *, const char *id, const char *note);
int	db_jobs_retry(struct db *, const char *id, int delay_s,
	    const char *note, int give_back_attempt);
int	db_jobs_fail(struct db *, const char *id, const char *note);
/* Deletes finished jobs older than keep_days, at most limit; n or -1. */
long	db_jobs_purge(struct db *, int keep_days, int limit);

/* What /metrics shows: waiting (due now or later) and failed, by kind. */
struct jobs_count {
	const char	*kind;
	long		 waiting;
	long		 failed;
};
int	db_jobs_counts(struct db *, arena_t *, struct jobs_count **out);

#endif
