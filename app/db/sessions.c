#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/runner_row.h"
#include "db/sessions.h"

/* last_seen_at is written at most this often, not on every request. */
#define SESSION_TOUCH_SECONDS	"300"

/* One query per request: the session with its runner and their company. */
static const struct db_stmt q_lookup = DB_READ("session_lookup",
    "SELECT s.id, s.csrf_token,"
    "       s.last_seen_at < NOW() - INTERVAL '" SESSION_TOUCH_SECONDS
    " seconds', " RUNNER_COLUMNS
    "  FROM sessions s JOIN users u ON u.id = s.user_id" RUNNER_JOINS
    " WHERE s.token_hash = decode($1, 'hex')"
    "   AND s.last_seen_at > NOW() - make_interval(days => $2::int)"
    "   AND s.created_at > NOW() - make_interval(days => $3::int)");
enum { SL_ID, SL_CSRF, SL_STALE, SL_RUNNER, SL__MAX };
static const struct db_stmt q_touch = DB_STMT("session_touch",
    "UPDATE sessions SET last_seen_at = NOW() WHERE id = $1");
static const struct db_stmt q_insert = DB_STMT("session_insert",
    "INSERT INTO sessions (user_id, token_hash, csrf_token, user_agent)"
    " VALUES ($1, decode($2, 'hex'), $3, left($4, 255)) RETURNING id");
static const struct db_stmt q_delete = DB_STMT("session_delete",
    "DELETE FROM sessions WHERE id = $1");

int
sessions_lookup(struct db *db, arena_t *a, const char *token_hash_hex,
    int idle_days, int max_days, struct session_row *out)
{
	char		 idle[16], max[16];
	const char	*p[3] = { token_hash_hex, idle, max };
	PGresult	*r;
	int		 rc;

	memset(out, 0, sizeof(*out));
	snprintf(idle, sizeof(idle), "%d", idle_days);
	snprintf(max, sizeof(max), "%d", max_days);
	if ((r = db_exec(db, &q_lookup, 3, p)) == NULL)
		return -1;
	if ((rc = PQntuples(r) == 1)) {
		out->id = db_strdup(a, r, 0, SL_ID);
		out->csrf_token = db_strdup(a, r, 0, SL_CSRF);
		out->runner = runner_row_read(a, r, 0, SL_RUNNER);
		out->stale = db_bool(r, 0, SL_STALE);
	}
	PQclear(r);
	return rc;
}

int
sessions_touch(struct db *db, const char *session_id)
{
	return db_run(db, &q_touch, 1, &session_id) < 0 ? -1 : 0;
}

int
sessions_insert(struct db *db, arena_t *a, const char *user_id,
    const char *token_hash_hex, const char *csrf_token,
    const char *user_agent, const char **id)
{
	const char	*p[4] = { user_id, token_hash_hex, csrf_token, user_agent };
	PGresult	*r = db_exec(db, &q_insert, 4, p);

	*id = NULL;
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1)
		*id = db_strdup(a, r, 0, 0);
	PQclear(r);
	return *id != NULL;
}

int
sessions_delete(struct db *db, const char *session_id)
{
	return db_run(db, &q_delete, 1, &session_id) < 0 ? -1 : 0;
}
