/*
 * Runs from Garmin: the sandbox's notifications (push and ping) reach
 * /garmin/webhook through nginx, are acknowledged at once, and the job
 * worker confirms them with the runner's token before storing the run,
 * once (Strava first, a file run folded), matched to the plan; forged
 * notifications change nothing; deregistrations and permission changes.
 * Alone: scripts/itest.sh with the garmin_activities suite's filter.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "garmin_helpers.h"
#include "strava_helpers.h"

#define JOB_WAIT_S	20

static struct client *c;

struct runner {
	const char	*garmin;	/* the sandbox user */
	char		 user[64];
	char		 plan[64];
	char		 workout[64];	/* a past workout of the plan */
	int		 distance_m;
	long long	 start;		/* 07:00 on its day, the runner's */
};

static void
setup(void)
{
	c = client_new();
}

static void
teardown(void)
{
	client_free(c);
}

TestSuite(garmin_activities, .init = setup, .fini = teardown,
    .timeout = 120);

/* A runner connected to a new Garmin user, with a plan 21 days old. */
static void
runner_plan(const char *prefix, const char *perms, struct runner *rn)
{
	struct http_resp	 r;
	const char		*id;
	char			 form[1024], race[16];

	rn->garmin = gs_new_user(c, prefix);
	cr_assert_eq(gs_connect(c, prefix, rn->garmin, perms, &id), 303);
	snprintf(rn->user, sizeof(rn->user), "%s", id);
	snprintf(race, sizeof(race), "%s", db_value("SELECT (current_date +"
	    " 58)::text"));
	snprintf(form, sizeof(form), "name=Mine&race_name=Half&race_distance="
	    "21097&race_date=%s&start_date=%s&runs_per_week=4&long_run_day=sun"
	    "&weekly_distance=40&longest_run=14&recent_race_distance=10000"
	    "&recent_race_time=50:00", race,
	    db_value("SELECT (current_date - 21)::text"));
	cr_assert_eq(client_get(c, "/plans/new", &r), 200);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/plans/new", form, &r), 303);
	resp_done(&r);
	snprintf(rn->plan, sizeof(rn->plan), "%s", db_value("SELECT id FROM"
	    " training_plans WHERE user_id = '%s'", rn->user));
	snprintf(rn->workout, sizeof(rn->workout), "%s", db_value("SELECT id"
	    " FROM workouts WHERE training_plan_id = '%s' AND scheduled_date <"
	    " current_date - 1 ORDER BY scheduled_date DESC LIMIT 1",
	    rn->plan));
	cr_assert_eq(strlen(rn->workout), 36);
	rn->distance_m = atoi(db_value("SELECT distance FROM workouts WHERE"
	    " id = '%s'", rn->workout));
	rn->start = strtoll(db_value("SELECT extract(epoch FROM"
	    " (w.scheduled_date + time '07:00') AT TIME ZONE"
	    " COALESCE((SELECT timezone FROM athlete_profiles WHERE user_id ="
	    " '%s'), 'UTC'))::bigint FROM workouts w WHERE w.id = '%s'",
	    rn->user, rn->workout), NULL, 10);
}

/* Every Garmin job of the runner finished. */
static bool
jobs_settled(const char *user)
{
	return wait_true(JOB_WAIT_S, "NOT EXISTS (SELECT 1 FROM jobs WHERE"
	    " user_id = '%s' AND kind LIKE 'garmin.%%' AND state = 'waiting')"
	    " AND EXISTS (SELECT 1 FROM jobs WHERE user_id = '%s' AND kind"
	    " LIKE 'garmin.%%')", user, user);
}

static long
post_notification(const char *body, double *seconds)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	 r;
	long			 st = client_req(c, "POST", "/garmin/webhook",
				    body, jh, &r);

	if (seconds != NULL)
		*seconds = r.seconds;
	resp_done(&r);
	return st;
}

Test(garmin_activities, a_pushed_run_is_confirmed_stored_and_matched)
{
	struct runner	 rn;
	const char	*sid;
	char		 summary[64];

	runner_plan("gpush", "ACTIVITY_EXPORT", &rn);
	sid = gs_record(c, rn.garmin, rn.start, rn.distance_m,
	    rn.distance_m * 6 / 10);
	snprintf(summary, sizeof(summary), "%s", sid);
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " strava_activities WHERE user_id = '%s' AND source = 'garmin'"
	    " AND garmin_summary_id = '%s' AND strava_activity_id < 0)",
	    rn.user, summary), "the pushed run was not stored");
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " workout_completions c JOIN strava_activities a ON a.id ="
	    " c.strava_activity_id WHERE c.workout_id = '%s' AND a.source ="
	    " 'garmin')", rn.workout), "the Garmin run completes no workout");
	cr_assert_str_eq(db_value("SELECT distance FROM strava_activities"
	    " WHERE garmin_summary_id = '%s'", summary),
	    db_value("SELECT distance FROM workouts WHERE id = '%s'",
	    rn.workout));
	cr_assert_str_eq(db_value("SELECT last_sync_at IS NOT NULL FROM"
	    " garmin_connections WHERE user_id = '%s'", rn.user), "t");
	/* Garmin's retry of the same push stores nothing more. */
	{
		char body[512];

		snprintf(body, sizeof(body), "{\"activities\":[{\"userId\":"
		    "\"%s\",\"summaryId\":\"%s\",\"startTimeInSeconds\":%lld,"
		    "\"distanceInMeters\":%d}]}", rn.garmin, summary, rn.start,
		    rn.distance_m);
		cr_assert_eq(post_notification(body, NULL), 200);
	}
	cr_assert(jobs_settled(rn.user));
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), "1");
}

Test(garmin_activities, a_ping_is_pulled_from_our_api_base_only)
{
	struct runner	 rn;
	char		 body[1024];

	runner_plan("gping", "ACTIVITY_EXPORT", &rn);
	gs_config(c, "{\"ping_mode\":true}");
	gs_record(c, rn.garmin, rn.start, rn.distance_m, 1800);
	gs_config(c, "{\"ping_mode\":false}");
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " strava_activities WHERE user_id = '%s' AND source = 'garmin')",
	    rn.user), "the pinged run was not stored");
	/* A ping naming another host is pulled from GARMIN_API_BASE, never
	 * fetched where it points. */
	snprintf(body, sizeof(body), "{\"activities\":[{\"userId\":\"%s\","
	    "\"callbackURL\":\"http://169.254.169.254/latest?"
	    "uploadStartTimeInSeconds=1000&uploadEndTimeInSeconds=2000\"}]}",
	    rn.garmin);
	cr_assert_eq(post_notification(body, NULL), 200);
	cr_assert(jobs_settled(rn.user));
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), "1");
}

Test(garmin_activities, forged_notifications_change_nothing)
{
	struct runner	 rn;
	char		 body[1024];
	double		 secs;

	runner_plan("gforged", "ACTIVITY_EXPORT", &rn);
	/* An unknown Garmin user: answered like any other, nothing queued. */
	cr_assert_eq(post_notification("{\"activities\":[{\"userId\":"
	    "\"ffffffffffffffffffffffffffffffff\",\"summaryId\":\"1\"}]}",
	    NULL), 200);
	cr_assert_str_eq(db_value("SELECT count(*) FROM jobs WHERE payload"
	    " ->> 'garmin_user_id' = 'ffffffffffffffffffffffffffffffff'"), "0");
	/* Our runner, a summary Garmin never sent: pulled, not found. */
	snprintf(body, sizeof(body), "{\"activities\":[{\"userId\":\"%s\","
	    "\"summaryId\":\"99999999999\",\"activityType\":\"RUNNING\","
	    "\"startTimeInSeconds\":%lld,\"durationInSeconds\":1800,"
	    "\"distanceInMeters\":%d}]}", rn.garmin, rn.start, rn.distance_m);
	cr_assert_eq(post_notification(body, &secs), 200);
	cr_assert_lt(secs, 0.5, "acknowledged in %.3f s", secs);
	/* A forged deregistration while Garmin still takes the token. */
	snprintf(body, sizeof(body), "{\"deregistrations\":[{\"userId\":"
	    "\"%s\"}]}", rn.garmin);
	cr_assert_eq(post_notification(body, NULL), 200);
	cr_assert(jobs_settled(rn.user));
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), "0");
	cr_assert_str_eq(db_value("SELECT garmin_user_id FROM"
	    " garmin_connections WHERE user_id = '%s'", rn.user), rn.garmin);
	cr_assert_str_eq(db_value("SELECT string_agg(note, ' | ' ORDER BY"
	    " kind) FROM jobs WHERE user_id = '%s' AND kind IN"
	    " ('garmin.activity', 'garmin.deregistration')", rn.user),
	    "summary 99999999999 not confirmed by Garmin | Garmin still"
	    " accepts the token: not believed");
	/* Not a notification at all. */
	cr_assert_eq(post_notification("[1,2]", NULL), 400);
}

Test(garmin_activities, one_run_one_activity_strava_first_file_folded)
{
	struct runner	 rn;
	char		 summary[64];

	runner_plan("gdedupe", "ACTIVITY_EXPORT", &rn);
	/* A Strava run 60 s earlier and 2 % longer: Strava's stays. */
	cr_assert_eq(db_exec_sql("INSERT INTO strava_activities (user_id,"
	    " strava_activity_id, name, source, sport_type, distance,"
	    " moving_time, elapsed_time, start_date_local, start_date)"
	    " VALUES ('%s', 987654321, 'From Strava', 'strava', 'Run', %d,"
	    " 1800, 1800, to_timestamp(%lld), to_timestamp(%lld) AT TIME ZONE"
	    " 'UTC')", rn.user, rn.distance_m * 102 / 100, rn.start - 60,
	    rn.start - 60), 1);
	snprintf(summary, sizeof(summary), "%s", gs_record(c, rn.garmin,
	    rn.start, rn.distance_m, 1800));
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM activity_sources"
	    " WHERE source = 'garmin' AND detail = '%s')", summary));
	cr_assert_str_eq(db_value("SELECT string_agg(source, ',') FROM"
	    " strava_activities WHERE user_id = '%s'", rn.user), "strava");
	/* A file run of the next day is folded into the Garmin run. */
	cr_assert_eq(db_exec_sql("INSERT INTO strava_activities (user_id,"
	    " name, source, file_name, sport_type, distance, moving_time,"
	    " elapsed_time, start_date_local, start_date) VALUES ('%s',"
	    " 'From a file', 'file', 'run.fit', 'Run', 8000, 2400, 2400,"
	    " to_timestamp(%lld), to_timestamp(%lld) AT TIME ZONE 'UTC')",
	    rn.user, rn.start + 86400, rn.start + 86400), 1);
	snprintf(summary, sizeof(summary), "%s", gs_record(c, rn.garmin,
	    rn.start + 86400 + 90, 8100, 2400));
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " strava_activities WHERE garmin_summary_id = '%s')", summary));
	cr_assert_str_eq(db_value("SELECT string_agg(source, ',' ORDER BY"
	    " source) FROM strava_activities WHERE user_id = '%s'", rn.user),
	    "garmin,strava");
	cr_assert_str_eq(db_value("SELECT s.detail FROM activity_sources s"
	    " JOIN strava_activities a ON a.id = s.activity_id WHERE"
	    " a.garmin_summary_id = '%s'", summary), "run.fit");
	/* The activity page names both: Garmin's summary and the file. */
	{
		struct http_resp r;

		cr_assert_eq(client_get(c, db_value("SELECT '/activities/' ||"
		    " id FROM strava_activities WHERE garmin_summary_id = '%s'",
		    summary), &r), 200);
		cr_assert(resp_has(&r, summary), "%.2000s", buf_cstr(&r.body));
		cr_assert(resp_has(&r, "run.fit"));
		cr_assert(resp_has(&r, "Garmin"));
		resp_done(&r);
		/* Garmin goes; the uploaded file stays, as a file run. */
		cr_assert_eq(client_post(c, "/garmin/disconnect", "", &r), 303);
		resp_done(&r);
	}
	cr_assert_str_eq(db_value("SELECT string_agg(source || ':' ||"
	    " COALESCE(file_name, '-'), ',' ORDER BY source) FROM"
	    " strava_activities WHERE user_id = '%s'", rn.user),
	    "file:run.fit,strava:-");
}

Test(garmin_activities, deregistration_and_permission_changes)
{
	struct runner	 rn;
	char		 path[256];
	long		 st;

	runner_plan("gdereg", "ACTIVITY_EXPORT,WORKOUT_IMPORT", &rn);
	snprintf(path, sizeof(path), "/_sandbox/users/%s/permissions",
	    rn.garmin);
	json_decref(gs_json(c, "POST", path,
	    "{\"permissions\":[\"ACTIVITY_EXPORT\"]}", &st));
	cr_assert_eq(st, 200);
	cr_assert(wait_true(JOB_WAIT_S, "(SELECT permissions FROM"
	    " garmin_connections WHERE user_id = '%s') = 'ACTIVITY_EXPORT'",
	    rn.user), "the permission change was not stored");
	gs_record(c, rn.garmin, rn.start, rn.distance_m, 1800);
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " strava_activities WHERE user_id = '%s' AND source = 'garmin')",
	    rn.user));
	/* The runner disconnects on Garmin's side. */
	snprintf(path, sizeof(path), "/_sandbox/users/%s/deregister",
	    rn.garmin);
	json_decref(gs_json(c, "POST", path, "{}", &st));
	cr_assert_eq(st, 200);
	cr_assert(wait_true(JOB_WAIT_S, "(SELECT garmin_user_id IS NULL FROM"
	    " garmin_connections WHERE user_id = '%s')", rn.user),
	    "the deregistration was not applied");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), "0");
	cr_assert_str_eq(db_value("SELECT count(*) FROM workout_completions"
	    " WHERE workout_id = '%s'", rn.workout), "0");
}

Test(garmin_activities, history_is_backfilled_only_with_historical_export)
{
	struct runner	 rn, other;
	char		 summary[64], path[256];
	long		 st;
	json_t		*j;

	/* A run recorded before connecting: Garmin tells nobody. */
	rn.garmin = gs_new_user(c, "ghist");
	snprintf(path, sizeof(path), "{\"user_id\":\"%s\",\"start\":%lld,"
	    "\"distance_m\":7000,\"duration\":2400,\"notify\":false}",
	    rn.garmin, (long long)time(NULL) - 10 * 86400);
	j = gs_json(c, "POST", "/_sandbox/activities", path, &st);
	cr_assert_eq(st, 201);
	snprintf(summary, sizeof(summary), "%s", json_string_value(
	    json_object_get(j, "summaryId")));
	json_decref(j);
	{
		const char *id;

		cr_assert_eq(gs_connect(c, "ghist", rn.garmin, "ACTIVITY_EXPORT,"
		    "HISTORICAL_DATA_EXPORT", &id), 303);
		snprintf(rn.user, sizeof(rn.user), "%s", id);
	}
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " strava_activities WHERE user_id = '%s' AND garmin_summary_id ="
	    " '%s')", rn.user, summary), "the history was not backfilled");
	/* Without the permission nothing is asked of Garmin. */
	client_free(c);
	c = client_new();
	other.garmin = gs_new_user(c, "gnohist");
	{
		const char *id;

		cr_assert_eq(gs_connect(c, "gnohist", other.garmin,
		    "ACTIVITY_EXPORT", &id), 303);
		snprintf(other.user, sizeof(other.user), "%s", id);
	}
	cr_assert(jobs_settled(other.user));
	cr_assert_str_eq(db_value("SELECT note FROM jobs WHERE user_id = '%s'"
	    " AND kind = 'garmin.backfill'", other.user),
	    "no HISTORICAL_DATA_EXPORT: no backfill");
}
