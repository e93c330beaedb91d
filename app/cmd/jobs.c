/*
 * build/cadence jobs [ping]: the job queue (jobs/jobs.h) for operators.
 *   cadence jobs        waiting and failed jobs, by kind
 *   cadence jobs ping   enqueues a jobs.ping and waits (up to 30 s) for a
 *                       job worker to run it: the queue end to end
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "db/jobs.h"
#include "jobs/jobs.h"

#define PING_WAIT_SECONDS	30

static int
list(struct db *db)
{
	struct jobs_count	*c;
	arena_t			 a;
	int			 i, n;

	arena_init(&a);
	if ((n = db_jobs_counts(db, &a, &c)) < 0) {
		arena_free(&a);
		return 1;
	}
	printf("%-32s %8s %8s\n", "kind", "waiting", "failed");
	for (i = 0; i < n; i++)
		printf("%-32s %8ld %8ld\n", c[i].kind, c[i].waiting, c[i].failed);
	if (n == 0)
		printf("(no job waiting or failed)\n");
	arena_free(&a);
	return 0;
}

static int
ping(struct db *db)
{
	struct jobs_count	*c;
	arena_t			 a;
	int			 i, n, t;
	long			 waiting = 1;

	if (jobs_enqueue(db, "jobs.ping", NULL, NULL, "ping", 0) < 0)
		return 1;
	arena_init(&a);
	for (t = 0; t < PING_WAIT_SECONDS * 10 && waiting > 0; t++) {
		arena_reset(&a);
		usleep(100 * 1000);
		if ((n = db_jobs_counts(db, &a, &c)) < 0)
			break;
		for (waiting = 0, i = 0; i < n; i++)
			if (strcmp(c[i].kind, "jobs.ping") == 0)
				waiting = c[i].waiting;
	}
	arena_free(&a);
	if (waiting > 0) {
		fprintf(stderr, "cadence: no job worker ran the ping in %d s\n",
		    PING_WAIT_SECONDS);
		return 1;
	}
	printf("pong: a job worker ran it in %.1f s\n", t / 10.0);
	return 0;
}

int
cmd_jobs(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	char		 err[512];
	int		 rc;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "ping") != 0)) {
		fprintf(stderr, "usage: cadence jobs [ping]\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	db = db_new(cfg.database_url);
	if (!db_ready(db)) {
		fprintf(stderr, "cadence: the database is not reachable\n");
		db_free(db);
		return 1;
	}
	rc = argc == 2 ? ping(db) : list(db);
	db_free(db);
	return rc;
}
