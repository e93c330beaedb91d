/*
 * webhook_queue: Strava's webhook events as jobs of the one job queue
 * (jobs/jobs.h, kind "strava.event").
 *
 * Life of an event:
 *   1. POST /strava/webhook stores it (queue_store_event): one statement
 *      records it in strava_webhook_events and adds its job, and the job
 *      workers are woken (sql/025).  While PostgreSQL is down the body
 *      goes to the spool (strava/spool.h) instead, and a job worker
 *      replays it later through the same statement (queue_replay_spool).
 *   2. The job queue claims, leases, retries with backoff and gives up
 *      the job as it does every job.  Its handler (strava/jobs.c) loads
 *      the event (queue_load_event) and does it (strava_process_event);
 *      a trigger writes the job's outcome on the event: processed (with a
 *      note), the last error, or failed (sql/025).  A failed event waits
 *      for `cadence events retry ID`.  A fetch also finishes the events
 *      of the same activity that arrived before it began
 *      (queue_coalesce): their jobs then find nothing to do.
 *   3. Processed events are purged after the retention of
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

#define STRAVA_KIND_EVENT	DB_WEBHOOKS_KIND	/* "strava.event" */
#define JOB_NO_CLIENT_DELAY	3600	/* wait while no Strava client is set */
#define JOB_ERR_MAX		JOBS_ERR_MAX	/* note / error message */

struct config;
struct db;

/* What a handler gets besides the event. */
struct job_ctx {
	const struct config	*cfg;
	struct db		*db;
	/* Out: seconds to wait for JOB_RETRY/JOB_DEFER (e.g. a 429's
	 * Retry-After); 0 means the queue's own backoff. */
	int			 retry_after;
	/* The settings (NULL: read when needed). */
	const struct webhook_settings *settings;
	/* Database time the activity's fetch began (activity events). */
	char			 fetch_started[40];
};

/* An event its job works.  Strings live in the loader's arena. */
struct webhook_row {
	const char		*id;		/* UUID */
	int64_t			 athlete_id;	/* owner_id; 0 if unknown */
	enum webhook_object	 object_type;
	enum webhook_aspect	 aspect_type;
	int64_t			 object_id;	/* activity or athlete id */
	int64_t			 event_time;	/* epoch seconds */
	bool			 deauthorized;	/* updates.authorized == "false" */
	int			 attempts;	/* its job's, this one included */
	const char		*raw_payload;	/* the event as JSON text */
	int64_t			 age;		/* seconds since it arrived */
	const char		*runner;	/* users.id; NULL: unknown athlete */
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
 * (sql/010, sql/025) in one round trip, which also adds its job.  spool_id is NULL for live events.
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

/* ---- working an event ------------------------------------------------- */

/*
 * The event job j names, into out (strings in a): 1, 0 (done already,
 * failed, gone with its runner's link, or a payload naming no event), -1
 * on a database error, -2 when the row cannot be read (written by hand).
 */
int	queue_load_event(struct db *, arena_t *, const struct job *j,
	    struct webhook_row *out);
/*
 * One fetch answers for the events of the same activity that arrived
 * before it began (ctx->fetch_started): those waiting, of the given
 * aspects (a bit per enum webhook_aspect), are marked processed with a
 * note naming ev.  Returns how many, or -1.
 */
long	queue_coalesce(struct job_ctx *, const struct webhook_row *ev,
	    unsigned aspects);
#define JOB_ASPECT(a)	(1u << (a))

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
