/*
 * db: one PostgreSQL connection per process, named prepared statements
 * only.
 *
 * Only app/db/ uses this API (tests/lint/layers.sh checks it): the module
 * of a table group declares its statements, with the positions of the
 * columns named right after each SELECT,
 *
 *	static const struct db_stmt q_plan = DB_STMT("plan_by_id",
 *	    "SELECT id, name FROM ... WHERE id = $1 AND user_id = $2");
 *	enum { PL_ID, PL_NAME, PL__MAX };
 *
 * runs them with db_exec() and returns typed structs, never a PGresult.
 * A statement is PQprepare()d on first use on each connection.
 * Parameters are always passed separately from the SQL text: there is no
 * way to build SQL from input.
 *
 * A lost connection is noticed by db_ready() at the start of the next
 * request and re-established then, so restarting PostgreSQL never needs a
 * Cadence restart; while it is down db_ready() fails and pages answer 503.
 */
#ifndef CADENCE_DB_H
#define CADENCE_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/date.h"

#define DB_MAX_PARAMS		16
#define DB_CONNECT_TIMEOUT	"3"		/* seconds */
#define DB_STATEMENT_TIMEOUT	"10000"		/* milliseconds */

struct db_stmt {
	const char	*name;
	const char	*sql;
	bool		 read;	/* a page's read: the replica may answer */
};

#define DB_STMT(name, sql)	{ name, sql, false }
/*
 * A read a page makes, which a streaming replica may answer (when one is
 * configured, the request is a GET, the replica is within its lag and
 * has replayed the runner's last write: db/replica.c).
 */
#define DB_READ(name, sql)	{ name, sql, true }

struct db;

/* Allocates a handle; connects lazily. */
struct db	*db_new(const char *conninfo);
/*
 * Adds a streaming replica for reads (DATABASE_READ_URL): it answers
 * DB_READ statements of read-only requests while it trails the primary
 * by less than max_lag seconds; otherwise, or while it is down, the
 * primary answers.  (db/replica.c)
 */
void		 db_set_replica(struct db *, const char *conninfo,
		    double max_lag);
/*
 * Brackets a request: reads_ok for GET/HEAD, min_lsn the WAL position of
 * the runner's last write (0: none known), so a runner who just wrote
 * reads the primary until the replica has replayed it.  db_request_end
 * returns the primary's WAL position after a request that wrote (0 when
 * it did not, or no replica is configured).
 */
void		 db_request_begin(struct db *, bool reads_ok, uint64_t min_lsn);
uint64_t	 db_request_end(struct db *);
/* "16/B374D848" <-> a number; false (0) for anything else. */
bool		 db_lsn_parse(const char *, uint64_t *);
void		 db_lsn_format(uint64_t, char out[32]);

/* Counters since the process started (for /metrics). */
struct db_stats {
	uint64_t	 replica_reads;		/* statements the replica answered */
	uint64_t	 primary_statements;
	uint64_t	 replica_fallbacks;	/* reads the primary answered instead */
};
const struct db_stats *db_stats(const struct db *);
void		 db_free(struct db *);
/* Connects if needed and checks the connection; false if unreachable. */
bool		 db_ready(struct db *);
PGconn		*db_conn(struct db *);
/* True when the last failure was a lost connection (answer 503). */
bool		 db_down(const struct db *);

/*
 * Runs a prepared statement with text parameters (NULL entries are SQL
 * NULL).  Returns a result the caller PQclear()s, or NULL on failure
 * (logged, and db_sqlstate() tells the SQLSTATE).
 */
PGresult	*db_exec(struct db *, const struct db_stmt *, int nparams,
		    const char *const *params);
/* Like db_exec for statements without rows; returns affected rows or -1. */
long		 db_run(struct db *, const struct db_stmt *, int nparams,
		    const char *const *params);
/* Runs a statement: 1 when it returned a row, 0 when none, -1 on error. */
int		 db_exists(struct db *, const struct db_stmt *, int nparams,
		    const char *const *params);
/* Appends s, quoted, as one element of a PostgreSQL array literal. */
void		 db_array_text(buf_t *, const char *s);
/*
 * Runs a statement and copies column col of its first row into the arena
 * (*out; NULL for SQL NULL): 1, 0 when it returned no row, -1 on error.
 */
int		 db_fetch_str(struct db *, arena_t *, const struct db_stmt *,
		    int nparams, const char *const *params, int col,
		    const char **out);
/* SQLSTATE of the last failed statement ("" if none). */
const char	*db_sqlstate(const struct db *);
bool		 db_unique_violation(const struct db *);

/* The runner's limit the last statement ran into (sql/009_limits.sql). */
enum db_limit {
	DB_LIMIT_NONE, DB_LIMIT_PLANS, DB_LIMIT_PLAN_WORKOUTS,
	DB_LIMIT_DAY_WORKOUTS, DB_LIMIT__MAX
};
#define DB_LIMIT_PLANS_MAX		25
#define DB_LIMIT_PLAN_WORKOUTS_MAX	500
#define DB_LIMIT_DAY_WORKOUTS_MAX	3
enum db_limit	 db_limit_hit(const struct db *);

/* A round trip to the database (readiness probes): 0, or -1 if down. */
int		 db_ping(struct db *);

int		 db_begin(struct db *);
int		 db_commit(struct db *);
void		 db_rollback(struct db *);
/* Runs plain SQL without parameters (migrations, SET, LISTEN). */
int		 db_simple(struct db *, const char *sql);

/* Cell helpers: "" for NULL. */
const char	*db_val(const PGresult *, int row, int col);
bool		 db_null(const PGresult *, int row, int col);
bool		 db_bool(const PGresult *, int row, int col);
long		 db_long(const PGresult *, int row, int col);
/* A copy in the arena, or NULL for SQL NULL. */
const char	*db_strdup(arena_t *, const PGresult *, int row, int col);
/* A date cell (YYYY-MM-DD) into *d; false for NULL or unreadable. */
bool		 db_date(const PGresult *, int row, int col, date_t *d);

#endif
