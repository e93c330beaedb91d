/* build/cadence serve: the master process (see server/pool.h). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/config.h"
#include "core/log.h"
#include "jobs/job_worker.h"
#include "server/pool.h"
#include "garmin/jobs.h"
#include "strava/jobs.h"

static enum log_level
level_of(const char *s)
{
	if (strcmp(s, "debug") == 0)
		return LOG_DEBUG;
	if (strcmp(s, "warn") == 0)
		return LOG_WARN;
	if (strcmp(s, "error") == 0)
		return LOG_ERROR;
	return LOG_INFO;
}

int
cmd_serve(int argc, char **argv)
{
	struct config	cfg;
	char		err[512];

	if (argc > 1) {
		fprintf(stderr, "usage: cadence serve\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	/* Strava tokens at rest and the calendar feeds' addresses need it. */
	if (strlen(cfg.secret_key) == 0) {
		fprintf(stderr, "cadence: CADENCE_SECRET_KEY is not set; make "
		    "one with: od -An -N32 -tx1 /dev/urandom | tr -d ' \\n'\n");
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "cadence: libsodium failed to initialise\n");
		return 1;
	}
	log_set_level(level_of(cfg.log_level));
	jobs_register();
	strava_jobs_register();	/* webhook events, imports and chores */
	garmin_jobs_register();	/* notifications: runs, deregistrations */
	pool_job_main = job_worker_main;	/* CADENCE_JOB_WORKERS of them */
	return pool_run(&cfg);
}
