/*
 * queue: see queue.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "jobs/queue.h"
#include "strava/spool.h"

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
queue_settings_load(struct db *db, struct webhook_settings *s)
{
	PGresult	*r;
	int		 i;

	memcpy(s->v, setting_defaults, sizeof(s->v));
	if ((r = db_exec(db, &q_settings, 0, NULL)) == NULL)
		return -1;
	for (i = 0; i < WS__COUNT && PQntuples(r) == 1; i++)
		s->v[i] = (int)db_long(r, 0, i);
	PQclear(r);
	return 0;
}

int
queue_settings_store(struct db *db, const int v[WS__COUNT])
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

/* ---- storing events -------------------------------------------------- */

/*
 * One round trip (sql/010): the subscription check, the intake limits,
 * the duplicate key and the insert; the answer is "stored" or why the
 * event was dropped (counted for /metrics).
 */
static const struct db_stmt q_store = DB_STMT("webhook_store",
    "SELECT strava_webhook_intake($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)");

enum queue_store
queue_store_event(struct db *db, const struct webhook_event *ev,
    const char *body, size_t len, const char *spool_id, int64_t our_sub)
{
	char		 athlete[24], object[24], when[24], sub[24], ours[24];
	const char	*params[9];
	const char	*st;
	char		*json;
	PGresult	*r;
	enum queue_store rc;

	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->owner_id);
	snprintf(object, sizeof(object), "%" PRId64, ev->object_id);
	snprintf(when, sizeof(when), "%" PRId64, ev->event_time);
	snprintf(sub, sizeof(sub), "%" PRId64, ev->subscription_id);
	snprintf(ours, sizeof(ours), "%" PRId64, our_sub);
	json = xstrndup(body, len);	/* libpq wants a C string */
	params[0] = athlete;
	params[1] = webhook_object_name(ev->object_type);
	params[2] = object;
	params[3] = webhook_aspect_name(ev->aspect_type);
	params[4] = when;
	params[5] = json;
	params[6] = spool_id;
	params[7] = sub;
	params[8] = ours;
	r = db_exec(db, &q_store, 9, params);
	free(json);
	if (r != NULL) {
		rc = strcmp(db_val(r, 0, 0), "stored") == 0 ? QUEUE_STORED :
		    QUEUE_SKIPPED;
		if (rc == QUEUE_SKIPPED)
			log_debug("webhook: %s %s %" PRId64 " of athlete %"
			    PRId64 " dropped: %s", params[1], params[3],
			    ev->object_id, ev->owner_id, db_val(r, 0, 0));
		PQclear(r);
		return rc;
	}
	/* Class 22 (data exception): this body will never go in. */
	st = db_sqlstate(db);
	if (!db_down(db) && strncmp(st, "22", 2) == 0)
		return QUEUE_REFUSED;
	return QUEUE_DB_ERROR;
}

int
queue_replay_spool(struct db *db, const char *dir, int64_t our_sub,
    size_t limit)
{
	spool_id_t		*ids = xcalloc(limit, sizeof(*ids));
	struct webhook_event	 ev;
	char			 err[WEBHOOK_ERR_MAX];
	buf_t			 body = BUF_INIT;
	int			 n, i, done = 0;
	enum queue_store	 rc;

	if ((n = spool_list(dir, ids, limit)) < 0) {
		log_error("spool: cannot read %s", dir);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (spool_read(dir, ids[i], &body) == -1) {
			log_error("spool: cannot read %s in %s", ids[i], dir);
			spool_quarantine(dir, ids[i]);
			continue;
		}
		if (!webhook_event_parse(body.data, body.len, &ev, err)) {
			log_error("spool: %s: %s", ids[i], err);
			spool_quarantine(dir, ids[i]);
			continue;
		}
		rc = queue_store_event(db, &ev, body.data, body.len, ids[i],
		    our_sub);
		webhook_event_free(&ev);
		if (rc == QUEUE_DB_ERROR) {
			done = -1;	/* keep the rest, in order, for later */
			break;
		}
		if (rc == QUEUE_REFUSED)
			spool_quarantine(dir, ids[i]);
		else if (spool_remove(dir, ids[i]) == -1)
			log_error("spool: cannot remove %s from %s (it will be "
			    "replayed again, harmlessly)", ids[i], dir);
		done++;
	}
	if (n > 0 && done > 0)
		log_info("spool: %d event(s) replayed into the database", done);
	buf_free(&body);
	free(ids);
	return done;
}

/* ---- claiming -------------------------------------------------------- */

/*
 * The claim: waiting events due now whose lease is free, lapsed, or held
 * by a backend that no longer exists (a killed worker), oldest first.
 * SKIP LOCKED lets workers claim side by side without waiting on each
 * other; the outer SELECT only orders the batch.
 */
static const struct db_stmt q_claim = DB_STMT("webhook_claim",
    "WITH c AS ("
    "  SELECT id FROM strava_webhook_events"
    "   WHERE NOT processed AND failed_at IS NULL"
    "     AND next_attempt_at <= NOW()"
    "     AND (locked_by IS NULL OR locked_until < NOW()"
    "          OR locked_by NOT IN (SELECT pid FROM pg_stat_activity"
    "                                WHERE pid IS NOT NULL))"
    "   ORDER BY next_attempt_at, created_at"
    "   LIMIT $1"
    "   FOR UPDATE SKIP LOCKED), "
    "u AS ("
    "  UPDATE strava_webhook_events e"
    "     SET attempts = e.attempts + 1, locked_by = pg_backend_pid(),"
    "         locked_until = NOW() + make_interval(secs => $2::int)"
    "    FROM c WHERE e.id = c.id"
    "  RETURNING e.id, e.strava_athlete_id, e.object_type, e.object_id,"
    "    e.aspect_type, EXTRACT(EPOCH FROM e.event_time)::bigint,"
    "    e.attempts,"
    "    COALESCE(e.raw_payload->'updates'->>'authorized' = 'false',"
    "             false),"
    "    e.raw_payload::text,"
    "    EXTRACT(EPOCH FROM NOW() - e.created_at)::bigint, e.created_at) "
    "SELECT * FROM u ORDER BY created_at");

static int
name_index(const char *s, const char *(*name)(int), int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(s, name(i)) == 0)
			return i;
	return -1;
}

static const char *
object_name(int i)
{
	return webhook_object_name((enum webhook_object)i);
}

static const char *
aspect_name(int i)
{
	return webhook_aspect_name((enum webhook_aspect)i);
}

/* Fills a row from result row i; false if a column is unusable. */
static bool
read_row(const PGresult *r, int i, struct webhook_row *w)
{
	int obj = name_index(db_val(r, i, 2), object_name, 2);
	int asp = name_index(db_val(r, i, 4), aspect_name, 3);

	memset(w, 0, sizeof(*w));
	w->id = db_val(r, i, 0);
	w->athlete_id = strtoll(db_val(r, i, 1), NULL, 10);
	w->object_id = strtoll(db_val(r, i, 3), NULL, 10);
	w->event_time = strtoll(db_val(r, i, 5), NULL, 10);
	w->attempts = (int)db_long(r, i, 6);
	w->deauthorized = db_bool(r, i, 7);
	w->raw_payload = db_val(r, i, 8);
	w->age = strtoll(db_val(r, i, 9), NULL, 10);
	if (obj < 0 || asp < 0)
		return false;
	w->object_type = (enum webhook_object)obj;
	w->aspect_type = (enum webhook_aspect)asp;
	return true;
}

int
queue_claim(struct db *db, struct queue_batch *b)
{
	char		 lim[16], lease[16];
	const char	*params[2] = { lim, lease };
	int		 i, n;

	memset(b, 0, sizeof(*b));
	snprintf(lim, sizeof(lim), "%d", JOB_CLAIM_BATCH);
	snprintf(lease, sizeof(lease), "%d", JOB_LEASE_SECONDS);
	if ((b->res = db_exec(db, &q_claim, 2, params)) == NULL)
		return -1;
	n = PQntuples(b->res);
	for (i = 0; i < n && b->n < JOB_CLAIM_BATCH; i++) {
		if (read_row(b->res, i, &b->rows[b->n])) {
			b->n++;
			continue;
		}
		/* Only a row written by hand can get here. */
		queue_finish(db, &b->rows[b->n], JOB_FAIL,
		    "unknown object_type or aspect_type", 0);
		b->bad++;
	}
	return (int)b->n;
}

void
queue_batch_free(struct queue_batch *b)
{
	PQclear(b->res);
	memset(b, 0, sizeof(*b));
}

/* ---- outcomes -------------------------------------------------------- */

/* Each outcome releases the lease, and only a lease this backend holds. */
static const struct db_stmt q_done = DB_STMT("webhook_done",
    "UPDATE strava_webhook_events"
    "   SET processed = TRUE, processed_at = NOW(), note = $2,"
    "       error_message = NULL, locked_by = NULL, locked_until = NULL"
    " WHERE id = $1 AND locked_by = pg_backend_pid()");
static const struct db_stmt q_retry = DB_STMT("webhook_retry",
    "UPDATE strava_webhook_events"
    "   SET error_message = $2,"
    "       next_attempt_at = NOW() + make_interval(secs => $3::int),"
    "       attempts = attempts - $4::int,"
    "       locked_by = NULL, locked_until = NULL"
    " WHERE id = $1 AND locked_by = pg_backend_pid()");
static const struct db_stmt q_fail = DB_STMT("webhook_fail",
    "UPDATE strava_webhook_events"
    "   SET failed_at = NOW(), error_message = $2,"
    "       locked_by = NULL, locked_until = NULL"
    " WHERE id = $1 AND locked_by = pg_backend_pid()");

static const struct db_stmt q_asleep = DB_STMT("webhook_asleep",
    "WITH gone AS (DELETE FROM strava_webhook_sleepers WHERE pid NOT IN"
    "  (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)) "
    "INSERT INTO strava_webhook_sleepers VALUES (pg_backend_pid()) "
    "ON CONFLICT DO NOTHING");
static const struct db_stmt q_awake = DB_STMT("webhook_awake",
    "DELETE FROM strava_webhook_sleepers WHERE pid = pg_backend_pid()");

int
queue_set_asleep(struct db *db, bool asleep)
{
	return db_run(db, asleep ? &q_asleep : &q_awake, 0, NULL) < 0 ? -1 : 0;
}

/*
 * Rows held by a live worker other than this one are left alone: that
 * worker finishes them.  Ours (this batch) and unheld ones are finished
 * here; SKIP LOCKED steps around rows being updated right now.
 */
static const struct db_stmt q_coalesce = DB_STMT("webhook_coalesce",
    "WITH c AS ("
    "  SELECT id, locked_by IS NOT DISTINCT FROM pg_backend_pid() AS mine"
    "    FROM strava_webhook_events"
    "   WHERE strava_athlete_id = $1 AND object_type = 'activity'"
    "     AND object_id = $2 AND aspect_type = ANY ($3::text[])"
    "     AND id <> $4::uuid AND NOT processed AND failed_at IS NULL"
    "     AND created_at <= $5::timestamp"
    "     AND (locked_by IS NULL OR locked_by = pg_backend_pid()"
    "          OR locked_until < NOW()"
    "          OR locked_by NOT IN (SELECT pid FROM pg_stat_activity"
    "                                WHERE pid IS NOT NULL))"
    "   FOR UPDATE SKIP LOCKED) "
    "UPDATE strava_webhook_events e"
    "   SET processed = TRUE, processed_at = NOW(),"
    "       note = 'covered by the fetch for event ' || $4,"
    "       error_message = NULL, locked_by = NULL, locked_until = NULL"
    "  FROM c WHERE e.id = c.id"
    " RETURNING e.id, c.mine");

/* "{create,update}" for the aspects whose bits are set. */
static void
aspect_array(unsigned aspects, char *out, size_t len)
{
	size_t	n = 0;
	int	a;

	out[n++] = '{';
	for (a = WEBHOOK_CREATE; a <= WEBHOOK_DELETE; a++)
		if (aspects & JOB_ASPECT(a))
			n += (size_t)snprintf(out + n, len - n, "%s%s",
			    n > 1 ? "," : "", webhook_aspect_name(a));
	snprintf(out + n, len - n, "}");
}

static void
mark_done(struct queue_batch *b, const char *id)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++)
		if (strcmp(b->rows[i].id, id) == 0)
			b->done[i] = true;
}

long
queue_coalesce(struct job_ctx *ctx, const struct webhook_row *ev,
    unsigned aspects)
{
	char		 athlete[24], object[24], kinds[40];
	const char	*p[5] = { athlete, object, kinds, ev->id,
			    ctx->fetch_started };
	PGresult	*r;
	long		 n;
	int		 i;

	if (ctx->fetch_started[0] == '\0')
		return 0;
	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->athlete_id);
	snprintf(object, sizeof(object), "%" PRId64, ev->object_id);
	aspect_array(aspects, kinds, sizeof(kinds));
	if ((r = db_exec(ctx->db, &q_coalesce, 5, p)) == NULL)
		return -1;
	n = PQntuples(r);
	for (i = 0; i < n; i++)
		if (db_bool(r, i, 1))
			mark_done(ctx->batch, db_val(r, i, 0));
	PQclear(r);
	return n;
}

static const struct db_stmt q_release = DB_STMT("webhook_release",
    "UPDATE strava_webhook_events"
    "   SET attempts = attempts - 1, locked_by = NULL, locked_until = NULL"
    " WHERE id = $1 AND locked_by = pg_backend_pid()");

int
queue_release(struct db *db, const struct webhook_row *w)
{
	const char *params[1] = { w->id };

	return db_run(db, &q_release, 1, params) == 1 ? 0 : -1;
}

static double
random_unit(void)
{
	return (double)arc4random_uniform(1000000) / 1000000.0;
}

int
queue_finish(struct db *db, const struct webhook_row *w, enum job_result r,
    const char *msg, int retry_after)
{
	char		 delay[16], undo[4], text[JOB_ERR_MAX + 64];
	const char	*params[4] = { w->id, msg && *msg ? msg : NULL, delay,
			    undo };
	long		 n;

	if (r == JOB_RETRY && w->attempts >= JOB_MAX_ATTEMPTS) {
		snprintf(text, sizeof(text), "gave up after %d attempts: %s",
		    w->attempts, msg ? msg : "");
		params[1] = text;
		r = JOB_FAIL;
	}
	switch (r) {
	case JOB_OK:
	case JOB_SKIP:
		n = db_run(db, &q_done, 2, params);
		break;
	case JOB_RETRY:
	case JOB_DEFER:
		snprintf(delay, sizeof(delay), "%d", jobs_backoff(w->attempts,
		    r == JOB_DEFER && retry_after <= 0 ? JOB_NO_CLIENT_DELAY :
		    retry_after, random_unit()));
		snprintf(undo, sizeof(undo), "%d", r == JOB_DEFER ? 1 : 0);
		n = db_run(db, &q_retry, 4, params);
		break;
	case JOB_FAIL:
	default:
		n = db_run(db, &q_fail, 2, params);
		break;
	}
	if (n == 0)
		log_warn("jobs: event %s: the claim lapsed before it was "
		    "recorded; it will be done again", w->id);
	return n == 1 ? 0 : -1;
}

/* ---- resync and retention (jobs/housekeeping.h) --------------------------- */

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
queue_resync_take(struct db *db, char ids[][40], int max)
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
		snprintf(ids[i], 40, "%s", db_val(r, i, 0));
	PQclear(r);
	return n;
}

int
queue_purge(struct db *db, const struct webhook_settings *s,
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
