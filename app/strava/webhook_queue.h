/*
 * webhook_queue: strava_webhook_events as a durable job queue (sql/003).
 *
 * Life of an event:
 *   1. POST /strava/webhook stores it (queue_store_event) and answers 200;
 *      an INSERT trigger NOTIFYs the job workers.  While PostgreSQL is down
 *      the body goes to the spool (strava/spool.h) instead, and a job
 *      worker replays it later (queue_replay_spool).
 *   2. A job worker claims a batch (queue_claim): one short statement that
 *      picks waiting events with FOR UPDATE SKIP LOCKED, counts an attempt
 *      and writes a lease: locked_by = the worker's PostgreSQL backend pid,
 *      locked_until = now + JOB_LEASE_SECONDS.  The lease lapses when that
 *      backend is gone (the worker was killed: its connection closed) or
 *      the time has passed, and the event is claimable again.
 *   3. strava_process_event() does the work, outside any transaction of
 *      the queue's, and queue_finish() records the outcome: processed (with
 *      a note), retry later (exponential backoff with jitter, or the delay
 *      the handler asked for), or failed once JOB_MAX_ATTEMPTS claims have
 *      been spent.  A failed event waits for `cadence events retry ID`.
 *      A fetch also finishes the events of the same activity that arrived
 *      before it began (queue_coalesce): they are answered by it.
 *   4. Processed events are purged after the retention of
 *      strava_webhook_settings (strava/webhook_housekeeping.h).
 *
 * Delivery is at least once: a worker that dies after doing the work but
 * before recording it leaves the event to be done again, so handlers must
 * be idempotent (upserts, deletes by key).
 */
#ifndef CADENCE_WEBHOOK_QUEUE_H
#define CADENCE_WEBHOOK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/webhooks.h"	/* the settings, purge_counts */
#include "jobs/jobs.h"	/* enum job_result, jobs_backoff */
#include "strava/webhook_event.h"

#define JOB_CHANNEL		DB_WEBHOOKS_CHANNEL	/* LISTEN/NOTIFY */
#define JOB_MAX_ATTEMPTS	8	/* claims before an event is failed */
#define JOB_LEASE_SECONDS	600	/* a claim's hard limit */
#define JOB_CLAIM_BATCH		32	/* events claimed per statement */
#define JOB_NO_CLIENT_DELAY	3600	/* wait while no Strava client is set */
#define JOB_ERR_MAX		512	/* note / error message, NUL included */

struct config;
struct db;
struct queue_batch;

/* What a handler gets besides the event. */
struct job_ctx {
	const struct config	*cfg;
	struct db		*db;
	/* Out: seconds to wait for JOB_RETRY/JOB_DEFER (e.g. a 429's
	 * Retry-After); 0 means the queue's own backoff.  Reset per event. */
	int			 retry_after;
	/* The settings as the batch was claimed (NULL: the defaults). */
	const struct webhook_settings *settings;
	/* The claimed batch: queue_coalesce() marks rows it finished. */
	struct queue_batch	*batch;
	/* Database time the activity's fetch began (activity events). */
	char			 fetch_started[40];
};

/* A claimed event.  Strings live in the batch's arena. */
struct webhook_row {
	const char		*id;		/* UUID */
	int64_t			 athlete_id;	/* owner_id; 0 if unknown */
	enum webhook_object	 object_type;
	enum webhook_aspect	 aspect_type;
	int64_t			 object_id;	/* activity or athlete id */
	int64_t			 event_time;	/* epoch seconds */
	bool			 deauthorized;	/* updates.authorized == "false" */
	int			 attempts;	/* including this one */
	const char		*raw_payload;	/* the event as JSON text */
	int64_t			 age;		/* seconds since it arrived */
};

struct queue_batch {
	arena_t			 arena;
	struct webhook_row	 rows[JOB_CLAIM_BATCH];
	bool			 done[JOB_CLAIM_BATCH];	/* coalesced */
	size_t			 n;
	size_t			 bad;	/* rows that could not be read (failed) */
};

/* ---- storing events -------------------------------------------------- */

enum queue_store {
	QUEUE_STORED,		/* inserted (and committed) */
	QUEUE_SKIPPED,		/* dropped and counted: foreign subscription,
				   duplicate, over a limit, spool_id seen */
	QUEUE_REFUSED,		/* the database refuses the data itself */
	QUEUE_DB_ERROR,		/* unreachable or failing: spool it */
};

/*
 * Takes a parsed event with its raw JSON body: strava_webhook_intake()
 * (sql/010) in one round trip.  spool_id is NULL for live events.
 * "Ours": when our_subscription is nonzero (the STRAVA_SUBSCRIPTION_ID
 * setting) the event must carry it; otherwise it must match the
 * strava_webhook_subscription row if there is one.  Dropped, also:
 * duplicates of a stored event (same owner, object, aspect and
 * event_time), events over the per-runner, all-runner or unknown-athlete
 * limits of strava_webhook_settings, and a deauthorization while another
 * one of the runner waits.
 */
enum queue_store queue_store_event(struct db *, const struct webhook_event *,
	    const char *body, size_t len, const char *spool_id,
	    int64_t our_subscription);
/*
 * Replays up to limit spooled events from dir, oldest first, removing each
 * once stored.  Returns how many were handled, or -1 when the database
 * failed (the rest stay spooled).
 */
int	queue_replay_spool(struct db *, const char *dir, int64_t our_sub,
	    size_t limit);

/* ---- working the queue ----------------------------------------------- */

/* Claims up to JOB_CLAIM_BATCH events due now.  Returns b->n or -1. */
int	queue_claim(struct db *, struct queue_batch *b);
void	queue_batch_free(struct queue_batch *);
/* Records the outcome of one claimed event; 0, or -1 (lease lost/db). */
int	queue_finish(struct db *, const struct webhook_row *,
	    enum job_result, const char *msg, int retry_after);
/*
 * Registers this connection's backend as asleep on LISTEN (inserts only
 * NOTIFY while some worker is: see sql/003), or unregisters it; also drops
 * registrations of backends that are gone.  0 or -1.
 */
int	queue_set_asleep(struct db *, bool asleep);
/*
 * One fetch answers for the events of the same activity that arrived
 * before it began (ctx->fetch_started): those waiting, not held by a live
 * worker other than this one, of the given aspects (a bit per enum
 * webhook_aspect), are marked processed with a note naming ev.  Rows of
 * ctx->batch so finished are flagged done.  Returns how many, or -1.
 */
long	queue_coalesce(struct job_ctx *, const struct webhook_row *ev,
	    unsigned aspects);
#define JOB_ASPECT(a)	(1u << (a))
/* Gives a claimed event back untouched (the worker is stopping). */
int	queue_release(struct db *, const struct webhook_row *);

/* ---- processing (webhook_process.c) ------------------------------------- */

/*
 * Does one event.  Handles itself: events of athletes who are no runner
 * of ours ("unknown athlete"), athlete deauthorization once Strava
 * confirms it (job_confirm_deauth; tokens, activities, name and scope
 * deleted, the workouts re-derived in the same transaction).  Every
 * activity event, delete included, goes to job_fetch_activity: webhooks
 * are unsigned, Strava's answer decides.  At most one such fetch per
 * (athlete, activity) is in flight over all workers and hosts (an advisory
 * lock); a second waits (JOB_DEFER).
 */
enum job_result strava_process_event(struct job_ctx *,
	    const struct webhook_row *, char *err, size_t errlen);

/*
 * Hook for the Strava client: fetch activity ev->object_id of runner
 * user_id (users.id) from Strava, upsert it into strava_activities and run
 * the matcher, or remove it when Strava no longer shows it (see
 * strava/fetch.h).  Return JOB_OK, JOB_RETRY (set ctx->retry_after from a
 * 429 or 5xx), JOB_FAIL or JOB_SKIP (a note in err).  NULL until
 * set (in strava_jobs_register(), strava/jobs.c): events then wait
 * JOB_NO_CLIENT_DELAY at a time (JOB_DEFER), never lost.
 */
typedef enum job_result (*job_fetch_fn)(struct job_ctx *,
	    const struct webhook_row *, const char *user_id, char *err,
	    size_t errlen);
extern job_fetch_fn job_fetch_activity;

/*
 * Hook for the Strava client: Strava's webhooks are unsigned, so before a
 * deauthorization event deletes anything, ask Strava with the runner's own
 * token (refreshed if needed) whether the access is really gone.  Return
 * JOB_OK when it is (401, or the refresh refused), JOB_SKIP with a note
 * when Strava still accepts the token (a forged or stale event), JOB_RETRY
 * (set ctx->retry_after) when Strava cannot tell now, JOB_FAIL when our
 * stored tokens cannot be read.  NULL until set in strava_jobs_register():
 * deauthorizations then wait (JOB_DEFER), never acted on unconfirmed.
 */
typedef enum job_result (*job_confirm_fn)(struct job_ctx *,
	    const char *user_id, char *err, size_t errlen);
extern job_confirm_fn job_confirm_deauth;

#endif
