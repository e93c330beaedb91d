/*
 * strava/jobs: see jobs.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "jobs/job_worker.h"
#include "jobs/jobs.h"
#include "strava/fetch.h"
#include "strava/import.h"
#include "strava/jobs.h"
#include "strava/webhook_housekeeping.h"
#include "strava/webhook_queue.h"

/* "strava.event": the webhook event the job names (webhook_queue.h). */
static enum job_result
event_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	struct webhook_row	 ev;
	struct job_ctx		 ctx;
	arena_t			 a;
	enum job_result		 r;

	arena_init(&a);
	switch (queue_load_event(run->db, &a, j, &ev)) {
	case -1:
		snprintf(err, errlen, "database error loading the event");
		r = JOB_RETRY;
		break;
	case -2:
		snprintf(err, errlen, "unknown object_type or aspect_type");
		r = JOB_FAIL;
		break;
	case 0:
		/* Coalesced, retried by hand, or its runner unlinked. */
		snprintf(err, errlen, "the event waits no more: nothing to do");
		r = JOB_SKIP;
		break;
	default:
		memset(&ctx, 0, sizeof(ctx));
		ctx.cfg = run->cfg;
		ctx.db = run->db;
		r = strava_process_event(&ctx, &ev, err, errlen);
		run->retry_after = ctx.retry_after;
		if (r == JOB_OK || r == JOB_SKIP)
			log_debug("jobs: event %s done%s%s", ev.id, *err ?
			    ": " : "", err);
		else if (r == JOB_FAIL || r == JOB_RETRY)
			log_info("jobs: event %s (%s %s %lld): %s", ev.id,
			    webhook_object_name(ev.object_type),
			    webhook_aspect_name(ev.aspect_type),
			    (long long)ev.object_id, err);
	}
	arena_free(&a);
	return r;
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

/* The spool (while PostgreSQL was down) into the queue, ahead of it. */
static int
first(const struct job_turn *t)
{
	if (t->cfg->spool_dir[0] != '\0')
		replay_spool(t);
	return 0;
}

/* Resyncs owed after intake limits, retention, raw data kept too long. */
static int
after(const struct job_turn *t)
{
	static time_t last_purge;	/* strava/webhook_housekeeping.h */
	static time_t last_cleanup;	/* strava/import.h: raw_data */

	housekeeping_run(t->db, &last_purge);
	import_cleanup_due(t->cfg, t->db, &last_cleanup);
	return 0;
}

static const struct job_source strava_source = {
	"strava", first, after,
};

void
strava_jobs_register(void)
{
	/* The Strava client: fetch-and-upsert, and deauthorization checks. */
	job_fetch_activity = strava_job_fetch_activity;
	job_confirm_deauth = strava_job_confirm_deauth;
	jobs_register_kind(STRAVA_KIND_EVENT, event_job);
	jobs_register_kind(STRAVA_KIND_IMPORT, import_job);
	job_worker_add_source(&strava_source);
}
