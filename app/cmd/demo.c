/*
 * build/cadence demo: creates (once) the demo runner of `make run`,
 * demo@cadence.test with password demo-runner, so every page has
 * something to show on first start.  The runner also gets (once: only
 * while it has no plan) an active half-marathon plan that started about
 * fifteen weeks ago, so the calendar and the fitness chart have months
 * of past and a future; the last week the runner was ill and did not
 * run, so the job worker proposes to adjust the plan.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/config.h"
#include "core/password.h"
#include "db/db.h"
#include "db/demo.h"
#include "db/plans.h"
#include "domain/plan_gen.h"
#include "strava/connection.h"

#define DEMO_EMAIL	"demo@cadence.test"
#define DEMO_PASSWORD	"demo-runner"
#define DEMO_SANDBOX_TIMEOUT	10L	/* seconds per sandbox call */
#define DEMO_PLAN_WEEKS	22	/* week 1 began ... */
#define DEMO_WEEKS_PAST	15	/* ... this many weeks before this one */
#define DEMO_DAYS_OFF	7	/* no run in the last days: a cold */

/* The demo plan: a half marathon on the Sunday six weeks from now. */
static int
demo_plan(struct db *db, const char *user_id)
{
	static const struct plan_race race = { "Demo half marathon",
	    "Paris Half Marathon", "Paris", NULL };
	struct plan_input	 in = { 0 };
	struct plan		 p;
	char			 id[PLAN_ID_LEN];
	int			 has, rc;

	if ((has = plans_has_any(db, user_id)) != 0)
		return has < 0 ? -1 : 0;
	if (demo_today(db, &in.today) == -1)
		return -1;
	in.race_distance = 21097;
	in.first_day = WD_MON;
	in.race_date = date_week_start(in.today, WD_MON) +
	    7 * (DEMO_PLAN_WEEKS - 1 - DEMO_WEEKS_PAST) + WD_SUN;
	in.weeks = DEMO_PLAN_WEEKS;
	in.runs_per_week = 5;
	in.long_run_day = WD_SUN;
	in.weekly_distance_m = 35000;		/* the demo profile's */
	in.longest_run_m = 14000;
	in.recent_race_distance = 10000;
	in.recent_race_time_s = 2940;
	in.unit = UNIT_KM;
	if (plan_generate(&in, &p) != 0)
		return -1;
	rc = plans_create(db, user_id, &race, &in, &p, id);
	plan_free(&p);
	if (rc == 0)
		printf("demo: created the demo plan %s\n", id);
	return rc;
}

/* POSTs a JSON object to the sandbox's control API; its reply or NULL. */
static json_t *
sandbox_post(const struct config *cfg, const char *path, json_t *body)
{
	CURL			*c = curl_easy_init();
	struct curl_slist	*h = curl_slist_append(NULL,
				    "Content-Type: application/json");
	char			 url[1100], *text = json_dumps(body, 0);
	FILE			*mem;
	char			*reply = NULL;
	size_t			 len = 0;
	long			 status = 0;
	json_t			*out = NULL;

	snprintf(url, sizeof(url), "%s%s", cfg->strava_oauth_base, path);
	if (c != NULL && text != NULL &&
	    (mem = open_memstream(&reply, &len)) != NULL) {
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, DEMO_SANDBOX_TIMEOUT);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		fclose(mem);
		if (status / 100 == 2)
			out = json_loadb(reply, len, 0, NULL);
	}
	free(reply);
	free(text);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	json_decref(body);
	return out;
}

/*
 * A sandbox athlete of the demo's own whose history is the demo plan run
 * as a real runner would: most workouts done within a few percent (some
 * a bit short, one long run cut short), a few missed, one unplanned jog,
 * and nothing in the last DEMO_DAYS_OFF days.  Returns the athlete id, or
 * 0.
 */
static int64_t
demo_sandbox_athlete(const struct config *cfg, struct db *db, arena_t *ar,
    const char *user_id)
{
	struct demo_workout	*w;
	json_t			*a, *act;
	int64_t			 id;
	int			 i, n, pct;
	char			 when[32], day[11];
	date_t			 today;

	a = sandbox_post(cfg, "/_sandbox/athletes", json_pack("{s:s, s:s, "
	    "s:s, s:s}", "firstname", "Demo", "lastname", "Runner", "city",
	    "Paris", "country", "France"));
	if (a == NULL || (id = json_integer_value(json_object_get(a, "id"))) <= 0) {
		json_decref(a);
		return 0;
	}
	json_decref(a);
	if ((n = demo_past_workouts(db, ar, user_id, &w)) < 0 ||
	    demo_today(db, &today) == -1)
		return 0;
	while (n > 0 && w[n - 1].date >= today - DEMO_DAYS_OFF)
		n--;		/* ill: nothing run lately */
	for (i = 0; i < n; i++) {
		const char	*type = w[i].type;
		long		 dist = w[i].distance_m;

		if (i % 11 == 7)		/* missed now and then */
			continue;
		/* Deterministic spread around plan: 96..104 %, one 70 %. */
		pct = i == n - 3 ? 70 : 96 + (i * 37) % 9;
		snprintf(when, sizeof(when), "%s", i % 3 == 0 ? "18:30" : "07:15");
		date_format(w[i].date, day);
		act = sandbox_post(cfg, "/_sandbox/activities", json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:i}",
		    "athlete_id", (json_int_t)id,
		    "name", strcmp(type, "Long") == 0 ? "Sunday long run" :
		    strcmp(type, "Intervals") == 0 ? "Track intervals" :
		    strcmp(type, "Tempo") == 0 ? "Tempo run" : "Easy run",
		    "sport_type", "Run", "date", day, "time", when,
		    "timezone", DEMO_TIMEZONE,
		    "distance", (json_int_t)(dist * pct / 100),
		    "moving_time", (json_int_t)(dist * pct / 100 *
		    w[i].pace_slow / 1000 * 97 / 100),
		    "average_heartrate", 138 + (i * 7) % 25,
		    "total_elevation_gain", 20 + (i * 13) % 60));
		json_decref(act);
	}
	if (n > 4) {	/* a recovery jog on a rest day: shows as unplanned */
		date_format(w[n - 4].date, day);
		json_decref(sandbox_post(cfg, "/_sandbox/activities", json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "athlete_id",
		    (json_int_t)id, "name", "Shake-out jog", "sport_type", "Run",
		    "date", day, "time", "12:10", "distance",
		    3200, "moving_time", 1150)));
	}
	return id;
}

/*
 * With the Strava sandbox, the demo runner gets a sandbox athlete whose
 * runs follow the demo plan, is connected to it through the real OAuth
 * flow (the consent form approved as a browser would) and the history
 * import is queued, so the calendar shows matched runs once the job
 * worker has run.  Idempotent: a runner already linked is left alone; a
 * failure is reported but never fatal.
 */
static int
demo_strava(const struct config *cfg, struct db *db, arena_t *a,
    const char *user_id)
{
	char		 code[256], err[256] = "";
	int		 linked;
	int64_t		 athlete;

	if (!cfg->sandbox)
		return 0;
	if ((linked = demo_strava_linked(db, user_id)) != 0)
		return linked < 0 ? 1 : 0;
	if ((athlete = demo_sandbox_athlete(cfg, db, a, user_id)) == 0 ||
	    strava_sandbox_authorize(cfg, athlete, code, sizeof(code),
	    err, sizeof(err)) == -1 ||
	    strava_connect_code(cfg, db, user_id, code, STRAVA_SCOPE, err,
	    sizeof(err)) != CONNECT_OK) {
		fprintf(stderr, "demo: Strava sandbox not connected: %s\n", err);
		return 0;
	}
	printf("demo: connected to Strava sandbox athlete %lld; importing\n",
	    (long long)athlete);
	return 0;
}

/* The demo plan, then the sandbox athlete: the exit status. */
static int
demo_runner_data(const struct config *cfg, struct db *db, arena_t *a,
    const char *user_id)
{
	return demo_plan(db, user_id) == 0 ?
	    demo_strava(cfg, db, a, user_id) : 1;
}

int
cmd_demo(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	arena_t		 a;
	char		 err[512], hash[PASSWORD_HASH_MAX];
	const char	*user_id;
	int		 rc = 1, found;

	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	db = db_new(cfg.database_url);
	arena_init(&a);
	if ((found = demo_find_runner(db, &a, DEMO_EMAIL, &user_id)) == -1)
		goto out;
	if (found == 1) {
		rc = demo_runner_data(&cfg, db, &a, user_id);
		goto out;
	}
	if (password_hash(DEMO_PASSWORD, hash) != 0 ||
	    demo_create_runner(db, &a, DEMO_EMAIL, hash, &user_id) == -1)
		goto out;
	printf("demo: created %s (password %s)\n", DEMO_EMAIL, DEMO_PASSWORD);
	rc = demo_runner_data(&cfg, db, &a, user_id);
out:
	arena_free(&a);
	db_free(db);
	return rc;
}
