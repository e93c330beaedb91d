/*
 * sessions: signed-in sessions (sessions), looked up with their runner in
 * one query on every request.  Only the SHA-256 of a cookie's token is
 * stored (web/session.c makes and hashes tokens).
 */
#ifndef CADENCE_DB_SESSIONS_H
#define CADENCE_DB_SESSIONS_H

#include <stdbool.h>

#include "core/arena.h"
#include "domain/runner.h"

struct db;

struct session_row {
	const char	*id;
	const char	*csrf_token;
	struct runner	*runner;
	bool		 stale;		/* last_seen_at is worth refreshing */
};

/*
 * The live session whose token hashes to token_hash_hex, unused for less
 * than idle_days and started less than max_days ago: 1 (into *out), 0
 * (none: signed out), -1.  A read the replica may answer.
 */
int	sessions_lookup(struct db *, arena_t *, const char *token_hash_hex,
	    int idle_days, int max_days, struct session_row *out);
int	sessions_touch(struct db *, const char *session_id);
/* A new session of user_id; its id into *id. */
int	sessions_insert(struct db *, arena_t *, const char *user_id,
	    const char *token_hash_hex, const char *csrf_token,
	    const char *user_agent, const char **id);
int	sessions_delete(struct db *, const char *session_id);

#endif
