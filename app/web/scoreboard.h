/*
 * scoreboard: a small shared-memory table, one slot per child process,
 * mapped by the master before fork.  A worker writes what it is doing
 * (route, start time, counters); the master reads it to log which route
 * was running when a worker died, to find stuck workers and to serve
 * /metrics.  Plain stores of aligned words: a torn read only ever shows a
 * slightly stale figure.
 */
#ifndef CADENCE_SCOREBOARD_H
#define CADENCE_SCOREBOARD_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#define SCOREBOARD_SLOTS	256
#define SCOREBOARD_ROUTE_MAX	48
#define METRIC_ROUTES		64	/* distinct route names counted */
#define METRIC_BUCKETS		12	/* latency histogram buckets */

/* Latency bucket upper bounds in milliseconds (the last is +Inf). */
extern const double metric_bucket_ms[METRIC_BUCKETS];

/* What a slot's process is. */
enum child_kind { CHILD_WEB, CHILD_JOB, CHILD__MAX };

struct route_metrics {
	uint64_t	 status[6];	/* by class: 1xx..5xx at [1..5] */
	uint64_t	 buckets[METRIC_BUCKETS];
	double		 sum_ms;
};

struct slot {
	volatile pid_t		 pid;
	volatile sig_atomic_t	 busy;
	volatile sig_atomic_t	 ready;		/* reached its main loop */
	volatile int		 kind;		/* enum child_kind */
	volatile unsigned	 generation;
	char			 route[SCOREBOARD_ROUTE_MAX];
	volatile double		 started;	/* CLOCK_MONOTONIC seconds */
	volatile uint64_t	 requests;
	struct route_metrics	 metrics[METRIC_ROUTES];
	/* Database statements by server (db/db.h's db_stats). */
	volatile uint64_t	 db_replica, db_primary, db_fallbacks;
};

struct scoreboard {
	struct slot		 slots[SCOREBOARD_SLOTS];
	/* Totals of slots whose process exited, so metrics never go back. */
	struct route_metrics	 retired[METRIC_ROUTES];
	uint64_t		 retired_db[3];	/* replica, primary, fallbacks */
	uint64_t		 worker_deaths;
	uint64_t		 worker_kills;
};

struct scoreboard	*scoreboard_create(void);
double			 monotonic_now(void);
/*
 * The scoreboard of this process's pool, for /metrics: set once by
 * worker_main after fork; NULL outside a pool (e.g. `cadence render`).
 */
void			 scoreboard_set_current(struct scoreboard *);
struct scoreboard	*scoreboard_current(void);

#endif
