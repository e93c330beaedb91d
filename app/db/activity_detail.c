/* activity_detail: see activity_detail.h. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json_text.h"
#include "core/util.h"
#include "db/activity_detail.h"
#include "db/db.h"
#include "domain/activity.h"

#define SEGMENT_FIELDS	4	/* metres, moving s, bpm, elevation */

static const struct db_stmt q_store = DB_STMT("activity_store_splits",
    "UPDATE strava_activities SET splits = $3::jsonb"
    " WHERE user_id = $1 AND strava_activity_id = $2::bigint"
    "   AND splits IS DISTINCT FROM $3::jsonb");
/* ... or in its copy, when the runner chose another record (sql/026). */
static const struct db_stmt q_store_copy = DB_STMT("activity_store_copy_splits",
    "UPDATE activity_sources s"
    "   SET snapshot = jsonb_set(s.snapshot, '{row,splits}', $3::jsonb)"
    "  FROM strava_activities a"
    " WHERE a.id = s.activity_id AND a.user_id = $1 AND s.source = 'strava'"
    "   AND s.detail = $2::bigint::text AND s.snapshot IS NOT NULL");

static const struct db_stmt q_detail = DB_READ("activity_detail",
    "SELECT a.id, a.strava_activity_id, COALESCE(a.name, ''), a.sport_type,"
    "       a.distance, a.moving_time, a.elapsed_time,"
    "       COALESCE(a.average_heartrate, 0),"
    "       COALESCE(a.total_elevation_gain, -1), a.start_date_local::date,"
    "       to_char(a.start_date_local, 'YYYY-MM-DD HH24:MI:SS'),"
    "       a.summary_polyline, a.splits::text, m.id, m.workout_type,"
    "       m.distance, m.scheduled_date, COALESCE(l.tss, -1),"
    "       COALESCE(l.intensity, 0), l.method"
    "  FROM strava_activities a"
    "  LEFT JOIN activity_loads l ON l.activity_id = a.id"
    "       AND l.activity_updated_at = a.updated_at"
    "  LEFT JOIN LATERAL ("
    "       SELECT w.id, w.workout_type, w.distance, w.scheduled_date"
    "         FROM workout_completions c"
    "         JOIN workouts w ON w.id = c.workout_id"
    "        WHERE c.strava_activity_id = a.id"
    "        ORDER BY w.scheduled_date, w.id LIMIT 1) m ON true"
    " WHERE a.id = $1::uuid AND a.user_id = $2");
enum { AD_ID, AD_STRAVA_ID, AD_NAME, AD_SPORT, AD_DISTANCE, AD_MOVING,
	AD_ELAPSED, AD_HR, AD_ELEVATION, AD_DATE, AD_START, AD_POLYLINE,
	AD_SPLITS, AD_W_ID, AD_W_TYPE, AD_W_DISTANCE, AD_W_DATE, AD_TSS,
	AD_IF, AD_METHOD, AD__MAX };

static json_t *
segments_json(const struct split_input *s, size_t n)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("[f, i, o, o]",
		    round(s[i].distance_m * 10) / 10, s[i].moving_s,
		    s[i].average_hr > 0 ? json_real(round(s[i].average_hr * 10)
		    / 10) : json_null(), s[i].has_elevation ?
		    json_real(round(s[i].elevation_m * 10) / 10) : json_null()));
	return arr;
}

char *
activity_splits_json(const struct run_splits *s)
{
	json_t	*j;
	char	*text;

	if (s == NULL || s->nlaps + s->nmetric + s->nstandard == 0)
		return NULL;
	j = json_object();
	if (s->nlaps > 0)
		json_object_set_new(j, "laps", segments_json(s->laps, s->nlaps));
	if (s->nmetric > 0)
		json_object_set_new(j, "metric", segments_json(s->metric,
		    s->nmetric));
	if (s->nstandard > 0)
		json_object_set_new(j, "standard", segments_json(s->standard,
		    s->nstandard));
	/* Tenths: 8 digits hold 100 km; no 3.2000000000000002. */
	text = json_text(j, JSON_COMPACT | JSON_REAL_PRECISION(8));
	json_decref(j);
	return text;
}

int
activities_store_splits(struct db *db, const char *user_id, int64_t strava_id,
    const struct run_splits *s)
{
	char		 id[24], *json = activity_splits_json(s);
	const char	*p[3] = { user_id, id, json };
	long		 rc;

	snprintf(id, sizeof(id), "%" PRId64, strava_id);
	rc = db_run(db, &q_store, 3, p);
	if (rc == 0 && json != NULL)
		rc = db_run(db, &q_store_copy, 3, p);
	free(json);
	return rc < 0 ? -1 : 0;
}

/* One stored array into arena segments; false if malformed. */
static bool
parse_array(arena_t *a, const json_t *arr, struct split_input **out,
    size_t *n)
{
	const json_t	*v;
	size_t		 i, len = json_array_size(arr);

	*out = NULL;
	*n = 0;
	if (arr == NULL)
		return true;
	if (!json_is_array(arr) || len > SPLITS_MAX)
		return false;
	*out = arena_alloc(a, (len + 1) * sizeof(**out));
	json_array_foreach(arr, i, v) {
		struct split_input *s = &(*out)[i];
		const json_t *hr = json_array_get(v, 2), *el = json_array_get(v, 3);

		if (json_array_size(v) != SEGMENT_FIELDS ||
		    !json_is_number(json_array_get(v, 0)) ||
		    !json_is_integer(json_array_get(v, 1)))
			return false;
		s->distance_m = json_number_value(json_array_get(v, 0));
		s->moving_s = (int)json_integer_value(json_array_get(v, 1));
		s->average_hr = json_is_number(hr) ? json_number_value(hr) : 0;
		s->has_elevation = json_is_number(el);
		s->elevation_m = s->has_elevation ? json_number_value(el) : 0;
	}
	*n = len;
	return true;
}

bool
activity_splits_parse(arena_t *a, const char *text, struct run_splits *s)
{
	json_t	*j;
	bool	 ok;

	memset(s, 0, sizeof(*s));
	if (text == NULL)
		return true;
	if ((j = json_loads(text, 0, NULL)) == NULL || !json_is_object(j)) {
		json_decref(j);
		return false;
	}
	ok = parse_array(a, json_object_get(j, "laps"), &s->laps, &s->nlaps) &&
	    parse_array(a, json_object_get(j, "metric"), &s->metric,
	    &s->nmetric) && parse_array(a, json_object_get(j, "standard"),
	    &s->standard, &s->nstandard);
	json_decref(j);
	if (!ok)
		memset(s, 0, sizeof(*s));
	return ok;
}

static void
read_detail(arena_t *a, const PGresult *r, struct activity_detail *d)
{
	memset(d, 0, sizeof(*d));
	d->id = db_strdup(a, r, 0, AD_ID);
	d->strava_id = strtoll(db_val(r, 0, AD_STRAVA_ID), NULL, 10);
	d->name = db_strdup(a, r, 0, AD_NAME);
	d->sport_type = db_strdup(a, r, 0, AD_SPORT);
	d->is_run = sport_is_run(d->sport_type);
	d->distance_m = (int)db_long(r, 0, AD_DISTANCE);
	d->moving_s = (int)db_long(r, 0, AD_MOVING);
	d->elapsed_s = (int)db_long(r, 0, AD_ELAPSED);
	d->average_hr = strtod(db_val(r, 0, AD_HR), NULL);
	d->elevation_m = strtod(db_val(r, 0, AD_ELEVATION), NULL);
	if (!db_date(r, 0, AD_DATE, &d->date))
		d->date = 0;
	d->start_local = db_strdup(a, r, 0, AD_START);
	d->polyline = db_strdup(a, r, 0, AD_POLYLINE);
	(void)activity_splits_parse(a, db_strdup(a, r, 0, AD_SPLITS),
	    &d->splits);
	d->workout_id = db_strdup(a, r, 0, AD_W_ID);
	d->workout_type = db_strdup(a, r, 0, AD_W_TYPE);
	d->workout_distance_m = (int)db_long(r, 0, AD_W_DISTANCE);
	if (!db_date(r, 0, AD_W_DATE, &d->workout_date))
		d->workout_date = 0;
	d->tss = strtod(db_val(r, 0, AD_TSS), NULL);
	d->intensity = strtod(db_val(r, 0, AD_IF), NULL);
	d->load_method = db_strdup(a, r, 0, AD_METHOD);
}

int
activities_load_detail(struct db *db, arena_t *a, const char *user_id,
    const char *id, struct activity_detail *d)
{
	const char	*p[2] = { id, user_id };
	PGresult	*r = db_exec(db, &q_detail, 2, p);
	int		 found;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1))
		read_detail(a, r, d);
	PQclear(r);
	return found;
}
