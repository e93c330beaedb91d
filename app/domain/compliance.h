/*
 * compliance: how well a planned workout was carried out, as a state for
 * the words and a colour class for the calendar, plus week totals.
 *
 * Percent is actual / planned * 100 rounded to the nearest integer, halves
 * up (79.5 % -> 80), computed in integers.  Colour bands on that integer:
 *   green  80..120     yellow 50..79 and 121..150
 *   orange below 50 and above 150
 *   red    a past workout with nothing done     grey  a run with no plan
 * A workout is done from 90 % up (the matcher's tolerance, domain/match.h:
 * a run within it completes the workout; a longer one covers it), partly
 * done below that: 85 % is "Partly done", coloured green.
 */
#ifndef CADENCE_COMPLIANCE_H
#define CADENCE_COMPLIANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/date.h"

#define COMPLIANCE_DONE_PCT		90
#define COMPLIANCE_GREEN_MIN_PCT	80
#define COMPLIANCE_GREEN_MAX_PCT	120
#define COMPLIANCE_YELLOW_MIN_PCT	50
#define COMPLIANCE_YELLOW_MAX_PCT	150
#define COMPLIANCE_DISTANCE_MAX		10000000	/* metres; beyond is clamped */

enum compliance_state {
	CS_UPCOMING,		/* in the future, nothing yet */
	CS_TODAY,		/* today, nothing yet */
	CS_DONE,
	CS_PARTLY_DONE,
	CS_MISSED,		/* in the past, nothing done */
	CS_SKIPPED,		/* skipped by hand */
	CS__MAX
};

enum compliance_colour {
	CC_NONE,		/* nothing to judge yet (upcoming, today, skipped) */
	CC_GREEN,
	CC_YELLOW,
	CC_ORANGE,
	CC_RED,
	CC_GREY,
	CC__MAX
};

struct compliance_input {
	date_t		 date;		/* the workout's local date */
	date_t		 today;		/* the runner's local today */
	int64_t		 planned_m;	/* 0: no distance planned */
	int64_t		 actual_m;	/* sum of the matched activities */
	int64_t		 planned_s;	/* estimated duration; 0: none */
	int64_t		 actual_s;	/* moving time of the matched ones */
	int		 nmatched;	/* how many activities are matched */
	bool		 done_by_hand;
	bool		 skipped;
};

struct compliance {
	enum compliance_state	 state;
	enum compliance_colour	 colour;
	int			 percent;	/* -1 when nothing to compare */
};

struct week_totals {
	int64_t	 planned_m;	/* all workouts of the week */
	int64_t	 matched_m;	/* activities matched to workouts */
	int64_t	 unplanned_m;	/* runs matched to nothing */
	int64_t	 planned_s;	/* estimated durations of the workouts */
	int64_t	 matched_s;	/* moving time of the matched activities */
	int64_t	 unplanned_s;	/* moving time of the unplanned runs */
	int	 workouts;	/* with a distance or not */
	int	 done;
	int	 partly_done;
	int	 missed;
	int	 skipped;
	int	 unplanned_runs;
};

/* Rounded percent of actual over planned; -1 if planned <= 0. */
int	 compliance_percent(int64_t actual_m, int64_t planned_m);
/* The colour for a percent of plan (CC_NONE for a negative percent). */
enum compliance_colour compliance_colour_for(int percent);
struct compliance compliance_eval(const struct compliance_input *);
/* "done", "partly_done", ...; "green", ... for CSS classes. */
const char *compliance_state_key(enum compliance_state);
const char *compliance_colour_key(enum compliance_colour);

void	 week_totals_init(struct week_totals *);
void	 week_totals_add(struct week_totals *, const struct compliance_input *,
	    const struct compliance *);
void	 week_totals_add_unplanned(struct week_totals *, int64_t distance_m,
	    int64_t moving_s);
/* Run distance (matched + unplanned) over planned, rounded; -1 if no plan. */
int	 week_totals_percent(const struct week_totals *);

#endif
