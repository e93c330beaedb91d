/*
 * roster: a club's athletes as their coach's roster needs them, in a
 * fixed number of queries (ROSTER_QUERIES) whatever the club's size:
 * the athletes with their active plan and Strava state, the workouts of
 * those plans around today, and their runs that complete no workout.
 *
 * Scoped to the company the access layer granted (ACCESS_ROSTER,
 * db/access.h): only runners whose company is company_id and whose role
 * there is athlete are read; coaches' own training never is.
 */
#ifndef CADENCE_DB_ROSTER_H
#define CADENCE_DB_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/roster.h"

#define ROSTER_QUERIES	3

struct db;

struct roster_athlete {
	const char		*id;
	const char		*name;		/* the email when no name */
	const char		*plan_id;	/* active plan, or NULL */
	const char		*plan_name;
	date_t			 race_date;
	/* Days since the newest run arrived from Strava (UTC), -1: never. */
	int			 days_since_sync;
	/* What domain/roster.h evaluates (workouts and runs: arena). */
	struct roster_input	 in;
};

/*
 * The athletes of company_id by name, with the workouts and unplanned
 * runs dated from..to (wide enough for every athlete's week and
 * lookback: domain/roster.h's ROSTER_WINDOW_*).  Returns how many, or -1.
 */
int	roster_load(struct db *, arena_t *, const char *company_id,
	    date_t from, date_t to, struct roster_athlete **out);

#endif
