/*
 * Ownership: every route that takes the id of a plan, workout or activity
 * answers 404 to a signed-in runner who does not own it (GET and POST
 * alike, exactly like a missing id), and changes nothing of the owner's.
 *
 * Runner A owns a plan, its workouts and a Strava activity; runner B asks
 * for each route of the table with A's ids.  So that a row cannot pass
 * just because its route does not exist, A proves each route is there:
 * A gets 200 on GET rows, and 403 on POST rows sent with a bad CSRF token
 * (the router found the route and its CSRF gate refused; nothing ran).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/util.h"

#define PATH_MAX_LEN	512
#define FORM_MAX_LEN	1024

/*
 * Add every new route with an id here.  Placeholders: {plan}, {workout},
 * {activity} (A's ids).  form is the POST body besides csrf_token; give
 * one that would succeed for the owner, so a missing owner check shows.
 * Token routes (GET /plans/{id}/calendar.ics) carry a secret, not a
 * session, and are tested with their own module.
 */
static const struct route_case {
	const char	*method;
	const char	*path;
	const char	*form;
} cases[] = {
	/* Plans. */
	{ "GET",  "/plans/{plan}", NULL },
	{ "GET",  "/plans/{plan}/weeks/1", NULL },
	{ "GET",  "/plans/{plan}/export.csv", NULL },
	{ "GET",  "/plans/{plan}/edit", NULL },
	{ "POST", "/plans/{plan}/edit", "race_name=Taken&race_distance=10000"
	  "&race_date={race_date}&runs_per_week=4&long_run_day=sat"
	  "&weekly_distance=30" },
	{ "POST", "/plans/{plan}/activate", "" },
	{ "POST", "/plans/{plan}/rename", "name=Taken" },
	{ "POST", "/plans/{plan}/delete", "confirm=yes" },
	{ "POST", "/plans/{plan}/workouts", "date={race_date}&type=easy"
	  "&distance=5" },
	{ "POST", "/plans/{plan}/calendar-token", "" },
	/* Workouts. */
	{ "GET",  "/workouts/{workout}", NULL },
	{ "POST", "/workouts/{workout}/edit", "type=long&distance=30"
	  "&description=Taken" },
	{ "POST", "/workouts/{workout}/delete", "" },
	{ "POST", "/workouts/{workout}/skip", "" },
	{ "POST", "/workouts/{workout}/done", "" },
	{ "POST", "/workouts/{workout}/reset", "" },
	{ "POST", "/workouts/{workout}/note", "feel=3&note=Taken" },
	{ "POST", "/workouts/{workout}/match", "activity_id={activity}" },
	{ "POST", "/workouts/{workout}/unmatch", "activity_id={activity}" },
	/* Activities, fitness and proposals to adapt a plan. */
	{ "GET",  "/activities/{activity}", NULL },
	{ "GET",  "/plans/{plan}/adjust", NULL },
	{ "POST", "/plans/{plan}/adjust", "days_off=3" },
	{ "GET",  "/adjustments/{adjustment}", NULL },
	{ "POST", "/adjustments/{adjustment}/accept", "" },
	{ "POST", "/adjustments/{adjustment}/decline", "" },
};

/* A's objects. */
struct ids {
	char	 user[64], plan[64], workout[64], activity[64], race_date[16];
	char	 adjustment[64];
};

/* Copies s into out with the placeholders replaced by A's ids. */
static void
expand(char *out, size_t n, const char *s, const struct ids *a)
{
	static const char *const keys[] = { "{plan}", "{workout}",
	    "{activity}", "{race_date}", "{adjustment}" };
	const char *vals[] = { a->plan, a->workout, a->activity, a->race_date,
	    a->adjustment };
	size_t used = 0, k;

	while (*s != '\0' && used + 1 < n) {
		for (k = 0; k < NELEM(keys); k++)
			if (strncmp(s, keys[k], strlen(keys[k])) == 0)
				break;
		if (k < NELEM(keys)) {
			used += (size_t)snprintf(out + used, n - used, "%s",
			    vals[k]);
			if (used >= n)
				used = n - 1;
			s += strlen(keys[k]);
		} else
			out[used++] = *s++;
	}
	out[used] = '\0';
}

/* Everything A owns, as one checksum: any write (even a no-op) shows. */
static char *
checksum(const char *user)
{
	return strdup(db_value("SELECT md5("
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM training_plans t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM races t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM training_phases t JOIN training_plans p"
	    "      ON p.id = t.training_plan_id WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workouts t JOIN training_plans p"
	    "      ON p.id = t.training_plan_id WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM strava_activities t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workout_completions t JOIN strava_activities a"
	    "      ON a.id = t.strava_activity_id WHERE a.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY"
	    "         t.workout_id), '')"
	    "    FROM workout_feedback t JOIN workouts w ON w.id = t.workout_id"
	    "    JOIN training_plans p ON p.id = w.training_plan_id"
	    "   WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM plan_adjustments t WHERE t.user_id = '%1$s'))", user));
}

/* Runner A with a plan (through the form), a workout and an activity. */
static void
owner_setup(struct client *a, struct ids *ids)
{
	struct http_resp r;
	char email[128], form[1024];

	client_signup(a, "owner", email);
	snprintf(ids->user, sizeof(ids->user), "%s", db_value("SELECT id FROM"
	    " users WHERE email = '%s'", email));
	snprintf(ids->race_date, sizeof(ids->race_date), "%s", db_value(
	    "SELECT ((now() AT TIME ZONE 'UTC')::date + 70)::text"));
	snprintf(form, sizeof(form), "name=Mine&race_name=Mine&race_distance="
	    "10000&race_date=%s&weeks=8&runs_per_week=5&long_run_day=sun"
	    "&weekly_distance=30", ids->race_date);
	cr_assert_eq(client_post(a, "/plans/new", form, &r), 303);
	resp_done(&r);
	snprintf(ids->plan, sizeof(ids->plan), "%s", db_value("SELECT id FROM"
	    " training_plans WHERE user_id = '%s'", ids->user));
	snprintf(ids->workout, sizeof(ids->workout), "%s", db_value("SELECT id"
	    " FROM workouts WHERE training_plan_id = '%s' ORDER BY"
	    " scheduled_date LIMIT 1", ids->plan));
	snprintf(ids->activity, sizeof(ids->activity), "%s", db_value(
	    "INSERT INTO strava_activities (user_id, strava_activity_id, name,"
	    " sport_type, distance, moving_time, elapsed_time,"
	    " start_date_local) VALUES ('%s', 900000000000 + (random() *"
	    " 1e9)::bigint, 'Morning run', 'Run', 8000, 2400, 2450, now())"
	    " RETURNING id", ids->user));
	/* A pending proposal to adapt the plan (as the job worker stores
	 * one; nothing in it to apply). */
	snprintf(ids->adjustment, sizeof(ids->adjustment), "%s", db_value(
	    "INSERT INTO plan_adjustments (user_id, training_plan_id, kind,"
	    " reason, trigger_key, summary, from_date, basis, changes)"
	    " VALUES ('%s', '%s', 'replan', 'break', 'break:x:1', 'Mine',"
	    " (now() AT TIME ZONE 'UTC')::date + 1, '{}',"
	    " '{\"workouts\":[],\"phases\":[],\"old\":[]}') RETURNING id",
	    ids->user, ids->plan));
	cr_assert_eq(strlen(ids->plan), 36);
	cr_assert_eq(strlen(ids->workout), 36);
	cr_assert_eq(strlen(ids->activity), 36);
	cr_assert_eq(strlen(ids->adjustment), 36);
}

Test(ownership, other_runners_ids_are_404_and_change_nothing,
    .timeout = 120)
{
	struct client *a = client_new(), *b = client_new();
	struct http_resp r;
	struct ids ids;
	char path[PATH_MAX_LEN], form[FORM_MAX_LEN], other[128];
	char *before;
	size_t i;
	long s;

	owner_setup(a, &ids);
	client_signup(b, "intruder", other);
	/* B owns a plan too: "yours" must mean the right one. */
	snprintf(form, sizeof(form), "race_name=Other&race_distance=5000"
	    "&race_date=%s&weeks=6&runs_per_week=4&long_run_day=sat"
	    "&weekly_distance=20", ids.race_date);
	cr_assert_eq(client_post(b, "/plans/new", form, &r), 303);
	resp_done(&r);
	before = checksum(ids.user);

	for (i = 0; i < NELEM(cases); i++) {
		const struct route_case *rc = &cases[i];

		expand(path, sizeof(path), rc->path, &ids);
		if (strcmp(rc->method, "GET") == 0)
			s = client_get(b, path, &r);
		else {
			expand(form, sizeof(form), rc->form, &ids);
			s = client_post(b, path, form, &r);
		}
		cr_expect_eq(s, 404, "%s %s by another runner: %ld", rc->method,
		    rc->path, s);
		resp_done(&r);
	}
	cr_assert_str_eq(checksum(ids.user), before,
	    "another runner changed the owner's data");

	/* Each row's route exists (A's own GETs may write, e.g. a token). */
	for (i = 0; i < NELEM(cases); i++) {
		const struct route_case *rc = &cases[i];

		expand(path, sizeof(path), rc->path, &ids);
		if (strcmp(rc->method, "GET") == 0) {
			s = client_get(a, path, &r);
			cr_expect_eq(s, 200, "GET %s by its owner: %ld",
			    rc->path, s);
		} else {
			s = client_req(a, "POST", path, "csrf_token=forged",
			    NULL, &r);
			cr_expect_eq(s, 403, "POST %s: %ld (not a route?)",
			    rc->path, s);
		}
		resp_done(&r);
	}
	free(before);
	client_free(a);
	client_free(b);
}

/* Signed out, an id route sends to sign-in and reveals nothing. */
Test(ownership, signed_out_is_sent_to_sign_in, .timeout = 60)
{
	struct client *a = client_new(), *anon = client_new();
	struct http_resp r;
	struct ids ids;
	char path[PATH_MAX_LEN];
	const char *loc;

	owner_setup(a, &ids);
	expand(path, sizeof(path), "/plans/{plan}/edit", &ids);
	cr_assert_eq(client_get(anon, path, &r), 303);
	loc = resp_header_value(&r, "Location");
	cr_assert(loc != NULL && strncmp(loc, "/login", 6) == 0);
	cr_assert(!resp_has(&r, "Mine"));
	resp_done(&r);
	client_free(a);
	client_free(anon);
}
