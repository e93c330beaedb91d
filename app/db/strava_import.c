/* strava_import: see strava_import.h. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/jobs.h"
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
    "   total = EXCLUDED.total, error_message = NULL, requests = 0,"
    "   created_at = NOW(), finished_at = NULL");
static const struct db_stmt q_drop = DB_STMT("strava_drop_import",
    "DELETE FROM strava_imports WHERE user_id = $1");
static const struct db_stmt q_start = DB_STMT("import_start",
    "UPDATE strava_imports SET status = 'running'"
    " WHERE user_id = $1 AND status IN ('pending', 'running')"
    " RETURNING after_epoch, page, done");
enum { IS_AFTER, IS_PAGE, IS_DONE, IS__MAX };
/* The checkpoint: only from the page this worker started at. */
static const struct db_stmt q_advance = DB_STMT("import_advance",
    "UPDATE strava_imports SET page = page + 1, done = done + $3,"
    "       total = $4, requests = requests + 1,"
    "       status = CASE WHEN $5 THEN 'running' ELSE 'done' END,"
    "       finished_at = CASE WHEN $5 THEN NULL ELSE NOW() END,"
    "       error_message = NULL"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_note = DB_STMT("import_note",
    "UPDATE strava_imports SET requests = requests + $3, error_message = $4"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_cleanup = DB_STMT("import_cleanup_raw",
    "UPDATE strava_activities SET raw_data = NULL"
    " WHERE raw_data IS NOT NULL"
    "   AND updated_at < NOW() - make_interval(days => $1)");

int
db_import_enqueue(struct db *db, const char *user_id)
{
	if (db_run(db, &q_enqueue, 1, &user_id) != 1)
		return -1;
	return db_jobs_insert_now(db, DB_IMPORT_KIND, user_id, user_id);
}

int
db_import_drop(struct db *db, const char *user_id)
{
	return db_run(db, &q_drop, 1, &user_id) < 0 ? -1 : 0;
}

int
db_import_start(struct db *db, const char *user_id, struct db_import *j)
{
	PGresult	*r;
	int		 found;

	memset(j, 0, sizeof(*j));
	if ((r = db_exec(db, &q_start, 1, &user_id)) == NULL)
		return -1;
	if ((found = PQntuples(r) > 0)) {
		j->after = db_long(r, 0, IS_AFTER);
		j->page = (int)db_long(r, 0, IS_PAGE);
		j->done = (int)db_long(r, 0, IS_DONE);
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
db_import_note(struct db *db, const char *user_id, int page, int requests,
    const char *why)
{
	char		 pg[16], rq[16];
	const char	*p[4] = { user_id, pg, rq, why };

	snprintf(pg, sizeof(pg), "%d", page);
	snprintf(rq, sizeof(rq), "%d", requests);
	return db_run(db, &q_note, 4, p) < 0 ? -1 : 0;
}

long
db_import_cleanup_raw(struct db *db, int days)
{
	char		 d[16];
	const char	*p[1] = { d };

	snprintf(d, sizeof(d), "%d", days);
	return db_run(db, &q_cleanup, 1, p);
}
