/*
 * db/mail: see mail.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/mail.h"

static const struct db_stmt q_user = DB_STMT("mail_user",
    "SELECT u.id, u.email, COALESCE(u.name, ''),"
    "       COALESCE(p.units, 'km'), COALESCE(p.first_day_of_week, 'mon'),"
    "       COALESCE(p.timezone, 'UTC'),"
    "       (NOW() AT TIME ZONE COALESCE(p.timezone, 'UTC'))::date,"
    "       u.email_verified_at IS NOT NULL"
    "  FROM users u LEFT JOIN athlete_profiles p ON p.user_id = u.id"
    " WHERE u.id = $1");
enum { MU_ID, MU_EMAIL, MU_NAME, MU_UNITS, MU_FIRST, MU_TZ, MU_TODAY,
	MU_VERIFIED, MU__MAX };

/* ---- one-time links ---------------------------------------------------- */

static const struct db_stmt q_token_add = DB_STMT("mail_token_add",
    "INSERT INTO email_tokens (token_hash, user_id, purpose, email,"
    "                          expires_at)"
    " VALUES (decode($1, 'hex'), $2, $3, $4,"
    "         NOW() + make_interval(secs => $5::int))");
/* Expired links are purged as new ones are made: no job needed. */
static const struct db_stmt q_token_purge = DB_STMT("mail_token_purge",
    "DELETE FROM email_tokens WHERE token_hash IN (SELECT token_hash"
    "  FROM email_tokens WHERE expires_at < NOW() - INTERVAL '1 day'"
    "  LIMIT 200 FOR UPDATE SKIP LOCKED)");
static const struct db_stmt q_token_state = DB_STMT("mail_token_state",
    "SELECT t.used_at IS NOT NULL, t.expires_at < NOW(),"
    "       lower(t.email) <> lower(u.email), t.email"
    "  FROM email_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = decode($1, 'hex') AND t.purpose = $2");
enum { TS_USED, TS_EXPIRED, TS_STALE, TS_EMAIL, TS__MAX };
static const struct db_stmt q_token_verify = DB_STMT("mail_token_verify",
    "WITH t AS (UPDATE email_tokens t SET used_at = NOW()"
    "             FROM users u"
    "            WHERE t.token_hash = decode($1, 'hex')"
    "              AND t.purpose = 'verify' AND t.used_at IS NULL"
    "              AND t.expires_at >= NOW() AND u.id = t.user_id"
    "              AND lower(t.email) = lower(u.email)"
    "        RETURNING t.user_id)"
    " UPDATE users SET email_verified_at = COALESCE(email_verified_at, NOW())"
    "  FROM t WHERE users.id = t.user_id RETURNING users.id");
/* The link, locked: the reset is one transaction from here. */
static const struct db_stmt q_reset_lock = DB_STMT("mail_reset_lock",
    "SELECT t.user_id, lower(t.email) = lower(u.email)"
    "  FROM email_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = decode($1, 'hex') AND t.purpose = 'reset'"
    "   AND t.used_at IS NULL AND t.expires_at >= NOW()"
    "   FOR UPDATE OF t");
static const struct db_stmt q_reset_password = DB_STMT("mail_reset_password",
    "UPDATE users SET password_hash = $2,"
    "       email_verified_at = CASE WHEN $3::bool"
    "            THEN COALESCE(email_verified_at, NOW())"
    "            ELSE email_verified_at END"
    " WHERE id = $1");
static const struct db_stmt q_reset_sessions = DB_STMT("mail_reset_sessions",
    "DELETE FROM sessions WHERE user_id = $1");
static const struct db_stmt q_reset_used = DB_STMT("mail_reset_used",
    "UPDATE email_tokens SET used_at = NOW()"
    " WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL");

/* ---- notifications --------------------------------------------------------- */

static const struct db_stmt q_kinds = DB_STMT("mail_notify_kinds",
    "SELECT kind FROM notification_settings WHERE user_id = $1 ORDER BY kind");
static const struct db_stmt q_notify_on = DB_STMT("mail_notify_on",
    "INSERT INTO notification_settings (user_id, kind) VALUES ($1, $2)"
    " ON CONFLICT DO NOTHING");
static const struct db_stmt q_notify_off = DB_STMT("mail_notify_off",
    "DELETE FROM notification_settings WHERE user_id = $1 AND kind = $2");
static const struct db_stmt q_notify_is = DB_STMT("mail_notify_is",
    "SELECT 1 FROM notification_settings WHERE user_id = $1 AND kind = $2");
static const struct db_stmt q_ledger = DB_STMT("mail_ledger_once",
    "INSERT INTO mail_ledger (user_id, kind, period) VALUES ($1, $2, $3)"
    " ON CONFLICT DO NOTHING");
static const struct db_stmt q_ledger_purge = DB_STMT("mail_ledger_purge",
    "DELETE FROM mail_ledger WHERE user_id = $1"
    "   AND created_at < NOW() - make_interval(days => $2::int)");
static const struct db_stmt q_strava_broken = DB_STMT("mail_strava_broken",
    "SELECT 1 FROM users WHERE id = $1 AND strava_needs_reconnect");
/*
 * The runner's next week start at $2 o'clock local (or this week's), and
 * how far away that is.  Weeks start on their first_day_of_week.
 */
static const struct db_stmt q_week = DB_STMT("mail_week_start",
    "WITH z AS (SELECT COALESCE(p.timezone, 'UTC') AS tz,"
    "                  CASE p.first_day_of_week WHEN 'sun' THEN 0 ELSE 1 END"
    "                  AS dow"
    "             FROM users u LEFT JOIN athlete_profiles p"
    "               ON p.user_id = u.id WHERE u.id = $1),"
    "     l AS (SELECT tz, dow, NOW() AT TIME ZONE tz AS now_l FROM z),"
    "     d AS (SELECT tz, now_l, now_l::date - ((EXTRACT(DOW FROM now_l)::int"
    "                  - dow + 7) % 7) AS this_start FROM l),"
    "     n AS (SELECT tz, this_start, CASE"
    "                  WHEN $3::bool THEN this_start"
    "                  WHEN now_l < this_start + make_interval(hours => $2::int)"
    "                  THEN this_start ELSE this_start + 7 END AS start FROM d)"
    " SELECT start::text, CASE WHEN $3::bool THEN 0 ELSE GREATEST(0,"
    "        CEIL(EXTRACT(EPOCH FROM ((start + make_interval(hours => $2::int))"
    "             AT TIME ZONE tz) - NOW())))::int END"
    "   FROM n");
static const struct db_stmt q_users_with = DB_STMT("mail_users_with",
    "SELECT n.user_id FROM notification_settings n"
    "  JOIN users u ON u.id = n.user_id"
    " WHERE n.kind = $1 AND ($2 = '' OR lower(u.email) = lower($2))"
    " ORDER BY n.user_id LIMIT 100000");

/* ---- exports ------------------------------------------------------------------ */

static const struct db_stmt q_export_add = DB_STMT("mail_export_add",
    "INSERT INTO data_exports (user_id, expires_at)"
    " SELECT $1, NOW() + make_interval(secs => $2::int)"
    "  WHERE NOT EXISTS (SELECT 1 FROM data_exports WHERE user_id = $1"
    "                       AND status = 'pending'"
    "                       AND created_at > NOW() - INTERVAL '1 hour')"
    "    AND (SELECT count(*) FROM data_exports WHERE user_id = $1"
    "          AND created_at > NOW() - INTERVAL '1 day') < $3::int"
    " RETURNING id");
#define EXPORT_COLS \
    "SELECT id, status, COALESCE(size_bytes, 0)," \
    "       EXTRACT(EPOCH FROM expires_at)::bigint," \
    "       to_char(created_at, 'YYYY-MM-DD HH24:MI') FROM data_exports"
static const struct db_stmt q_export_get = DB_STMT("mail_export_get",
    EXPORT_COLS " WHERE user_id = $1 AND id = $2::uuid"
    "   AND expires_at > NOW()");
static const struct db_stmt q_export_latest = DB_STMT("mail_export_latest",
    EXPORT_COLS " WHERE user_id = $1 AND expires_at > NOW()"
    " ORDER BY created_at DESC LIMIT 1");
enum { EX_ID, EX_STATUS, EX_SIZE, EX_EXPIRES, EX_CREATED, EX__MAX };
static const struct db_stmt q_export_finish = DB_STMT("mail_export_finish",
    "UPDATE data_exports SET status = CASE WHEN $2::bool THEN 'ready'"
    "       ELSE 'failed' END, size_bytes = $3::bigint, ready_at = NOW()"
    " WHERE id = $1 AND status = 'pending'");
static const struct db_stmt q_export_ids = DB_STMT("mail_export_ids",
    "SELECT id FROM data_exports WHERE user_id = $1");
static const struct db_stmt q_export_expire = DB_STMT("mail_export_expire",
    "DELETE FROM data_exports WHERE id IN (SELECT id FROM data_exports"
    "  WHERE expires_at < NOW() LIMIT $1::int FOR UPDATE SKIP LOCKED)"
    " RETURNING id");

/*
 * The parts of a runner's data, each as one JSON array.  Columns are
 * named, not "*": internal ones (tokens, password hash, raw Strava JSON)
 * never leave.
 */
static const struct db_stmt q_part_profile = DB_STMT("mail_export_profile",
    "SELECT COALESCE(json_agg(t), '[]')::text FROM (SELECT u.id, u.email, u.name,"
    "       u.email_verified_at, u.created_at, u.strava_athlete_id,"
    "       u.strava_athlete_name, u.strava_connected_at, p.units,"
    "       p.first_day_of_week, p.timezone, p.weekly_distance,"
    "       p.longest_run, p.recent_race_distance, p.recent_race_time,"
    "       (SELECT string_agg(kind, ' ' ORDER BY kind)"
    "          FROM notification_settings n WHERE n.user_id = u.id)"
    "       AS notifications"
    "  FROM users u LEFT JOIN athlete_profiles p ON p.user_id = u.id"
    " WHERE u.id = $1) t");
static const struct db_stmt q_part_plans = DB_STMT("mail_export_plans",
    "SELECT COALESCE(json_agg(t ORDER BY t.created_at), '[]')::text FROM"
    " (SELECT p.id, p.name, r.name AS race_name, p.race_distance,"
    "         p.race_date, p.start_date, p.total_weeks, p.is_active,"
    "         p.runs_per_week, p.long_run_day, p.goal_time, p.goal_pace,"
    "         p.vdot, p.vdot_source, p.units, p.first_day_of_week,"
    "         p.baseline_weekly_distance, p.baseline_longest_run,"
    "         p.baseline_race_distance, p.baseline_race_time, p.created_at"
    "    FROM training_plans p LEFT JOIN races r ON r.id = p.race_id"
    "   WHERE p.user_id = $1) t");
static const struct db_stmt q_part_workouts = DB_STMT("mail_export_workouts",
    "SELECT COALESCE(json_agg(t ORDER BY t.scheduled_date, t.id),"
    "       '[]')::text FROM"
    " (SELECT w.id, w.training_plan_id AS plan_id, w.week_number,"
    "         w.scheduled_date, w.original_date, w.workout_type, w.distance,"
    "         w.duration_estimate, w.pace_fast, w.pace_slow, w.description,"
    "         w.manual_status, w.completed_at, w.edited_by_hand,"
    "         (SELECT string_agg(a.strava_activity_id::text, ' ')"
    "            FROM workout_completions c JOIN strava_activities a"
    "              ON a.id = c.strava_activity_id"
    "           WHERE c.workout_id = w.id) AS strava_activity_ids"
    "    FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    "   WHERE p.user_id = $1) t");
/* Every column of the feedback but the analysis cache: its schema moves. */
static const struct db_stmt q_part_feedback = DB_STMT("mail_export_feedback",
    "SELECT COALESCE(jsonb_agg(x ORDER BY d, wid), '[]')::text FROM"
    " (SELECT jsonb_build_object('scheduled_date', w.scheduled_date)"
    "         || (to_jsonb(f) - 'analysis') AS x,"
    "         w.scheduled_date AS d, f.workout_id AS wid"
    "    FROM workout_feedback f JOIN workouts w ON w.id = f.workout_id"
    "    JOIN training_plans p ON p.id = w.training_plan_id"
    "   WHERE p.user_id = $1) t");
static const struct db_stmt q_part_activities = DB_STMT(
    "mail_export_activities",
    "SELECT COALESCE(json_agg(t ORDER BY t.start_date_local, t.id),"
    "       '[]')::text FROM"
    " (SELECT a.id, a.strava_activity_id, a.name, a.sport_type, a.distance,"
    "         a.moving_time, a.elapsed_time, a.average_speed,"
    "         a.average_heartrate, a.start_date_local, a.start_date,"
    "         a.timezone, a.total_elevation_gain, a.is_manual, a.is_private,"
    "         a.summary_polyline, a.source, a.file_name"
    "    FROM strava_activities a WHERE a.user_id = $1) t");

static const struct db_stmt q_queue_stats = DB_STMT("mail_queue_stats",
    "SELECT count(*) FILTER (WHERE state = 'waiting'),"
    "       count(*) FILTER (WHERE state = 'waiting' AND note IS NOT NULL),"
    "       COALESCE(EXTRACT(EPOCH FROM NOW() - min(created_at)"
    "                FILTER (WHERE state = 'waiting')), 0)::float8,"
    "       count(*) FILTER (WHERE state = 'failed')"
    "  FROM jobs WHERE kind = 'mail.send' AND state <> 'done'");

/* ------------------------------------------------------------------------- */

int
db_mail_user(struct db *db, arena_t *a, const char *user_id,
    struct mail_user *u)
{
	PGresult	*r = db_exec(db, &q_user, 1, &user_id);
	int		 rc;

	memset(u, 0, sizeof(*u));
	if (r == NULL)
		return -1;
	if ((rc = PQntuples(r) == 1)) {
		u->r.id = db_strdup(a, r, 0, MU_ID);
		u->r.email = db_strdup(a, r, 0, MU_EMAIL);
		u->r.name = db_strdup(a, r, 0, MU_NAME);
		u->r.units = db_strdup(a, r, 0, MU_UNITS);
		u->r.first_day = db_strdup(a, r, 0, MU_FIRST);
		u->r.timezone = db_strdup(a, r, 0, MU_TZ);
		u->r.today = db_strdup(a, r, 0, MU_TODAY);
		u->verified = db_bool(r, 0, MU_VERIFIED);
	}
	PQclear(r);
	return rc;
}

int
db_mail_token_add(struct db *db, const char *user_id, const char *purpose,
    const char *hash_hex, const char *email, int ttl_s)
{
	char		 ttl[16];
	const char	*p[5] = { hash_hex, user_id, purpose, email, ttl };

	snprintf(ttl, sizeof(ttl), "%d", ttl_s);
	if (db_run(db, &q_token_add, 5, p) != 1)
		return -1;
	return db_run(db, &q_token_purge, 0, NULL) < 0 ? -1 : 1;
}

enum mail_token_state
db_mail_token_state(struct db *db, arena_t *a, const char *purpose,
    const char *hash_hex, const char **email)
{
	const char		*p[2] = { hash_hex, purpose };
	PGresult		*r = db_exec(db, &q_token_state, 2, p);
	enum mail_token_state	 st = MAIL_TOKEN_UNKNOWN;

	*email = NULL;
	if (r == NULL)
		return MAIL_TOKEN_ERROR;
	if (PQntuples(r) == 1) {
		*email = db_strdup(a, r, 0, TS_EMAIL);
		st = db_bool(r, 0, TS_USED) ? MAIL_TOKEN_USED :
		    db_bool(r, 0, TS_EXPIRED) ? MAIL_TOKEN_EXPIRED :
		    db_bool(r, 0, TS_STALE) && strcmp(purpose, "verify") == 0 ?
		    MAIL_TOKEN_STALE : MAIL_TOKEN_VALID;
	}
	PQclear(r);
	return st;
}

int
db_mail_token_verify(struct db *db, arena_t *a, const char *hash_hex,
    const char **user_id)
{
	return db_fetch_str(db, a, &q_token_verify, 1, &hash_hex, 0, user_id);
}

int
db_mail_token_reset(struct db *db, arena_t *a, const char *hash_hex,
    const char *password_hash, const char **user_id)
{
	const char	*p[3];
	PGresult	*r;

	*user_id = NULL;
	if (db_begin(db) == -1)
		return -1;
	if ((r = db_exec(db, &q_reset_lock, 1, &hash_hex)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback(db);
		return 0;
	}
	*user_id = db_strdup(a, r, 0, 0);
	p[0] = *user_id;
	p[1] = password_hash;
	p[2] = db_bool(r, 0, 1) ? "true" : "false";
	PQclear(r);
	if (db_run(db, &q_reset_password, 3, p) != 1 ||
	    db_run(db, &q_reset_sessions, 1, p) < 0 ||
	    db_run(db, &q_reset_used, 1, p) < 1 || db_commit(db) == -1)
		goto fail;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

int
db_mail_notify_kinds(struct db *db, arena_t *a, const char *user_id,
    const char ***kinds)
{
	PGresult	*r = db_exec(db, &q_kinds, 1, &user_id);
	int		 i, n;

	*kinds = NULL;
	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*kinds = arena_alloc(a, sizeof(**kinds) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		(*kinds)[i] = db_strdup(a, r, i, 0);
	(*kinds)[n] = NULL;
	PQclear(r);
	return n;
}

int
db_mail_notify_set(struct db *db, const char *user_id, const char *kind,
    bool on)
{
	const char	*p[2] = { user_id, kind };
	long		 n = db_run(db, on ? &q_notify_on : &q_notify_off, 2, p);

	return n < 0 ? -1 : n > 0;
}

int
db_mail_notify_on(struct db *db, const char *user_id, const char *kind)
{
	const char *p[2] = { user_id, kind };

	return db_exists(db, &q_notify_is, 2, p);
}

int
db_mail_ledger_once(struct db *db, const char *user_id, const char *kind,
    const char *period)
{
	const char	*p[3] = { user_id, kind, period };
	long		 n = db_run(db, &q_ledger, 3, p);

	return n < 0 ? -1 : n > 0;
}

int
db_mail_ledger_purge(struct db *db, const char *user_id, int days)
{
	char		 d[16];
	const char	*p[2] = { user_id, d };

	snprintf(d, sizeof(d), "%d", days);
	return db_run(db, &q_ledger_purge, 2, p) < 0 ? -1 : 0;
}

int
db_mail_strava_broken(struct db *db, const char *user_id)
{
	return db_exists(db, &q_strava_broken, 1, &user_id);
}

int
db_mail_week_start(struct db *db, const char *user_id, int hour,
    bool this_week, int *delay, date_t *day)
{
	char		 h[16];
	const char	*p[3] = { user_id, h, this_week ? "true" : "false" };
	PGresult	*r;
	int		 rc;

	snprintf(h, sizeof(h), "%d", hour);
	if ((r = db_exec(db, &q_week, 3, p)) == NULL)
		return -1;
	rc = PQntuples(r) == 1 && date_parse(db_val(r, 0, 0), day);
	*delay = rc ? (int)db_long(r, 0, 1) : 0;
	PQclear(r);
	return rc;
}

int
db_mail_users_with(struct db *db, arena_t *a, const char *kind,
    const char *only_email, const char ***ids)
{
	const char	*p[2] = { kind, only_email ? only_email : "" };
	PGresult	*r = db_exec(db, &q_users_with, 2, p);
	int		 i, n;

	*ids = NULL;
	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*ids = arena_alloc(a, sizeof(**ids) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		(*ids)[i] = db_strdup(a, r, i, 0);
	(*ids)[n] = NULL;
	PQclear(r);
	return n;
}

int
db_mail_export_add(struct db *db, arena_t *a, const char *user_id,
    int ttl_s, const char **id)
{
	char		 ttl[16], per_day[16];
	const char	*p[3] = { user_id, ttl, per_day };

	snprintf(ttl, sizeof(ttl), "%d", ttl_s);
	snprintf(per_day, sizeof(per_day), "%d", DB_MAIL_EXPORTS_PER_DAY);
	return db_fetch_str(db, a, &q_export_add, 3, p, 0, id);
}

static int
export_row(PGresult *r, arena_t *a, struct data_export *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	if (r == NULL)
		return -1;
	if ((rc = PQntuples(r) == 1)) {
		e->id = db_strdup(a, r, 0, EX_ID);
		e->status = db_strdup(a, r, 0, EX_STATUS);
		e->size_bytes = strtoll(db_val(r, 0, EX_SIZE), NULL, 10);
		e->expires_epoch = strtoll(db_val(r, 0, EX_EXPIRES), NULL, 10);
		e->created = db_strdup(a, r, 0, EX_CREATED);
	}
	PQclear(r);
	return rc;
}

int
db_mail_export_get(struct db *db, arena_t *a, const char *user_id,
    const char *id, struct data_export *e)
{
	const char *p[2] = { user_id, id };

	return export_row(db_exec(db, &q_export_get, 2, p), a, e);
}

int
db_mail_export_latest(struct db *db, arena_t *a, const char *user_id,
    struct data_export *e)
{
	return export_row(db_exec(db, &q_export_latest, 1, &user_id), a, e);
}

int
db_mail_export_finish(struct db *db, const char *id, bool ok,
    long long size_bytes)
{
	char		 size[24];
	const char	*p[3] = { id, ok ? "true" : "false", size };

	snprintf(size, sizeof(size), "%lld", size_bytes);
	return db_run(db, &q_export_finish, 3, p) < 0 ? -1 : 1;
}

/* The first column of r's rows as a NULL-ended array; r is cleared. */
static int
id_list(PGresult *r, arena_t *a, const char ***ids)
{
	int i, n;

	*ids = NULL;
	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*ids = arena_alloc(a, sizeof(**ids) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		(*ids)[i] = db_strdup(a, r, i, 0);
	(*ids)[n] = NULL;
	PQclear(r);
	return n;
}

int
db_mail_export_expire(struct db *db, arena_t *a, int max, const char ***ids)
{
	char		 m[16];
	const char	*p[1] = { m };

	snprintf(m, sizeof(m), "%d", max);
	return id_list(db_exec(db, &q_export_expire, 1, p), a, ids);
}

int
db_mail_export_ids(struct db *db, arena_t *a, const char *user_id,
    const char ***ids)
{
	return id_list(db_exec(db, &q_export_ids, 1, &user_id), a, ids);
}

int
db_mail_export_part(struct db *db, arena_t *a, const char *user_id,
    const char *part, const char **json)
{
	static const struct { const char *name; const struct db_stmt *q; }
	    parts[] = {
		{ "profile", &q_part_profile }, { "plans", &q_part_plans },
		{ "workouts", &q_part_workouts },
		{ "feedback", &q_part_feedback },
		{ "activities", &q_part_activities },
	};
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(parts[i].name, part) == 0)
			return db_fetch_str(db, a, parts[i].q, 1, &user_id, 0,
			    json);
	return -1;
}

int
db_mail_queue_stats(struct db *db, struct mail_queue_stats *s)
{
	PGresult *r = db_exec(db, &q_queue_stats, 0, NULL);

	memset(s, 0, sizeof(*s));
	if (r == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return -1;
	}
	s->waiting = db_long(r, 0, 0);
	s->retrying = db_long(r, 0, 1);
	s->oldest_s = strtod(db_val(r, 0, 2), NULL);
	s->failed = db_long(r, 0, 3);
	PQclear(r);
	return 0;
}
