/*
 * fetch: see fetch.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "db/activity_detail.h"
#include "db/db.h"
#include "db/strava.h"
#include "db/webhooks.h"
#include "domain/match.h"
#include "strava/client.h"
#include "strava/fetch.h"
#include "strava/sync.h"
#include "strava/tokens.h"

/* The migration's default, for a database that cannot be read. */
#define FETCH_WINDOW_DEFAULT	60

/* A delete of the activity already arrived: a 404 is final. */
static bool
delete_seen(struct job_ctx *ctx, const struct webhook_row *ev)
{
	return db_webhooks_delete_seen(ctx->db, ev->athlete_id,
	    ev->object_id) == 1;
}

/*
 * Strava is eventually consistent: a fresh upload 404s, and a deleted
 * activity may still be served, for a moment.  Such an answer is asked
 * again within the not-found window counted from the event's arrival,
 * after window/6, then window/2 more (60 s: at 0, 10 and 40 s), so at
 * most three calls, and never once the window is over.  True (and *delay
 * set) when another attempt fits.
 */
bool
fetch_retry_within(int window, int attempts, int64_t age, int *delay)
{
	int64_t d = window / 6 > 0 ? window / 6 : 1;
	int	i;

	for (i = 1; i < attempts && d <= window; i++)
		d *= 3;
	if (window <= 0 || age + d > window)
		return false;
	*delay = (int)d;
	return true;
}

static bool
again_later(struct job_ctx *ctx, const struct webhook_row *ev)
{
	struct webhook_settings	s;
	int			window = FETCH_WINDOW_DEFAULT;

	/* Read on this rare path only, so a change applies at once. */
	if (ctx->settings != NULL)
		window = ctx->settings->v[WS_NOT_FOUND_WINDOW];
	else if (db_webhooks_settings_load(ctx->db, &s) == 0)
		window = s.v[WS_NOT_FOUND_WINDOW];

	return fetch_retry_within(window, ev->attempts, ev->age,
	    &ctx->retry_after);
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
	    activities_store_splits(ctx->db, user_id, a.id, &a.splits) == -1 ||
	    db_commit(ctx->db) == -1) {
		db_rollback(ctx->db);
		snprintf(err, errlen, "database error storing the activity");
	} else if (st.copies > 0) {
		snprintf(err, errlen, "kept as a copy of a run shown from "
		    "another record");
		res = JOB_OK;
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

/*
 * 200: stored (refreshed).  A delete Strava does not confirm deletes
 * nothing: asked again within the window (Strava may lag), then dropped
 * as forged or stale.  Events of this activity that arrived before the
 * fetch began are answered by it.
 */
static enum job_result
found(struct job_ctx *ctx, const struct webhook_row *ev, const char *user_id,
    const struct strava_resp *r, int64_t athlete, char *err, size_t errlen)
{
	enum job_result res = store(ctx, user_id, r->json, athlete, err,
	    errlen);

	if (res != JOB_OK)
		return res;
	queue_coalesce(ctx, ev, JOB_ASPECT(WEBHOOK_CREATE) |
	    JOB_ASPECT(WEBHOOK_UPDATE));
	if (ev->aspect_type != WEBHOOK_DELETE)
		return JOB_OK;
	if (again_later(ctx, ev)) {
		snprintf(err, errlen, "delete not confirmed by Strava yet: "
		    "the activity is still there");
		return JOB_RETRY;
	}
	snprintf(err, errlen, "delete not confirmed by Strava: the activity "
	    "is still there (kept)");
	return JOB_SKIP;
}

/*
 * 404: deleted, or private while the runner granted only activity:read
 * (Strava answers both alike), or never there.  A create is asked again
 * within the window (a fresh upload is not served yet); anything else
 * removes our copy, if any.
 */
static enum job_result
not_found(struct job_ctx *ctx, const struct webhook_row *ev,
    const char *user_id, char *err, size_t errlen)
{
	int n;

	if (ev->aspect_type == WEBHOOK_CREATE && !delete_seen(ctx, ev) &&
	    again_later(ctx, ev)) {
		snprintf(err, errlen, "activity not found yet");
		return JOB_RETRY;
	}
	if ((n = sync_remove_activity(ctx->db, user_id, ev->object_id)) < 0) {
		snprintf(err, errlen, "database error removing the activity");
		return JOB_RETRY;
	}
	queue_coalesce(ctx, ev, JOB_ASPECT(WEBHOOK_UPDATE) |
	    JOB_ASPECT(WEBHOOK_DELETE));
	snprintf(err, errlen, n > 0 ? "activity gone from Strava (deleted, or "
	    "private without activity:read_all): removed; workouts "
	    "re-evaluated" : "activity not on Strava (deleted, private "
	    "without activity:read_all, or never there): nothing stored");
	return n > 0 ? JOB_OK : JOB_SKIP;
}

/*
 * 401.  A missing scope is no expiry: refreshing cannot grant it, so the
 * connection is marked for re-authorisation and nothing is retried.  Any
 * other 401: refresh on the retry; a refused refresh then marks the
 * connection broken (and skips).
 */
static enum job_result
unauthorized(struct job_ctx *ctx, const char *user_id,
    const struct strava_resp *r, char *err, size_t errlen)
{
	char scope[64];

	if (strava_missing_scope(r->body.data, r->body.len, scope,
	    sizeof(scope))) {
		if (token_needs_scope(ctx->db, user_id, scope) == -1) {
			snprintf(err, errlen, "database error marking the "
			    "connection");
			return JOB_RETRY;
		}
		snprintf(err, errlen, "Strava says the token lacks %s: the "
		    "runner must authorize again", scope);
		return JOB_SKIP;
	}
	db_strava_token_stale(ctx->db, user_id);
	snprintf(err, errlen, "Strava refused the access token");
	return JOB_RETRY;
}

/* A token for user_id, or the outcome when there is none to use. */
static bool
runner_token(struct job_ctx *ctx, const char *user_id,
    struct strava_auth *auth, enum job_result *res, char *err, size_t errlen)
{
	switch (strava_access_token(ctx->cfg, ctx->db, user_id, auth, err,
	    errlen)) {
	case TOKEN_OK:
		return true;
	case TOKEN_RETRY:
		ctx->retry_after = auth->retry_after;
		*res = JOB_RETRY;
		break;
	case TOKEN_NOT_CONNECTED:
	case TOKEN_BROKEN:
	case TOKEN_NEEDS_SCOPE:
		*res = JOB_SKIP;	/* err says why; no call is made */
		break;
	default:
		*res = JOB_FAIL;
		break;
	}
	sodium_memzero(auth->access, sizeof(auth->access));
	return false;
}

enum job_result
strava_job_fetch_activity(struct job_ctx *ctx, const struct webhook_row *ev,
    const char *user_id, char *err, size_t errlen)
{
	struct strava_auth	 auth;
	struct strava_resp	 r;
	enum job_result		 res;
	char			 path[64];

	if (!runner_token(ctx, user_id, &auth, &res, err, errlen))
		return res;
	snprintf(path, sizeof(path), "/activities/%" PRId64, ev->object_id);
	strava_api_get(ctx->cfg, ctx->db, auth.access, path, &r);
	sodium_memzero(auth.access, sizeof(auth.access));
	switch (r.status) {
	case STRAVA_OK:
		res = found(ctx, ev, user_id, &r, auth.athlete_id, err, errlen);
		break;
	case STRAVA_NOT_FOUND:
		res = not_found(ctx, ev, user_id, err, errlen);
		break;
	case STRAVA_UNAUTHORIZED:
		res = unauthorized(ctx, user_id, &r, err, errlen);
		break;
	case STRAVA_BAD_REQUEST:
		/* Our request is wrong: neither a retry nor a refresh helps;
		 * parked for an operator (cadence events). */
		snprintf(err, errlen, "%s", r.err);
		res = JOB_FAIL;
		break;
	default:	/* 429, 5xx, timeouts, unusable answers */
		ctx->retry_after = r.retry_after;
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
	case TOKEN_NEEDS_SCOPE:	/* a token all the same: ask Strava */
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
