/*
 * notifications: what Garmin POSTs to /garmin/webhook (activity summaries
 * and activity details pushed or pinged, deregistrations, permission
 * changes), turned
 * into jobs for the job worker (garmin/jobs.c) without a call to Garmin,
 * so the answer takes milliseconds.
 *
 * Nothing in a notification is believed: it only says whom to ask.  A
 * notification for a Garmin user no runner is linked to is dropped here;
 * the jobs confirm everything else with the runner's token before any
 * change (a push's summary must come back from Garmin's pull, a
 * deregistration must have killed the token, permissions are read from
 * Garmin).  A ping's callbackURL is never fetched: only its upload window
 * is taken, and asked of GARMIN_API_BASE.
 */
#ifndef CADENCE_GARMIN_NOTIFICATIONS_H
#define CADENCE_GARMIN_NOTIFICATIONS_H

#include <stddef.h>
#include <stdint.h>

#define GARMIN_NOTIFY_MAX_ITEMS	500	/* entries taken from one POST */
#define GARMIN_KIND_ACTIVITY	"garmin.activity"
#define GARMIN_KIND_DETAILS	"garmin.details"
#define GARMIN_KIND_DEREGISTER	"garmin.deregistration"
#define GARMIN_KIND_PERMISSIONS	"garmin.permissions"
#define GARMIN_KIND_BACKFILL	"garmin.backfill"

struct db;

struct garmin_intake {
	size_t	queued;		/* jobs added */
	size_t	unknown;	/* entries naming no linked runner */
	size_t	bad;		/* entries we could not read */
};

/*
 * Reads one notification body and queues a job per entry of a linked
 * runner.  0, -1 when the body is not a notification (400), -2 on a
 * database error (503: Garmin retries).
 */
int	garmin_notifications_take(struct db *, const char *body, size_t len,
	    int64_t now, struct garmin_intake *out);

#endif
