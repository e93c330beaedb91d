/*
 * Training plans through nginx: the plan form for every distance, each
 * validation message, one active plan, activate / rename / delete,
 * changing a plan's inputs (only future unfinished untouched workouts are
 * re-generated), and workout edit / move / add / remove / skip / done /
 * reset.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/util.h"

#define UUID_LEN	36

static struct client *c;

static void setup(void) { c = client_new(); }
static void teardown(void) { client_free(c); }

TestSuite(plans, .init = setup, .fini = teardown, .timeout = 120);

/* A date relative to the runners' today (they are in UTC). */
static const char *
day(int offset)
{
	static char d[4][11];
	static int n;
	char *s = d[n++ % 4];

	snprintf(s, 11, "%s", db_value("SELECT ((now() AT TIME ZONE 'UTC')"
	    "::date + %d)::text", offset));
	return s;
}

static const char *
runner_id(const char *email)
{
	static char id[64];

	snprintf(id, sizeof(id), "%s",
	    db_value("SELECT id FROM users WHERE email = '%s'", email));
	return id;
}

/* A valid form; extra "&k=v" fields go first, and the first one wins. */
static const char *
plan_form(const char *distance, int race_in_days, const char *extra)
{
	static char form[2048];

	snprintf(form, sizeof(form), "%s%sname=&race_name=%s&race_distance=%s"
	    "&race_distance_custom=15&race_date=%s&race_location=Paris"
	    "&race_url=&start_date=&weeks=16&runs_per_week=5&long_run_day=sun"
	    "&weekly_distance=40&longest_run=16&recent_race_distance=10000"
	    "&recent_race_distance_custom=&recent_race_time=45%%3A00"
	    "&goal_time=", extra + (*extra == '&'), *extra ? "&" : "",
	    urlenc("City Race"), distance, day(race_in_days));
	return form;
}

/* POSTs /plans/new; on 303 copies the new plan's id into id. */
static long
create(const char *form, char id[UUID_LEN + 1], struct http_resp *r)
{
	const char *loc;
	long s = client_post(c, "/plans/new", form, r);

	if (id != NULL)
		id[0] = '\0';
	if (s == 303 && id != NULL &&
	    (loc = resp_header_value(r, "Location")) != NULL &&
	    strncmp(loc, "/plans/", 7) == 0)
		snprintf(id, UUID_LEN + 1, "%s", loc + 7);
	return s;
}

static void
create_ok(const char *form, char id[UUID_LEN + 1])
{
	struct http_resp r;

	cr_assert_eq(create(form, id, &r), 303, "plan form: %.300s",
	    buf_cstr(&r.body));
	cr_assert_eq(strlen(id), UUID_LEN);
	resp_done(&r);
}

/* What a stored plan looks like, as one comparable line. */
static const char *
stored(const char *id)
{
	return db_value("SELECT p.race_distance || ' ' || p.total_weeks ||"
	    " ' ' || p.runs_per_week || ' ' || p.long_run_day || ' ' ||"
	    " p.baseline_weekly_distance || ' ' || p.baseline_longest_run ||"
	    " ' ' || p.baseline_race_distance || ' ' || p.baseline_race_time ||"
	    " ' ' || p.vdot_source || ' ' || r.name || ' ' || r.distance ||"
	    " ' ' || r.location || ' ' || (r.race_date = p.race_date) || ' ' ||"
	    " p.is_active"
	    "  FROM training_plans p JOIN races r ON r.id = p.race_id"
	    " WHERE p.id = '%s'", id);
}

Test(plans, every_distance_through_the_form)
{
	static const struct { const char *sel; int metres; } d[] = {
		{ "5000", 5000 }, { "10000", 10000 }, { "21097", 21097 },
		{ "42195", 42195 }, { "custom", 15000 },
	};
	struct http_resp r;
	char email[128], id[UUID_LEN + 1], extra[64], want[256];
	size_t i;

	client_signup(c, "plans", email);
	for (i = 0; i < NELEM(d); i++) {
		int weeks = 12 + (int)i * 2;

		snprintf(extra, sizeof(extra), "&weeks=%d", weeks);
		cr_assert_eq(create(plan_form(d[i].sel, 150, extra), id, &r),
		    303, "%s: %.300s", d[i].sel, buf_cstr(&r.body));
		cr_assert_not_null(strstr(buf_cstr(&r.headers),
		    "flash=plan_created"));
		resp_done(&r);
		snprintf(want, sizeof(want), "%d %d 5 sun 40000 16000 10000 "
		    "2700 race City Race %d Paris true true", d[i].metres,
		    weeks, d[i].metres);
		cr_assert_str_eq(stored(id), want);
		/* The race is the last workout, on race day. */
		cr_assert_str_eq(db_value("SELECT w.workout_type || ' ' ||"
		    " (w.scheduled_date = p.race_date) || ' ' || w.week_number"
		    " FROM workouts w JOIN training_plans p"
		    "   ON p.id = w.training_plan_id WHERE p.id = '%s'"
		    " ORDER BY w.scheduled_date DESC LIMIT 1", id),
		    db_value("SELECT 'Race true ' || %d", weeks));
		/* Every workout has its pace range, a week and a date in it. */
		cr_assert_str_eq(db_value("SELECT count(*) FROM workouts w"
		    " JOIN training_plans p ON p.id = w.training_plan_id"
		    " WHERE p.id = '%s' AND (w.pace_fast IS NULL OR"
		    " w.pace_slow < w.pace_fast OR w.week_number NOT BETWEEN 1"
		    " AND p.total_weeks OR w.scheduled_date < p.start_date"
		    " OR w.description IS NULL)", id), "0");
		cr_assert_gt(atoi(db_value("SELECT count(*) FROM workouts"
		    " WHERE training_plan_id = '%s'", id)), weeks * 3);
		/* Phases cover the weeks without gaps, the taper last. */
		cr_assert_str_eq(db_value("SELECT string_agg(start_week || '-'"
		    " || end_week, ',' ORDER BY phase_index) ~ '^1-' AND"
		    " max(end_week) = %d AND (array_agg(name ORDER BY"
		    " phase_index DESC))[1] = 'Taper' FROM training_phases"
		    " WHERE training_plan_id = '%s'", weeks, id), "t");
	}
	/* Only the last one is active. */
	cr_assert_str_eq(db_value("SELECT count(*) FILTER (WHERE is_active)"
	    " || '/' || count(*) FROM training_plans WHERE user_id = '%s'",
	    runner_id(email)), "1/5");
	cr_assert_str_eq(db_value("SELECT is_active FROM training_plans"
	    " WHERE id = '%s'", id), "t");
}

/* No recent race: the best effort among imported runs sets the paces. */
Test(plans, fitness_from_imported_runs)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1];
	const char *uid;

	client_signup(c, "plans-runs", email);
	uid = runner_id(email);
	/* A 5 km in 21:00 ten days ago, easy 10 km runs, an old fast one. */
	cr_assert_eq(db_exec_sql("INSERT INTO strava_activities (user_id,"
	    " strava_activity_id, name, sport_type, distance, moving_time,"
	    " elapsed_time, start_date_local, start_date) SELECT '%s',"
	    " 990000000000 + n + (random() * 1e8)::bigint, 'r', 'Run',"
	    " d, t, t, now() - n * interval '1 day', now() - n * interval"
	    " '1 day' FROM (VALUES (10, 5000, 1260), (3, 10000, 3600),"
	    " (5, 10000, 3700), (90, 5000, 1000)) v (n, d, t)", uid), 4);
	cr_assert_eq(create(plan_form("10000", 100, "&recent_race_time="
	    "&recent_race_distance="), id, &r), 303, "%.400s",
	    buf_cstr(&r.body));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT vdot_source || ' ' || vdot FROM"
	    " training_plans WHERE id = '%s'", id), "runs 47.0");
	/* The race's description says which run it was. */
	cr_assert_str_eq(db_value("SELECT description ~ '\\{d:5000\\} in 21:00'"
	    " FROM workouts WHERE training_plan_id = '%s' AND workout_type ="
	    " 'Race'", id), "t");
}

Test(plans, eighteen_week_marathon_timing)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1];
	double ms;

	client_signup(c, "plans-time", email);
	cr_assert_eq(create(plan_form("42195", 130, "&weeks=18"), id, &r), 303);
	ms = r.seconds * 1000;
	resp_done(&r);
	fprintf(stderr, "figure: 18-week marathon plan created through the "
	    "form in %.1f ms (%s workouts)\n", ms, db_value("SELECT count(*)"
	    " FROM workouts WHERE training_plan_id = '%s'", id));
	cr_assert_str_eq(db_value("SELECT total_weeks FROM training_plans"
	    " WHERE id = '%s'", id), "18");
	cr_assert_lt(ms, 2000);
}

Test(plans, default_start_is_next_week_and_form_prefills_profile)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1];

	client_signup(c, "plans-prefill", email);
	db_exec_sql("UPDATE athlete_profiles SET weekly_distance = 42500,"
	    " longest_run = 18000, recent_race_distance = 21097,"
	    " recent_race_time = 5700 WHERE user_id = '%s'", runner_id(email));
	cr_assert_eq(client_get(c, "/plans/new", &r), 200);
	cr_assert(resp_has(&r, "name=\"weekly_distance\""));
	cr_assert(resp_has(&r, "value=\"42.5\""));
	cr_assert(resp_has(&r, "value=\"18\""));
	cr_assert(resp_has(&r, "value=\"1:35:00\""));
	cr_assert(resp_has(&r, "<option value=\"21097\" selected>"));
	resp_done(&r);
	create_ok(plan_form("10000", 100, "&weeks="), id);
	/* Neither start date nor weeks: next Monday (runners' weeks). */
	cr_assert_str_eq(db_value("SELECT start_date = date_trunc('week',"
	    " now() AT TIME ZONE 'UTC')::date + 7 FROM training_plans"
	    " WHERE id = '%s'", id), "t");
}

Test(plans, each_invalid_field_is_a_422_with_its_message)
{
	static const struct {
		const char	*distance;
		int		 race_in;
		const char	*extra, *field, *message;
	} bad[] = {
		{ "10000", -1, "", "race_date", "must be after today" },
		{ "10000", 60, "&weeks=&start_date=TODAY+90", "start_date",
		  "before the race date" },
		{ "42195", 60, "&weeks=6", "weeks", "needs at least 12 weeks" },
		{ "10000", 90, "&weeks=3", "weeks", "A plan lasts 4 to 30" },
		/* Start date left empty: the message is not put on it (15.10). */
		{ "42195", 30, "&weeks=&start_date=", "weeks", "needs at least" },
		{ "10000", 90, "&weeks=8&start_date=TODAY+1", "weeks",
		  "not both" },
		{ "10000", 90, "&runs_per_week=2", "runs_per_week", "3 to 7" },
		{ "10000", 90, "&runs_per_week=8", "runs_per_week", "3 to 7" },
		{ "10000", 90, "&long_run_day=funday", "long_run_day",
		  "Choose a day" },
		{ "10000", 90, "&recent_race_time=9%3A99", "recent_race_time",
		  "h:mm:ss or mm:ss" },
		{ "10000", 90, "&recent_race_time=9%3A00", "recent_race_time",
		  "faster than the world record" },
		{ "10000", 90, "&goal_time=65%3A00", "goal_time",
		  "Give the goal as h:mm:ss" },
		{ "42195", 150, "&goal_time=1%3A50%3A00", "goal_time",
		  "faster than the world record" },
		{ "10000", 90, "&race_url=javascript%3Aalert(1)", "race_url",
		  "http:// or https://" },
		{ "10000", 90, "&race_url=ftp%3A%2F%2Fx.org", "race_url",
		  "http:// or https://" },
		{ "10000", 90, "&race_name=", "race_name", "Give the race a name" },
		/* "Other distance" is in the runner's unit (issue 15.2). */
		{ "custom", 90, "&race_distance_custom=2.5", "race_distance_custom",
		  "from 3 km" },
		{ "custom", 150, "&race_distance_custom=50",
		  "race_distance_custom", "An ultra needs" },
		{ "42195", 90, "&weeks=12&weekly_distance=10&longest_run=",
		  "weekly_distance", "a marathon needs at least 45 km weeks" },
		{ "99", 90, "", "race_distance", "Choose a distance" },
		{ "10000", 90, "&weekly_distance=lots", "weekly_distance",
		  "like 40 or 40.5" },
		{ "10000", 90, "&weekly_distance=400", "weekly_distance",
		  "0 to 250 km" },
	};
	struct http_resp r;
	char email[128], extra[256], needle[128], *t;
	const char *uid;
	size_t i;

	client_signup(c, "plans-bad", email);
	uid = runner_id(email);
	for (i = 0; i < NELEM(bad); i++) {
		snprintf(extra, sizeof(extra), "%s", bad[i].extra);
		if ((t = strstr(extra, "TODAY+")) != NULL) {
			char rest[256];

			snprintf(rest, sizeof(rest), "%s", day(atoi(t + 6)));
			snprintf(t, sizeof(extra) - (size_t)(t - extra), "%s",
			    rest);
		}
		cr_assert_eq(create(plan_form(bad[i].distance, bad[i].race_in,
		    extra), NULL, &r), 422, "case %zu (%s)", i, bad[i].field);
		cr_assert(resp_has(&r, bad[i].message), "case %zu: no '%s' in "
		    "%.2000s", i, bad[i].message, buf_cstr(&r.body));
		/* The message sits under its field, which is marked invalid. */
		snprintf(needle, sizeof(needle), "id=\"%s-error\"", bad[i].field);
		cr_assert(resp_has(&r, needle), "case %zu: no %s", i, needle);
		cr_assert(resp_has(&r, "aria-invalid=\"true\""));
		t = strstr(extra, "start_date=");
		cr_assert(t == NULL || (t[11] != '\0' && t[11] != '&') ||
		    !resp_has(&r, "id=\"start_date-error\""),
		    "case %zu: an error on the empty start date", i);
		cr_assert(resp_has(&r, "value=\"City Race\"") ||
		    strcmp(bad[i].field, "race_name") == 0);
		resp_done(&r);
	}
	cr_assert_str_eq(db_value("SELECT (SELECT count(*) FROM training_plans"
	    " WHERE user_id = '%s') + (SELECT count(*) FROM races WHERE"
	    " user_id = '%s')", uid, uid), "0");
}

Test(plans, activate_rename_delete)
{
	struct http_resp r;
	char email[128], a[UUID_LEN + 1], b[UUID_LEN + 1], path[128];
	char long_name[300];
	char form[320];
	int i;

	client_signup(c, "plans-manage", email);
	create_ok(plan_form("10000", 90, "&name=First"), a);
	create_ok(plan_form("5000", 60, "&name=Second&weeks=6"), b);
	cr_assert_str_eq(db_value("SELECT string_agg(name || '=' || is_active,"
	    " ',' ORDER BY name) FROM training_plans WHERE user_id = '%s'",
	    runner_id(email)), "First=false,Second=true");
	cr_assert_eq(client_get(c, "/plans", &r), 200);
	cr_assert(resp_has(&r, "Active plan"));
	cr_assert(resp_has(&r, a) && resp_has(&r, b));
	resp_done(&r);

	snprintf(path, sizeof(path), "/plans/%s/activate", a);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT string_agg(name || '=' || is_active,"
	    " ',' ORDER BY name) FROM training_plans WHERE user_id = '%s'",
	    runner_id(email)), "First=true,Second=false");
	/* Activating the active plan again changes nothing. */
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM training_plans"
	    " WHERE user_id = '%s' AND is_active", runner_id(email)), "1");

	snprintf(path, sizeof(path), "/plans/%s/rename", a);
	cr_assert_eq(client_post(c, path, "name=Autumn+10K", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT name FROM training_plans WHERE id ="
	    " '%s'", a), "Autumn 10K");
	cr_assert_eq(client_post(c, path, "name=", &r), 422);
	resp_done(&r);
	memset(long_name, 'x', 256);
	long_name[256] = '\0';
	snprintf(form, sizeof(form), "name=%s", long_name);
	cr_assert_eq(client_post(c, path, form, &r), 422);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT name FROM training_plans WHERE id ="
	    " '%s'", a), "Autumn 10K");

	/* Every worker opens it (and may remember it is this runner's). */
	snprintf(path, sizeof(path), "/plans/%s", a);
	for (i = 0; i < 12; i++) {
		cr_assert_eq(client_get(c, path, &r), 200);
		resp_done(&r);
	}
	snprintf(path, sizeof(path), "/plans/%s/delete", a);
	cr_assert_eq(client_post(c, path, "", &r), 422);
	resp_done(&r);
	cr_assert_str_neq(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s'", a), "0");
	cr_assert_eq(client_post(c, path, "confirm=yes", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT (SELECT count(*) FROM training_plans"
	    " WHERE id = '%s') + (SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s') + (SELECT count(*) FROM training_phases"
	    " WHERE training_plan_id = '%s')", a, a, a), "0");
	cr_assert_str_eq(db_value("SELECT count(*) FROM races WHERE user_id ="
	    " '%s'", runner_id(email)), "1");
	/* Gone means 404, like any plan that is not yours, in every worker. */
	cr_assert_eq(client_post(c, path, "confirm=yes", &r), 404);
	resp_done(&r);
	snprintf(path, sizeof(path), "/plans/%s", a);
	for (i = 0; i < 12; i++) {
		cr_assert_eq(client_get(c, path, &r), 404);
		resp_done(&r);
	}
}

Test(plans, names_are_escaped_on_the_list)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1], extra[256];

	client_signup(c, "plans-xss", email);
	snprintf(extra, sizeof(extra), "&name=%s&race_name=%s",
	    urlenc("<script>alert(1)</script>"),
	    urlenc("<img src=x onerror=alert(2)>"));
	create_ok(plan_form("10000", 90, extra), id);
	cr_assert_eq(client_get(c, "/plans", &r), 200);
	cr_assert(!resp_has(&r, "<script>alert(1)"));
	cr_assert(!resp_has(&r, "<img src=x"));
	cr_assert(resp_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	cr_assert(resp_has(&r, "&lt;img src=x onerror=alert(2)&gt;"));
	resp_done(&r);
}

/* A checksum of the workouts of plan id matching cond. */
static char *
workouts_sum(const char *id, const char *cond)
{
	return strdup(db_value("SELECT count(*) || ':' || md5(coalesce("
	    "string_agg(w.id::text || w.scheduled_date || w.workout_type ||"
	    " w.distance || coalesce(w.description, '') ||"
	    " coalesce(w.manual_status, ''), ',' ORDER BY w.id), ''))"
	    " FROM workouts w JOIN training_plans p ON p.id ="
	    " w.training_plan_id WHERE p.id = '%s' AND %s", id, cond));
}

Test(plans, editing_inputs_regenerates_only_future_untouched_workouts)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1], extra[128], path[128];
	char done_future[64], edited[64], plain[64];
	char *past, *kept;

	client_signup(c, "plans-edit", email);
	/* Started three weeks ago, so it has a past. */
	snprintf(extra, sizeof(extra), "&weeks=&start_date=%s", day(-21));
	create_ok(plan_form("21097", 70, extra), id);
	db_exec_sql("UPDATE workouts SET manual_status = 'done',"
	    " completed_at = now() WHERE id = (SELECT id FROM workouts"
	    " WHERE training_plan_id = '%s' AND scheduled_date <"
	    " (now() AT TIME ZONE 'UTC')::date ORDER BY scheduled_date"
	    " LIMIT 1)", id);
	snprintf(done_future, sizeof(done_future), "%s", db_value("SELECT id"
	    " FROM workouts WHERE training_plan_id = '%s' AND scheduled_date"
	    " > (now() AT TIME ZONE 'UTC')::date + 3 ORDER BY scheduled_date"
	    " LIMIT 1", id));
	db_exec_sql("UPDATE workouts SET manual_status = 'done', completed_at"
	    " = now() WHERE id = '%s'", done_future);
	snprintf(edited, sizeof(edited), "%s", db_value("SELECT id FROM"
	    " workouts WHERE training_plan_id = '%s' AND scheduled_date >"
	    " (now() AT TIME ZONE 'UTC')::date + 10 AND workout_type = 'Easy'"
	    " ORDER BY scheduled_date LIMIT 1", id));
	snprintf(path, sizeof(path), "/workouts/%s/edit", edited);
	cr_assert_eq(client_post(c, path, "description=My+own+run", &r), 303);
	resp_done(&r);
	snprintf(plain, sizeof(plain), "%s", db_value("SELECT id FROM workouts"
	    " WHERE training_plan_id = '%s' AND scheduled_date > (now() AT"
	    " TIME ZONE 'UTC')::date + 3 AND id NOT IN ('%s', '%s')"
	    " ORDER BY scheduled_date LIMIT 1", id, done_future, edited));
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE id IN"
	    " ('%s', '%s', '%s')", done_future, edited, plain), "3");
	past = workouts_sum(id, "w.scheduled_date < (now() AT TIME ZONE"
	    " 'UTC')::date");
	kept = workouts_sum(id, "(w.manual_status IS NOT NULL OR"
	    " w.edited_by_hand) AND w.scheduled_date >= (now() AT TIME ZONE"
	    " 'UTC')::date");

	/* The edit form shows the stored inputs. */
	snprintf(path, sizeof(path), "/plans/%s/edit", id);
	cr_assert_eq(client_get(c, path, &r), 200);
	cr_assert(resp_has(&r, "value=\"City Race\""));
	cr_assert(resp_has(&r, "<option value=\"5\" selected>"));
	cr_assert(resp_has(&r, "value=\"45:00\""));
	cr_assert(!resp_has(&r, "name=\"start_date\""));
	resp_done(&r);
	/* An invalid change stores nothing. */
	cr_assert_eq(client_post(c, path, plan_form("21097", 70,
	    "&runs_per_week=9"), &r), 422);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT runs_per_week FROM training_plans"
	    " WHERE id = '%s'", id), "5");
	/* Four runs a week, a later race, more volume. */
	cr_assert_eq(client_post(c, path, plan_form("21097", 77,
	    "&runs_per_week=4&long_run_day=sat&weekly_distance=50"), &r), 303);
	cr_assert_str_eq(resp_header_value(&r, "Location"),
	    db_value("SELECT '/plans/' || '%s'", id));
	resp_done(&r);

	cr_assert_str_eq(workouts_sum(id, "w.scheduled_date < (now() AT TIME"
	    " ZONE 'UTC')::date"), past);
	cr_assert_str_eq(workouts_sum(id, "(w.manual_status IS NOT NULL OR"
	    " w.edited_by_hand) AND w.scheduled_date >= (now() AT TIME ZONE"
	    " 'UTC')::date"), kept);
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE id ="
	    " '%s'", plain), "0", "an untouched future workout is replaced");
	cr_assert_str_eq(db_value("SELECT runs_per_week || ' ' || long_run_day"
	    " || ' ' || baseline_weekly_distance || ' ' || (race_date ="
	    " (now() AT TIME ZONE 'UTC')::date + 77) || ' ' || (start_date ="
	    " (now() AT TIME ZONE 'UTC')::date - 21) FROM training_plans"
	    " WHERE id = '%s'", id), "4 sat 50000 true true");
	/* New future workouts: Saturday long runs, the race last. */
	cr_assert_str_neq(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s' AND workout_type = 'Long' AND"
	    " extract(isodow FROM scheduled_date) = 6 AND NOT edited_by_hand",
	    id), "0");
	cr_assert_str_eq(db_value("SELECT workout_type || ' ' ||"
	    " (scheduled_date = (now() AT TIME ZONE 'UTC')::date + 77) FROM"
	    " workouts WHERE training_plan_id = '%s' ORDER BY scheduled_date"
	    " DESC LIMIT 1", id), "Race true");
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s' AND workout_type = 'Race'", id), "1");
	cr_assert_str_eq(db_value("SELECT max(end_week) = (SELECT total_weeks"
	    " FROM training_plans WHERE id = '%s') FROM training_phases WHERE"
	    " training_plan_id = '%s'", id, id), "t");
	free(past);
	free(kept);
}

Test(plans, workouts_move_edit_add_delete_and_marks)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1], w[64], path[128], form[256];
	char first[11], added[64];
	const char *loc;

	client_signup(c, "plans-workouts", email);
	create_ok(plan_form("10000", 90, "&weeks=10"), id);
	snprintf(w, sizeof(w), "%s", db_value("SELECT id FROM workouts WHERE"
	    " training_plan_id = '%s' AND workout_type = 'Easy' ORDER BY"
	    " scheduled_date OFFSET 2 LIMIT 1", id));
	snprintf(first, sizeof(first), "%s", db_value("SELECT scheduled_date"
	    " FROM workouts WHERE id = '%s'", w));

	/* Move it (twice): original_date keeps the first date. */
	snprintf(path, sizeof(path), "/workouts/%s/edit", w);
	snprintf(form, sizeof(form), "date=%s&type=tempo&distance=9.5&"
	    "description=%s", db_value("SELECT ('%s'::date + 1)::text", first),
	    urlenc("Tempo <b>by hand</b>"));
	cr_assert_eq(client_post(c, path, form, &r), 303);
	snprintf(form, sizeof(form), "/workouts/%s", w);
	cr_assert_str_eq(resp_header_value(&r, "Location"), form);
	resp_done(&r);
	snprintf(form, sizeof(form), "date=%s", db_value("SELECT ('%s'::date"
	    " + 2)::text", first));
	cr_assert_eq(client_post(c, path, form, &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT (original_date = '%s') || ' ' ||"
	    " (scheduled_date = '%s'::date + 2) || ' ' || workout_type || ' ' ||"
	    " distance || ' ' || description || ' ' || edited_by_hand ||"
	    " ' ' || (pace_fast < pace_slow)"
	    " FROM workouts WHERE id = '%s'", first, first, w),
	    "true true Tempo 9500 Tempo <b>by hand</b> true true");
	/* Outside the plan, or nonsense: 422 and nothing changes. */
	snprintf(form, sizeof(form), "date=%s", day(400));
	cr_assert_eq(client_post(c, path, form, &r), 422);
	resp_done(&r);
	cr_assert_eq(client_post(c, path, "type=nap", &r), 422);
	resp_done(&r);
	cr_assert_eq(client_post(c, path, "distance=-3", &r), 422);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT workout_type || distance FROM"
	    " workouts WHERE id = '%s'", w), "Tempo9500");

	/* Skip, done, reset keep completed_at in step. */
	snprintf(path, sizeof(path), "/workouts/%s/skip", w);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT manual_status || (completed_at IS"
	    " NULL) FROM workouts WHERE id = '%s'", w), "skippedtrue");
	snprintf(path, sizeof(path), "/workouts/%s/done", w);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT manual_status || (completed_at IS"
	    " NOT NULL) FROM workouts WHERE id = '%s'", w), "donetrue");
	snprintf(path, sizeof(path), "/workouts/%s/reset", w);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT (manual_status IS NULL)::text ||"
	    " (completed_at IS NULL)::text FROM workouts WHERE id = '%s'", w),
	    "truetrue");

	/* Add one in week 3. */
	snprintf(path, sizeof(path), "/plans/%s/workouts", id);
	snprintf(form, sizeof(form), "date=%s&type=Easy&distance=6&"
	    "description=Shakeout", db_value("SELECT (date_trunc('week',"
	    " start_date)::date + 15)::text FROM training_plans WHERE id ="
	    " '%s'", id));
	cr_assert_eq(client_post(c, path, form, &r), 303);
	loc = resp_header_value(&r, "Location");
	cr_assert(loc != NULL && strncmp(loc, "/workouts/", 10) == 0);
	snprintf(added, sizeof(added), "%s", loc + 10);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT week_number || ' ' || distance ||"
	    " ' ' || workout_type || ' ' || description || ' ' ||"
	    " edited_by_hand || ' ' || (duration_estimate > 0) FROM workouts"
	    " WHERE id = '%s' AND training_plan_id = '%s'", added, id),
	    "3 6000 Easy Shakeout true true");
	cr_assert_eq(client_post(c, path, "date=&type=Easy&distance=6", &r),
	    422);
	resp_done(&r);

	/* Remove it: back to the plan. */
	snprintf(path, sizeof(path), "/workouts/%s/delete", added);
	cr_assert_eq(client_post(c, path, "", &r), 303);
	snprintf(form, sizeof(form), "/plans/%s", id);
	cr_assert_str_eq(resp_header_value(&r, "Location"), form);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE id ="
	    " '%s'", added), "0");
	cr_assert_eq(client_post(c, path, "", &r), 404);
	resp_done(&r);
}

Test(plans, plan_command_runs)
{
	cr_assert_eq(run_cmd("%s plan --race-distance 42195 --race-date %s "
	    "--weeks 16 --runs-per-week 5 --long-run-day sun "
	    "--weekly-distance 40 >/dev/null", env_or("CADENCE_BIN",
	    "build/cadence"), day(150)), 0);
}

/*
 * What one runner can create is bounded (sql/009_limits.sql): workouts a
 * day, workouts a plan, plans a runner.  Past a limit the answer is a 422
 * that names it, and nothing changes.  (Unbounded, 130 long workouts on
 * one day made a 1.6 MB page that hung the page cache.)
 */
Test(plans, limits_give_422_and_change_nothing)
{
	struct http_resp r;
	char email[128], id[UUID_LEN + 1], path[128], form[256], w[64];
	char d[16], uid[64];
	int i;

	client_signup(c, "limits", email);
	snprintf(uid, sizeof(uid), "%s", runner_id(email));
	create_ok(plan_form("42195", 200, "&weeks=28"), id);
	snprintf(d, sizeof(d), "%s", db_value("SELECT (start_date + 3)::text"
	    " FROM training_plans WHERE id = '%s'", id));
	snprintf(path, sizeof(path), "/plans/%s/workouts", id);
	snprintf(form, sizeof(form), "date=%s&type=Easy&distance=5", d);
	while (atoi(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s' AND scheduled_date = '%s'", id, d)) < 3) {
		cr_assert_eq(client_post(c, path, form, &r), 303);
		resp_done(&r);
	}
	cr_assert_eq(client_post(c, path, form, &r), 422);
	cr_assert(resp_has(&r, "at most 3 workouts"), "%s", buf_cstr(&r.body));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s' AND scheduled_date = '%s'", id, d), "3");

	/* Moving another workout onto the full day: refused, not moved. */
	snprintf(w, sizeof(w), "%s", db_value("SELECT id FROM workouts WHERE"
	    " training_plan_id = '%s' AND scheduled_date <> '%s' LIMIT 1",
	    id, d));
	snprintf(path, sizeof(path), "/workouts/%s/edit", w);
	snprintf(form, sizeof(form), "date=%s", d);
	cr_assert_eq(client_post(c, path, form, &r), 422);
	cr_assert(resp_has(&r, "at most 3 workouts"));
	resp_done(&r);
	cr_assert_str_neq(db_value("SELECT scheduled_date::text FROM workouts"
	    " WHERE id = '%s'", w), d);

	/* Workouts a plan: filled to 500 directly, one more by the form. */
	cr_assert_geq(db_exec_sql("INSERT INTO workouts (training_plan_id,"
	    " week_number, scheduled_date, workout_type, distance)"
	    " SELECT p.id, 1, p.start_date + dd, 'Easy', 1000"
	    "   FROM training_plans p, generate_series(0, 189) dd,"
	    "        generate_series(1, 3) s"
	    "  WHERE p.id = '%s' AND dd <> 3 AND s > (SELECT count(*) FROM"
	    "        workouts w WHERE w.training_plan_id = p.id"
	    "          AND w.scheduled_date = p.start_date + dd)"
	    "  LIMIT 500 - (SELECT count(*) FROM workouts"
	    "                WHERE training_plan_id = '%s')", id, id), 0);
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s'", id), "500");
	snprintf(path, sizeof(path), "/plans/%s/workouts", id);
	snprintf(form, sizeof(form), "date=%s&type=Easy&distance=5",
	    db_value("SELECT (start_date + 192)::text FROM training_plans"
	    " WHERE id = '%s'", id));
	cr_assert_eq(client_post(c, path, form, &r), 422);
	cr_assert(resp_has(&r, "at most 500 workouts"), "%s", buf_cstr(&r.body));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts WHERE"
	    " training_plan_id = '%s'", id), "500");

	/* Plans a runner: the 26th is refused. */
	for (i = atoi(db_value("SELECT count(*) FROM training_plans WHERE"
	    " user_id = '%s'", uid)); i < 25; i++)
		create_ok(plan_form("5000", 60, "&weeks=6"), id);
	cr_assert_eq(create(plan_form("5000", 60, "&weeks=6"), NULL, &r), 422);
	cr_assert(resp_has(&r, "25 plans"), "%s", buf_cstr(&r.body));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM training_plans WHERE"
	    " user_id = '%s'", uid), "25");
}
