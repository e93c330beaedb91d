/* activities: see activities.h. */
#include <stdio.h>
#include <stdlib.h>

#include "db/activities.h"
#include "db/db.h"
#include "domain/activity.h"

/* Each activity with the first workout it completes, if any. */
/*
 * The page of activities is chosen before the matched workout is joined,
 * and the filter probes one completion per activity it passes (LIMIT 1
 * keeps PostgreSQL from hashing every completion of every runner): the
 * cost follows the rows shown, not the runner's history
 * (tests/integration/test_query_plans.c).
 */
static const struct db_stmt q_list = DB_STMT("activities_list",
    "SELECT a.id, a.strava_activity_id, COALESCE(a.name, ''), a.sport_type,"
    "       a.distance, a.moving_time,"
    "       COALESCE(round(a.average_heartrate)::int, 0),"
    "       a.start_date_local::date, m.id, m.workout_type, m.distance,"
    "       m.scheduled_date"
    "  FROM (SELECT a.* FROM strava_activities a"
    "         WHERE a.user_id = $1 AND a.start_date_local >= $5::date"
    "           AND ($2 = 'all'"
    "                OR ($2 = 'matched') ="
    "                   ((SELECT 1 FROM workout_completions c"
    "                      WHERE c.strava_activity_id = a.id LIMIT 1)"
    "                    IS NOT NULL)"
    "                   AND ($2 = 'matched'"
    "                        OR a.sport_type IN " SPORT_RUN_SQL "))"
    "         ORDER BY a.start_date_local DESC, a.id DESC"
    "         LIMIT $3::int OFFSET $4::int) a"
    "  LEFT JOIN LATERAL ("
    "       SELECT w.id, w.workout_type, w.distance, w.scheduled_date"
    "         FROM workout_completions c"
    "         JOIN workouts w ON w.id = c.workout_id"
    "        WHERE c.strava_activity_id = a.id"
    "        ORDER BY w.scheduled_date, w.id LIMIT 1) m ON true"
    " ORDER BY a.start_date_local DESC, a.id DESC");
enum { AL_ID, AL_STRAVA_ID, AL_NAME, AL_SPORT_TYPE, AL_DISTANCE, AL_MOVING,
	AL_HEARTRATE, AL_DATE, AL_W_ID, AL_W_TYPE, AL_W_DISTANCE, AL_W_DATE,
	AL__MAX };

/* The filter as the statement's $2. */
static const char *const filter_keys[] = {
	[ACTIVITIES_ALL] = "all", [ACTIVITIES_MATCHED] = "matched",
	[ACTIVITIES_UNMATCHED] = "unmatched",
};

static struct pv_workout *
read_workout(arena_t *a, const PGresult *r, int i)
{
	struct pv_workout *w;

	if (db_null(r, i, AL_W_ID))
		return NULL;
	w = arena_alloc(a, sizeof(*w));
	w->id = arena_strdup(a, db_val(r, i, AL_W_ID));
	w->type_key = plan_view_type_key(db_val(r, i, AL_W_TYPE));
	w->type_name = plan_view_type_name(w->type_key);
	w->distance_m = (int)db_long(r, i, AL_W_DISTANCE);
	if (!db_date(r, i, AL_W_DATE, &w->date))
		w->date = PV_NO_DATE;
	w->original_date = PV_NO_DATE;
	return w;
}

static void
read_row(arena_t *a, const PGresult *r, int i, struct activity_listed *l)
{
	struct pv_activity *x = &l->activity;

	x->id = arena_strdup(a, db_val(r, i, AL_ID));
	x->strava_id = strtoll(db_val(r, i, AL_STRAVA_ID), NULL, 10);
	x->name = arena_strdup(a, db_val(r, i, AL_NAME));
	x->sport_type = arena_strdup(a, db_val(r, i, AL_SPORT_TYPE));
	x->distance_m = (int)db_long(r, i, AL_DISTANCE);
	x->moving_s = (int)db_long(r, i, AL_MOVING);
	x->heartrate = (int)db_long(r, i, AL_HEARTRATE);
	x->elevation_m = -1;
	if (!db_date(r, i, AL_DATE, &x->date))
		x->date = PV_NO_DATE;
	x->is_run = sport_is_run(x->sport_type);
	l->workout = read_workout(a, r, i);
	x->nworkouts = l->workout != NULL;
}

int
activities_list_newest(struct db *db, arena_t *a, const char *user_id,
    enum activities_filter filter, date_t since, int limit, int offset,
    struct activity_listed **out)
{
	char		 lim[16], off[16], from[11];
	const char	*p[5] = { user_id, filter_keys[filter], lim, off, from };
	PGresult	*r;
	int		 i, n;

	snprintf(lim, sizeof(lim), "%d", limit);
	snprintf(off, sizeof(off), "%d", offset);
	if (since == PV_NO_DATE)
		snprintf(from, sizeof(from), "1900-01-01");
	else
		date_format(since, from);
	if ((r = db_exec(db, &q_list, 5, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		read_row(a, r, i, &(*out)[i]);
	PQclear(r);
	return n;
}

static const struct db_stmt q_recent_runs = DB_STMT("plans_recent_runs",
    "SELECT start_date_local::date, distance, moving_time,"
    "       COALESCE(round(average_heartrate), 0)"
    "  FROM strava_activities"
    " WHERE user_id = $1 AND sport_type IN " SPORT_RUN_SQL
    "   AND start_date_local >= $2::date - $3::int"
    "   AND start_date_local < $2::date + 1"
    " ORDER BY start_date_local DESC LIMIT 400");
enum { RR_DATE, RR_DISTANCE, RR_MOVING, RR_HR, RR__MAX };

int
activities_recent_runs(struct db *db, arena_t *a, const char *user_id,
    date_t today, int window_days, const struct run_sample **out, size_t *n)
{
	char			 day[11], window[16];
	const char		*p[3] = { user_id, day, window };
	struct run_sample	*r;
	PGresult		*res;
	int			 i, rows;

	date_format(today, day);
	snprintf(window, sizeof(window), "%d", window_days);
	*out = NULL;
	*n = 0;
	if ((res = db_exec(db, &q_recent_runs, 3, p)) == NULL)
		return -1;
	rows = PQntuples(res);
	r = arena_alloc(a, (size_t)rows * sizeof(*r) + 1);
	for (i = 0; i < rows; i++) {
		if (!db_date(res, i, RR_DATE, &r[i].date))
			r[i].date = today;
		r[i].distance_m = (int)db_long(res, i, RR_DISTANCE);
		r[i].moving_s = (int)db_long(res, i, RR_MOVING);
		r[i].avg_hr = (int)db_long(res, i, RR_HR);
	}
	PQclear(res);
	*out = r;
	*n = (size_t)rows;
	return rows;
}
