/* strava_import: see strava_import.h. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/strava_import.h"

#define STR(x)	STR2(x)
#define STR2(x)	#x

/* Oldest of: the active plan's start, DB_IMPORT_HISTORY_DAYS ago (a day's
 * margin for time zones). */
static const struct db_stmt q_enqueue = DB_STMT("import_enqueue",
    "INSERT INTO strava_imports (user_id, after_epoch, total)"
    " SELECT $1, extract(epoch FROM LEAST("
    "        COALESCE((SELECT start_date FROM training_plans"
    "                   WHERE user_id = $1 AND is_active), 'infinity'::date),"
    "        (NOW() AT TIME ZONE 'UTC')::date - "
    STR(DB_IMPORT_HISTORY_DAYS) ")"
    "        - 1)::bigint, " STR(DB_IMPORT_PER_PAGE)
    " ON CONFLICT (user_id) DO UPDATE SET status = 'pending',"
    "   after_epoch = EXCLUDED.after_epoch, page = 1, done = 0,"
    "   total = EXCLUDED.total, attempts = 0, next_attempt_at = NOW(),"
    "   locked_until = NULL, error_message = NULL, requests = 0,"
    "   created_at = NOW(), finished_at = NULL");
static const struct db_stmt q_notify = DB_STMT("import_notify",
    "SELECT pg_notify('" DB_IMPORT_CHANNEL "', 'import')");
static const struct db_stmt q_drop = DB_STMT("strava_drop_import",
    "DELETE FROM strava_imports WHERE user_id = $1");
static const struct db_stmt q_claim = DB_STMT("import_claim",
    "UPDATE strava_imports i SET status = 'running',"
    "       locked_until = NOW() + make_interval(secs => $1)"
    "  FROM (SELECT user_id FROM strava_imports"
    "         WHERE status IN ('pending', 'running')"
    "           AND next_attempt_at <= NOW()"
    "           AND (locked_until IS NULL OR locked_until < NOW())"
    "         ORDER BY next_attempt_at LIMIT 1"
    "         FOR UPDATE SKIP LOCKED) d"
    " WHERE i.user_id = d.user_id"
    " RETURNING i.user_id, i.after_epoch, i.page, i.done, i.attempts");
enum { IC_USER, IC_AFTER, IC_PAGE, IC_DONE, IC_ATTEMPTS, IC__MAX };
/* The checkpoint: only from the page this worker started at. */
static const struct db_stmt q_advance = DB_STMT("import_advance",
    "UPDATE strava_imports SET page = page + 1, done = done + $3,"
    "       total = $4, requests = requests + 1, attempts = 0,"
    "       status = CASE WHEN $5 THEN 'running' ELSE 'done' END,"
    "       finished_at = CASE WHEN $5 THEN NULL ELSE NOW() END,"
    "       error_message = NULL"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_later = DB_STMT("import_later",
    "UPDATE strava_imports SET next_attempt_at = NOW()"
    "       + make_interval(secs => $3), attempts = attempts + $4,"
    "       requests = requests + $5, error_message = $6,"
    "       locked_until = NULL"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_fail = DB_STMT("import_fail",
    "UPDATE strava_imports SET status = 'failed', error_message = $3,"
    "       requests = requests + $4, locked_until = NULL,"
    "       finished_at = NOW()"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_release = DB_STMT("import_release",
    "UPDATE strava_imports SET locked_until = NULL"
    " WHERE user_id = $1 AND status = 'running'");
static const struct db_stmt q_due = DB_STMT("import_more",
    "SELECT EXISTS (SELECT 1 FROM strava_imports"
    "                WHERE status IN ('pending', 'running')"
    "                  AND next_attempt_at <= NOW()"
    "                  AND (locked_until IS NULL OR locked_until < NOW()))");
static const struct db_stmt q_cleanup = DB_STMT("import_cleanup_raw",
    "UPDATE strava_activities SET raw_data = NULL"
    " WHERE raw_data IS NOT NULL"
    "   AND updated_at < NOW() - make_interval(days => $1)");

int
db_import_enqueue(struct db *db, const char *user_id)
{
	PGresult *r;

	if (db_run(db, &q_enqueue, 1, &user_id) != 1 ||
	    (r = db_exec(db, &q_notify, 0, NULL)) == NULL)
		return -1;
	PQclear(r);	/* delivered when the transaction commits */
	return 0;
}

int
db_import_drop(struct db *db, const char *user_id)
{
	return db_run(db, &q_drop, 1, &user_id) < 0 ? -1 : 0;
}

int
db_import_claim(struct db *db, int lease_s, struct db_import *j)
{
	char		 lease[16];
	const char	*p[1] = { lease };
	PGresult	*r;
	int		 found;

	memset(j, 0, sizeof(*j));
	snprintf(lease, sizeof(lease), "%d", lease_s);
	if ((r = db_exec(db, &q_claim, 1, p)) == NULL)
		return -1;
	if ((found = PQntuples(r) > 0)) {
		snprintf(j->user_id, sizeof(j->user_id), "%s",
		    db_val(r, 0, IC_USER));
		j->after = db_long(r, 0, IC_AFTER);
		j->page = (int)db_long(r, 0, IC_PAGE);
		j->done = (int)db_long(r, 0, IC_DONE);
		j->attempts = (int)db_long(r, 0, IC_ATTEMPTS);
	}
	PQclear(r);
	return found;
}

int
db_import_advance(struct db *db, const char *user_id, int page, long stored,
    long total, bool more)
{
	char		 pg[16], cnt[24], tot[24];
	const char	*p[5] = { user_id, pg, cnt, tot, more ? "true" : "false" };
	long		 n;

	snprintf(pg, sizeof(pg), "%d", page);
	snprintf(cnt, sizeof(cnt), "%ld", stored);
	snprintf(tot, sizeof(tot), "%ld", total);
	n = db_run(db, &q_advance, 5, p);
	return n < 0 ? -1 : n == 1;
}

int
db_import_later(struct db *db, const char *user_id, int page, int delay,
    bool failure, int requests, const char *why)
{
	char		 pg[16], d[16], rq[16];
	const char	*p[6] = { user_id, pg, d, failure ? "1" : "0", rq, why };

	snprintf(pg, sizeof(pg), "%d", page);
	snprintf(d, sizeof(d), "%d", delay);
	snprintf(rq, sizeof(rq), "%d", requests);
	return db_run(db, &q_later, 6, p) < 0 ? -1 : 0;
}

int
db_import_fail(struct db *db, const char *user_id, int page, int requests,
    const char *why)
{
	char		 pg[16], rq[16];
	const char	*p[4] = { user_id, pg, why, rq };

	snprintf(pg, sizeof(pg), "%d", page);
	snprintf(rq, sizeof(rq), "%d", requests);
	return db_run(db, &q_fail, 4, p) < 0 ? -1 : 0;
}

int
db_import_release(struct db *db, const char *user_id)
{
	return db_run(db, &q_release, 1, &user_id) < 0 ? -1 : 0;
}

int
db_import_due(struct db *db)
{
	PGresult	*r;
	int		 due;

	if ((r = db_exec(db, &q_due, 0, NULL)) == NULL)
		return -1;
	due = db_bool(r, 0, 0) ? 1 : 0;
	PQclear(r);
	return due;
}

long
db_import_cleanup_raw(struct db *db, int days)
{
	char		 d[16];
	const char	*p[1] = { d };

	snprintf(d, sizeof(d), "%d", days);
	return db_run(db, &q_cleanup, 1, p);
}
