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

/* ---- storing events -------------------------------------------------- */

/*
 * One statement: the subscription check and the insert, so a live event
 * costs one round trip.  $9 says the setting already decided "ours".
 */
static const struct db_stmt q_store = DB_STMT("webhook_store",
    "INSERT INTO strava_webhook_events (strava_athlete_id, object_type, "
    "  object_id, aspect_type, event_time, raw_payload, spool_id) "
    "SELECT $1, $2, $3, $4, to_timestamp($5::bigint) AT TIME ZONE 'UTC', "
    "  $6::jsonb, $7 "
    " WHERE $9::boolean "
    "    OR NOT EXISTS (SELECT 1 FROM strava_webhook_subscription) "
    "    OR EXISTS (SELECT 1 FROM strava_webhook_subscription "
    "                WHERE id = $8::bigint) "
    "ON CONFLICT (spool_id) DO NOTHING");

enum queue_store
queue_store_event(struct db *db, const struct webhook_event *ev,
    const char *body, size_t len, const char *spool_id, int64_t our_sub)
{
	char		 athlete[24], object[24], when[24], sub[24];
	const char	*params[9];
	const char	*st;
	char		*json;
	long		 n;

	if (our_sub != 0 && ev->subscription_id != our_sub)
		return QUEUE_SKIPPED;
	snprintf(athlete, sizeof(athlete), "%" PRId64, ev->owner_id);
	snprintf(object, sizeof(object), "%" PRId64, ev->object_id);
	snprintf(when, sizeof(when), "%" PRId64, ev->event_time);
	snprintf(sub, sizeof(sub), "%" PRId64, ev->subscription_id);
	json = xstrndup(body, len);	/* libpq wants a C string */
	params[0] = athlete;
	params[1] = webhook_object_name(ev->object_type);
	params[2] = object;
	params[3] = webhook_aspect_name(ev->aspect_type);
	params[4] = when;
	params[5] = json;
	params[6] = spool_id;
	params[7] = sub;
	params[8] = our_sub != 0 ? "true" : "false";
	n = db_run(db, &q_store, 9, params);
	free(json);
	if (n > 0)
		return QUEUE_STORED;
	if (n == 0)
		return QUEUE_SKIPPED;
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
    "    e.raw_payload::text, e.created_at) "
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

int
queue_backoff(int attempts, int retry_after, double rnd)
{
	double	delay = JOB_BACKOFF_BASE, jitter;
	int	i;

	if (rnd < 0 || rnd >= 1)
		rnd = 0;
	if (retry_after > 0) {
		jitter = retry_after / 10.0 < 60 ? retry_after / 10.0 : 60;
		return retry_after + (int)(jitter * rnd);
	}
	for (i = 1; i < attempts && delay < JOB_BACKOFF_MAX; i++)
		delay *= 2;
	if (delay > JOB_BACKOFF_MAX)
		delay = JOB_BACKOFF_MAX;
	return (int)(delay / 2 + delay / 2 * rnd);
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
		snprintf(delay, sizeof(delay), "%d", queue_backoff(w->attempts,
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
