/*
 * worker: a web worker process.  Accepts FastCGI requests on the shared
 * socket one at a time (FCGX_Accept_r, never FCGI_Accept, which rewrites
 * environ), builds a struct request, dispatches it, sends the buffered
 * response, and frees the request's arena.  It stops after max_requests
 * (the master starts a fresh one), on SIGTERM after the request in
 * flight, and ends itself when a request outlives the deadline.
 */
#ifndef CADENCE_WORKER_H
#define CADENCE_WORKER_H

#include "core/config.h"
#include "web/scoreboard.h"

#define EXIT_DEADLINE	70	/* a request ran past CADENCE_REQUEST_TIMEOUT */

int	worker_main(const struct config *, struct scoreboard *, int slot,
	    int listen_fd);

#endif
