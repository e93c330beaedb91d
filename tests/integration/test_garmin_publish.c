/*
 * Workouts out: the plan's next 14 days on the runner's Garmin calendar
 * (the sandbox's Training API), kept in step with edits and deletions,
 * and a failure retried and shown on settings.
 * Alone: scripts/itest.sh with the garmin_publish suite's filter.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "garmin_helpers.h"
#include "strava_helpers.h"

#define JOB_WAIT_S	30

static struct client *c;

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

TestSuite(garmin_publish, .init = setup, .fini = teardown, .timeout = 150);

/* The workouts of the runner's next 14 days, not skipped. */
#define UPCOMING \
    " FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id" \
    " WHERE p.user_id = '%s' AND p.is_active" \
    "   AND COALESCE(w.manual_status, '') <> 'skipped'" \
    "   AND w.scheduled_date >= current_date" \
    "   AND w.scheduled_date < current_date + 14"

static void
make_plan(void)
{
	struct http_resp	 r;
	char			 form[1024], race[16];

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
}

/* The sandbox's schedules of user: how many, and whether id is one. */
static int
schedules(const char *user, long long workout_id, bool *has)
{
	json_t	*j = gs_call(c, "GET", "/_sandbox/workouts", NULL, NULL), *s;
	size_t	 i;
	int	 n = 0;

	if (has != NULL)
		*has = false;
	json_array_foreach(json_object_get(j, "schedules"), i, s) {
		if (strcmp(json_string_value(json_object_get(s, "userId")),
		    user) != 0)
			continue;
		n++;
		if (has != NULL && json_integer_value(json_object_get(s,
		    "workoutId")) == workout_id)
			*has = true;
	}
	json_decref(j);
	return n;
}

static bool
published(const char *user)
{
	return wait_true(JOB_WAIT_S, "NOT EXISTS (SELECT 1 FROM jobs WHERE"
	    " user_id = '%s' AND kind = 'garmin.publish' AND state ="
	    " 'waiting') AND (SELECT published_at IS NOT NULL AND"
	    " publish_error IS NULL FROM garmin_connections WHERE user_id ="
	    " '%s')", user, user);
}

Test(garmin_publish, next_14_days_follow_the_plan)
{
	const char	*guser = gs_new_user(c, "Pia Publish"), *id;
	char		 user[64], wid[64];
	long long	 gw_old, gw_new;
	int		 n;
	bool		 has;

	cr_assert_eq(gs_connect(c, "gpub", guser, "ACTIVITY_EXPORT,"
	    "WORKOUT_IMPORT", &id), 303);
	snprintf(user, sizeof(user), "%s", id);
	make_plan();
	cr_assert(published(user), "the plan was not published");
	n = atoi(db_value("SELECT count(*)" UPCOMING, user));
	cr_assert_gt(n, 4);
	cr_assert_eq(schedules(guser, 0, NULL), n);
	cr_assert_str_eq(db_value("SELECT count(*) FROM garmin_published"
	    " WHERE user_id = '%s'", user), db_value("SELECT count(*)"
	    UPCOMING, user));
	/* An edited workout is replaced: new Garmin workout, old one gone. */
	snprintf(wid, sizeof(wid), "%s", db_value("SELECT w.id" UPCOMING
	    " ORDER BY w.scheduled_date DESC LIMIT 1", user));
	gw_old = atoll(db_value("SELECT garmin_workout_id FROM"
	    " garmin_published WHERE workout_id = '%s'", wid));
	cr_assert_eq(db_exec_sql("UPDATE workouts SET distance = distance +"
	    " 1000 WHERE id = '%s'", wid), 1);
	cr_assert(wait_true(JOB_WAIT_S, "(SELECT garmin_workout_id <> %lld"
	    " FROM garmin_published WHERE workout_id = '%s')", gw_old, wid));
	cr_assert(published(user));
	gw_new = atoll(db_value("SELECT garmin_workout_id FROM"
	    " garmin_published WHERE workout_id = '%s'", wid));
	cr_assert_eq(schedules(guser, gw_old, &has), n);
	cr_assert_not(has, "the old version is still on the calendar");
	schedules(guser, gw_new, &has);
	cr_assert(has);
	/* A deleted workout leaves the calendar. */
	cr_assert_eq(db_exec_sql("DELETE FROM workouts WHERE id = '%s'", wid),
	    1);
	cr_assert(wait_true(JOB_WAIT_S, "NOT EXISTS (SELECT 1 FROM"
	    " garmin_published WHERE workout_id = '%s')", wid));
	cr_assert(published(user));
	cr_assert_eq(schedules(guser, gw_new, &has), n - 1);
	cr_assert_not(has);
}

Test(garmin_publish, a_failure_is_shown_and_retried)
{
	const char		*guser = gs_new_user(c, "Fay Fail"), *id;
	char			 user[64];
	struct http_resp	 r;

	cr_assert_eq(gs_connect(c, "gpubfail", guser, "WORKOUT_IMPORT", &id),
	    303);
	snprintf(user, sizeof(user), "%s", id);
	gs_config(c, "{\"fail_next_5xx\":1}");
	make_plan();
	cr_assert(wait_true(JOB_WAIT_S, "(SELECT publish_error IS NOT NULL"
	    " FROM garmin_connections WHERE user_id = '%s')", user),
	    "no error recorded");
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	cr_assert(resp_has(&r, "data-garmin-publish-error"));
	resp_done(&r);
	/* The queue's backoff, cut short: the retry publishes everything. */
	db_exec_sql("UPDATE jobs SET next_attempt_at = NOW() WHERE user_id ="
	    " '%s' AND kind = 'garmin.publish' AND state = 'waiting'", user);
	cr_assert(published(user), "the retry did not publish");
	cr_assert_eq(schedules(guser, 0, NULL), atoi(db_value("SELECT"
	    " count(*)" UPCOMING, user)));
	cr_assert_str_eq(db_value("SELECT attempts FROM jobs WHERE user_id ="
	    " '%s' AND kind = 'garmin.publish' AND state = 'done'", user), "2");
}
