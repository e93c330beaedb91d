/*
 * job_worker: the process that works the job queue (jobs/jobs.h: every
 * kind, Strava's webhook events and history imports among them) and the
 * chores their owners register as sources of work (Strava's spool
 * replay, resyncs and retention: strava/jobs.h).  The master runs
 * CADENCE_JOB_WORKERS of them (pool_job_main); `cadence worker` runs one
 * in the foreground for debugging.
 *
 * Loop: the sources' work that comes first (replaying the webhook spool
 * into the queue), the queue's jobs of every kind, the sources' work that
 * comes after (resyncs, retention), then sleep on the connection's socket
 * until a NOTIFY arrives or JOB_SWEEP_SECONDS pass (retries falling due,
 * leases lapsing).  Inserts into jobs NOTIFY only while some worker is
 * registered asleep (db_jobs_set_asleep).  SIGTERM ends it after the
 * work in hand.
 */
#ifndef CADENCE_JOB_WORKER_H
#define CADENCE_JOB_WORKER_H

#include <stdbool.h>

#include "core/config.h"
#include "web/scoreboard.h"

struct db;

/* Inserts into jobs NOTIFY this channel (sql/016, sql/025). */
#define JOB_WAKE_CHANNEL	"cadence_webhook_events"
#define JOB_SWEEP_SECONDS	2	/* look for due work at least this often */
#define JOB_RECONNECT_SECONDS	1	/* wait between connection attempts */
#define JOB_PROCESS_NAME	"cadence-job"	/* comm, as ps shows it */
#define JOB_NICE		5	/* below the web workers */
#define JOB_PURGE_SECONDS	3600	/* finished jobs purged this often */

/*
 * One turn of a source: stopping(arg) tells when to stop early, busy()
 * shows what runs on the scoreboard ("job " what).
 */
struct job_turn {
	const struct config	*cfg;
	struct db		*db;
	bool			(*stopping)(void *arg);
	void			(*busy)(const char *what, bool on, void *arg);
	void			*arg;
};

/*
 * Work besides the queue's kinds, registered by its owner before the
 * workers start.  first runs ahead of the kinds each turn, then after
 * behind them; either may be NULL and returns > 0 when more is due now.
 */
struct job_source {
	const char	*name;
	int		(*first)(const struct job_turn *);
	int		(*after)(const struct job_turn *);
};
#define JOB_SOURCES_MAX		4

/* Adds a source (kept by reference); before the workers fork. */
void	job_worker_add_source(const struct job_source *);
/* Wires the jobs module's own kinds in (jobs.ping, mail, fitness). */
void	jobs_register(void);
/* A job worker child of the master (child_main_fn, server/pool.h). */
int	job_worker_main(const struct config *, struct scoreboard *, int slot,
	    int listen_fd);
/* The loop; slot may be NULL.  foreground: SIGINT stops it too. */
int	job_worker_run(const struct config *, struct slot *, bool foreground);

#endif
