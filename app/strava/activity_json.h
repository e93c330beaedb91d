/*
 * activity_json: turns a Strava activity (summary or detailed, from
 * GET /athlete/activities or /activities/{id}) into the columns Cadence
 * stores, validating types and ranges.  Pure: no I/O.
 *
 * Strava's quirk: start_date_local ends in "Z" but is the athlete's wall
 * time.  It is kept as wall time ("YYYY-MM-DD HH:MM:SS") and gives the
 * local date used for matching; only start_date is read as UTC.
 */
#ifndef CADENCE_ACTIVITY_JSON_H
#define CADENCE_ACTIVITY_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/date.h"
#include "domain/splits.h"

#define ACTIVITY_MAX_BODY	(8 * 1024 * 1024)	/* a page of 200 */
#define ACTIVITY_NAME_MAX	255		/* bytes, cut on a UTF-8 boundary */
#define ACTIVITY_SPORT_MAX	64
#define ACTIVITY_TZ_MAX		64
#define ACTIVITY_POLYLINE_MAX	(256 * 1024)
#define ACTIVITY_DISTANCE_MAX	10000000	/* metres */
#define ACTIVITY_TIME_MAX	(31 * 86400)	/* seconds */
#define ACTIVITY_SPEED_MAX	1000.0		/* m/s */
#define ACTIVITY_HR_MAX		300.0		/* beats per minute */
#define ACTIVITY_ELEVATION_MAX	100000.0	/* metres */
#define ACTIVITY_ERR_MAX	128

struct strava_activity {
	int64_t	 id;
	char	 name[ACTIVITY_NAME_MAX + 1];
	char	 sport_type[ACTIVITY_SPORT_MAX + 1];	/* or "type" */
	int64_t	 distance_m;		/* rounded */
	int32_t	 moving_time_s;
	int32_t	 elapsed_time_s;
	double	 average_speed;		/* m/s; 0 when absent */
	bool	 has_heartrate;
	double	 average_heartrate;
	bool	 has_elevation;
	double	 total_elevation_gain;	/* metres */
	int64_t	 start_epoch;		/* start_date, UTC */
	char	 start_local[20];	/* "YYYY-MM-DD HH:MM:SS", wall time */
	date_t	 local_date;		/* date part of start_local */
	char	 timezone[ACTIVITY_TZ_MAX + 1];	/* "(GMT+01:00) Europe/Paris" */
	bool	 manual;
	bool	 is_private;
	char	*summary_polyline;	/* owned; NULL when none */
	/*
	 * laps, splits_metric, splits_standard of a detailed activity
	 * (owned; empty when absent).  Lenient: an array with a malformed
	 * element, or longer than SPLITS_MAX, is left out, never the
	 * activity.
	 */
	struct run_splits splits;
};

struct activity_list {
	struct strava_activity	*items;
	size_t			 n;
	size_t			 nbad;		/* elements skipped as invalid */
	char			 first_err[ACTIVITY_ERR_MAX];	/* of those */
};

/* One activity object.  On failure *out is left empty (safe to free). */
bool	 activity_from_json(const json_t *obj, struct strava_activity *out,
	    char err[ACTIVITY_ERR_MAX]);
/* The same from JSON text of len bytes. */
bool	 activity_parse(const char *body, size_t len,
	    struct strava_activity *out, char err[ACTIVITY_ERR_MAX]);
void	 activity_free(struct strava_activity *);
/*
 * A JSON array of activities.  Invalid elements are skipped and counted;
 * false only when the body is not a JSON array at all.
 */
bool	 activity_list_parse(const char *body, size_t len,
	    struct activity_list *out, char err[ACTIVITY_ERR_MAX]);
void	 activity_list_free(struct activity_list *);
/* Parses "YYYY-MM-DDTHH:MM:SS" with an optional trailing Z. */
bool	 activity_parse_datetime(const char *s, date_t *date, int *secs);

#endif
