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

static bool	details_stored(const char *user, const char *sid);

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
	/* ... and its details: Garmin's backfill of activityDetails. */
	cr_assert(details_stored(rn.user, summary), "no details backfilled");
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

/* ---- activity details (samples: route, laps, splits, climb) ------------- */

/* The runner's Garmin run of summary sid has its details stored. */
static bool
details_stored(const char *user, const char *sid)
{
	return wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM strava_activities"
	    " WHERE user_id = '%s' AND garmin_summary_id = '%s' AND"
	    " summary_polyline IS NOT NULL AND splits IS NOT NULL)", user, sid);
}

/* How many samples the sandbox's details of sid have (static). */
static const char *
gs_sample_count(const char *sid)
{
	static char	 n[16];
	json_t		*j = gs_call(c, "GET", "/_sandbox/details", NULL, NULL), *d;
	size_t		 i, len = strlen(sid);

	snprintf(n, sizeof(n), "?");
	json_array_foreach(j, i, d) {
		const char *id = json_string_value(json_object_get(d,
		    "summaryId"));

		if (id != NULL && strncmp(id, sid, len) == 0 &&
		    strcmp(id + len, "-detail") == 0)
			snprintf(n, sizeof(n), "%zu", json_array_size(
			    json_object_get(d, "samples")));
	}
	json_decref(j);
	return n;
}

/* What the details gave the run, as one text to compare. */
static const char *
details_of(const char *sid)
{
	return db_value("SELECT COALESCE(md5(summary_polyline), '-') || ':' ||"
	    " COALESCE(md5(splits::text), '-') || ':' ||"
	    " COALESCE(total_elevation_gain::text, '-') || ':' || (SELECT"
	    " count(*) FROM activity_laps l WHERE l.strava_activity_id = a.id)"
	    " FROM strava_activities a WHERE garmin_summary_id = '%s'", sid);
}

/* POSTs a run with details of its own (samples_json) to the sandbox. */
static const char *
record_with_samples(const struct runner *rn, long long start,
    const char *samples_json)
{
	static char	 sid[64];
	char		 body[8192];
	json_t		*j;
	long		 st;

	snprintf(body, sizeof(body), "{\"user_id\":\"%s\",\"start\":%lld,"
	    "\"distance_m\":3000,\"duration\":900,\"samples\":%s,"
	    "\"laps\":[{\"startTimeInSeconds\":%lld}]}", rn->garmin, start,
	    samples_json, start);
	j = gs_json(c, "POST", "/_sandbox/activities", body, &st);
	cr_assert_eq(st, 201, "record: %ld", st);
	snprintf(sid, sizeof(sid), "%s", json_string_value(json_object_get(j,
	    "summaryId")));
	json_decref(j);
	return sid;
}

Test(garmin_activities, details_give_the_run_its_route_splits_laps_and_climb)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 sid[64], url[128];
	int			 km;

	runner_plan("gdetail", "ACTIVITY_EXPORT", &rn);
	/* An hour's run: the sandbox samples it every 5 to 15 s. */
	snprintf(sid, sizeof(sid), "%s", gs_record(c, rn.garmin, rn.start,
	    rn.distance_m, 3600));
	cr_assert(details_stored(rn.user, sid), "no details stored: %s",
	    db_value("SELECT string_agg(kind || ' ' || state || ' ' ||"
	    " COALESCE(note, ''), ' | ') FROM jobs WHERE user_id = '%s'",
	    rn.user));
	cr_assert(jobs_settled(rn.user));
	{
		char ms[32];

		snprintf(ms, sizeof(ms), "%s", db_value("SELECT round(extract("
		    "epoch FROM finished_at - created_at) * 1000) FROM jobs"
		    " WHERE user_id = '%s' AND kind = 'garmin.details'",
		    rn.user));
		fprintf(stderr, "garmin details: a 1-hour run of %d m (%s"
		    " samples), stored %s ms after the notification was"
		    " queued (%s)\n", rn.distance_m, gs_sample_count(sid), ms,
		    db_value("SELECT note FROM jobs WHERE user_id = '%s' AND"
		    " kind = 'garmin.details'", rn.user));
	}
	km = (rn.distance_m + 990) / 1000;
	cr_assert_str_eq(db_value("SELECT jsonb_array_length(splits ->"
	    " 'metric') || ',' || (jsonb_array_length(splits -> 'standard') >="
	    " 1) || ',' || jsonb_array_length(splits -> 'laps') || ',' ||"
	    " (SELECT count(*) FROM activity_laps l WHERE l.strava_activity_id"
	    " = a.id) FROM strava_activities a WHERE garmin_summary_id = '%s'",
	    sid), db_value("SELECT '%d,true,%d,%d'", km,
	    (rn.distance_m + 999) / 1000, (rn.distance_m + 999) / 1000));
	/* The sandbox's hill is 40 m: climbed, less the 3 m hysteresis. */
	cr_assert_str_eq(db_value("SELECT total_elevation_gain BETWEEN 36 AND"
	    " 40 FROM strava_activities WHERE garmin_summary_id = '%s'", sid),
	    "t", "climb %s", db_value("SELECT total_elevation_gain FROM"
	    " strava_activities WHERE garmin_summary_id = '%s'", sid));
	/* Distance and the workout it completes are the summary's. */
	cr_assert_str_eq(db_value("SELECT distance FROM strava_activities"
	    " WHERE garmin_summary_id = '%s'", sid), db_value("SELECT %d",
	    rn.distance_m));
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM"
	    " workout_completions WHERE workout_id = '%s')", rn.workout));
	/* The page: route, splits per km, climb. */
	snprintf(url, sizeof(url), "%s", db_value("SELECT '/activities/' || id"
	    " FROM strava_activities WHERE garmin_summary_id = '%s'", sid));
	cr_assert_eq(client_get(c, url, &r), 200);
	cr_assert(resp_has(&r, "id=\"route-title\""), "%.3000s",
	    buf_cstr(&r.body));
	cr_assert(resp_has(&r, "Splits per km"));
	cr_assert(resp_has(&r, "<dt>Climb</dt>"));
	resp_done(&r);
	/* A runner in miles sees splits per mile. */
	cr_assert_eq(db_exec_sql("UPDATE athlete_profiles SET units = 'mi'"
	    " WHERE user_id = '%s'", rn.user), 1);
	cr_assert_eq(client_get(c, url, &r), 200);
	cr_assert(resp_has(&r, "Splits per mi"), "%.3000s", buf_cstr(&r.body));
	resp_done(&r);
	/* Garmin's retry of the same details changes nothing. */
	{
		char before[256], body[512];

		snprintf(before, sizeof(before), "%s", details_of(sid));
		snprintf(body, sizeof(body), "{\"activityDetails\":[{\"userId\":"
		    "\"%s\",\"summaryId\":\"%s-detail\"}]}", rn.garmin, sid);
		cr_assert_eq(post_notification(body, NULL), 200);
		cr_assert(jobs_settled(rn.user));
		cr_assert_str_eq(details_of(sid), before);
	}
}

Test(garmin_activities, details_pinged_and_the_summary_climb_kept)
{
	struct runner	 rn;
	char		 sid[64], body[512];
	json_t		*j;
	long		 st;

	runner_plan("gdping", "ACTIVITY_EXPORT", &rn);
	gs_config(c, "{\"ping_mode\":true}");
	snprintf(body, sizeof(body), "{\"user_id\":\"%s\",\"start\":%lld,"
	    "\"distance_m\":%d,\"duration\":1800,\"elevation_gain\":55.5}",
	    rn.garmin, rn.start, rn.distance_m);
	j = gs_json(c, "POST", "/_sandbox/activities", body, &st);
	gs_config(c, "{\"ping_mode\":false}");
	cr_assert_eq(st, 201);
	snprintf(sid, sizeof(sid), "%s", json_string_value(json_object_get(j,
	    "summaryId")));
	json_decref(j);
	cr_assert(details_stored(rn.user, sid));
	/* totalElevationGainInMeters, not the climb from the samples. */
	cr_assert_str_eq(db_value("SELECT total_elevation_gain FROM"
	    " strava_activities WHERE garmin_summary_id = '%s'", sid),
	    "55.50");
}

Test(garmin_activities, forged_or_unknown_details_change_nothing)
{
	struct runner	 rn;
	char		 sid[64], before[256], body[2048];
	json_t		*j;
	long		 st;

	runner_plan("gdforged", "ACTIVITY_EXPORT", &rn);
	snprintf(sid, sizeof(sid), "%s", gs_record(c, rn.garmin, rn.start,
	    rn.distance_m, 1800));
	cr_assert(details_stored(rn.user, sid));
	cr_assert(jobs_settled(rn.user));
	snprintf(before, sizeof(before), "%s", details_of(sid));
	/* A push of other samples for our run: Garmin's are pulled again. */
	snprintf(body, sizeof(body), "{\"activityDetails\":[{\"userId\":\"%s\","
	    "\"summaryId\":\"%s-detail\",\"samples\":[{\"startTimeInSeconds\":"
	    "%lld,\"latitudeInDegree\":10,\"longitudeInDegree\":10,"
	    "\"totalDistanceInMeters\":0},{\"startTimeInSeconds\":%lld,"
	    "\"latitudeInDegree\":11,\"longitudeInDegree\":11,"
	    "\"totalDistanceInMeters\":9000}]},{\"userId\":\"%s\",\"summaryId\":"
	    "\"99999999999-detail\",\"samples\":[]}]}", rn.garmin, sid,
	    rn.start, rn.start + 600, rn.garmin);
	cr_assert_eq(post_notification(body, NULL), 200);
	cr_assert(jobs_settled(rn.user));
	cr_assert_str_eq(details_of(sid), before);
	cr_assert_str_eq(db_value("SELECT note FROM jobs WHERE user_id = '%s'"
	    " AND kind = 'garmin.details' AND dedup_key LIKE '%%99999999999%%'",
	    rn.user), "details 99999999999-detail not confirmed by Garmin");
	/* Garmin's own details of an activity that is not a run: no run. */
	snprintf(body, sizeof(body), "{\"user_id\":\"%s\",\"start\":%lld,"
	    "\"distance_m\":20000,\"duration\":3600,\"type\":\"CYCLING\"}",
	    rn.garmin, rn.start + 86400);
	j = gs_json(c, "POST", "/_sandbox/activities", body, &st);
	cr_assert_eq(st, 201);
	snprintf(body, sizeof(body), "%s-detail", json_string_value(
	    json_object_get(j, "summaryId")));
	json_decref(j);
	cr_assert(jobs_settled(rn.user));
	cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM jobs WHERE"
	    " user_id = '%s' AND kind = 'garmin.details' AND dedup_key LIKE"
	    " '%%%s' AND state = 'done')", rn.user, body));
	cr_assert_str_eq(db_value("SELECT note FROM jobs WHERE user_id = '%s'"
	    " AND kind = 'garmin.details' AND dedup_key LIKE '%%%s'", rn.user,
	    body), "details stored on 0 runs of 1 (0 refused, 1 without a"
	    " Garmin run)");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), "1");
	cr_assert_str_eq(details_of(sid), before);
}

/* tmpl with T0 as t and T1 as t - 100 (a time before it) into out. */
static void
with_times(char *out, size_t n, const char *tmpl, long long t)
{
	buf_t		 b = BUF_INIT;
	const char	*p;

	for (p = tmpl; *p != '\0'; p++)
		if (p[0] == 'T' && (p[1] == '0' || p[1] == '1')) {
			buf_printf(&b, "%lld", p[1] == '0' ? t : t - 100);
			p++;
		} else {
			buf_putc(&b, *p);
		}
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

Test(garmin_activities, malformed_samples_change_nothing)
{
	static const char *const bad[] = {
		/* a latitude off the Earth */
		"[{\"startTimeInSeconds\":T0,\"latitudeInDegree\":123,"
		"\"longitudeInDegree\":8}]",
		/* NaN-like: a string where a number goes */
		"[{\"startTimeInSeconds\":T0,\"latitudeInDegree\":\"NaN\","
		"\"longitudeInDegree\":8}]",
		/* times going backwards */
		"[{\"startTimeInSeconds\":T0,\"totalDistanceInMeters\":0},"
		"{\"startTimeInSeconds\":T1,\"totalDistanceInMeters\":5}]",
		/* a billion metres */
		"[{\"startTimeInSeconds\":T0,\"totalDistanceInMeters\":1e9}]",
		/* a heart rate of 1e300 */
		"[{\"startTimeInSeconds\":T0,\"heartRate\":1e300}]",
	};
	struct runner	 rn;
	char		 samples[1024], sid[64];
	long long	 day;
	size_t		 i;

	runner_plan("gdbad", "ACTIVITY_EXPORT", &rn);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		day = rn.start - (long long)i * 86400;
		with_times(samples, sizeof(samples), bad[i], day);
		snprintf(sid, sizeof(sid), "%s", record_with_samples(&rn, day,
		    samples));
		cr_assert(wait_true(JOB_WAIT_S, "EXISTS (SELECT 1 FROM jobs"
		    " WHERE user_id = '%s' AND kind = 'garmin.details' AND"
		    " dedup_key LIKE '%%%s-detail' AND state = 'done')",
		    rn.user, sid), "sample set %zu: %s", i, db_value("SELECT"
		    " string_agg(kind || ' ' || state || ' ' || COALESCE(note,"
		    " ''), ' | ') FROM jobs WHERE user_id = '%s'", rn.user));
		cr_assert_str_eq(db_value("SELECT note FROM jobs WHERE user_id ="
		    " '%s' AND kind = 'garmin.details' AND dedup_key LIKE"
		    " '%%%s-detail'", rn.user, sid), "details stored on 0 runs"
		    " of 1 (1 refused, 0 without a Garmin run)", "set %zu", i);
		/* The run is there, from its summary, untouched. */
		cr_assert_str_eq(details_of(sid), "-:-:-:0", "set %zu", i);
	}
	/* The job worker is alive: a good run still gets its details. */
	snprintf(sid, sizeof(sid), "%s", gs_record(c, rn.garmin, rn.start -
	    7 * 86400, 5000, 1500));
	cr_assert(details_stored(rn.user, sid));
}

/*
 * Garmin pushes details with a sample a second: a 4-hour run's push is
 * some 2.6 MB, past the 1 MB every other request may carry.  It is taken
 * (not 413, which Garmin would retry and then drop), acknowledged before
 * Garmin's timeout, and its samples are still not believed: what is
 * stored is what Garmin answers to our pull.
 */
Test(garmin_activities, a_long_run_s_pushed_details_are_taken)
{
	struct runner	 rn;
	char		 sid[64], before[256];
	buf_t		 b = BUF_INIT;
	double		 secs;
	int		 i;

	runner_plan("gdlong", "ACTIVITY_EXPORT", &rn);
	snprintf(sid, sizeof(sid), "%s", gs_record(c, rn.garmin, rn.start,
	    rn.distance_m, 1800));
	cr_assert(details_stored(rn.user, sid));
	cr_assert(jobs_settled(rn.user));
	snprintf(before, sizeof(before), "%s", details_of(sid));
	buf_printf(&b, "{\"activityDetails\":[{\"userId\":\"%s\",\"summaryId\":"
	    "\"%s-detail\",\"samples\":[", rn.garmin, sid);
	for (i = 0; i < 4 * 3600; i++)
		buf_printf(&b, "%s{\"startTimeInSeconds\":%lld,"
		    "\"latitudeInDegree\":%.7f,\"longitudeInDegree\":2.35,"
		    "\"elevationInMeters\":35.0,\"heartRate\":150,"
		    "\"speedMetersPerSecond\":3.0,\"totalDistanceInMeters\":%.1f,"
		    "\"timerDurationInSeconds\":%d}", i ? "," : "",
		    rn.start + i, 48.85 + i * 3.0 / 111195.0, i * 3.0, i);
	buf_puts(&b, "]}]}");
	cr_assert_gt(b.len, 2 * 1024 * 1024, "%zu bytes", b.len);
	cr_assert_eq(post_notification(buf_cstr(&b), &secs), 200);
	cr_assert_lt(secs, 2.0, "acknowledged in %.3f s", secs);
	cr_log_info("a %zu-byte push of details acknowledged in %.3f s",
	    b.len, secs);
	cr_assert(jobs_settled(rn.user));
	cr_assert_str_eq(details_of(sid), before);
	buf_free(&b);
}
