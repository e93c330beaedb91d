/* demo: see demo.h. */
#include "db/db.h"
#include "db/demo.h"

static const struct db_stmt q_exists = DB_STMT("demo_exists",
    "SELECT id FROM users WHERE lower(email) = $1");
enum { EX_ID, EX__MAX };
static const struct db_stmt q_create = DB_STMT("demo_create",
    "WITH u AS (INSERT INTO users (email, name, password_hash)"
    "           VALUES ($1, $3, $2) RETURNING id)"
    " INSERT INTO athlete_profiles (user_id, timezone, weekly_distance,"
    "        longest_run, recent_race_distance, recent_race_time)"
    " SELECT id, '" DEMO_TIMEZONE "', 35000, 14000, 10000, 2940 FROM u"
    " RETURNING user_id");
enum { CR_USER_ID, CR__MAX };
static const struct db_stmt q_linked = DB_STMT("demo_strava_linked",
    "SELECT strava_athlete_id IS NOT NULL FROM users WHERE id = $1");
enum { LK_LINKED, LK__MAX };
static const struct db_stmt q_today = DB_STMT("demo_today",
    "SELECT (now() AT TIME ZONE '" DEMO_TIMEZONE "')::date");
enum { TD_TODAY, TD__MAX };
/* The demo plan's workouts before today, to run them in the sandbox. */
static const struct db_stmt q_past = DB_STMT("demo_past_workouts",
    "SELECT w.scheduled_date, w.distance, w.workout_type,"
    "       COALESCE(w.pace_slow, 360), COALESCE(w.pace_fast, w.pace_slow, 330)"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND p.is_active"
    "   AND w.scheduled_date < (now() AT TIME ZONE '" DEMO_TIMEZONE "')::date"
    " ORDER BY w.scheduled_date");
enum { PW_DATE, PW_DISTANCE, PW_TYPE, PW_PACE_SLOW, PW_PACE_FAST, PW__MAX };
/* The last workout before today of the runner's active plan. */
static const struct db_stmt q_recent = DB_STMT("demo_recent_workout",
    "SELECT w.id"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.user_id = $1 AND p.is_active"
    "   AND w.scheduled_date < (now() AT TIME ZONE '" DEMO_TIMEZONE "')::date"
    " ORDER BY w.scheduled_date DESC, w.id LIMIT 1");
enum { RW_ID, RW__MAX };
static const struct db_stmt q_club = DB_STMT("demo_club",
    "SELECT id FROM companies WHERE slug = $1 AND NOT personal");
enum { CL_ID, CL__MAX };

int
demo_find_runner(struct db *db, arena_t *a, const char *email,
    const char **user_id)
{
	return db_fetch_str(db, a, &q_exists, 1, &email, EX_ID, user_id);
}

int
demo_create_runner(struct db *db, arena_t *a, const char *email,
    const char *name, const char *password_hash, const char **user_id)
{
	const char *p[3] = { email, password_hash, name };

	return db_fetch_str(db, a, &q_create, 3, p, CR_USER_ID,
	    user_id) == 1 ? 1 : -1;
}

int
demo_strava_linked(struct db *db, const char *user_id)
{
	PGresult	*r = db_exec(db, &q_linked, 1, &user_id);
	int		 linked;

	if (r == NULL)
		return -1;
	linked = PQntuples(r) == 1 && db_bool(r, 0, LK_LINKED);
	PQclear(r);
	return linked;
}

int
demo_today(struct db *db, date_t *today)
{
	PGresult	*r = db_exec(db, &q_today, 0, NULL);
	int		 rc;

	if (r == NULL)
		return -1;
	rc = PQntuples(r) == 1 && db_date(r, 0, TD_TODAY, today) ? 0 : -1;
	PQclear(r);
	return rc;
}

int
demo_past_workouts(struct db *db, arena_t *a, const char *user_id,
    struct demo_workout **out)
{
	PGresult	*r = db_exec(db, &q_past, 1, &user_id);
	int		 i, n;

	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct demo_workout *w = &(*out)[i];

		if (!db_date(r, i, PW_DATE, &w->date)) {
			PQclear(r);
			return -1;
		}
		w->distance_m = (int)db_long(r, i, PW_DISTANCE);
		w->type = arena_strdup(a, db_val(r, i, PW_TYPE));
		w->pace_slow = (int)db_long(r, i, PW_PACE_SLOW);
		w->pace_fast = (int)db_long(r, i, PW_PACE_FAST);
	}
	PQclear(r);
	return n;
}

int
demo_recent_workout(struct db *db, arena_t *a, const char *user_id,
    const char **workout_id)
{
	return db_fetch_str(db, a, &q_recent, 1, &user_id, RW_ID, workout_id);
}

int
demo_club_id(struct db *db, arena_t *a, const char *slug, const char **id)
{
	return db_fetch_str(db, a, &q_club, 1, &slug, CL_ID, id);
}
