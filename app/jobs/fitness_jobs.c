/*
 * fitness_jobs: see fitness_jobs.h.
 */
#include <stdio.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/fitness.h"
#include "jobs/fitness_jobs.h"
#include "jobs/jobs.h"
#include "training/adjust.h"
#include "training/scoring.h"

#define DAY_SECONDS	86400

static double
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static enum job_result
rescore(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	struct training_rescore	 st;
	enum training_proposal	 p;
	char			 id[ADJUSTMENT_ID_LEN] = "";
	arena_t			 a;
	double			 t0, t1;

	if (j->user_id == NULL) {
		snprintf(err, errlen, "no runner");
		return JOB_FAIL;
	}
	arena_init(&a);
	t0 = monotonic_ms();
	if (training_rescore(run->db, &a, j->user_id, &st) == -1)
		goto fail;
	t1 = monotonic_ms();
	if ((p = training_detect(run->db, &a, j->user_id, id)) ==
	    PROPOSAL_FAILED)
		goto fail;
	snprintf(err, errlen, "%d run(s) scored, %d day(s) of fitness in "
	    "%.1f ms, plan looked at in %.1f ms%s%s", st.scored, st.days,
	    t1 - t0, monotonic_ms() - t1, p == PROPOSAL_MADE ? "; proposal " :
	    "", p == PROPOSAL_MADE ? id : "");
	if (p == PROPOSAL_MADE)
		log_info("fitness: %s: plan adjustment %s proposed", j->user_id,
		    id);
	arena_free(&a);
	return JOB_OK;
fail:
	arena_free(&a);
	snprintf(err, errlen, "database error");
	return JOB_RETRY;
}

/* Seconds until the next FITNESS_DAILY_HOUR UTC, and that day's key. */
static int
next_daily(char key[32])
{
	time_t		 now = time(NULL);
	long		 day = (long)(now / DAY_SECONDS);
	long		 at = day * DAY_SECONDS + FITNESS_DAILY_HOUR * 3600;
	char		 d[11];

	if (at <= now) {
		at += DAY_SECONDS;
		day++;
	}
	date_format((date_t)day, d);
	snprintf(key, 32, "daily:%s", d);
	return (int)(at - now);
}

static enum job_result
daily(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	const char	**ids;
	char		  key[32];
	arena_t		  a;
	int		  i, n, delay;

	arena_init(&a);
	if ((n = fitness_active_runners(run->db, &a, &ids)) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (jobs_enqueue(run->db, "fitness.rescore", ids[i], NULL,
		    ids[i], 0) < 0)
			goto fail;
	delay = next_daily(key);
	if (jobs_enqueue(run->db, "fitness.daily", NULL, NULL, key, delay) < 0)
		goto fail;
	arena_free(&a);
	snprintf(err, errlen, "%d runner(s) to look at; next in %d s", n, delay);
	(void)j;
	return JOB_OK;
fail:
	arena_free(&a);
	snprintf(err, errlen, "database error");
	return JOB_RETRY;
}

void
fitness_jobs_register(void)
{
	jobs_register_kind("fitness.rescore", rescore);
	jobs_register_kind("fitness.daily", daily);
}
