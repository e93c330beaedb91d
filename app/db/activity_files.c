/* activity_files: see activity_files.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/activity_detail.h"
#include "db/activity_files.h"
#include "db/db.h"

#define LAPS_MAX	200	/* activity_laps.lap_index's range */

/* The runner's time zone, as their pages use it ('UTC' without one). */
#define RUNNER_TZ \
    "COALESCE((SELECT timezone FROM athlete_profiles WHERE user_id = $1)," \
    " 'UTC')"

static const struct db_stmt q_insert = DB_STMT("activity_file_insert",
    "INSERT INTO strava_activities (user_id, source, file_name, name,"
    "        sport_type, distance, moving_time, elapsed_time, average_speed,"
    "        average_heartrate, start_date_local, start_date, timezone,"
    "        total_elevation_gain, summary_polyline, splits)"
    " SELECT u.id, 'file', $2, $3, $4, $5::int, $6::int, $7::int,"
    "        CASE WHEN $6::int > 0 THEN round($5::numeric / $6::int, 2) END,"
    "        $8::numeric, to_timestamp($9) AT TIME ZONE " RUNNER_TZ ","
    "        to_timestamp($9) AT TIME ZONE 'UTC', " RUNNER_TZ ","
    "        $10::numeric, $11, $12::jsonb"
    "   FROM users u WHERE u.id = $1"
    " RETURNING id, start_date_local::date::text");
enum { FI_ID, FI_DATE };

static const struct db_stmt q_lap = DB_STMT("activity_file_lap",
    "INSERT INTO activity_laps (strava_activity_id, lap_index, distance,"
    "        moving_time, average_heartrate)"
    " SELECT a.id, $3::int, $4::int, $5::int, $6::smallint"
    "   FROM strava_activities a WHERE a.id = $2 AND a.user_id = $1");

static const struct db_stmt q_laps_drop = DB_STMT("activity_laps_drop",
    "DELETE FROM activity_laps l USING strava_activities a"
    " WHERE l.strava_activity_id = a.id AND a.id = $2 AND a.user_id = $1");

/* Closest start first; the distance within the percentage of the larger. */
static const struct db_stmt q_same = DB_STMT("activity_same_run",
    "SELECT a.id, a.source,"
    "       COALESCE(a.file_name, a.garmin_summary_id,"
    "                a.strava_activity_id::text, '')"
    "  FROM strava_activities a"
    " WHERE a.user_id = $1"
    "   AND a.start_date BETWEEN"
    "       (to_timestamp($2) AT TIME ZONE 'UTC') - make_interval(secs => $4)"
    "   AND (to_timestamp($2) AT TIME ZONE 'UTC') + make_interval(secs => $4)"
    "   AND abs(a.distance - $3::int) * 100 <="
    "       $5::int * greatest(a.distance, $3::int)"
    " ORDER BY abs(extract(epoch FROM a.start_date"
    "              - (to_timestamp($2) AT TIME ZONE 'UTC'))), a.id"
    " LIMIT 1");
enum { SR_ID, SR_SOURCE, SR_LABEL };

static const struct db_stmt q_sources = DB_READ("activity_sources",
    "SELECT source, detail, distance, start_utc, switchable FROM ("
    " SELECT a.source, COALESCE(a.file_name, a.garmin_summary_id,"
    "        a.strava_activity_id::text,"
    "        '') AS detail, a.distance,"
    "        to_char(a.start_date, 'YYYY-MM-DD HH24:MI:SS') AS start_utc,"
    "        false AS switchable, 0 AS ord, a.created_at"
    "   FROM strava_activities a WHERE a.id = $2 AND a.user_id = $1"
    " UNION ALL"
    " SELECT s.source, s.detail, s.distance,"
    "        to_char(s.start_date, 'YYYY-MM-DD HH24:MI:SS'),"
    "        s.snapshot IS NOT NULL, 1, s.created_at"
    "   FROM activity_sources s"
    "   JOIN strava_activities a ON a.id = s.activity_id"
    "  WHERE s.activity_id = $2 AND a.user_id = $1) t"
    " ORDER BY ord, created_at, detail");
enum { AS_SOURCE, AS_DETAIL, AS_DISTANCE, AS_START, AS_SWITCHABLE };

/* sql/026: the copy swapped into the row in place, marked as chosen. */
static const struct db_stmt q_use = DB_STMT("activity_use_source",
    "WITH old AS (SELECT start_date_local::date AS d FROM strava_activities"
    "              WHERE id = $2 AND user_id = $1)"
    " SELECT (SELECT d::text FROM old),"
    "        activity_use_copy($1, $2, $3, $4, true)");
static const struct db_stmt q_date = DB_STMT("activity_local_date",
    "SELECT start_date_local::date::text FROM strava_activities"
    " WHERE id = $2 AND user_id = $1");


int
activity_files_find_same(struct db *db, arena_t *a, const char *user_id,
    int64_t start_epoch, int distance_m, struct same_run *out)
{
	char		 start[24], dist[16], secs[16], pct[16];
	const char	*p[5] = { user_id, start, dist, secs, pct };
	PGresult	*r;
	int		 found;

	snprintf(start, sizeof(start), "%" PRId64, start_epoch);
	snprintf(dist, sizeof(dist), "%d", distance_m);
	snprintf(secs, sizeof(secs), "%d", SAME_RUN_START_S);
	snprintf(pct, sizeof(pct), "%d", SAME_RUN_DISTANCE_PCT);
	if ((r = db_exec(db, &q_same, 5, p)) == NULL)
		return -1;
	if ((found = PQntuples(r) > 0)) {
		out->id = db_strdup(a, r, 0, SR_ID);
		out->source = db_strdup(a, r, 0, SR_SOURCE);
		out->label = db_strdup(a, r, 0, SR_LABEL);
	}
	PQclear(r);
	return found;
}

static int
insert_laps(struct db *db, const char *user_id, const char *id,
    const struct run_splits *s)
{
	char		 idx[8], dist[16], mov[16], hr[8];
	const char	*p[6] = { user_id, id, idx, dist, mov, NULL };
	size_t		 i;

	for (i = 0; s != NULL && i < s->nlaps && i < LAPS_MAX; i++) {
		const struct split_input *l = &s->laps[i];

		if (l->distance_m < 0 || l->distance_m > 1000000 ||
		    l->moving_s < 0 || l->moving_s > 1000000)
			continue;
		snprintf(idx, sizeof(idx), "%zu", i);
		snprintf(dist, sizeof(dist), "%.0f", l->distance_m);
		snprintf(mov, sizeof(mov), "%d", l->moving_s);
		snprintf(hr, sizeof(hr), "%.0f", l->average_hr);
		p[5] = l->average_hr >= 1 && l->average_hr <= 300 ? hr : NULL;
		if (db_run(db, &q_lap, 6, p) < 0)
			return -1;
	}
	return 0;
}

int
activity_files_laps_replace(struct db *db, const char *user_id,
    const char *id, const struct run_splits *s)
{
	const char *p[2] = { user_id, id };

	if (db_run(db, &q_laps_drop, 2, p) < 0)
		return -1;
	return insert_laps(db, user_id, id, s);
}

int
activity_files_insert(struct db *db, const char *user_id,
    const struct file_run *f, char id_out[40], date_t *local)
{
	char		 dist[16], mov[16], ela[16], hr[32], start[24], elev[32];
	char		*splits = f->splits != NULL ?
			    activity_splits_json(f->splits) : NULL;
	const char	*p[12];
	PGresult	*r;
	int		 rc = -1;

	snprintf(dist, sizeof(dist), "%d", f->distance_m);
	snprintf(mov, sizeof(mov), "%d", f->moving_s);
	snprintf(ela, sizeof(ela), "%d", f->elapsed_s);
	snprintf(hr, sizeof(hr), "%.2f", f->average_hr);
	snprintf(start, sizeof(start), "%" PRId64, f->start_epoch);
	snprintf(elev, sizeof(elev), "%.2f", f->elevation_gain);
	p[0] = user_id;
	p[1] = f->file_name;
	p[2] = f->name;
	p[3] = f->sport_type;
	p[4] = dist;
	p[5] = mov;
	p[6] = ela;
	p[7] = f->average_hr > 0 ? hr : NULL;
	p[8] = start;
	p[9] = f->elevation_gain >= 0 ? elev : NULL;
	p[10] = f->polyline;
	p[11] = splits;
	r = db_exec(db, &q_insert, 12, p);
	free(splits);
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 0)		/* kept as a copy (sql/026) */
		rc = 1;
	else if (date_parse(db_val(r, 0, FI_DATE), local)) {
		snprintf(id_out, 40, "%s", db_val(r, 0, FI_ID));
		rc = 0;
	}
	PQclear(r);
	if (rc == 0)
		rc = insert_laps(db, user_id, id_out, f->splits);
	return rc;
}

int
activity_use_source(struct db *db, const char *user_id,
    const char *activity_id, const char *source, const char *detail,
    date_t *old_local, date_t *new_local)
{
	const char	*p[4] = { user_id, activity_id, source, detail };
	PGresult	*r;
	int		 rc;

	if ((r = db_exec(db, &q_use, 4, p)) == NULL)
		return -1;
	rc = PQntuples(r) == 1 && db_bool(r, 0, 1) &&
	    date_parse(db_val(r, 0, 0), old_local);
	PQclear(r);
	if (rc != 1)
		return 0;
	if ((r = db_exec(db, &q_date, 2, p)) == NULL)
		return -1;
	rc = PQntuples(r) == 1 && date_parse(db_val(r, 0, 0), new_local);
	PQclear(r);
	return rc ? 1 : -1;
}

int
activity_sources_list(struct db *db, arena_t *a, const char *user_id,
    const char *activity_id, struct activity_source **out)
{
	const char	*p[2] = { user_id, activity_id };
	PGresult	*r;
	int		 i, n;

	if ((r = db_exec(db, &q_sources, 2, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, ((size_t)n + 1) * sizeof(**out));
	for (i = 0; i < n; i++) {
		(*out)[i].source = db_strdup(a, r, i, AS_SOURCE);
		(*out)[i].detail = db_strdup(a, r, i, AS_DETAIL);
		(*out)[i].distance_m = (int)db_long(r, i, AS_DISTANCE);
		(*out)[i].start_utc = db_strdup(a, r, i, AS_START);
		(*out)[i].switchable = db_bool(r, i, AS_SWITCHABLE);
	}
	PQclear(r);
	return n;
}
