/*
 * activity: recording, editing and deleting activities the way an
 * athlete would on Strava, and the webhook events that follow.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sandbox/app.h"
#include "sandbox/tz.h"

#define MAX_DISTANCE_M	1000000.0
#define MAX_SECONDS	(7 * 86400)

static void
emit(struct sb_app *app, int64_t owner, int64_t object_id, const char *object_type,
    const char *aspect, json_t *updates)
{
	struct sb_store		*s = &app->store;
	struct sb_delivery_opts	 o;

	o.timeout_ms = s->cfg.webhook_timeout_ms;
	o.attempts = s->cfg.webhook_attempts;
	o.retry_delay_ms = s->cfg.webhook_retry_delay_ms;
	sb_webhook_send(app->wh, s->sub.callback_url, json_pack(
	    "{s:s, s:I, s:I, s:s, s:I, s:I, s:o}", "aspect_type", aspect,
	    "event_time", (json_int_t)sb_now(), "object_id", (json_int_t)object_id,
	    "object_type", object_type, "owner_id", (json_int_t)owner,
	    "subscription_id", (json_int_t)s->sub.id,
	    "updates", updates ? updates : json_object()), &o);
}

void
sb_emit_activity(struct sb_app *app, const struct sb_activity *a, const char *aspect,
    json_t *updates)
{
	struct sb_store	*s = &app->store;
	bool		 all = sb_athlete_authorized(s, a->athlete_id, "activity:read_all");
	bool		 some = all || sb_athlete_authorized(s, a->athlete_id, "activity:read");

	/* Private activities are only announced to apps that may read them,
	 * except the update that made one private. */
	if (!s->has_sub || !some || (a->private_ && !all &&
	    json_object_get(updates, "private") == NULL)) {
		json_decref(updates);
		return;
	}
	emit(app, a->athlete_id, a->id, "activity", aspect, updates);
}

void
sb_emit_deauthorized(struct sb_app *app, int64_t athlete_id)
{
	if (app->store.has_sub)
		emit(app, athlete_id, athlete_id, "athlete", "update",
		    json_pack("{s:s}", "authorized", "false"));
}

static bool
parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "on") == 0 ||
	    strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "off") == 0 ||
	    strcmp(v, "no") == 0 || *v == '\0')
		*out = false;
	else
		return false;
	return true;
}

static bool
parse_num(const char *v, double min, double max, double *out)
{
	char	*end;
	double	 d = strtod(v, &end);

	if (end == v || *end != '\0' || !isfinite(d) || d < min || d > max)
		return false;
	*out = d;
	return true;
}

/* "H:MM:SS", "MM:SS" or plain seconds. */
static bool
parse_duration(const char *v, int *out)
{
	int	a, b, c, n = 0;

	if (sscanf(v, "%d:%d:%d%n", &a, &b, &c, &n) == 3 && v[n] == '\0' &&
	    a >= 0 && b >= 0 && b < 60 && c >= 0 && c < 60)
		*out = a * 3600 + b * 60 + c;
	else if (n = 0, sscanf(v, "%d:%d%n", &a, &b, &n) == 2 && v[n] == '\0' &&
	    a >= 0 && b >= 0 && b < 60)
		*out = a * 60 + b;
	else if (!parse_int(v, 1, MAX_SECONDS, out))
		return false;
	return *out > 0 && *out <= MAX_SECONDS;
}

/* The start: start_date_local ("YYYY-MM-DDTHH:MM[:SS][Z]") or date + time,
 * in the activity's zone. */
static bool
parse_start(struct sb_request *req, const char *tz, int64_t *out)
{
	const char	*v = sb_param(req, "start_date_local");
	char		 date[11], time[9];
	int64_t		 wall;

	if (v != NULL) {
		if (strlen(v) < 16 || v[10] != 'T')
			return false;
		memcpy(date, v, 10);
		date[10] = '\0';
		snprintf(time, sizeof(time), "%.*s", (int)strcspn(v + 11, "Z"), v + 11);
	} else {
		snprintf(date, sizeof(date), "%s", sb_param(req, "date"));
		snprintf(time, sizeof(time), "%s", sb_param(req, "time") ? sb_param(req, "time") : "07:00");
	}
	if (!sb_parse_wall(date, time, &wall))
		return false;
	*out = sb_tz_to_utc(tz, wall);
	return true;
}

static bool
apply_flag(struct sb_request *req, const char *key, bool form, bool *field)
{
	const char *v = sb_param(req, key);

	if (v == NULL) {
		if (form)		/* an unticked checkbox is simply absent */
			*field = false;
		return true;
	}
	return parse_bool(v, field);
}

/* Applies the parameters onto a; *bad names the first bad one. */
static bool
apply_params(struct sb_request *req, struct sb_activity *a, bool creating,
    const char **bad)
{
	const char	*v;
	double		 d;
	bool		 form = sb_is_form(req);

#define BAD(k)	do { *bad = (k); return false; } while (0)
	if ((v = sb_param(req, "name")) != NULL) {
		if (*v == '\0' || strlen(v) >= sizeof(a->name) || !utf8_text_ok(v, strlen(v), false))
			BAD("name");
		snprintf(a->name, sizeof(a->name), "%s", v);
	}
	if ((v = sb_param(req, "sport_type")) != NULL || (v = sb_param(req, "type")) != NULL) {
		if (sb_activity_type(v) == NULL)
			BAD("type");
		snprintf(a->sport_type, sizeof(a->sport_type), "%s", v);
	}
	if ((v = sb_param(req, "timezone")) != NULL) {
		if (!sb_tz_known(v))
			BAD("timezone");
		snprintf(a->tz, sizeof(a->tz), "%s", v);
	}
	if ((v = sb_param(req, "distance")) != NULL) {
		if (!parse_num(v, 1, MAX_DISTANCE_M, &a->distance))
			BAD("distance");
	} else if ((v = sb_param(req, "distance_km")) != NULL) {
		if (!parse_num(v, 0.001, MAX_DISTANCE_M / 1000, &d))
			BAD("distance_km");
		a->distance = round(d * 1000 * 10) / 10;
	}
	if ((v = sb_param(req, "moving_time")) != NULL || (v = sb_param(req, "duration")) != NULL)
		if (!parse_duration(v, &a->moving_time))
			BAD("duration");
	if ((v = sb_param(req, "elapsed_time")) != NULL) {
		if (!parse_duration(v, &a->elapsed_time) || a->elapsed_time < a->moving_time)
			BAD("elapsed_time");
	} else if (a->elapsed_time < a->moving_time)
		a->elapsed_time = a->moving_time;
	if ((v = sb_param(req, "total_elevation_gain")) != NULL &&
	    !parse_num(v, 0, 20000, &a->elev_gain))
		BAD("total_elevation_gain");
	if ((v = sb_param(req, "average_heartrate")) != NULL) {
		if (*v == '\0')
			a->has_hr = false;
		else if (!parse_num(v, 30, 250, &a->avg_hr))
			BAD("average_heartrate");
		else
			a->has_hr = true;
	}
	if ((v = sb_param(req, "max_heartrate")) != NULL && *v != '\0' &&
	    !parse_num(v, 30, 250, &a->max_hr))
		BAD("max_heartrate");
	if (a->has_hr && a->max_hr < a->avg_hr)
		a->max_hr = a->avg_hr + 15;
	if ((v = sb_param(req, "workout_type")) != NULL &&
	    !(*v == '\0' ? (a->workout_type = -1, true) : parse_int(v, 0, 12, &a->workout_type)))
		BAD("workout_type");
	if ((v = sb_param(req, "description")) != NULL)
		snprintf(a->description, sizeof(a->description), "%s", v);
	if ((v = sb_param(req, "laps")) != NULL) {
		if (strlen(v) >= sizeof(a->laps) || !sb_laps_valid(v))
			BAD("laps");
		snprintf(a->laps, sizeof(a->laps), "%s", v);
	}
	if (!apply_flag(req, "private", form, &a->private_))
		BAD("private");
	if (!apply_flag(req, "commute", form, &a->commute))
		BAD("commute");
	if (creating && !apply_flag(req, "manual", form, &a->manual))
		BAD("manual");
	if (sb_param(req, "start_date_local") != NULL || sb_param(req, "date") != NULL) {
		if (!parse_start(req, a->tz, &a->start))
			BAD("start_date_local");
	}
	if (a->distance <= 0)
		BAD("distance");
	if (a->moving_time <= 0)
		BAD("duration");
	return true;
#undef BAD
}

int64_t
sb_record_activity(struct sb_app *app, struct sb_request *req, int64_t edit_id,
    const char **bad)
{
	struct sb_store		*s = &app->store;
	struct sb_activity	 a, *old = NULL, *slot;
	const char		*v;
	json_t			*updates;
	int64_t			 athlete_id;

	if (edit_id != 0) {
		if ((old = sb_activity_find(s, edit_id)) == NULL) {
			*bad = "id";
			return 0;
		}
		a = *old;
	} else {
		athlete_id = s->nathletes > 0 ? s->athletes[0].id : 0;
		if ((v = sb_param(req, "athlete_id")) != NULL &&
		    !parse_int64(v, 1, INT64_MAX, &athlete_id))
			athlete_id = 0;
		if (sb_athlete_find(s, athlete_id) == NULL) {
			*bad = "athlete_id";
			return 0;
		}
		memset(&a, 0, sizeof(a));
		a.lat = 48.8566;		/* Paris, like the seeded runs */
		a.lng = 2.3522;
		a.athlete_id = athlete_id;
		a.workout_type = -1;
		strcpy(a.tz, "Europe/Paris");
		strcpy(a.sport_type, "Run");
	}
	if (!apply_params(req, &a, edit_id == 0, bad))
		return 0;
	if (edit_id != 0) {
		updates = json_object();
		if (strcmp(old->name, a.name) != 0)
			json_object_set_new(updates, "title", json_string(a.name));
		if (strcmp(old->sport_type, a.sport_type) != 0)
			json_object_set_new(updates, "type", json_string(a.sport_type));
		if (old->private_ != a.private_)
			json_object_set_new(updates, "private",
			    json_string(a.private_ ? "true" : "false"));
		*old = a;
		sb_app_changed(app);
		sb_emit_activity(app, old, "update", updates);
		return a.id;
	}
	if (a.name[0] == '\0')
		snprintf(a.name, sizeof(a.name), "%s", strcmp(a.sport_type, "Ride") == 0 ?
		    "Afternoon Ride" : "Afternoon Run");
	if (a.start == 0)			/* just finished */
		a.start = sb_now() - a.elapsed_time;
	if (a.max_speed <= 0)
		a.max_speed = a.distance / a.moving_time * 1.3;
	slot = sb_activity_add(s, a.athlete_id);
	a.id = slot->id;
	a.created_at = sb_now();
	a.upload_id = a.manual ? 0 : s->next_upload_id++;
	a.hidden_fetches = s->cfg.activity_404_after_create;
	*slot = a;
	sb_app_changed(app);
	sb_emit_activity(app, slot, "create", NULL);
	return a.id;
}

bool
sb_delete_activity(struct sb_app *app, int64_t id)
{
	struct sb_activity	*p = sb_activity_find(&app->store, id);
	struct sb_activity	 gone;

	if (p == NULL)
		return false;
	gone = *p;
	sb_activity_delete(&app->store, id);
	sb_app_changed(app);
	sb_emit_activity(app, &gone, "delete", NULL);
	return true;
}
