/*
 * sql/025_one_queue.sql on a database of the old layout: a webhook event
 * and a history import in flight before the upgrade become waiting jobs
 * (finished ones do not), the old lease columns go while every seed
 * column of strava_webhook_events stays, and a job worker of the new code
 * then works both.
 *
 * The old layout is built by `cadence migrate` with migrations 001-024
 * only, in a schema of its own (search_path in the connection URL), so
 * the test's own database is left alone.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"

#define M_SCHEMA	"one_queue_migration"
#define M_ATHLETE	"970550001"	/* nobody's: an unknown athlete */

static char dir[64];	/* the migrations applied, and the worker's spool */
static char url[1024];	/* DATABASE_URL, in schema M_SCHEMA */

static void
setup(void)
{
	db_exec_sql("SET client_min_messages = warning");
	db_exec_sql("DROP SCHEMA IF EXISTS " M_SCHEMA " CASCADE");
	cr_assert_eq(db_exec_sql("CREATE SCHEMA " M_SCHEMA), 0);
	snprintf(dir, sizeof(dir), "/tmp/cadence-m025.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(run_cmd("mkdir %s/sql %s/spool && cp sql/0[01]?_*.sql "
	    "sql/02[0-4]_*.sql %s/sql/", dir, dir, dir), 0);
	snprintf(url, sizeof(url), "%s%soptions=-csearch_path%%3D" M_SCHEMA
	    "%%2Cpublic", env_or("DATABASE_URL", ""),
	    strchr(env_or("DATABASE_URL", ""), '?') ? "&" : "?");
}

static void
teardown(void)
{
	db_exec_sql("RESET search_path");
	db_exec_sql("DROP SCHEMA IF EXISTS " M_SCHEMA " CASCADE");
	run_cmd("rm -rf %s", dir);
}

TestSuite(jobs_migration, .init = setup, .fini = teardown, .timeout = 120);

/* build/cadence CMD against the schema; its exit status.  bg: started
 * in the background instead, its pid in dir/pid. */
static int
cadence_in_schema(const char *cmd, bool bg)
{
	return run_cmd("env DATABASE_URL='%s' CADENCE_SQL_DIR=%s/sql "
	    "CADENCE_SPOOL_DIR=%s/spool %s %s >>%s/cadence.log 2>&1%s%s%s",
	    url, dir, dir, env_or("CADENCE_BIN", "build/cadence"), cmd, dir,
	    bg ? " & echo $! >" : "", bg ? dir : "", bg ? "/pid" : "");
}

/* Stops the worker cadence_in_schema started (SIGTERM: work in hand). */
static void
stop_worker(void)
{
	char	path[128], buf[32] = "";
	FILE	*f;
	pid_t	pid;
	int	i;

	snprintf(path, sizeof(path), "%s/pid", dir);
	cr_assert_not_null(f = fopen(path, "r"));
	(void)fgets(buf, sizeof(buf), f);
	fclose(f);
	cr_assert_gt(pid = (pid_t)strtol(buf, NULL, 10), 1);
	kill(pid, SIGTERM);
	for (i = 0; i < 100 && kill(pid, 0) == 0; i++)
		usleep(100 * 1000);
}

/* Polls until sql (one value, in the schema) equals want. */
static const char *
wait_for(const char *want, int seconds, const char *sql)
{
	const char	*v = "";
	int		 i;

	for (i = 0; i < seconds * 10; i++) {
		if (strcmp(v = db_value("%s", sql), want) == 0)
			break;
		usleep(100 * 1000);
	}
	return v;
}

#define S(table)	M_SCHEMA "." table

/*
 * The rows of the old layout: waiting, processed and failed events, an
 * import under way.  (Triggers name their tables unqualified: this
 * connection looks in the schema too.)
 */
static void
old_rows(void)
{
	db_exec_sql("SET search_path = " M_SCHEMA ", public");
	cr_assert_eq(db_exec_sql("INSERT INTO " S("strava_webhook_events")
	    " (strava_athlete_id, object_type, object_id, aspect_type,"
	    "  event_time, raw_payload, attempts, next_attempt_at, processed,"
	    "  failed_at) VALUES"
	    " (" M_ATHLETE ", 'activity', 1, 'create', NOW(), '{}', 2, NOW(),"
	    "  FALSE, NULL),"
	    " (" M_ATHLETE ", 'activity', 2, 'create', NOW(), '{}', 1, NOW(),"
	    "  TRUE, NULL),"
	    " (" M_ATHLETE ", 'activity', 3, 'create', NOW(), '{}', 8, NOW(),"
	    "  FALSE, NOW())"), 3);
	cr_assert_eq(db_exec_sql("INSERT INTO " S("users") " (email) VALUES"
	    " ('m025@migration.test')"), 1);
	cr_assert_eq(db_exec_sql("INSERT INTO " S("strava_imports")
	    " (user_id, status, after_epoch, page, attempts) SELECT id,"
	    " 'running', 0, 3, 12 FROM " S("users")), 1);
}

Test(jobs_migration, work_in_flight_before_025_is_worked_after_it)
{
	cr_assert_eq(cadence_in_schema("migrate", false), 0, "001-024 did not apply");
	old_rows();
	cr_assert_eq(run_cmd("cp sql/025_one_queue.sql %s/sql/", dir), 0);
	cr_assert_eq(cadence_in_schema("migrate", false), 0, "025 did not apply");

	/* Only what was in flight became jobs, attempts carried over. */
	cr_assert_str_eq(db_value("SELECT string_agg(j.kind || ' ' ||"
	    " j.state || ' ' || j.attempts || ' ' || COALESCE(e.object_id, -1),"
	    " ',' ORDER BY j.kind) FROM " S("jobs") " j LEFT JOIN "
	    S("strava_webhook_events") " e ON j.payload->>'event' = e.id::text"
	    " AND j.dedup_key = e.id::text WHERE j.kind LIKE 'strava.%%'"),
	    "strava.event waiting 2 1,strava.import waiting 7 -1");
	/* The seed table keeps its columns; our lease columns are gone. */
	cr_assert_str_eq(db_value("SELECT string_agg(column_name, ','"
	    " ORDER BY column_name) FROM information_schema.columns WHERE"
	    " table_schema = '" M_SCHEMA "' AND table_name ="
	    " 'strava_webhook_events'"), "aspect_type,athlete_known,created_at,"
	    "error_message,event_time,failed_at,id,note,object_id,object_type,"
	    "processed,processed_at,raw_payload,spool_id,strava_athlete_id");
	cr_assert_str_eq(db_value("SELECT count(*) FROM"
	    " information_schema.columns WHERE table_schema = '" M_SCHEMA "'"
	    " AND table_name = 'strava_imports' AND column_name IN"
	    " ('attempts', 'next_attempt_at', 'locked_until')"), "0");

	/* A job worker of the new code works them (only them: the user's
	 * insert queued a mail and a fitness job). */
	db_exec_sql("DELETE FROM " S("jobs") " WHERE kind NOT LIKE 'strava.%%'");
	cr_assert_eq(cadence_in_schema("worker", true), 0);
	cr_assert_str_eq(wait_for("true unknown athlete", 20, "SELECT processed ||"
	    " ' ' || note FROM " S("strava_webhook_events") " WHERE"
	    " object_id = 1"), "true unknown athlete");
	wait_for("failed", 20, "SELECT status FROM " S("strava_imports"));
	stop_worker();
	cr_assert_str_eq(db_value("SELECT state || ' ' || attempts FROM "
	    S("jobs") " WHERE kind = 'strava.event'"), "done 3");
	/* No Strava link: the import cannot go on, and says why. */
	cr_assert_str_eq(db_value("SELECT i.status || ' ' || j.state FROM "
	    S("strava_imports") " i JOIN " S("jobs") " j ON j.user_id ="
	    " i.user_id"), "failed failed");
	cr_assert_str_eq(db_value("SELECT processed || ' ' || (failed_at IS"
	    " NOT NULL) FROM " S("strava_webhook_events") " WHERE object_id ="
	    " 3"), "false true", "a failed event stays failed");
}
