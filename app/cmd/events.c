/*
 * build/cadence events: Strava's webhook events for operators (each is
 * worked as a job of the job queue: jobs/jobs.h).
 *
 *	cadence events [--limit N]	pending and failed events, failed first
 *	cadence events retry ID		queue event ID again (a new job)
 *	cadence events retry --all-failed
 *	cadence events settings [NAME=VALUE ...]
 *					intake limits, not-found window and
 *					retention, shared by every host
 *	cadence events purge		the retention purge, now
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"
#include "db/webhooks.h"
#include "strava/webhook_housekeeping.h"
#include "strava/webhook_queue.h"

#define EVENTS_DEFAULT_LIMIT	50
#define EVENTS_MAX_LIMIT	100000
#define SETTING_MAX		100000000	/* any setting's largest value */

static int
usage(void)
{
	fprintf(stderr, "usage: cadence events [--limit N]\n"
	    "       cadence events retry ID | --all-failed\n"
	    "       cadence events settings [NAME=VALUE ...]\n"
	    "       cadence events purge\n");
	return 2;
}

static int
list(struct db *db, int limit)
{
	struct db_webhook_counts	 c;
	struct db_webhook_listed	*l;
	arena_t				 a;
	int				 i, n;

	if (db_webhooks_counts(db, true, &c) == -1)
		return 1;
	printf("%ld pending, %ld failed, %ld processed\n", c.pending, c.failed,
	    c.processed);
	arena_init(&a);
	if ((n = db_webhooks_list(db, &a, limit, &l)) == -1) {
		arena_free(&a);
		return 1;
	}
	if (n > 0)
		printf("%-36s  %-8s  %8s  %-19s  %-30s  %-10s  %s\n", "ID",
		    "STATUS", "ATTEMPTS", "NEXT/FAILED (UTC)", "EVENT",
		    "ATHLETE", "ERROR");
	for (i = 0; i < n; i++)
		printf("%-36s  %-8s  %8d  %-19s  %-30s  %-10s  %s\n",
		    l[i].id, l[i].status, l[i].attempts, l[i].when,
		    l[i].event, l[i].athlete, l[i].error);
	arena_free(&a);
	return 0;
}

static int
retry(struct db *db, const char *what)
{
	bool	all = strcmp(what, "--all-failed") == 0;
	long	n;

	if (!all && !uuid_valid(what)) {
		fprintf(stderr, "cadence events: '%s' is not an event id\n",
		    what);
		return 2;
	}
	if ((n = db_webhooks_requeue(db, all ? NULL : what)) < 0)
		return 1;
	printf("%ld event%s queued again\n", n, n == 1 ? "" : "s");
	return n == 0 && !all ? 1 : 0;
}

/* NAME=VALUE into v[]; false (message printed) for anything else. */
static bool
parse_setting(const char *arg, int v[WS__COUNT])
{
	const char	*eq = strchr(arg, '=');
	size_t		 n = eq != NULL ? (size_t)(eq - arg) : 0;
	int		 i;

	for (i = 0; i < WS__COUNT; i++)
		if (n == strlen(webhook_setting_names[i]) &&
		    strncmp(arg, webhook_setting_names[i], n) == 0)
			break;
	if (i == WS__COUNT) {
		fprintf(stderr, "cadence events settings: unknown setting "
		    "'%.*s'\n", (int)(eq != NULL ? n : strlen(arg)), arg);
		return false;
	}
	if (!parse_int(eq + 1, 0, SETTING_MAX, &v[i])) {
		fprintf(stderr, "cadence events settings: %s must be a whole "
		    "number from 0 to %d\n", webhook_setting_names[i],
		    SETTING_MAX);
		return false;
	}
	return true;
}

static int
settings(struct db *db, int argc, char **argv)
{
	struct webhook_settings	 s;
	int			 v[WS__COUNT], i;

	for (i = 0; i < WS__COUNT; i++)
		v[i] = -1;
	for (i = 0; i < argc; i++)
		if (!parse_setting(argv[i], v))
			return 2;
	if (argc > 0 && db_webhooks_settings_store(db, v) == -1) {
		fprintf(stderr, "cadence events settings: not changed (a "
		    "value the database refuses?)\n");
		return 1;
	}
	if (db_webhooks_settings_load(db, &s) == -1)
		return 1;
	for (i = 0; i < WS__COUNT; i++)
		printf("%s=%d\n", webhook_setting_names[i], s.v[i]);
	return 0;
}

static int
purge(struct db *db)
{
	struct webhook_settings	s;
	struct purge_counts	c;

	if (db_webhooks_settings_load(db, &s) == -1 ||
	    housekeeping_purge(db, &s, &c) == -1)
		return 1;
	printf("purged: %ld processed, %ld of unknown athletes, %ld failed "
	    "event(s); %ld resync row(s)\n", c.processed, c.unknown, c.failed,
	    c.resync);
	return 0;
}

int
cmd_events(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	char		 err[512];
	int		 rc, limit = EVENTS_DEFAULT_LIMIT;

	if (argc == 3 && strcmp(argv[1], "--limit") == 0) {
		if (!parse_int(argv[2], 1, EVENTS_MAX_LIMIT, &limit))
			return usage();
	} else if (argc != 1 && !(argc == 3 && strcmp(argv[1], "retry") == 0) &&
	    !(argc >= 2 && strcmp(argv[1], "settings") == 0) &&
	    !(argc == 2 && strcmp(argv[1], "purge") == 0))
		return usage();
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	db = db_new(cfg.database_url);
	if (!db_ready(db)) {
		fprintf(stderr, "cadence events: cannot reach the database\n");
		db_free(db);
		return 1;
	}
	if (argc == 3 && strcmp(argv[1], "retry") == 0)
		rc = retry(db, argv[2]);
	else if (argc >= 2 && strcmp(argv[1], "settings") == 0)
		rc = settings(db, argc - 2, argv + 2);
	else if (argc == 2 && strcmp(argv[1], "purge") == 0)
		rc = purge(db);
	else
		rc = list(db, limit);
	db_free(db);
	return rc;
}
