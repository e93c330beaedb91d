/*
 * webhook_housekeeping: see webhook_housekeeping.h.  The statements are
 * db/webhooks.c's.
 */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "strava/import.h"
#include "strava/webhook_housekeeping.h"

int
housekeeping_resync(struct db *db)
{
	char	ids[HOUSEKEEPING_RESYNC_BATCH][40];
	int	i, n;

	if (db_begin(db) == -1 ||
	    (n = db_webhooks_resync_take(db, ids, HOUSEKEEPING_RESYNC_BATCH)) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (import_enqueue(db, ids[i]) == -1)
			goto fail;
	if (db_commit(db) == -1)
		goto fail;
	if (n > 0)
		log_info("jobs: %d runner(s) over an intake limit: their "
		    "history is fetched again", n);
	return n;
fail:
	db_rollback(db);
	return -1;
}

int
housekeeping_purge(struct db *db, const struct webhook_settings *s,
    struct purge_counts *c)
{
	return db_webhooks_purge(db, s, c, HOUSEKEEPING_PURGE_BATCH,
	    HOUSEKEEPING_PURGE_ROUNDS);
}

void
housekeeping_run(struct db *db, time_t *last)
{
	struct webhook_settings	s;
	struct purge_counts	c;

	(void)housekeeping_resync(db);
	if (time(NULL) - *last < HOUSEKEEPING_PURGE_SECONDS)
		return;
	*last = time(NULL);
	if (db_webhooks_settings_load(db, &s) == -1 ||
	    housekeeping_purge(db, &s, &c) == -1) {
		log_warn("jobs: webhook retention: the purge failed; next try "
		    "in %d s", HOUSEKEEPING_PURGE_SECONDS);
		return;
	}
	if (c.processed + c.unknown + c.failed > 0)
		log_info("jobs: webhook retention: %ld processed, %ld of "
		    "unknown athletes, %ld failed event(s) purged",
		    c.processed, c.unknown, c.failed);
}
