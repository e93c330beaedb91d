/* webhooks: see webhooks.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/webhooks.h"

/* ---- settings ------------------------------------------------------------ */

const char *const webhook_setting_names[WS__COUNT] = {
	"limit_window_seconds", "athlete_limit", "global_limit",
	"unknown_limit", "resync_delay_seconds", "resync_interval_seconds",
	"deauth_check_seconds", "not_found_window_seconds", "retention_days",
	"unknown_retention_hours", "failed_retention_days",
};

/* sql/010's defaults, for a database that cannot be read. */
static const int setting_defaults[WS__COUNT] = {
	900, 10, 30, 100, 60, 3600, 600, 60, 30, 24, 90,
};

#define SETTINGS_COLUMNS \
    "limit_window_seconds, athlete_limit, global_limit, unknown_limit," \
    " resync_delay_seconds, resync_interval_seconds, deauth_check_seconds," \
    " not_found_window_seconds, retention_days, unknown_retention_hours," \
    " failed_retention_days"

static const struct db_stmt q_settings = DB_STMT("webhook_settings",
    "SELECT " SETTINGS_COLUMNS " FROM strava_webhook_settings WHERE id = 1");
/* NULL keeps a value: one statement for any subset of them. */
static const struct db_stmt q_settings_set = DB_STMT("webhook_settings_set",
    "UPDATE strava_webhook_settings SET"
    " limit_window_seconds = COALESCE($1::int, limit_window_seconds),"
    " athlete_limit = COALESCE($2::int, athlete_limit),"
    " global_limit = COALESCE($3::int, global_limit),"
    " unknown_limit = COALESCE($4::int, unknown_limit),"
    " resync_delay_seconds = COALESCE($5::int, resync_delay_seconds),"
    " resync_interval_seconds = COALESCE($6::int, resync_interval_seconds),"
    " deauth_check_seconds = COALESCE($7::int, deauth_check_seconds),"
    " not_found_window_seconds = COALESCE($8::int, not_found_window_seconds),"
    " retention_days = COALESCE($9::int, retention_days),"
    " unknown_retention_hours = COALESCE($10::int, unknown_retention_hours),"
    " failed_retention_days = COALESCE($11::int, failed_retention_days)"
    " WHERE id = 1");

int
db_webhooks_settings_load(struct db *db, struct webhook_settings *s)
{
	PGresult	*r;
	int		 i;

	memcpy(s->v, setting_defaults, sizeof(s->v));
	if ((r = db_exec(db, &q_settings, 0, NULL)) == NULL)
		return -1;
	for (i = 0; i < WS__COUNT && PQntuples(r) == 1; i++)
		s->v[i] = (int)db_long(r, 0, i);	/* columns in enum order */
	PQclear(r);
	return 0;
}

int
db_webhooks_settings_store(struct db *db, const int v[WS__COUNT])
{
	char		 text[WS__COUNT][16];
	const char	*p[WS__COUNT];
	int		 i;

	for (i = 0; i < WS__COUNT; i++) {
		snprintf(text[i], sizeof(text[i]), "%d", v[i]);
		p[i] = v[i] >= 0 ? text[i] : NULL;
	}
	return db_run(db, &q_settings_set, WS__COUNT, p) == 1 ? 0 : -1;
}

/* ---- intake -------------------------------------------------------------- */

/*
 * One round trip (sql/010): the subscription check, the intake limits,
 * the duplicate key and the insert; the answer is "stored" or why the
 * event was dropped (counted for /metrics).
 */
static const struct db_stmt q_store = DB_STMT("webhook_store",
    "SELECT strava_webhook_intake($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)");

enum { IN_ANSWER, IN__MAX };

enum db_intake
db_webhooks_intake(struct db *db, const struct db_webhook_in *ev,
    char why[DB_INTAKE_WHY_MAX])
{
	char		 athlete[24], object[24], when[24], sub[24], ours[24];
	const char	*p[9] = { athlete, ev->object_type, object,
			    ev->aspect_type, when, ev->json, ev->spool_id, sub,
			    ours };
	PGresult	*r;
	enum db_intake	 rc;

	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->owner_id);
	snprintf(object, sizeof(object), "%" PRId64, ev->object_id);
	snprintf(when, sizeof(when), "%" PRId64, ev->event_time);
	snprintf(sub, sizeof(sub), "%" PRId64, ev->subscription_id);
	snprintf(ours, sizeof(ours), "%" PRId64, ev->our_subscription);
	why[0] = '\0';
	if ((r = db_exec(db, &q_store, 9, p)) == NULL) {
		/* Class 22 (data exception): this body will never go in. */
		return !db_down(db) && strncmp(db_sqlstate(db), "22", 2) == 0 ?
		    DB_INTAKE_REFUSED : DB_INTAKE_ERROR;
	}
	snprintf(why, DB_INTAKE_WHY_MAX, "%s", db_val(r, 0, IN_ANSWER));
	rc = strcmp(why, "stored") == 0 ? DB_INTAKE_STORED : DB_INTAKE_SKIPPED;
	PQclear(r);
	return rc;
}

/* ---- the event a job names ------------------------------------------------ */

static const struct db_stmt q_load = DB_STMT("webhook_load",
    "SELECT e.id, e.strava_athlete_id, object_type, object_id, aspect_type,"
    "       EXTRACT(EPOCH FROM event_time)::bigint,"
    "       COALESCE(raw_payload->'updates'->>'authorized' = 'false',"
    "                false),"
    "       raw_payload::text, EXTRACT(EPOCH FROM NOW() - e.created_at)::bigint,"
    "       u.id"
    "  FROM strava_webhook_events e"
    "  LEFT JOIN users u ON u.strava_athlete_id = e.strava_athlete_id"
    " WHERE e.id = $1::uuid AND NOT processed AND failed_at IS NULL");
enum { LD_ID, LD_ATHLETE, LD_OBJECT_TYPE, LD_OBJECT_ID, LD_ASPECT, LD_TIME,
	LD_DEAUTH, LD_PAYLOAD, LD_AGE, LD_RUNNER, LD__MAX };

int
db_webhooks_load(struct db *db, arena_t *a, const char *id,
    struct db_webhook_row *w)
{
	PGresult	*r;
	int		 found;

	memset(w, 0, sizeof(*w));
	if ((r = db_exec(db, &q_load, 1, &id)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		w->id = db_strdup(a, r, 0, LD_ID);
		w->athlete_id = strtoll(db_val(r, 0, LD_ATHLETE), NULL, 10);
		w->object_type = db_strdup(a, r, 0, LD_OBJECT_TYPE);
		w->object_id = strtoll(db_val(r, 0, LD_OBJECT_ID), NULL, 10);
		w->aspect_type = db_strdup(a, r, 0, LD_ASPECT);
		w->event_time = strtoll(db_val(r, 0, LD_TIME), NULL, 10);
		w->deauthorized = db_bool(r, 0, LD_DEAUTH);
		w->raw_payload = db_strdup(a, r, 0, LD_PAYLOAD);
		w->age = strtoll(db_val(r, 0, LD_AGE), NULL, 10);
		w->runner = db_null(r, 0, LD_RUNNER) ? NULL :
		    db_strdup(a, r, 0, LD_RUNNER);
	}
	PQclear(r);
	return found;
}

/*
 * The events a fetch answered: they arrived before it began.  Their jobs
 * stay and, run, find the event processed (db_webhooks_load: 0).
 */
static const struct db_stmt q_coalesce = DB_STMT("webhook_coalesce",
    "UPDATE strava_webhook_events"
    "   SET processed = TRUE, processed_at = NOW(),"
    "       note = 'covered by the fetch for event ' || $4,"
    "       error_message = NULL"
    " WHERE strava_athlete_id = $1 AND object_type = 'activity'"
    "   AND object_id = $2 AND aspect_type = ANY ($3::text[])"
    "   AND id <> $4::uuid AND NOT processed AND failed_at IS NULL"
    "   AND created_at <= $5::timestamp");

long
db_webhooks_coalesce(struct db *db, int64_t athlete, int64_t object,
    const char *aspects, const char *id, const char *before)
{
	char		 a[24], o[24];
	const char	*p[5] = { a, o, aspects, id, before };

	snprintf(a, sizeof(a), "%" PRId64, athlete);
	snprintf(o, sizeof(o), "%" PRId64, object);
	return db_run(db, &q_coalesce, 5, p);
}

static const struct db_stmt q_delete_seen = DB_STMT("fetch_delete_seen",
    "SELECT 1 FROM strava_webhook_events"
    " WHERE strava_athlete_id = $1 AND object_type = 'activity'"
    "   AND object_id = $2 AND aspect_type = 'delete' LIMIT 1");

int
db_webhooks_delete_seen(struct db *db, int64_t athlete_id, int64_t object_id)
{
	char		 athlete[24], object[24];
	const char	*p[2] = { athlete, object };

	snprintf(athlete, sizeof(athlete), "%" PRId64, athlete_id);
	snprintf(object, sizeof(object), "%" PRId64, object_id);
	return db_exists(db, &q_delete_seen, 2, p);
}

/* An advisory-lock class of our own (pg_advisory_lock(int4, int4)). */
#define FETCH_LOCK_CLASS	"761407"

/*
 * A session-level lock, so that it is held across the call to Strava
 * without a transaction open; a killed worker's backend ends and with it
 * the lock.  Hash collisions only serialise two activities.  Also tells
 * the database's time: what "before this fetch" means for coalescing.
 */
static const struct db_stmt q_lock = DB_STMT("job_activity_lock",
    "SELECT pg_try_advisory_lock(" FETCH_LOCK_CLASS ","
    "       hashtext($1 || ':' || $2)), LOCALTIMESTAMP::text");
enum { LK_GOT, LK_NOW, LK__MAX };
static const struct db_stmt q_unlock = DB_STMT("job_activity_unlock",
    "SELECT pg_advisory_unlock(" FETCH_LOCK_CLASS ","
    "       hashtext($1 || ':' || $2))");

int
db_webhooks_activity_lock(struct db *db, int64_t athlete, int64_t object,
    bool lock, char started[40])
{
	char		 a[24], o[24];
	const char	*p[2] = { a, o };
	PGresult	*r;
	int		 got;

	snprintf(a, sizeof(a), "%" PRId64, athlete);
	snprintf(o, sizeof(o), "%" PRId64, object);
	if ((r = db_exec(db, lock ? &q_lock : &q_unlock, 2, p)) == NULL)
		return -1;
	got = db_bool(r, 0, LK_GOT) ? 1 : 0;
	if (lock && got)
		snprintf(started, 40, "%s", db_val(r, 0, LK_NOW));
	PQclear(r);
	return got;
}

/* ---- resync and retention ------------------------------------------------ */

/*
 * The due resyncs, taken (SKIP LOCKED: one worker each) and cleared in the
 * caller's transaction, with the runners they name who are still
 * connected and not importing already.
 */
static const struct db_stmt q_resync = DB_STMT("housekeeping_resync",
    "WITH d AS (SELECT athlete_id FROM strava_webhook_resync"
    "            WHERE due_at <= NOW() ORDER BY due_at LIMIT $1"
    "            FOR UPDATE SKIP LOCKED),"
    " u AS (UPDATE strava_webhook_resync r SET due_at = NULL,"
    "              last_at = NOW(), dropped = 0"
    "         FROM d WHERE r.athlete_id = d.athlete_id"
    "       RETURNING r.athlete_id) "
    "SELECT us.id FROM u JOIN users us ON us.strava_athlete_id = u.athlete_id"
    "  LEFT JOIN strava_imports i ON i.user_id = us.id"
    " WHERE us.strava_refresh_token IS NOT NULL"
    "   AND NOT us.strava_needs_reconnect"
    "   AND (i.status IS NULL OR i.status NOT IN ('pending', 'running'))");
enum { RS_USER, RS__MAX };

#define OLDER(col, unit, param) \
    col " < NOW() - make_interval(" unit " => " param "::int)"

static const struct db_stmt q_purge_processed = DB_STMT(
    "housekeeping_purge_processed",
    "DELETE FROM strava_webhook_events WHERE id IN (SELECT id"
    "  FROM strava_webhook_events WHERE processed AND athlete_known"
    "   AND " OLDER("processed_at", "days", "$1") " LIMIT $2)");
static const struct db_stmt q_purge_unknown = DB_STMT(
    "housekeeping_purge_unknown",
    "DELETE FROM strava_webhook_events WHERE id IN (SELECT id"
    "  FROM strava_webhook_events WHERE NOT athlete_known AND processed"
    "   AND " OLDER("processed_at", "hours", "$1") " LIMIT $2)");
static const struct db_stmt q_purge_failed = DB_STMT(
    "housekeeping_purge_failed",
    "DELETE FROM strava_webhook_events WHERE id IN (SELECT id"
    "  FROM strava_webhook_events WHERE failed_at IS NOT NULL"
    "   AND " OLDER("failed_at", "days", "$1") " LIMIT $2)");
static const struct db_stmt q_purge_resync = DB_STMT(
    "housekeeping_purge_resync",
    "DELETE FROM strava_webhook_resync WHERE due_at IS NULL"
    "   AND (last_at IS NULL OR " OLDER("last_at", "secs", "$1") ")");
/* Counts of windows that are over (they name runners' athlete ids). */
static const struct db_stmt q_purge_counts = DB_STMT(
    "housekeeping_purge_counts",
    "DELETE FROM strava_webhook_intake_counts"
    " WHERE " OLDER("window_start", "secs", "2 * $1"));

/* Deletes in batches until a batch comes back short; rows or -1. */
static long
purge_all(struct db *db, const struct db_stmt *q, int age, int batch,
    int rounds)
{
	char		 a[16], lim[16];
	const char	*p[2] = { a, lim };
	long		 n, total = 0;
	int		 round;

	snprintf(a, sizeof(a), "%d", age);
	snprintf(lim, sizeof(lim), "%d", batch);
	for (round = 0; round < rounds; round++) {
		if ((n = db_run(db, q, 2, p)) < 0)
			return -1;
		total += n;
		if (n < batch)
			break;
	}
	return total;
}

int
db_webhooks_resync_take(struct db *db, char ids[][40], int max)
{
	char		 lim[16];
	const char	*p[1] = { lim };
	PGresult	*r;
	int		 i, n;

	snprintf(lim, sizeof(lim), "%d", max);
	if ((r = db_exec(db, &q_resync, 1, p)) == NULL)
		return -1;
	n = PQntuples(r) < max ? PQntuples(r) : max;
	for (i = 0; i < n; i++)
		snprintf(ids[i], 40, "%s", db_val(r, i, RS_USER));
	PQclear(r);
	return n;
}

int
db_webhooks_purge(struct db *db, const struct webhook_settings *s,
    struct purge_counts *c, int batch, int rounds)
{
	char		 age[16];
	const char	*p[1] = { age };

	memset(c, 0, sizeof(*c));
	if ((c->processed = purge_all(db, &q_purge_processed,
	    s->v[WS_RETENTION_DAYS], batch, rounds)) < 0 ||
	    (c->unknown = purge_all(db, &q_purge_unknown,
	    s->v[WS_UNKNOWN_HOURS], batch, rounds)) < 0 ||
	    (c->failed = purge_all(db, &q_purge_failed,
	    s->v[WS_FAILED_DAYS], batch, rounds)) < 0)
		return -1;
	snprintf(age, sizeof(age), "%d", s->v[WS_RESYNC_INTERVAL]);
	if ((c->resync = db_run(db, &q_purge_resync, 1, p)) < 0)
		return -1;
	snprintf(age, sizeof(age), "%d", s->v[WS_LIMIT_WINDOW]);
	return db_run(db, &q_purge_counts, 1, p) < 0 ? -1 : 0;
}

/* ---- for operators ------------------------------------------------------- */

/* Index-friendly: idx_webhook_pending and idx_webhook_failed cover it. */
static const struct db_stmt q_queue = DB_STMT("metrics_queue",
    "SELECT (SELECT count(*) FROM strava_webhook_events"
    "         WHERE NOT processed AND failed_at IS NULL),"
    "       (SELECT count(*) FROM strava_webhook_events"
    "         WHERE failed_at IS NOT NULL),"
    "       (SELECT COALESCE(EXTRACT(EPOCH FROM NOW() - min(created_at)), 0)"
    "          FROM strava_webhook_events"
    "         WHERE NOT processed AND failed_at IS NULL)");
enum { QD_PENDING, QD_FAILED, QD_OLDEST, QD__MAX };

static const struct db_stmt q_counts = DB_STMT("events_counts",
    "SELECT count(*) FILTER (WHERE NOT processed AND failed_at IS NULL),"
    "       count(*) FILTER (WHERE failed_at IS NOT NULL),"
    "       count(*) FILTER (WHERE processed)"
    "  FROM strava_webhook_events");
enum { EC_PENDING, EC_FAILED, EC_PROCESSED, EC__MAX };

/*
 * The status of a waiting event is its job's: the latest one (a retried
 * event has had several).
 */
static const struct db_stmt q_list = DB_STMT("events_list",
    "SELECT e.id,"
    "       CASE WHEN e.failed_at IS NOT NULL THEN 'failed'"
    "            WHEN j.locked_by IS NOT NULL AND j.locked_until > NOW()"
    "              THEN 'working'"
    "            WHEN j.attempts > 0 THEN 'retrying'"
    "            ELSE 'pending' END,"
    "       COALESCE(j.attempts, 0),"
    "       to_char(COALESCE(e.failed_at, j.next_attempt_at, e.created_at),"
    "               'YYYY-MM-DD HH24:MI:SS'),"
    "       e.object_type || ' ' || e.aspect_type || ' ' || e.object_id,"
    "       COALESCE(e.strava_athlete_id::text, '-'),"
    "       COALESCE(e.error_message, '')"
    "  FROM strava_webhook_events e"
    "  LEFT JOIN LATERAL (SELECT attempts, next_attempt_at, locked_by,"
    "                            locked_until FROM jobs"
    "                      WHERE kind = '" DB_WEBHOOKS_KIND "'"
    "                        AND dedup_key = e.id::text"
    "                      ORDER BY created_at DESC LIMIT 1) j ON TRUE"
    " WHERE NOT e.processed"
    " ORDER BY e.failed_at IS NULL,"
    "          COALESCE(e.failed_at, j.next_attempt_at, e.created_at)"
    " LIMIT $1");
enum { EL_ID, EL_STATUS, EL_ATTEMPTS, EL_WHEN, EL_EVENT, EL_ATHLETE, EL_ERROR,
	EL__MAX };

/*
 * A retried event starts afresh with a job of its own (a processed one
 * is done again); one already waiting is made due now.
 */
#define REQUEUE(where) \
    "WITH e AS (UPDATE strava_webhook_events" \
    "   SET processed = FALSE, processed_at = NULL, failed_at = NULL," \
    "       note = NULL, error_message = NULL" \
    " WHERE " where " RETURNING id, strava_athlete_id), " \
    "j AS (INSERT INTO jobs (kind, user_id, payload, dedup_key)" \
    "  SELECT '" DB_WEBHOOKS_KIND "', (SELECT u.id FROM users u" \
    "          WHERE u.strava_athlete_id = e.strava_athlete_id" \
    "            AND u.strava_refresh_token IS NOT NULL LIMIT 1)," \
    "         jsonb_build_object('event', e.id), e.id::text FROM e" \
    "  ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'" \
    "    AND dedup_key IS NOT NULL DO UPDATE SET next_attempt_at = NOW()" \
    "  RETURNING 1) " \
    "SELECT count(*) FROM e"
static const struct db_stmt q_retry_one = DB_STMT("events_retry_one",
    REQUEUE("id = $1::uuid"));
static const struct db_stmt q_retry_failed = DB_STMT("events_retry_failed",
    REQUEUE("failed_at IS NOT NULL"));
static const struct db_stmt q_wake = DB_STMT("events_wake",
    "SELECT pg_notify('" DB_WEBHOOKS_CHANNEL "', '')");

/* Events answered 200 but not taken (sql/010), summed over the shards. */
static const struct db_stmt q_dropped = DB_STMT("metrics_webhook_dropped",
    "SELECT reason, sum(n)::bigint FROM strava_webhook_counters"
    " GROUP BY reason");
enum { DR_REASON, DR_N, DR__MAX };

int
db_webhooks_counts(struct db *db, bool with_processed,
    struct db_webhook_counts *c)
{
	PGresult *r;

	memset(c, 0, sizeof(*c));
	if (with_processed) {
		if ((r = db_exec(db, &q_counts, 0, NULL)) == NULL)
			return -1;
		c->pending = db_long(r, 0, EC_PENDING);
		c->failed = db_long(r, 0, EC_FAILED);
		c->processed = db_long(r, 0, EC_PROCESSED);
	} else {
		if ((r = db_exec(db, &q_queue, 0, NULL)) == NULL)
			return -1;
		c->pending = db_long(r, 0, QD_PENDING);
		c->failed = db_long(r, 0, QD_FAILED);
		c->oldest_s = strtod(db_val(r, 0, QD_OLDEST), NULL);
	}
	PQclear(r);
	return 0;
}

int
db_webhooks_list(struct db *db, arena_t *a, int limit,
    struct db_webhook_listed **out)
{
	char		 lim[16];
	const char	*p[1] = { lim };
	PGresult	*r;
	int		 i, n;

	snprintf(lim, sizeof(lim), "%d", limit);
	if ((r = db_exec(db, &q_list, 1, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, ((size_t)n + 1) * sizeof(**out));
	for (i = 0; i < n; i++) {
		struct db_webhook_listed *l = &(*out)[i];

		l->id = arena_strdup(a, db_val(r, i, EL_ID));
		l->status = arena_strdup(a, db_val(r, i, EL_STATUS));
		l->attempts = (int)db_long(r, i, EL_ATTEMPTS);
		l->when = arena_strdup(a, db_val(r, i, EL_WHEN));
		l->event = arena_strdup(a, db_val(r, i, EL_EVENT));
		l->athlete = arena_strdup(a, db_val(r, i, EL_ATHLETE));
		l->error = arena_strdup(a, db_val(r, i, EL_ERROR));
	}
	PQclear(r);
	return n;
}

long
db_webhooks_requeue(struct db *db, const char *id)
{
	PGresult	*r;
	long		 n;

	r = id == NULL ? db_exec(db, &q_retry_failed, 0, NULL) :
	    db_exec(db, &q_retry_one, 1, &id);
	if (r == NULL)
		return -1;
	n = db_long(r, 0, 0);
	PQclear(r);
	if ((r = db_exec(db, &q_wake, 0, NULL)) != NULL)
		PQclear(r);
	return n;
}

int
db_webhooks_dropped(struct db *db, arena_t *a,
    struct db_webhook_dropped **out)
{
	PGresult	*r;
	int		 i, n;

	if ((r = db_exec(db, &q_dropped, 0, NULL)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, ((size_t)n + 1) * sizeof(**out));
	for (i = 0; i < n; i++) {
		(*out)[i].reason = arena_strdup(a, db_val(r, i, DR_REASON));
		(*out)[i].n = db_long(r, i, DR_N);
	}
	PQclear(r);
	return n;
}
