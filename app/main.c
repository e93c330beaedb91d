/*
 * build/cadence: one binary, several subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/config.h"

static const struct command {
	const char	*name;
	int		(*run)(int, char **);
	const char	*help;
} commands[] = {
	{ "serve",   cmd_serve,   "run the FastCGI pool (and job worker) until stopped" },
	{ "migrate", cmd_migrate, "apply the SQL migrations in sql/ to DATABASE_URL" },
	{ "render",  cmd_render,  "TEMPLATE [DATA.json] [--partials DIR]: render a template" },
	{ "events",  cmd_events,  "[retry ID|--all-failed]: list pending and failed webhook events" },
	{ "jobs",    cmd_jobs,    "[ping]: waiting and failed jobs by kind; ping runs one end to end" },
	{ "worker",  cmd_worker,  "run one job worker in the foreground (debugging)" },
	{ "plan",    cmd_plan,    "--race-distance M --race-date D ...: print a plan as JSON" },
	{ "demo",    cmd_demo,    "create the demo runner (demo@cadence.test) if missing" },
	{ "strava",  cmd_strava,  "subscribe|subscription|unsubscribe: the Strava webhook subscription" },
	{ "mail",    cmd_mail,    "test --to ADDRESS ...: send a test mail; weekly --now [--to A]: queue summaries" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cadence COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	if (f == stdout)
		config_usage();
	else
		fprintf(f, "\n'cadence --help' lists the configuration.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "cadence: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
