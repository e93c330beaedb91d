/*
 * db/strava_import: the history imports (strava_imports), one per runner,
 * and the raw JSON they keep.  The work and its rules are
 * strava/import.h; each import is worked as a job of the job queue
 * (kind DB_IMPORT_KIND, the runner's), which holds its lease and retries;
 * this module holds the rows: the checkpoint, guarded by the page it
 * started from, and what the import spent and last met.
 */
#ifndef CADENCE_DB_STRAVA_IMPORT_H
#define CADENCE_DB_STRAVA_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#define DB_IMPORT_PER_PAGE	200	/* Strava's largest page */
#define DB_IMPORT_HISTORY_DAYS	56	/* 8 weeks, or since the plan's start */
#define DB_IMPORT_KIND		"strava.import"	/* its jobs' kind */

struct db;

/*
 * (Re)starts user_id's import from the older of the active plan's start
 * and DB_IMPORT_HISTORY_DAYS ago, with its job due now (the job workers
 * are woken when the caller's transaction commits).  0 or -1.
 */
int	db_import_enqueue(struct db *, const char *user_id);
/* Forgets user_id's import (a disconnect).  0 or -1. */
int	db_import_drop(struct db *, const char *user_id);

/* An import under way. */
struct db_import {
	int64_t	 after;		/* epoch: activities started after it */
	int	 page;		/* the next page to fetch */
	int	 done;		/* activities stored so far */
};

/* Marks user_id's import running, if it is waiting: 1, 0 none, -1. */
int	db_import_start(struct db *, const char *user_id, struct db_import *out);
/*
 * Moves the checkpoint past page (stored activities more, total the
 * estimate), done when !more.  Only from the page this worker started
 * at: 1 moved, 0 someone else did, -1.  In the caller's transaction.
 */
int	db_import_advance(struct db *, const char *user_id, int page,
	    long stored, long total, bool more);
/*
 * Records a stop short of the end (still at page): the requests it made
 * and why.  The job queue decides when it goes on, or that it failed
 * (sql/025 then marks it failed).  0 or -1.
 */
int	db_import_note(struct db *, const char *user_id, int page,
	    int requests, const char *why);
/* Nulls raw_data kept longer than days; rows changed or -1. */
long	db_import_cleanup_raw(struct db *, int days);

#endif
