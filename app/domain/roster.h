/*
 * roster: what a coach's roster says of one athlete (issue 18), from the
 * workouts of their active plan around today and their runs matched to
 * no workout: this week planned against done, the compliance colour of
 * the week so far, workouts (key ones apart) missed lately, the state of
 * their Strava link, and an attention score that orders the roster:
 * who needs the coach first.  Pure: no I/O.
 *
 * The week is the athlete's (their first weekday and today, not the
 * coach's).  "So far" counts the workouts before today, and today's once
 * it is run, so a Monday morning is not a bad week; a workout marked done
 * by hand without a recording counts as run as planned.
 */
#ifndef CADENCE_ROSTER_H
#define CADENCE_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/compliance.h"
#include "domain/date.h"

#define ROSTER_LOOKBACK_DAYS	14	/* missed workouts counted this far back */
#define ROSTER_QUIET_DAYS	7	/* no run this long: a reason */
/*
 * Days of workouts and runs the roster loads around the coach's today:
 * every athlete's lookback and week, their today being the coach's give
 * or take a day (time zones).
 */
#define ROSTER_WINDOW_BEFORE	(ROSTER_LOOKBACK_DAYS + 1)
#define ROSTER_WINDOW_AFTER	7

/* A workout of the athlete's active plan. */
struct roster_workout {
	date_t		 date;
	bool		 key;		/* intervals, tempo, long or race */
	int		 distance_m;
	int64_t		 actual_m;	/* matched runs' distance */
	int		 nmatched;
	bool		 done_by_hand, skipped;
};

/* A run that completes no workout. */
struct roster_run {
	date_t		 date;
	int		 distance_m;
};

struct roster_input {
	date_t				 today;		/* the athlete's */
	enum weekday			 first_day;	/* the athlete's */
	bool				 has_plan;	/* an active one */
	bool				 strava_connected;
	bool				 strava_needs_reconnect;
	int				 days_since_run;	/* -1: no run ever */
	const struct roster_workout	*workouts;
	size_t				 nworkouts;
	const struct roster_run		*runs;
	size_t				 nruns;
};

/* Why an athlete needs attention, most pressing first. */
enum roster_reason {
	RR_NO_PLAN,
	RR_MISSED_KEY,		/* key workouts missed lately */
	RR_MISSED,		/* other workouts missed lately */
	RR_BEHIND,		/* the week so far well under plan */
	RR_RECONNECT,		/* Strava refused our tokens */
	RR_NO_STRAVA,
	RR_QUIET,		/* no run for ROSTER_QUIET_DAYS */
	RR__MAX
};

struct roster_status {
	int64_t			 week_planned_m;	/* the whole week */
	int64_t			 week_done_m;		/* run so far */
	int			 week_workouts, week_done;
	int			 due_percent;	/* so far; -1: nothing due */
	enum compliance_colour	 colour;	/* of due_percent */
	int			 missed_key;	/* in ROSTER_LOOKBACK_DAYS */
	int			 missed;	/* the others */
	unsigned		 reasons;	/* 1 << enum roster_reason */
	int			 score;		/* higher: sooner */
};

void	roster_evaluate(const struct roster_input *, struct roster_status *);
/* "No active plan", ... */
const char *roster_reason_text(enum roster_reason);

#endif
