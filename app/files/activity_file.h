/*
 * activity_file: one recorded run read from an uploaded file, whatever
 * its format (FIT, GPX, TCX), and the checks every parser shares.
 *
 * Parsers fill struct af_activity from bytes the runner sent; nothing in
 * it is trusted: every count is bounded by a named limit, every time is
 * checked against a sane range, and a bad file is refused with one clear
 * message (in err) naming the problem, never a partial result.  No I/O:
 * callers pass the bytes and store the result.
 */
#ifndef CADENCE_ACTIVITY_FILE_H
#define CADENCE_ACTIVITY_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/splits.h"

#define AF_MAX_BYTES		(16 * 1024 * 1024)	/* largest file accepted */
#define AF_MAX_POINTS		100000	/* 27 h at one point a second */
#define AF_MAX_LAPS		1000
#define AF_MIN_TIME		631065600	/* 1989-12-31, FIT's epoch */
#define AF_MAX_TIME		4102444800LL	/* 2100-01-01: later is garbage */
#define AF_MAX_SPAN_S		(7 * 86400)	/* an activity lasts under a week */
#define AF_MAX_HR		250
#define AF_MAX_DISTANCE_M	10000000.0	/* 10,000 km: no run goes further */
#define AF_MAX_CLIMB_M		100000.0	/* more is noise, not a run: unknown */
#define AF_PAUSE_GAP_S		30	/* a longer gap between points is a pause */
#define AF_MOVING_MIN_MPS	0.5	/* slower than this is standing */
#define AF_ERR_MAX		200

enum af_format { AF_FIT, AF_GPX, AF_TCX, AF_FORMAT__MAX };

struct af_point {
	int64_t	 time;		/* Unix seconds UTC; 0: none */
	double	 lat, lon;	/* degrees, when has_pos */
	double	 ele;		/* metres, when has_ele */
	double	 distance_m;	/* cumulative, as the file says; < 0: none */
	int	 hr;		/* beats a minute; 0: none */
	bool	 has_pos, has_ele;
	bool	 seg_start;	/* first point of a GPX segment */
};

struct af_lap {
	int64_t	 start;		/* Unix seconds */
	double	 elapsed_s;	/* wall-clock time of the lap */
	double	 timer_s;	/* time the timer ran (moving, with auto-pause) */
	double	 distance_m;
	int	 avg_hr, max_hr;	/* 0: none */
};

struct af_activity {
	enum af_format	 format;
	char		 sport[24];	/* "running", "cycling", ...; "" unknown */
	int64_t		 start_time;	/* Unix seconds UTC */
	double		 distance_m;
	double		 elapsed_s;	/* first to last moment */
	double		 moving_s;	/* timer time, or measured from the points */
	int		 avg_hr, max_hr;	/* 0: none */
	struct af_lap	*laps;
	size_t		 nlaps;
	struct af_point	*points;
	size_t		 npoints;
	/* Set by the parsers when the file states them; else af_finish measures. */
	bool		 has_distance, has_elapsed, has_moving;
};

/*
 * Sniffs the format (FIT header, or an XML root of <gpx> or
 * <TrainingCenterDatabase>) and parses.  Returns 0, or -1 with err set
 * (out is then empty and needs no af_free).
 */
int	 af_parse(const void *data, size_t len, struct af_activity *out,
	    char *err, size_t errlen);
/* The format af_parse() would read data as (enum af_format), or -1. */
int	 af_sniff(const void *data, size_t len);
int	 af_parse_fit(const void *data, size_t len, struct af_activity *out,
	    char *err, size_t errlen);
int	 af_parse_gpx(const void *data, size_t len, struct af_activity *out,
	    char *err, size_t errlen);
int	 af_parse_tcx(const void *data, size_t len, struct af_activity *out,
	    char *err, size_t errlen);
void	 af_free(struct af_activity *);
const char *af_format_name(enum af_format);	/* "FIT", "GPX", "TCX" */

/* ---- for the parsers ---- */

/* Appends a point (zeroed, distance -1); NULL past AF_MAX_POINTS. */
struct af_point *af_add_point(struct af_activity *);
/* Appends a lap (zeroed); NULL past AF_MAX_LAPS. */
struct af_lap *af_add_lap(struct af_activity *);
/*
 * Checks the times, positions and heart rates, then fills what the file
 * did not state: start time, distance (great-circle sum within segments),
 * elapsed and moving time, average and maximum heart rate.  Returns 0 or
 * -1 with err naming the problem.
 */
int	 af_finish(struct af_activity *, char *err, size_t errlen);
/*
 * Total climb in metres from the points' elevations, or -1 when fewer than
 * two points have one.  The reference moves only by more than
 * AF_CLIMB_STEP_M (up: that much is climbed; down: a descent), so GPS and
 * barometer noise within that band adds nothing (hysteresis, as watches
 * and Strava smooth in some form); each valley may lose up to that much.
 * A climb over AF_MAX_CLIMB_M is no run's (an elevation trace jumping up
 * and down): -1 too.
 */
#define AF_CLIMB_STEP_M		3.0
double	 af_climb_m(const struct af_activity *);
/*
 * The run cut into splits of length_m metres from its points, as Strava's
 * splits_metric / splits_standard are: each with its distance, moving
 * time (the time between close points that moved, as af_finish
 * measures), time-weighted heart rate and elevation change, the crossing
 * of each boundary interpolated between the two points around it; the
 * last split is what is left (joined to the one before when under
 * SPLITS_MIN_LAST_M).  Fills at most max into out and returns how many
 * (0: the points hold no distance); with out NULL, only counts them
 * (max: the most to count).
 */
size_t	 af_splits(const struct af_activity *, double length_m,
	    struct split_input *out, size_t max);
/* Great-circle distance in metres (mean Earth radius 6371008.8 m). */
double	 af_distance_m(double lat1, double lon1, double lat2, double lon2);
/* "2026-11-20T17:05:00Z" for messages; buf of at least 32 bytes. */
void	 af_format_time(char *buf, size_t n, int64_t t);
/* printf into err (when not NULL); returns -1 for "return af_fail(...)". */
int	 af_fail(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
