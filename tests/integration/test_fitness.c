/*
 * Training load, fitness from runs and plans that adapt (issue 16), end
 * to end through nginx, the pool and its job worker: runs stored as
 * Strava's importer stores them are scored (and scored again when the
 * heart rates change), the fitness series stored, the /fitness and
 * activity pages drawn; a detailed activity fetched on a webhook keeps
 * its laps; "Adjust my plan" proposes new weeks that keep what must be
 * kept when accepted; the job worker proposes after a break and remembers
 * a refusal; fitter runs propose new paces.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "client.h"
#include "core/util.h"
#include "domain/fitness.h"
#include "domain/load.h"
#include "domain/vdot.h"
#include "strava_helpers.h"

#define WAIT_JOB	30	/* seconds the job worker may take */
#define PACE_S		330	/* the runs: 5:30/km */

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

TestSuite(fitness, .init = setup, .fini = teardown, .timeout = 120);

/* ---- helpers ------------------------------------------------------------- */

struct runner {
	char	 email[128], user[64], plan[64], today[16];
};

/* The runner's today as the pages see it (UTC: sign-up's time zone). */
static const char *
day(const struct runner *rn, int offset)
{
	static char d[4][16];
	static int k;

	k = (k + 1) % 4;
	snprintf(d[k], sizeof(d[k]), "%s", db_value("SELECT ('%s'::date + %d)"
	    "::text", rn->today, offset));
	return d[k];
}

/*
 * Signs up a runner with a half-marathon plan that started start_ago days
 * ago and ends weeks_left weeks from now (40 km a week, 10K in 50:00:
 * VDOT 40).
 */
static void
runner_plan(const char *prefix, int start_ago, int weeks_left,
    struct runner *rn)
{
	struct http_resp r;
	char form[1024];

	client_signup(c, prefix, rn->email);
	snprintf(rn->user, sizeof(rn->user), "%s", db_value("SELECT id FROM"
	    " users WHERE email = '%s'", rn->email));
	snprintf(rn->today, sizeof(rn->today), "%s", db_value("SELECT (now()"
	    " AT TIME ZONE 'UTC')::date::text"));
	snprintf(form, sizeof(form), "name=Mine&race_name=Half&race_distance="
	    "21097&race_date=%s&start_date=%s&runs_per_week=4&long_run_day=sun"
	    "&weekly_distance=40&longest_run=14&recent_race_distance=10000"
	    "&recent_race_time=50:00", day(rn, weeks_left * 7 + 2),
	    day(rn, -start_ago));
	cr_assert_eq(client_post(c, "/plans/new", form, &r), 303,
	    "plan: %ld %.300s", r.status, buf_cstr(&r.body));
	resp_done(&r);
	snprintf(rn->plan, sizeof(rn->plan), "%s", db_value("SELECT id FROM"
	    " training_plans WHERE user_id = '%s'", rn->user));
	cr_assert_eq(strlen(rn->plan), 36);
}

/* A run as the Strava importer stores one; its id. */
static const char *
run(const struct runner *rn, int days_ago, int metres, int pace, int hr)
{
	static char id[64];

	snprintf(id, sizeof(id), "%s", db_value("INSERT INTO strava_activities"
	    " (user_id, strava_activity_id, name, sport_type, distance,"
	    "  moving_time, elapsed_time, average_heartrate, start_date_local)"
	    " VALUES ('%s', 800000000000 + (random() * 1e11)::bigint, 'Run',"
	    " 'Run', %d, %d, %d, NULLIF(%d, 0), '%s'::date + time '07:00')"
	    " RETURNING id", rn->user, metres, metres * pace / 1000,
	    metres * pace / 1000 + 30, hr, day(rn, -days_ago)));
	return id;
}

/* The runner's fitness.rescore jobs have all run. */
static void
wait_scored(const struct runner *rn)
{
	cr_assert(wait_true(WAIT_JOB, "NOT EXISTS (SELECT 1 FROM jobs WHERE"
	    " kind = 'fitness.rescore' AND user_id = '%s' AND state ="
	    " 'waiting') AND EXISTS (SELECT 1 FROM jobs WHERE kind ="
	    " 'fitness.rescore' AND user_id = '%s' AND state = 'done')",
	    rn->user, rn->user), "the job worker did not score %s", rn->user);
}

/* Asks the job worker to look at the runner now (as fitness.daily does). */
static void
look_now(const struct runner *rn)
{
	db_exec_sql("INSERT INTO jobs (kind, user_id, dedup_key) VALUES"
	    " ('fitness.rescore', '%s', '%s') ON CONFLICT DO NOTHING",
	    rn->user, rn->user);
	wait_scored(rn);
}

/* tidy's verdict on a page: 0 ok, 1 warnings, 2 errors. */
static int
tidy_status(const struct http_resp *r)
{
	FILE	*p = popen("tidy -q -errors >/dev/null 2>&1", "w");
	int	 st;

	cr_assert_not_null(p);
	fwrite(r->body.data, 1, r->body.len, p);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

static void
get_ok(const char *path, struct http_resp *r)
{
	cr_assert_eq(client_get(c, path, r), 200, "GET %s: %ld", path,
	    r->status);
	cr_assert_lt(tidy_status(r), 2, "tidy errors on %s", path);
}

/* Four runs a week for `weeks` weeks before day `until_ago`. */
static void
steady_runs(const struct runner *rn, int weeks, int until_ago)
{
	int d;

	for (d = until_ago + weeks * 7; d > until_ago; d--)
		if (d % 7 == 0 || d % 7 == 2 || d % 7 == 4 || d % 7 == 5)
			run(rn, d, d % 7 == 0 ? 14000 : 8000, PACE_S, 0);
}

/*
 * The plan's workouts dated from from_ago to to_ago days ago run as
 * planned, and matched to them as the importer matches.
 */
static void
follow_plan(const struct runner *rn, int from_ago, int to_ago)
{
	db_exec_sql("WITH w AS (SELECT id, scheduled_date, distance FROM workouts"
	    "  WHERE training_plan_id = '%1$s' AND workout_type <> 'Race' AND"
	    "  scheduled_date BETWEEN '%2$s'::date - %3$d AND '%2$s'::date - %4$d),"
	    " a AS (INSERT INTO strava_activities (user_id, strava_activity_id,"
	    "  name, sport_type, distance, moving_time, elapsed_time,"
	    "  start_date_local) SELECT '%5$s', 700000000000 + (random() *"
	    "  1e11)::bigint, w.id::text, 'Run', w.distance, w.distance * %6$d /"
	    "  1000, w.distance * %6$d / 1000 + 30, w.scheduled_date +"
	    "  time '07:00' FROM w RETURNING id, name)"
	    " INSERT INTO workout_completions (workout_id, strava_activity_id)"
	    " SELECT a.name::uuid, a.id FROM a", rn->plan, rn->today, from_ago,
	    to_ago, rn->user, PACE_S);
	db_exec_sql("UPDATE workouts w SET completed_at = now() FROM"
	    " workout_completions c WHERE c.workout_id = w.id AND"
	    " w.training_plan_id = '%s' AND w.completed_at IS NULL", rn->plan);
}

/* ---- loads, series, pages ----------------------------------------------- */

Test(fitness, runs_are_scored_and_the_series_stored_and_drawn)
{
	struct runner		 rn;
	struct http_resp	 r;
	struct fitness_load	*l;
	struct fitness_input	 in;
	struct fitness_series	 s;
	double			 vdot, want;
	long			 n, i;

	runner_plan("load", 14, 10, &rn);
	get_ok("/fitness", &r);
	cr_assert(resp_has(&r, "No training load yet"));
	resp_done(&r);

	steady_runs(&rn, 8, 0);
	wait_scored(&rn);
	n = db_long_value("SELECT count(*) FROM strava_activities WHERE"
	    " user_id = '%s'", rn.user);
	cr_assert_eq(db_long_value("SELECT count(*) FROM activity_loads WHERE"
	    " user_id = '%s' AND method = 'pace'", rn.user), n);
	/* rTSS of an 8 km run at 5:30/km, against the plan's threshold. */
	vdot = atof(db_value("SELECT vdot FROM training_plans WHERE id = '%s'",
	    rn.plan));
	want = load_rtss(8000 * PACE_S / 1000, 8000, load_threshold_pace(vdot));
	cr_assert_float_eq(atof(db_value("SELECT min(l.tss) FROM"
	    " activity_loads l JOIN strava_activities a ON a.id ="
	    " l.activity_id WHERE a.user_id = '%s' AND a.distance = 8000",
	    rn.user)), want, 0.01);
	cr_assert_eq(atof(db_value("SELECT vdot FROM fitness_thresholds WHERE"
	    " user_id = '%s'", rn.user)), vdot);

	/* The stored series is the whole history's, day by day. */
	l = calloc((size_t)n, sizeof(*l));
	for (i = 0; i < n; i++) {
		l[i].tss = atof(db_value("SELECT l.tss FROM activity_loads l JOIN"
		    " strava_activities a ON a.id = l.activity_id WHERE"
		    " a.user_id = '%s' ORDER BY a.start_date_local OFFSET %ld"
		    " LIMIT 1", rn.user, i));
		l[i].date = (date_t)db_long_value("SELECT a.start_date_local::"
		    "date - '1970-01-01'::date FROM strava_activities a WHERE"
		    " a.user_id = '%s' ORDER BY a.start_date_local OFFSET %ld"
		    " LIMIT 1", rn.user, i);
	}
	memset(&in, 0, sizeof(in));
	in.done = l;
	in.ndone = (size_t)n;
	in.today = in.end = (date_t)db_long_value("SELECT '%s'::date -"
	    " '1970-01-01'::date", rn.today);
	in.seed = FITNESS_SEED_WARM;
	cr_assert_eq(fitness_compute(&in, &s), 0);
	cr_assert_eq(db_long_value("SELECT count(*) FROM fitness_days WHERE"
	    " user_id = '%s'", rn.user), s.ndays + 1, "the seed and each day");
	cr_assert_float_eq(atof(db_value("SELECT ctl FROM fitness_days WHERE"
	    " user_id = '%s' AND day = '%s'", rn.user, rn.today)),
	    s.days[s.today].ctl, 0.006);
	cr_assert_float_eq(atof(db_value("SELECT atl FROM fitness_days WHERE"
	    " user_id = '%s' AND day = '%s'", rn.user, rn.today)),
	    s.days[s.today].atl, 0.006);
	fitness_free(&s);
	free(l);

	get_ok("/fitness", &r);
	cr_assert(resp_has(&r, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"fitness-chart\""), "no chart in its slot");
	cr_assert(!resp_has(&r, "data-slot=\"fitness-chart\""));
	cr_assert(resp_has(&r, "role=\"img\""));
	cr_assert(resp_has(&r, "Race day"), "race day marked");
	cr_assert(resp_has(&r, "Ramp per week"));
	cr_assert(resp_has(&r, "planned</span>"), "projected weeks");
	cr_assert(resp_has(&r, "Fitness from your runs"));
	cr_assert(resp_has(&r, "from your 14 km on"), "the VDOT's evidence");
	resp_done(&r);
	get_ok("/fitness?weeks=52", &r);
	resp_done(&r);
	cr_assert_eq(client_get(c, "/fitness?weeks=7", &r), 400);
	resp_done(&r);
	get_ok("/", &r);
	cr_assert(resp_has(&r, "class=\"fitness-chart small\""));
	resp_done(&r);
}

Test(fitness, runs_the_job_has_not_seen_are_counted_meanwhile)
{
	struct runner		 rn;
	struct http_resp	 r;

	runner_plan("meanwhile", 7, 10, &rn);
	steady_runs(&rn, 3, 0);
	wait_scored(&rn);
	/* A run the job worker has not scored yet: the page scores it. */
	db_exec_sql("DELETE FROM jobs WHERE user_id = '%s'", rn.user);
	db_exec_sql("ALTER TABLE strava_activities DISABLE TRIGGER"
	    " strava_activities_fitness");
	run(&rn, 0, 30000, PACE_S, 0);
	db_exec_sql("ALTER TABLE strava_activities ENABLE TRIGGER"
	    " strava_activities_fitness");
	db_exec_sql("DELETE FROM fitness_days WHERE user_id = '%s' AND day ="
	    " '%s'", rn.user, rn.today);
	get_ok("/fitness", &r);
	/* Fatigue today is yesterday's plus k(7) of the 30 km run's load. */
	cr_assert(resp_has(&r, "Fatigue</abbr></dt><dd>"));
	cr_assert_gt(atof(strstr(buf_cstr(&r.body), "Fatigue</abbr></dt><dd>") +
	    strlen("Fatigue</abbr></dt><dd>")), atof(db_value("SELECT atl FROM"
	    " fitness_days WHERE user_id = '%s' ORDER BY day DESC LIMIT 1",
	    rn.user)) + 10);
	resp_done(&r);
}

Test(fitness, heart_rates_in_settings_score_every_run_again)
{
	struct runner		 rn;
	struct http_resp	 r;
	const char		*treadmill;

	runner_plan("hr", 7, 10, &rn);
	treadmill = run(&rn, 2, 0, PACE_S, 150);	/* no distance: no pace */
	db_exec_sql("UPDATE strava_activities SET moving_time = 3600 WHERE id ="
	    " '%s'", treadmill);
	wait_scored(&rn);
	cr_assert_str_eq(db_value("SELECT method FROM activity_loads WHERE"
	    " activity_id = '%s'", treadmill), "estimate");

	get_ok("/settings", &r);
	cr_assert(resp_has(&r, "action=\"/settings/heart-rate\""));
	resp_done(&r);
	cr_assert_eq(client_post(c, "/settings/heart-rate", "max_hr=300"
	    "&threshold_hr=", &r), 422);
	cr_assert(resp_has(&r, "from 120 to 230"));
	resp_done(&r);
	cr_assert_eq(client_post(c, "/settings/heart-rate", "max_hr=170"
	    "&threshold_hr=175", &r), 422);
	cr_assert(resp_has(&r, "below your maximum"));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT COALESCE(max_hr, 0) FROM"
	    " athlete_profiles WHERE user_id = '%s'", rn.user), "0");

	cr_assert_eq(client_post(c, "/settings/heart-rate", "max_hr=190"
	    "&threshold_hr=170", &r), 303);
	resp_done(&r);
	wait_scored(&rn);
	cr_assert_eq(db_long_value("SELECT threshold_hr FROM fitness_thresholds"
	    " WHERE user_id = '%s'", rn.user), 170);
	cr_assert_str_eq(db_value("SELECT method FROM activity_loads WHERE"
	    " activity_id = '%s'", treadmill), "hr");
	cr_assert_float_eq(atof(db_value("SELECT tss FROM activity_loads WHERE"
	    " activity_id = '%s'", treadmill)), load_hrtss(3600, 150, 170),
	    0.01);
	get_ok("/settings", &r);
	cr_assert(resp_has(&r, "value=\"190\""));
	cr_assert(resp_has(&r, "value=\"170\""));
	resp_done(&r);
	/* Empty: not given, and 90 % of nothing is nothing. */
	cr_assert_eq(client_post(c, "/settings/heart-rate", "max_hr="
	    "&threshold_hr=", &r), 303);
	resp_done(&r);
	wait_scored(&rn);
	cr_assert_str_eq(db_value("SELECT method FROM activity_loads WHERE"
	    " activity_id = '%s'", treadmill), "estimate");
}

Test(fitness, activity_page_route_splits_laps_and_load)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 path[128], form[512];
	const char		*id;

	runner_plan("activity", 7, 10, &rn);
	id = run(&rn, 1, 3000, 300, 150);
	snprintf(path, sizeof(path), "/activities/%s", id);
	db_exec_sql("UPDATE strava_activities SET summary_polyline ="
	    " '_p~iF~ps|U_ulLnnqC_mqNvxq`@', splits = '{\"laps\":[[1500.0,450,"
	    "148.0,3.0],[1500.0,450,152.0,null]],\"metric\":[[1000.0,300,146.0,"
	    "2.0],[1000.0,290,150.0,-1.0],[1000.0,310,null,null]]}' WHERE"
	    " id = '%s'", id);
	wait_scored(&rn);
	get_ok(path, &r);
	cr_assert(resp_has(&r, "class=\"route-map\""), "route drawn");
	cr_assert(resp_has(&r, "class=\"split-chart\""), "pace profile drawn");
	cr_assert(resp_has(&r, "Splits per km"));
	cr_assert(resp_has(&r, "<th scope=\"row\">3</th>"), "three splits");
	cr_assert(resp_has(&r, "4:50/km"), "the second split's pace");
	cr_assert(resp_has(&r, "Laps"));
	cr_assert(resp_has(&r, "TSS</span>"), "its load");
	cr_assert(resp_has(&r, "from your pace"));
	resp_done(&r);
	/* In miles: the km splits cut again per mile. */
	get_ok("/settings", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=Test+Runner&email=%s&units=mi"
	    "&first_day=mon&timezone=UTC&recent_race_distance=custom",
	    urlenc(rn.email));
	cr_assert_eq(client_post(c, "/settings", form, &r), 303);
	resp_done(&r);
	get_ok(path, &r);
	cr_assert(resp_has(&r, "Splits per mi"));
	cr_assert(resp_has(&r, "<th scope=\"row\">2</th>"), "1.9 mi: two");
	resp_done(&r);
	/* The activity list links to it. */
	get_ok("/activities", &r);
	cr_assert(resp_has(&r, path));
	resp_done(&r);
	cr_assert_eq(client_get(c, "/activities/00000000-0000-4000-8000-"
	    "000000000000", &r), 404);
	resp_done(&r);
}

Test(fitness, a_detailed_activity_keeps_its_laps)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 body[512], path[128], out[1024];
	long long		 athlete, act;
	const char		*uid;

	json_decref(sb_call(c, "POST", "/_sandbox/reset-usage", "", false,
	    NULL));
	db_exec_sql("UPDATE strava_rate_limit SET usage_15min = 0,"
	    " usage_daily = 0, read_usage_15min = 0, read_usage_daily = 0");
	athlete = sb_new_athlete(c, "Laps");
	uid = sb_connect_runner(c, athlete);
	snprintf(rn.user, sizeof(rn.user), "%s", uid);
	act = sb_quiet_activity(c, athlete);
	test_subscribe();
	snprintf(body, sizeof(body), "{\"aspect_type\":\"create\","
	    "\"event_time\":%lld,\"object_id\":%lld,\"object_type\":"
	    "\"activity\",\"owner_id\":%lld,\"subscription_id\":%lld,"
	    "\"updates\":{}}", (long long)time(NULL), act, athlete,
	    (long long)db_long_value("SELECT id FROM strava_webhook_subscription"));
	cr_assert_eq(post_webhook(c, body), 200);
	cr_assert(wait_true(WAIT_JOB, "EXISTS (SELECT 1 FROM strava_activities"
	    " WHERE strava_activity_id = %lld AND splits IS NOT NULL)", act),
	    "the fetched activity has no splits");
	cr_assert_gt(db_long_value("SELECT jsonb_array_length(splits->'metric')"
	    " FROM strava_activities WHERE strava_activity_id = %lld", act), 0);
	cr_assert_gt(db_long_value("SELECT jsonb_array_length(splits->'laps')"
	    " FROM strava_activities WHERE strava_activity_id = %lld", act), 0);
	snprintf(path, sizeof(path), "/activities/%s", db_value("SELECT id FROM"
	    " strava_activities WHERE strava_activity_id = %lld", act));
	get_ok(path, &r);
	cr_assert(resp_has(&r, "class=\"split-chart\""));
	cr_assert(resp_has(&r, "class=\"route-map\""));
	resp_done(&r);
	cadence_cmd(out, sizeof(out), "", "strava unsubscribe");
}

/* ---- proposals ------------------------------------------------------------ */

/* The plan's future workouts as "date type distance", one a line. */
static char *
future(const struct runner *rn, const char *from)
{
	return strdup(db_value("SELECT string_agg(scheduled_date || ' ' ||"
	    " workout_type || ' ' || distance, E'\\n' ORDER BY scheduled_date,"
	    " id) FROM workouts WHERE training_plan_id = '%s' AND"
	    " scheduled_date >= '%s'", rn->plan, from));
}

Test(fitness, adjust_my_plan_after_days_off_keeps_what_must_be_kept)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 path[160], *before, *after, edited[64], done[64];
	char			 adj[64];
	const char		*loc;

	/* Started 4 weeks ago, run as planned, then a week off. */
	runner_plan("adjust", 28, 11, &rn);
	follow_plan(&rn, 28, 8);
	steady_runs(&rn, 4, 28);	/* and a month before the plan */
	wait_scored(&rn);
	/* A workout done, and a future one edited by hand. */
	snprintf(done, sizeof(done), "%s", db_value("SELECT id FROM workouts"
	    " WHERE training_plan_id = '%s' AND completed_at IS NOT NULL"
	    " ORDER BY scheduled_date DESC LIMIT 1", rn.plan));
	snprintf(edited, sizeof(edited), "%s", db_value("SELECT id FROM workouts"
	    " WHERE training_plan_id = '%s' AND scheduled_date > '%s'::date + 9"
	    " AND workout_type = 'Easy' ORDER BY scheduled_date LIMIT 1",
	    rn.plan, rn.today));
	snprintf(path, sizeof(path), "/workouts/%s", edited);
	get_ok(path, &r);
	resp_done(&r);
	snprintf(path, sizeof(path), "/workouts/%s/edit", edited);
	cr_assert_eq(client_post(c, path, "type=easy&distance=7"
	    "&description=My+own", &r), 303);
	resp_done(&r);

	snprintf(path, sizeof(path), "/plans/%s/adjust", rn.plan);
	get_ok(path, &r);
	cr_assert(resp_has(&r, "I could not run for"));
	resp_done(&r);
	cr_assert_eq(client_post(c, path, "days_off=500", &r), 422);
	cr_assert(resp_has(&r, "from 0 to 120"));
	resp_done(&r);
	cr_assert_eq(client_post(c, path, "days_off=7", &r), 303, "%.300s",
	    strstr(buf_cstr(&r.body), "role=\"alert\"") ?
	    strstr(buf_cstr(&r.body), "role=\"alert\"") : "");
	loc = resp_header_value(&r, "Location");
	cr_assert(loc != NULL && strncmp(loc, "/adjustments/", 13) == 0,
	    "%s", loc ? loc : "no Location");
	snprintf(adj, sizeof(adj), "%s", loc + 13);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT status || ' ' || kind || ' ' || reason"
	    " FROM plan_adjustments WHERE id = '%s'", adj), "pending replan "
	    "manual");
	snprintf(path, sizeof(path), "/adjustments/%s", adj);
	get_ok(path, &r);
	cr_assert(resp_has(&r, "Before and after"));
	cr_assert(resp_has(&r, "You asked to adjust the plan."));
	cr_assert(resp_has(&r, "the plan&#39;s, allowing for the days off"),
	    "Daniels' factor");
	cr_assert(resp_has(&r, "<h4>Now"));
	cr_assert(resp_has(&r, "<h4>Proposed"));
	cr_assert(resp_has(&r, "7 km <span class=\"muted\">kept</span>"),
	    "the workout edited by hand, kept on both sides");
	snprintf(path, sizeof(path), "%s", db_value("SELECT scheduled_date"
	    " FROM workouts WHERE id = '%s'", edited));
	cr_assert_str_eq(db_value("SELECT count(*) FROM jsonb_array_elements("
	    "(SELECT changes->'workouts' FROM plan_adjustments WHERE id ="
	    " '%s')) w WHERE w->>'date' = '%s'", adj, path), "0",
	    "a new workout on a kept day");
	cr_assert_str_eq(db_value("SELECT count(*) FROM jsonb_array_elements("
	    "(SELECT changes->'kept' FROM plan_adjustments WHERE id = '%s')) w"
	    " WHERE w->>'id' = '%s'", adj, edited), "1");
	resp_done(&r);
	get_ok("/", &r);
	cr_assert(resp_has(&r, "Review the proposal"));
	resp_done(&r);

	before = future(&rn, day(&rn, 1));
	snprintf(path, sizeof(path), "/adjustments/%s/accept", adj);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	after = future(&rn, day(&rn, 1));
	cr_assert_str_neq(before, after, "the weeks ahead did not change");
	cr_assert_str_eq(db_value("SELECT status FROM plan_adjustments WHERE"
	    " id = '%s'", adj), "accepted");
	/* Kept: the edited workout, the completed past, the race date. */
	cr_assert_str_eq(db_value("SELECT description || ' ' || distance FROM"
	    " workouts WHERE id = '%s'", edited), "My own 7000");
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE id ="
	    " '%s' AND completed_at IS NOT NULL", done), "1");
	cr_assert_eq(db_long_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s' AND workout_type = 'Race' AND"
	    " scheduled_date = (SELECT race_date FROM training_plans WHERE"
	    " id = '%s')", rn.plan, rn.plan), 1);
	cr_assert_eq(db_long_value("SELECT count(*) FROM workouts w WHERE"
	    " training_plan_id = '%s' AND scheduled_date = (SELECT"
	    " scheduled_date FROM workouts WHERE id = '%s')", rn.plan, edited),
	    1, "a new workout on the edited one's day");
	/* Decided: a second answer is refused. */
	cr_assert_eq(client_post(c, path, "", &r), 409);
	resp_done(&r);
	snprintf(path, sizeof(path), "/adjustments/%s/decline", adj);
	cr_assert_eq(client_post(c, path, "", &r), 409);
	resp_done(&r);
	free(before);
	free(after);
}

Test(fitness, a_proposal_for_a_plan_changed_since_is_not_applied)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 path[160], adj[64], *before;
	const char		*loc;

	runner_plan("stale", 21, 11, &rn);
	follow_plan(&rn, 21, 1);
	steady_runs(&rn, 4, 21);
	wait_scored(&rn);
	snprintf(path, sizeof(path), "/plans/%s/adjust", rn.plan);
	get_ok(path, &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, path, "days_off=8", &r), 303);
	loc = resp_header_value(&r, "Location");
	cr_assert_not_null(loc);
	snprintf(adj, sizeof(adj), "%s", loc + 13);
	resp_done(&r);
	/* A workout ahead moved by hand after the proposal was made. */
	db_exec_sql("UPDATE workouts SET updated_at = now() + interval '1 s',"
	    " description = 'Moved' WHERE id = (SELECT id FROM workouts WHERE"
	    " training_plan_id = '%s' AND scheduled_date > '%s'::date + 3"
	    " ORDER BY scheduled_date LIMIT 1)", rn.plan, rn.today);
	before = future(&rn, day(&rn, 1));
	snprintf(path, sizeof(path), "/adjustments/%s", adj);
	get_ok(path, &r);
	resp_done(&r);
	snprintf(path, sizeof(path), "/adjustments/%s/accept", adj);
	cr_assert_eq(client_post(c, path, "", &r), 409);
	cr_assert(resp_has(&r, "changed since this proposal"));
	resp_done(&r);
	cr_assert_str_eq(future(&rn, day(&rn, 1)), before);
	cr_assert_str_eq(db_value("SELECT status FROM plan_adjustments WHERE"
	    " id = '%s'", adj), "superseded");
	free(before);
}

Test(fitness, the_job_proposes_after_a_break_and_remembers_a_refusal)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 path[160], adj[64];

	int			 off;

	runner_plan("break", 21, 11, &rn);
	follow_plan(&rn, 21, 7);	/* nothing for the last week */
	steady_runs(&rn, 4, 21);
	wait_scored(&rn);
	look_now(&rn);
	off = (int)db_long_value("SELECT '%s'::date - max(start_date_local)::date"
	    " - 1 FROM strava_activities WHERE user_id = '%s'", rn.today,
	    rn.user);
	cr_assert_geq(off, 6);
	snprintf(adj, sizeof(adj), "%s", db_value("SELECT id FROM"
	    " plan_adjustments WHERE training_plan_id = '%s' AND status ="
	    " 'pending'", rn.plan));
	cr_assert_eq(strlen(adj), 36, "no proposal after 5 days off");
	cr_assert_str_eq(db_value("SELECT reason FROM plan_adjustments WHERE"
	    " id = '%s'", adj), "break");
	cr_assert(strstr(db_value("SELECT trigger_key FROM plan_adjustments"
	    " WHERE id = '%s'", adj), "break:") != NULL);
	snprintf(path, sizeof(path), "/plans/%s", rn.plan);
	get_ok(path, &r);
	{
		char want[64];

		snprintf(want, sizeof(want), "You have not run for %d days",
		    off);
		cr_assert(resp_has(&r, want), "plan page: %s", want);
	}
	cr_assert(resp_has(&r, "Adjust my plan"));
	resp_done(&r);
	get_ok("/fitness", &r);
	cr_assert(resp_has(&r, "Review the proposal"));
	resp_done(&r);

	snprintf(path, sizeof(path), "/adjustments/%s", adj);
	get_ok(path, &r);
	resp_done(&r);
	snprintf(path, sizeof(path), "/adjustments/%s/decline", adj);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT status FROM plan_adjustments WHERE"
	    " id = '%s'", adj), "declined");
	/* The same break is not proposed again. */
	look_now(&rn);
	cr_assert_eq(db_long_value("SELECT count(*) FROM plan_adjustments"
	    " WHERE training_plan_id = '%s'", rn.plan), 1);
	get_ok("/", &r);
	cr_assert(!resp_has(&r, "Review the proposal"));
	resp_done(&r);
}

Test(fitness, fitter_runs_propose_new_paces)
{
	struct runner		 rn;
	struct http_resp	 r;
	char			 path[160], adj[64], w[64];
	int			 p[PACE__MAX][2], fast;
	double			 nv;

	runner_plan("paces", 14, 11, &rn);
	follow_plan(&rn, 14, 1);
	steady_runs(&rn, 4, 14);
	/* A 10 km at VDOT 46: six above the plan's 40. */
	run(&rn, 3, 10000, (int)(vdot_predict_time(46, 10000) / 10), 165);
	wait_scored(&rn);
	look_now(&rn);
	snprintf(adj, sizeof(adj), "%s", db_value("SELECT id FROM"
	    " plan_adjustments WHERE training_plan_id = '%s' AND status ="
	    " 'pending' AND kind = 'paces'", rn.plan));
	cr_assert_eq(strlen(adj), 36, "no paces proposal");
	snprintf(path, sizeof(path), "/adjustments/%s", adj);
	get_ok(path, &r);
	cr_assert(resp_has(&r, "New training paces"));
	cr_assert(resp_has(&r, "Your runs show a fitness of VDOT"));
	cr_assert(resp_has(&r, "from your 10 km on"));
	resp_done(&r);
	snprintf(w, sizeof(w), "%s", db_value("SELECT id FROM workouts WHERE"
	    " training_plan_id = '%s' AND scheduled_date > '%s' AND"
	    " workout_type = 'Easy' ORDER BY scheduled_date LIMIT 1", rn.plan,
	    rn.today));
	snprintf(path, sizeof(path), "/adjustments/%s/accept", adj);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	nv = atof(db_value("SELECT vdot FROM training_plans WHERE id = '%s'",
	    rn.plan));
	cr_assert_gt(nv, 44);
	/* An easy workout ahead now has the easy pace of its week's VDOT,
	 * the new one or up to 2 more (the plan's progression). */
	fast = (int)db_long_value("SELECT pace_fast FROM workouts WHERE id ="
	    " '%s'", w);
	vdot_paces(nv, p);
	cr_assert_leq(fast, p[PACE_E][0]);
	vdot_paces(nv + 2, p);
	cr_assert_geq(fast, p[PACE_E][0]);
	cr_assert(strstr(db_value("SELECT description FROM workouts WHERE"
	    " id = '%s'", w), "{p:") != NULL, "the template keeps its tokens");
}
