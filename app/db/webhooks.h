/*
 * db/webhooks: the statements of Strava's webhook events
 * (strava_webhook_events, sql/003 and sql/010); the queue's engine and
 * its rules are jobs/queue.h.
 */
#ifndef CADENCE_DB_WEBHOOKS_H
#define CADENCE_DB_WEBHOOKS_H

#include <stdint.h>

struct db;

/* Whether a delete of athlete_id's activity object_id arrived: 1, 0, -1. */
int	db_webhooks_delete_seen(struct db *, int64_t athlete_id,
	    int64_t object_id);

#endif
