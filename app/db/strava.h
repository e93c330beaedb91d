/*
 * db/strava: a runner's Strava link (the users.strava_* columns): the
 * athlete it names, the sealed tokens, its health, and linking and
 * unlinking (a connection attempt's state: db/oauth_states.h).
 *
 * Tokens come and go sealed (strava/tokens.h encrypts and decrypts); this
 * module never sees a plain token.  Calls return 0 or 1 / -1 on a
 * database error unless said otherwise.
 */
#ifndef CADENCE_DB_STRAVA_H
#define CADENCE_DB_STRAVA_H

#include <stdbool.h>
#include <stdint.h>

#define DB_STRAVA_SEALED_MAX	1024	/* a sealed token, NUL included */
#define DB_STRAVA_SCOPE_MAX	256

struct db;

/* The runner's tokens as stored. */
struct db_strava_tokens {
	bool	 found;				/* the runner exists */
	bool	 has_tokens;			/* both tokens are set */
	char	 access[DB_STRAVA_SEALED_MAX];	/* sealed */
	char	 refresh[DB_STRAVA_SEALED_MAX];	/* sealed */
	int64_t	 expires_at;			/* epoch; 0 when unset */
	int64_t	 athlete_id;			/* 0 when unlinked */
	char	 scope[DB_STRAVA_SCOPE_MAX];	/* granted, comma list */
	bool	 needs_reconnect;
	char	 scope_missing[DB_STRAVA_SCOPE_MAX];	/* "" for none */
};

/*
 * Reads user_id's tokens into *out; lock takes the row (SELECT ... FOR
 * UPDATE) for the caller's transaction, so one refresh spends a refresh
 * token.  0 or -1.
 */
int	db_strava_tokens(struct db *, const char *user_id, bool lock,
	    struct db_strava_tokens *out);
/*
 * Saves a sealed pair with its expiry (epoch); the connection is healthy
 * again unless a scope is missing (only a new grant cures that).  In the
 * caller's transaction.  0 or -1.
 */
int	db_strava_tokens_store(struct db *, const char *user_id,
	    const char *sealed_access, const char *sealed_refresh,
	    int64_t expires_at);
/* Strava refused the refresh token: the runner must reconnect.  0 / -1. */
int	db_strava_broken(struct db *, const char *user_id);
/* The token lacks scope: reconnect granting it.  0 / -1. */
int	db_strava_needs_scope(struct db *, const char *user_id,
	    const char *scope);
/* Strava refused the access token: refresh it before the next call. */
int	db_strava_token_stale(struct db *, const char *user_id);

/* What linking a runner to an athlete stores. */
struct db_strava_link {
	int64_t		 athlete_id;
	const char	*athlete_name;
	const char	*scope;
	const char	*sealed_access, *sealed_refresh;
	int64_t		 expires_at;
};

enum db_link_result { DB_LINK_OK, DB_LINK_TAKEN, DB_LINK_ERROR };

/*
 * Links user_id to the athlete, stores the tokens and queues the history
 * import, in one transaction: DB_LINK_TAKEN when another runner holds
 * the athlete.
 */
enum db_link_result db_strava_link(struct db *, const char *user_id,
	    const struct db_strava_link *);
/*
 * Unlinks user_id in one transaction: workouts the Strava runs complete
 * stay done (db/strava_keep.h), the activities, tokens and import go, and
 * the workouts they completed are re-derived.  0 or -1.
 */
int	db_strava_unlink(struct db *, const char *user_id);

/*
 * Strava confirmed the runner revoked our access: the tokens, name and
 * scope go, and the activities from Strava (completions by cascade),
 * workouts they complete staying done (db/strava_keep.h); the athlete id
 * stays, so a reconnect finds the same account.  In the caller's
 * transaction.  Returns how many activities went, or -1.
 */
long	db_strava_deauthorized(struct db *, const char *user_id);

/* The link as pages show it. */
struct db_strava_status {
	bool	 linked;		/* an athlete id is stored */
	char	 athlete_name[256];	/* "" for none */
	int64_t	 athlete_id;
	bool	 needs_reconnect;	/* broken, or tokens revoked */
	bool	 importing;		/* the import is pending or running */
	long	 import_done, import_total;
};

/* 1 (the runner's row read), 0 no such runner, -1. */
int	db_strava_status(struct db *, const char *user_id,
	    struct db_strava_status *out);

#endif
