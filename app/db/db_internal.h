/*
 * db_internal: what db.c and replica.c share; nothing outside app/db/
 * includes it.
 */
#ifndef CADENCE_DB_INTERNAL_H
#define CADENCE_DB_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

#define DB_MAX_PREPARED		512
#define REPLICA_CHECK_SECONDS	1.0	/* how often the lag is measured */
#define REPLICA_RETRY_SECONDS	2.0	/* after the replica failed */

/* One server connection and the statements prepared on it. */
struct conn {
	char			*conninfo;
	PGconn			*conn;
	bool			 down;
	const struct db_stmt	*prepared[DB_MAX_PREPARED];	/* identity */
	size_t			 nprepared;
};

struct replica {
	struct conn		 c;
	bool			 configured;
	double			 max_lag;	/* seconds */
	double			 retry_at;	/* after a failure */
	double			 checked_at;
	bool			 behind;	/* by more than max_lag */
	uint64_t		 replay_lsn;	/* as last read */
};

struct db {
	struct conn		 primary;
	struct replica		 replica;
	bool			 in_tx;		/* between db_begin and end */
	char			 sqlstate[6];
	/* The request in progress (db_request_begin/end). */
	bool			 reads_ok;	/* may read from the replica */
	uint64_t		 min_lsn;	/* the runner's last write */
	bool			 wrote;
	struct db_stats		 stats;
};

bool		 conn_open(struct conn *);
void		 conn_close(struct conn *);
PGresult	*conn_exec(struct db *, struct conn *, const struct db_stmt *,
		    int nparams, const char *const *params);
/* The replica connection this read may use now, or NULL (replica.c). */
struct conn	*replica_for(struct db *);
/* A read failed on the replica: rest it (a connection error) or not. */
void		 replica_failed(struct db *);

#endif
