#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/throttle.h"
#include "db/users.h"

/*
 * The runner's personal company (sql/015) is made in the same statement
 * and only when the account is: a taken email leaves nothing behind.
 */
static const struct db_stmt q_create = DB_STMT("account_create_user",
    "WITH c AS (SELECT gen_random_uuid() AS id),"
    "     u AS (INSERT INTO users (email, name, password_hash, company_id,"
    "                              personal_company_id)"
    "           SELECT $1, NULLIF($2, ''), $3, c.id, c.id FROM c"
    "           ON CONFLICT DO NOTHING RETURNING id, company_id),"
    "     k AS (INSERT INTO companies (id, name, slug, personal)"
    "           SELECT company_id, COALESCE(NULLIF($2, ''), 'Personal'),"
    "                  'p-' || replace(company_id::text, '-', ''), TRUE"
    "             FROM u),"
    "     p AS (INSERT INTO athlete_profiles (user_id, timezone)"
    "           SELECT id, $4 FROM u RETURNING user_id)"
    " UPDATE users SET signup_attempted_at = NOW()"
    "  WHERE lower(email) = lower($1) AND NOT EXISTS (SELECT 1 FROM p)");
static const struct db_stmt q_by_email = DB_STMT("account_by_email",
    "SELECT u.id, u.password_hash, u.signup_attempted_at IS NOT NULL,"
    "       COALESCE(u.id::text, 'e:' || encode(sha256(convert_to("
    "                lower($1), 'UTF8')), 'hex'))"
    "  FROM (SELECT 1) one"
    "  LEFT JOIN users u ON lower(u.email) = lower($1)");
enum { BE_ID, BE_HASH, BE_ATTEMPTED, BE_SUBJECT, BE__MAX };
static const struct db_stmt q_set_hash = DB_STMT("account_rehash",
    "UPDATE users SET password_hash = $2 WHERE id = $1");
static const struct db_stmt q_told = DB_STMT("account_told",
    "UPDATE users SET signup_attempted_at = NULL WHERE id = $1");
static const struct db_stmt q_hash = DB_STMT("settings_hash",
    "SELECT password_hash FROM users WHERE id = $1");
static const struct db_stmt q_end_others = DB_STMT("settings_end_others",
    "DELETE FROM sessions WHERE user_id = $1 AND id <> $2");
/*
 * Fitness fields the profile lacks come from the runner's plan (issue
 * 15.8): the active one, else the newest, as its form gave them.  The
 * race comes as a pair (a distance without a time says nothing).
 */
static const struct db_stmt q_profile = DB_STMT("settings_profile",
    "SELECT COALESCE(u.name, ''), u.email, p.units, p.first_day_of_week,"
    "       p.timezone,"
    "       COALESCE(p.weekly_distance, t.baseline_weekly_distance, 0),"
    "       CASE WHEN p.recent_race_time IS NOT NULL"
    "            THEN COALESCE(p.recent_race_distance, 0)"
    "            WHEN t.baseline_race_time IS NOT NULL"
    "            THEN COALESCE(t.baseline_race_distance, 0) ELSE 0 END,"
    "       COALESCE(p.recent_race_time,"
    "                CASE WHEN t.baseline_race_distance IS NOT NULL"
    "                     THEN t.baseline_race_time END, 0)"
    "  FROM users u JOIN athlete_profiles p ON p.user_id = u.id"
    "  LEFT JOIN LATERAL (SELECT baseline_weekly_distance,"
    "                            baseline_race_distance, baseline_race_time"
    "                       FROM training_plans WHERE user_id = u.id"
    "                      ORDER BY is_active DESC, created_at DESC"
    "                      LIMIT 1) t ON true"
    " WHERE u.id = $1");
enum { PR_NAME, PR_EMAIL, PR_UNITS, PR_FIRST_DAY, PR_TZ, PR_WEEKLY,
	PR_RACE_M, PR_RACE_S, PR__MAX };
static const struct db_stmt q_tz_ok = DB_STMT("settings_tz_ok",
    "SELECT 1 FROM pg_timezone_names WHERE name = $1");
static const struct db_stmt q_save_user = DB_STMT("settings_save_user",
    "UPDATE users SET name = NULLIF($2, ''), email = $3 WHERE id = $1");
static const struct db_stmt q_save_profile = DB_STMT("settings_save_profile",
    "UPDATE athlete_profiles SET units = $2, first_day_of_week = $3,"
    "       timezone = $4, weekly_distance = NULLIF($5::int, 0),"
    "       recent_race_distance = NULLIF($6::int, 0),"
    "       recent_race_time = NULLIF($7::int, 0)"
    " WHERE user_id = $1");
static const struct db_stmt q_delete = DB_STMT("settings_delete_user",
    "DELETE FROM users WHERE id = $1");
/*
 * The users row's trigger deletes these by athlete id, but disconnecting
 * Strava (before deletion) has cleared that id by then.
 */
static const struct db_stmt q_delete_events = DB_STMT("settings_delete_events",
    "DELETE FROM strava_webhook_events WHERE strava_athlete_id = $1::bigint");

int
users_create(struct db *db, const char *email, const char *name,
    const char *password_hash, const char *timezone)
{
	const char	*p[4] = { email, name, password_hash, timezone };
	long		 n = db_run(db, &q_create, 4, p);

	/* The UPDATE touches a row only when the email was taken. */
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

int
users_find_for_login(struct db *db, arena_t *a, const char *email,
    struct user_login *u)
{
	PGresult *r = db_exec(db, &q_by_email, 1, &email);

	memset(u, 0, sizeof(*u));
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return -1;
	}
	u->id = db_null(r, 0, BE_ID) ? NULL : db_strdup(a, r, 0, BE_ID);
	u->hash = db_null(r, 0, BE_HASH) ? NULL : db_strdup(a, r, 0, BE_HASH);
	u->signup_attempted = u->id != NULL && db_bool(r, 0, BE_ATTEMPTED);
	u->subject = db_strdup(a, r, 0, BE_SUBJECT);
	PQclear(r);
	return 0;
}

int
users_set_password_hash(struct db *db, const char *user_id, const char *hash)
{
	const char *p[2] = { user_id, hash };

	return db_run(db, &q_set_hash, 2, p) < 0 ? -1 : 0;
}

int
users_clear_signup_attempt(struct db *db, const char *user_id)
{
	return db_run(db, &q_told, 1, &user_id) < 0 ? -1 : 0;
}

int
users_password_hash(struct db *db, arena_t *a, const char *user_id,
    const char **hash)
{
	PGresult	*r = db_exec(db, &q_hash, 1, &user_id);
	int		 rc;

	*hash = NULL;
	if (r == NULL)
		return -1;
	rc = PQntuples(r) == 1;
	if (rc && !db_null(r, 0, 0))
		*hash = db_strdup(a, r, 0, 0);
	PQclear(r);
	return rc;
}

int
users_change_password(struct db *db, const char *user_id, const char *hash,
    const char *keep_session_id)
{
	const char *p[2] = { user_id, hash };

	if (db_begin(db) == -1)
		return -1;
	if (db_run(db, &q_set_hash, 2, p) != 1)
		goto fail;
	p[1] = keep_session_id;
	if (db_run(db, &q_end_others, 2, p) < 0 || db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int
users_load_profile(struct db *db, arena_t *a, const char *user_id,
    struct user_profile *pr)
{
	PGresult	*r = db_exec(db, &q_profile, 1, &user_id);
	int		 rc;

	memset(pr, 0, sizeof(*pr));
	if (r == NULL)
		return -1;
	if ((rc = PQntuples(r) == 1)) {
		pr->name = db_strdup(a, r, 0, PR_NAME);
		pr->email = db_strdup(a, r, 0, PR_EMAIL);
		pr->units = db_strdup(a, r, 0, PR_UNITS);
		pr->first_day = db_strdup(a, r, 0, PR_FIRST_DAY);
		pr->timezone = db_strdup(a, r, 0, PR_TZ);
		pr->weekly_m = db_long(r, 0, PR_WEEKLY);
		pr->race_m = db_long(r, 0, PR_RACE_M);
		pr->race_s = db_long(r, 0, PR_RACE_S);
	}
	PQclear(r);
	return rc;
}

int
users_timezone_known(struct db *db, const char *tz)
{
	PGresult	*r = db_exec(db, &q_tz_ok, 1, &tz);
	int		 rc;

	if (r == NULL)
		return -1;
	rc = PQntuples(r) == 1;
	PQclear(r);
	return rc;
}

int
users_save_profile(struct db *db, const char *user_id,
    const struct user_profile *pr)
{
	char		 weekly[24], race_m[24], race_s[24];
	const char	*p[7] = { user_id, pr->name, pr->email };

	if (db_begin(db) == -1)
		return -1;
	if (db_run(db, &q_save_user, 3, p) < 0) {
		db_rollback(db);
		return db_unique_violation(db) ? 0 : -1;
	}
	snprintf(weekly, sizeof(weekly), "%ld", pr->weekly_m);
	snprintf(race_m, sizeof(race_m), "%ld", pr->race_m);
	snprintf(race_s, sizeof(race_s), "%ld", pr->race_s);
	p[1] = pr->units;
	p[2] = pr->first_day;
	p[3] = pr->timezone;
	p[4] = weekly;
	p[5] = race_m;
	p[6] = race_s;
	if (db_run(db, &q_save_profile, 7, p) != 1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 1;
}

int
users_delete(struct db *db, const char *user_id, const char *email,
    long long strava_athlete_id)
{
	char		 athlete[24];
	const char	*a = athlete;

	snprintf(athlete, sizeof(athlete), "%lld", strava_athlete_id);
	if (db_begin(db) == -1)
		return -1;
	if (throttle_forget(db, user_id, email) == -1 ||
	    db_run(db, &q_delete, 1, &user_id) != 1 ||
	    (strava_athlete_id != 0 &&
	    db_run(db, &q_delete_events, 1, &a) < 0) ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}
