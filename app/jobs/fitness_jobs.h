/*
 * fitness_jobs: the job kinds of the training loads and plan adaptation
 * (docs/training-load.md, docs/plan-adaptation.md).
 *
 *   fitness.rescore (a runner; enqueued by sql/021's triggers when a run,
 *     a threshold or a hand mark changes, and by fitness.daily): scores
 *     the runner's stale runs, stores their fitness series, then looks
 *     for a reason to adapt the active plan and stores the proposal.
 *   fitness.daily: a fitness.rescore for every runner with an active plan
 *     (a break shows only by days passing), then schedules itself for the
 *     next day at FITNESS_DAILY_HOUR UTC.
 */
#ifndef CADENCE_FITNESS_JOBS_H
#define CADENCE_FITNESS_JOBS_H

#define FITNESS_DAILY_HOUR	3	/* UTC */

/* Registers the kinds (before the job workers fork). */
void	fitness_jobs_register(void);

#endif
