/*
 * api: Strava's REST v3 - the authenticated athlete, their activities and
 * the application's push subscription - with its rate limits and the
 * faults tests can switch on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"
#include "sandbox/app.h"
#include "sandbox/tz.h"

#define PER_PAGE_DEFAULT	30
#define PER_PAGE_MAX		200
#define WINDOW_S		900	/* 15 minutes, aligned to the clock */
#define DAY_S			86400

static void
unauthorized(struct sb_response *res)
{
	sb_error(res, 401, "Authorization Error", "Athlete", "access_token", "invalid");
}

static void
not_found(struct sb_response *res, const char *resource)
{
	sb_error(res, 404, "Record Not Found", resource, "id", "invalid");
}

/* Counts the call; adds the usage headers; false when over a limit. */
static bool
rate_limit(struct sb_store *s, bool read, struct sb_response *res)
{
	struct sb_usage		*u = &s->usage;
	const struct sb_config	*c = &s->cfg;
	int64_t			 now = sb_now();
	char			 v[64];

	if (u->window15 != now / WINDOW_S) {
		u->window15 = now / WINDOW_S;
		u->all15 = u->read15 = 0;
	}
	if (u->day != now / DAY_S) {
		u->day = now / DAY_S;
		u->allday = u->readday = 0;
	}
	u->all15++;
	u->allday++;
	if (read) {
		u->read15++;
		u->readday++;
	}
	snprintf(v, sizeof(v), "%d,%d", c->rate_limit_15min, c->rate_limit_daily);
	sb_header(res, "X-RateLimit-Limit", v);
	snprintf(v, sizeof(v), "%d,%d", u->all15, u->allday);
	sb_header(res, "X-RateLimit-Usage", v);
	snprintf(v, sizeof(v), "%d,%d", c->read_rate_limit_15min, c->read_rate_limit_daily);
	sb_header(res, "X-ReadRateLimit-Limit", v);
	snprintf(v, sizeof(v), "%d,%d", u->read15, u->readday);
	sb_header(res, "X-ReadRateLimit-Usage", v);
	return u->all15 <= c->rate_limit_15min && u->allday <= c->rate_limit_daily &&
	    (!read || (u->read15 <= c->read_rate_limit_15min &&
	    u->readday <= c->read_rate_limit_daily));
}

static void
too_many(struct sb_response *res)
{
	sb_error(res, 429, "Rate Limit Exceeded", "Application", "rate limit", "exceeded");
}

/* Switched-on faults; true when one answered. */
static bool
inject_fault(struct sb_app *app, struct sb_response *res)
{
	struct sb_config *c = &app->store.cfg;

	if (c->fail_next_429 > 0) {
		c->fail_next_429--;
		sb_app_changed(app);
		too_many(res);
		return true;
	}
	if (c->fail_next_400 > 0) {
		/* What Strava answers a request it cannot take (a bad
		 * parameter): not an authorization problem. */
		c->fail_next_400--;
		sb_app_changed(app);
		sb_error(res, 400, "Bad Request", "Application", "request",
		    "invalid");
		return true;
	}
	if (c->fail_next_5xx > 0) {
		c->fail_next_5xx--;
		sb_app_changed(app);
		sb_json(res, c->fail_5xx_status, json_pack("{s:s, s:[]}", "message",
		    sb_status_text(c->fail_5xx_status), "errors"));
		return true;
	}
	return false;
}

static struct sb_grant *
authenticate(struct sb_app *app, struct sb_request *req)
{
	const char	*h = req->authorization;
	struct sb_grant	*g;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 ||
	    (g = sb_grant_by_access(&app->store, h + 7)) == NULL ||
	    g->revoked || g->expires_at <= sb_now())
		return NULL;
	return g;
}

static bool
can_read_activities(const struct sb_grant *g, struct sb_response *res)
{
	if (sb_grant_has_scope(g, "activity:read") || sb_grant_has_scope(g, "activity:read_all"))
		return true;
	sb_error(res, 401, "Authorization Error", "AccessToken", "activity:read_permission",
	    "missing");
	return false;
}

static bool
visible(const struct sb_activity *a, const struct sb_grant *g)
{
	return a->athlete_id == g->athlete_id &&
	    (!a->private_ || sb_grant_has_scope(g, "activity:read_all"));
}

static int
by_start_desc(const void *x, const void *y)
{
	const struct sb_activity *a = *(const struct sb_activity *const *)x;
	const struct sb_activity *b = *(const struct sb_activity *const *)y;

	if (a->start != b->start)
		return a->start < b->start ? 1 : -1;
	return a->id < b->id ? 1 : (a->id > b->id ? -1 : 0);
}

static int
by_start_asc(const void *x, const void *y)
{
	return by_start_desc(y, x);
}

static bool
int_param(struct sb_request *req, const char *key, int64_t def, int64_t *out,
    struct sb_response *res)
{
	const char *v = sb_param(req, key);

	*out = def;
	if (v == NULL || *v == '\0')
		return true;
	if (parse_int64(v, INT32_MIN * 1000LL, INT64_MAX / 2, out))
		return true;
	sb_error(res, 400, "Bad Request", "Application", key, "invalid");
	return false;
}

/*
 * GET /athlete/activities: newest first; with "after" Strava answers
 * oldest first (observed behaviour, relied on by incremental syncs).
 */
static void
list_activities(struct sb_app *app, struct sb_request *req, const struct sb_grant *g,
    struct sb_response *res)
{
	struct sb_store		 *s = &app->store;
	const struct sb_activity **hits;
	int64_t			  before, after, page, per_page, from;
	size_t			  n = 0, i;
	json_t			 *out;

	if (!int_param(req, "before", INT64_MAX, &before, res) ||
	    !int_param(req, "after", INT64_MIN, &after, res) ||
	    !int_param(req, "page", 1, &page, res) ||
	    !int_param(req, "per_page", PER_PAGE_DEFAULT, &per_page, res))
		return;
	if (page < 1)
		page = 1;
	if (per_page < 1)
		per_page = PER_PAGE_DEFAULT;
	if (per_page > PER_PAGE_MAX)
		per_page = PER_PAGE_MAX;
	hits = xcalloc(s->nacts, sizeof(*hits));
	for (i = 0; i < s->nacts; i++)
		if (visible(&s->acts[i], g) && s->acts[i].start < before &&
		    s->acts[i].start > after)
			hits[n++] = &s->acts[i];
	qsort(hits, n, sizeof(*hits), sb_param(req, "after") ? by_start_asc : by_start_desc);
	out = json_array();
	from = (page - 1) * per_page;
	for (i = 0; from >= 0 && (size_t)from < n && i < (size_t)per_page &&
	    (size_t)from + i < n; i++)
		json_array_append_new(out, sb_activity_json(hits[from + i], 2));
	free(hits);
	sb_json(res, 200, out);
}

static void
get_activity(struct sb_app *app, const char *idstr, const struct sb_grant *g,
    struct sb_response *res)
{
	struct sb_activity	*a;
	int64_t			 id;

	if (!parse_int64(idstr, 1, INT64_MAX, &id) ||
	    (a = sb_activity_find(&app->store, id)) == NULL || !visible(a, g)) {
		not_found(res, "Activity");
		return;
	}
	if (a->hidden_fetches > 0) {		/* not "processed" yet */
		a->hidden_fetches--;
		sb_app_changed(app);
		not_found(res, "Activity");
		return;
	}
	sb_json(res, 200, sb_activity_json(a, 3));
}

static void
athlete_api(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_grant	*g;
	const char	*p = req->path + strlen("/api/v3");
	bool		 get = strcmp(req->method, "GET") == 0;

	if (app->store.cfg.delay_ms > 0) {
		struct timespec ts = { app->store.cfg.delay_ms / 1000,
		    (long)(app->store.cfg.delay_ms % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	if (!rate_limit(&app->store, get, res)) {
		too_many(res);
		return;
	}
	if (inject_fault(app, res))
		return;
	if ((g = authenticate(app, req)) == NULL) {
		unauthorized(res);
		return;
	}
	if (strcmp(p, "/athlete") == 0 && get)
		sb_json(res, 200, sb_athlete_json(sb_athlete_find(&app->store, g->athlete_id),
		    sb_grant_has_scope(g, "profile:read_all") ? 3 : 2));
	else if (strcmp(p, "/athlete/activities") == 0 && get) {
		if (can_read_activities(g, res))
			list_activities(app, req, g, res);
	} else if (str_has_prefix(p, "/activities/") && strchr(p + 12, '/') == NULL && get) {
		if (can_read_activities(g, res))
			get_activity(app, p + 12, g, res);
	} else
		sb_error(res, 404, "Record Not Found", "resource", "path", "invalid");
}

static json_t *
subscription_json(const struct sb_store *s)
{
	char created[21], updated[21];

	sb_iso8601(s->sub.created_at, created);
	sb_iso8601(s->sub.updated_at, updated);
	return json_pack("{s:I, s:i, s:I, s:s, s:s, s:s}", "id", (json_int_t)s->sub.id,
	    "resource_state", 2, "application_id", (json_int_t)s->client_id,
	    "callback_url", s->sub.callback_url, "created_at", created,
	    "updated_at", updated);
}

static void
create_subscription(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	const char	*url = sb_param(req, "callback_url");
	const char	*vt = sb_param(req, "verify_token");
	char		 err[512];

	if (url == NULL || *url == '\0' || strlen(url) >= sizeof(s->sub.callback_url)) {
		sb_error(res, 400, "Bad Request", "PushSubscription", "callback_url", "missing");
		return;
	}
	if (vt == NULL || strlen(vt) >= sizeof(s->sub.verify_token)) {
		sb_error(res, 400, "Bad Request", "PushSubscription", "verify_token", "missing");
		return;
	}
	if (s->has_sub) {
		sb_error(res, 400, "Bad Request", "PushSubscription", "", "already exists");
		return;
	}
	/* Blocking on purpose: Strava answers only once the GET came back. */
	if (sb_webhook_validate(url, vt, s->cfg.validation_timeout_ms, err, sizeof(err)) != 0) {
		fprintf(stderr, "strava-sandbox: subscription validation failed: %s\n", err);
		sb_error(res, 400, "Bad Request", "PushSubscription", "callback url", err);
		return;
	}
	s->has_sub = true;
	s->sub.id = s->next_sub_id++;
	snprintf(s->sub.callback_url, sizeof(s->sub.callback_url), "%s", url);
	snprintf(s->sub.verify_token, sizeof(s->sub.verify_token), "%s", vt);
	s->sub.created_at = s->sub.updated_at = sb_now();
	sb_app_changed(app);
	sb_json(res, 201, json_pack("{s:I}", "id", (json_int_t)s->sub.id));
}

/* /api/v3/push_subscriptions[/ID]: the app authenticates with its secret. */
static void
subscriptions(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	const char	*rest = req->path + strlen("/api/v3/push_subscriptions");
	const char	*secret = sb_param(req, "client_secret");
	int64_t		 id;

	if (!parse_int64(sb_param(req, "client_id"), 1, INT64_MAX, &id) || id != s->client_id) {
		sb_error(res, 400, "Bad Request", "Application", "client_id", "invalid");
		return;
	}
	if (secret == NULL || !str_equal_ct(secret, s->client_secret)) {
		sb_error(res, 401, "Authorization Error", "Application", "client_secret", "invalid");
		return;
	}
	if (*rest == '\0' && strcmp(req->method, "POST") == 0)
		create_subscription(app, req, res);
	else if (*rest == '\0' && strcmp(req->method, "GET") == 0)
		sb_json(res, 200, s->has_sub ? json_pack("[o]", subscription_json(s)) :
		    json_array());
	else if (*rest == '/' && strcmp(req->method, "DELETE") == 0) {
		if (!parse_int64(rest + 1, 1, INT64_MAX, &id) || !s->has_sub || s->sub.id != id) {
			sb_error(res, 404, "Resource Not Found", "PushSubscription", "id", "invalid");
			return;
		}
		s->has_sub = false;
		memset(&s->sub, 0, sizeof(s->sub));
		sb_app_changed(app);
		res->status = 204;
	} else
		sb_error(res, 405, "Method Not Allowed", "PushSubscription", "method", "invalid");
}

bool
sb_api_route(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	if (!str_has_prefix(req->path, "/api/v3/"))
		return false;
	if (strcmp(req->path, "/api/v3/push_subscriptions") == 0 ||
	    str_has_prefix(req->path, "/api/v3/push_subscriptions/"))
		subscriptions(app, req, res);
	else
		athlete_api(app, req, res);
	return true;
}
