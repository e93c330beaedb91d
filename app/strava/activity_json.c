/*
 * activity_json: see activity_json.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "strava/activity_json.h"

#define EXACT_INT_MAX	9007199254740992.0	/* 2^53: exact in a double */

static bool
fail(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ACTIVITY_ERR_MAX, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * An integer, or a real with an integral value: the latter happens only
 * when the document had to be decoded with JSON_DECODE_INT_AS_REAL.
 */
static bool
as_int(const json_t *v, int64_t *out)
{
	double d;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	if (!(d >= -EXACT_INT_MAX && d <= EXACT_INT_MAX) ||
	    d != (double)(int64_t)d)
		return false;
	*out = (int64_t)d;
	return true;
}

static bool
get_int(const json_t *o, const char *key, int64_t min, int64_t max,
    int64_t *out, char *err)
{
	const json_t *v = json_object_get(o, key);

	if (v == NULL)
		return fail(err, "%s: missing", key);
	if (!as_int(v, out))
		return fail(err, "%s: must be an integer", key);
	if (*out < min || *out > max)
		return fail(err, "%s: out of range", key);
	return true;
}

/* A number in [min, max]; absent or null leaves *has false. */
static bool
get_number(const json_t *o, const char *key, double min, double max,
    bool *has, double *out, char *err)
{
	const json_t *v = json_object_get(o, key);

	*has = false;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_number(v))
		return fail(err, "%s: must be a number", key);
	*out = json_number_value(v);
	if (!(*out >= min && *out <= max))	/* NaN fails too */
		return fail(err, "%s: out of range", key);
	*has = true;
	return true;
}

static bool
get_bool(const json_t *o, const char *key, bool *out, char *err)
{
	const json_t *v = json_object_get(o, key);

	*out = false;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_boolean(v))
		return fail(err, "%s: must be true or false", key);
	*out = json_is_true(v);
	return true;
}

/* A string or null/absent (""); NULL result means a wrong type. */
static const char *
opt_string(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return "";
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Copies at most max bytes of s, never ending inside a UTF-8 sequence. */
static void
copy_utf8(char *dst, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool
get_name(const json_t *o, struct strava_activity *a, char *err)
{
	const char *s = opt_string(o, "name");

	if (s == NULL)
		return fail(err, "name: must be a string");
	copy_utf8(a->name, s, ACTIVITY_NAME_MAX);
	return true;
}

static bool
sport_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > ACTIVITY_SPORT_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* sport_type, or the older "type" when sport_type is absent. */
static bool
get_sport(const json_t *o, struct strava_activity *a, char *err)
{
	const char *key = "sport_type";
	const char *s = opt_string(o, key);

	if (s != NULL && *s == '\0') {
		key = "type";
		s = opt_string(o, key);
	}
	if (s == NULL || !sport_ok(s))
		return fail(err, "%s: must be a name like \"Run\"", key);
	memcpy(a->sport_type, s, strlen(s) + 1);
	return true;
}

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool
activity_parse_datetime(const char *s, date_t *date, int *secs)
{
	char day[11];
	int h, m, sec;
	size_t n = strlen(s);

	if (n != 19 && !(n == 20 && s[19] == 'Z'))
		return false;
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	h = two_digits(s + 11);
	m = two_digits(s + 14);
	sec = two_digits(s + 17);
	if (!date_parse(day, date) || h < 0 || h > 23 || m < 0 || m > 59 ||
	    sec < 0 || sec > 59)
		return false;
	*secs = h * 3600 + m * 60 + sec;
	return true;
}

static bool
get_dates(const json_t *o, struct strava_activity *a, char *err)
{
	const char *utc = opt_string(o, "start_date");
	const char *local = opt_string(o, "start_date_local");
	date_t d;
	int secs;

	if (utc == NULL || !activity_parse_datetime(utc, &d, &secs))
		return fail(err, "start_date: must be YYYY-MM-DDTHH:MM:SSZ");
	a->start_epoch = (int64_t)d * 86400 + secs;
	/* Wall time despite its "Z": take the fields as they are. */
	if (local == NULL || !activity_parse_datetime(local, &d, &secs))
		return fail(err,
		    "start_date_local: must be YYYY-MM-DDTHH:MM:SSZ");
	a->local_date = d;
	memcpy(a->start_local, local, 19);
	a->start_local[10] = ' ';
	a->start_local[19] = '\0';
	return true;
}

/* Google encoded polylines use the characters '?' (63) to '~' (126). */
static bool
get_polyline(const json_t *o, struct strava_activity *a, char *err)
{
	const json_t *map = json_object_get(o, "map");
	const char *s;
	size_t i, n;

	if (map == NULL || json_is_null(map))
		return true;
	if (!json_is_object(map))
		return fail(err, "map: must be an object");
	if ((s = opt_string(map, "summary_polyline")) == NULL)
		return fail(err, "map.summary_polyline: must be a string");
	if ((n = strlen(s)) == 0)
		return true;
	if (n > ACTIVITY_POLYLINE_MAX)
		return fail(err, "map.summary_polyline: too long");
	for (i = 0; i < n; i++)
		if (s[i] < 63 || s[i] > 126)
			return fail(err, "map.summary_polyline: invalid");
	a->summary_polyline = xstrndup(s, n);
	return true;
}

/* One lap or split; false when it is not one. */
static bool
split_from_json(const json_t *v, const char *elev_key,
    struct split_input *out)
{
	char	 err[ACTIVITY_ERR_MAX];
	int64_t	 t;
	bool	 has;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(v) ||
	    !get_number(v, "distance", 0, ACTIVITY_DISTANCE_MAX, &has,
	    &out->distance_m, err) || !has ||
	    !get_int(v, "moving_time", 0, ACTIVITY_TIME_MAX, &t, err) ||
	    !get_number(v, "average_heartrate", 0, ACTIVITY_HR_MAX, &has,
	    &out->average_hr, err) ||
	    !get_number(v, elev_key, -ACTIVITY_ELEVATION_MAX,
	    ACTIVITY_ELEVATION_MAX, &out->has_elevation, &out->elevation_m,
	    err))
		return false;
	out->moving_s = (int)t;
	if (!has)
		out->average_hr = 0;
	return true;
}

/* The array at key as segments into *out (malloc'ed), else none. */
static void
get_split_array(const json_t *o, const char *key, const char *elev_key,
    struct split_input **out, size_t *n)
{
	const json_t	*arr = json_object_get(o, key), *v;
	size_t		 i, len = json_array_size(arr);

	*out = NULL;
	*n = 0;
	if (!json_is_array(arr) || len == 0 || len > SPLITS_MAX)
		return;
	*out = xcalloc(len, sizeof(**out));
	json_array_foreach(arr, i, v)
		if (!split_from_json(v, elev_key, &(*out)[i])) {
			free(*out);
			*out = NULL;
			return;
		}
	*n = len;
}

/* laps, splits_metric, splits_standard (detailed activities only). */
static void
get_splits(const json_t *o, struct strava_activity *a)
{
	get_split_array(o, "laps", "total_elevation_gain", &a->splits.laps,
	    &a->splits.nlaps);
	get_split_array(o, "splits_metric", "elevation_difference",
	    &a->splits.metric, &a->splits.nmetric);
	get_split_array(o, "splits_standard", "elevation_difference",
	    &a->splits.standard, &a->splits.nstandard);
}

static bool
get_numbers(const json_t *o, struct strava_activity *a, char *err)
{
	int64_t v;
	double dist;
	bool has;

	if (!get_number(o, "distance", 0, ACTIVITY_DISTANCE_MAX, &has, &dist,
	    err))
		return false;
	if (!has)
		return fail(err, "distance: missing");
	a->distance_m = (int64_t)(dist + 0.5);	/* >= 0: rounds half up */
	if (!get_int(o, "moving_time", 0, ACTIVITY_TIME_MAX, &v, err))
		return false;
	a->moving_time_s = (int32_t)v;
	if (!get_int(o, "elapsed_time", 0, ACTIVITY_TIME_MAX, &v, err))
		return false;
	a->elapsed_time_s = (int32_t)v;
	if (!get_number(o, "average_speed", 0, ACTIVITY_SPEED_MAX, &has,
	    &a->average_speed, err))
		return false;
	if (!has)
		a->average_speed = 0;
	return get_number(o, "average_heartrate", 0, ACTIVITY_HR_MAX,
	    &a->has_heartrate, &a->average_heartrate, err) &&
	    get_number(o, "total_elevation_gain", 0, ACTIVITY_ELEVATION_MAX,
	    &a->has_elevation, &a->total_elevation_gain, err);
}

bool
activity_from_json(const json_t *o, struct strava_activity *a,
    char err[ACTIVITY_ERR_MAX])
{
	const char *tz;

	memset(a, 0, sizeof(*a));
	err[0] = '\0';
	if (!json_is_object(o))
		return fail(err, "activity: must be a JSON object");
	if (!get_int(o, "id", 1, INT64_MAX, &a->id, err) ||
	    !get_name(o, a, err) || !get_sport(o, a, err) ||
	    !get_numbers(o, a, err) || !get_dates(o, a, err) ||
	    !get_bool(o, "manual", &a->manual, err) ||
	    !get_bool(o, "private", &a->is_private, err))
		goto bad;
	if ((tz = opt_string(o, "timezone")) == NULL ||
	    strlen(tz) > ACTIVITY_TZ_MAX) {
		fail(err, "timezone: must be a short string");
		goto bad;
	}
	memcpy(a->timezone, tz, strlen(tz) + 1);
	if (!get_polyline(o, a, err))
		goto bad;
	get_splits(o, a);
	return true;
bad:
	activity_free(a);
	return false;
}

/*
 * Strava documents ids like upload_id beyond 64 bits, which Jansson
 * refuses as integers; such a document is decoded again with every
 * integer as a real (exact up to 2^53, which covers the ids we read).
 */
static json_t *
load(const char *body, size_t len, char *err)
{
	json_error_t jerr;
	json_t *root;

	if (len > ACTIVITY_MAX_BODY) {
		fail(err, "body: larger than %d bytes", ACTIVITY_MAX_BODY);
		return NULL;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL && json_error_code(&jerr) ==
	    json_error_numeric_overflow)
		root = json_loadb(body, len, JSON_REJECT_DUPLICATES |
		    JSON_DECODE_INT_AS_REAL, &jerr);
	if (root == NULL)
		fail(err, "body: invalid JSON (%.60s)", jerr.text);
	return root;
}

bool
activity_parse(const char *body, size_t len, struct strava_activity *a,
    char err[ACTIVITY_ERR_MAX])
{
	json_t *root;
	bool ok;

	memset(a, 0, sizeof(*a));
	if ((root = load(body, len, err)) == NULL)
		return false;
	ok = activity_from_json(root, a, err);
	json_decref(root);
	return ok;
}

void
activity_free(struct strava_activity *a)
{
	free(a->summary_polyline);
	a->summary_polyline = NULL;
	run_splits_free(&a->splits);
}

bool
activity_list_parse(const char *body, size_t len, struct activity_list *l,
    char err[ACTIVITY_ERR_MAX])
{
	json_t *root, *v;
	size_t i;

	memset(l, 0, sizeof(*l));
	if ((root = load(body, len, err)) == NULL)
		return false;
	if (!json_is_array(root)) {
		json_decref(root);
		return fail(err, "body: must be a JSON array");
	}
	l->items = xcalloc(json_array_size(root), sizeof(*l->items));
	json_array_foreach(root, i, v) {
		char e[ACTIVITY_ERR_MAX];

		if (activity_from_json(v, &l->items[l->n], e)) {
			l->n++;
			continue;
		}
		if (l->nbad++ == 0)
			memcpy(l->first_err, e, sizeof(e));
	}
	json_decref(root);
	return true;
}

void
activity_list_free(struct activity_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		activity_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}
