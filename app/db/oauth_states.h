/*
 * oauth_states: the state of an OAuth connection attempt (Strava's or
 * Garmin's), kept as its SHA-256 (hex) with the session and runner it was
 * made for, for DB_OAUTH_STATE_TTL seconds, in the provider's table
 * (strava_oauth_states, garmin_oauth_states: the same shape).
 */
#ifndef CADENCE_DB_OAUTH_STATES_H
#define CADENCE_DB_OAUTH_STATES_H

#include "db/db.h"

enum oauth_provider { OAUTH_STRAVA, OAUTH_GARMIN, OAUTH__MAX };

#define DB_OAUTH_STATE_TTL	"600"	/* seconds a connection attempt lasts */

/* Stores a new state, dropping the expired ones first: 0, or -1. */
int	db_oauth_state_new(struct db *, enum oauth_provider,
	    const char *hash_hex, const char *session_id, const char *user_id);
/* Spends the state (single use): 1 ours and fresh, 0 not, -1. */
int	db_oauth_state_take(struct db *, enum oauth_provider,
	    const char *hash_hex, const char *session_id, const char *user_id);

#endif
