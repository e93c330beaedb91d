#include <libpq-fe.h>

#include "db/oauth_states.h"

#define STATE_STMTS(name, table) {					\
	DB_STMT(name "_state_new",					\
	    "INSERT INTO " table " (state_hash, session_id, user_id)"	\
	    " VALUES (decode($1, 'hex'), $2, $3)"),			\
	DB_STMT(name "_state_gc",					\
	    "DELETE FROM " table					\
	    " WHERE created_at < NOW() - make_interval(secs => "	\
	    DB_OAUTH_STATE_TTL ")"),					\
	/* Single use: the row goes whether or not it is still fresh. */ \
	DB_STMT(name "_state_take",					\
	    "DELETE FROM " table					\
	    " WHERE state_hash = decode($1, 'hex') AND session_id = $2"	\
	    "   AND user_id = $3"					\
	    " RETURNING created_at >= NOW() - make_interval(secs => "	\
	    DB_OAUTH_STATE_TTL ")") }
enum { Q_NEW, Q_GC, Q_TAKE, Q__MAX };
enum { ST_FRESH, ST__MAX };

static const struct db_stmt q[OAUTH__MAX][Q__MAX] = {
	[OAUTH_STRAVA] = STATE_STMTS("strava", "strava_oauth_states"),
	[OAUTH_GARMIN] = STATE_STMTS("garmin", "garmin_oauth_states"),
};

int
db_oauth_state_new(struct db *db, enum oauth_provider pr,
    const char *hash_hex, const char *session_id, const char *user_id)
{
	const char *p[3] = { hash_hex, session_id, user_id };

	return db_run(db, &q[pr][Q_GC], 0, NULL) < 0 ||
	    db_run(db, &q[pr][Q_NEW], 3, p) != 1 ? -1 : 0;
}

int
db_oauth_state_take(struct db *db, enum oauth_provider pr,
    const char *hash_hex, const char *session_id, const char *user_id)
{
	const char	*p[3] = { hash_hex, session_id, user_id };
	PGresult	*r;
	int		 fresh;

	if ((r = db_exec(db, &q[pr][Q_TAKE], 3, p)) == NULL)
		return -1;
	fresh = PQntuples(r) == 1 && db_bool(r, 0, ST_FRESH);
	PQclear(r);
	return fresh;
}
