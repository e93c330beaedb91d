/*
 * import: the history import that follows a new Strava connection.
 *
 * Never done in a web request: GET /strava/callback adds a row to
 * strava_imports (import_enqueue) and NOTIFYs the job workers, whose loop
 * calls import_work().  That claims one due import (FOR UPDATE SKIP
 * LOCKED, with a lease so a killed worker's import is taken over), and
 * fetches GET /athlete/activities?after=A&page=P&per_page=200 page by
 * page, oldest first.  Each page's activities are upserted and matched
 * (strava/sync.h) in the same transaction that advances the checkpoint
 * (page), guarded by the page it started from: a page is stored exactly
 * once whatever crashes or races.  A 429 or a spent budget puts the import
 * to sleep for as long as the rate-limit window implies; 5xx and timeouts
 * back off; a refused token marks the connection broken.
 */
#ifndef CADENCE_STRAVA_IMPORT_H
#define CADENCE_STRAVA_IMPORT_H

#include <time.h>

#include "db/strava_import.h"

#define IMPORT_PER_PAGE		DB_IMPORT_PER_PAGE
#define IMPORT_HISTORY_DAYS	DB_IMPORT_HISTORY_DAYS
#define IMPORT_LEASE_SECONDS	300	/* a claim lapses after this */
#define IMPORT_PAGES_PER_TURN	5	/* then webhook events get a turn */
#define IMPORT_MAX_FAILURES	10	/* failures in a row: import failed */
#define IMPORT_BACKOFF_MAX	600	/* seconds */
#define IMPORT_CLEANUP_SECONDS	3600	/* raw_data clean-up period */
#define IMPORT_CHANNEL		DB_IMPORT_CHANNEL	/* JOB_CHANNEL */

struct config;
struct db;

/* Starts (or restarts) user_id's import; caller's transaction.  0 / -1. */
int	import_enqueue(struct db *, const char *user_id);
/*
 * The job worker's turn: at most one import, IMPORT_PAGES_PER_TURN pages,
 * plus the raw_data clean-up when *last_cleanup is older than
 * IMPORT_CLEANUP_SECONDS.  Returns 1 when more import work is due now, 0
 * when none, -1 on a database error.
 */
int	import_work(const struct config *, struct db *, time_t *last_cleanup);
/* Nulls raw_data older than CADENCE_RAW_DATA_DAYS; rows changed or -1. */
long	import_cleanup_raw(const struct config *, struct db *);

#endif
