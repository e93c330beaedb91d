/*
 * db/strava_import: the history imports (strava_imports), one per runner,
 * and the raw JSON they keep.  The work and its rules are
 * strava/import.h; this module holds the rows: a claim with a lease, a
 * checkpoint guarded by the page it started from, waits and failures.
 */
#ifndef CADENCE_DB_STRAVA_IMPORT_H
#define CADENCE_DB_STRAVA_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#define DB_IMPORT_PER_PAGE	200	/* Strava's largest page */
#define DB_IMPORT_HISTORY_DAYS	56	/* 8 weeks, or since the plan's start */
#define DB_IMPORT_CHANNEL	"cadence_webhook_events"	/* JOB_CHANNEL */

struct db;

/*
 * (Re)starts user_id's import from the older of the active plan's start
 * and DB_IMPORT_HISTORY_DAYS ago, and wakes the job workers when the
 * caller's transaction commits.  0 or -1.
 */
int	db_import_enqueue(struct db *, const char *user_id);
/* Forgets user_id's import (a disconnect).  0 or -1. */
int	db_import_drop(struct db *, const char *user_id);

/* A claimed import. */
struct db_import {
	char	 user_id[40];
	int64_t	 after;		/* epoch: activities started after it */
	int	 page;		/* the next page to fetch */
	int	 done;		/* activities stored so far */
	int	 attempts;	/* failures in a row */
};

/* Claims the most overdue import for lease_s seconds: 1, 0 none, -1. */
int	db_import_claim(struct db *, int lease_s, struct db_import *out);
/*
 * Moves the checkpoint past page (stored activities more, total the
 * estimate), done when !more.  Only from the page this worker started
 * at: 1 moved, 0 someone else did, -1.  In the caller's transaction.
 */
int	db_import_advance(struct db *, const char *user_id, int page,
	    long stored, long total, bool more);
/*
 * Puts the import (still at page) to sleep for delay seconds, counting a
 * failure or not and the requests it made, with why.  0 or -1.
 */
int	db_import_later(struct db *, const char *user_id, int page, int delay,
	    bool failure, int requests, const char *why);
/* The import failed for good.  0 or -1. */
int	db_import_fail(struct db *, const char *user_id, int page,
	    int requests, const char *why);
/* Gives up the lease so other imports get a turn.  0 or -1. */
int	db_import_release(struct db *, const char *user_id);
/* Whether an import is due now: 1, 0, -1. */
int	db_import_due(struct db *);
/* Nulls raw_data kept longer than days; rows changed or -1. */
long	db_import_cleanup_raw(struct db *, int days);

#endif
