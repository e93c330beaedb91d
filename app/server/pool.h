/*
 * pool: the master process.  It binds the FastCGI socket, loads routes and
 * templates (once, before fork), forks the web workers and the job
 * workers, and supervises them:
 *   - a child that dies is respawned at once (throttled when children
 *     crash in a loop), and the route it was serving is logged;
 *   - SIGTERM/SIGINT: children finish their request in flight, stragglers
 *     are killed after CADENCE_SHUTDOWN_TIMEOUT;
 *   - SIGHUP: config and templates are re-read, then children are
 *     replaced one by one (a new one starts before an old one is asked to
 *     stop), so no request fails;
 *   - a worker stuck past its deadline is killed (a backstop to its own
 *     alarm).
 */
#ifndef CADENCE_POOL_H
#define CADENCE_POOL_H

#include "core/config.h"
#include "web/scoreboard.h"

/* Entry point of a child process of one kind; returns its exit status. */
typedef int (*child_main_fn)(const struct config *, struct scoreboard *,
    int slot, int listen_fd);

/* Set by the jobs module when it is linked in (NULL: no job workers). */
extern child_main_fn pool_job_main;

int	pool_run(struct config *);

#endif
