/*
 * activity: what Cadence counts as a run, defined once.
 *
 * RUN_SPORT_TYPES is the only list of the Strava sport types that are
 * runs: they are matched to workouts, count in week totals, are offered
 * for matching by hand and are the "unmatched runs" of the activity list.
 * Both the C test, sport_is_run(), and the SQL list, SPORT_RUN_SQL, are
 * generated from it, so C and SQL cannot disagree (tests/unit/
 * test_activity.c checks that they do not).
 *
 * X(name) is expanded once per type with SEP between two of them, so one
 * list gives an expression, an initializer or an SQL list:
 *	RUN_SPORT_TYPES(IS, ||)		IS(Run) || IS(TrailRun) || ...
 */
#ifndef CADENCE_ACTIVITY_H
#define CADENCE_ACTIVITY_H

#include <stdbool.h>

#define RUN_SPORT_TYPES(X, SEP)	X(Run) SEP X(TrailRun) SEP X(VirtualRun)

/* The list for SQL, "('Run', 'TrailRun', 'VirtualRun')": a IN list. */
#define SPORT_SQL_NAME_(type)	"'" #type "'"
#define SPORT_RUN_SQL		"(" RUN_SPORT_TYPES(SPORT_SQL_NAME_, ", ") ")"

/* True for the sport types of RUN_SPORT_TYPES (exact, case matters). */
bool	sport_is_run(const char *sport_type);

#endif
