/*
 * The runner's limits (sql/009_limits.sql) as a page: the database
 * refuses the write, and the runner reads which limit and what to do.
 */
#include <stdbool.h>

#include "db/db.h"
#include "pages/pages.h"
#include "view/view.h"

bool
reply_if_limit(struct request *req, struct response *res)
{
	const char *msg = NULL;

	switch (db_limit_hit(req->db)) {
	case DB_LIMIT_PLANS:
		msg = "You have 25 plans, the most Cadence keeps for one "
		    "runner. Delete a plan you no longer need, then try again.";
		break;
	case DB_LIMIT_PLAN_WORKOUTS:
		msg = "A plan holds at most 500 workouts. Remove some you no "
		    "longer need, then try again.";
		break;
	case DB_LIMIT_DAY_WORKOUTS:
		msg = "A day holds at most 3 workouts. Pick another day, or "
		    "remove one from that day first.";
		break;
	default:
		return false;
	}
	view_error(req, res, 422, msg);
	return true;
}
