/*
 * Strava webhooks end to end, against the sandbox (SANDBOX_URL) through
 * nginx and the pool: `cadence strava subscribe | subscription |
 * unsubscribe` (the sandbox sends its real validation GET to our
 * /strava/webhook), and deauthorization safety: a forged `athlete`
 * deauthorization keeps the runner's data; a real one (the runner revoked
 * access at Strava, which then sends the event itself) deletes it and
 * re-derives the workouts it had completed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "strava_helpers.h"

#define WAIT_SECONDS	20

static struct client *c;

static void
setup(void)
{
	c = client_new();
	/* Other tests' 429 storms must not leave our budget spent. */
	json_decref(sb_call(c, "POST", "/_sandbox/reset-usage", "", false,
	    NULL));
	db_exec_sql("UPDATE strava_rate_limit SET usage_15min = 0,"
	    " usage_daily = 0, read_usage_15min = 0, read_usage_daily = 0");
}

static void
teardown(void)
{
	char out[2048];

	/* Leave no subscription behind: other suites post foreign ids. */
	cadence_cmd(out, sizeof(out), "", "strava unsubscribe");
	client_free(c);
}

TestSuite(strava_webhook, .init = setup, .fini = teardown, .timeout = 90);

/* The id of the sandbox's subscription (0: none). */
static long long
sandbox_subscription(char *callback, size_t len)
{
	json_t		*j = sb_call(c, "GET", "/api/v3/push_subscriptions?"
			    "client_id=1000&client_secret=sandbox-secret", NULL,
			    false, NULL);
	json_t		*s = json_array_get(j, 0);
	long long	 id = json_integer_value(json_object_get(s, "id"));

	cr_assert(json_is_array(j));
	if (callback != NULL)
		snprintf(callback, len, "%s", s != NULL ? json_string_value(
		    json_object_get(s, "callback_url")) : "");
	json_decref(j);
	return id;
}

Test(strava_webhook, subscribe_subscription_unsubscribe)
{
	char		 out[4096], callback[512], want[512], idtext[32];
	long long	 id;

	test_unsubscribe();
	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava subscription"),
	    3, "%s", out);
	cr_assert(strstr(out, "strava:  no subscription") != NULL, "%s", out);

	/* The sandbox validates against our GET /strava/webhook. */
	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava subscribe"), 0,
	    "%s", out);
	cr_assert(strstr(out, "subscribed: subscription ") != NULL, "%s", out);
	id = sandbox_subscription(callback, sizeof(callback));
	cr_assert_gt(id, 0);
	snprintf(want, sizeof(want), "%s/strava/webhook", site_url());
	cr_assert_str_eq(callback, want);
	cr_assert_eq(db_long_value("SELECT id FROM strava_webhook_subscription"),
	    id);
	cr_assert_eq(db_long_value("SELECT count(*) FROM "
	    "strava_webhook_subscription"), 1);

	/* Idempotent: the subscription Strava has for us is reused. */
	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava subscribe"), 0,
	    "%s", out);
	cr_assert(strstr(out, "reused") != NULL, "%s", out);
	cr_assert_eq(sandbox_subscription(NULL, 0), id);

	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava subscription"),
	    0, "%s", out);
	snprintf(idtext, sizeof(idtext), "strava:  subscription %lld", id);
	cr_assert(strstr(out, idtext) != NULL, "%s", out);
	snprintf(idtext, sizeof(idtext), "cadence: subscription %lld", id);
	cr_assert(strstr(out, idtext) != NULL, "%s", out);

	/* Events of another subscription are now dropped (answered 200
	 * like ours: a forger learns nothing from trying ids). */
	{
		static const char *const jh[] = {
		    "Content-Type: application/json", NULL };
		struct http_resp r;
		char body[256];

		snprintf(body, sizeof(body), "{\"aspect_type\":\"create\","
		    "\"event_time\":1,\"object_id\":1,\"object_type\":"
		    "\"activity\",\"owner_id\":1,\"subscription_id\":%lld}",
		    id + 1);
		cr_assert_eq(client_req(c, "POST", "/strava/webhook", body, jh,
		    &r), 200);
		resp_done(&r);
		cr_assert_eq(db_long_value("SELECT count(*) FROM "
		    "strava_webhook_events WHERE object_id = 1 AND "
		    "strava_athlete_id = 1 AND event_time = to_timestamp(1) AT "
		    "TIME ZONE 'UTC'"), 0);
	}

	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava unsubscribe"),
	    0, "%s", out);
	cr_assert(strstr(out, "unsubscribed") != NULL, "%s", out);
	cr_assert_eq(sandbox_subscription(NULL, 0), 0);
	cr_assert_eq(db_long_value("SELECT count(*) FROM "
	    "strava_webhook_subscription"), 0);
	cr_assert_eq(cadence_cmd(out, sizeof(out), "", "strava unsubscribe"),
	    0, "%s", out);
	cr_assert(strstr(out, "no subscription") != NULL, "%s", out);
}

Test(strava_webhook, subscribe_fails_clearly_when_validation_fails)
{
	char out[4096];

	test_unsubscribe();
	/* Our callback answers 403 to a token it does not know. */
	cr_assert_eq(cadence_cmd(out, sizeof(out),
	    "STRAVA_WEBHOOK_VERIFY_TOKEN=not-the-servers-token",
	    "strava subscribe"), 1, "%s", out);
	cr_assert(strstr(out, "callback url") != NULL, "%s", out);
	cr_assert(strstr(out, "/strava/webhook") != NULL, "%s", out);
	cr_assert_eq(sandbox_subscription(NULL, 0), 0);
	cr_assert_eq(db_long_value("SELECT count(*) FROM "
	    "strava_webhook_subscription"), 0);
	cr_assert_eq(cadence_cmd(out, sizeof(out), "STRAVA_CLIENT_SECRET=",
	    "strava subscription"), 2, "%s", out);
}

/* Today's UTC date, YYYY-MM-DD. */
static const char *
utc_today(void)
{
	static char	 d[16];
	time_t		 t = time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(d, sizeof(d), "%Y-%m-%d", &tm);
	return d;
}

/* An active plan with a 10 km easy run today; returns the workout id. */
static const char *
plan_with_workout_today(const char *user_id)
{
	static char id[64];

	cr_assert_eq(db_exec_sql("INSERT INTO training_plans (user_id, name,"
	    " race_distance, race_date, start_date, total_weeks) VALUES ('%s',"
	    " 'Webhook plan', 42195, DATE '%s' + 70, DATE '%s' - 14, 12)",
	    user_id, utc_today(), utc_today()), 1);
	snprintf(id, sizeof(id), "%s", db_value("INSERT INTO workouts"
	    " (training_plan_id, week_number, scheduled_date, workout_type,"
	    " distance, duration_estimate) SELECT id, 3, DATE '%s', 'easy',"
	    " 10000, 55 FROM training_plans WHERE user_id = '%s' RETURNING id",
	    utc_today(), user_id));
	cr_assert_neq(id[0], '\0');
	return id;
}

/* Records a 10 km run today in the sandbox (sends the create event). */
static long long
record_run(long long athlete)
{
	char		 body[256];
	json_t		*j;
	long		 st;
	long long	 id;

	snprintf(body, sizeof(body), "athlete_id=%lld&date=%s&time=00:05"
	    "&timezone=UTC&distance_km=10&duration=52:00&name=Webhook%%20run",
	    athlete, utc_today());
	j = sb_call(c, "POST", "/_sandbox/activities", body, false, &st);
	cr_assert_eq(st, 201);
	id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static long
post_event(const char *body)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	r;
	long			st = client_req(c, "POST", "/strava/webhook",
				    body, jh, &r);

	resp_done(&r);
	return st;
}

Test(strava_webhook, forged_deauthorization_keeps_the_data)
{
	long long	 athlete = sb_new_athlete(c, "Forged");
	const char	*user;
	char		 uid[64], body[512];
	long long	 act;

	test_unsubscribe();	/* the forger needs no subscription id */
	user = sb_connect_runner(c, athlete);
	snprintf(uid, sizeof(uid), "%s", user);
	test_subscribe();
	act = record_run(athlete);
	cr_assert(wait_true(WAIT_SECONDS, "EXISTS (SELECT 1 FROM "
	    "strava_activities WHERE strava_activity_id = %lld)", act));

	snprintf(body, sizeof(body), "{\"aspect_type\":\"update\","
	    "\"event_time\":%lld,\"object_id\":%lld,\"object_type\":\"athlete\","
	    "\"owner_id\":%lld,\"subscription_id\":%s,\"updates\":"
	    "{\"authorized\":\"false\"}}", (long long)time(NULL), athlete,
	    athlete, db_value("SELECT id FROM strava_webhook_subscription"));
	cr_assert_eq(post_event(body), 200);
	cr_assert(wait_true(WAIT_SECONDS, "(SELECT bool_and(processed) FROM "
	    "strava_webhook_events WHERE object_type = 'athlete' AND "
	    "strava_athlete_id = %lld)", athlete));
	cr_assert_str_eq(db_value("SELECT note FROM strava_webhook_events "
	    "WHERE object_type = 'athlete' AND strava_athlete_id = %lld",
	    athlete), "deauthorization not confirmed by Strava");
	cr_assert_str_eq(db_value("SELECT strava_access_token IS NOT NULL AND "
	    "strava_refresh_token IS NOT NULL FROM users WHERE id = '%s'", uid),
	    "t");
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities "
	    "WHERE user_id = '%s'", uid), 1);
	/* And the connection still works: Strava was asked, not fooled. */
	cr_assert_neq(sb_access_token(c, athlete)[0], '\0');
}

Test(strava_webhook, real_deauthorization_deletes_the_data)
{
	long long	 athlete = sb_new_athlete(c, "Leaver");
	char		 uid[64], workout[64], form[256], url[512];
	struct http_resp r;
	long long	 act;

	snprintf(uid, sizeof(uid), "%s", sb_connect_runner(c, athlete));
	snprintf(workout, sizeof(workout), "%s", plan_with_workout_today(uid));
	test_subscribe();
	act = record_run(athlete);
	cr_assert(wait_true(WAIT_SECONDS, "(SELECT completed_at IS NOT NULL "
	    "FROM workouts WHERE id = '%s')", workout),
	    "the run did not complete today's workout");
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities "
	    "WHERE strava_activity_id = %lld", act), 1);

	/* The runner revokes Cadence at Strava; Strava sends the event. */
	snprintf(form, sizeof(form), "access_token=%s",
	    sb_access_token(c, athlete));
	snprintf(url, sizeof(url), "%s/oauth/deauthorize", sandbox_url());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 200);
	resp_done(&r);

	cr_assert(wait_true(WAIT_SECONDS, "(SELECT strava_access_token IS NULL"
	    " FROM users WHERE id = '%s')", uid), "tokens not deleted");
	cr_assert(wait_true(WAIT_SECONDS, "(SELECT bool_and(processed) FROM "
	    "strava_webhook_events WHERE object_type = 'athlete' AND "
	    "strava_athlete_id = %lld)", athlete));
	cr_assert_str_eq(db_value("SELECT note FROM strava_webhook_events "
	    "WHERE object_type = 'athlete' AND strava_athlete_id = %lld",
	    athlete), "deauthorized: tokens and 1 activities deleted");
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities "
	    "WHERE user_id = '%s'", uid), 0);
	/*
	 * Same transaction: the completion went with the run, but the
	 * workout stays done as the runner's own record (issue 15.1), with
	 * the time the run ended.
	 */
	cr_assert_str_eq(db_value("SELECT manual_status || ' ' ||"
	    " (completed_at IS NOT NULL) FROM workouts WHERE id = '%s'",
	    workout), "done true");
	cr_assert_eq(db_long_value("SELECT count(*) FROM workout_completions "
	    "cw JOIN workouts w ON w.id = cw.workout_id WHERE w.id = '%s'",
	    workout), 0);
}
