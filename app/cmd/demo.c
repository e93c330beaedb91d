/*
 * build/cadence demo: creates (once) the demo runner of `make run`,
 * demo@cadence.test with password demo-runner, so every page has
 * something to show on first start.
 */
#include <sodium.h>
#include <stdio.h>

#include "commands.h"
#include "core/config.h"
#include "core/password.h"
#include "db/db.h"

#define DEMO_EMAIL	"demo@cadence.test"
#define DEMO_PASSWORD	"demo-runner"

static const struct db_stmt q_exists = DB_STMT("demo_exists",
    "SELECT id FROM users WHERE lower(email) = $1");
static const struct db_stmt q_create = DB_STMT("demo_create",
    "WITH u AS (INSERT INTO users (email, name, password_hash)"
    "           VALUES ($1, 'Demo Runner', $2) RETURNING id)"
    " INSERT INTO athlete_profiles (user_id, timezone, weekly_distance,"
    "        longest_run, recent_race_distance, recent_race_time)"
    " SELECT id, 'Europe/Paris', 35000, 14000, 10000, 2940 FROM u"
    " RETURNING user_id");

int
cmd_demo(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	char		 err[512], hash[PASSWORD_HASH_MAX];
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
		PQclear(r);
		rc = 0;
		goto out;
	}
	PQclear(r);
	if (password_hash(DEMO_PASSWORD, hash) != 0 ||
	    (r = db_exec(db, &q_create, 2, p)) == NULL)
		goto out;
	PQclear(r);
	printf("demo: created %s (password %s)\n", DEMO_EMAIL, DEMO_PASSWORD);
	rc = 0;
out:
	db_free(db);
	return rc;
}
