/*
 * The webhook queue's pure part (backoff) and the spool's file protocol.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strava/spool.h"
#include "strava/webhook_queue.h"

Test(queue_backoff, doubles_with_equal_jitter_up_to_the_cap)
{
	/* rnd 0: half the delay; rnd ~1: the whole delay. */
	cr_assert_eq(jobs_backoff(1, 0, 0.0), JOBS_BACKOFF_BASE / 2);
	cr_assert_eq(jobs_backoff(1, 0, 0.999999), JOBS_BACKOFF_BASE - 1);
	cr_assert_eq(jobs_backoff(2, 0, 0.0), JOBS_BACKOFF_BASE);
	cr_assert_eq(jobs_backoff(3, 0, 0.0), JOBS_BACKOFF_BASE * 2);
	cr_assert_eq(jobs_backoff(40, 0, 0.0), JOBS_BACKOFF_MAX / 2);
	cr_assert_leq(jobs_backoff(40, 0, 0.999999), JOBS_BACKOFF_MAX);
	/* Out-of-range randomness is treated as 0, never as a huge delay. */
	cr_assert_eq(jobs_backoff(1, 0, 7.0), JOBS_BACKOFF_BASE / 2);
}

Test(queue_backoff, retry_after_is_honoured_with_bounded_jitter)
{
	cr_assert_eq(jobs_backoff(1, 900, 0.0), 900);
	cr_assert_eq(jobs_backoff(5, 900, 0.5), 900 + 30);	/* 10%, at most 60 s */
	cr_assert_eq(jobs_backoff(1, 100, 0.5), 100 + 5);
	cr_assert_eq(jobs_backoff(1, 3600, 0.999999), 3600 + 59);
}

static char dir[64];

static void
mkspool(void)
{
	snprintf(dir, sizeof(dir), "/tmp/cadence-spool-test.%d/a/b", getpid());
}

static void
rmspool(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf /tmp/cadence-spool-test.%d", getpid());
	(void)!system(cmd);
}

TestSuite(spool, .init = mkspool, .fini = rmspool);

Test(spool, write_list_read_remove_in_order)
{
	spool_id_t	id[3], ids[8];
	buf_t		b = BUF_INIT;
	char		body[32];
	struct stat	st;
	int		i;

	for (i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"n\":%d}", i);
		cr_assert_eq(spool_write(dir, body, strlen(body), id[i]), 0);
		usleep(2000);
	}
	cr_assert_eq(stat(dir, &st), 0, "the directory is created");
	cr_assert_eq(st.st_mode & 0777, SPOOL_DIR_MODE);
	cr_assert_eq(spool_list(dir, ids, 8), 3);
	for (i = 0; i < 3; i++)
		cr_assert_str_eq(ids[i], id[i], "oldest first");
	cr_assert_eq(spool_read(dir, ids[1], &b), 0);
	cr_assert_str_eq(buf_cstr(&b), "{\"n\":1}");
	/* A full buffer keeps the oldest. */
	cr_assert_eq(spool_list(dir, ids, 2), 2);
	cr_assert_str_eq(ids[0], id[0]);
	cr_assert_str_eq(ids[1], id[1]);
	cr_assert_eq(spool_remove(dir, id[0]), 0);
	cr_assert_eq(spool_remove(dir, id[0]), 0, "already gone is fine");
	cr_assert_eq(spool_quarantine(dir, id[1]), 0);
	cr_assert_eq(spool_list(dir, ids, 8), 1);
	cr_assert_str_eq(ids[0], id[2]);
	buf_free(&b);
}

Test(spool, missing_directory_is_empty_and_temp_files_are_ignored)
{
	spool_id_t	ids[4];
	char		path[128];
	FILE		*f;

	cr_assert_eq(spool_list(dir, ids, 4), 0);
	cr_assert_eq(spool_write(dir, "{}", 2, ids[0]), 0);
	snprintf(path, sizeof(path), "%s/.half-written.tmp", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fclose(f);
	cr_assert_eq(spool_list(dir, ids, 4), 1);
}

Test(spool, unwritable_directory_fails)
{
	spool_id_t id;

	cr_assert_eq(spool_write("/proc/no-such-spool", "{}", 2, id), -1);
}
