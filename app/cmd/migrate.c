/* build/cadence migrate: bring DATABASE_URL's schema up to date. */
#include <stdio.h>

#include "commands.h"
#include "core/config.h"
#include "db/db.h"
#include "db/migrate.h"

int
cmd_migrate(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	char		 err[512];
	int		 n;

	if (argc > 1) {
		fprintf(stderr, "usage: cadence migrate\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	db = db_new(cfg.database_url);
	if (!db_ready(db)) {
		fprintf(stderr, "cadence migrate: cannot connect to the "
		    "database (DATABASE_URL)\n");
		db_free(db);
		return 1;
	}
	n = migrate_run(db, cfg.sql_dir);
	db_free(db);
	if (n < 0)
		return 1;
	printf("migrate: %d migration%s applied, schema up to date\n", n,
	    n == 1 ? "" : "s");
	return 0;
}
