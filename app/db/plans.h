/*
 * plans: a runner's training plans in the database (was plan_store).
 *
 * Creating a plan writes its race, the plan row with the inputs it was
 * generated from, its phases and every workout (with pace targets) in one
 * transaction, and makes it the runner's only active plan.  Re-planning
 * after the runner changes the inputs replaces only the future workouts
 * that are unfinished and untouched by hand; the past, the done and the
 * hand-edited stay.
 *
 * Owns training_plans, their races and training_phases; a plan's
 * workouts are written here only as the generator makes them
 * (db/workouts.h has the rest).  Every call but plans_load_feed() takes
 * user_id and is scoped to that runner: another runner's plan is "not
 * found" (0: the caller answers 404), exactly like a missing one.  Calls
 * return 1 (found, done) / 0 (none) / -1 (database error) unless said
 * otherwise; results are typed structs in the arena given.
 */
#ifndef CADENCE_DB_PLANS_H
#define CADENCE_DB_PLANS_H

#include <stdbool.h>

#include "core/arena.h"
#include "domain/plan_gen.h"

#define PLAN_ID_LEN		37	/* a UUID and its NUL */
#define PLAN_NAME_MAX		255	/* characters, as the columns */
#define PLAN_URL_MAX		2048

struct db;

/* What the runner typed beside the generator's input. */
struct plan_race {
	const char	*plan_name;
	const char	*race_name;
	const char	*location;	/* NULL: none */
	const char	*url;		/* NULL: none */
};

/*
 * Stores plan p, generated from in, as user_id's new active plan (the
 * previous active plan is deactivated in the same transaction) and writes
 * its id into id.  0, or -1 on a database error (nothing is stored).
 */
int	plans_create(struct db *, const char *user_id,
	    const struct plan_race *, const struct plan_input *,
	    const struct plan *, char id[PLAN_ID_LEN]);

/*
 * Replaces plan_id's inputs, race, phases and its workouts dated from on
 * that have no completion, no hand mark and no hand edit with those of p
 * (regenerated from in, whose start_date is the plan's own).  Dates a kept
 * workout occupies get no new workout, except the race.  p loses its
 * workouts before from.  1 done, 0 no such plan of user_id, -1 error.
 */
int	plans_replan(struct db *, const char *user_id, const char *plan_id,
	    const struct plan_race *, const struct plan_input *, struct plan *,
	    date_t from);

/*
 * Inside the caller's transaction, for a plan the caller found to be the
 * runner's: replaces plan_id's phases with p's and its workouts dated
 * from on that have no completion, no hand mark and no hand edit with
 * p's workouts (whose week numbers are the plan's; a day a kept workout
 * holds gets none, but the race).  0 or -1.
 */
int	plans_replace_future(struct db *, const char *plan_id, date_t from,
	    const struct plan *p);

/* Makes plan_id user_id's only active plan.  1 done, 0 not found, -1 error. */
int	plans_set_active(struct db *, const char *user_id,
	    const char *plan_id);

/*
 * Reads back what plan_id was generated from (strings from the arena;
 * in->today is left as given).  1 found, 0 not found, -1 error.
 */
int	plans_load_inputs(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, struct plan_race *, struct plan_input *);

/* True if user_id has any plan; -1 on error. */
int	plans_has_any(struct db *, const char *user_id);

/* A plan as the plan list shows it. */
struct plan_summary {
	const char	*id;
	const char	*name;
	const char	*race_name;	/* NULL: no race row */
	date_t		 race_date;
	int		 race_distance;	/* metres */
	int		 total_weeks;
	bool		 active;
};

/*
 * user_id's plans into *out, the active one first, then by race date and
 * creation, newest first.  Returns how many (>= 0), or -1.
 */
int	plans_list(struct db *, arena_t *, const char *user_id,
	    struct plan_summary **out);
/*
 * The longest run of user_id's athlete profile, what the new-plan form
 * starts with, into *metres (0 when unknown): 1, 0 (no profile) or -1.
 */
int	plans_profile_longest_run(struct db *, const char *user_id,
	    int *metres);
/* 1 when plan_id is user_id's, else 0 (or -1). */
int	plans_exists(struct db *, const char *user_id, const char *plan_id);
/* Renames plan_id (a valid name: the caller checks). */
int	plans_rename(struct db *, const char *user_id, const char *plan_id,
	    const char *name);
/*
 * Deletes plan_id with its race, phases, workouts, completions and
 * feedback.  0 whether or not it was there (callers check plans_exists()
 * first), -1 on error.
 */
int	plans_delete(struct db *, const char *user_id, const char *plan_id);

/*
 * The calendar feed (pages/exports.c): its address carries a token derived
 * from the plan id and a nonce the runner can replace.
 */
struct plan_feed {
	const char	*user_id;	/* the plan's runner */
	const char	*nonce;		/* of the current token */
	bool		 legacy_token;	/* token is the old stored one (sql/012) */
	enum unit	 unit;		/* the runner's */
};

/* A new nonce for plan_id's feed: the old address stops working. */
int	plans_reset_feed_nonce(struct db *, const char *user_id,
	    const char *plan_id, const char *nonce);
/*
 * What checking token for plan_id's feed needs.  The one call not scoped
 * to a runner: calendar apps send no session, and the caller answers 404
 * unless token matches the nonce's (or is the legacy one).
 */
int	plans_load_feed(struct db *, arena_t *, const char *plan_id,
	    const char *token, struct plan_feed *);

#endif
