/*
 * training/adjust: proposals to adapt a plan (docs/plan-adaptation.md),
 * between the database and domain/adapt.h: the job worker's look after
 * imports and daily, the runner's "Adjust my plan", and accepting one.
 *
 * A proposal is made from the plan as stored and carried out (its
 * workouts and their compliance, the runner's runs of the last 8 weeks,
 * the workouts marked done by hand) and stored whole: the new workouts
 * (a re-plan from tomorrow) or the new paces (per workout), next to what
 * they replace, so that the runner sees both and accepting applies
 * exactly what was shown.
 */
#ifndef CADENCE_TRAINING_ADJUST_H
#define CADENCE_TRAINING_ADJUST_H

#include <stddef.h>

#include "core/arena.h"
#include "db/adjustments.h"
#include "domain/units.h"

struct db;

enum training_proposal {
	PROPOSAL_FAILED = -1,	/* database error */
	PROPOSAL_NONE = 0,	/* nothing found, or answered already */
	PROPOSAL_MADE,		/* stored; its id */
	PROPOSAL_REFUSED,	/* the runner asked; why says why not */
};

/*
 * The job: looks at user_id's active plan today; stores a proposal when
 * there is a reason (and the event was not answered before).
 */
enum training_proposal training_detect(struct db *, arena_t *,
	    const char *user_id, char id[ADJUSTMENT_ID_LEN]);
/*
 * The runner asks to adjust plan_id (days_off: "I could not run for N
 * days", 0 .. ADAPT_MAX_DAYS_OFF), today being theirs.  Never PROPOSAL_NONE:
 * when nothing would change, or no safe re-plan exists, PROPOSAL_REFUSED
 * with the reason (plain text, unit u) in why.
 */
enum training_proposal training_propose(struct db *, arena_t *,
	    const char *user_id, const char *plan_id, date_t today,
	    int days_off, enum unit u, char id[ADJUSTMENT_ID_LEN], char *why,
	    size_t whylen);
/* Accepts proposal id as stored (adjustments_accept_*). */
enum adjustment_result training_accept(struct db *, arena_t *,
	    const char *user_id, const char *id);

#endif
