/*
 * webhook_process: what a webhook event means for Cadence.  Webhooks are
 * unsigned, so nothing here believes an event: a deauthorization is first
 * confirmed with Strava (job_confirm_deauth), and every activity event,
 * delete included, is answered by asking Strava for the activity
 * (job_fetch_activity), at most one such call in flight per activity
 * across all job workers on all hosts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/strava.h"
#include "db/webhooks.h"
#include "strava/sync.h"
#include "strava/webhook_queue.h"

/* Another worker is fetching the activity: look again this soon. */
#define FETCH_BUSY_DELAY	2	/* seconds */

job_fetch_fn	job_fetch_activity;
job_confirm_fn	job_confirm_deauth;

static enum job_result
db_trouble(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "database error while %s", what);
	return JOB_RETRY;
}

static enum job_result
deauthorize(struct job_ctx *ctx, const char *user_id, char *err,
    size_t errlen)
{
	enum job_result	 confirmed;
	long		 n = 0;

	if (job_confirm_deauth == NULL) {
		snprintf(err, errlen, "no Strava client to confirm the "
		    "deauthorization yet");
		ctx->retry_after = JOB_NO_CLIENT_DELAY;
		return JOB_DEFER;
	}
	if ((confirmed = job_confirm_deauth(ctx, user_id, err, errlen)) !=
	    JOB_OK)
		return confirmed;	/* forged, stale, or ask again later */
	/* Completions go by cascade: completed_at is re-derived with them. */
	if (db_begin(ctx->db) == -1 ||
	    (n = db_strava_deauthorized(ctx->db, user_id)) < 0 ||
	    sync_after_delete(ctx->db, user_id) == -1 ||
	    db_commit(ctx->db) == -1) {
		db_rollback(ctx->db);
		return db_trouble(err, errlen, "deauthorizing");
	}
	snprintf(err, errlen, "deauthorized: tokens and %ld activities "
	    "deleted", n);
	return JOB_OK;
}

/* 1: locked (ctx->fetch_started set), 0: another worker has it, -1: db. */
static int
activity_lock(struct job_ctx *ctx, const struct webhook_row *ev, bool lock)
{
	char started[40];
	int  got = db_webhooks_activity_lock(ctx->db, ev->athlete_id,
	    ev->object_id, lock, started);

	if (lock && got == 1)
		snprintf(ctx->fetch_started, sizeof(ctx->fetch_started), "%s",
		    started);
	return got;
}

/* Create, update and delete alike: Strava's answer decides. */
static enum job_result
activity_event(struct job_ctx *ctx, const struct webhook_row *ev,
    const char *user_id, char *err, size_t errlen)
{
	enum job_result	r;

	if (job_fetch_activity == NULL) {
		/* Kept waiting, never dropped: see JOB_NO_CLIENT_DELAY. */
		snprintf(err, errlen, "no Strava client available yet");
		ctx->retry_after = JOB_NO_CLIENT_DELAY;
		return JOB_DEFER;
	}
	switch (activity_lock(ctx, ev, true)) {
	case -1:
		return db_trouble(err, errlen, "locking the activity");
	case 0:
		snprintf(err, errlen, "another fetch of this activity is in "
		    "flight");
		ctx->retry_after = FETCH_BUSY_DELAY;
		return JOB_DEFER;
	}
	r = job_fetch_activity(ctx, ev, user_id, err, errlen);
	db_rollback(ctx->db);	/* a handler's transaction never leaks */
	/* A lost connection dropped the lock with the backend. */
	(void)activity_lock(ctx, ev, false);
	ctx->fetch_started[0] = '\0';
	return r;
}

enum job_result
strava_process_event(struct job_ctx *ctx, const struct webhook_row *ev,
    char *err, size_t errlen)
{
	const char *user_id = ev->runner;	/* loaded with the event */

	err[0] = '\0';
	if (user_id == NULL) {
		snprintf(err, errlen, "unknown athlete");
		return JOB_SKIP;
	}

	if (ev->object_type == WEBHOOK_ATHLETE) {
		if (ev->deauthorized)
			return deauthorize(ctx, user_id, err, errlen);
		snprintf(err, errlen, "athlete update: nothing to do");
		return JOB_SKIP;
	}
	return activity_event(ctx, ev, user_id, err, errlen);
}
