/*
 * training: the Training API V2's workouts and schedules.
 *
 *   POST   /workoutportal/workout/v2            create (no workoutId)
 *   GET    /training-api/workout/v2/{id}        retrieve
 *   PUT    /training-api/workout/v2/{id}        update (full body, ownerId)
 *   DELETE /training-api/workout/v2/{id}        delete (and its schedules)
 *   POST   /training-api/schedule/              {workoutId, date} -> its id
 *   GET    /training-api/schedule/{id}          retrieve
 *   PUT    /training-api/schedule/{id}          update
 *   DELETE /training-api/schedule/{id}          delete
 *   GET    /training-api/schedule?startDate&endDate  by date
 * Every call needs a live token and the WORKOUT_IMPORT permission (412
 * otherwise).  Workouts are checked as the spec describes them: a name,
 * a sport, segments of steps (WorkoutStep, WorkoutRepeatStep), at most
 * 100 steps in a single-sport workout.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/util.h"
#include "garmin_sandbox/gm.h"

#define OWNER_BASE	70000000	/* ownerId of user i: OWNER_BASE + i */
#define MAX_NAME_LEN	80
#define MAX_DESC_LEN	1024

static const char *const sports[] = { "RUNNING", "CYCLING", "LAP_SWIMMING",
    "STRENGTH_TRAINING", "CARDIO_TRAINING", "GENERIC", "YOGA", "PILATES",
    "MULTI_SPORT" };
static const char *const intensities[] = { "REST", "WARMUP", "COOLDOWN",
    "RECOVERY", "ACTIVE", "INTERVAL", "MAIN" };
static const char *const durations[] = { "TIME", "DISTANCE", "HR_LESS_THAN",
    "HR_GREATER_THAN", "CALORIES", "OPEN", "POWER_LESS_THAN",
    "POWER_GREATER_THAN", "TIME_AT_VALID_CDA", "FIXED_REST", "REPS",
    "FIXED_REPETITION", "REPETITION_SWIM_CSS_OFFSET" };
static const char *const targets[] = { "SPEED", "HEART_RATE", "CADENCE",
    "POWER", "GRADE", "RESISTANCE", "POWER_3S", "POWER_10S", "POWER_30S",
    "POWER_LAP", "SPEED_LAP", "HEART_RATE_LAP", "OPEN", "PACE" };

static bool
one_of(json_t *v, const char *const *list, size_t n)
{
	size_t i;

	if (!json_is_string(v))
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(json_string_value(v), list[i]) == 0)
			return true;
	return false;
}

static void
now_str(char *b, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(b, n, "%Y-%m-%dT%H:%M:%S.0", &tm);
}

/* Checks steps (recursively for repeats); counts them into *n. */
static const char *
check_steps(json_t *steps, int *n, int depth)
{
	json_t *s;
	size_t i;

	if (!json_is_array(steps) || json_array_size(steps) == 0)
		return "steps must be a non-empty list";
	json_array_foreach(steps, i, s) {
		const char *type = json_string_value(json_object_get(s, "type"));

		if (++*n > GM_MAX_WORKOUT_STEPS)
			return "more than 100 steps";
		if (!json_is_integer(json_object_get(s, "stepOrder")))
			return "stepOrder must be an integer";
		if (type != NULL && strcmp(type, "WorkoutRepeatStep") == 0) {
			const char *e;

			if (depth > 0)
				return "repeat steps cannot nest";
			if (!json_is_string(json_object_get(s, "repeatType")) ||
			    !json_is_number(json_object_get(s, "repeatValue")))
				return "a WorkoutRepeatStep needs repeatType and repeatValue";
			if ((e = check_steps(json_object_get(s, "steps"), n, depth + 1)) != NULL)
				return e;
			continue;
		}
		if (type == NULL || strcmp(type, "WorkoutStep") != 0)
			return "type must be WorkoutStep or WorkoutRepeatStep";
		if (!one_of(json_object_get(s, "intensity"), intensities, NELEM(intensities)))
			return "intensity is invalid";
		if (!one_of(json_object_get(s, "durationType"), durations, NELEM(durations)))
			return "durationType is invalid";
		if (!json_is_null(json_object_get(s, "targetType")) &&
		    json_object_get(s, "targetType") != NULL &&
		    !one_of(json_object_get(s, "targetType"), targets, NELEM(targets)))
			return "targetType is invalid";
	}
	return NULL;
}

static const char *
check_workout(json_t *w)
{
	json_t *name = json_object_get(w, "workoutName"), *segs, *seg;
	const char *e;
	size_t i;
	int n = 0;

	if (!json_is_object(w))
		return "the body must be a workout in JSON";
	if (!json_is_string(name) || json_string_length(name) == 0 ||
	    json_string_length(name) > MAX_NAME_LEN)
		return "workoutName is required (80 characters at most)";
	if (!one_of(json_object_get(w, "sport"), sports, NELEM(sports)))
		return "sport is invalid";
	segs = json_object_get(w, "segments");
	if (!json_is_array(segs) || json_array_size(segs) == 0)
		return "segments must be a non-empty list";
	json_array_foreach(segs, i, seg)
		if ((e = check_steps(json_object_get(seg, "steps"), &n, 0)) != NULL)
			return e;
	return NULL;
}

static struct gm_workout *
find_workout(struct gm_app *app, int u, const char *id_s)
{
	int64_t id;
	int i;

	if (!parse_int64(id_s, 1, INT64_MAX, &id))
		return NULL;
	for (i = 0; i < app->nworkouts; i++)
		if (app->workouts[i].id == id && !app->workouts[i].deleted &&
		    app->workouts[i].user == u)
			return &app->workouts[i];
	return NULL;
}

/* Stores body (a copy) with the server-side fields set. */
static void
stamp(struct gm_app *app, struct gm_workout *w, json_t *body, const char *created)
{
	char now[32], desc[MAX_DESC_LEN + 1];
	json_t *d;

	now_str(now, sizeof(now));
	json_decref(w->body);
	w->body = json_deep_copy(body);
	json_object_set_new(w->body, "workoutId", json_integer(w->id));
	json_object_set_new(w->body, "ownerId", json_integer(OWNER_BASE + w->user));
	json_object_set_new(w->body, "createdDate", json_string(created ? created : now));
	json_object_set_new(w->body, "updatedDate", json_string(now));
	/* Longer descriptions are truncated, as the spec says. */
	if (json_is_string(d = json_object_get(w->body, "description")) &&
	    json_string_length(d) > MAX_DESC_LEN) {
		snprintf(desc, sizeof(desc), "%s", json_string_value(d));
		json_object_set_new(w->body, "description", json_string(desc));
	}
	(void)app;
}

static void
create_workout(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res)
{
	struct gm_workout *w;
	const char *e;

	if ((e = check_workout(r->json)) != NULL) {
		gm_error(res, 400, e);
		return;
	}
	if (json_object_get(r->json, "workoutId") != NULL &&
	    !json_is_null(json_object_get(r->json, "workoutId"))) {
		gm_error(res, 400, "workoutId must not be given on create");
		return;
	}
	if (app->nworkouts >= GM_MAX_WORKOUTS) {
		gm_error(res, 429, "The sandbox holds too many workouts");
		return;
	}
	w = &app->workouts[app->nworkouts++];
	memset(w, 0, sizeof(*w));
	w->id = app->next_workout++;
	w->user = u;
	stamp(app, w, r->json, NULL);
	sb_json(res, 200, json_incref(w->body));
}

static void
delete_schedules_of(struct gm_app *app, int64_t workout_id)
{
	int i;

	for (i = 0; i < app->nschedules; i++)
		if (app->schedules[i].workout_id == workout_id)
			app->schedules[i].deleted = true;
}

static void
one_workout(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res)
{
	struct gm_workout *w = find_workout(app, u, r->path + strlen("/training-api/workout/v2/"));
	json_t *owner;
	const char *e;
	char created[32];

	if (w == NULL) {
		gm_error(res, 404, "Workout not found");
		return;
	}
	if (strcmp(r->method, "GET") == 0)
		sb_json(res, 200, json_incref(w->body));
	else if (strcmp(r->method, "DELETE") == 0) {
		w->deleted = true;
		delete_schedules_of(app, w->id);
		res->status = 204;
	} else if (strcmp(r->method, "PUT") == 0) {
		if ((e = check_workout(r->json)) != NULL) {
			gm_error(res, 400, e);
			return;
		}
		owner = json_object_get(r->json, "ownerId");
		if (!json_is_integer(owner) || json_integer_value(owner) != OWNER_BASE + u) {
			gm_error(res, 400, "ownerId is required for updates and must be the owner's");
			return;
		}
		snprintf(created, sizeof(created), "%s",
		    json_string_value(json_object_get(w->body, "createdDate")));
		stamp(app, w, r->json, created);
		sb_json(res, 200, json_incref(w->body));
	} else
		gm_error(res, 405, "GET, PUT or DELETE");
}

static bool
valid_date(const char *s)
{
	struct tm tm;
	const char *end;

	if (s == NULL || strlen(s) != 10)
		return false;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	return end != NULL && *end == '\0';
}

static json_t *
schedule_json(const struct gm_schedule *s)
{
	return json_pack("{s:I, s:I, s:s}", "scheduleId", (json_int_t)s->id,
	    "workoutId", (json_int_t)s->workout_id, "date", s->date);
}

/* workoutId and date from the body, checked. */
static bool
schedule_fields(struct gm_app *app, int u, struct sb_request *r,
    struct sb_response *res, int64_t *wid, const char **date)
{
	json_t *id = json_object_get(r->json, "workoutId");
	char ids[24];

	*date = json_string_value(json_object_get(r->json, "date"));
	if (!json_is_integer(id) || !valid_date(*date)) {
		gm_error(res, 400, "workoutId and date (YYYY-MM-DD) are required");
		return false;
	}
	snprintf(ids, sizeof(ids), "%lld", (long long)json_integer_value(id));
	if (find_workout(app, u, ids) == NULL) {
		gm_error(res, 400, "workoutId does not name one of the user's workouts");
		return false;
	}
	*wid = json_integer_value(id);
	return true;
}

static void
create_schedule(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res)
{
	struct gm_schedule *s;
	const char *date;
	int64_t wid;

	if (!schedule_fields(app, u, r, res, &wid, &date))
		return;
	if (app->nschedules >= GM_MAX_SCHEDULES) {
		gm_error(res, 429, "The sandbox holds too many schedules");
		return;
	}
	s = &app->schedules[app->nschedules++];
	memset(s, 0, sizeof(*s));
	s->id = app->next_schedule++;
	s->workout_id = wid;
	s->user = u;
	snprintf(s->date, sizeof(s->date), "%s", date);
	/* The new schedule's id, as a bare JSON number (sb_json takes
	 * objects and arrays only). */
	res->status = 200;
	res->content_type = "application/json; charset=utf-8";
	buf_reset(&res->body);
	buf_printf(&res->body, "%lld", (long long)s->id);
}

static struct gm_schedule *
find_schedule(struct gm_app *app, int u, const char *id_s)
{
	int64_t id;
	int i;

	if (!parse_int64(id_s, 1, INT64_MAX, &id))
		return NULL;
	for (i = 0; i < app->nschedules; i++)
		if (app->schedules[i].id == id && !app->schedules[i].deleted &&
		    app->schedules[i].user == u)
			return &app->schedules[i];
	return NULL;
}

static void
one_schedule(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res)
{
	struct gm_schedule *s = find_schedule(app, u, r->path + strlen("/training-api/schedule/"));
	const char *date;
	int64_t wid;

	if (s == NULL) {
		gm_error(res, 404, "Schedule not found");
		return;
	}
	if (strcmp(r->method, "GET") == 0)
		sb_json(res, 200, schedule_json(s));
	else if (strcmp(r->method, "DELETE") == 0) {
		s->deleted = true;
		res->status = 204;
	} else if (strcmp(r->method, "PUT") == 0) {
		if (!schedule_fields(app, u, r, res, &wid, &date))
			return;
		s->workout_id = wid;
		snprintf(s->date, sizeof(s->date), "%s", date);
		sb_json(res, 200, schedule_json(s));
	} else
		gm_error(res, 405, "GET, PUT or DELETE");
}

static void
schedules_by_date(struct gm_app *app, int u, struct sb_request *r,
    struct sb_response *res)
{
	const char *a = sb_param(r, "startDate"), *b = sb_param(r, "endDate");
	json_t *list;
	int i;

	if (!valid_date(a) || !valid_date(b) || strcmp(a, b) > 0) {
		gm_error(res, 400, "startDate and endDate (YYYY-MM-DD) are required");
		return;
	}
	list = json_array();
	for (i = 0; i < app->nschedules; i++) {
		const struct gm_schedule *s = &app->schedules[i];

		if (!s->deleted && s->user == u && strcmp(s->date, a) >= 0 &&
		    strcmp(s->date, b) <= 0)
			json_array_append_new(list, schedule_json(s));
	}
	sb_json(res, 200, list);
}

static bool
is_post(const struct sb_request *r)
{
	return strcmp(r->method, "POST") == 0;
}

static void
dispatch(struct gm_app *app, int u, struct sb_request *r, struct sb_response *res)
{
	if (strcmp(r->path, "/workoutportal/workout/v2") == 0 && is_post(r))
		create_workout(app, u, r, res);
	else if (strncmp(r->path, "/training-api/workout/v2/", 25) == 0)
		one_workout(app, u, r, res);
	else if ((strcmp(r->path, "/training-api/schedule/") == 0 ||
	    strcmp(r->path, "/training-api/schedule") == 0) && is_post(r))
		create_schedule(app, u, r, res);
	else if (strcmp(r->path, "/training-api/schedule") == 0 &&
	    strcmp(r->method, "GET") == 0)
		schedules_by_date(app, u, r, res);
	else if (strncmp(r->path, "/training-api/schedule/", 23) == 0)
		one_schedule(app, u, r, res);
	else
		gm_error(res, 404, "Not found");
}

bool
gm_training_route(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	int u;

	if (strncmp(r->path, "/training-api/", 14) != 0 &&
	    strncmp(r->path, "/workoutportal/", 15) != 0)
		return false;
	if (gm_fault(app, res))
		return true;
	if ((u = gm_auth_user(app, r)) < 0)
		gm_error(res, 401, "User Access Token doesn't exist or is not active");
	else if (!(app->users[u].perms & GM_WORKOUT_IMPORT))
		gm_error(res, 412, "User Permission error: WORKOUT_IMPORT not granted");
	else
		dispatch(app, u, r, res);
	return true;
}
