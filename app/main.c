/*
 * build/cadence: one binary, several subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct command {
	const char	*name;
	int		(*run)(int, char **);
	const char	*help;
} commands[] = {
	{ "serve",   cmd_serve,   "run the FastCGI pool (and job worker) until stopped" },
	{ "migrate", cmd_migrate, "apply the SQL migrations in sql/ to DATABASE_URL" },
	{ "render",  cmd_render,  "TEMPLATE [DATA.json] [--partials DIR]: render a template" },
	{ "plan",    cmd_plan,    "--race-distance M --race-date D ...: print a plan as JSON" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cadence COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nConfiguration comes from environment variables; "
	    "see README.md.\n");
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
