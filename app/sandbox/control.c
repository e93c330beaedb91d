/*
 * control: the JSON API under /_sandbox/ that tests (and the HTML pages)
 * use to play the athlete and to bend the sandbox: record, edit and delete
 * activities, bulk imports, the webhook delivery log, configuration and
 * fault switches.  Documented in docs/strava-sandbox.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sandbox/app.h"
#include "sandbox/seed.h"

#define BULK_MAX	100000

static bool
is(const struct sb_request *req, const char *method, const char *path)
{
	return strcmp(req->method, method) == 0 && strcmp(req->path, path) == 0;
}

static void
bad_param(struct sb_response *res, const char *field)
{
	sb_error(res, 400, "Bad Request", "Sandbox", field, "invalid");
}

static void
copy_param(struct sb_request *req, const char *key, char *dst, size_t size)
{
	const char *v = sb_param(req, key);

	if (v != NULL)
		snprintf(dst, size, "%s", v);
}

static void
create_athlete(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_athlete *a;

	if (sb_param(req, "firstname") == NULL || *sb_param(req, "firstname") == '\0') {
		bad_param(res, "firstname");
		return;
	}
	a = sb_athlete_add(&app->store);
	copy_param(req, "firstname", a->firstname, sizeof(a->firstname));
	copy_param(req, "lastname", a->lastname, sizeof(a->lastname));
	snprintf(a->username, sizeof(a->username), "athlete%lld", (long long)a->id);
	copy_param(req, "username", a->username, sizeof(a->username));
	copy_param(req, "city", a->city, sizeof(a->city));
	copy_param(req, "country", a->country, sizeof(a->country));
	copy_param(req, "sex", a->sex, sizeof(a->sex));
	a->created_at = sb_now();
	sb_app_changed(app);
	sb_json(res, 201, sb_athlete_json(a, 3));
}

static void
list_athletes(struct sb_app *app, struct sb_response *res)
{
	json_t	*out = json_array();
	size_t	 i;

	for (i = 0; i < app->store.nathletes; i++)
		json_array_append_new(out, sb_athlete_json(&app->store.athletes[i], 3));
	sb_json(res, 200, out);
}

static int
newest_first(const void *x, const void *y)
{
	const struct sb_activity *a = x, *b = y;

	return a->start < b->start ? 1 : (a->start > b->start ? -1 : 0);
}

static void
list_activities(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	json_t		*out = json_array();
	int64_t		 who = 0;
	size_t		 i;

	if (sb_param(req, "athlete_id") != NULL &&
	    !parse_int64(sb_param(req, "athlete_id"), 1, INT64_MAX, &who)) {
		json_decref(out);
		bad_param(res, "athlete_id");
		return;
	}
	qsort(s->acts, s->nacts, sizeof(*s->acts), newest_first);
	for (i = 0; i < s->nacts; i++)
		if (who == 0 || s->acts[i].athlete_id == who)
			json_array_append_new(out, sb_activity_json(&s->acts[i], 3));
	sb_json(res, 200, out);
}

/* Creates count runs, one every interval seconds back from before. */
static void
bulk(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	int64_t		 who = s->nathletes ? s->athletes[0].id : 0, count, interval, before;
	int64_t		 first = s->next_activity_id, i;
	uint64_t	 rng = app->seed * 7919 + (uint64_t)s->next_activity_id;

	if (sb_param(req, "athlete_id") != NULL &&
	    !parse_int64(sb_param(req, "athlete_id"), 1, INT64_MAX, &who))
		who = 0;
	if (sb_athlete_find(s, who) == NULL) {
		bad_param(res, "athlete_id");
		return;
	}
	if (!parse_int64(sb_param(req, "count"), 1, BULK_MAX, &count)) {
		bad_param(res, "count");
		return;
	}
	interval = 86400;
	before = sb_now() - 3600;
	if ((sb_param(req, "interval") != NULL &&
	    !parse_int64(sb_param(req, "interval"), 60, 86400 * 30, &interval)) ||
	    (sb_param(req, "before") != NULL &&
	    !parse_int64(sb_param(req, "before"), 0, INT64_MAX / 2, &before))) {
		bad_param(res, "interval");
		return;
	}
	for (i = 0; i < count; i++)
		sb_seed_fill(s, who, &rng, before - (i + 1) * interval);
	sb_app_changed(app);
	sb_json(res, 201, json_pack("{s:I, s:I, s:I}", "created", (json_int_t)count,
	    "first_id", (json_int_t)first, "last_id", (json_int_t)(s->next_activity_id - 1)));
}

static void
recorded(struct sb_app *app, struct sb_request *req, struct sb_response *res,
    int64_t id, const char *bad, int status)
{
	if (id == 0)
		bad_param(res, bad);
	else if (sb_is_form(req))
		sb_redirect(res, 303, "/");
	else
		sb_json(res, status, sb_activity_json(sb_activity_find(&app->store, id), 3));
}

/* /_sandbox/activities/ID[/delete] */
static void
one_activity(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	const char	*rest = req->path + strlen("/_sandbox/activities/");
	const char	*bad = "id";
	char		 idstr[32];
	int64_t		 id;
	size_t		 n = strcspn(rest, "/");
	bool		 del;

	snprintf(idstr, sizeof(idstr), "%.*s", (int)(n < 31 ? n : 31), rest);
	del = strcmp(rest + n, "/delete") == 0 && strcmp(req->method, "POST") == 0;
	if (!parse_int64(idstr, 1, INT64_MAX, &id) || (rest[n] != '\0' && !del) ||
	    sb_activity_find(&app->store, id) == NULL) {
		sb_error(res, 404, "Record Not Found", "Activity", "id", "invalid");
		return;
	}
	if (strcmp(req->method, "GET") == 0)
		sb_json(res, 200, sb_activity_json(sb_activity_find(&app->store, id), 3));
	else if (del || strcmp(req->method, "DELETE") == 0) {
		sb_delete_activity(app, id);
		if (sb_is_form(req))
			sb_redirect(res, 303, "/");
		else
			res->status = 204;
	} else if (strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0) {
		id = sb_record_activity(app, req, id, &bad);
		recorded(app, req, res, id, bad, 200);
	} else
		sb_error(res, 405, "Method Not Allowed", "Request", "method", "invalid");
}

static void
config(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	const char	*bad = "body";
	json_t		*j;
	bool		 ok;

	if (strcmp(req->method, "POST") == 0) {
		/* JSON whatever the Content-Type (curl -d sends a form type). */
		j = json_loadb(req->body ? req->body : "", req->body_len, 0, NULL);
		ok = j != NULL && json_is_object(j) && sb_config_apply(&app->store.cfg, j, &bad);
		json_decref(j);
		if (!ok) {
			bad_param(res, bad);
			return;
		}
		sb_app_changed(app);
	}
	sb_json(res, 200, sb_config_json(&app->store.cfg));
}

static void
deliveries(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	if (strcmp(req->method, "DELETE") == 0) {
		sb_webhook_log_clear(app->wh);
		res->status = 204;
		return;
	}
	sb_json(res, 200, json_pack("{s:I, s:o}", "pending",
	    (json_int_t)sb_webhook_pending(app->wh), "deliveries", sb_webhook_log(app->wh)));
}

static void
expire_tokens(struct sb_app *app, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	int64_t		 now = sb_now();
	size_t		 i, n = 0;

	for (i = 0; i < s->ngrants; i++)
		if (!s->grants[i].revoked && s->grants[i].expires_at > now - 1) {
			s->grants[i].expires_at = now - 1;
			n++;
		}
	sb_app_changed(app);
	sb_json(res, 200, json_pack("{s:I}", "expired", (json_int_t)n));
}

static void
tokens(struct sb_app *app, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	json_t		*out = json_array();
	size_t		 i;

	for (i = 0; i < s->ngrants; i++)
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}",
		    "athlete_id", (json_int_t)s->grants[i].athlete_id,
		    "access_token", s->grants[i].access, "refresh_token", s->grants[i].refresh,
		    "scope", s->grants[i].scope, "expires_at", (json_int_t)s->grants[i].expires_at,
		    "revoked", s->grants[i].revoked));
	sb_json(res, 200, out);
}

/*
 * The athlete authorizes the app again with other scopes (on Strava: a
 * new consent with boxes unticked); the live grants keep their tokens but
 * carry the new scope, so API calls answer as that scope allows.
 */
static void
grant_scope(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	const char	*scope = sb_param(req, "scope");
	int64_t		 who;
	size_t		 i, n = 0;

	if (!parse_int64(sb_param(req, "athlete_id"), 1, INT64_MAX, &who)) {
		bad_param(res, "athlete_id");
		return;
	}
	if (scope == NULL || strlen(scope) >= SB_SCOPE_MAX) {
		bad_param(res, "scope");
		return;
	}
	for (i = 0; i < s->ngrants; i++)
		if (s->grants[i].athlete_id == who && !s->grants[i].revoked) {
			snprintf(s->grants[i].scope, sizeof(s->grants[i].scope),
			    "%s", scope);
			n++;
		}
	sb_app_changed(app);
	sb_json(res, 200, json_pack("{s:I}", "changed", (json_int_t)n));
}

/* The rate-limit counters: calls Strava would have counted. */
static void
usage(struct sb_app *app, struct sb_response *res)
{
	const struct sb_usage *u = &app->store.usage;

	sb_json(res, 200, json_pack("{s:i, s:i, s:i, s:i}", "usage_15min",
	    u->all15, "usage_daily", u->allday, "read_usage_15min", u->read15,
	    "read_usage_daily", u->readday));
}

bool
sb_control_route(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	const char	*bad = "body";
	int64_t		 id;

	if (!str_has_prefix(req->path, "/_sandbox/"))
		return false;
	if (is(req, "GET", "/_sandbox/health"))
		sb_json(res, 200, json_pack("{s:b, s:I}", "ok", 1, "client_id",
		    (json_int_t)app->store.client_id));
	else if (is(req, "GET", "/_sandbox/athletes"))
		list_athletes(app, res);
	else if (is(req, "POST", "/_sandbox/athletes"))
		create_athlete(app, req, res);
	else if (is(req, "GET", "/_sandbox/activities"))
		list_activities(app, req, res);
	else if (is(req, "POST", "/_sandbox/activities")) {
		id = sb_record_activity(app, req, 0, &bad);
		recorded(app, req, res, id, bad, 201);
	} else if (is(req, "POST", "/_sandbox/activities/bulk"))
		bulk(app, req, res);
	else if (str_has_prefix(req->path, "/_sandbox/activities/"))
		one_activity(app, req, res);
	else if (strcmp(req->path, "/_sandbox/deliveries") == 0)
		deliveries(app, req, res);
	else if (strcmp(req->path, "/_sandbox/config") == 0)
		config(app, req, res);
	else if (is(req, "POST", "/_sandbox/expire-tokens"))
		expire_tokens(app, res);
	else if (is(req, "GET", "/_sandbox/tokens"))
		tokens(app, res);
	else if (is(req, "POST", "/_sandbox/tokens/scope"))
		grant_scope(app, req, res);
	else if (is(req, "GET", "/_sandbox/usage"))
		usage(app, res);
	else if (is(req, "POST", "/_sandbox/reset-usage")) {
		memset(&app->store.usage, 0, sizeof(app->store.usage));
		res->status = 204;
	} else if (is(req, "POST", "/_sandbox/reset")) {
		sb_app_reset(app);
		sb_json(res, 200, json_pack("{s:b}", "ok", 1));
	} else
		sb_error(res, 404, "Record Not Found", "resource", "path", "invalid");
	return true;
}
