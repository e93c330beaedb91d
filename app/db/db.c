#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/db_internal.h"

struct db *
db_new(const char *conninfo)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->primary.conninfo = xstrdup(conninfo);
	return db;
}

void
conn_close(struct conn *c)
{
	if (c->conn != NULL)
		PQfinish(c->conn);
	c->conn = NULL;
	c->nprepared = 0;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	conn_close(&db->primary);
	conn_close(&db->replica.c);
	free(db->primary.conninfo);
	free(db->replica.c.conninfo);
	free(db);
}

/*
 * Our defaults come first so that the URL can override them; every
 * session works in UTC, and no statement may run past the deadline.
 */
/* Server notices (e.g. "already exists, skipping") are not for users. */
static void
on_notice(void *arg, const char *msg)
{
	log_debug("database notice: %s", msg);
}

bool
conn_open(struct conn *c)
{
	static const char *const keys[] = { "connect_timeout",
	    "application_name", "options", "dbname", NULL };
	const char *vals[] = { DB_CONNECT_TIMEOUT, "cadence",
	    "-c TimeZone=UTC -c statement_timeout=" DB_STATEMENT_TIMEOUT
	    " -c idle_in_transaction_session_timeout=60000"
	    /* Our statements are prepared once and run with many ids: a
	     * generic plan saves planning on every call (measured: the
	     * calendar's load went from 1.7 ms to 1.0 ms). */
	    " -c plan_cache_mode=force_generic_plan",
	    c->conninfo, NULL };

	conn_close(c);
	c->conn = PQconnectdbParams(keys, vals, 1);
	if (c->conn == NULL)
		fatal_oom();
	if (PQstatus(c->conn) != CONNECTION_OK) {
		log_warn("database: %s", PQerrorMessage(c->conn));
		conn_close(c);
		return false;
	}
	PQsetNoticeProcessor(c->conn, on_notice, NULL);
	return true;
}

static bool
connect_now(struct db *db)
{
	db->in_tx = false;
	return conn_open(&db->primary);
}

bool
db_ready(struct db *db)
{
	PGconn *c = db->primary.conn;

	if (c != NULL && PQstatus(c) == CONNECTION_OK &&
	    PQtransactionStatus(c) == PQTRANS_IDLE) {
		db->primary.down = false;
		return true;
	}
	if (c != NULL && PQstatus(c) == CONNECTION_OK) {
		/* A handler left a transaction open: never reuse it. */
		PGresult *r = PQexec(c, "ROLLBACK");
		PQclear(r);
		if (PQtransactionStatus(c) == PQTRANS_IDLE)
			return true;
	}
	db->primary.down = !connect_now(db);
	return !db->primary.down;
}

PGconn *
db_conn(struct db *db)
{
	return db->primary.conn;
}

bool
db_down(const struct db *db)
{
	return db->primary.down;
}

static void
note_failure(struct db *db, struct conn *c, const PGresult *r,
    const char *what)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", st ? st : "");
	if (c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK) {
		c->down = true;
		log_warn("database%s connection lost during %s",
		    c == &db->primary ? "" : " replica", what);
		return;
	}
	/* Unique violations (races on sign-up) and a runner's limits
	 * (sql/009_limits.sql) are expected: not errors; the replica's
	 * failures are answered by the primary. */
	if (c != &db->primary)
		log_warn("database replica: %s: %s", what,
		    r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
	else if (strcmp(db->sqlstate, "23505") != 0 &&
	    db_limit_hit(db) == DB_LIMIT_NONE)
		log_error("database: %s: %s", what,
		    r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
}

static bool
is_prepared(const struct conn *c, const struct db_stmt *s)
{
	size_t i;

	for (i = 0; i < c->nprepared; i++)
		if (c->prepared[i] == s)
			return true;
	return false;
}

static bool
prepare(struct db *db, struct conn *c, const struct db_stmt *s)
{
	PGresult *r;

	if (is_prepared(c, s))
		return true;
	if (c->nprepared == DB_MAX_PREPARED) {
		log_error("database: more than %d statements", DB_MAX_PREPARED);
		return false;
	}
	r = PQprepare(c->conn, s->name, s->sql, 0, NULL);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		note_failure(db, c, r, s->name);
		PQclear(r);
		return false;
	}
	PQclear(r);
	c->prepared[c->nprepared++] = s;
	return true;
}

PGresult *
conn_exec(struct db *db, struct conn *c, const struct db_stmt *s,
    int nparams, const char *const *params)
{
	PGresult	*r;
	int		 st;

	if (!prepare(db, c, s))
		return NULL;
	r = PQexecPrepared(c->conn, s->name, nparams, params, NULL, NULL, 0);
	st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		note_failure(db, c, r, s->name);
		PQclear(r);
		return NULL;
	}
	return r;
}

PGresult *
db_exec(struct db *db, const struct db_stmt *s, int nparams,
    const char *const *params)
{
	struct conn	*rc;
	PGresult	*r;

	db->sqlstate[0] = '\0';
	/* A page's read may go to the replica (db/replica.c). */
	if (s->read && (rc = replica_for(db)) != NULL) {
		if ((r = conn_exec(db, rc, s, nparams, params)) != NULL) {
			db->stats.replica_reads++;
			return r;
		}
		replica_failed(db);
		db->sqlstate[0] = '\0';
	}
	if (db->primary.conn == NULL && !db_ready(db))
		return NULL;
	if (!s->read)
		db->wrote = true;
	db->stats.primary_statements++;
	r = conn_exec(db, &db->primary, s, nparams, params);
	/*
	 * A connection that died while idle (PostgreSQL restarted) is only
	 * noticed now; outside a transaction it is safe to reconnect and run
	 * the statement once more, so the first request after a restart works.
	 */
	if (r == NULL && db->primary.down && !db->in_tx && connect_now(db)) {
		db->primary.down = false;
		r = conn_exec(db, &db->primary, s, nparams, params);
	}
	return r;
}

long
db_run(struct db *db, const struct db_stmt *s, int nparams,
    const char *const *params)
{
	PGresult	*r = db_exec(db, s, nparams, params);
	long		 n;

	if (r == NULL)
		return -1;
	n = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return n;
}

int
db_exists(struct db *db, const struct db_stmt *s, int nparams,
    const char *const *params)
{
	PGresult	*r = db_exec(db, s, nparams, params);
	int		 found;

	if (r == NULL)
		return -1;
	found = PQntuples(r) > 0;
	PQclear(r);
	return found;
}

int
db_fetch_str(struct db *db, arena_t *a, const struct db_stmt *s,
    int nparams, const char *const *params, int col, const char **out)
{
	PGresult	*r = db_exec(db, s, nparams, params);
	int		 found;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) > 0))
		*out = db_strdup(a, r, 0, col);
	PQclear(r);
	return found;
}

const char *
db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

bool
db_unique_violation(const struct db *db)
{
	return strcmp(db->sqlstate, "23505") == 0;
}

enum db_limit
db_limit_hit(const struct db *db)
{
	static const char *const states[DB_LIMIT__MAX] = {
		[DB_LIMIT_PLANS] = "CDL01",
		[DB_LIMIT_PLAN_WORKOUTS] = "CDL02",
		[DB_LIMIT_DAY_WORKOUTS] = "CDL03",
	};
	int i;

	for (i = DB_LIMIT_NONE + 1; i < DB_LIMIT__MAX; i++)
		if (strcmp(db->sqlstate, states[i]) == 0)
			return (enum db_limit)i;
	return DB_LIMIT_NONE;
}

int
db_simple(struct db *db, const char *sql)
{
	PGresult	*r;
	int		 st;

	if (db->primary.conn == NULL && !db_ready(db))
		return -1;
	db->wrote = true;	/* BEGIN ... COMMIT, migrations */
	r = PQexec(db->primary.conn, sql);
	st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		note_failure(db, &db->primary, r, "query");
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static const struct db_stmt q_ping = DB_STMT("health_ping", "SELECT 1");

int
db_ping(struct db *db)
{
	PGresult *r = db_exec(db, &q_ping, 0, NULL);

	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
db_begin(struct db *db)
{
	if (db_simple(db, "BEGIN") == -1)
		return -1;
	db->in_tx = true;
	return 0;
}

int
db_commit(struct db *db)
{
	int rc = db_simple(db, "COMMIT");

	db->in_tx = false;
	return rc;
}

void
db_rollback(struct db *db)
{
	if (db->primary.conn != NULL &&
	    PQtransactionStatus(db->primary.conn) != PQTRANS_IDLE)
		(void)db_simple(db, "ROLLBACK");
	db->in_tx = false;
}

const char *
db_val(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

bool
db_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

bool
db_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

long
db_long(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 :
	    strtol(PQgetvalue(r, row, col), NULL, 10);
}

const char *
db_strdup(arena_t *a, const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL :
	    arena_strdup(a, PQgetvalue(r, row, col));
}

bool
db_date(const PGresult *r, int row, int col, date_t *d)
{
	return !PQgetisnull(r, row, col) &&
	    date_parse(PQgetvalue(r, row, col), d);
}

/* Appends s as an element of a PostgreSQL array literal. */
void
db_array_text(buf_t *b, const char *s)
{
	if (b->len > 1)
		buf_putc(b, ',');
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

