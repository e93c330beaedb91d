/*
 * store: the sandbox's data, its JSON state file and Strava's JSON views.
 *
 * Records are saved and loaded through small field tables, so adding a
 * field to a struct means adding one line to its table.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "sandbox/splits.h"
#include "sandbox/store.h"
#include "sandbox/tz.h"

#define STATE_VERSION	1
#define POLYLINE_POINTS	48
#define EARTH_M_PER_DEG	111320.0

enum ftype { F_I64, F_INT, F_BOOL, F_FLAG, F_DBL, F_STR };

struct field {
	const char	*name;
	enum ftype	 type;
	size_t		 off;
	size_t		 size;		/* F_STR: capacity */
};

#define FLD(S, m, t)		{ #m, t, offsetof(struct S, m), sizeof(((struct S *)0)->m) }
#define FLDN(S, m, n, t)	{ n, t, offsetof(struct S, m), sizeof(((struct S *)0)->m) }

static const struct field athlete_fields[] = {
	FLD(sb_athlete, id, F_I64), FLD(sb_athlete, username, F_STR),
	FLD(sb_athlete, firstname, F_STR), FLD(sb_athlete, lastname, F_STR),
	FLD(sb_athlete, city, F_STR), FLD(sb_athlete, country, F_STR),
	FLD(sb_athlete, sex, F_STR), FLD(sb_athlete, measurement, F_STR),
	FLD(sb_athlete, weight, F_DBL), FLD(sb_athlete, created_at, F_I64),
};

static const struct field activity_fields[] = {
	FLD(sb_activity, id, F_I64), FLD(sb_activity, athlete_id, F_I64),
	FLD(sb_activity, upload_id, F_I64), FLD(sb_activity, start, F_I64),
	FLD(sb_activity, created_at, F_I64), FLD(sb_activity, tz, F_STR),
	FLD(sb_activity, name, F_STR), FLD(sb_activity, sport_type, F_STR),
	FLD(sb_activity, description, F_STR), FLD(sb_activity, laps, F_STR),
	FLD(sb_activity, distance, F_DBL),
	FLD(sb_activity, elev_gain, F_DBL), FLD(sb_activity, max_speed, F_DBL),
	FLD(sb_activity, avg_hr, F_DBL), FLD(sb_activity, max_hr, F_DBL),
	FLD(sb_activity, lat, F_DBL), FLD(sb_activity, lng, F_DBL),
	FLD(sb_activity, moving_time, F_INT), FLD(sb_activity, elapsed_time, F_INT),
	FLD(sb_activity, workout_type, F_INT), FLD(sb_activity, has_hr, F_BOOL),
	FLD(sb_activity, manual, F_BOOL), FLDN(sb_activity, private_, "private", F_BOOL),
	FLD(sb_activity, commute, F_BOOL), FLD(sb_activity, trainer, F_BOOL),
	FLD(sb_activity, hidden_fetches, F_INT),
};

static const struct field grant_fields[] = {
	FLD(sb_grant, athlete_id, F_I64), FLD(sb_grant, access, F_STR),
	FLD(sb_grant, refresh, F_STR), FLD(sb_grant, scope, F_STR),
	FLD(sb_grant, expires_at, F_I64), FLD(sb_grant, revoked, F_BOOL),
};

static const struct field code_fields[] = {
	FLD(sb_code, code, F_STR), FLD(sb_code, athlete_id, F_I64),
	FLD(sb_code, scope, F_STR), FLD(sb_code, expires_at, F_I64),
};

static const struct field sub_fields[] = {
	FLD(sb_subscription, id, F_I64), FLD(sb_subscription, callback_url, F_STR),
	FLD(sb_subscription, verify_token, F_STR),
	FLD(sb_subscription, created_at, F_I64), FLD(sb_subscription, updated_at, F_I64),
};

static const struct field config_fields[] = {
	FLD(sb_config, access_token_ttl, F_INT), FLD(sb_config, code_ttl, F_INT),
	FLD(sb_config, rotate_refresh_tokens, F_FLAG),
	FLD(sb_config, rate_limit_15min, F_INT), FLD(sb_config, rate_limit_daily, F_INT),
	FLD(sb_config, read_rate_limit_15min, F_INT),
	FLD(sb_config, read_rate_limit_daily, F_INT),
	FLD(sb_config, fail_next_5xx, F_INT), FLD(sb_config, fail_5xx_status, F_INT),
	FLD(sb_config, fail_next_429, F_INT), FLD(sb_config, fail_next_400, F_INT),
	FLD(sb_config, delay_ms, F_INT),
	FLD(sb_config, activity_404_after_create, F_INT),
	FLD(sb_config, webhook_timeout_ms, F_INT), FLD(sb_config, webhook_attempts, F_INT),
	FLD(sb_config, webhook_retry_delay_ms, F_INT),
	FLD(sb_config, validation_timeout_ms, F_INT),
};

static json_t *
fields_to_json(const struct field *f, size_t n, const void *obj)
{
	json_t		*j = json_object();
	const char	*p;
	size_t		 i;

	for (i = 0; i < n; i++) {
		p = (const char *)obj + f[i].off;
		switch (f[i].type) {
		case F_I64:
			json_object_set_new(j, f[i].name, json_integer(*(const int64_t *)(const void *)p));
			break;
		case F_INT:
			json_object_set_new(j, f[i].name, json_integer(*(const int *)(const void *)p));
			break;
		case F_FLAG:
			json_object_set_new(j, f[i].name, json_boolean(*(const int *)(const void *)p));
			break;
		case F_BOOL:
			json_object_set_new(j, f[i].name, json_boolean(*(const bool *)(const void *)p));
			break;
		case F_DBL:
			json_object_set_new(j, f[i].name, json_real(*(const double *)(const void *)p));
			break;
		case F_STR:
			json_object_set_new(j, f[i].name, json_string(p));
			break;
		}
	}
	return j;
}

/* Sets the fields present in j; false (and *bad) on a value of the wrong type. */
static bool
fields_from_json(const struct field *f, size_t n, void *obj, json_t *j, const char **bad)
{
	json_t	*v;
	char	*p;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((v = json_object_get(j, f[i].name)) == NULL)
			continue;
		p = (char *)obj + f[i].off;
		if ((f[i].type == F_STR && !json_is_string(v)) ||
		    (f[i].type == F_DBL && !json_is_number(v)) ||
		    (f[i].type == F_BOOL && !json_is_boolean(v)) ||
		    (f[i].type == F_FLAG && !json_is_boolean(v) && !json_is_integer(v)) ||
		    ((f[i].type == F_INT || f[i].type == F_I64) && !json_is_integer(v)) ||
		    (f[i].type == F_INT && (json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000000))) {
			if (bad != NULL)
				*bad = f[i].name;
			return false;
		}
		switch (f[i].type) {
		case F_I64:
			*(int64_t *)(void *)p = json_integer_value(v);
			break;
		case F_INT:
			*(int *)(void *)p = (int)json_integer_value(v);
			break;
		case F_FLAG:
			*(int *)(void *)p = json_is_true(v) || json_integer_value(v) != 0;
			break;
		case F_BOOL:
			*(bool *)(void *)p = json_is_true(v);
			break;
		case F_DBL:
			*(double *)(void *)p = json_number_value(v);
			break;
		case F_STR:
			snprintf(p, f[i].size, "%s", json_string_value(v));
			break;
		}
	}
	return true;
}

void
sb_config_defaults(struct sb_config *c)
{
	memset(c, 0, sizeof(*c));
	c->access_token_ttl = 21600;		/* Strava: six hours */
	c->code_ttl = 600;
	c->rotate_refresh_tokens = 1;
	c->rate_limit_15min = 200;
	c->rate_limit_daily = 2000;
	c->read_rate_limit_15min = 100;
	c->read_rate_limit_daily = 1000;
	c->fail_5xx_status = 503;
	c->webhook_timeout_ms = 2000;		/* Strava: answer within 2 s */
	c->webhook_attempts = 3;		/* Strava: three attempts in total */
	c->webhook_retry_delay_ms = 1000;
	c->validation_timeout_ms = 2000;
}

json_t *
sb_config_json(const struct sb_config *c)
{
	return fields_to_json(config_fields, NELEM(config_fields), c);
}

bool
sb_config_apply(struct sb_config *c, json_t *j, const char **bad)
{
	struct sb_config	 next = *c;

	if (!fields_from_json(config_fields, NELEM(config_fields), &next, j, bad))
		return false;
	if (next.fail_5xx_status < 500 || next.fail_5xx_status > 599) {
		*bad = "fail_5xx_status";
		return false;
	}
	if (next.webhook_attempts < 1 || next.access_token_ttl < 1) {
		*bad = next.webhook_attempts < 1 ? "webhook_attempts" : "access_token_ttl";
		return false;
	}
	*c = next;
	return true;
}

void
sb_store_init(struct sb_store *s, int64_t client_id, const char *secret)
{
	memset(s, 0, sizeof(*s));
	s->client_id = client_id;
	snprintf(s->client_secret, sizeof(s->client_secret), "%s", secret);
	sb_config_defaults(&s->cfg);
	sb_store_clear(s, true);
}

void
sb_store_clear(struct sb_store *s, bool reset_config)
{
	free(s->athletes);
	free(s->acts);
	free(s->grants);
	free(s->codes);
	s->athletes = NULL;
	s->acts = NULL;
	s->grants = NULL;
	s->codes = NULL;
	s->nathletes = s->nacts = s->ngrants = s->ncodes = 0;
	s->has_sub = false;
	memset(&s->sub, 0, sizeof(s->sub));
	memset(&s->usage, 0, sizeof(s->usage));
	s->next_athlete_id = SB_FIRST_ATHLETE_ID;
	s->next_activity_id = SB_FIRST_ACTIVITY_ID;
	s->next_upload_id = 13000000001LL;
	s->next_sub_id = 1;
	if (reset_config)
		sb_config_defaults(&s->cfg);
}

void
sb_store_free(struct sb_store *s)
{
	sb_store_clear(s, false);
}

/* Appends one zeroed element to a heap array. */
static void *
grow(void *arr, size_t *n, size_t size)
{
	arr = xrealloc(arr, (*n + 1) * size);
	memset((char *)arr + *n * size, 0, size);
	(*n)++;
	return arr;
}

static json_t *
array_to_json(const struct field *f, size_t nf, const void *arr, size_t n, size_t size)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, fields_to_json(f, nf, (const char *)arr + i * size));
	return a;
}

static void *
array_from_json(const struct field *f, size_t nf, json_t *a, size_t *n, size_t size)
{
	void	*arr = NULL;
	json_t	*e;
	size_t	 i;

	*n = 0;
	json_array_foreach(a, i, e) {
		arr = grow(arr, n, size);
		fields_from_json(f, nf, (char *)arr + (*n - 1) * size, e, NULL);
	}
	return arr;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
sb_store_save(const struct sb_store *s)
{
	json_t	*j;
	char	 tmp[4096], *text = NULL;
	int	 fd = -1, rc = -1;

	if (s->path == NULL)
		return 0;
	j = json_pack("{s:i, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "version", STATE_VERSION,
	    "next_athlete_id", (json_int_t)s->next_athlete_id,
	    "next_activity_id", (json_int_t)s->next_activity_id,
	    "next_upload_id", (json_int_t)s->next_upload_id,
	    "next_sub_id", (json_int_t)s->next_sub_id,
	    "config", sb_config_json(&s->cfg),
	    "athletes", array_to_json(athlete_fields, NELEM(athlete_fields),
		s->athletes, s->nathletes, sizeof(*s->athletes)),
	    "activities", array_to_json(activity_fields, NELEM(activity_fields),
		s->acts, s->nacts, sizeof(*s->acts)),
	    "grants", array_to_json(grant_fields, NELEM(grant_fields),
		s->grants, s->ngrants, sizeof(*s->grants)),
	    "codes", array_to_json(code_fields, NELEM(code_fields),
		s->codes, s->ncodes, sizeof(*s->codes)),
	    "subscription", s->has_sub ?
		fields_to_json(sub_fields, NELEM(sub_fields), &s->sub) : json_null());
	snprintf(tmp, sizeof(tmp), "%s.tmp", s->path);
	/*
	 * Temp file, fsync, rename: a crash leaves the old or the new state.
	 * Dumped to memory first: json_dumpfd() issues one write() per token,
	 * which made every save of a big store take seconds.
	 */
	if ((text = json_dumps(j, JSON_INDENT(1))) == NULL ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
		fprintf(stderr, "strava-sandbox: cannot write %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, s->path) != 0) {
		fprintf(stderr, "strava-sandbox: cannot rename %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(text);
	json_decref(j);
	return rc;
}

int
sb_store_load(struct sb_store *s, const char *path)
{
	json_error_t	 err;
	json_t		*j, *sub;

	s->path = path;
	if (access(path, F_OK) != 0)
		return 1;
	if ((j = json_load_file(path, 0, &err)) == NULL || !json_is_object(j)) {
		fprintf(stderr, "strava-sandbox: bad state file %s: %s (line %d)\n",
		    path, err.text, err.line);
		json_decref(j);
		return -1;
	}
	sb_store_clear(s, true);
	s->next_athlete_id = json_integer_value(json_object_get(j, "next_athlete_id"));
	s->next_activity_id = json_integer_value(json_object_get(j, "next_activity_id"));
	s->next_upload_id = json_integer_value(json_object_get(j, "next_upload_id"));
	s->next_sub_id = json_integer_value(json_object_get(j, "next_sub_id"));
	fields_from_json(config_fields, NELEM(config_fields), &s->cfg,
	    json_object_get(j, "config"), NULL);
	s->athletes = array_from_json(athlete_fields, NELEM(athlete_fields),
	    json_object_get(j, "athletes"), &s->nathletes, sizeof(*s->athletes));
	s->acts = array_from_json(activity_fields, NELEM(activity_fields),
	    json_object_get(j, "activities"), &s->nacts, sizeof(*s->acts));
	s->grants = array_from_json(grant_fields, NELEM(grant_fields),
	    json_object_get(j, "grants"), &s->ngrants, sizeof(*s->grants));
	s->codes = array_from_json(code_fields, NELEM(code_fields),
	    json_object_get(j, "codes"), &s->ncodes, sizeof(*s->codes));
	if ((sub = json_object_get(j, "subscription")) != NULL && json_is_object(sub)) {
		s->has_sub = true;
		fields_from_json(sub_fields, NELEM(sub_fields), &s->sub, sub, NULL);
	}
	json_decref(j);
	return 0;
}

struct sb_athlete *
sb_athlete_find(struct sb_store *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->nathletes; i++)
		if (s->athletes[i].id == id)
			return &s->athletes[i];
	return NULL;
}

struct sb_athlete *
sb_athlete_add(struct sb_store *s)
{
	struct sb_athlete *a;

	s->athletes = grow(s->athletes, &s->nathletes, sizeof(*s->athletes));
	a = &s->athletes[s->nathletes - 1];
	a->id = s->next_athlete_id++;
	strcpy(a->measurement, "meters");
	return a;
}

struct sb_activity *
sb_activity_find(struct sb_store *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->nacts; i++)
		if (s->acts[i].id == id)
			return &s->acts[i];
	return NULL;
}

struct sb_activity *
sb_activity_add(struct sb_store *s, int64_t athlete_id)
{
	struct sb_activity *a;

	s->acts = grow(s->acts, &s->nacts, sizeof(*s->acts));
	a = &s->acts[s->nacts - 1];
	a->id = s->next_activity_id++;
	a->athlete_id = athlete_id;
	a->workout_type = -1;
	strcpy(a->tz, SB_DEFAULT_TZ);
	strcpy(a->sport_type, "Run");
	return a;
}

void
sb_activity_delete(struct sb_store *s, int64_t id)
{
	struct sb_activity *a = sb_activity_find(s, id);

	if (a != NULL) {
		memmove(a, a + 1, (size_t)(&s->acts[s->nacts] - (a + 1)) * sizeof(*a));
		s->nacts--;
	}
}

const char *
sb_activity_type(const char *sport_type)
{
	static const char *const map[][2] = {
		{ "Run", "Run" }, { "TrailRun", "Run" }, { "VirtualRun", "VirtualRun" },
		{ "Ride", "Ride" }, { "MountainBikeRide", "Ride" }, { "GravelRide", "Ride" },
		{ "VirtualRide", "VirtualRide" }, { "Walk", "Walk" }, { "Hike", "Hike" },
		{ "Swim", "Swim" }, { "Workout", "Workout" },
		{ "WeightTraining", "WeightTraining" }, { "Yoga", "Yoga" },
	};
	size_t i;

	for (i = 0; i < NELEM(map); i++)
		if (strcmp(map[i][0], sport_type) == 0)
			return map[i][1];
	return NULL;
}

void
sb_random_hex(char out[SB_TOKEN_LEN + 1])
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		raw[SB_TOKEN_LEN / 2];
	size_t			i;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		abort();
	for (i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[SB_TOKEN_LEN] = '\0';
}

struct sb_grant *
sb_grant_by_access(struct sb_store *s, const char *token)
{
	size_t i;

	for (i = 0; i < s->ngrants; i++)
		if (str_equal_ct(s->grants[i].access, token))
			return &s->grants[i];
	return NULL;
}

struct sb_grant *
sb_grant_by_refresh(struct sb_store *s, const char *token)
{
	size_t i;

	for (i = 0; i < s->ngrants; i++)
		if (str_equal_ct(s->grants[i].refresh, token))
			return &s->grants[i];
	return NULL;
}

struct sb_grant *
sb_grant_add(struct sb_store *s, int64_t athlete_id, const char *scope)
{
	struct sb_grant *g;

	s->grants = grow(s->grants, &s->ngrants, sizeof(*s->grants));
	g = &s->grants[s->ngrants - 1];
	g->athlete_id = athlete_id;
	snprintf(g->scope, sizeof(g->scope), "%s", scope);
	sb_random_hex(g->access);
	sb_random_hex(g->refresh);
	return g;
}

bool
sb_grant_has_scope(const struct sb_grant *g, const char *scope)
{
	const char	*p = g->scope;
	size_t		 n = strlen(scope);

	while ((p = strstr(p, scope)) != NULL) {
		if ((p == g->scope || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

bool
sb_athlete_authorized(struct sb_store *s, int64_t athlete_id, const char *scope)
{
	size_t i;

	for (i = 0; i < s->ngrants; i++)
		if (s->grants[i].athlete_id == athlete_id && !s->grants[i].revoked &&
		    (scope == NULL || sb_grant_has_scope(&s->grants[i], scope)))
			return true;
	return false;
}

struct sb_code *
sb_code_add(struct sb_store *s, int64_t athlete_id, const char *scope, int64_t now)
{
	struct sb_code	*c;
	size_t		 i, kept = 0;

	for (i = 0; i < s->ncodes; i++)		/* drop expired codes */
		if (s->codes[i].expires_at > now)
			s->codes[kept++] = s->codes[i];
	s->ncodes = kept;
	s->codes = grow(s->codes, &s->ncodes, sizeof(*s->codes));
	c = &s->codes[s->ncodes - 1];
	sb_random_hex(c->code);
	c->athlete_id = athlete_id;
	snprintf(c->scope, sizeof(c->scope), "%s", scope);
	c->expires_at = now + s->cfg.code_ttl;
	return c;
}

bool
sb_code_take(struct sb_store *s, const char *code, int64_t now, struct sb_code *out)
{
	size_t i;

	for (i = 0; i < s->ncodes; i++) {
		if (!str_equal_ct(s->codes[i].code, code))
			continue;
		*out = s->codes[i];
		s->codes[i] = s->codes[--s->ncodes];
		return out->expires_at > now;
	}
	return false;
}

json_t *
sb_athlete_json(const struct sb_athlete *a, int state)
{
	char	 created[21];
	json_t	*j;

	if (state == 1)
		return json_pack("{s:I, s:i}", "id", (json_int_t)a->id, "resource_state", 1);
	sb_iso8601(a->created_at, created);
	j = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:n, s:s, s:s*, s:b, s:b,"
	    " s:s, s:s, s:i, s:f, s:s, s:s, s:n, s:n}",
	    "id", (json_int_t)a->id, "username", a->username, "resource_state", state,
	    "firstname", a->firstname, "lastname", a->lastname, "bio", "",
	    "city", a->city, "state", "country", a->country,
	    "sex", a->sex[0] ? a->sex : NULL, "premium", 0, "summit", 0,
	    "created_at", created, "updated_at", created, "badge_type_id", 0,
	    "weight", a->weight,
	    /* Strava's quirk for athletes without a photo: relative paths. */
	    "profile_medium", "avatar/athlete/medium.png",
	    "profile", "avatar/athlete/large.png", "friend", "follower");
	if (state >= 3) {
		json_object_set_new(j, "follower_count", json_integer(0));
		json_object_set_new(j, "friend_count", json_integer(0));
		json_object_set_new(j, "measurement_preference", json_string(a->measurement));
		json_object_set_new(j, "ftp", json_null());
		json_object_set_new(j, "clubs", json_array());
		json_object_set_new(j, "bikes", json_array());
		json_object_set_new(j, "shoes", json_array());
	}
	return j;
}

static void
polyline_value(buf_t *b, long v)
{
	unsigned long u = v < 0 ? ~((unsigned long)v << 1) : (unsigned long)v << 1;

	while (u >= 0x20) {
		buf_putc(b, (int)((0x20 | (u & 0x1f)) + 63));
		u >>= 5;
	}
	buf_putc(b, (int)(u + 63));
}

/* The loop's radius at angle ang (metres per unit r): a wavy circle, its
 * shape the activity's own. */
static double
loop_radius(const struct sb_activity *a, double ang)
{
	double phase = (double)(a->id % 11);

	return 1 + 0.22 * sin(3 * ang + phase) + 0.08 * sin(7 * ang + phase / 2);
}

/* The loop's length for r = 1, so that it can be scaled to the run's. */
static double
loop_length(const struct sb_activity *a)
{
	double	 len = 0, x0 = 0, y0 = 0, x, y, ang, rr;
	int	 i;

	for (i = 0; i <= POLYLINE_POINTS; i++) {
		ang = 2 * M_PI * i / POLYLINE_POINTS;
		rr = loop_radius(a, ang);
		x = rr * sin(ang);
		y = 1 - rr * cos(ang);
		if (i > 0)
			len += hypot(x - x0, y - y0);
		x0 = x;
		y0 = y;
	}
	return len;
}

/* A loop of the activity's length around its start, Google-encoded. */
static char *
activity_polyline(const struct sb_activity *a)
{
	buf_t	 b = BUF_INIT;
	double	 r = a->distance / loop_length(a), ang, rr;
	long	 prev_lat = 0, prev_lng = 0, lat, lng;
	int	 i;

	for (i = 0; i <= POLYLINE_POINTS; i++) {
		ang = 2 * M_PI * i / POLYLINE_POINTS;
		rr = r * loop_radius(a, ang);
		lat = lround((a->lat + (r - rr * cos(ang)) / EARTH_M_PER_DEG) *
		    1e5);
		lng = lround((a->lng + rr * sin(ang) /
		    (EARTH_M_PER_DEG * cos(a->lat * M_PI / 180))) * 1e5);
		polyline_value(&b, lat - prev_lat);
		polyline_value(&b, lng - prev_lng);
		prev_lat = lat;
		prev_lng = lng;
	}
	return b.data;
}

bool
sb_laps_valid(const char *s)
{
	long	 m, t;
	char	*end;
	int	 n = 0;

	if (*s == '\0')
		return true;
	for (;;) {
		m = strtol(s, &end, 10);
		if (end == s || *end != ':' || m < 1 || m > 100000)
			return false;
		s = end + 1;
		t = strtol(s, &end, 10);
		if (end == s || t < 1 || t > 86400 || ++n > SB_LAPS_COUNT)
			return false;
		if (*end == '\0')
			return true;
		if (*end != ',')
			return false;
		s = end + 1;
	}
}

static json_t *
lap_json(const struct sb_activity *a, int index, double metres, int secs,
    int64_t start)
{
	char iso[32];

	sb_iso8601(start, iso);
	return json_pack("{s:I, s:i, s:s, s:i, s:i, s:f, s:s, s:I, s:f, s:f,"
	    " s:i, s:i}", "id", (json_int_t)(a->id * 100 + index),
	    "resource_state", 2, "name", "Lap", "elapsed_time", secs,
	    "moving_time", secs, "distance", metres, "start_date", iso,
	    "activity_id", (json_int_t)a->id,
	    "average_speed", secs > 0 ? metres / secs : 0.0,
	    "average_heartrate", a->has_hr ? a->avg_hr : 0.0,
	    "lap_index", index + 1, "split", index + 1);
}

/*
 * A detailed activity's "laps": the ones recorded (a->laps), or the
 * automatic 1 km laps of a watch at the average pace, the last one short.
 */
static json_t *
laps_json(const struct sb_activity *a)
{
	json_t		*list = json_array();
	const char	*s = a->laps;
	char		*end;
	double		 left = a->distance, m;
	int64_t		 start = a->start;
	int		 i = 0, secs;

	while (*s != '\0' && i < SB_LAPS_COUNT) {
		m = (double)strtol(s, &end, 10);
		secs = (int)strtol(end + 1, &end, 10);
		json_array_append_new(list, lap_json(a, i++, m, secs, start));
		start += secs;
		s = *end == ',' ? end + 1 : end;
	}
	while (a->laps[0] == '\0' && left > 0.5 && i < SB_LAPS_COUNT) {
		m = left > 1000 ? 1000 : left;
		secs = (int)(a->moving_time * m / a->distance + 0.5);
		json_array_append_new(list, lap_json(a, i++, m, secs, start));
		start += secs;
		left -= m;
	}
	return list;
}

json_t *
sb_activity_json(const struct sb_activity *a, int state)
{
	char	 start[21], local[21], tzl[96], mapid[32];
	char	*poly = a->manual ? NULL : activity_polyline(a);
	json_t	*j, *map, *latlng;
	double	 avg = a->moving_time > 0 ? a->distance / a->moving_time : 0;
	int	 off = sb_tz_offset(a->tz, a->start);

	sb_iso8601(a->start, start);
	/* Strava's quirk: local wall time, but still suffixed "Z". */
	sb_iso8601(a->start + off, local);
	sb_tz_label(a->tz, tzl, sizeof(tzl));
	snprintf(mapid, sizeof(mapid), "a%lld", (long long)a->id);
	map = json_pack("{s:s, s:s, s:i}", "id", mapid, "summary_polyline",
	    poly ? poly : "", "resource_state", state >= 3 ? 3 : 2);
	latlng = a->manual ? json_array() : json_pack("[f, f]", a->lat, a->lng);
	j = json_pack("{s:i, s:o, s:s, s:f, s:i, s:i, s:f, s:s, s:s, s:I, s:s, s:s,"
	    " s:s, s:f, s:i, s:i, s:i, s:i, s:i, s:o, s:b, s:b, s:b, s:b, s:s, s:b,"
	    " s:n, s:O, s:O, s:f, s:f, s:b, s:b, s:b, s:f, s:f, s:i, s:i, s:b}",
	    "resource_state", state, "athlete", json_pack("{s:I, s:i}", "id",
		(json_int_t)a->athlete_id, "resource_state", 1),
	    "name", a->name, "distance", a->distance, "moving_time", a->moving_time,
	    "elapsed_time", a->elapsed_time, "total_elevation_gain", a->elev_gain,
	    "type", sb_activity_type(a->sport_type) ? sb_activity_type(a->sport_type) : a->sport_type,
	    "sport_type", a->sport_type, "id", (json_int_t)a->id,
	    "start_date", start, "start_date_local", local, "timezone", tzl,
	    "utc_offset", (double)off, "achievement_count", 0, "kudos_count", 0,
	    "comment_count", 0, "athlete_count", 1, "photo_count", 0, "map", map,
	    "trainer", a->trainer, "commute", a->commute, "manual", a->manual,
	    "private", a->private_, "visibility", a->private_ ? "only_me" : "everyone",
	    "flagged", 0, "gear_id", "start_latlng", latlng, "end_latlng", latlng,
	    "average_speed", avg, "max_speed", a->max_speed,
	    "has_heartrate", a->has_hr, "heartrate_opt_out", 0,
	    "display_hide_heartrate_option", a->has_hr, "elev_high", 35 + a->elev_gain,
	    "elev_low", 35.0, "pr_count", 0, "total_photo_count", 0, "has_kudoed", 0);
	json_decref(latlng);
	json_object_set_new(j, "workout_type",
	    a->workout_type < 0 ? json_null() : json_integer(a->workout_type));
	json_object_set_new(j, "upload_id",
	    a->upload_id ? json_integer(a->upload_id) : json_null());
	json_object_set_new(j, "upload_id_str", a->upload_id ?
	    json_sprintf("%lld", (long long)a->upload_id) : json_null());
	json_object_set_new(j, "external_id", a->upload_id ?
	    json_sprintf("garmin_%lld.fit", (long long)a->upload_id) : json_null());
	json_object_set_new(j, "from_accepted_tag", json_false());
	json_object_set_new(j, "location_city", json_null());
	json_object_set_new(j, "location_state", json_null());
	json_object_set_new(j, "location_country", json_string("France"));
	if (a->has_hr) {
		json_object_set_new(j, "average_heartrate", json_real(a->avg_hr));
		json_object_set_new(j, "max_heartrate", json_real(a->max_hr));
	}
	if (state >= 3) {
		json_object_set_new(map, "polyline", json_string(poly ? poly : ""));
		json_object_set_new(j, "description", a->description[0] ?
		    json_string(a->description) : json_null());
		json_object_set_new(j, "calories", json_real(a->distance / 1000 * 62));
		json_object_set_new(j, "device_name", a->manual ? json_null() :
		    json_string("Garmin Forerunner 255"));
		json_object_set_new(j, "embed_token", json_string("0000sandbox"));
		json_object_set_new(j, "gear", json_null());
		json_object_set_new(j, "segment_efforts", json_array());
		json_object_set_new(j, "photos", json_pack("{s:n, s:i}", "primary", "count", 0));
		sb_activity_add_splits(j, a);
		/* Laps a test gave by hand (/_sandbox/activities "laps") win. */
		if (!a->manual && a->laps[0] != '\0')
			json_object_set_new(j, "laps", laps_json(a));
	}
	free(poly);
	return j;
}
