/*
 * process_default: what a webhook event means for Cadence.  Deletions and
 * deauthorizations are done here; activity create/update need the Strava
 * client and go to the job_fetch_activity hook (queue.h), and a
 * deauthorization is first confirmed with Strava (job_confirm_deauth):
 * webhooks are unsigned, and a forged one must not delete a runner's data.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "jobs/queue.h"
#include "strava/sync.h"

job_fetch_fn	job_fetch_activity;
job_confirm_fn	job_confirm_deauth;

static const struct db_stmt q_runner = DB_STMT("job_runner_by_athlete",
    "SELECT id FROM users WHERE strava_athlete_id = $1");

/*
 * Deauthorization: the runner revoked Cadence's access on Strava.  Their
 * tokens go, and so do the activities (and by cascade the completions)
 * that came from Strava.  The athlete id stays, so reconnecting finds the
 * same account.
 */
static const struct db_stmt q_forget_tokens = DB_STMT("job_forget_tokens",
    "UPDATE users SET strava_access_token = NULL,"
    "       strava_refresh_token = NULL, strava_token_expires_at = NULL"
    " WHERE id = $1");
static const struct db_stmt q_forget_activities = DB_STMT(
    "job_forget_activities",
    "DELETE FROM strava_activities WHERE user_id = $1");

static const struct db_stmt q_delete_activity = DB_STMT(
    "job_delete_activity",
    "DELETE FROM strava_activities"
    " WHERE strava_activity_id = $1 AND user_id = $2");

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

static enum job_result
delete_activity(struct job_ctx *ctx, const struct webhook_row *ev,
    const char *user_id, char *err, size_t errlen)
{
	char		 id[24];
	const char	*p[2] = { id, user_id };
	long		 n = -1;

	snprintf(id, sizeof(id), "%" PRId64, ev->object_id);
	/*
	 * sync_after_delete (not workout_state_refresh_for_activity, which
	 * needs the activity still there): after the cascade it finds the
	 * workouts whose completed_at no longer agrees and re-matches their
	 * days, in this same transaction.
	 */
	if (db_begin(ctx->db) == -1 ||
	    (n = db_run(ctx->db, &q_delete_activity, 2, p)) < 0 ||
	    (n > 0 && sync_after_delete(ctx->db, user_id) == -1) ||
	    db_commit(ctx->db) == -1) {
		db_rollback(ctx->db);
		return db_trouble(err, errlen, "deleting the activity");
	}
	if (n == 0) {
		snprintf(err, errlen, "activity not stored");
		return JOB_SKIP;
	}
	snprintf(err, errlen, "activity deleted; workouts re-evaluated");
	return JOB_OK;
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
	if (ev->aspect_type == WEBHOOK_DELETE)
		return delete_activity(ctx, ev, user_id, err, errlen);
	if (job_fetch_activity == NULL) {
		/* Kept waiting, never dropped: see JOB_NO_CLIENT_DELAY. */
		snprintf(err, errlen, "no Strava client available yet");
		ctx->retry_after = JOB_NO_CLIENT_DELAY;
		return JOB_DEFER;
	}
	return job_fetch_activity(ctx, ev, user_id, err, errlen);
}
