/*
 * The Strava connection through the real parts: Cadence behind nginx,
 * the job worker, PostgreSQL and the Strava sandbox (SANDBOX_URL).  The
 * test's own libcurl plays the browser: GET /strava/connect, approve or
 * cancel the sandbox's consent form, follow the redirect back to
 * /strava/callback with the runner's cookies.  Every test uses a fresh
 * sandbox athlete, so they never share a Strava link.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"
#include "strava/import.h"
#include "strava/tokens.h"

#define IMPORT_COUNT	1000
#define WAIT_SECONDS	60

static struct client *c;
static char runner_email[128];

static const char *
sandbox(void)
{
	return env_or("SANDBOX_URL", "http://127.0.0.1:8090");
}

/* A sandbox control call; the answer's JSON (caller decrefs) or NULL. */
static json_t *
sb_call(const char *method, const char *path, const char *body, bool json,
    long *status)
{
	static const char *const jh[] = { "Content-Type: application/json",
	    NULL };
	struct http_resp	 r;
	char			 url[512];
	json_t			*j;
	long			 st;

	snprintf(url, sizeof(url), "%s%s", sandbox(), path);
	st = client_req(c, method, url, body, json ? jh : NULL, &r);
	if (status != NULL)
		*status = st;
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	resp_done(&r);
	return j;
}

static long long
new_athlete(const char *name)
{
	char		 body[128];
	json_t		*j;
	long long	 id;

	snprintf(body, sizeof(body), "firstname=%s&lastname=Tester", name);
	j = sb_call("POST", "/_sandbox/athletes", body, false, NULL);
	cr_assert_not_null(j);
	id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	cr_assert_gt(id, 9000);
	return id;
}

static void
sb_config(const char *json)
{
	long st;

	json_decref(sb_call("POST", "/_sandbox/config", json, true, &st));
	cr_assert_eq(st, 200, "config %s", json);
}

/* Grants of the sandbox for athlete (count), and whether any is live. */
static int
sb_grants(long long athlete, const char *field, const char *value)
{
	json_t	*j = sb_call("GET", "/_sandbox/tokens", NULL, false, NULL), *g;
	size_t	 i;
	int	 n = 0;

	json_array_foreach(j, i, g) {
		if (json_integer_value(json_object_get(g, "athlete_id")) !=
		    athlete)
			continue;
		if (field == NULL || strcmp(json_string_value(json_object_get(g,
		    field)), value) == 0)
			n++;
	}
	json_decref(j);
	return n;
}

static bool
sb_revoked(long long athlete)
{
	json_t	*j = sb_call("GET", "/_sandbox/tokens", NULL, false, NULL), *g;
	size_t	 i;
	bool	 all = true, any = false;

	json_array_foreach(j, i, g)
		if (json_integer_value(json_object_get(g, "athlete_id")) ==
		    athlete) {
			any = true;
			all = all && json_is_true(json_object_get(g, "revoked"));
		}
	json_decref(j);
	return any && all;
}

/* The value of query parameter name in url, decoded simply (no %xx). */
static const char *
qparam(const char *url, const char *name)
{
	static char	 out[1024];
	const char	*q = strchr(url, '?'), *p;
	size_t		 n = strlen(name), k;

	for (p = q; p != NULL; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '=') {
			k = strcspn(p + 2 + n, "&");
			snprintf(out, sizeof(out), "%.*s", (int)k, p + 2 + n);
			return out;
		}
	return NULL;
}

/*
 * GET /strava/connect, then POST the sandbox's consent form for athlete
 * with scope and decision; returns the redirect back to Cadence.
 */
static const char *
consent(long long athlete, const char *scope, const char *decision)
{
	static char		 back[2048];
	struct http_resp	 r;
	char			 loc[2048], form[2048], url[512], redirect[512];

	cr_assert_eq(client_get(c, "/strava/connect", &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	cr_assert(str_has_prefix(loc, sandbox()), "%s", loc);
	cr_assert(strstr(loc, "/oauth/authorize?") != NULL);
	cr_assert_str_eq(qparam(loc, "client_id"), "1000");
	cr_assert_str_eq(qparam(loc, "scope"), "read,activity:read_all");
	cr_assert_str_eq(qparam(loc, "response_type"), "code");
	cr_assert_str_eq(qparam(loc, "approval_prompt"), "auto");
	cr_assert_geq(strlen(qparam(loc, "state")), 40);
	snprintf(redirect, sizeof(redirect), "%s", qparam(loc, "redirect_uri"));
	cr_assert(strstr(redirect, "%2Fstrava%2Fcallback") != NULL, "%s",
	    redirect);

	/* The form's fields: the query's, with our choice of scopes. */
	snprintf(form, sizeof(form), "client_id=1000&redirect_uri=%s"
	    "&response_type=code&state=%s&athlete_id=%lld&scope=%s"
	    "&decision=%s", redirect, qparam(loc, "state"), athlete, scope,
	    decision);
	snprintf(url, sizeof(url), "%s/oauth/authorize", sandbox());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 302);
	snprintf(back, sizeof(back), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	cr_assert(strstr(back, "/strava/callback?") != NULL, "%s", back);
	return back;
}

/* Completes a connection; returns the runner's users.id. */
static const char *
connect_runner(long long athlete)
{
	static char		 id[64];
	struct http_resp	 r;
	const char		*back = consent(athlete, "read,activity:read_all",
				    "authorize");

	cr_assert_eq(client_get(c, back, &r), 303, "%s", buf_cstr(&r.body));
	cr_assert_str_eq(resp_header_value(&r, "Location"), "/");
	resp_done(&r);
	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM users WHERE"
	    " strava_athlete_id = %lld", athlete));
	cr_assert_neq(id[0], '\0');
	return id;
}

static bool
wait_import(const char *user_id, double seconds, int *polls_importing)
{
	struct http_resp	 r;
	time_t			 end = time(NULL) + (time_t)seconds;

	while (time(NULL) < end) {
		if (strcmp(db_value("SELECT status FROM strava_imports WHERE"
		    " user_id = '%s'", user_id), "done") == 0)
			return true;
		if (polls_importing != NULL) {
			client_get(c, "/", &r);
			if (resp_has(&r, "Importing your Strava history"))
				(*polls_importing)++;
			resp_done(&r);
		}
		usleep(200 * 1000);
	}
	return false;
}

static void
setup(void)
{
	c = client_new();
	client_signup(c, "strava", runner_email);
	json_decref(sb_call("POST", "/_sandbox/reset-usage", "", false, NULL));
	db_exec_sql("UPDATE strava_rate_limit SET usage_15min = 0,"
	    " read_usage_15min = 0, usage_daily = 0, read_usage_daily = 0");
}

static void
teardown(void)
{
	client_free(c);
}

TestSuite(strava, .init = setup, .fini = teardown, .timeout = 90);

/* ---- OAuth -------------------------------------------------------------- */

Test(strava, connect_stores_encrypted_tokens)
{
	long long		 athlete = new_athlete("Conny");
	const char		*id = connect_runner(athlete), *stored;
	json_t			*j = sb_call("GET", "/_sandbox/tokens", NULL,
				    false, NULL), *g;
	struct http_resp	 r;
	size_t			 i;
	char			 access[64] = "";

	json_array_foreach(j, i, g)
		if (json_integer_value(json_object_get(g, "athlete_id")) ==
		    athlete)
			snprintf(access, sizeof(access), "%s", json_string_value(
			    json_object_get(g, "access_token")));
	json_decref(j);
	cr_assert_eq(strlen(access), 40);
	stored = db_value("SELECT strava_access_token FROM users WHERE id ="
	    " '%s'", id);
	cr_assert(str_has_prefix(stored, "k1:"), "%s", stored);
	cr_assert_null(strstr(stored, access));
	stored = db_value("SELECT strava_refresh_token FROM users WHERE id ="
	    " '%s'", id);
	cr_assert(str_has_prefix(stored, "k1:"));
	cr_assert_str_eq(db_value("SELECT strava_scope FROM users WHERE id ="
	    " '%s'", id), "read,activity:read_all");
	/* The ciphertext is bound to its row: another runner's cannot open. */
	{
		struct config		cfg;
		char			err[256], out[TOKEN_MAX];
		unsigned char		key[TOKEN_KEY_BYTES];

		cr_assert_eq(config_load(&cfg, err, sizeof(err)), 0);
		cr_assert(token_key(&cfg, key));
		stored = db_value("SELECT strava_access_token FROM users WHERE"
		    " id = '%s'", id);
		cr_assert(token_open(key, id, TOKEN_COL_ACCESS, stored, out,
		    sizeof(out)));
		cr_assert_str_eq(out, access);
		cr_assert_not(token_open(key, id, TOKEN_COL_REFRESH, stored,
		    out, sizeof(out)));
		cr_assert_not(token_open(key,
		    "00000000-0000-0000-0000-000000000000", TOKEN_COL_ACCESS,
		    stored, out, sizeof(out)));
	}
	/* The dashboard shows the link. */
	client_get(c, "/", &r);
	cr_assert(resp_has(&r, "Conny Tester"));
	resp_done(&r);
}

Test(strava, deny_shows_friendly_page)
{
	long long		 athlete = new_athlete("Denise");
	const char		*back = consent(athlete, "read", "cancel");
	struct http_resp	 r;

	cr_assert_str_eq(qparam(back, "error"), "access_denied");
	cr_assert_eq(client_get(c, back, &r), 200);
	cr_assert(resp_has(&r, "not granted"));
	cr_assert(resp_has(&r, "href=\"/strava/connect\""));
	resp_done(&r);
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 0);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE"
	    " strava_athlete_id = %lld", athlete), "0");
}

Test(strava, bad_and_replayed_state_make_no_token_request)
{
	long long		 athlete = new_athlete("Stacy");
	const char		*back = consent(athlete, "read,activity:read_all",
				    "authorize");
	char			 forged[2048], url[2100];
	struct http_resp	 r;

	/* Wrong state, right code: 400, and the code is still unused. */
	snprintf(forged, sizeof(forged), "/strava/callback?state=%s&code=%s"
	    "&scope=read,activity:read_all", "bogus-state-value",
	    qparam(back, "code"));
	cr_assert_eq(client_get(c, forged, &r), 400);
	resp_done(&r);
	/* No state at all. */
	snprintf(url, sizeof(url), "/strava/callback?code=%s",
	    qparam(back, "code"));
	cr_assert_eq(client_get(c, url, &r), 400);
	resp_done(&r);
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 0, "a token was asked");

	/* Another browser (session) cannot use this runner's state. */
	{
		struct client	*other = client_new();
		char		 email[128];

		client_signup(other, "strava-other", email);
		cr_assert_eq(client_req(other, "GET", back, NULL, NULL, &r),
		    400);
		resp_done(&r);
		client_free(other);
	}
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 0);
	/* The state is single-use: the other browser's try spent nothing of
	 * ours... but it was deleted only for a matching session.  Use it. */
	cr_assert_eq(client_get(c, back, &r), 303);
	resp_done(&r);
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 1);
	/* Replayed: 400, no second token request. */
	cr_assert_eq(client_get(c, back, &r), 400);
	resp_done(&r);
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 1);
	/* Expired: a fresh state aged past 10 minutes is refused. */
	back = consent(athlete, "read,activity:read_all", "authorize");
	db_exec_sql("UPDATE strava_oauth_states SET created_at = NOW() -"
	    " interval '11 minutes'");
	cr_assert_eq(client_get(c, back, &r), 400);
	resp_done(&r);
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 1);
}

Test(strava, replayed_code_is_refused)
{
	long long		 athlete = new_athlete("Cody");
	const char		*back = consent(athlete, "read,activity:read_all",
				    "authorize");
	char			 first[2048], again[2048];
	struct http_resp	 r;

	snprintf(first, sizeof(first), "%s", back);
	cr_assert_eq(client_get(c, first, &r), 303);
	resp_done(&r);
	/* A fresh state with the spent code: Strava refuses the code. */
	back = consent(athlete, "read,activity:read_all", "authorize");
	snprintf(again, sizeof(again), "/strava/callback?state=%s&code=%s"
	    "&scope=read,activity:read_all", qparam(back, "state"),
	    qparam(first, "code"));
	cr_assert_eq(client_get(c, again, &r), 400);
	cr_assert(resp_has(&r, "did not accept"));
	resp_done(&r);
}

Test(strava, missing_activity_scope_offers_retry)
{
	long long		 athlete = new_athlete("Scoop");
	const char		*back = consent(athlete, "read", "authorize");
	struct http_resp	 r;

	cr_assert_str_eq(qparam(back, "scope"), "read");
	cr_assert_eq(client_get(c, back, &r), 200);
	cr_assert(resp_has(&r, "needs to see your activities"));
	cr_assert(resp_has(&r, "href=\"/strava/connect\""));
	resp_done(&r);
	cr_assert_eq(sb_grants(athlete, NULL, NULL), 0);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE"
	    " strava_athlete_id = %lld", athlete), "0");
}

Test(strava, athlete_linked_elsewhere)
{
	long long		 athlete = new_athlete("Twin");
	struct client		*first = c;
	struct http_resp	 r;
	char			 email[128];
	const char		*back;

	connect_runner(athlete);
	c = client_new();
	client_signup(c, "strava-twin", email);
	back = consent(athlete, "read,activity:read_all", "authorize");
	cr_assert_eq(client_get(c, back, &r), 409);
	cr_assert(resp_has(&r, "already connected"));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE"
	    " strava_athlete_id = %lld", athlete), "1");
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE"
	    " lower(email) = lower('%s') AND strava_access_token IS NULL",
	    email), "1");
	client_free(c);
	c = first;
}

/* ---- token refresh ------------------------------------------------------ */

/* A child: asks for a token (a refresh is due), then uses it. */
static void
refresher(const char *user_id)
{
	struct config		 cfg;
	struct db		*db;
	struct strava_auth	 auth;
	char			 err[512];
	int			 rc;

	if (config_load(&cfg, err, sizeof(err)) == -1)
		_exit(2);
	db = db_new(cfg.database_url);
	rc = strava_access_token(&cfg, db, user_id, &auth, err, sizeof(err));
	if (rc != TOKEN_OK) {
		fprintf(stderr, "refresher: %s\n", err);
		_exit(3);
	}
	db_free(db);
	_exit(auth.refreshed ? 10 : 11);
}

Test(strava, concurrent_refresh_spends_the_token_once)
{
	long long	 athlete = new_athlete("Rota");
	const char	*id = connect_runner(athlete);
	char		 before[512];

	cr_assert(wait_import(id, WAIT_SECONDS, NULL));
	pid_t		 p[2];
	int		 i, st, refreshed = 0, reused = 0;

	snprintf(before, sizeof(before), "%s", db_value("SELECT"
	    " strava_refresh_token FROM users WHERE id = '%s'", id));
	/* Both sides see the token as expired. */
	json_decref(sb_call("POST", "/_sandbox/expire-tokens", "", false,
	    NULL));
	db_exec_sql("UPDATE users SET strava_token_expires_at = NOW() AT TIME"
	    " ZONE 'UTC' - interval '1 minute' WHERE id = '%s'", id);
	for (i = 0; i < 2; i++)
		if ((p[i] = fork()) == 0)
			refresher(id);
	for (i = 0; i < 2; i++) {
		cr_assert_eq(waitpid(p[i], &st, 0), p[i]);
		cr_assert(WIFEXITED(st));
		refreshed += WEXITSTATUS(st) == 10;
		reused += WEXITSTATUS(st) == 11;
	}
	cr_assert_eq(refreshed, 1, "exactly one refresh");
	cr_assert_eq(reused, 1, "the other used the new token");
	cr_assert_str_neq(db_value("SELECT strava_refresh_token FROM users"
	    " WHERE id = '%s'", id), before);
	cr_assert_str_eq(db_value("SELECT strava_needs_reconnect FROM users"
	    " WHERE id = '%s'", id), "f");
	/* A refused refresh marks the connection broken. */
	db_exec_sql("UPDATE users SET strava_refresh_token = '%s',"
	    " strava_token_expires_at = NOW() AT TIME ZONE 'UTC' WHERE"
	    " id = '%s'", before, id);
	if ((p[0] = fork()) == 0)
		refresher(id);
	waitpid(p[0], &st, 0);
	cr_assert_eq(WEXITSTATUS(st), 3);
	cr_assert_str_eq(db_value("SELECT strava_needs_reconnect FROM users"
	    " WHERE id = '%s'", id), "t");
}

/* ---- import, matching, disconnect -------------------------------------- */

Test(strava, import_1000_with_429s)
{
	long long	 athlete = new_athlete("Bulk");
	char		 body[128];
	const char	*id;
	int		 importing = 0;
	long		 st;
	double		 secs;
	struct http_resp r;

	/* One run an hour back from an hour ago: all within 8 weeks. */
	snprintf(body, sizeof(body), "count=%d&athlete_id=%lld&interval=3600",
	    IMPORT_COUNT, athlete);
	json_decref(sb_call("POST", "/_sandbox/activities/bulk", body, false,
	    &st));
	cr_assert_eq(st, 201);
	sb_config("{\"fail_next_429\": 2}");
	id = connect_runner(athlete);
	cr_assert(wait_import(id, WAIT_SECONDS, &importing), "import not done:"
	    " %s", db_value("SELECT status || ' ' || done || ' ' ||"
	    " COALESCE(error_message, '') FROM strava_imports WHERE user_id ="
	    " '%s'", id));
	cr_assert_gt(importing, 0, "the dashboard never showed progress");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", id), "1000");
	cr_assert_str_eq(db_value("SELECT count(DISTINCT strava_activity_id)"
	    " FROM strava_activities WHERE user_id = '%s'", id), "1000");
	cr_assert_str_eq(db_value("SELECT done FROM strava_imports WHERE"
	    " user_id = '%s'", id), "1000");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s' AND raw_data IS NOT NULL", id), "1000");
	cr_assert_gt(atoi(db_value("SELECT throttled FROM strava_rate_limit")),
	    0);
	client_get(c, "/", &r);
	cr_assert_not(resp_has(&r, "Importing your Strava history"));
	resp_done(&r);
	secs = atof(db_value("SELECT extract(epoch FROM finished_at -"
	    " created_at) FROM strava_imports WHERE user_id = '%s'", id));
	fprintf(stderr, "strava import: %d activities in %.2f s (%.0f/s, "
	    "including the 429 waits), %s Strava round trips (%d pages + "
	    "429s), dashboard polled 'importing' %d times\n", IMPORT_COUNT,
	    secs, IMPORT_COUNT / (secs > 0 ? secs : 1), db_value("SELECT"
	    " requests FROM strava_imports WHERE user_id = '%s'", id),
	    IMPORT_COUNT / 200 + 1, importing);
	/* raw_data clean-up keeps the columns. */
	{
		struct config	 cfg;
		struct db	*db;
		char		 err[256];

		cr_assert_eq(config_load(&cfg, err, sizeof(err)), 0);
		db = db_new(cfg.database_url);
		cfg.raw_data_days = 0;	/* everything is old enough */
		cr_assert_geq(import_cleanup_raw(&cfg, db), 1000);
		db_free(db);
	}
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s' AND raw_data IS NULL AND distance > 0", id),
	    "1000");
}

/* Paris date of today - days_ago, as YYYY-MM-DD. */
static const char *
day(int days_ago)
{
	static char	out[8][16];
	static int	k;

	k = (k + 1) % 8;
	snprintf(out[k], sizeof(out[k]), "%s", db_value("SELECT ((NOW() AT"
	    " TIME ZONE 'Europe/Paris')::date - %d)::text", days_ago));
	return out[k];
}

static void
record(long long athlete, const char *date, const char *time_,
    const char *tz, int metres, const char *sport)
{
	char	body[512];
	long	st;

	snprintf(body, sizeof(body), "athlete_id=%lld&date=%s&time=%s"
	    "&timezone=%s&distance=%d&duration=%d&sport_type=%s", athlete,
	    date, time_, tz, metres, metres * 3 / 10, sport);
	json_decref(sb_call("POST", "/_sandbox/activities", body, false, &st));
	cr_assert_eq(st, 201, "%s", body);
}

static const char *
my_id(void)
{
	static char id[64];

	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM users WHERE"
	    " lower(email) = lower('%s')", runner_email));
	return id;
}

/* A plan of the runner with one workout per (days_ago, metres). */
static void
plan_with(const char *user_id, const int (*w)[2], size_t n)
{
	char	plan[64];
	size_t	i;

	snprintf(plan, sizeof(plan), "%s", db_value("INSERT INTO"
	    " training_plans (user_id, name, race_distance, race_date,"
	    " start_date, total_weeks) VALUES ('%s', 'Test plan', 21097,"
	    " '%s', '%s', 9) RETURNING id", user_id, day(-30), day(30)));
	for (i = 0; i < n; i++)
		cr_assert_eq(db_exec_sql("INSERT INTO workouts (training_plan_id,"
		    " week_number, scheduled_date, workout_type, distance)"
		    " VALUES ('%s', 1, '%s', 'easy', %d)", plan, day(w[i][0]),
		    w[i][1]), 1);
}

/* Completions of the runner's workout on days_ago, and agreement. */
#define WORKOUT_ON \
    " FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id" \
    " WHERE p.user_id = '%s' AND w.scheduled_date = '%s'"

static int
completions(const char *user_id, int days_ago)
{
	int n;

	n = atoi(db_value("SELECT (SELECT count(*) FROM workout_completions c"
	    " WHERE c.workout_id = w.id)" WORKOUT_ON, user_id, day(days_ago)));
	cr_assert_str_eq(db_value("SELECT (w.completed_at IS NOT NULL)"
	    WORKOUT_ON, user_id, day(days_ago)), n ? "t" : "f",
	    "completed_at disagrees on day -%d", days_ago);
	return n;
}

static void
reimport(const char *user_id)
{
	db_exec_sql("UPDATE strava_imports SET status = 'pending', page = 1,"
	    " done = 0 WHERE user_id = '%s'", user_id);
	db_exec_sql("INSERT INTO jobs (kind, user_id, dedup_key) VALUES"
	    " ('strava.import', '%s', '%s')", user_id, user_id);
	cr_assert(wait_import(user_id, WAIT_SECONDS, NULL), "re-import");
}

Test(strava, import_matches_at_the_edges)
{
	static const int w[][2] = {
		{ 20, 10000 }, { 19, 10000 }, { 18, 10000 }, { 17, 10000 },
		{ 16, 8000 }, { 15, 8000 }, { 14, 16000 }, { 13, 6000 },
		{ 12, 10000 },
	};
	long long	 athlete = new_athlete("Edge");
	const char	*id = my_id();

	plan_with(id, w, NELEM(w));
	record(athlete, day(20), "07:00", "Europe/Paris", 9000, "Run");
	record(athlete, day(19), "07:00", "Europe/Paris", 11000, "Run");
	record(athlete, day(18), "07:00", "Europe/Paris", 8900, "Run");
	record(athlete, day(17), "07:00", "Europe/Paris", 11100, "Run");
	/* 23:30 in Sao Paulo: the UTC date is the next day. */
	record(athlete, day(16), "23:30", "America/Sao_Paulo", 8000, "Run");
	record(athlete, day(14), "07:00", "Europe/Paris", 8000, "Run");
	record(athlete, day(14), "19:00", "Europe/Paris", 8000, "Run");
	record(athlete, day(13), "07:00", "Europe/Paris", 6000, "Run");
	record(athlete, day(12), "07:00", "Europe/Paris", 10000, "Ride");
	cr_assert_str_eq(connect_runner(athlete), id);
	cr_assert(wait_import(id, WAIT_SECONDS, NULL));

	cr_assert_eq(completions(id, 20), 1, "exactly 90%% completes");
	cr_assert_eq(completions(id, 19), 1, "exactly 110%% completes");
	/* Outside +-10 %: linked as a partial run (issue 15.4), not done. */
	cr_assert_eq(completions(id, 18), 1, "89%% is a partial run");
	cr_assert_eq(completions(id, 17), 1, "111%% is a partial run");
	cr_assert_str_eq(db_value("SELECT count(*) FROM workouts w JOIN"
	    " training_plans p ON p.id = w.training_plan_id WHERE p.user_id ="
	    " '%s' AND w.scheduled_date IN ('%s', '%s') AND w.manual_status"
	    " IS NULL", id, day(18), day(17)), "2");
	cr_assert_eq(completions(id, 16), 1, "late run: its local date");
	cr_assert_eq(completions(id, 15), 0, "not the UTC date");
	cr_assert_eq(completions(id, 14), 2, "a double run");
	cr_assert_eq(completions(id, 13), 1);
	cr_assert_eq(completions(id, 12), 0, "a ride never completes a run");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s' AND sport_type = 'Ride'", id), "1");
	cr_assert_str_eq(db_value("SELECT start_date_local::text FROM"
	    " strava_activities WHERE user_id = '%s' AND timezone LIKE"
	    " '%%Sao_Paulo'", id), db_value("SELECT '%s 23:30:00'", day(16)));

	/* The runner undoes a match by hand; a re-import keeps it undone. */
	db_exec_sql("WITH c AS (DELETE FROM workout_completions c USING"
	    " workouts w, training_plans p WHERE c.workout_id = w.id AND"
	    " p.id = w.training_plan_id AND p.user_id = '%s' AND"
	    " w.scheduled_date = '%s' RETURNING c.workout_id,"
	    " c.strava_activity_id) INSERT INTO workout_unmatches"
	    " SELECT workout_id, strava_activity_id FROM c", id, day(13));
	db_exec_sql("UPDATE workouts SET completed_at = NULL WHERE"
	    " scheduled_date = '%s' AND training_plan_id IN (SELECT id FROM"
	    " training_plans WHERE user_id = '%s')", day(13), id);
	reimport(id);
	cr_assert_eq(completions(id, 13), 0, "an unmatch survives re-import");
	cr_assert_eq(completions(id, 20), 1);
	cr_assert_eq(completions(id, 14), 2);
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", id), "9");
}

/*
 * Issue 15.1: Strava's data goes, but a confirmation page says exactly
 * what, and a workout a Strava run completed stays done as the runner's
 * own record (hand-marked, the run's end time kept); one run only partly
 * loses its run.
 */
Test(strava, disconnect_deletes_and_deauthorizes)
{
	static const int w[][2] = { { 5, 10000 }, { 6, 10000 } };
	long long		 athlete = new_athlete("Dis");
	const char		*id = my_id();
	struct http_resp	 r;
	char			*ended;

	plan_with(id, w, NELEM(w));
	record(athlete, day(5), "07:00", "Europe/Paris", 10000, "Run");
	record(athlete, day(6), "07:00", "Europe/Paris", 5000, "Run");
	connect_runner(athlete);
	cr_assert(wait_import(id, WAIT_SECONDS, NULL));
	cr_assert_eq(completions(id, 5), 1);
	cr_assert_eq(completions(id, 6), 1, "the short run is a partial one");
	ended = strdup(db_value("SELECT completed_at::text FROM workouts w"
	    " JOIN training_plans p ON p.id = w.training_plan_id WHERE"
	    " p.user_id = '%s' AND w.scheduled_date = '%s'", id, day(5)));

	client_get(c, "/settings", &r);
	cr_assert(resp_has(&r, "href=\"/strava/disconnect\""));
	cr_assert(resp_has(&r, "stay done as your own record"));
	cr_assert(!resp_has(&r, "keeps the runs already imported"));
	resp_done(&r);
	cr_assert_eq(client_get(c, "/strava/disconnect", &r), 200);
	cr_assert(resp_has(&r, "action=\"/strava/disconnect\""));
	cr_assert(resp_has(&r, "<strong>2 runs</strong> imported from Strava"));
	cr_assert(resp_has(&r, "<strong>1 workout</strong> done with a Strava"
	    " run stay done"));
	cr_assert(resp_has(&r, "<strong>1 workout</strong> run only partly"));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", id), "2", "the GET changes nothing");
	cr_assert_eq(client_post(c, "/strava/disconnect", "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT manual_status || ' ' ||"
	    " (completed_at::text = '%s') FROM workouts w JOIN training_plans p"
	    " ON p.id = w.training_plan_id WHERE p.user_id = '%s' AND"
	    " w.scheduled_date = '%s'", ended, id, day(5)), "done true",
	    "done stays done, the run's end time kept");
	free(ended);
	cr_assert_str_eq(db_value("SELECT COALESCE(manual_status, 'none') ||"
	    " ' ' || (completed_at IS NULL) FROM workouts w JOIN training_plans"
	    " p ON p.id = w.training_plan_id WHERE p.user_id = '%s' AND"
	    " w.scheduled_date = '%s'", id, day(6)), "none true");
	cr_assert(sb_revoked(athlete), "deauthorize did not reach Strava");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", id), "0");
	cr_assert_str_eq(db_value("SELECT COALESCE(strava_access_token, '') ||"
	    " COALESCE(strava_refresh_token, '') ||"
	    " COALESCE(strava_athlete_id::text, '') FROM users WHERE id ="
	    " '%s'", id), "");
	client_get(c, "/settings", &r);
	cr_assert(resp_has(&r, "Strava disconnected"));
	cr_assert(resp_has(&r, "Connect with Strava"));
	resp_done(&r);
	cr_assert_eq(client_get(c, "/strava/disconnect", &r), 303,
	    "nothing to confirm once disconnected");
	resp_done(&r);
}
