/*
 * db/webhooks: the statements of Strava's webhook events
 * (strava_webhook_events and the tables around it, sql/003, sql/010 and
 * sql/025): intake (the event and its 'strava.event' job in one
 * statement), the event a job names, coalescing, resyncs, retention, the
 * settings every host shares and the figures operators see.  Claims,
 * leases, retries and giving up are the job queue's (jobs/jobs.h); a
 * trigger writes each job's outcome on its event (sql/025).
 */
#ifndef CADENCE_DB_WEBHOOKS_H
#define CADENCE_DB_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define DB_WEBHOOKS_CHANNEL	"cadence_webhook_events"  /* LISTEN/NOTIFY */

struct db;

/*
 * strava_webhook_settings (sql/010): one row every host reads, changed
 * with `cadence events settings NAME=VALUE` (docs/operations.md).
 */
enum webhook_setting {
	WS_LIMIT_WINDOW,	/* seconds the intake limits count over */
	WS_ATHLETE_LIMIT,	/* events per runner and window */
	WS_GLOBAL_LIMIT,	/* events of all runners per window */
	WS_UNKNOWN_LIMIT,	/* events of unknown athletes per window */
	WS_RESYNC_DELAY,	/* seconds from a drop to the runner's resync */
	WS_RESYNC_INTERVAL,	/* seconds between resyncs of one runner */
	WS_DEAUTH_CHECK,	/* seconds between deauthorization checks */
	WS_NOT_FOUND_WINDOW,	/* seconds Strava may lag (eventual consistency) */
	WS_RETENTION_DAYS,	/* processed events of runners kept */
	WS_UNKNOWN_HOURS,	/* events of unknown athletes kept */
	WS_FAILED_DAYS,		/* failed events kept */
	WS__COUNT
};
struct webhook_settings {
	int	v[WS__COUNT];
};
/* Column names, in enum order. */
extern const char *const webhook_setting_names[WS__COUNT];
/* Reads the row; the migration's defaults when it cannot.  0 or -1. */
int	db_webhooks_settings_load(struct db *, struct webhook_settings *);
/* Sets the values that are >= 0 (the others stay).  0 or -1. */
int	db_webhooks_settings_store(struct db *, const int v[WS__COUNT]);

/* ---- intake ------------------------------------------------------------- */

/* An event as Strava posted it, with its raw JSON. */
struct db_webhook_in {
	int64_t		 owner_id;
	const char	*object_type;	/* "activity", "athlete" */
	int64_t		 object_id;
	const char	*aspect_type;	/* "create", "update", "delete" */
	int64_t		 event_time;	/* epoch */
	const char	*json;
	const char	*spool_id;	/* NULL: a live event */
	int64_t		 subscription_id;
	int64_t		 our_subscription;	/* 0: the stored one, if any */
};

enum db_intake {
	DB_INTAKE_STORED,
	DB_INTAKE_SKIPPED,	/* dropped and counted: why says why */
	DB_INTAKE_REFUSED,	/* the database refuses the data itself */
	DB_INTAKE_ERROR,	/* unreachable or failing */
};
#define DB_INTAKE_WHY_MAX	64

/* strava_webhook_intake() (sql/010) in one round trip. */
enum db_intake db_webhooks_intake(struct db *, const struct db_webhook_in *,
	    char why[DB_INTAKE_WHY_MAX]);

/* ---- the event a job names ---------------------------------------------- */

#define DB_WEBHOOKS_KIND	"strava.event"	/* its jobs' kind */

/* A waiting event; strings live in the arena given to the load. */
struct db_webhook_row {
	const char	*id;		/* UUID */
	int64_t		 athlete_id;	/* 0 if unknown */
	const char	*object_type;
	int64_t		 object_id;
	const char	*aspect_type;
	int64_t		 event_time;	/* epoch seconds */
	bool		 deauthorized;	/* updates.authorized == "false" */
	const char	*raw_payload;	/* JSON text */
	int64_t		 age;		/* seconds since it arrived */
	const char	*runner;	/* users.id of the athlete; NULL: none */
};

/*
 * Loads event id, with the runner it names (one round trip: the job
 * worker's cost per event), if it still waits (not processed, not
 * failed): 1, 0 (done already, failed, or gone), -1.
 */
int	db_webhooks_load(struct db *, arena_t *, const char *id,
	    struct db_webhook_row *out);
/*
 * Marks processed the waiting events of athlete's activity object of the
 * aspects given ("{create,update}") that arrived by before, noting event
 * id as the one that answered them; their jobs then find nothing to do.
 * How many, or -1.
 */
long	db_webhooks_coalesce(struct db *, int64_t athlete, int64_t object,
	    const char *aspects, const char *id, const char *before);
/* Whether a delete of athlete_id's activity object_id arrived: 1, 0, -1. */
int	db_webhooks_delete_seen(struct db *, int64_t athlete_id,
	    int64_t object_id);
/*
 * Takes (lock) or drops the session-level advisory lock of athlete's
 * activity object, held across the call to Strava without a transaction.
 * Locking: 1 (now, the database's time, into started), 0 another worker
 * holds it, -1.
 */
int	db_webhooks_activity_lock(struct db *, int64_t athlete,
	    int64_t object, bool lock, char started[40]);

/* ---- resync and retention ------------------------------------------------ */

/*
 * Takes up to max resyncs due now (clearing them) in the caller's
 * transaction: the users.id of each runner still connected and not
 * importing already, into ids.  How many, or -1.
 */
int	db_webhooks_resync_take(struct db *, char ids[][40], int max);

struct purge_counts {
	long	processed;	/* events of runners, processed */
	long	unknown;	/* events of unknown athletes, processed */
	long	failed;		/* failed events */
	long	resync;		/* idle resync rows */
};
/*
 * Deletes what the settings no longer keep, batch rows a statement and at
 * most rounds statements a kind; 0 or -1 (counts so far in c).
 */
int	db_webhooks_purge(struct db *, const struct webhook_settings *,
	    struct purge_counts *c, int batch, int rounds);

/* ---- for operators ------------------------------------------------------- */

struct db_webhook_counts {
	long	pending, failed;
	long	processed;	/* only with_processed (a longer count) */
	double	oldest_s;	/* the oldest pending event's age; 0: none */
};
int	db_webhooks_counts(struct db *, bool with_processed,
	    struct db_webhook_counts *out);

/* An event not processed yet, as `cadence events` lists it. */
struct db_webhook_listed {
	const char	*id;
	const char	*status;	/* failed, working, retrying, pending */
	int		 attempts;
	const char	*when;		/* next attempt or failure, UTC */
	const char	*event;		/* "activity create 123" */
	const char	*athlete;	/* "-": unknown */
	const char	*error;		/* "" for none */
};
/* Failed first, then by when; at most limit.  How many, or -1. */
int	db_webhooks_list(struct db *, arena_t *, int limit,
	    struct db_webhook_listed **out);
/*
 * Queues event id again (a new job; a processed one is done again), or
 * every failed event (id NULL), and wakes the job workers.  How many, or
 * -1.
 */
long	db_webhooks_requeue(struct db *, const char *id);
/* Events answered 200 but not taken, by reason (sql/010). */
struct db_webhook_dropped {
	const char	*reason;
	long		 n;
};
int	db_webhooks_dropped(struct db *, arena_t *,
	    struct db_webhook_dropped **out);

#endif
