/*
 * wellness: the user endpoints, activity pull and backfill, and the
 * notifications Garmin sends to the partner.
 *
 *   GET    /wellness-api/rest/user/id           {"userId":"..."}
 *   GET    /wellness-api/rest/user/permissions  ["ACTIVITY_EXPORT", ...]
 *   GET    /userPermissions/                    the Training API's probe
 *   DELETE /wellness-api/rest/user/registration 204, then a deregistration
 *   GET    /wellness-api/rest/activities?uploadStartTimeInSeconds&
 *          uploadEndTimeInSeconds               summaries uploaded then
 *   GET    /wellness-api/rest/activityDetails?uploadStartTimeInSeconds&
 *          uploadEndTimeInSeconds               their details (samples)
 *   GET    /wellness-api/rest/backfill/activities?summaryStartTimeInSeconds&
 *          summaryEndTimeInSeconds              202; the summaries follow
 *                                               as notifications
 *   GET    /wellness-api/rest/backfill/activityDetails?...  the same for
 *                                               their details
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "garmin_sandbox/gm.h"

static struct sb_delivery_opts
opts(const struct gm_app *app)
{
	struct sb_delivery_opts o = { app->cfg.webhook_timeout_ms,
	    app->cfg.webhook_attempts, app->cfg.webhook_retry_delay_ms };

	return o;
}

/* Ping: where the partner pulls the summary (what) from, by upload time. */
static json_t *
ping_entry(const struct gm_app *app, const struct gm_activity *a,
    const char *what)
{
	char url[GM_URL_MAX + 128];

	snprintf(url, sizeof(url), "%s/wellness-api/rest/%s?"
	    "uploadStartTimeInSeconds=%lld&uploadEndTimeInSeconds=%lld",
	    app->base_url, what, (long long)a->uploaded,
	    (long long)a->uploaded + 1);
	return json_pack("{s:s, s:s}", "userId", app->users[a->user].id,
	    "callbackURL", url);
}

void
gm_notify_activities(struct gm_app *app, const struct gm_activity *acts, int n)
{
	struct sb_delivery_opts o = opts(app);
	json_t *list;
	int i;

	if (app->cfg.activities_url[0] == '\0' || n <= 0)
		return;
	if (app->cfg.ping_mode) {
		/* One ping per upload window, here one per activity. */
		for (i = 0; i < n; i++)
			sb_webhook_send(app->wh, app->cfg.activities_url, json_pack(
			    "{s:[o]}", "activities", ping_entry(app, &acts[i],
			    "activities")), &o);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, gm_activity_json(app, &acts[i]));
	sb_webhook_send(app->wh, app->cfg.activities_url,
	    json_pack("{s:o}", "activities", list), &o);
}

void
gm_notify_details(struct gm_app *app, const struct gm_activity *acts, int n)
{
	struct sb_delivery_opts o = opts(app);
	json_t *list, *d;
	int i;

	if (app->cfg.activity_details_url[0] == '\0' || n <= 0)
		return;
	list = json_array();
	for (i = 0; i < n; i++) {
		if (acts[i].manual)
			continue;	/* entered by hand: nothing recorded */
		d = app->cfg.ping_mode ? ping_entry(app, &acts[i],
		    "activityDetails") : gm_details_json(app, &acts[i]);
		if (app->cfg.ping_mode)
			sb_webhook_send(app->wh, app->cfg.activity_details_url,
			    json_pack("{s:[o]}", "activityDetails", d), &o);
		else
			json_array_append_new(list, d);
	}
	if (json_array_size(list) > 0)
		sb_webhook_send(app->wh, app->cfg.activity_details_url,
		    json_pack("{s:O}", "activityDetails", list), &o);
	json_decref(list);
}

void
gm_notify_deregistration(struct gm_app *app, int user)
{
	struct sb_delivery_opts o = opts(app);

	if (app->cfg.deregistrations_url[0] == '\0')
		return;
	sb_webhook_send(app->wh, app->cfg.deregistrations_url, json_pack(
	    "{s:[{s:s}]}", "deregistrations", "userId", app->users[user].id), &o);
}

void
gm_notify_permissions(struct gm_app *app, int user)
{
	struct sb_delivery_opts o = opts(app);
	char sid[40];

	if (app->cfg.permissions_url[0] == '\0')
		return;
	snprintf(sid, sizeof(sid), "x%llx-%llx", (long long)app->next_summary++,
	    (long long)gm_now());
	sb_webhook_send(app->wh, app->cfg.permissions_url, json_pack(
	    "{s:[{s:s, s:s, s:o, s:I}]}", "userPermissionsChange",
	    "userId", app->users[user].id, "summaryId", sid,
	    "permissions", gm_perms_json(app->users[user].perms),
	    "changeTimeInSeconds", (json_int_t)gm_now()), &o);
}

/* Two epoch-second parameters forming a window of at most max seconds. */
static bool
window(struct sb_request *r, const char *k1, const char *k2, int64_t max,
    int64_t *a, int64_t *b, struct sb_response *res)
{
	char msg[160];

	if (!parse_int64(sb_param(r, k1) ? sb_param(r, k1) : "", 0, INT64_MAX / 2, a) ||
	    !parse_int64(sb_param(r, k2) ? sb_param(r, k2) : "", 0, INT64_MAX / 2, b)) {
		snprintf(msg, sizeof(msg), "%s and %s are required, in seconds", k1, k2);
		gm_error(res, 400, msg);
		return false;
	}
	if (*b <= *a || *b - *a > max) {
		snprintf(msg, sizeof(msg), "the time range must be positive and at most "
		    "%lld seconds", (long long)max);
		gm_error(res, 400, msg);
		return false;
	}
	return true;
}

/*
 * A pull of summaries (activities) or of their details: the same
 * permission and window rules; as renders one activity, NULL to skip it.
 */
static void
pull_list(struct gm_app *app, int u, struct sb_request *r,
    struct sb_response *res,
    json_t *(*as)(const struct gm_app *, const struct gm_activity *))
{
	int64_t a, b;
	json_t *list, *j;
	int i;

	if (!(app->users[u].perms & GM_ACTIVITY_EXPORT)) {
		gm_error(res, 412, "The user has not granted ACTIVITY_EXPORT");
		return;
	}
	if (!window(r, "uploadStartTimeInSeconds", "uploadEndTimeInSeconds",
	    GM_PULL_WINDOW_S, &a, &b, res))
		return;
	list = json_array();
	for (i = 0; i < app->nacts; i++)
		if (app->acts[i].user == u && app->acts[i].uploaded >= a &&
		    app->acts[i].uploaded < b &&
		    (j = as(app, &app->acts[i])) != NULL)
			json_array_append_new(list, j);
	sb_json(res, 200, list);
}

/*
 * Backfill of activities (details false) or of their details: 202, then
 * the notifications of what started in the window.
 */
static void
backfill(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res,
    bool details)
{
	struct gm_activity *found;
	int64_t a, b;
	int i, n = 0;

	if (!(app->users[u].perms & GM_HISTORICAL_DATA_EXPORT)) {
		gm_error(res, 412, "The user has not granted HISTORICAL_DATA_EXPORT");
		return;
	}
	if (!window(r, "summaryStartTimeInSeconds", "summaryEndTimeInSeconds",
	    GM_BACKFILL_WINDOW_S, &a, &b, res))
		return;
	for (i = 0; i < app->nbackfills; i++)
		if (app->backfills[i][0] == u && app->backfills[i][1] == a &&
		    app->backfills[i][2] == b && app->backfills[i][3] == details) {
			gm_error(res, 409, "Duplicate backfill request");
			return;
		}
	if (app->nbackfills < GM_MAX_BACKFILLS) {
		app->backfills[app->nbackfills][0] = u;
		app->backfills[app->nbackfills][1] = a;
		app->backfills[app->nbackfills][2] = b;
		app->backfills[app->nbackfills++][3] = details;
	}
	found = xcalloc((size_t)app->nacts + 1, sizeof(*found));
	for (i = 0; i < app->nacts; i++)
		if (app->acts[i].user == u && app->acts[i].start >= a && app->acts[i].start < b)
			found[n++] = app->acts[i];
	res->status = 202;
	buf_reset(&res->body);
	if (details)
		gm_notify_details(app, found, n);
	else
		gm_notify_activities(app, found, n);
	free(found);
}

static bool
user_route(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res)
{
	if (strcmp(r->path, "/wellness-api/rest/user/id") == 0)
		sb_json(res, 200, json_pack("{s:s}", "userId", app->users[u].id));
	else if (strcmp(r->path, "/wellness-api/rest/user/permissions") == 0 ||
	    strcmp(r->path, "/userPermissions/") == 0 ||
	    strcmp(r->path, "/userPermissions") == 0)
		sb_json(res, 200, gm_perms_json(app->users[u].perms));
	else if (strcmp(r->path, "/wellness-api/rest/user/registration") == 0) {
		if (strcmp(r->method, "DELETE") != 0) {
			gm_error(res, 405, "DELETE only");
			return true;
		}
		gm_revoke_user(app, u);
		res->status = 204;
		gm_notify_deregistration(app, u);
	} else if (strcmp(r->path, "/wellness-api/rest/activities") == 0)
		pull_list(app, u, r, res, gm_activity_json);
	else if (strcmp(r->path, "/wellness-api/rest/activityDetails") == 0)
		pull_list(app, u, r, res, gm_details_json);
	else if (strcmp(r->path, "/wellness-api/rest/backfill/activities") == 0)
		backfill(app, u, r, res, false);
	else if (strcmp(r->path, "/wellness-api/rest/backfill/activityDetails") == 0)
		backfill(app, u, r, res, true);
	else
		return false;
	return true;
}

bool
gm_wellness_route(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	int u;

	if (strncmp(r->path, "/wellness-api/", 14) != 0 &&
	    strncmp(r->path, "/userPermissions", 16) != 0)
		return false;
	if (gm_fault(app, res))
		return true;
	if ((u = gm_auth_user(app, r)) < 0) {
		gm_error(res, 401, "Unauthorized: the access token is missing, "
		    "expired or revoked");
		return true;
	}
	if (!user_route(app, u, r, res))
		gm_error(res, 404, "Not found");
	return true;
}
