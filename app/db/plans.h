/*
 * plans: a runner's training plans in the database (was plan_store).
 *
 * Creating a plan writes its race, the plan row with the inputs it was
 * generated from, its phases and every workout (with pace targets) in one
 * transaction, and makes it the runner's only active plan.  Re-planning
 * after the runner changes the inputs replaces only the future workouts
 * that are unfinished and untouched by hand; the past, the done and the
 * hand-edited stay.  Every call is scoped to the runner: another runner's
 * plan is "not found", exactly like a missing one.
 */
#ifndef CADENCE_DB_PLANS_H
#define CADENCE_DB_PLANS_H

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

#endif
