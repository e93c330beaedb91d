/*
 * garmin/jobs: Garmin's work for the job workers (jobs/jobs.h kinds):
 *   garmin.activity        a pushed summary or a ping: pull the upload
 *                          window with the runner's token, store what
 *                          Garmin returns (a push only if its summary is
 *                          among them), one run one activity, and match;
 *   garmin.details         activity details pushed or pinged: pull the
 *                          window's details the same way, and give each
 *                          Garmin run shown from its summary its route,
 *                          laps, splits and climb (garmin/details.h);
 *   garmin.deregistration  unlink only once Garmin refuses the token;
 *   garmin.permissions     store the permissions Garmin reports;
 *   garmin.backfill        after connecting, the last 30 days of history
 *                          and their details (only with
 *                          HISTORICAL_DATA_EXPORT).
 * Every handler is idempotent (delivery is at least once).
 */
#ifndef CADENCE_GARMIN_JOBS_H
#define CADENCE_GARMIN_JOBS_H

#define GARMIN_PUSH_LOOKBACK	3600	/* a push's pull starts this early (s) */
#define GARMIN_PUSH_LOOKAHEAD	300	/* ... and ends this late */
#define GARMIN_PULL_MAX		86400	/* Garmin's longest upload window */
#define GARMIN_BACKFILL_DAYS	30	/* Garmin's longest backfill request */

/* Before the job workers start (cadence serve, cadence worker). */
void	garmin_jobs_register(void);

#endif
