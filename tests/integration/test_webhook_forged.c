/*
 * Forged webhooks against the sandbox (issue 12, item 3): Strava's
 * webhooks are unsigned, and athlete and activity ids are public, so an
 * event only ever means "ask Strava".  Through nginx, the pool, the job
 * worker and the sandbox, with runners connected through the real OAuth
 * pages:
 *   - a forged delete deletes nothing; a real one still does;
 *   - forged creates for made-up ids cost at most three calls each, and
 *     none after Strava's eventual-consistency window;
 *   - one event sent three times is fetched once; one fetch in flight per
 *     activity, answering the events that came before it;
 *   - an activity made private for a runner who granted only
 *     activity:read is removed; a forged "private" removes nothing;
 *   - a 401 for a missing scope asks the runner to re-authorise instead
 *     of refreshing in a loop; a REST 400 is not "unauthorized";
 *   - over a runner's intake limit, events are caught up by one resync;
 *   - forged deauthorizations cost one check per runner and interval.
 * Strava calls are counted by the sandbox (GET /_sandbox/usage).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "strava_helpers.h"

#define WAIT_SECONDS	20
#define LOCK_CLASS	761407	/* db/webhooks.c FETCH_LOCK_CLASS */

static struct client	*c;
static long long	 sub;	/* the subscription id events carry */

static void
setup(void)
{
	c = client_new();
	json_decref(sb_call(c, "POST", "/_sandbox/reset-usage", "", false,
	    NULL));
	db_exec_sql("UPDATE strava_rate_limit SET usage_15min = 0,"
	    " usage_daily = 0, read_usage_15min = 0, read_usage_daily = 0");
	test_subscribe();
	sub = db_long_value("SELECT id FROM strava_webhook_subscription");
	/* The limits' windows start afresh (other suites lift them). */
	db_exec_sql("DELETE FROM strava_webhook_intake_counts");
}

static void
teardown(void)
{
	char out[2048];

	sb_config(c, "{\"fail_next_400\":0}");
	db_exec_sql("DELETE FROM strava_webhook_settings;"
	    " INSERT INTO strava_webhook_settings DEFAULT VALUES;"
	    " DELETE FROM strava_webhook_intake_counts");
	cadence_cmd(out, sizeof(out), "", "strava unsubscribe");
	client_free(c);
}

TestSuite(webhook_forged, .init = setup, .fini = teardown, .timeout = 90);

/* ---- helpers ------------------------------------------------------------- */

/* An event as Strava (or a forger) posts it; time: event_time. */
static const char *
event(long long owner, long long object, const char *aspect,
    const char *updates, long long when)
{
	static char b[512];

	snprintf(b, sizeof(b), "{\"aspect_type\":\"%s\",\"event_time\":%lld,"
	    "\"object_id\":%lld,\"object_type\":\"activity\",\"owner_id\":%lld,"
	    "\"subscription_id\":%lld,\"updates\":%s}", aspect, when, object,
	    owner, sub, updates);
	return b;
}

static void
forge(long long owner, long long object, const char *aspect,
    const char *updates, long long when)
{
	cr_assert_eq(post_webhook(c, event(owner, object, aspect, updates,
	    when)), 200);
}

/* All events of (athlete, object) are done (processed or failed). */
static bool
settled(long long athlete, long long object, double seconds)
{
	return wait_true(seconds, "NOT EXISTS (SELECT 1 FROM "
	    "strava_webhook_events WHERE strava_athlete_id = %lld AND "
	    "object_id = %lld AND NOT processed AND failed_at IS NULL) AND "
	    "EXISTS (SELECT 1 FROM strava_webhook_events WHERE "
	    "strava_athlete_id = %lld AND object_id = %lld)", athlete, object,
	    athlete, object);
}

static bool
stored(long long activity)
{
	return db_long_value("SELECT count(*) FROM strava_activities WHERE "
	    "strava_activity_id = %lld", activity) == 1;
}

/* A runner connected with scope; their id into uid. */
static long long
runner(const char *name, const char *scope, char uid[64])
{
	long long athlete = sb_new_athlete(c, name);

	snprintf(uid, 64, "%s", sb_connect_runner_scope(c, athlete, scope));
	return athlete;
}

/* Records a 10 km run now at the sandbox (sends the create event). */
static long long
record_run(long long athlete)
{
	char		 body[256];
	json_t		*j;
	long		 st;
	long long	 id;

	snprintf(body, sizeof(body), "athlete_id=%lld&timezone=UTC"
	    "&distance_km=10&duration=52:00&name=Forged%%20test", athlete);
	j = sb_call(c, "POST", "/_sandbox/activities", body, false, &st);
	cr_assert_eq(st, 201);
	id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	cr_assert(wait_true(WAIT_SECONDS, "EXISTS (SELECT 1 FROM "
	    "strava_activities WHERE strava_activity_id = %lld)", id),
	    "the run did not arrive");
	return id;
}

static void
settings(const char *assignments)
{
	cr_assert_eq(db_exec_sql("UPDATE strava_webhook_settings SET %s",
	    assignments), 1);
}

/* ---- deletes ------------------------------------------------------------- */

Test(webhook_forged, a_forged_delete_deletes_nothing)
{
	char		 uid[64];
	long long	 athlete = runner("Kept", "read,activity:read_all", uid);
	long long	 act = record_run(athlete);
	long		 calls;

	/* The run completed nothing yet; give it a completion to lose. */
	db_exec_sql("INSERT INTO training_plans (user_id, name, race_distance,"
	    " race_date, start_date, total_weeks) VALUES ('%s', 'Forged', 42195,"
	    " CURRENT_DATE + 70, CURRENT_DATE - 14, 12)", uid);
	db_exec_sql("INSERT INTO workouts (training_plan_id, week_number,"
	    " scheduled_date, workout_type, distance, duration_estimate) SELECT"
	    " id, 3, CURRENT_DATE, 'easy', 10000, 55 FROM training_plans WHERE"
	    " user_id = '%s'", uid);
	db_exec_sql("INSERT INTO workout_completions (workout_id,"
	    " strava_activity_id, matched_automatically) SELECT w.id, a.id,"
	    " FALSE FROM workouts w, strava_activities a WHERE"
	    " a.strava_activity_id = %lld AND w.training_plan_id = (SELECT id"
	    " FROM training_plans WHERE user_id = '%s')", act, uid);
	settings("not_found_window_seconds = 3");
	calls = sb_calls(c);
	forge(athlete, act, "delete", "{}", (long long)time(NULL));
	cr_assert(settled(athlete, act, WAIT_SECONDS));
	cr_assert(stored(act), "a forged delete deleted the activity");
	cr_assert_eq(db_long_value("SELECT count(*) FROM workout_completions c"
	    " JOIN strava_activities a ON a.id = c.strava_activity_id WHERE"
	    " a.strava_activity_id = %lld", act), 1);
	cr_assert_str_eq(db_value("SELECT note FROM strava_webhook_events WHERE"
	    " object_id = %lld AND aspect_type = 'delete'", act), "delete not "
	    "confirmed by Strava: the activity is still there (kept)");
	/* Asked within the window (Strava may lag), never after it. */
	cr_assert_leq(sb_calls(c) - calls, 3);
}

Test(webhook_forged, a_real_delete_still_deletes)
{
	char		 uid[64], path[96];
	long long	 athlete = runner("Deleter", "read,activity:read_all",
			    uid);
	long long	 act = record_run(athlete);
	long		 st;

	snprintf(path, sizeof(path), "/_sandbox/activities/%lld", act);
	json_decref(sb_call(c, "DELETE", path, NULL, false, &st));
	cr_assert_eq(st, 204);
	cr_assert(wait_true(WAIT_SECONDS, "NOT EXISTS (SELECT 1 FROM "
	    "strava_activities WHERE strava_activity_id = %lld)", act),
	    "Strava's own delete was not applied");
	cr_assert(settled(athlete, act, WAIT_SECONDS));
}

/* ---- what forged events cost ----------------------------------------------- */

/*
 * Made-up ids of a real runner: each answered 404.  Asked again only
 * within the not-found window (here 6 s: at 0, 1 and 4 s), then done
 * with a note, not retried for ten minutes as before (8 calls each).
 */
Test(webhook_forged, forged_creates_cost_at_most_three_calls_each)
{
	char		 uid[64];
	long long	 athlete = runner("Costly", "read,activity:read_all",
			    uid);
	long long	 fake = 99000000000LL + athlete * 10;
	long		 calls, spent;
	double		 t0;
	int		 i;

	settings("not_found_window_seconds = 6");
	calls = sb_calls(c);
	t0 = mono_now();
	for (i = 0; i < 5; i++)
		forge(athlete, fake + i, "create", "{}", (long long)time(NULL));
	for (i = 0; i < 5; i++)
		cr_assert(settled(athlete, fake + i, WAIT_SECONDS),
		    "event %d still retrying after %.1f s", i, mono_now() - t0);
	spent = sb_calls(c) - calls;
	cr_log_info("5 forged creates: %ld Strava calls, settled in %.1f s",
	    spent, mono_now() - t0);
	cr_assert_leq(spent, 15, "%ld calls for 5 forged creates", spent);
	cr_assert_geq(spent, 5);
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE strava_athlete_id = %lld AND (failed_at IS NOT NULL OR note"
	    " NOT LIKE 'activity not on Strava%%')", athlete), 0);
	/* Nothing more happens later. */
	sleep(2);
	cr_assert_eq(sb_calls(c) - calls, spent);
}

Test(webhook_forged, one_event_sent_three_times_is_fetched_once)
{
	char		 uid[64], body[512];
	long long	 athlete = runner("Thrice", "read,activity:read_all",
			    uid);
	long long	 act = sb_quiet_activity(c, athlete);
	long		 calls = sb_calls(c);
	int		 i;

	snprintf(body, sizeof(body), "%s", event(athlete, act, "create", "{}",
	    (long long)time(NULL)));
	for (i = 0; i < 3; i++)		/* Strava: up to three attempts */
		cr_assert_eq(post_webhook(c, body), 200);
	cr_assert(settled(athlete, act, WAIT_SECONDS));
	cr_assert(stored(act));
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE object_id = %lld", act), 1);
	cr_assert_eq(sb_calls(c) - calls, 1);
}

/*
 * The test's own connection holds the activity's fetch lock, as another
 * host's job worker would: no call while it does; then one fetch answers
 * the four events that waited.
 */
Test(webhook_forged, one_fetch_in_flight_per_activity_answering_the_waiting)
{
	char		 uid[64];
	long long	 athlete = runner("Single", "read,activity:read_all",
			    uid);
	long long	 act = sb_quiet_activity(c, athlete);
	long long	 now = (long long)time(NULL);
	long		 calls = sb_calls(c);

	cr_assert_str_eq(db_value("SELECT 'held' FROM (SELECT pg_advisory_lock("
	    "%d, hashtext('%lld:%lld'))) l", LOCK_CLASS, athlete, act), "held");
	forge(athlete, act, "create", "{}", now);
	forge(athlete, act, "update", "{\"title\":\"A\"}", now + 1);
	forge(athlete, act, "update", "{\"title\":\"B\"}", now + 2);
	forge(athlete, act, "update", "{}", now + 3);
	cr_assert(wait_true(WAIT_SECONDS, "(SELECT count(*) FROM "
	    "strava_webhook_events WHERE object_id = %lld AND error_message ="
	    " 'another fetch of this activity is in flight') > 0", act));
	sleep(1);
	cr_assert_eq(sb_calls(c) - calls, 0, "fetched while another fetch "
	    "of the activity was in flight");
	cr_assert_str_eq(db_value("SELECT pg_advisory_unlock(%d, hashtext("
	    "'%lld:%lld'))", LOCK_CLASS, athlete, act), "t");
	cr_assert(settled(athlete, act, WAIT_SECONDS));
	cr_assert(stored(act));
	cr_assert_eq(sb_calls(c) - calls, 1);
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE object_id = %lld AND note LIKE 'covered by the fetch for "
	    "event %%'", act), 3);
}

/* ---- privacy --------------------------------------------------------------- */

Test(webhook_forged, made_private_for_an_activity_read_runner_is_removed)
{
	char		 uid[64], path[96];
	long long	 athlete = runner("Private", "read,activity:read", uid);
	long long	 act = record_run(athlete);
	long		 st;

	snprintf(path, sizeof(path), "/_sandbox/activities/%lld", act);
	json_decref(sb_call(c, "PUT", path, "private=true", false, &st));
	cr_assert_eq(st, 200);
	cr_assert(wait_true(WAIT_SECONDS, "NOT EXISTS (SELECT 1 FROM "
	    "strava_activities WHERE strava_activity_id = %lld)", act),
	    "a run made private stayed in Cadence");
}

Test(webhook_forged, a_forged_private_update_removes_nothing)
{
	char		 uid[64];
	long long	 athlete = runner("Public", "read,activity:read", uid);
	long long	 act = record_run(athlete);

	forge(athlete, act, "update", "{\"private\":\"true\"}",
	    (long long)time(NULL));
	cr_assert(settled(athlete, act, WAIT_SECONDS));
	cr_assert(stored(act), "a forged private update removed the run");
}

/* ---- answers that are not "refresh and retry" ------------------------------ */

static const char *
sandbox_refresh_token(long long athlete)
{
	static char	 tok[128];
	json_t		*j = sb_call(c, "GET", "/_sandbox/tokens", NULL, false,
			    NULL), *g;
	size_t		 i;

	tok[0] = '\0';
	json_array_foreach(j, i, g)
		if (json_integer_value(json_object_get(g, "athlete_id")) ==
		    athlete && !json_is_true(json_object_get(g, "revoked")))
			snprintf(tok, sizeof(tok), "%s", json_string_value(
			    json_object_get(g, "refresh_token")));
	json_decref(j);
	return tok;
}

Test(webhook_forged, a_missing_scope_asks_for_reauthorisation_not_refreshes)
{
	char		 uid[64], body[128], refresh[128];
	long long	 athlete = runner("Scope", "read,activity:read_all", uid);
	long long	 act = sb_quiet_activity(c, athlete), other;
	long		 calls, st;

	/* The athlete authorizes again elsewhere, with "read" only. */
	snprintf(body, sizeof(body), "athlete_id=%lld&scope=read", athlete);
	json_decref(sb_call(c, "POST", "/_sandbox/tokens/scope", body, false,
	    &st));
	cr_assert_eq(st, 200);
	snprintf(refresh, sizeof(refresh), "%s", sandbox_refresh_token(athlete));
	calls = sb_calls(c);
	forge(athlete, act, "create", "{}", (long long)time(NULL));
	cr_assert(settled(athlete, act, WAIT_SECONDS), "still retrying");
	cr_assert_str_eq(db_value("SELECT strava_needs_reconnect::text || ' ' "
	    "|| COALESCE(strava_scope_missing, '-') FROM users WHERE id = "
	    "'%s'", uid), "true activity:read");
	cr_assert_str_eq(db_value("SELECT note FROM strava_webhook_events WHERE"
	    " object_id = %lld", act), "Strava says the token lacks "
	    "activity:read: the runner must authorize again");
	cr_assert_eq(sb_calls(c) - calls, 1);
	cr_assert_str_eq(sandbox_refresh_token(athlete), refresh,
	    "the token was refreshed");
	/* Later events cost nothing until the runner authorizes again. */
	other = sb_quiet_activity(c, athlete);
	forge(athlete, other, "create", "{}", (long long)time(NULL));
	cr_assert(settled(athlete, other, WAIT_SECONDS));
	cr_assert_eq(sb_calls(c) - calls, 1);
	cr_assert_str_eq(sandbox_refresh_token(athlete), refresh);
}

Test(webhook_forged, a_rest_400_is_not_unauthorized)
{
	char		 uid[64], expiry[64];
	long long	 athlete = runner("Bad", "read,activity:read_all", uid);
	long long	 act = sb_quiet_activity(c, athlete);

	snprintf(expiry, sizeof(expiry), "%s", db_value("SELECT "
	    "strava_token_expires_at FROM users WHERE id = '%s'", uid));
	sb_config(c, "{\"fail_next_400\":1}");
	forge(athlete, act, "create", "{}", (long long)time(NULL));
	cr_assert(settled(athlete, act, WAIT_SECONDS), "still retrying");
	cr_assert_str_eq(db_value("SELECT (failed_at IS NOT NULL)::text || ' ' "
	    "|| error_message FROM strava_webhook_events WHERE object_id = "
	    "%lld", act), "true HTTP 400 from Strava");
	/* The token was not taken for expired: no refresh, no reconnect. */
	cr_assert_str_eq(db_value("SELECT strava_token_expires_at FROM users "
	    "WHERE id = '%s'", uid), expiry);
	cr_assert_str_eq(db_value("SELECT strava_needs_reconnect FROM users "
	    "WHERE id = '%s'", uid), "f");
}

/* ---- limits ------------------------------------------------------------------ */

#define OVER_RUNS	12
#define OVER_LIMIT	3

/*
 * Over the runner's limit, events are dropped but owed a resync: the
 * runner's history is listed again (one call a page), so every run
 * arrives while a flood of forged events costs a bounded number of calls.
 */
Test(webhook_forged, over_the_runner_limit_one_resync_catches_up)
{
	char		 uid[64], body[128];
	long long	 athlete = runner("Flood", "read,activity:read_all", uid);
	long long	 first, now = (long long)time(NULL);
	long		 calls;
	json_t		*j;
	int		 i;

	settings("athlete_limit = 3, resync_delay_seconds = 1");
	snprintf(body, sizeof(body), "{\"count\":%d,\"athlete_id\":%lld,"
	    "\"interval\":3600}", OVER_RUNS, athlete);
	j = sb_call(c, "POST", "/_sandbox/activities/bulk", body, true, NULL);
	first = json_integer_value(json_object_get(j, "first_id"));
	json_decref(j);
	calls = sb_calls(c);
	for (i = 0; i < OVER_RUNS; i++)
		forge(athlete, first + i, "create", "{}", now);
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE strava_athlete_id = %lld", athlete), OVER_LIMIT);
	cr_assert(wait_true(WAIT_SECONDS, "(SELECT count(*) FROM "
	    "strava_activities WHERE user_id = '%s') = %d", uid, OVER_RUNS),
	    "the resync did not bring the dropped runs");
	cr_assert(wait_true(WAIT_SECONDS, "(SELECT status = 'done' FROM "
	    "strava_imports WHERE user_id = '%s')", uid));
	cr_log_info("%d events over a limit of %d: %ld Strava calls",
	    OVER_RUNS, OVER_LIMIT, sb_calls(c) - calls);
	cr_assert_leq(sb_calls(c) - calls, OVER_LIMIT + 1);
}

/*
 * Each deauthorization costs a call to confirm: one waits per runner, and
 * the next not before deauth_check_seconds after the last check (delayed,
 * not dropped: a real one still gets its check).
 */
Test(webhook_forged, forged_deauthorizations_cost_one_check_per_interval)
{
	char		 uid[64], body[512];
	long long	 athlete = runner("Deauth", "read,activity:read_all", uid);
	long long	 now = (long long)time(NULL);
	long		 calls = sb_calls(c);
	int		 i;

	for (i = 0; i < 5; i++) {
		snprintf(body, sizeof(body), "{\"aspect_type\":\"update\","
		    "\"event_time\":%lld,\"object_id\":%lld,\"object_type\":"
		    "\"athlete\",\"owner_id\":%lld,\"subscription_id\":%lld,"
		    "\"updates\":{\"authorized\":false}}", now + i, athlete,
		    athlete, sub);
		cr_assert_eq(post_webhook(c, body), 200);
		/* The first is checked (and found forged) before the next. */
		if (i == 0)
			cr_assert(wait_true(WAIT_SECONDS, "EXISTS (SELECT 1 FROM "
			    "strava_webhook_events WHERE strava_athlete_id = %lld"
			    " AND object_type = 'athlete' AND processed)",
			    athlete));
	}
	sleep(1);
	cr_assert_eq(sb_calls(c) - calls, 1, "one check, not five");
	/* One more waits for the interval; the rest were not stored. */
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE strava_athlete_id = %lld AND object_type = 'athlete'",
	    athlete), 2);
	cr_assert_str_eq(db_value("SELECT j.next_attempt_at > NOW() + interval"
	    " '500 seconds' FROM jobs j JOIN strava_webhook_events e ON"
	    " j.dedup_key = e.id::text AND j.kind = 'strava.event' WHERE"
	    " e.strava_athlete_id = %lld AND e.object_type = 'athlete' AND NOT"
	    " e.processed AND j.state = 'waiting'", athlete), "t");
	cr_assert_str_eq(db_value("SELECT strava_access_token IS NOT NULL FROM "
	    "users WHERE id = '%s'", uid), "t");
}
