/*
 * build/cadence mail test --to ADDRESS [--name NAME] [--unsubscribe URL]
 *
 * Sends templates/mail/test.* to ADDRESS through SMTP_URL, now, without
 * the job queue: the way to check a mail configuration by hand.  With
 * --unsubscribe the message carries the List-Unsubscribe headers.
 *
 * build/cadence mail weekly --now [--to ADDRESS]
 *
 * Queues this week's summary at once for every runner who has it on (or
 * the one with ADDRESS), instead of waiting for their week to start: the
 * job worker mails it as usual (a test hook, and a way to resend after an
 * outage; a week is mailed once).
 *
 * Exit status: 0 sent; 75 (EX_TEMPFAIL) temporary failure, worth trying
 * again; 1 permanent failure or a message that cannot be composed;
 * 2 usage or configuration.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "commands.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "db/mail.h"
#include "jobs/mail_notify.h"
#include "mail/smtp.h"
#include "mail/template.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2
#define EXIT_TEMPFAIL	75	/* sysexits.h: try again later */

struct args {
	const char	*to, *name, *unsubscribe;
};

static int
usage(void)
{
	fprintf(stderr, "usage: cadence mail test --to ADDRESS [--name NAME] "
	    "[--unsubscribe URL]\n       cadence mail weekly --now "
	    "[--to ADDRESS]\n");
	return EXIT_USAGE;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	if (argc < 2 || strcmp(argv[1], "test") != 0)
		return -1;
	for (i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--to") == 0)
			a->to = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			a->name = argv[i + 1];
		else if (strcmp(argv[i], "--unsubscribe") == 0)
			a->unsubscribe = argv[i + 1];
		else
			return -1;
	}
	return i == argc && a->to != NULL ? 0 : -1;
}

/* Renders and composes the test mail; exit status on failure, else 0. */
static int
build(const struct config *cfg, const struct mail_smtp *smtp,
    const struct args *a, struct mail_out *out)
{
	char			 dir[CONFIG_STR_MAX + 8], err[512], date[MAIL_DATE_MAX];
	struct mail_sender	 s;
	struct mail_addr	 to = { a->name, a->to };
	mustache_set		*set;
	json_t			*data;
	int			 rc;

	memset(out, 0, sizeof(*out));
	snprintf(dir, sizeof(dir), "%s/mail", cfg->templates_dir);
	if ((set = mail_templates_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "cadence mail: %s\n", err);
		return EXIT_USAGE;
	}
	s = (struct mail_sender){ set, { smtp->from_name, smtp->from_addr },
	    cfg->base_url };
	mail_format_date(time(NULL), date);
	data = json_pack("{s:s}", "sent_at", date);
	rc = mail_build(&s, "test", &to, data, a->unsubscribe, out, err,
	    sizeof(err));
	json_decref(data);
	mustache_set_free(set);
	if (rc != 0) {
		fprintf(stderr, "cadence mail: %s\n", err);
		return EXIT_FAILED;
	}
	return 0;
}

/* `mail weekly --now [--to ADDRESS]`: 0, or the exit status. */
static int
weekly_now(int argc, char **argv)
{
	struct config	  cfg;
	struct db	 *db;
	const char	**ids, *only = NULL;
	char		  err[512];
	arena_t		  a;
	int		  n, i, queued = 0, rc = EXIT_FAILED;

	if (argc < 3 || strcmp(argv[2], "--now") != 0 || (argc != 3 &&
	    (argc != 5 || strcmp(argv[3], "--to") != 0)))
		return usage();
	if (argc == 5)
		only = argv[4];
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence mail: %s\n", err);
		return EXIT_USAGE;
	}
	db = db_new(cfg.database_url);
	arena_init(&a);
	if (!db_ready(db))
		fprintf(stderr, "cadence mail: the database is not reachable\n");
	else if ((n = db_mail_users_with(db, &a, "weekly_summary", only,
	    &ids)) >= 0) {
		for (i = 0; i < n; i++)
			if (notify_weekly_schedule(db, ids[i], true) == 1)
				queued++;
		printf("queued %d weekly summar%s (%d runner%s with it on)\n",
		    queued, queued == 1 ? "y" : "ies", n, n == 1 ? "" : "s");
		rc = 0;
	}
	arena_free(&a);
	db_free(db);
	return rc;
}

int
cmd_mail(int argc, char **argv)
{
	struct config		cfg;
	struct mail_smtp	smtp;
	struct mail_out		out;
	struct mail_result	r;
	struct args		a;
	char			err[512];
	int			rc;

	if (argc >= 2 && strcmp(argv[1], "weekly") == 0)
		return weekly_now(argc, argv);
	if (parse_args(argc, argv, &a) != 0)
		return usage();
	if (config_load(&cfg, err, sizeof(err)) == -1 ||
	    mail_smtp_init(&smtp, &cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence mail: %s\n", err);
		return EXIT_USAGE;
	}
	if ((rc = build(&cfg, &smtp, &a, &out)) != 0) {
		mail_out_free(&out);
		return rc;
	}
	switch (mail_send(&smtp, &out, &r)) {
	case MAIL_SENT:
		printf("sent %s to %s via %s: %s, %ld ms\n", out.message_id,
		    out.to, smtp.url, r.detail, r.ms);
		rc = 0;
		break;
	case MAIL_TEMPFAIL:
		fprintf(stderr, "cadence mail: temporary failure after %ld ms, "
		    "try again later: %s\n", r.ms, r.detail);
		rc = EXIT_TEMPFAIL;
		break;
	case MAIL_PERMFAIL:
		fprintf(stderr, "cadence mail: the server refused the message: "
		    "%s\n", r.detail);
		rc = EXIT_FAILED;
		break;
	}
	mail_out_free(&out);
	return rc;
}
