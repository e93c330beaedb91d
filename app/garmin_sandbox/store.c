/*
 * store: the sandbox's state, in memory only (tests start a sandbox of
 * their own; `make run` users reconnect after a restart).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "core/util.h"
#include "garmin_sandbox/gm.h"

#define DEFAULT_ACCESS_TTL	86400	/* Garmin's expires_in */
#define DEFAULT_REFRESH_TTL	7775998	/* Garmin's refresh_token_expires_in */
#define DEFAULT_CODE_TTL	600

static const char *const perm_names[GM_NPERMS] = {
	"ACTIVITY_EXPORT", "HEALTH_EXPORT", "WORKOUT_IMPORT", "COURSE_IMPORT",
	"HISTORICAL_DATA_EXPORT"
};

int64_t
gm_now(void)
{
	return (int64_t)time(NULL);
}

void
gm_config_defaults(struct gm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->access_token_ttl = DEFAULT_ACCESS_TTL;
	c->refresh_token_ttl = DEFAULT_REFRESH_TTL;
	c->code_ttl = DEFAULT_CODE_TTL;
	c->fail_5xx_status = 503;
	c->webhook_timeout_ms = 2000;
	c->webhook_attempts = 3;
	c->webhook_retry_delay_ms = 1000;
}

void
gm_reset(struct gm_app *app)
{
	int i;

	for (i = 0; i < app->nworkouts; i++)
		json_decref(app->workouts[i].body);
	for (i = 0; i < app->nacts; i++) {
		json_decref(app->acts[i].samples);
		json_decref(app->acts[i].laps);
	}
	app->nusers = app->ncodes = app->ngrants = app->nacts = 0;
	app->nworkouts = app->nschedules = app->nbackfills = 0;
	app->next_summary = 21000000001LL;	/* above 2^32, like Garmin's ids */
	app->next_workout = 31000001;
	app->next_schedule = 41000001;
	gm_config_defaults(&app->cfg);
	gm_user_add(app, "Gary Garmin");
}

void
gm_random_hex(char *out, size_t hexlen)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];
	size_t i;

	randombytes_buf(raw, hexlen / 2);
	for (i = 0; i < hexlen / 2; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[hexlen] = '\0';
}

int
gm_user_add(struct gm_app *app, const char *name)
{
	struct gm_user *u;

	if (app->nusers >= GM_MAX_USERS)
		return -1;
	u = &app->users[app->nusers];
	memset(u, 0, sizeof(*u));
	/* Stable ids (first user d3315b10...0001) so tests can name them. */
	snprintf(u->id, sizeof(u->id), "d3315b1072421d0d%016x", app->nusers + 1);
	snprintf(u->name, sizeof(u->name), "%s", name);
	return app->nusers++;
}

int
gm_user_find(const struct gm_app *app, const char *id)
{
	int i;

	for (i = 0; id != NULL && i < app->nusers; i++)
		if (strcmp(app->users[i].id, id) == 0)
			return i;
	return -1;
}

const char *
gm_perm_name(int bit)
{
	int i;

	for (i = 0; i < GM_NPERMS; i++)
		if (bit == 1 << i)
			return perm_names[i];
	return "?";
}

int
gm_perm_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < GM_NPERMS; i++)
		if (strcmp(s, perm_names[i]) == 0)
			return 1 << i;
	return 0;
}

json_t *
gm_perms_json(unsigned perms)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < GM_NPERMS; i++)
		if (perms & (1u << i))
			json_array_append_new(a, json_string(perm_names[i]));
	return a;
}

/* Config keys: name, offset, minimum, maximum (bools 0..1). */
struct key {
	const char	*name;
	size_t		 off;
	int		 min, max;
	bool		 is_bool;
};

#define K(n, lo, hi)	{ #n, offsetof(struct gm_config, n), lo, hi, false }
static const struct key int_keys[] = {
	K(access_token_ttl, 1, 400000000), K(refresh_token_ttl, 1, 400000000),
	K(code_ttl, 1, 86400), K(fail_next_412, 0, 1000000),
	K(fail_next_429, 0, 1000000), K(fail_next_5xx, 0, 1000000),
	K(fail_5xx_status, 500, 599), K(webhook_timeout_ms, 1, 60000),
	K(webhook_attempts, 1, 10), K(webhook_retry_delay_ms, 0, 60000),
	{ "ping_mode", offsetof(struct gm_config, ping_mode), 0, 1, true },
};
#undef K

static const struct {
	const char	*name;
	size_t		 off;
} url_keys[] = {
	{ "activities_url", offsetof(struct gm_config, activities_url) },
	{ "activity_details_url", offsetof(struct gm_config, activity_details_url) },
	{ "deregistrations_url", offsetof(struct gm_config, deregistrations_url) },
	{ "permissions_url", offsetof(struct gm_config, permissions_url) },
};

json_t *
gm_config_json(const struct gm_config *c)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < NELEM(int_keys); i++) {
		const void *p = (const char *)c + int_keys[i].off;

		json_object_set_new(o, int_keys[i].name, int_keys[i].is_bool ?
		    json_boolean(*(const bool *)p) : json_integer(*(const int *)p));
	}
	for (i = 0; i < NELEM(url_keys); i++)
		json_object_set_new(o, url_keys[i].name,
		    json_string((const char *)c + url_keys[i].off));
	return o;
}

static bool
apply_one(struct gm_config *c, const char *k, json_t *v)
{
	size_t i;

	for (i = 0; i < NELEM(int_keys); i++) {
		void *p = (char *)c + int_keys[i].off;

		if (strcmp(k, int_keys[i].name) != 0)
			continue;
		if (int_keys[i].is_bool) {
			if (!json_is_boolean(v))
				return false;
			*(bool *)p = json_is_true(v);
			return true;
		}
		if (!json_is_integer(v) || json_integer_value(v) < int_keys[i].min ||
		    json_integer_value(v) > int_keys[i].max)
			return false;
		*(int *)p = (int)json_integer_value(v);
		return true;
	}
	for (i = 0; i < NELEM(url_keys); i++)
		if (strcmp(k, url_keys[i].name) == 0) {
			if (!json_is_string(v) || strlen(json_string_value(v)) >= GM_URL_MAX ||
			    (json_string_length(v) > 0 &&
			    strncmp(json_string_value(v), "http://", 7) != 0 &&
			    strncmp(json_string_value(v), "https://", 8) != 0))
				return false;
			snprintf((char *)c + url_keys[i].off, GM_URL_MAX, "%s",
			    json_string_value(v));
			return true;
		}
	return false;
}

bool
gm_config_apply(struct gm_config *c, json_t *o, const char **bad)
{
	struct gm_config next = *c;
	const char *k;
	json_t *v;

	if (!json_is_object(o)) {
		*bad = "body";
		return false;
	}
	/* All or nothing: a bad key changes nothing. */
	json_object_foreach(o, k, v)
		if (!apply_one(&next, k, v)) {
			*bad = k;
			return false;
		}
	*c = next;
	return true;
}

struct gm_grant *
gm_grant_add(struct gm_app *app, int user)
{
	struct gm_grant *g;
	int64_t now = gm_now();

	if (app->ngrants >= GM_MAX_GRANTS) {
		/* The oldest grants go first: the sandbox runs for a test or a day. */
		memmove(app->grants, app->grants + GM_MAX_GRANTS / 2,
		    (GM_MAX_GRANTS / 2) * sizeof(*g));
		app->ngrants = GM_MAX_GRANTS / 2;
	}
	g = &app->grants[app->ngrants++];
	memset(g, 0, sizeof(*g));
	g->user = user;
	gm_random_hex(g->access, GM_TOKEN_LEN);
	gm_random_hex(g->refresh, GM_TOKEN_LEN);
	g->access_expires = now + app->cfg.access_token_ttl;
	g->refresh_expires = now + app->cfg.refresh_token_ttl;
	return g;
}

int
gm_auth_user(struct gm_app *app, const struct sb_request *r)
{
	const char *h = r->authorization;
	int i;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return -1;
	for (i = 0; i < app->ngrants; i++) {
		struct gm_grant *g = &app->grants[i];

		if (strcmp(g->access, h + 7) == 0)
			return !g->access_revoked && g->access_expires > gm_now() &&
			    app->users[g->user].registered ? g->user : -1;
	}
	return -1;
}

void
gm_revoke_user(struct gm_app *app, int user)
{
	int i;

	for (i = 0; i < app->ngrants; i++)
		if (app->grants[i].user == user) {
			app->grants[i].access_revoked = true;
			app->grants[i].refresh_used = true;
		}
	app->users[user].registered = false;
	app->users[user].perms = 0;
}

json_t *
gm_activity_json(const struct gm_app *app, const struct gm_activity *a)
{
	char id[24];
	json_t *o;

	/* Garmin's summaryId is a string, the activityId a number. */
	snprintf(id, sizeof(id), "%lld", (long long)a->summary_id);
	o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:I, s:i, s:i, s:f, s:f, s:s, s:b}",
	    "userId", app->users[a->user].id,
	    "summaryId", id, "activityId", (json_int_t)a->summary_id,
	    "activityName", a->name, "activityType", a->type,
	    "startTimeInSeconds", (json_int_t)a->start,
	    "startTimeOffsetInSeconds", a->offset_s,
	    "durationInSeconds", a->duration_s,
	    "distanceInMeters", a->distance_m,
	    "averageSpeedInMetersPerSecond", a->duration_s > 0 ?
	    a->distance_m / a->duration_s : 0.0,
	    "deviceName", a->manual ? "unknown" : "Forerunner 965",
	    "manual", a->manual);
	if (a->avg_hr > 0) {
		json_object_set_new(o, "averageHeartRateInBeatsPerMinute", json_integer(a->avg_hr));
		json_object_set_new(o, "maxHeartRateInBeatsPerMinute", json_integer(a->max_hr));
	}
	if (a->elevation_gain >= 0)
		json_object_set_new(o, "totalElevationGainInMeters",
		    json_real(a->elevation_gain));
	return o;
}

void
gm_error(struct sb_response *res, int status, const char *message)
{
	sb_json(res, status, json_pack("{s:s}", "errorMessage", message));
}

bool
gm_fault(struct gm_app *app, struct sb_response *res)
{
	struct gm_config *c = &app->cfg;

	if (c->fail_next_412 > 0) {
		c->fail_next_412--;
		gm_error(res, 412, "User permission error (sandbox fault)");
		return true;
	}
	if (c->fail_next_429 > 0) {
		c->fail_next_429--;
		gm_error(res, 429, "Too many requests (sandbox fault)");
		return true;
	}
	if (c->fail_next_5xx > 0) {
		c->fail_next_5xx--;
		gm_error(res, c->fail_5xx_status, "Internal server error (sandbox fault)");
		return true;
	}
	return false;
}
