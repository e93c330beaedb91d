/*
 * The subcommands of build/cadence.  Each lives in app/cmd/NAME.c and
 * takes the arguments after its own name (argv[0] is the command name).
 * They return the process exit status.
 */
#ifndef CADENCE_COMMANDS_H
#define CADENCE_COMMANDS_H

int	cmd_serve(int argc, char **argv);	/* master: web pool + jobs */
int	cmd_migrate(int argc, char **argv);	/* apply sql/NNN_*.sql */
int	cmd_render(int argc, char **argv);	/* render a template */
int	cmd_plan(int argc, char **argv);	/* generate a plan as JSON */
int	cmd_events(int argc, char **argv);	/* webhook queue: list, retry */
int	cmd_jobs(int argc, char **argv);	/* job queue: list, ping */
int	cmd_worker(int argc, char **argv);	/* one job worker, foreground */
int	cmd_demo(int argc, char **argv);	/* create the demo runner */
int	cmd_strava(int argc, char **argv);	/* Strava push subscription */
int	cmd_mail(int argc, char **argv);	/* mail test: send a test message */

#endif
