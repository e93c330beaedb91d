/*
 * db/activity_files: runs from uploaded files (source 'file' rows of
 * strava_activities, with their laps) and the sources of a run stored
 * once (activity_sources): sql/022_activity_files.sql,
 * docs/activity-files.md.  Every call is scoped to user_id.
 */
#ifndef CADENCE_DB_ACTIVITY_FILES_H
#define CADENCE_DB_ACTIVITY_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/splits.h"

struct db;

/* The same run: starts within SAME_RUN_START_S, distance within _PCT. */
#define SAME_RUN_START_S	120
#define SAME_RUN_DISTANCE_PCT	3

/* A run read from a file, as stored. */
struct file_run {
	const char	*file_name;
	const char	*name;		/* "Morning run (GPX)" */
	const char	*sport_type;	/* Strava's names: "Run", "Ride" ... */
	int64_t		 start_epoch;	/* Unix seconds UTC */
	int		 distance_m, moving_s, elapsed_s;
	double		 average_hr;	/* 0: none */
	double		 elevation_gain;	/* < 0: unknown */
	const char	*polyline;	/* NULL: no route */
	const struct run_splits *splits;	/* laps; may be empty */
};

/* Another activity of the runner that is the same run. */
struct same_run {
	const char	*id;
	const char	*source;	/* "strava", "garmin", "file" */
	const char	*label;		/* its file name or Strava id */
};

/*
 * user_id's activity that is the same run as one starting at start_epoch
 * over distance_m (the closest start first): 1 with *out in the arena,
 * 0 none, -1 on error.
 */
int	activity_files_find_same(struct db *, arena_t *, const char *user_id,
	    int64_t start_epoch, int distance_m, struct same_run *out);
/*
 * Stores r as a new activity of user_id (its local start in the runner's
 * time zone) with its laps; id_out gets its id, *local its local date.
 * A run already shown from another source (or the same file again) is
 * kept as that run's copy instead (sql/026): 1.  In the caller's
 * transaction; 0, 1 or -1.
 */
int	activity_files_insert(struct db *, const char *user_id,
	    const struct file_run *r, char id_out[40], date_t *local);
/*
 * Replaces the laps (activity_laps) of user_id's activity id with the
 * laps of s.  Caller's transaction.  0 or -1.
 */
int	activity_files_laps_replace(struct db *, const char *user_id,
	    const char *id, const struct run_splits *s);
/*
 * Makes user_id's activity use the copy (source, detail) it also arrived
 * as, swapped in place (its pairs with workouts stay) and kept when the
 * other sources deliver the run again.  1 with the run's local dates
 * before and after, 0 when there is no such activity or copy, -1.
 */
int	activity_use_source(struct db *, const char *user_id,
	    const char *activity_id, const char *source, const char *detail,
	    date_t *old_local, date_t *new_local);

struct activity_source {
	const char	*source;	/* "strava", "garmin", "file" */
	const char	*detail;	/* file name or id */
	int		 distance_m;
	const char	*start_utc;	/* "YYYY-MM-DD HH:MM:SS" */
	bool		 switchable;	/* a copy the run can switch to */
};

/*
 * The sources of user_id's activity id: the one it uses first, then the
 * others (activity_sources).  Returns how many (>= 0) or -1.
 */
int	activity_sources_list(struct db *, arena_t *, const char *user_id,
	    const char *activity_id, struct activity_source **out);

#endif
