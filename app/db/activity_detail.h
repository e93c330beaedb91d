/*
 * db/activity_detail: one activity as its page shows it, and the laps and
 * splits of a detailed activity (strava_activities.splits, JSONB):
 *
 *	{"laps": [[metres, moving s, avg bpm | null, elevation m | null], ...],
 *	 "metric": [...], "standard": [...]}
 *
 * written by the Strava fetch (one call, activities_store_splits) and
 * read back here and by db/fitness.c.  Every call is scoped to user_id.
 */
#ifndef CADENCE_DB_ACTIVITY_DETAIL_H
#define CADENCE_DB_ACTIVITY_DETAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/splits.h"

struct db;

/*
 * Stores the laps and splits of user_id's activity strava_id (NULL when
 * s has none), inside the caller's transaction if any.  0 (also when the
 * activity is not the runner's), -1 on error.
 */
int	activities_store_splits(struct db *, const char *user_id,
	    int64_t strava_id, const struct run_splits *);
/* The stored JSON (NULL: none) as segments in the arena; false if bad. */
bool	activity_splits_parse(arena_t *, const char *json,
	    struct run_splits *);
/* The JSON text of s ("null"-free; NULL when s is empty), malloc'ed. */
char	*activity_splits_json(const struct run_splits *);

struct activity_detail {
	const char	*id;
	long long	 strava_id;
	const char	*name;		/* "" for none */
	const char	*sport_type;
	bool		 is_run;
	int		 distance_m;
	int		 moving_s;
	int		 elapsed_s;
	double		 average_hr;	/* 0: none */
	double		 elevation_m;	/* total gain, < 0: unknown */
	date_t		 date;		/* local date */
	const char	*start_local;	/* "YYYY-MM-DD HH:MM:SS" */
	const char	*polyline;	/* summary polyline, NULL: none */
	struct run_splits splits;	/* arena; empty when none */
	/* The first workout it completes, or NULL id. */
	const char	*workout_id;
	const char	*workout_type;	/* as stored */
	int		 workout_distance_m;
	date_t		 workout_date;
	/* Its load, when scored (tss < 0: not yet). */
	double		 tss;
	double		 intensity;
	const char	*load_method;	/* "pace", "hr", "estimate", "none" */
};

/* user_id's activity id (a UUID): 1, 0 (none, or not the runner's), -1. */
int	activities_load_detail(struct db *, arena_t *, const char *user_id,
	    const char *id, struct activity_detail *);

#endif
