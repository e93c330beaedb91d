/*
 * process_default: what a webhook event means for Cadence.  Webhooks are
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
#include "db/strava_keep.h"
#include "jobs/queue.h"
#include "strava/sync.h"

/* An advisory-lock class of our own (pg_advisory_lock(int4, int4)). */
#define FETCH_LOCK_CLASS	"761407"
/* Another worker is fetching the activity: look again this soon. */
#define FETCH_BUSY_DELAY	2	/* seconds */

job_fetch_fn	job_fetch_activity;
job_confirm_fn	job_confirm_deauth;

static const struct db_stmt q_runner = DB_STMT("job_runner_by_athlete",
    "SELECT id FROM users WHERE strava_athlete_id = $1");

/*
 * Deauthorization: the runner revoked Cadence's access on Strava.  Their
 * tokens go, and so do the activities (and by cascade the completions)
 * that came from Strava, the athlete's name and the granted scope.  Only
 * what a reconnect needs stays: the athlete id, so reconnecting finds the
 * same account (docs/operations.md, retention).
 */
static const struct db_stmt q_forget_tokens = DB_STMT("job_forget_tokens",
    "UPDATE users SET strava_access_token = NULL,"
    "       strava_refresh_token = NULL, strava_token_expires_at = NULL,"
    "       strava_athlete_name = NULL, strava_scope = NULL,"
    "       strava_connected_at = NULL, strava_scope_missing = NULL"
    " WHERE id = $1");
static const struct db_stmt q_forget_activities = DB_STMT(
    "job_forget_activities",
    "DELETE FROM strava_activities"
    " WHERE user_id = $1 AND source = 'strava'");	/* uploads stay */

/*
 * A session-level lock, so that it is held across the call to Strava
 * without a transaction open; a killed worker's backend ends and with it
 * the lock.  Hash collisions only serialise two activities.  Also tells
 * the database's time: what "before this fetch" means for coalescing.
 */
static const struct db_stmt q_lock = DB_STMT("job_activity_lock",
    "SELECT pg_try_advisory_lock(" FETCH_LOCK_CLASS ","
    "       hashtext($1 || ':' || $2)), LOCALTIMESTAMP::text");
static const struct db_stmt q_unlock = DB_STMT("job_activity_unlock",
    "SELECT pg_advisory_unlock(" FETCH_LOCK_CLASS ","
    "       hashtext($1 || ':' || $2))");

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
	const char	*p[1] = { user_id };
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
	    db_run(ctx->db, &q_forget_tokens, 1, p) < 0 ||
	    strava_keep_done(ctx->db, user_id) < 0 ||	/* done stays done */
	    (n = db_run(ctx->db, &q_forget_activities, 1, p)) < 0 ||
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
	char		 athlete[24], object[24];
	const char	*p[2] = { athlete, object };
	PGresult	*r;
	int		 got;

	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->athlete_id);
	snprintf(object, sizeof(object), "%" PRId64, ev->object_id);
	if ((r = db_exec(ctx->db, lock ? &q_lock : &q_unlock, 2, p)) == NULL)
		return -1;
	got = db_bool(r, 0, 0) ? 1 : 0;
	if (lock && got)
		snprintf(ctx->fetch_started, sizeof(ctx->fetch_started), "%s",
		    db_val(r, 0, 1));
	PQclear(r);
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
	char		 athlete[24], user_id[40];
	const char	*p[1] = { athlete };
	PGresult	*r;

	err[0] = '\0';
	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->athlete_id);
	if ((r = db_exec(ctx->db, &q_runner, 1, p)) == NULL)
		return db_trouble(err, errlen, "looking up the runner");
	if (PQntuples(r) == 0) {
		PQclear(r);
		snprintf(err, errlen, "unknown athlete");
		return JOB_SKIP;
	}
	snprintf(user_id, sizeof(user_id), "%s", db_val(r, 0, 0));
	PQclear(r);

	if (ev->object_type == WEBHOOK_ATHLETE) {
		if (ev->deauthorized)
			return deauthorize(ctx, user_id, err, errlen);
		snprintf(err, errlen, "athlete update: nothing to do");
		return JOB_SKIP;
	}
	return activity_event(ctx, ev, user_id, err, errlen);
}
