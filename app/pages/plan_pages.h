/*
 * plan_pages: what the plan pages (calendar.c, week.c, exports.c,
 * activities.c, dashboard.c) share: loading the plan of the URL for the
 * signed-in runner, its week rows, the secret of its calendar feed and
 * the activity list.
 */
#ifndef CADENCE_PLAN_PAGES_H
#define CADENCE_PLAN_PAGES_H

#include <jansson.h>
#include <stdbool.h>

#include "db/activities.h"
#include "db/plan_view.h"
#include "web/http.h"

#define PLAN_MAX_ROWS	60	/* week rows a calendar shows at most */

/*
 * Loads the whole plan req->cap[0] of the signed-in runner.  Returns 1,
 * or 0 after answering 404 (not the runner's or no such plan), or -1.
 */
int	plan_page_load(struct request *, struct response *, struct plan_view *);
/*
 * The calendar feed's token of plan id with nonce (a keyed hash: 256
 * bits, 64 hex digits); NULL without CADENCE_SECRET_KEY.  (exports.c)
 */
const char *plan_feed_token(struct request *, const char *plan_id,
	    const char *nonce);
/* Monday/Sunday of the plan's first week row, in the runner's first day. */
date_t	plan_week1(const struct plan_view *, enum weekday first);
/* Week rows from the first to the race's (at least total_weeks). */
int	plan_nweeks(const struct plan_view *, date_t week1);
/*
 * Activity rows (docs/templates.md) of the runner, newest first, passing
 * filter; *more tells whether more follow.  NULL on a database error.
 * (activities.c)
 */
json_t	*activities_list(struct request *, enum activities_filter,
	    date_t since, int limit, int offset, bool *more);

#endif
