/*
 * demo: the few statements only `cadence demo` (cmd/demo.c) needs to
 * seed the demo runners of `make run`: find or create a runner with the
 * demo profile, today in the demo's time zone, whether Strava is linked, and
 * the past workouts of the demo plan (run in the Strava sandbox).  The
 * plan itself is made by plans_create() like any other.
 *
 * Calls return 1 (found, done) / 0 (none) / -1 (database error) unless
 * said otherwise; strings are allocated in the arena given.
 */
#ifndef CADENCE_DB_DEMO_H
#define CADENCE_DB_DEMO_H

#include <stddef.h>

#include "core/arena.h"
#include "domain/date.h"

#define DEMO_TIMEZONE	"Europe/Paris"	/* the demo runner's */

struct db;

/* The id of the runner with email (lower case) into *user_id. */
int	demo_find_runner(struct db *, arena_t *, const char *email,
	    const char **user_id);
/*
 * Creates a demo runner (email, name, password hash) with the demo
 * profile (DEMO_TIMEZONE, 35 km a week, 14 km longest run, 10K in
 * 49:00); its id into *user_id.  1, or -1.
 */
int	demo_create_runner(struct db *, arena_t *, const char *email,
	    const char *name, const char *password_hash, const char **user_id);
/* 1 when user_id is linked to a Strava athlete, 0 when not, -1. */
int	demo_strava_linked(struct db *, const char *user_id);
/* Today in DEMO_TIMEZONE into *today: 0, or -1. */
int	demo_today(struct db *, date_t *today);

/* A workout of the demo plan, as the sandbox's runs are made from it. */
struct demo_workout {
	date_t		 date;
	int		 distance_m;
	const char	*type;		/* as stored: "Easy", "Long" ... */
	int		 pace_slow;	/* s/km; 360 when the plan has none */
	int		 pace_fast;	/* s/km; the slow one, or 330 */
};

/*
 * The workouts of user_id's active plan before today (DEMO_TIMEZONE), by
 * date, into *out.  Returns how many (>= 0), or -1.
 */
int	demo_past_workouts(struct db *, arena_t *, const char *user_id,
	    struct demo_workout **out);

/* The id of the club of slug into *id. */
int	demo_club_id(struct db *, arena_t *, const char *slug, const char **id);
/* The last workout before today of user_id's active plan into *id. */
int	demo_recent_workout(struct db *, arena_t *, const char *user_id,
	    const char **workout_id);

#endif
