/*
 * plan_format: the labels and JSON pieces the plan pages share (dashboard,
 * calendar, week, workout, activities, exports): distances and paces in
 * the runner's unit, date labels, workout states and compliance colours
 * as docs/templates.md names them, the workout card and the activity row.
 * Strings come from the request arena.
 */
#ifndef CADENCE_PLAN_FORMAT_H
#define CADENCE_PLAN_FORMAT_H

#include <jansson.h>

#include "core/arena.h"
#include "db/plan_view.h"
#include "domain/date.h"
#include "domain/units.h"


enum date_style {
	DS_SHORT,	/* "Nov 24" */
	DS_DAY,		/* "Thu, Nov 27" */
	DS_FULL,	/* "Sun, Dec 7 2025" */
};

struct runner;

/* The runner's unit and first weekday (km / Monday when unset). */
enum unit	 pf_unit(const struct runner *);
enum weekday	 pf_first_day(const struct runner *);
/* The runner's today; PV_NO_DATE if the session had none. */
date_t		 pf_today(const struct runner *);

const char	*pf_distance(arena_t *, int metres, enum unit);
/* NULL when the workout has no pace target. */
const char	*pf_pace_range(arena_t *, int fast, int slow, enum unit);
/* Pace of distance run in seconds; NULL when either is 0. */
const char	*pf_activity_pace(arena_t *, int metres, int seconds, enum unit);
/* "45 min", "1 h 35 min"; NULL for 0. */
const char	*pf_minutes(arena_t *, int minutes);
/* Seconds as pf_minutes() says them, "0 min" for none. */
const char	*pf_time_total(arena_t *, int64_t seconds);
const char	*pf_date(arena_t *, date_t, enum date_style);
const char	*pf_race_distance(arena_t *, int metres, enum unit);

/* "done" "partial" "missed" "skipped" "upcoming" "today" / "Done" ... */
const char	*pf_state(enum compliance_state);
const char	*pf_state_label(enum compliance_state);
/* "c-green" ... or NULL when there is nothing to colour. */
const char	*pf_colour(enum compliance_colour);
/* "t-easy" ... from a type key. */
const char	*pf_type_class(arena_t *, const char *type_key);
/* "96%" when the workout was run against a distance, else NULL. */
const char	*pf_percent(arena_t *, const struct pv_workout *);
/* The week/plan colour of a percent of the planned distance. */
const char	*pf_percent_colour(int percent);

/*
 * A stored description (a generator template, or text typed by hand)
 * rendered in unit u (domain/plan_text.h); NULL for NULL.
 */
const char	*pf_description(arena_t *, const char *stored, enum unit);

/* New JSON string from s, or null for NULL. */
json_t		*pf_str(const char *s);
/* The workout card of docs/templates.md (with_date: date_label set). */
json_t		*pf_workout_card(arena_t *, const struct pv_workout *,
		    enum unit, bool with_date);
/*
 * The page of an activity on Strava's web site, which is where the OAuth
 * pages are (STRAVA_OAUTH_BASE): www.strava.com/activities/ID, or the
 * sandbox's own page of it in sandbox mode.  NULL for no id.
 */
struct config;
const char	*pf_strava_url(arena_t *, const struct config *,
		    long long strava_id);

#endif
