/*
 * Garmin Connect through nginx and the pool against the Garmin sandbox
 * (scripts/env.sh starts it): connecting with OAuth 2.0 PKCE, the state's
 * checks, sealed tokens, refresh-token rotation under one lock, and
 * disconnecting.  Alone: scripts/itest.sh with the garmin suite's filter.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"
#include "garmin/connection.h"
#include "garmin_helpers.h"
#include "strava/tokens.h"

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

TestSuite(garmin, .init = setup, .fini = teardown, .timeout = 90);

/* The sandbox's tokens of user: how many grants, the last ones. */
static int
grants(const char *user, char access[128], char refresh[128], int *used)
{
	json_t	*j = gs_call(c, "GET", "/_sandbox/tokens", NULL, NULL), *g;
	size_t	 i;
	int	 n = 0;

	if (used != NULL)
		*used = 0;
	json_array_foreach(j, i, g) {
		if (strcmp(json_string_value(json_object_get(g, "userId")),
		    user) != 0)
			continue;
		n++;
		if (access != NULL)
			snprintf(access, 128, "%s", json_string_value(
			    json_object_get(g, "access_token")));
		if (refresh != NULL)
			snprintf(refresh, 128, "%s", json_string_value(
			    json_object_get(g, "refresh_token")));
		if (used != NULL && json_is_true(json_object_get(g,
		    "refresh_used")))
			(*used)++;
	}
	json_decref(j);
	return n;
}

static void
load_cfg(struct config *cfg, unsigned char key[TOKEN_KEY_BYTES])
{
	char err[256];

	cr_assert_eq(config_load(cfg, err, sizeof(err)), 0, "%s", err);
	cr_assert(token_key(cfg, key));
}

Test(garmin, connect_uses_pkce_and_seals_tokens)
{
	const char		*user = gs_new_user(c, "Pat Kce"), *runner;
	const char		*stored;
	struct http_resp	 r;
	char			 loc[2048], access[128], out[GARMIN_TOKEN_MAX];
	struct client		*b = client_new();
	struct config		 cfg;
	unsigned char		 key[TOKEN_KEY_BYTES];

	/* The consent URL: S256 challenge, our callback, no scope. */
	client_signup(b, "garminurl", loc);
	cr_assert_eq(client_get(b, "/garmin/connect", &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	client_free(b);
	cr_assert(str_has_prefix(loc, gs_url()), "%s", loc);
	cr_assert_not_null(strstr(loc, "/oauth2Confirm?client_id="));
	cr_assert_str_eq(gs_qparam(loc, "code_challenge_method"), "S256");
	cr_assert_eq(strlen(gs_qparam(loc, "code_challenge")), 43);
	cr_assert_str_eq(gs_qparam(loc, "response_type"), "code");
	cr_assert_null(strstr(loc, "scope="), "%s", loc);
	cr_assert_not_null(strstr(gs_qparam(loc, "redirect_uri"),
	    "%2Fgarmin%2Fcallback"));

	cr_assert_eq(gs_connect(c, "garmin", user,
	    "ACTIVITY_EXPORT,WORKOUT_IMPORT", &runner), 303);
	cr_assert_str_eq(db_value("SELECT garmin_user_id FROM"
	    " garmin_connections WHERE user_id = '%s'", runner), user);
	cr_assert_str_eq(db_value("SELECT permissions FROM garmin_connections"
	    " WHERE user_id = '%s'", runner), "ACTIVITY_EXPORT,WORKOUT_IMPORT");
	cr_assert_eq(grants(user, access, NULL, NULL), 1);
	stored = db_value("SELECT access_token FROM garmin_connections WHERE"
	    " user_id = '%s'", runner);
	cr_assert(str_has_prefix(stored, "k1:"), "%s", stored);
	cr_assert_null(strstr(stored, access));
	/* Sealed for this runner and this column only. */
	load_cfg(&cfg, key);
	cr_assert(token_open(key, runner, GARMIN_COL_ACCESS, stored, out,
	    sizeof(out)));
	cr_assert_str_eq(out, access);
	cr_assert_not(token_open(key, runner, GARMIN_COL_REFRESH, stored, out,
	    sizeof(out)));
	cr_assert_not(token_open(key, "00000000-0000-0000-0000-000000000000",
	    GARMIN_COL_ACCESS, stored, out, sizeof(out)));
	/* Settings show the link and offer the disconnect. */
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	cr_assert(resp_has(&r, "Connected since"));
	cr_assert(resp_has(&r, "Shared with Cadence: your runs, workouts for your"
	    " calendar."), "%.3000s", buf_cstr(&r.body));
	cr_assert(resp_has(&r, "action=\"/garmin/disconnect\""));
	resp_done(&r);
	/* No token in the pool's log. */
	{
		char	 cmd[1024];

		snprintf(cmd, sizeof(cmd), "! grep -q '%s' '%s'", access,
		    env_or("CADENCE_LOG_FILE", "/dev/null"));
		cr_assert_eq(run_cmd("%s", cmd), 0, "token in the log");
	}
}

Test(garmin, state_is_single_use_and_bound_to_the_session)
{
	const char		*user = gs_new_user(c, "Stan State");
	struct client		*other = client_new();
	struct http_resp	 r;
	char			 email[128], loc[2048], form[4096], url[512];
	char			 back[2048];

	client_signup(c, "garminstate", email);
	client_signup(other, "garminother", email);
	cr_assert_eq(client_get(c, "/garmin/connect", &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	snprintf(form, sizeof(form), "%s&user_id=%s&decision=agree"
	    "&permissions=ACTIVITY_EXPORT", strchr(loc, '?') + 1, user);
	snprintf(url, sizeof(url), "%s/oauth2Confirm", gs_url());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 302);
	snprintf(back, sizeof(back), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	/* Another runner's session cannot spend it, and then nothing is
	 * asked of Garmin. */
	cr_assert_eq(client_get(other, back, &r), 400);
	resp_done(&r);
	cr_assert_eq(grants(user, NULL, NULL, NULL), 0);
	/* A made-up state is refused. */
	cr_assert_eq(client_get(c, "/garmin/callback?code=x&state=forged",
	    &r), 400);
	resp_done(&r);
	/* Ours works once. */
	cr_assert_eq(client_get(c, back, &r), 303);
	resp_done(&r);
	cr_assert_eq(client_get(c, back, &r), 400);
	resp_done(&r);
	cr_assert_eq(grants(user, NULL, NULL, NULL), 1);
	cr_assert_str_eq(db_value("SELECT count(*) FROM garmin_connections"
	    " WHERE garmin_user_id = '%s'", user), "1");
	client_free(other);
}

Test(garmin, cancel_on_garmin_links_nothing)
{
	const char		*user = gs_new_user(c, "Cass Cancel");
	struct http_resp	 r;
	char			 email[128], loc[2048], form[4096], url[512];

	client_signup(c, "garmincancel", email);
	cr_assert_eq(client_get(c, "/garmin/connect", &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	snprintf(form, sizeof(form), "%s&user_id=%s&decision=cancel",
	    strchr(loc, '?') + 1, user);
	snprintf(url, sizeof(url), "%s/oauth2Confirm", gs_url());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 302);
	snprintf(loc, sizeof(loc), "%s", resp_header_value(&r, "Location"));
	resp_done(&r);
	cr_assert_str_eq(gs_qparam(loc, "error"), "access_denied");
	cr_assert_eq(client_get(c, loc, &r), 303);
	resp_done(&r);
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	cr_assert(resp_has(&r, "not granted"));
	cr_assert(resp_has(&r, "href=\"/garmin/connect\""));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM garmin_connections"
	    " WHERE garmin_user_id = '%s'", user), "0");
}

Test(garmin, a_garmin_user_links_one_runner)
{
	const char		*user = gs_new_user(c, "Tina Taken");
	struct client		*other = client_new();

	cr_assert_eq(gs_connect(c, "garmintaken", user, "ACTIVITY_EXPORT",
	    NULL), 303);
	cr_assert_eq(gs_connect(other, "garmintaken2", user, "ACTIVITY_EXPORT",
	    NULL), 409);
	client_free(other);
}

/*
 * An expired access token is refreshed once, by whichever of several
 * processes takes the row first; the rotated refresh token is stored
 * and works for the next refresh.
 */
Test(garmin, refresh_rotates_single_flight)
{
	const char		*user = gs_new_user(c, "Rory Rotate"), *runner;
	struct config		 cfg;
	unsigned char		 key[TOKEN_KEY_BYTES];
	char			 refresh[128], out[GARMIN_TOKEN_MAX];
	char			 runner_id[64];
	int			 i, used, status, round;
	pid_t			 kids[4];

	load_cfg(&cfg, key);
	cr_assert_eq(gs_connect(c, "garminrotate", user, "ACTIVITY_EXPORT",
	    &runner), 303);
	snprintf(runner_id, sizeof(runner_id), "%s", runner);
	for (round = 1; round <= 2; round++) {
		cr_assert_eq(db_exec_sql("UPDATE garmin_connections SET"
		    " expires_at = NOW() WHERE user_id = '%s'", runner_id), 1);
		for (i = 0; i < 4; i++) {
			if ((kids[i] = fork()) == 0) {
				struct db	*db = db_new(cfg.database_url);
				char		 a[GARMIN_TOKEN_MAX], err[256];
				int		 rc;

				rc = garmin_access_token(&cfg, db, runner_id, a,
				    NULL, err, sizeof(err));
				db_free(db);
				_exit(rc == GARMIN_TOKEN_OK ? 0 : 1);
			}
		}
		for (i = 0; i < 4; i++) {
			cr_assert_eq(waitpid(kids[i], &status, 0), kids[i]);
			cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			    "round %d: process %d got no token", round, i);
		}
		/* One refresh per round: one more grant, one more spent. */
		cr_assert_eq(grants(user, NULL, refresh, &used), 1 + round);
		cr_assert_eq(used, round);
		cr_assert(token_open(key, runner_id, GARMIN_COL_REFRESH,
		    db_value("SELECT refresh_token FROM garmin_connections"
		    " WHERE user_id = '%s'", runner_id), out, sizeof(out)));
		cr_assert_str_eq(out, refresh, "the new refresh token is kept");
	}
	cr_assert_str_eq(db_value("SELECT needs_reconnect FROM"
	    " garmin_connections WHERE user_id = '%s'", runner_id), "f");
}

Test(garmin, disconnect_deregisters_and_deletes_garmin_runs)
{
	const char		*user = gs_new_user(c, "Dora Drop"), *runner;
	struct http_resp	 r;
	char			 runner_id[64];

	cr_assert_eq(gs_connect(c, "garmindrop", user, "ACTIVITY_EXPORT",
	    &runner), 303);
	snprintf(runner_id, sizeof(runner_id), "%s", runner);
	cr_assert(gs_registered(c, user));
	cr_assert_eq(db_exec_sql("INSERT INTO strava_activities (user_id,"
	    " name, source, distance, moving_time, elapsed_time, sport_type,"
	    " start_date, start_date_local) VALUES ('%s', 'Garmin run',"
	    " 'garmin', 5000, 1500, 1500, 'Run', NOW(), NOW()),"
	    " ('%s', 'File run', 'file', 8000, 2400, 2400, 'Run',"
	    " NOW() - interval '1 day', NOW() - interval '1 day')",
	    runner_id, runner_id), 2);
	/* CSRF first: a POST without the token changes nothing. */
	cr_assert_eq(client_req(c, "POST", "/garmin/disconnect", "", NULL,
	    &r), 403);
	resp_done(&r);
	cr_assert(gs_registered(c, user));
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	client_take_csrf(c, &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/garmin/disconnect", "", &r), 303);
	resp_done(&r);
	cr_assert_not(gs_registered(c, user), "Garmin was asked to forget us");
	cr_assert_str_eq(db_value("SELECT count(*) FROM garmin_connections"
	    " WHERE user_id = '%s' AND garmin_user_id IS NULL AND"
	    " access_token IS NULL AND disconnected_at IS NOT NULL",
	    runner_id), "1");
	cr_assert_str_eq(db_value("SELECT string_agg(source, ',') FROM"
	    " strava_activities WHERE user_id = '%s'", runner_id), "file");
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	cr_assert(resp_has(&r, "href=\"/garmin/connect\""));
	resp_done(&r);
}
