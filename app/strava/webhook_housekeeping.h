/*
 * webhook_housekeeping: the job workers' chores for the webhook queue.
 *
 * Resync: a known runner whose events an intake limit dropped (sql/010,
 * strava_webhook_resync) gets their Strava history imported again
 * (strava/import.h: one list call per 200 activities) once the resync
 * falls due, unless an import of theirs is already under way.  So the
 * limits bound what forged events cost without losing real ones.
 *
 * Retention (docs/operations.md): processed events of runners are kept
 * retention_days, those of unknown athletes unknown_retention_hours,
 * failed ones failed_retention_days; waiting events are never purged.
 * Resync rows go once nothing is owed and their interval has passed.
 */
#ifndef CADENCE_WEBHOOK_HOUSEKEEPING_H
#define CADENCE_WEBHOOK_HOUSEKEEPING_H

#include <time.h>

#include "strava/webhook_queue.h"

#define HOUSEKEEPING_PURGE_SECONDS	3600	/* purge this often */
#define HOUSEKEEPING_PURGE_BATCH	5000	/* rows per DELETE */
#define HOUSEKEEPING_PURGE_ROUNDS	100	/* DELETEs per purge, at most */
#define HOUSEKEEPING_RESYNC_BATCH	16	/* runners per turn */

struct db;

/* Starts the resyncs due now; returns how many imports it queued, or -1. */
int	housekeeping_resync(struct db *);
/* Purges what the settings no longer keep; 0 or -1 (counts so far). */
int	housekeeping_purge(struct db *, const struct webhook_settings *,
	    struct purge_counts *);
/* The job loop's turn: resyncs, and a purge when *last is old enough. */
void	housekeeping_run(struct db *, time_t *last);

#endif
