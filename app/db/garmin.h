/*
 * db/garmin: a runner's Garmin Connect link (table garmin_connections,
 * sql/023_garmin.sql): the Garmin user it names, the sealed tokens, the
 * permissions the runner granted, and linking and unlinking (a
 * connection attempt's state: db/oauth_states.h).
 *
 * Tokens come and go sealed (garmin/connection.c seals and opens them);
 * this module never sees a plain token.  Every call is scoped to one
 * runner.  Calls return 0 or 1 / -1 on a database error unless said.
 */
#ifndef CADENCE_DB_GARMIN_H
#define CADENCE_DB_GARMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/splits.h"

#define DB_GARMIN_SEALED_MAX	1024	/* a sealed token, NUL included */
#define DB_GARMIN_ID_MAX	65	/* Garmin's user id, NUL included */
#define DB_GARMIN_PERMS_MAX	256	/* comma list, NUL included */

struct db;

/* The runner's tokens as stored. */
struct db_garmin_tokens {
	bool	 connected;			/* a Garmin user and tokens */
	bool	 needs_reconnect;		/* Garmin refused the refresh */
	char	 garmin_user_id[DB_GARMIN_ID_MAX];
	char	 access[DB_GARMIN_SEALED_MAX];	/* sealed */
	char	 refresh[DB_GARMIN_SEALED_MAX];	/* sealed */
	int64_t	 expires_at;			/* epoch */
	char	 permissions[DB_GARMIN_PERMS_MAX];
};

/*
 * Reads user_id's tokens; lock takes the row (SELECT ... FOR UPDATE) in
 * the caller's transaction, so one refresh spends a refresh token.
 * 1 found, 0 no row, -1.
 */
int	db_garmin_tokens(struct db *, const char *user_id, bool lock,
	    struct db_garmin_tokens *out);
/* Saves a rotated pair and clears needs_reconnect (caller's transaction). */
int	db_garmin_tokens_store(struct db *, const char *user_id,
	    const char *sealed_access, const char *sealed_refresh,
	    int64_t expires_at, int64_t refresh_expires_at);
/* Garmin refused the refresh token: the runner must reconnect. */
int	db_garmin_broken(struct db *, const char *user_id);

/* What linking a runner to a Garmin user stores. */
struct db_garmin_link {
	const char	*garmin_user_id;
	const char	*scope;
	const char	*permissions;		/* comma list */
	const char	*sealed_access, *sealed_refresh;
	int64_t		 expires_at, refresh_expires_at;
};

enum db_garmin_link_result {
	DB_GARMIN_LINK_OK, DB_GARMIN_LINK_TAKEN, DB_GARMIN_LINK_ERROR,
};

/* Links user_id to the Garmin user (TAKEN: another runner holds it). */
enum db_garmin_link_result db_garmin_link(struct db *, const char *user_id,
	    const struct db_garmin_link *);
/*
 * Unlinks user_id in one transaction: the Garmin user id, tokens and
 * permissions go (the row keeps its times), and so do the runner's
 * activities from Garmin; the workouts they completed are re-derived.
 * Returns how many activities went, or -1.
 */
long	db_garmin_unlink(struct db *, const char *user_id);
/* The runner linked to garmin_user_id into user_id: 1, 0 none, -1. */
int	db_garmin_runner(struct db *, const char *garmin_user_id,
	    char user_id[40]);
/* Garmin says the runner now shares permissions (comma list). */
int	db_garmin_permissions_set(struct db *, const char *user_id,
	    const char *permissions);
/* Activities arrived from Garmin now. */
int	db_garmin_synced(struct db *, const char *user_id);

/* A run Garmin confirmed, as stored (source 'garmin'). */
struct db_garmin_run {
	const char	*summary_id;	/* Garmin's, the idempotency key */
	const char	*name;
	const char	*sport_type;	/* Strava's names: "Run", "TrailRun" */
	int64_t		 start_epoch;	/* Unix seconds UTC */
	int		 distance_m, moving_s, elapsed_s;
	double		 average_hr;	/* 0: none */
	double		 elevation_gain;	/* totalElevationGainInMeters; < 0: none */
};

/* The summary is stored already, as a run or as a source of one: 1/0/-1. */
int	db_garmin_run_known(struct db *, const char *user_id,
	    const char *summary_id);
/*
 * Inserts the run for user_id (a file run of the same run is folded into
 * it by trigger, sql/023); its id and local date out.  A run shown from
 * Strava or from a source the runner chose keeps it as a copy instead
 * (sql/026): 1.  Caller's transaction.  0, 1 or -1.
 */
int	db_garmin_run_insert(struct db *, const char *user_id,
	    const struct db_garmin_run *, char id_out[40], date_t *local);

/*
 * user_id's run shown from Garmin's summary_id (a row of source 'garmin';
 * a Garmin record kept as a copy of a run shown from another source is
 * not one): 1 with its id and local date, 0 none, -1.
 */
int	db_garmin_details_row(struct db *, const char *user_id,
	    const char *summary_id, char id_out[40], date_t *local);

/* What Garmin's activity details give a run (garmin/details.h). */
struct db_garmin_details {
	const char		*polyline;	/* NULL: no route */
	const struct run_splits	*splits;	/* laps, per km, per mile */
	double			 climb_m;	/* < 0: none */
};

/*
 * Stores the details on user_id's Garmin run activity_id: its route, its
 * splits JSON, its laps (activity_laps, replaced) and its climb when the
 * row has none yet (the summary's totalElevationGainInMeters wins).
 * Caller's transaction.  1 stored, 0 no such Garmin run, -1.
 */
int	db_garmin_details_store(struct db *, const char *user_id,
	    const char *activity_id, const struct db_garmin_details *);

/* A workout of the next days, as the Training API gets it. */
struct db_garmin_upcoming {
	const char	*workout_id;
	const char	*date;		/* YYYY-MM-DD */
	const char	*type;		/* as stored (plan_view_type_key) */
	int		 distance_m, pace_fast, pace_slow;	/* 0: none */
	const char	*description;	/* may be NULL */
};

/* What was published for one workout. */
struct db_garmin_published {
	const char	*workout_id;
	int64_t		 garmin_workout_id;
	const char	*date;
	const char	*hash;
	bool		 past;		/* its day is gone: left as it is */
};

#define DB_GARMIN_PUBLISH_DAYS	"14"	/* today and the 13 days after */

/* The active plan's workouts of the next days, not skipped (arena). */
int	db_garmin_upcoming(struct db *, arena_t *, const char *user_id,
	    struct db_garmin_upcoming **out);
/* What is published for the runner (arena).  How many, or -1. */
int	db_garmin_published_list(struct db *, arena_t *, const char *user_id,
	    struct db_garmin_published **out);
int	db_garmin_published_save(struct db *, const char *user_id,
	    const char *workout_id, int64_t garmin_workout_id,
	    int64_t garmin_schedule_id, const char *date, const char *hash);
int	db_garmin_published_drop(struct db *, const char *user_id,
	    const char *workout_id);
/* The outcome of a publication: error NULL for success. */
int	db_garmin_publish_result(struct db *, const char *user_id,
	    const char *error);

/* The settings page's view of the link. */
struct db_garmin_status {
	bool	 connected;
	bool	 needs_reconnect;
	char	 garmin_user_id[DB_GARMIN_ID_MAX];
	char	 permissions[DB_GARMIN_PERMS_MAX];
	char	 connected_at[32];	/* "YYYY-MM-DD HH:MM" UTC, or "" */
	char	 last_sync_at[32];
	char	 published_at[32];	/* the last publication, or "" */
	char	 publish_error[512];	/* "" when it went well */
};

int	db_garmin_status(struct db *, const char *user_id,
	    struct db_garmin_status *out);


#endif
