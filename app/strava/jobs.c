/*
 * strava/jobs: see jobs.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "jobs/job_worker.h"
#include "strava/fetch.h"
#include "strava/import.h"
#include "strava/jobs.h"
#include "strava/webhook_housekeeping.h"
#include "strava/webhook_queue.h"

static void
process_one(const struct job_turn *t, struct queue_batch *b, size_t i,
    const struct webhook_settings *settings)
{
	const struct webhook_row *row = &b->rows[i];
	struct job_ctx	 ctx;
	char		 err[JOB_ERR_MAX] = "", what[32];
	enum job_result	 r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = t->cfg;
	ctx.db = t->db;
	ctx.settings = settings;
	ctx.batch = b;
	if (row->attempts > JOB_MAX_ATTEMPTS) {
		/* Claims that never came back: a worker died on this event. */
		snprintf(err, sizeof(err), "gave up after %d attempts (the "
		    "last ended without an outcome: did the job worker die?)",
		    row->attempts - 1);
		r = JOB_FAIL;
	} else {
		snprintf(what, sizeof(what), "%s %s",
		    webhook_object_name(row->object_type),
		    webhook_aspect_name(row->aspect_type));
		t->busy(what, true, t->arg);
		r = strava_process_event(&ctx, row, err, sizeof(err));
		db_rollback(t->db);	/* a handler's transaction never leaks */
		t->busy(what, false, t->arg);
	}
	if (queue_finish(t->db, row, r, err, ctx.retry_after) == -1)
		return;
	if (r == JOB_OK || r == JOB_SKIP)
		log_debug("jobs: event %s done%s%s", row->id, *err ? ": " : "",
		    err);
	else if (r != JOB_DEFER)
		log_warn("jobs: event %s (%s %s %lld), attempt %d: %s%s",
		    row->id, webhook_object_name(row->object_type),
		    webhook_aspect_name(row->aspect_type),
		    (long long)row->object_id, row->attempts,
		    r == JOB_FAIL ? "failed: " : "will retry: ", err);
}

/*
 * Claims and processes batches until one comes back short.  Rows an
 * earlier fetch of the batch answered (queue_coalesce) are done already.
 */
static void
work_queue(const struct job_turn *t)
{
	struct queue_batch	 b;
	struct webhook_settings	 settings;
	size_t			 i, got;

	do {
		if (queue_claim(t->db, &b) == -1)
			return;
		if (b.n > 0)
			(void)db_webhooks_settings_load(t->db, &settings);
		for (i = 0; i < b.n; i++) {
			if (b.done[i])
				continue;
			if (t->stopping(t->arg))
				queue_release(t->db, &b.rows[i]);
			else
				process_one(t, &b, i, &settings);
		}
		got = b.n + b.bad;
		queue_batch_free(&b);
	} while (got == JOB_CLAIM_BATCH && !t->stopping(t->arg));
}

static void
replay_spool(const struct job_turn *t)
{
	int n;

	do {
		n = queue_replay_spool(t->db, t->cfg->spool_dir,
		    t->cfg->strava_subscription_id, STRAVA_SPOOL_BATCH);
	} while (n == STRAVA_SPOOL_BATCH && !t->stopping(t->arg));
}

/* The spool (while PostgreSQL was down), then the webhook events. */
static int
first(const struct job_turn *t)
{
	if (t->cfg->spool_dir[0] != '\0')
		replay_spool(t);
	work_queue(t);
	return 0;
}

/* Resyncs owed after intake limits, retention, then the imports. */
static int
after(const struct job_turn *t)
{
	static time_t last_purge;	/* strava/webhook_housekeeping.h */
	static time_t last_cleanup;	/* strava/import.h: raw_data */

	housekeeping_run(t->db, &last_purge);
	return import_work(t->cfg, t->db, &last_cleanup);
}

static const struct job_source strava_source = {
	"strava", first, after, queue_set_asleep,
};

void
strava_jobs_register(void)
{
	/* The Strava client: fetch-and-upsert, and deauthorization checks. */
	job_fetch_activity = strava_job_fetch_activity;
	job_confirm_deauth = strava_job_confirm_deauth;
	job_worker_add_source(&strava_source);
}
