#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/throttle.h"

#define PURGE_ROWS	"200"	/* expired rows deleted per attempt */

/* The live counters of one attempt's three keys, locked. */
static const struct db_stmt q_state = DB_STMT("throttle_state",
    "SELECT key, failures,"
    "       EXTRACT(EPOCH FROM NOW() - last_failure)::float8"
    "  FROM login_throttle"
    " WHERE key IN ($1, $2, $3) AND window_end > NOW()"
    "   FOR UPDATE");
enum { TS_KEY, TS_FAILURES, TS_AGE, TS__MAX };
/* One more attempt on each key; a key whose window is over starts anew. */
static const struct db_stmt q_count = DB_STMT("throttle_count",
    "INSERT INTO login_throttle AS t"
    "       (key, user_id, failures, last_failure, window_end)"
    " VALUES ($1, $4::uuid, 1, NOW(), NOW() + make_interval(secs => $5::int)),"
    "        ($2, $4::uuid, 1, NOW(), NOW() + make_interval(secs => $6::int)),"
    "        ($3, NULL, 1, NOW(), NOW() + make_interval(secs => $7::int))"
    " ON CONFLICT (key) DO UPDATE SET"
    "   failures = CASE WHEN t.window_end > NOW()"
    "                   THEN t.failures + 1 ELSE 1 END,"
    "   window_end = CASE WHEN t.window_end > NOW()"
    "                     THEN t.window_end ELSE EXCLUDED.window_end END,"
    "   last_failure = NOW(),"
    "   user_id = EXCLUDED.user_id");
/*
 * Rows whose window is over count for nothing: each attempt deletes a few
 * (rows another attempt holds are skipped), so the table never holds much
 * more than the attempts of the last day and no job is needed.
 */
static const struct db_stmt q_purge = DB_STMT("throttle_purge",
    "DELETE FROM login_throttle WHERE key IN"
    " (SELECT key FROM login_throttle WHERE window_end < NOW()"
    "   LIMIT " PURGE_ROWS " FOR UPDATE SKIP LOCKED)");
static const struct db_stmt q_passed = DB_STMT("throttle_passed",
    "WITH pair AS (DELETE FROM login_throttle WHERE key = $1)"
    " UPDATE login_throttle SET failures = failures - 1"
    "  WHERE key IN ($2, $3) AND failures > 0 AND window_end > NOW()");
static const struct db_stmt q_forget = DB_STMT("throttle_forget",
    "WITH s AS (SELECT 'e:' || encode(sha256(convert_to(lower($2),"
    "                  'UTF8')), 'hex') AS subject)"
    " DELETE FROM login_throttle USING s"
    "  WHERE user_id = $1::uuid OR key = 'acct:' || s.subject"
    "     OR key LIKE 'pair:' || s.subject || '|%'");

static void
read_counts(const PGresult *r, const char *const keys[TK__MAX],
    struct throttle_count c[TK__MAX])
{
	int i, k;

	memset(c, 0, sizeof(*c) * TK__MAX);
	for (i = 0; i < PQntuples(r); i++)
		for (k = 0; k < TK__MAX; k++)
			if (strcmp(db_val(r, i, TS_KEY), keys[k]) == 0) {
				c[k].prior = db_long(r, i, TS_FAILURES);
				c[k].age = strtod(db_val(r, i, TS_AGE), NULL);
				c[k].present = 1;
			}
}

int
throttle_count_attempt(struct db *db, const char *const keys[TK__MAX],
    const char *user_id, const struct throttle_windows *w,
    int (*refuse)(const struct throttle_count[TK__MAX], void *), void *arg)
{
	struct throttle_count	 c[TK__MAX];
	char			 secs[TK__MAX][16];
	const char		*p[7];
	PGresult		*r;
	int			 wait, k;

	if (db_begin(db) == -1)
		return -1;
	if ((r = db_exec(db, &q_state, TK__MAX, keys)) == NULL)
		goto fail;
	read_counts(r, keys, c);
	PQclear(r);
	if ((wait = refuse(c, arg)) > 0) {
		db_rollback(db);
		return wait;
	}
	for (k = 0; k < TK__MAX; k++) {
		p[k] = keys[k];
		snprintf(secs[k], sizeof(secs[k]), "%d", w->seconds[k]);
		p[4 + k] = secs[k];
	}
	p[3] = user_id;
	if (db_run(db, &q_count, 7, p) < 0 || db_commit(db) == -1)
		goto fail;
	return db_run(db, &q_purge, 0, NULL) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return -1;
}

int
throttle_take_back(struct db *db, const char *const keys[TK__MAX])
{
	return db_run(db, &q_passed, TK__MAX, keys) < 0 ? -1 : 0;
}

int
throttle_forget(struct db *db, const char *user_id, const char *email)
{
	const char *p[2] = { user_id, email };

	return db_run(db, &q_forget, 2, p) < 0 ? -1 : 0;
}
