/*
 * build/cadence strava: the Strava push subscription (webhooks).
 *
 *	cadence strava subscribe	create it (or adopt the one Strava
 *					has for our callback) and store its id
 *	cadence strava subscription	show Strava's and ours
 *	cadence strava unsubscribe	delete it at Strava and here
 *
 * Exit status: 0 done (or, for `subscription`, subscribed and in step);
 * 1 Strava or the database failed; 2 usage or configuration; 3 for
 * `subscription`: not subscribed, or Strava and our table disagree.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/config.h"
#include "db/db.h"
#include "strava/subscription.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2
#define EXIT_OUT_OF_STEP 3

static int
usage(void)
{
	fprintf(stderr, "usage: cadence strava subscribe | subscription | "
	    "unsubscribe\n");
	return EXIT_USAGE;
}

static int
fail(const char *what)
{
	fprintf(stderr, "cadence strava: %s\n", what);
	return EXIT_FAILED;
}

static int
subscribe(const struct config *cfg, struct db *db)
{
	struct strava_sub	 remote, mine;
	char			 err[SUB_ERR_MAX];

	if (cfg->strava_verify_token[0] == '\0') {
		fprintf(stderr, "cadence strava: STRAVA_WEBHOOK_VERIFY_TOKEN "
		    "is not set (Strava echoes it to validate the "
		    "callback)\n");
		return EXIT_USAGE;
	}
	memset(&mine, 0, sizeof(mine));
	sub_callback_url(cfg, mine.callback_url, sizeof(mine.callback_url));
	if (sub_remote_get(cfg, &remote, err, sizeof(err)) == -1)
		return fail(err);
	if (remote.id != 0 && strcmp(remote.callback_url,
	    mine.callback_url) != 0) {
		fprintf(stderr, "cadence strava: Strava already has "
		    "subscription %" PRId64 " for %s (one per application); "
		    "'cadence strava unsubscribe' removes it\n", remote.id,
		    remote.callback_url);
		return EXIT_FAILED;
	}
	if (remote.id != 0) {
		mine.id = remote.id;
		printf("subscription %" PRId64 " already exists for %s: "
		    "reused\n", mine.id, mine.callback_url);
	} else {
		/* Strava now sends its validation GET to the callback. */
		if (sub_remote_create(cfg, mine.callback_url, &mine.id, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "cadence strava: %s\n(Strava must reach "
			    "%s, served by a running Cadence with the same "
			    "STRAVA_WEBHOOK_VERIFY_TOKEN)\n", err,
			    mine.callback_url);
			return EXIT_FAILED;
		}
		printf("subscribed: subscription %" PRId64 " for %s\n", mine.id,
		    mine.callback_url);
	}
	if (sub_local_set(db, &mine) == -1)
		return fail("could not store the subscription id in the "
		    "database; run 'cadence strava subscribe' again");
	if (cfg->strava_subscription_id != 0 &&
	    cfg->strava_subscription_id != mine.id)
		fprintf(stderr, "cadence strava: warning: STRAVA_SUBSCRIPTION_ID"
		    " is %d: events of subscription %" PRId64 " will be "
		    "refused until it is changed or unset\n",
		    cfg->strava_subscription_id, mine.id);
	return 0;
}

static int
show(const struct config *cfg, struct db *db)
{
	struct strava_sub	 remote, mine;
	char			 err[SUB_ERR_MAX];

	if (sub_remote_get(cfg, &remote, err, sizeof(err)) == -1)
		return fail(err);
	if (sub_local_get(db, &mine) == -1)
		return fail("cannot read strava_webhook_subscription");
	if (remote.id != 0)
		printf("strava:  subscription %" PRId64 " -> %s\n", remote.id,
		    remote.callback_url);
	else
		printf("strava:  no subscription\n");
	if (mine.id != 0)
		printf("cadence: subscription %" PRId64 " -> %s\n", mine.id,
		    mine.callback_url);
	else
		printf("cadence: no subscription stored (events of any "
		    "subscription are accepted)\n");
	if (cfg->strava_subscription_id != 0)
		printf("STRAVA_SUBSCRIPTION_ID=%d: only its events are "
		    "accepted\n", cfg->strava_subscription_id);
	if (remote.id == 0 || remote.id != mine.id) {
		printf("not in step: run 'cadence strava subscribe'\n");
		return EXIT_OUT_OF_STEP;
	}
	return 0;
}

static int
unsubscribe(const struct config *cfg, struct db *db)
{
	struct strava_sub	 remote, mine;
	char			 err[SUB_ERR_MAX];

	if (sub_remote_get(cfg, &remote, err, sizeof(err)) == -1)
		return fail(err);
	if (sub_local_get(db, &mine) == -1)
		return fail("cannot read strava_webhook_subscription");
	if (remote.id != 0 && sub_remote_delete(cfg, remote.id, err,
	    sizeof(err)) == -1)
		return fail(err);
	/* Ours may name one Strava no longer has: forget it all the same. */
	if (sub_local_clear(db) == -1)
		return fail("could not clear strava_webhook_subscription");
	if (remote.id == 0 && mine.id == 0)
		printf("no subscription\n");
	else
		printf("unsubscribed: subscription %" PRId64 " deleted\n",
		    remote.id != 0 ? remote.id : mine.id);
	return 0;
}

int
cmd_strava(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	char		 err[512];
	int		 rc;

	if (argc != 2)
		return usage();
	if (strcmp(argv[1], "subscribe") != 0 &&
	    strcmp(argv[1], "subscription") != 0 &&
	    strcmp(argv[1], "unsubscribe") != 0)
		return usage();
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return EXIT_USAGE;
	}
	if (cfg.strava_client_id[0] == '\0' ||
	    cfg.strava_client_secret[0] == '\0') {
		fprintf(stderr, "cadence strava: STRAVA_CLIENT_ID and "
		    "STRAVA_CLIENT_SECRET must be set\n");
		return EXIT_USAGE;
	}
	db = db_new(cfg.database_url);
	if (!db_ready(db)) {
		db_free(db);
		return fail("cannot reach the database");
	}
	if (strcmp(argv[1], "subscribe") == 0)
		rc = subscribe(&cfg, db);
	else if (strcmp(argv[1], "subscription") == 0)
		rc = show(&cfg, db);
	else
		rc = unsubscribe(&cfg, db);
	db_free(db);
	return rc;
}
