/*
 * The job queue (jobs/jobs.h) through the pool's own job worker: a job
 * runs end to end, a kind no worker knows waits without spending its
 * attempts, a dedup key keeps one waiting job, and a job claimed by a
 * worker that died (its backend gone) is taken over.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"

TestSuite(jobs, .timeout = 60);

/* Waits until sql (one value) equals want, up to seconds; the last value. */
static const char *
wait_value(const char *want, int seconds, const char *sql)
{
	const char	*v = "";
	int		 i;

	for (i = 0; i < seconds * 10; i++) {
		v = db_value("%s", sql);
		if (strcmp(v, want) == 0)
			break;
		usleep(100 * 1000);
	}
	return v;
}

Test(jobs, ping_runs_end_to_end)
{
	char id[64], sql[256];

	snprintf(id, sizeof(id), "%s", db_value("INSERT INTO jobs (kind)"
	    " VALUES ('jobs.ping') RETURNING id"));
	snprintf(sql, sizeof(sql), "SELECT state || ' ' || attempts FROM jobs"
	    " WHERE id = '%s'", id);
	cr_assert_str_eq(wait_value("done 1", 10, sql), "done 1");
	cr_assert_eq(run_cmd("%s jobs ping >/dev/null", env_or("CADENCE_BIN",
	    "build/cadence")), 0);
}

Test(jobs, unknown_kind_waits_without_spending_attempts)
{
	char id[64], sql[256];

	snprintf(id, sizeof(id), "%s", db_value("INSERT INTO jobs (kind)"
	    " VALUES ('test.nobody_knows') RETURNING id"));
	snprintf(sql, sizeof(sql), "SELECT note IS NOT NULL FROM jobs WHERE"
	    " id = '%s'", id);
	cr_assert_str_eq(wait_value("t", 10, sql), "t");
	cr_assert_str_eq(db_value("SELECT state || ' ' || attempts || ' ' ||"
	    " (next_attempt_at > now() + interval '30 seconds') FROM jobs WHERE"
	    " id = '%s'", id), "waiting 0 true");
	db_exec_sql("DELETE FROM jobs WHERE id = '%s'", id);
}

Test(jobs, dedup_key_keeps_one_waiting_job)
{
	int i;

	for (i = 0; i < 3; i++)
		db_exec_sql("INSERT INTO jobs (kind, dedup_key, next_attempt_at)"
		    " VALUES ('test.later', 'k1', now() + interval '1 hour')"
		    " ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'"
		    " AND dedup_key IS NOT NULL DO NOTHING");
	cr_assert_str_eq(db_value("SELECT count(*) FROM jobs WHERE kind ="
	    " 'test.later' AND dedup_key = 'k1'"), "1");
	db_exec_sql("DELETE FROM jobs WHERE kind = 'test.later'");
}

Test(jobs, a_dead_workers_claim_is_taken_over)
{
	char id[64], sql[256];

	/* Claimed for ten minutes by a backend that no longer exists. */
	snprintf(id, sizeof(id), "%s", db_value("INSERT INTO jobs (kind,"
	    " attempts, locked_by, locked_until) VALUES ('jobs.ping', 1,"
	    " 2147483000, now() + interval '10 minutes') RETURNING id"));
	db_exec_sql("NOTIFY cadence_webhook_events");
	snprintf(sql, sizeof(sql), "SELECT state || ' ' || attempts FROM jobs"
	    " WHERE id = '%s'", id);
	cr_assert_str_eq(wait_value("done 2", 10, sql), "done 2");
}
