/*
 * build/cadence worker: one job worker in the foreground, for debugging
 * the job queue (the master normally runs CADENCE_JOB_WORKERS of them).
 * Ctrl-C stops it after the job in hand.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/config.h"
#include "core/log.h"
#include "jobs/job_worker.h"
#include "garmin/jobs.h"
#include "strava/jobs.h"

int
cmd_worker(int argc, char **argv)
{
	struct config	cfg;
	char		err[512];

	if (argc > 1) {
		fprintf(stderr, "usage: cadence worker\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	if (strcmp(cfg.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	jobs_register();
	strava_jobs_register();	/* webhook events, imports and chores */
	garmin_jobs_register();	/* notifications: runs, deregistrations */
	log_info("jobs: one worker in the foreground; Ctrl-C stops it");
	return job_worker_run(&cfg, NULL, true);
}
