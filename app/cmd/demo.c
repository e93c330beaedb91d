/*
 * build/cadence demo: creates (once) the demo runner of `make run`,
 * demo@cadence.test with password demo-runner, so every page has
 * something to show on first start.  The runner also gets (once: only
 * while it has no plan) an active half-marathon plan that started about
 * six weeks ago, so the calendar has a past and a future.
 */
#include <sodium.h>
#include <stdio.h>

#include "commands.h"
#include "core/config.h"
#include "core/password.h"
#include "db/db.h"
#include "db/plan_store.h"
#include "domain/plan_gen.h"
#include "strava/connection.h"

#define DEMO_EMAIL	"demo@cadence.test"
#define DEMO_PASSWORD	"demo-runner"
#define DEMO_ATHLETE	9001	/* the Strava sandbox's seeded athlete */
#define DEMO_PLAN_WEEKS	13	/* week 1 began six weeks before this one */

static const struct db_stmt q_exists = DB_STMT("demo_exists",
    "SELECT id FROM users WHERE lower(email) = $1");
static const struct db_stmt q_create = DB_STMT("demo_create",
    "WITH u AS (INSERT INTO users (email, name, password_hash)"
    "           VALUES ($1, 'Demo Runner', $2) RETURNING id)"
    " INSERT INTO athlete_profiles (user_id, timezone, weekly_distance,"
    "        longest_run, recent_race_distance, recent_race_time)"
    " SELECT id, 'Europe/Paris', 35000, 14000, 10000, 2940 FROM u"
    " RETURNING user_id");
static const struct db_stmt q_linked = DB_STMT("demo_strava_linked",
    "SELECT strava_athlete_id IS NOT NULL FROM users WHERE id = $1");
static const struct db_stmt q_today = DB_STMT("demo_today",
    "SELECT (now() AT TIME ZONE 'Europe/Paris')::date");

/* The demo plan: a half marathon on the Sunday six weeks from now. */
static int
demo_plan(struct db *db, const char *user_id)
{
	static const struct plan_race race = { "Demo half marathon",
	    "Paris Half Marathon", "Paris", NULL };
	struct plan_input	 in = { 0 };
	struct plan		 p;
	char			 id[PLAN_ID_LEN];
	PGresult		*r;
	int			 has, rc;

	if ((has = plan_store_has_plan(db, user_id)) != 0)
		return has < 0 ? -1 : 0;
	if ((r = db_exec(db, &q_today, 0, NULL)) == NULL)
		return -1;
	rc = date_parse(db_val(r, 0, 0), &in.today) ? 0 : -1;
	PQclear(r);
	if (rc == -1)
		return -1;
	in.race_distance = 21097;
	in.first_day = WD_MON;
	in.race_date = date_week_start(in.today, WD_MON) +
	    7 * (DEMO_PLAN_WEEKS - 7) + WD_SUN;
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
	rc = plan_store_create(db, user_id, &race, &in, &p, id);
	plan_free(&p);
	if (rc == 0)
		printf("demo: created the demo plan %s\n", id);
	return rc;
}

/*
 * With the Strava sandbox, the demo runner is connected to the seeded
 * athlete through the real OAuth flow (the consent form approved as a
 * browser would) and the history import is queued, so the calendar shows
 * matched runs once the job worker has run.  Idempotent: a runner already
 * linked is left alone; a failure is reported but never fatal.
 */
static int
demo_strava(const struct config *cfg, struct db *db, const char *user_id)
{
	const char	*p[1] = { user_id };
	char		 code[256], err[256];
	PGresult	*r;
	bool		 linked;

	if (!cfg->sandbox)
		return 0;
	if ((r = db_exec(db, &q_linked, 1, p)) == NULL)
		return 1;
	linked = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	if (linked)
		return 0;
	if (strava_sandbox_authorize(cfg, DEMO_ATHLETE, code, sizeof(code),
	    err, sizeof(err)) == -1 ||
	    strava_connect_code(cfg, db, user_id, code, STRAVA_SCOPE, err,
	    sizeof(err)) != CONNECT_OK) {
		fprintf(stderr, "demo: Strava sandbox not connected: %s\n", err);
		return 0;
	}
	printf("demo: connected to Strava sandbox athlete %d; importing\n",
	    DEMO_ATHLETE);
	return 0;
}

int
cmd_demo(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	char		 err[512], hash[PASSWORD_HASH_MAX];
	char		 user_id[PLAN_ID_LEN];
	const char	*p[2] = { DEMO_EMAIL, hash };
	PGresult	*r;
	int		 rc = 1;

	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	db = db_new(cfg.database_url);
	if ((r = db_exec(db, &q_exists, 1, p)) == NULL)
		goto out;
	if (PQntuples(r) == 1) {
		snprintf(user_id, sizeof(user_id), "%s", db_val(r, 0, 0));
		PQclear(r);
		rc = demo_plan(db, user_id) == 0 ?
		    demo_strava(&cfg, db, user_id) : 1;
		goto out;
	}
	PQclear(r);
	if (password_hash(DEMO_PASSWORD, hash) != 0 ||
	    (r = db_exec(db, &q_create, 2, p)) == NULL)
		goto out;
	snprintf(user_id, sizeof(user_id), "%s", db_val(r, 0, 0));
	PQclear(r);
	printf("demo: created %s (password %s)\n", DEMO_EMAIL, DEMO_PASSWORD);
	rc = demo_plan(db, user_id) == 0 ?
	    demo_strava(&cfg, db, user_id) : 1;
out:
	db_free(db);
	return rc;
}
