/*
 * db/strava_sync: the rows strava/sync.h keeps right: activities upserted
 * from Strava (strava_activities), the matcher's window of workouts,
 * activities and pairs, and the automatic pairs (workout_completions)
 * it adds and drops.  The matching itself is domain/match.h, driven by
 * strava/sync.c in the caller's transaction.
 */
#ifndef CADENCE_DB_STRAVA_SYNC_H
#define CADENCE_DB_STRAVA_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/match.h"

struct db;

/* An activity's columns as Strava gave them (strava/activity_json.h). */
struct db_activity_in {
	int64_t		 strava_id;
	const char	*name;
	const char	*sport_type;
	int64_t		 distance_m;
	int32_t		 moving_s, elapsed_s;
	double		 average_speed;		/* m/s; 0: none */
	bool		 has_heartrate;
	double		 average_heartrate;
	bool		 has_elevation;
	double		 elevation_gain;	/* metres */
	int64_t		 start_epoch;		/* UTC */
	const char	*start_local;		/* wall time */
	const char	*timezone;		/* "": none */
	bool		 manual, is_private;
	const char	*summary_polyline;	/* NULL: none */
	const char	*raw;			/* JSON kept; NULL: keep */
};

struct db_upserted {
	char	 id[40];	/* our id of the row */
	bool	 inserted;	/* new, not an update */
	bool	 moved;		/* it was stored before on old_date */
	date_t	 old_date;
};

/*
 * Inserts or updates user_id's activity (on its Strava id).  1 stored
 * (*out set), 0 the id belongs to another runner (left alone), 2 kept as
 * the copy of a run shown from another record (sql/026), -1.
 */
int	db_sync_upsert(struct db *, const char *user_id,
	    const struct db_activity_in *, struct db_upserted *out);

/* What the matcher reads of a window of days (strings in the arena). */
struct db_match_window {
	struct match_workout	*works;		/* the active plan's */
	struct match_activity	*acts;
	struct match_pair	*current;	/* auto pairs inside the window */
	struct match_pair	*manual;	/* any other pair: locked */
	struct match_pair	*unmatched;	/* undone by hand */
	size_t			 nworks, nacts, ncurrent, nmanual, nunmatched;
};

/* user_id's window from..to (inclusive) into *out.  0 or -1. */
int	db_sync_window(struct db *, arena_t *, const char *user_id,
	    date_t from, date_t to, struct db_match_window *out);
/* Adds or drops an automatic pair (a hand-made one is never dropped). */
int	db_sync_pair_add(struct db *, const struct match_pair *);
int	db_sync_pair_remove(struct db *, const struct match_pair *);

/* A workout whose completed_at no longer agrees with its completions. */
struct db_stale_workout {
	const char	*id;
	date_t		 date;		/* only when dated */
	bool		 dated;
};

/* user_id's stale workouts after a deletion (arena).  How many, or -1. */
int	db_sync_stale(struct db *, arena_t *, const char *user_id,
	    struct db_stale_workout **out);
/*
 * Deletes user_id's activity strava_id (a run another source delivered
 * too stays, from that copy): 1 if anything changed, 0, or -1.
 */
long	db_sync_remove_activity(struct db *, const char *user_id,
	    int64_t strava_id);

#endif
