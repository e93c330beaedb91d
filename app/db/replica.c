/*
 * replica: page reads from a PostgreSQL streaming replica, with
 * read-your-writes, and the primary whenever the replica cannot be
 * trusted (docs/scaling.md).
 *
 * Once a second (per worker, when it serves reads) the lag is measured:
 * the replica is "behind" when it has not replayed the primary's current
 * WAL position and the last transaction it replayed committed more than
 * max_lag seconds ago.  (After an idle spell of the primary this
 * overstates the lag for a moment, which only sends reads to the
 * primary; the hosts' clocks must agree, as NTP keeps them.)  A runner's
 * own writes are tracked by the position after their last write request
 * (a cookie, server/dispatch.c): until the replica has replayed it, that
 * runner reads the primary.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/db_internal.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool
db_lsn_parse(const char *s, uint64_t *out)
{
	unsigned int	hi, lo;
	int		n = 0;

	*out = 0;
	/* Hex digits and one slash only: sscanf alone takes spaces, signs. */
	if (s == NULL || strlen(s) > 17 || strspn(s, "0123456789ABCDEFabcdef/") !=
	    strlen(s) || sscanf(s, "%8X/%8X%n", &hi, &lo, &n) != 2 ||
	    s[n] != '\0')
		return false;
	*out = (uint64_t)hi << 32 | lo;
	return true;
}

void
db_lsn_format(uint64_t lsn, char out[32])
{
	snprintf(out, 32, "%X/%X", (unsigned)(lsn >> 32), (unsigned)lsn);
}

void
db_set_replica(struct db *db, const char *conninfo, double max_lag)
{
	struct replica *rp = &db->replica;

	free(rp->c.conninfo);
	rp->c.conninfo = xstrdup(conninfo);
	rp->configured = true;
	rp->max_lag = max_lag;
	rp->checked_at = -1e9;
}

const struct db_stats *
db_stats(const struct db *db)
{
	return &db->stats;
}

/* One LSN from a one-row, one-column query on c; false on failure. */
static bool
query_lsn(PGconn *c, const char *sql, uint64_t *out)
{
	PGresult	*r = PQexec(c, sql);
	bool		 ok = r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
			    PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
			    db_lsn_parse(PQgetvalue(r, 0, 0), out);

	PQclear(r);
	return ok;
}

static void
rest(struct replica *rp, double now)
{
	conn_close(&rp->c);
	rp->c.down = true;
	rp->retry_at = now + REPLICA_RETRY_SECONDS;
}

/*
 * Reads the replica's replay position and the age of the last
 * transaction it replayed (-1: none yet); false (and rests it) on failure.
 */
static bool
read_replay(struct replica *rp, double now, double *age)
{
	PGresult	*r;
	bool		 ok;

	if (rp->c.conn == NULL && !conn_open(&rp->c)) {
		rest(rp, now);
		return false;
	}
	r = PQexec(rp->c.conn, "SELECT pg_last_wal_replay_lsn(), COALESCE("
	    "extract(epoch FROM now() - pg_last_xact_replay_timestamp()), -1)");
	/* A NULL position: the server is not in recovery (any more). */
	ok = r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
	    PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
	    db_lsn_parse(PQgetvalue(r, 0, 0), &rp->replay_lsn);
	if (ok && age != NULL)
		*age = strtod(PQgetvalue(r, 0, 1), NULL);
	PQclear(r);
	if (!ok) {
		log_warn("database replica: not answering as a standby; "
		    "reading the primary");
		rest(rp, now);
		return false;
	}
	rp->c.down = false;
	return true;
}

static void
check_lag(struct db *db, double now)
{
	struct replica	*rp = &db->replica;
	uint64_t	 primary = 0;
	double		 age = -1;
	bool		 was = rp->behind;

	rp->checked_at = now;
	if (db->primary.conn == NULL ||
	    !query_lsn(db->primary.conn, "SELECT pg_current_wal_lsn()",
	    &primary))
		primary = 0;	/* unknown: judge by the replay age alone */
	if (!read_replay(rp, now, &age))
		return;
	rp->behind = primary > rp->replay_lsn &&
	    (age < 0 || age > rp->max_lag);
	if (rp->behind != was)
		log_warn("database replica: %s", rp->behind ? "more than "
		    "CADENCE_REPLICA_MAX_LAG behind; reading the primary" :
		    "caught up; reading it again");
}

struct conn *
replica_for(struct db *db)
{
	struct replica	*rp = &db->replica;
	double		 now;

	if (!rp->configured || !db->reads_ok || db->in_tx)
		return NULL;
	now = now_s();
	if (rp->c.down && now < rp->retry_at)
		goto primary;
	if (now - rp->checked_at >= REPLICA_CHECK_SECONDS || rp->c.conn == NULL)
		check_lag(db, now);
	if (rp->c.down || rp->behind)
		goto primary;
	/* The runner's own last write, replayed yet?  Asked again at most
	 * once a request. */
	if (db->min_lsn > rp->replay_lsn && (!read_replay(rp, now, NULL) ||
	    db->min_lsn > rp->replay_lsn)) {
		db->min_lsn = UINT64_MAX;	/* this request: the primary */
		goto primary;
	}
	return &rp->c;
primary:
	db->stats.replica_fallbacks++;
	return NULL;
}

void
replica_failed(struct db *db)
{
	struct replica *rp = &db->replica;

	db->stats.replica_fallbacks++;
	/* A query cancelled by recovery (40001) leaves a healthy replica. */
	if (rp->c.conn == NULL || PQstatus(rp->c.conn) != CONNECTION_OK)
		rest(rp, now_s());
}

void
db_request_begin(struct db *db, bool reads_ok, uint64_t min_lsn)
{
	db->reads_ok = reads_ok;
	db->min_lsn = min_lsn;
	db->wrote = false;
}

uint64_t
db_request_end(struct db *db)
{
	uint64_t lsn = 0;

	if (db->wrote && db->replica.configured && db->primary.conn != NULL &&
	    PQtransactionStatus(db->primary.conn) == PQTRANS_IDLE &&
	    !query_lsn(db->primary.conn, "SELECT pg_current_wal_insert_lsn()",
	    &lsn))
		lsn = 0;
	db->reads_ok = false;
	db->min_lsn = 0;
	db->wrote = false;
	return lsn;
}
