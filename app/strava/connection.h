/*
 * connection: linking a runner to a Strava athlete and unlinking them.
 * Used by the pages (pages/strava.c), account deletion and the demo.
 */
#ifndef CADENCE_STRAVA_CONNECTION_H
#define CADENCE_STRAVA_CONNECTION_H

#include <stddef.h>
#include <stdint.h>

#define STRAVA_SCOPE		"read,activity:read_all"	/* we ask */
#define STRAVA_CALLBACK_PATH	"/strava/callback"
#define STRAVA_CONNECT_ERR_MAX	256

struct config;
struct db;

enum connect_result {
	CONNECT_OK,		/* linked, tokens stored, import queued */
	CONNECT_REFUSED,	/* Strava refused the code (used, expired) */
	CONNECT_TAKEN,		/* athlete linked to another runner */
	CONNECT_UNAVAILABLE,	/* Strava unreachable or failing */
	CONNECT_ERROR,		/* our side (database, key) */
};

/*
 * Exchanges an authorization code (POST /oauth/token) and links user_id
 * to the athlete: athlete id, name, granted scope, encrypted tokens, and
 * the history import queued, in one transaction.
 */
enum connect_result strava_connect_code(const struct config *, struct db *,
	    const char *user_id, const char *code, const char *scope,
	    char *err, size_t errlen);
/*
 * Unlinks user_id: deauthorizes at Strava (failures are logged, never
 * block), then deletes the tokens, the import and the runner's Strava
 * activities (completions by cascade) and re-derives the workouts they
 * completed.  Unlinking the athlete id also removes, by trigger in the
 * same transaction, every webhook row that names it (sql/010).  0 or -1
 * (database).
 */
int	 strava_disconnect(const struct config *, struct db *,
	    const char *user_id);
/*
 * Sandbox only: approves the sandbox's consent form for athlete_id as a
 * browser would and returns the authorization code from the redirect.
 * 0 or -1 (err says why).
 */
int	 strava_sandbox_authorize(const struct config *, int64_t athlete_id,
	    char *code, size_t codelen, char *err, size_t errlen);

#endif
