/*
 * control: the sandbox's own API under /_sandbox/ (JSON), for tests to
 * act as the Garmin user and to inject faults, and the home page (a
 * calendar of what the partner published, and a form to record a run).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "garmin_sandbox/gm.h"

#define DEFAULT_DURATION_S	2700
#define DEFAULT_DISTANCE_M	8000.0
#define MAX_ACTIVITY_S		(7 * 86400)
#define MAX_ACTIVITY_M		1000000.0

static json_t *
user_json(const struct gm_user *u)
{
	return json_pack("{s:s, s:s, s:b, s:o}", "id", u->id, "name", u->name,
	    "registered", u->registered, "permissions", gm_perms_json(u->perms));
}

static void
bad(struct sb_response *res, const char *field)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "invalid %s", field);
	gm_error(res, 400, msg);
}

static void
list_users(struct gm_app *app, struct sb_response *res)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < app->nusers; i++)
		json_array_append_new(a, user_json(&app->users[i]));
	sb_json(res, 200, a);
}

static void
add_user(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *name = sb_param(r, "name");
	int u;

	if (name == NULL || *name == '\0' || strlen(name) >= GM_NAME_MAX) {
		bad(res, "name");
		return;
	}
	if ((u = gm_user_add(app, name)) < 0) {
		gm_error(res, 400, "too many users");
		return;
	}
	sb_json(res, 201, user_json(&app->users[u]));
}

/* Repeated "permissions" (a JSON array) or one comma list. */
static unsigned
perms_param(struct sb_request *r, bool *ok)
{
	unsigned perms = 0;
	char list[256], *tok, *save = NULL;
	size_t i;

	*ok = true;
	for (i = 0; i < r->nparams; i++) {
		if (strcmp(r->params[i].key, "permissions") != 0)
			continue;
		snprintf(list, sizeof(list), "%s", r->params[i].value);
		for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			int p = gm_perm_parse(tok);

			*ok = *ok && p != 0;
			perms |= (unsigned)p;
		}
	}
	return perms;
}

static void
user_action(struct gm_app *app, struct sb_request *r, struct sb_response *res,
    const char *rest)
{
	char id[GM_USER_ID_LEN + 1];
	const char *slash = strchr(rest, '/');
	int u;
	bool ok;

	if (slash == NULL || (size_t)(slash - rest) > GM_USER_ID_LEN) {
		gm_error(res, 404, "Not found");
		return;
	}
	snprintf(id, sizeof(id), "%.*s", (int)(slash - rest), rest);
	if ((u = gm_user_find(app, id)) < 0 || !app->users[u].registered) {
		gm_error(res, 404, "no such registered user");
		return;
	}
	if (strcmp(slash, "/permissions") == 0) {
		unsigned p = perms_param(r, &ok);

		if (!ok) {
			bad(res, "permissions");
			return;
		}
		app->users[u].perms = p;
		gm_notify_permissions(app, u);
	} else if (strcmp(slash, "/deregister") == 0) {
		gm_revoke_user(app, u);
		gm_notify_deregistration(app, u);
	} else {
		gm_error(res, 404, "Not found");
		return;
	}
	sb_json(res, 200, user_json(&app->users[u]));
}

static bool
num_param(struct sb_request *r, const char *k, double lo, double hi, double *v)
{
	const char *s = sb_param(r, k);
	char *end;

	if (s == NULL)
		return true;
	*v = strtod(s, &end);
	return *s != '\0' && *end == '\0' && isfinite(*v) && *v >= lo && *v <= hi;
}

/* The activity's fields from the request; the name of a bad one, or NULL. */
static const char *
activity_fields(struct gm_app *app, struct sb_request *r, struct gm_activity *a)
{
	double dur = DEFAULT_DURATION_S, dist = DEFAULT_DISTANCE_M, km = -1,
	    start = -1, off = 0, ahr = 0, mhr = 0, gain = -1;
	json_t *samples = r->json ? json_object_get(r->json, "samples") : NULL;
	json_t *laps = r->json ? json_object_get(r->json, "laps") : NULL;
	const char *type = sb_param(r, "type"), *name = sb_param(r, "name");

	a->user = sb_param(r, "user_id") ? gm_user_find(app, sb_param(r, "user_id")) : 0;
	if (a->user < 0)
		return "user_id";
	if (!num_param(r, "duration", 1, MAX_ACTIVITY_S, &dur))
		return "duration";
	if (!num_param(r, "distance_m", 0, MAX_ACTIVITY_M, &dist))
		return "distance_m";
	if (!num_param(r, "distance_km", 0, MAX_ACTIVITY_M / 1000, &km))
		return "distance_km";
	if (!num_param(r, "start", 631065600, 4102444800.0, &start))
		return "start";
	if (!num_param(r, "offset", -50400, 50400, &off))
		return "offset";
	if (!num_param(r, "average_heartrate", 0, 250, &ahr) ||
	    !num_param(r, "max_heartrate", 0, 250, &mhr))
		return "heart rate";
	if (!num_param(r, "elevation_gain", 0, 20000, &gain))
		return "elevation_gain";
	if (samples != NULL && !json_is_array(samples))
		return "samples";
	if (laps != NULL && !json_is_array(laps))
		return "laps";
	if (type != NULL && (strlen(type) >= sizeof(a->type) || *type == '\0'))
		return "type";
	if (name != NULL && strlen(name) >= sizeof(a->name))
		return "name";
	a->duration_s = (int)dur;
	a->distance_m = km >= 0 ? km * 1000 : dist;
	a->uploaded = gm_now();
	a->start = start >= 0 ? (int64_t)start : a->uploaded - a->duration_s;
	a->offset_s = (int)off;
	a->avg_hr = (int)ahr;
	a->max_hr = mhr > 0 ? (int)mhr : (int)ahr;
	a->manual = sb_param(r, "manual") && strcmp(sb_param(r, "manual"), "true") == 0;
	a->elevation_gain = gain;
	/* A test's own details, as Garmin would send them, good or bad. */
	a->samples = json_incref(samples);
	a->laps = json_incref(laps);
	snprintf(a->type, sizeof(a->type), "%s", type ? type : "RUNNING");
	snprintf(a->name, sizeof(a->name), "%s", name ? name : "Running");
	return NULL;
}

static void
record_activity(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	struct gm_activity *a;
	const char *field, *notify = sb_param(r, "notify");

	if (app->nacts >= GM_MAX_ACTIVITIES) {
		gm_error(res, 400, "too many activities");
		return;
	}
	a = &app->acts[app->nacts];
	memset(a, 0, sizeof(*a));
	if ((field = activity_fields(app, r, a)) != NULL) {
		bad(res, field);
		return;
	}
	a->summary_id = app->next_summary++;
	app->nacts++;
	/* notify=false: history recorded before the partner was connected. */
	if ((notify == NULL || strcmp(notify, "false") != 0) &&
	    app->users[a->user].registered && (app->users[a->user].perms & GM_ACTIVITY_EXPORT)) {
		gm_notify_activities(app, a, 1);
		gm_notify_details(app, a, 1);
	}
	if (sb_is_form(r))
		sb_redirect(res, 303, "/");
	else
		sb_json(res, 201, gm_activity_json(app, a));
}

static void
list_activities(struct gm_app *app, struct sb_response *res)
{
	json_t *l = json_array();
	int i;

	for (i = app->nacts - 1; i >= 0; i--)
		json_array_append_new(l, gm_activity_json(app, &app->acts[i]));
	sb_json(res, 200, l);
}

/* Every activity's details record, newest first (manual ones have none). */
static void
list_details(struct gm_app *app, struct sb_response *res)
{
	json_t *l = json_array(), *d;
	int i;

	for (i = app->nacts - 1; i >= 0; i--)
		if ((d = gm_details_json(app, &app->acts[i])) != NULL)
			json_array_append_new(l, d);
	sb_json(res, 200, l);
}

static void
list_workouts(struct gm_app *app, struct sb_response *res)
{
	json_t *w = json_array(), *s = json_array();
	int i;

	for (i = 0; i < app->nworkouts; i++)
		if (!app->workouts[i].deleted)
			json_array_append(w, app->workouts[i].body);
	for (i = 0; i < app->nschedules; i++)
		if (!app->schedules[i].deleted)
			json_array_append_new(s, json_pack("{s:I, s:I, s:s, s:s}",
			    "scheduleId", (json_int_t)app->schedules[i].id,
			    "workoutId", (json_int_t)app->schedules[i].workout_id,
			    "date", app->schedules[i].date,
			    "userId", app->users[app->schedules[i].user].id));
	sb_json(res, 200, json_pack("{s:o, s:o}", "workouts", w, "schedules", s));
}

static void
tokens(struct gm_app *app, struct sb_response *res)
{
	json_t *l = json_array();
	int i;

	for (i = 0; i < app->ngrants; i++) {
		const struct gm_grant *g = &app->grants[i];

		json_array_append_new(l, json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:b}",
		    "userId", app->users[g->user].id, "access_token", g->access,
		    "refresh_token", g->refresh, "access_expires", (json_int_t)g->access_expires,
		    "refresh_expires", (json_int_t)g->refresh_expires,
		    "access_revoked", g->access_revoked, "refresh_used", g->refresh_used));
	}
	sb_json(res, 200, l);
}

static void
expire_tokens(struct gm_app *app, struct sb_response *res)
{
	int i, n = 0;

	for (i = 0; i < app->ngrants; i++)
		if (app->grants[i].access_expires > gm_now()) {
			app->grants[i].access_expires = gm_now();
			n++;
		}
	sb_json(res, 200, json_pack("{s:i}", "expired", n));
}

static void
config(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *badkey = NULL;

	if (strcmp(r->method, "POST") == 0 && !gm_config_apply(&app->cfg, r->json, &badkey)) {
		bad(res, badkey);
		return;
	}
	sb_json(res, 200, gm_config_json(&app->cfg));
}

static void
deliveries(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	if (strcmp(r->method, "DELETE") == 0) {
		sb_webhook_log_clear(app->wh);
		res->status = 204;
		return;
	}
	sb_json(res, 200, json_pack("{s:I, s:o}", "pending",
	    (json_int_t)sb_webhook_pending(app->wh), "deliveries", sb_webhook_log(app->wh)));
}

/* ---- the home page ---- */

static const char *
str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "?";
}

static void
page_step(buf_t *b, json_t *s)
{
	json_t *v;

	buf_puts(b, "<li>");
	if (strcmp(str_of(s, "type"), "WorkoutRepeatStep") == 0) {
		size_t i;

		buf_printf(b, "Repeat %g times:<ol>", json_number_value(json_object_get(s, "repeatValue")));
		json_array_foreach(json_object_get(s, "steps"), i, v)
			page_step(b, v);
		buf_puts(b, "</ol></li>\n");
		return;
	}
	buf_printf(b, "%s, %s %g", str_of(s, "intensity"), str_of(s, "durationType"),
	    json_number_value(json_object_get(s, "durationValue")));
	if (json_is_string(v = json_object_get(s, "targetType")) &&
	    strcmp(json_string_value(v), "OPEN") != 0)
		buf_printf(b, ", %s %g-%g", json_string_value(v),
		    json_number_value(json_object_get(s, "targetValueLow")),
		    json_number_value(json_object_get(s, "targetValueHigh")));
	if (json_is_string(v = json_object_get(s, "description"))) {
		buf_puts(b, " (");
		buf_html(b, json_string_value(v), json_string_length(v));
		buf_puts(b, ")");
	}
	buf_puts(b, "</li>\n");
}

static void
page_workout(buf_t *b, const struct gm_workout *w, const char *date)
{
	json_t *name = json_object_get(w->body, "workoutName"), *seg, *s;
	size_t i, j;

	buf_printf(b, "<li><strong>%s</strong> ", date);
	buf_html(b, json_string_value(name), json_string_length(name));
	buf_puts(b, "<ol>\n");
	json_array_foreach(json_object_get(w->body, "segments"), i, seg)
		json_array_foreach(json_object_get(seg, "steps"), j, s)
			page_step(b, s);
	buf_puts(b, "</ol></li>\n");
}

static void
home(struct gm_app *app, struct sb_response *res)
{
	buf_t *b = &res->body;
	int i, k;

	res->content_type = "text/html; charset=utf-8";
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>Garmin Connect sandbox</title></head><body>\n"
	    "<h1>Garmin Connect sandbox</h1>\n<h2>Calendar</h2>\n<ul>\n");
	for (i = 0; i < app->nschedules; i++) {
		const struct gm_schedule *s = &app->schedules[i];

		for (k = 0; !s->deleted && k < app->nworkouts; k++)
			if (app->workouts[k].id == s->workout_id && !app->workouts[k].deleted)
				page_workout(b, &app->workouts[k], s->date);
	}
	buf_puts(b, "</ul>\n<h2>Record a run</h2>\n<form method=\"post\" "
	    "action=\"/_sandbox/activities\"><input type=\"hidden\" name=\"html\" "
	    "value=\"1\">\n<label>User <select name=\"user_id\">\n");
	for (i = 0; i < app->nusers; i++) {
		buf_printf(b, "<option value=\"%s\">", app->users[i].id);
		buf_html(b, app->users[i].name, strlen(app->users[i].name));
		buf_puts(b, "</option>\n");
	}
	buf_puts(b, "</select></label>\n<label>Distance (km) <input name=\"distance_km\" "
	    "value=\"8\"></label>\n<label>Duration (s) <input name=\"duration\" "
	    "value=\"2700\"></label>\n<label>Average heart rate <input "
	    "name=\"average_heartrate\" value=\"\"></label>\n<button>Record</button>"
	    "</form>\n</body></html>\n");
}

static void
dispatch(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *p = r->path + strlen("/_sandbox/");
	bool post = strcmp(r->method, "POST") == 0;

	if (strcmp(p, "health") == 0)
		sb_json(res, 200, json_pack("{s:b, s:s}", "ok", 1, "client_id", app->client_id));
	else if (strcmp(p, "users") == 0)
		post ? add_user(app, r, res) : list_users(app, res);
	else if (strncmp(p, "users/", 6) == 0 && post)
		user_action(app, r, res, p + 6);
	else if (strcmp(p, "activities") == 0)
		post ? record_activity(app, r, res) : list_activities(app, res);
	else if (strcmp(p, "details") == 0 && !post)
		list_details(app, res);
	else if (strcmp(p, "workouts") == 0)
		list_workouts(app, res);
	else if (strcmp(p, "tokens") == 0)
		tokens(app, res);
	else if (strcmp(p, "expire-tokens") == 0 && post)
		expire_tokens(app, res);
	else if (strcmp(p, "config") == 0)
		config(app, r, res);
	else if (strcmp(p, "deliveries") == 0)
		deliveries(app, r, res);
	else if (strcmp(p, "reset") == 0 && post) {
		gm_reset(app);
		sb_webhook_log_clear(app->wh);
		sb_json(res, 200, json_pack("{s:b}", "ok", 1));
	} else
		gm_error(res, 404, "Not found");
}

bool
gm_control_route(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	if (strcmp(r->path, "/") == 0 && strcmp(r->method, "GET") == 0) {
		home(app, res);
		return true;
	}
	if (strncmp(r->path, "/_sandbox/", 10) != 0)
		return false;
	dispatch(app, r, res);
	return true;
}
