#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/jobs.h"

static const struct db_stmt q_insert = DB_STMT("jobs_insert",
    "INSERT INTO jobs (kind, user_id, payload, dedup_key, next_attempt_at)"
    " VALUES ($1, $2::uuid, COALESCE($3::jsonb, '{}'), $4,"
    "         NOW() + make_interval(secs => $5::int))"
    " ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'"
    "   AND dedup_key IS NOT NULL DO NOTHING");
/*
 * Due jobs, skipping those another worker holds: a lease lapses when its
 * deadline passed or its backend is gone (the worker was killed).
 */
static const struct db_stmt q_claim = DB_STMT("jobs_claim",
    "WITH c AS ("
    "  SELECT id FROM jobs"
    "   WHERE state = 'waiting' AND next_attempt_at <= NOW()"
    "     AND (locked_by IS NULL OR locked_until < NOW()"
    "          OR locked_by NOT IN (SELECT pid FROM pg_stat_activity"
    "                                WHERE pid IS NOT NULL))"
    "   ORDER BY next_attempt_at LIMIT $1"
    "   FOR UPDATE SKIP LOCKED), "
    "u AS ("
    "  UPDATE jobs j SET attempts = j.attempts + 1,"
    "         locked_by = pg_backend_pid(),"
    "         locked_until = NOW() + make_interval(secs => $2::int)"
    "    FROM c WHERE j.id = c.id"
    "  RETURNING j.id, j.kind, j.user_id, j.payload::text, j.attempts,"
    "            j.next_attempt_at, j.created_at) "
    /* Worked oldest first: a runner's webhook events in arrival order. */
    "SELECT id, kind, user_id, payload, attempts FROM u"
    " ORDER BY next_attempt_at, created_at");
enum { JC_ID, JC_KIND, JC_USER, JC_PAYLOAD, JC_ATTEMPTS, JC__MAX };
static const struct db_stmt q_done = DB_STMT("jobs_done",
    "UPDATE jobs SET state = 'done', note = $2, finished_at = NOW(),"
    "       locked_by = NULL, locked_until = NULL"
    " WHERE id = $1 AND locked_by = pg_backend_pid() AND state = 'waiting'");
static const struct db_stmt q_retry = DB_STMT("jobs_retry",
    "UPDATE jobs SET note = $3, locked_by = NULL, locked_until = NULL,"
    "       attempts = attempts - $4::int,"
    "       next_attempt_at = NOW() + make_interval(secs => $2::int)"
    " WHERE id = $1 AND locked_by = pg_backend_pid() AND state = 'waiting'");
static const struct db_stmt q_fail = DB_STMT("jobs_fail",
    "UPDATE jobs SET state = 'failed', note = $2, finished_at = NOW(),"
    "       locked_by = NULL, locked_until = NULL"
    " WHERE id = $1 AND locked_by = pg_backend_pid() AND state = 'waiting'");
static const struct db_stmt q_purge = DB_STMT("jobs_purge",
    "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs"
    "  WHERE state <> 'waiting'"
    "    AND finished_at < NOW() - make_interval(days => $1::int)"
    "  LIMIT $2::int)");
/* Made due now, or added: a job someone waits for (a new import). */
static const struct db_stmt q_insert_now = DB_STMT("jobs_insert_now",
    "INSERT INTO jobs (kind, user_id, dedup_key) VALUES ($1, $2::uuid, $3)"
    " ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'"
    "   AND dedup_key IS NOT NULL DO UPDATE SET next_attempt_at = NOW()");
static const struct db_stmt q_asleep = DB_STMT("jobs_asleep",
    "WITH gone AS (DELETE FROM job_sleepers WHERE pid NOT IN"
    "  (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)) "
    "INSERT INTO job_sleepers VALUES (pg_backend_pid()) "
    "ON CONFLICT DO NOTHING");
static const struct db_stmt q_awake = DB_STMT("jobs_awake",
    "DELETE FROM job_sleepers WHERE pid = pg_backend_pid()");
static const struct db_stmt q_counts = DB_STMT("jobs_counts",
    "SELECT kind, count(*) FILTER (WHERE state = 'waiting'),"
    "       count(*) FILTER (WHERE state = 'failed')"
    "  FROM jobs WHERE state <> 'done' GROUP BY kind ORDER BY kind");
enum { JN_KIND, JN_WAITING, JN_FAILED, JN__MAX };

int
db_jobs_insert(struct db *db, const char *kind, const char *user_id,
    const char *payload, const char *dedup_key, int delay)
{
	char		 d[16];
	const char	*p[5] = { kind, user_id, payload, dedup_key, d };
	long		 n;

	snprintf(d, sizeof(d), "%d", delay > 0 ? delay : 0);
	n = db_run(db, &q_insert, 5, p);
	return n < 0 ? -1 : n > 0;
}

int
db_jobs_insert_now(struct db *db, const char *kind, const char *user_id,
    const char *dedup_key)
{
	const char *p[3] = { kind, user_id, dedup_key };

	return db_run(db, &q_insert_now, 3, p) < 0 ? -1 : 0;
}

int
db_jobs_plan_per_run(struct db *db)
{
	return db_simple(db, "SET plan_cache_mode = force_custom_plan");
}

int
db_jobs_set_asleep(struct db *db, bool asleep)
{
	return db_run(db, asleep ? &q_asleep : &q_awake, 0, NULL) < 0 ? -1 : 0;
}

int
db_jobs_claim(struct db *db, arena_t *a, int max, int lease_s,
    struct job *out)
{
	char		 m[16], l[16];
	const char	*p[2] = { m, l };
	PGresult	*r;
	int		 i, n;

	snprintf(m, sizeof(m), "%d", max);
	snprintf(l, sizeof(l), "%d", lease_s);
	if ((r = db_exec(db, &q_claim, 2, p)) == NULL)
		return -1;
	n = PQntuples(r) < max ? PQntuples(r) : max;
	for (i = 0; i < n; i++) {
		out[i].id = db_strdup(a, r, i, JC_ID);
		out[i].kind = db_strdup(a, r, i, JC_KIND);
		out[i].user_id = db_null(r, i, JC_USER) ? NULL :
		    db_strdup(a, r, i, JC_USER);
		out[i].payload = db_strdup(a, r, i, JC_PAYLOAD);
		out[i].attempts = (int)db_long(r, i, JC_ATTEMPTS);
	}
	PQclear(r);
	return n;
}

static int
outcome(struct db *db, const struct db_stmt *q, int n, const char *const *p)
{
	long rows = db_run(db, q, n, p);

	return rows < 0 ? -1 : rows > 0;
}

int
db_jobs_done(struct db *db, const char *id, const char *note)
{
	const char *p[2] = { id, note != NULL && *note ? note : NULL };

	return outcome(db, &q_done, 2, p);
}

int
db_jobs_retry(struct db *db, const char *id, int delay_s, const char *note,
    int give_back_attempt)
{
	char		 d[16];
	const char	*p[4] = { id, d, note, give_back_attempt ? "1" : "0" };

	snprintf(d, sizeof(d), "%d", delay_s);
	return outcome(db, &q_retry, 4, p);
}

int
db_jobs_fail(struct db *db, const char *id, const char *note)
{
	const char *p[2] = { id, note };

	return outcome(db, &q_fail, 2, p);
}

long
db_jobs_purge(struct db *db, int keep_days, int limit)
{
	char		 k[16], l[16];
	const char	*p[2] = { k, l };

	snprintf(k, sizeof(k), "%d", keep_days);
	snprintf(l, sizeof(l), "%d", limit);
	return db_run(db, &q_purge, 2, p);
}

int
db_jobs_counts(struct db *db, arena_t *a, struct jobs_count **out)
{
	PGresult	*r = db_exec(db, &q_counts, 0, NULL);
	int		 i, n;

	*out = NULL;
	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		(*out)[i].kind = db_strdup(a, r, i, JN_KIND);
		(*out)[i].waiting = db_long(r, i, JN_WAITING);
		(*out)[i].failed = db_long(r, i, JN_FAILED);
	}
	PQclear(r);
	return n;
}
