/*
 * job_worker: the process that works the webhook queue (jobs/queue.h).
 * The master runs CADENCE_JOB_WORKERS of them (pool_job_main);
 * `cadence worker` runs one in the foreground for debugging.
 *
 * Loop: replay the spool while the database is reachable, claim and
 * process events until none is due, start the resyncs owed and purge what
 * retention no longer keeps (jobs/housekeeping.h), work the history
 * imports, then sleep on the connection's socket until a NOTIFY arrives
 * or JOB_SWEEP_SECONDS pass (retries falling due, leases lapsing).
 * SIGTERM ends it after the event in hand.
 */
#ifndef CADENCE_JOB_WORKER_H
#define CADENCE_JOB_WORKER_H

#include <stdbool.h>

#include "core/config.h"
#include "web/scoreboard.h"

#define JOB_SWEEP_SECONDS	2	/* look for due work at least this often */
#define JOB_RECONNECT_SECONDS	1	/* wait between connection attempts */
#define JOB_SPOOL_BATCH		256	/* spool files replayed per pass */
#define JOB_PROCESS_NAME	"cadence-job"	/* comm, as ps shows it */
#define JOB_NICE		5	/* below the web workers */

/*
 * Wires the jobs module in: the hooks the Strava client provides (job_fetch_activity, job_confirm_deauth in
 * jobs/queue.h) are set here.
 */
void	jobs_register(void);
/* A job worker child of the master (child_main_fn, server/pool.h). */
int	job_worker_main(const struct config *, struct scoreboard *, int slot,
	    int listen_fd);
/* The loop; slot may be NULL.  foreground: SIGINT stops it too. */
int	job_worker_run(const struct config *, struct slot *, bool foreground);

#endif
