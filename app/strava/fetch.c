/*
 * fetch: see fetch.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "db/db.h"
#include "domain/match.h"
#include "strava/client.h"
#include "strava/fetch.h"
#include "strava/sync.h"
#include "strava/tokens.h"

/* A delete of the activity already arrived: a 404 is final. */
static const struct db_stmt q_delete_seen = DB_STMT("fetch_delete_seen",
    "SELECT EXISTS (SELECT 1 FROM strava_webhook_events"
    " WHERE strava_athlete_id = $1 AND object_type = 'activity'"
    "   AND object_id = $2 AND aspect_type = 'delete')");

static bool
delete_seen(struct job_ctx *ctx, const struct webhook_row *ev)
{
	char		 athlete[24], object[24];
	const char	*p[2] = { athlete, object };
	PGresult	*r;
	bool		 yes;

	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->athlete_id);
	snprintf(object, sizeof(object), "%" PRId64, ev->object_id);
	if ((r = db_exec(ctx->db, &q_delete_seen, 2, p)) == NULL)
		return false;
	yes = db_bool(r, 0, 0);
	PQclear(r);
	return yes;
}

/*
 * A fresh upload 404s until Strava has processed it, usually seconds:
 * the first retry comes this soon, doubling per attempt.
 */
#define FETCH_NOT_FOUND_WAIT	5	/* seconds */

static const struct db_stmt q_token_stale = DB_STMT("fetch_token_stale",
    "UPDATE users SET strava_token_expires_at = LEAST("
    "       strava_token_expires_at, NOW() AT TIME ZONE 'UTC') WHERE id = $1");

/* True if the event's updates say the activity just became private. */
static bool
made_private(const struct webhook_row *ev)
{
	json_t	*j = json_loads(ev->raw_payload, 0, NULL);
	bool	 yes;

	yes = json_is_string(json_object_get(json_object_get(j, "updates"),
	    "private")) && strcmp(json_string_value(json_object_get(
	    json_object_get(j, "updates"), "private")), "true") == 0;
	json_decref(j);
	return yes;
}

static enum job_result
store(struct job_ctx *ctx, const char *user_id, const json_t *json,
    int64_t athlete, char *err, size_t errlen)
{
	struct strava_activity	 a;
	struct sync_stats	 st;
	char			 perr[ACTIVITY_ERR_MAX], *raw;
	const char		*rawp[1];
	enum job_result		 res = JOB_RETRY;

	if (json_integer_value(json_object_get(json_object_get(json,
	    "athlete"), "id")) != athlete) {
		snprintf(err, errlen, "activity of another athlete: ignored");
		return JOB_SKIP;
	}
	if (!activity_from_json(json, &a, perr)) {
		snprintf(err, errlen, "unusable activity: %s", perr);
		return JOB_FAIL;
	}
	raw = json_dumps(json, JSON_COMPACT);
	rawp[0] = raw;
	memset(&st, 0, sizeof(st));
	if (db_begin(ctx->db) == -1 ||
	    sync_activities(ctx->db, user_id, &a, rawp, 1, &st) == -1 ||
	    db_commit(ctx->db) == -1) {
		db_rollback(ctx->db);
		snprintf(err, errlen, "database error storing the activity");
	} else if (st.stored == 0) {
		snprintf(err, errlen, "activity id owned by another runner");
		res = JOB_SKIP;
	} else {
		snprintf(err, errlen, "%s %s; %zu matched, %zu unmatched%s",
		    a.sport_type, st.inserted ? "stored" : "updated", st.added,
		    st.removed, match_is_run(a.sport_type) ? "" :
		    " (not a run: never matched)");
		res = JOB_OK;
	}
	free(raw);
	activity_free(&a);
	return res;
}

enum job_result
strava_job_fetch_activity(struct job_ctx *ctx, const struct webhook_row *ev,
    const char *user_id, char *err, size_t errlen)
{
	struct strava_auth	 auth;
	struct strava_resp	 r;
	enum job_result		 res;
	char			 path[64];

	switch (strava_access_token(ctx->cfg, ctx->db, user_id, &auth, err,
	    errlen)) {
	case TOKEN_OK:
		break;
	case TOKEN_RETRY:
		ctx->retry_after = auth.retry_after;
		return JOB_RETRY;
	case TOKEN_NOT_CONNECTED:
	case TOKEN_BROKEN:
		return JOB_SKIP;	/* err says why */
	default:
		return JOB_FAIL;
	}
	if (ev->aspect_type == WEBHOOK_UPDATE && made_private(ev) &&
	    !scope_has(auth.scope, "activity:read_all")) {
		snprintf(err, errlen, "private activity without "
		    "activity:read_all: skipped");
		return JOB_SKIP;
	}
	snprintf(path, sizeof(path), "/activities/%" PRId64, ev->object_id);
	strava_api_get(ctx->cfg, ctx->db, auth.access, path, &r);
	sodium_memzero(auth.access, sizeof(auth.access));
	switch (r.status) {
	case STRAVA_OK:
		res = store(ctx, user_id, r.json, auth.athlete_id, err, errlen);
		break;
	case STRAVA_NOT_FOUND:
		if (delete_seen(ctx, ev)) {
			/* Events out of order, or a replay after the delete. */
			snprintf(err, errlen, "activity deleted on Strava");
			res = JOB_SKIP;
		} else if (ev->aspect_type == WEBHOOK_CREATE) {
			/* Fresh uploads 404 until Strava has processed them. */
			snprintf(err, errlen, "activity not found yet");
			ctx->retry_after = FETCH_NOT_FOUND_WAIT <<
			    (ev->attempts < 8 ? ev->attempts - 1 : 7);
			res = JOB_RETRY;
		} else {
			snprintf(err, errlen, "activity not visible (deleted, "
			    "or private without activity:read_all)");
			res = JOB_SKIP;
		}
		break;
	case STRAVA_UNAUTHORIZED:
		/* Expired early or revoked: refresh on the retry; a refused
		 * refresh then marks the connection broken (and skips). */
		db_run(ctx->db, &q_token_stale, 1, &user_id);
		snprintf(err, errlen, "Strava refused the access token");
		res = JOB_RETRY;
		break;
	case STRAVA_RATE_LIMITED:
	case STRAVA_SERVER_ERROR:
	case STRAVA_TIMEOUT:
		ctx->retry_after = r.retry_after;
		snprintf(err, errlen, "%s", r.err);
		res = JOB_RETRY;
		break;
	default:
		snprintf(err, errlen, "%s", r.err);
		res = JOB_RETRY;
		break;
	}
	strava_resp_free(&r);
	return res;
}

/*
 * Deauthorization check: GET /athlete with the runner's token.  Strava
 * answering 200 means the access was not revoked, whatever the event
 * says; 401 (or a refused refresh) confirms it.
 */
enum job_result
strava_job_confirm_deauth(struct job_ctx *ctx, const char *user_id,
    char *err, size_t errlen)
{
	struct strava_auth	 auth;
	struct strava_resp	 r;
	enum job_result		 res;

	switch (strava_access_token(ctx->cfg, ctx->db, user_id, &auth, err,
	    errlen)) {
	case TOKEN_OK:
		break;
	case TOKEN_BROKEN:
		return JOB_OK;		/* Strava refused our refresh token */
	case TOKEN_NOT_CONNECTED:
		snprintf(err, errlen, "deauthorization: not connected, "
		    "nothing to delete");
		return JOB_SKIP;
	case TOKEN_RETRY:
		ctx->retry_after = auth.retry_after;
		return JOB_RETRY;
	default:
		/* Cannot ask Strava: an operator decides (cadence events). */
		return JOB_FAIL;
	}
	strava_api_get(ctx->cfg, ctx->db, auth.access, "/athlete", &r);
	sodium_memzero(auth.access, sizeof(auth.access));
	switch (r.status) {
	case STRAVA_OK:
		snprintf(err, errlen, "deauthorization not confirmed by "
		    "Strava");
		res = JOB_SKIP;
		break;
	case STRAVA_UNAUTHORIZED:
		res = JOB_OK;
		break;
	default:
		ctx->retry_after = r.retry_after;
		snprintf(err, errlen, "confirming the deauthorization: %s",
		    r.err);
		res = JOB_RETRY;
		break;
	}
	strava_resp_free(&r);
	return res;
}
