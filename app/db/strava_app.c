/* strava_app: see strava_app.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/strava_app.h"

/* ---- the push subscription ----------------------------------------------- */

static const struct db_stmt q_sub_get = DB_STMT("sub_get",
    "SELECT id, COALESCE(callback_url, '') FROM strava_webhook_subscription"
    " ORDER BY created_at DESC LIMIT 1");
enum { SG_ID, SG_URL, SG__MAX };
static const struct db_stmt q_sub_clear = DB_STMT("sub_clear",
    "DELETE FROM strava_webhook_subscription");
static const struct db_stmt q_sub_add = DB_STMT("sub_add",
    "INSERT INTO strava_webhook_subscription (id, callback_url)"
    " VALUES ($1::bigint, $2)");

int
db_strava_sub_get(struct db *db, struct db_strava_sub *s)
{
	PGresult *r;

	memset(s, 0, sizeof(*s));
	if ((r = db_exec(db, &q_sub_get, 0, NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		s->id = db_long(r, 0, SG_ID);
		snprintf(s->callback_url, sizeof(s->callback_url), "%s",
		    db_val(r, 0, SG_URL));
	}
	PQclear(r);
	return 0;
}

int
db_strava_sub_set(struct db *db, const struct db_strava_sub *s)
{
	char		 id[24];
	const char	*p[2] = { id, s->callback_url };

	snprintf(id, sizeof(id), "%" PRId64, s->id);
	if (db_begin(db) == -1 || db_run(db, &q_sub_clear, 0, NULL) < 0 ||
	    db_run(db, &q_sub_add, 2, p) != 1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
db_strava_sub_clear(struct db *db)
{
	return db_run(db, &q_sub_clear, 0, NULL) < 0 ? -1 : 0;
}

/* ---- the shared rate-limit budget ---------------------------------------- */

static const struct db_stmt q_budget = DB_STMT("strava_budget",
    "SELECT limit_15min, limit_daily, usage_15min, usage_daily,"
    "       read_limit_15min, read_limit_daily, read_usage_15min,"
    "       read_usage_daily,"
    "       extract(epoch FROM window_start)::bigint,"
    "       extract(epoch FROM day::timestamp)::bigint"
    "  FROM strava_rate_limit WHERE id = 1 AND limit_15min IS NOT NULL");
enum { BU_LIMIT_15, BU_LIMIT_DAY, BU_USAGE_15, BU_USAGE_DAY, BU_RLIMIT_15,
	BU_RLIMIT_DAY, BU_RUSAGE_15, BU_RUSAGE_DAY, BU_WINDOW, BU_DAY,
	BU__MAX };

/* Usage only grows within a window: an older answer never lowers it. */
#define KEEP_MAX(col, n, same) \
    col " = CASE WHEN " same " THEN GREATEST(" col ", $" n ") ELSE $" n " END"
#define SAME_WINDOW	"window_start = to_timestamp($9) AT TIME ZONE 'UTC'"
#define SAME_DAY	"day = (to_timestamp($10) AT TIME ZONE 'UTC')::date"

static const struct db_stmt q_record = DB_STMT("strava_budget_record",
    "UPDATE strava_rate_limit SET limit_15min = $1, limit_daily = $2,"
    KEEP_MAX("usage_15min", "3", SAME_WINDOW) ","
    KEEP_MAX("usage_daily", "4", SAME_DAY) ","
    " read_limit_15min = $5, read_limit_daily = $6,"
    KEEP_MAX("read_usage_15min", "7", SAME_WINDOW) ","
    KEEP_MAX("read_usage_daily", "8", SAME_DAY) ","
    " window_start = to_timestamp($9) AT TIME ZONE 'UTC',"
    " day = (to_timestamp($10) AT TIME ZONE 'UTC')::date,"
    " throttled = throttled + $11, updated_at = NOW()"
    " WHERE id = 1");

int
db_strava_budget_get(struct db *db, struct db_strava_budget *b)
{
	PGresult	*r;
	int		 found;

	memset(b, 0, sizeof(*b));
	if ((r = db_exec(db, &q_budget, 0, NULL)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		b->limit_15 = (int)db_long(r, 0, BU_LIMIT_15);
		b->limit_day = (int)db_long(r, 0, BU_LIMIT_DAY);
		b->usage_15 = (int)db_long(r, 0, BU_USAGE_15);
		b->usage_day = (int)db_long(r, 0, BU_USAGE_DAY);
		b->read_limit_15 = (int)db_long(r, 0, BU_RLIMIT_15);
		b->read_limit_day = (int)db_long(r, 0, BU_RLIMIT_DAY);
		b->read_usage_15 = (int)db_long(r, 0, BU_RUSAGE_15);
		b->read_usage_day = (int)db_long(r, 0, BU_RUSAGE_DAY);
		b->window_start = db_long(r, 0, BU_WINDOW);
		b->day_start = db_long(r, 0, BU_DAY);
	}
	PQclear(r);
	return found;
}

int
db_strava_budget_record(struct db *db, const struct db_strava_budget *b,
    bool throttled)
{
	const int	 n[8] = { b->limit_15, b->limit_day, b->usage_15,
			    b->usage_day, b->read_limit_15, b->read_limit_day,
			    b->read_usage_15, b->read_usage_day };
	char		 v[11][24];
	const char	*p[11];
	int		 i;

	for (i = 0; i < 8; i++)
		snprintf(v[i], sizeof(v[i]), "%d", n[i]);
	snprintf(v[8], sizeof(v[8]), "%" PRId64, b->window_start);
	snprintf(v[9], sizeof(v[9]), "%" PRId64, b->day_start);
	snprintf(v[10], sizeof(v[10]), "%d", throttled ? 1 : 0);
	for (i = 0; i < 11; i++)
		p[i] = v[i];
	return db_run(db, &q_record, 11, p) < 0 ? -1 : 0;
}

/*
 * The shared Strava budget (sql/005).  Usage reported for an earlier
 * 15-minute window or UTC day no longer counts against us: shown as 0.
 */
static const struct db_stmt q_rate = DB_STMT("metrics_rate_limit",
    "SELECT limit_15min, limit_daily,"
    "       CASE WHEN window_start = date_bin('15 minutes',"
    "            NOW() AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01')"
    "            THEN usage_15min ELSE 0 END,"
    "       CASE WHEN day = (NOW() AT TIME ZONE 'UTC')::date"
    "            THEN usage_daily ELSE 0 END,"
    "       read_limit_15min, read_limit_daily,"
    "       CASE WHEN window_start = date_bin('15 minutes',"
    "            NOW() AT TIME ZONE 'UTC', TIMESTAMP '2000-01-01')"
    "            THEN read_usage_15min ELSE 0 END,"
    "       CASE WHEN day = (NOW() AT TIME ZONE 'UTC')::date"
    "            THEN read_usage_daily ELSE 0 END,"
    "       throttled"
    "  FROM strava_rate_limit WHERE id = 1");
/* Columns in enum db_rate_value's order, then: */
enum { RN_THROTTLED = DB_RATE__MAX, RN__MAX };

int
db_strava_rate_now(struct db *db, struct db_strava_rate *out)
{
	PGresult	*r;
	int		 i, found;

	memset(out, 0, sizeof(*out));
	if ((r = db_exec(db, &q_rate, 0, NULL)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		for (i = 0; i < DB_RATE__MAX; i++) {
			out->known[i] = !db_null(r, 0, i);
			out->v[i] = db_long(r, 0, i);
		}
		out->throttled = db_long(r, 0, RN_THROTTLED);
	}
	PQclear(r);
	return found;
}
