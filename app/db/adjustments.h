/*
 * db/adjustments: proposed changes to a runner's plan (plan_adjustments,
 * docs/plan-adaptation.md): stored when the job worker (or the runner's
 * "Adjust my plan") finds a reason, shown on the dashboard and the plan
 * page, accepted or declined by the runner.
 *
 * A plan has at most one pending proposal: a new one supersedes it.  A
 * trigger key (the event answered) is stored once per plan, so the same
 * event is never proposed twice, however the runner decided.  Accepting
 * is one transaction: the proposal locked, the plan checked unchanged
 * since the proposal was made (else it is superseded: the runner gets a
 * fresh one), the changes applied, the proposal marked.
 *
 * Every call takes user_id and touches only that runner's rows; another
 * runner's proposal is "none", like a missing one.  Returns 1 (found,
 * done), 0 (none), -1 (database error) unless said otherwise.
 */
#ifndef CADENCE_DB_ADJUSTMENTS_H
#define CADENCE_DB_ADJUSTMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/plan_gen.h"

#define ADJUSTMENT_ID_LEN	37

struct db;

struct adjustment_new {
	const char	*plan_id;
	const char	*kind;		/* "replan" or "paces" */
	const char	*reason;	/* adapt_reason_key() */
	const char	*trigger_key;	/* the event; "manual" ones are unique */
	const char	*summary;	/* plain text */
	date_t		 from;		/* first day it changes */
	double		 old_vdot, new_vdot;	/* 0: none */
	const char	*basis;		/* JSON object */
	const char	*changes;	/* JSON object */
};

/*
 * Stores a as the pending proposal of a->plan_id (a plan of user_id),
 * superseding the one pending, and writes its id.  1 stored; 0 when the
 * event was answered already or the plan is not the runner's; -1.
 */
int	adjustments_create(struct db *, const char *user_id,
	    const struct adjustment_new *a, char id[ADJUSTMENT_ID_LEN]);

/* A workout a change may replace: no completion, hand mark or edit. */
struct remaining_workout {
	const char	*id;
	date_t		 date;
	int		 week;
	const char	*type;		/* as stored: "Easy" ... */
	int		 distance_m;
	int		 minutes;	/* 0: none */
	int		 fast, slow;	/* s/km, 0: none */
	const char	*description;	/* NULL: none */
};
/* plan_id's such workouts dated from on, by date: n, or -1. */
int	adjustments_remaining(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, date_t from, struct remaining_workout **out);
/*
 * The others dated from on, which a change keeps (completed, marked or
 * edited by hand), with the day each was first scheduled (a moved one
 * holds both days): n, or -1.
 */
int	adjustments_kept(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, date_t from, struct remaining_workout **out,
	    date_t **original);
/* plan_id's VDOT (0: none) and where it came from ("race" ...). */
int	adjustments_plan_vdot(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, double *vdot, const char **source);

struct adjustment {
	const char	*id;
	const char	*plan_id;
	const char	*plan_name;
	bool		 plan_active;
	date_t		 plan_start;
	enum weekday	 first_day;	/* the plan's weeks */
	date_t		 race_date;
	const char	*kind, *reason, *status;
	const char	*summary;
	date_t		 from;
	date_t		 created;	/* date it was made (UTC) */
	double		 old_vdot, new_vdot;
	const char	*basis;		/* JSON text */
	const char	*changes;	/* JSON text */
};

int	adjustments_load(struct db *, arena_t *, const char *user_id,
	    const char *id, struct adjustment *);
/*
 * The pending proposal of plan_id (NULL: the runner's active plan) with
 * its id, kind, reason, summary and from only.
 */
int	adjustments_pending(struct db *, arena_t *, const char *user_id,
	    const char *plan_id, struct adjustment *);
/* Declines id if it is pending: 1, 0 (not found or decided), -1. */
int	adjustments_decline(struct db *, const char *user_id, const char *id);

enum adjustment_result {
	ADJ_FAILED = -1,
	ADJ_NOT_FOUND = 0,	/* no such pending proposal of the runner */
	ADJ_APPLIED = 1,
	ADJ_STALE = 2,		/* the plan changed since: superseded */
};

/*
 * Accepts re-plan id: its plan's future workouts and phases become p's
 * (plans_replace_future(); week numbers the plan's) and its VDOT vdot
 * (0: unchanged).
 */
enum adjustment_result adjustments_accept_replan(struct db *,
	    const char *user_id, const char *id, const struct plan *p,
	    double vdot);

/* One workout's new paces and description. */
struct pace_change {
	const char	*workout_id;
	int		 fast, slow;	/* s/km */
	const char	*description;
};
/* Accepts paces proposal id: n workouts' paces (those still untouched),
 * and the plan's VDOT. */
enum adjustment_result adjustments_accept_paces(struct db *,
	    const char *user_id, const char *id, const struct pace_change *,
	    size_t n, double vdot);

#endif
