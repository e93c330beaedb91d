/* roster: see roster.h. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/plan_view.h"
#include "db/roster.h"
#include "domain/activity.h"

/* The newest run is found through (user_id, start_date_local). */
static const struct db_stmt q_athletes = DB_READ("roster_athletes",
    "SELECT u.id, COALESCE(NULLIF(u.name, ''), u.email),"
    "       COALESCE(rp.first_day_of_week, 'mon'),"
    "       (NOW() AT TIME ZONE COALESCE(rp.timezone, 'UTC'))::date,"
    "       t.id, t.name, t.race_date,"
    "       u.strava_athlete_id IS NOT NULL, u.strava_needs_reconnect,"
    "       COALESCE((NOW() AT TIME ZONE COALESCE(rp.timezone, 'UTC'))::date"
    "                - l.start_date_local::date, -1),"
    "       COALESCE(CURRENT_DATE - l.created_at::date, -1)"
    "  FROM users u"
    "  LEFT JOIN athlete_profiles rp ON rp.user_id = u.id"
    "  LEFT JOIN training_plans t ON t.user_id = u.id AND t.is_active"
    "  LEFT JOIN LATERAL (SELECT a.start_date_local, a.created_at"
    "                       FROM strava_activities a"
    "                      WHERE a.user_id = u.id"
    "                      ORDER BY a.start_date_local DESC LIMIT 1) l"
    "    ON true"
    " WHERE u.company_id = $1 AND u.company_role = 'athlete'"
    " ORDER BY lower(COALESCE(NULLIF(u.name, ''), u.email)), u.id");
enum { RA_ID, RA_NAME, RA_FIRST_DAY, RA_TODAY, RA_PLAN_ID, RA_PLAN_NAME,
	RA_RACE_DATE, RA_STRAVA, RA_RECONNECT, RA_RUN_DAYS, RA_SYNC_DAYS,
	RA__MAX };

static const struct db_stmt q_workouts = DB_READ("roster_workouts",
    "SELECT t.user_id, w.scheduled_date, w.workout_type, w.distance,"
    "       COALESCE(w.manual_status, ''), COALESCE(m.n, 0), COALESCE(m.d, 0)"
    "  FROM users u"
    "  JOIN training_plans t ON t.user_id = u.id AND t.is_active"
    "  JOIN workouts w ON w.training_plan_id = t.id"
    "   AND w.scheduled_date BETWEEN $2::date AND $3::date"
    "  LEFT JOIN LATERAL (SELECT count(*) AS n, sum(a.distance) AS d"
    "                       FROM workout_completions c"
    "                       JOIN strava_activities a"
    "                         ON a.id = c.strava_activity_id"
    "                      WHERE c.workout_id = w.id) m ON true"
    " WHERE u.company_id = $1 AND u.company_role = 'athlete'"
    " ORDER BY t.user_id, w.scheduled_date, w.id");
enum { RW_USER, RW_DATE, RW_TYPE, RW_DISTANCE, RW_STATUS, RW_MATCHED,
	RW_ACTUAL, RW__MAX };

static const struct db_stmt q_runs = DB_READ("roster_runs",
    "SELECT a.user_id, a.start_date_local::date, a.distance"
    "  FROM users u"
    "  JOIN strava_activities a ON a.user_id = u.id"
    "   AND a.start_date_local >= $2::date AND a.start_date_local < $3::date + 1"
    "   AND a.sport_type IN " SPORT_RUN_SQL
    " WHERE u.company_id = $1 AND u.company_role = 'athlete'"
    "   AND NOT EXISTS (SELECT 1 FROM workout_completions c"
    "                    WHERE c.strava_activity_id = a.id)"
    " ORDER BY a.user_id, a.start_date_local");
enum { RN_USER, RN_DATE, RN_DISTANCE, RN__MAX };

static date_t
cell_date(const PGresult *r, int row, int col)
{
	date_t d;

	return db_date(r, row, col, &d) ? d : 0;
}

static void
read_athlete(arena_t *a, const PGresult *r, int i, struct roster_athlete *x)
{
	memset(x, 0, sizeof(*x));
	x->id = db_strdup(a, r, i, RA_ID);
	x->name = db_strdup(a, r, i, RA_NAME);
	x->plan_id = db_strdup(a, r, i, RA_PLAN_ID);
	x->plan_name = db_strdup(a, r, i, RA_PLAN_NAME);
	x->race_date = cell_date(r, i, RA_RACE_DATE);
	x->days_since_sync = (int)db_long(r, i, RA_SYNC_DAYS);
	x->in.first_day = strcmp(db_val(r, i, RA_FIRST_DAY), "sun") == 0 ?
	    WD_SUN : WD_MON;
	x->in.today = cell_date(r, i, RA_TODAY);
	x->in.has_plan = x->plan_id != NULL;
	x->in.strava_connected = db_bool(r, i, RA_STRAVA);
	x->in.strava_needs_reconnect = db_bool(r, i, RA_RECONNECT);
	x->in.days_since_run = (int)db_long(r, i, RA_RUN_DAYS);
}

/*
 * The athlete of id among out[0..n), or NULL for one who joined after the
 * first query (left out of this roster).  A linear search once per
 * athlete: rows come grouped by athlete, n is a club's size.
 */
static struct roster_athlete *
find(struct roster_athlete *out, int n, const char *id)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(out[i].id, id) == 0)
			return &out[i];
	return NULL;
}

/* Rows of one athlete are adjacent: counted, then filled in one go. */
static int
read_workouts(arena_t *a, const PGresult *r, struct roster_athlete *out,
    int n)
{
	int			 i, rows = PQntuples(r);
	struct roster_workout	*all = arena_alloc(a, sizeof(*all) *
				    (size_t)(rows + 1));
	struct roster_athlete	*x = NULL;

	for (i = 0; i < rows; i++) {
		struct roster_workout	*w = &all[i];
		const char		*ms = db_val(r, i, RW_STATUS);

		if (x == NULL || strcmp(x->id, db_val(r, i, RW_USER)) != 0)
			x = find(out, n, db_val(r, i, RW_USER));
		if (x == NULL)
			continue;
		if (x->in.nworkouts == 0)
			x->in.workouts = w;
		w->date = cell_date(r, i, RW_DATE);
		w->key = plan_view_is_key(&(struct pv_workout){ .type_key =
		    plan_view_type_key(db_val(r, i, RW_TYPE)) });
		w->distance_m = (int)db_long(r, i, RW_DISTANCE);
		w->nmatched = (int)db_long(r, i, RW_MATCHED);
		w->actual_m = db_long(r, i, RW_ACTUAL);
		w->done_by_hand = strcmp(ms, "done") == 0;
		w->skipped = strcmp(ms, "skipped") == 0;
		x->in.nworkouts++;
	}
	return 0;
}

static int
read_runs(arena_t *a, const PGresult *r, struct roster_athlete *out, int n)
{
	int			 i, rows = PQntuples(r);
	struct roster_run	*all = arena_alloc(a, sizeof(*all) *
				    (size_t)(rows + 1));
	struct roster_athlete	*x = NULL;

	for (i = 0; i < rows; i++) {
		if (x == NULL || strcmp(x->id, db_val(r, i, RN_USER)) != 0)
			x = find(out, n, db_val(r, i, RN_USER));
		if (x == NULL)
			continue;
		if (x->in.nruns == 0)
			x->in.runs = &all[i];
		all[i].date = cell_date(r, i, RN_DATE);
		all[i].distance_m = (int)db_long(r, i, RN_DISTANCE);
		x->in.nruns++;
	}
	return 0;
}

/* Runs st with the window's parameters, and hands the rows to fill. */
static int
window(struct db *db, arena_t *a, const struct db_stmt *st,
    const char *const p[3], struct roster_athlete *out, int n,
    int (*fill)(arena_t *, const PGresult *, struct roster_athlete *, int))
{
	PGresult	*r = db_exec(db, st, 3, p);
	int		 rc;

	if (r == NULL)
		return -1;
	rc = fill(a, r, out, n);
	PQclear(r);
	return rc;
}

int
roster_load(struct db *db, arena_t *a, const char *company_id,
    date_t from, date_t to, struct roster_athlete **out)
{
	char		 f[11], t[11];
	const char	*p[3] = { company_id, f, t };
	PGresult	*r;
	int		 i, n;

	date_format(from, f);
	date_format(to, t);
	if ((r = db_exec(db, &q_athletes, 1, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		read_athlete(a, r, i, &(*out)[i]);
	PQclear(r);
	if (n == 0)
		return 0;
	if (window(db, a, &q_workouts, p, *out, n, read_workouts) == -1 ||
	    window(db, a, &q_runs, p, *out, n, read_runs) == -1)
		return -1;
	return n;
}
