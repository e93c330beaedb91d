/*
 * The runner's imported activities (GET /activities), newest first,
 * ACTIVITIES_PER_PAGE a page (?page=N), filtered by ?filter=all (every
 * activity), matched (completes a workout) or unmatched (runs that
 * complete none).  A bad filter or page is a 400.  The dashboard lists
 * the newest unmatched runs with the same query.  Cost: the session + 1.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/activity.h"
#include "pages/pages.h"
#include "pages/plan_pages.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define ACTIVITIES_PER_PAGE	20
#define ACTIVITIES_MAX_PAGE	1000

/* Each activity with the first workout it completes, if any. */
static const struct db_stmt q_list = DB_STMT("activities_list",
    "SELECT a.id, a.strava_activity_id, COALESCE(a.name, ''), a.sport_type,"
    "       a.distance, a.moving_time,"
    "       COALESCE(round(a.average_heartrate)::int, 0),"
    "       a.start_date_local::date, m.id, m.workout_type, m.distance,"
    "       m.scheduled_date"
    "  FROM strava_activities a"
    "  LEFT JOIN LATERAL ("
    "       SELECT w.id, w.workout_type, w.distance, w.scheduled_date"
    "         FROM workout_completions c"
    "         JOIN workouts w ON w.id = c.workout_id"
    "        WHERE c.strava_activity_id = a.id"
    "        ORDER BY w.scheduled_date, w.id LIMIT 1) m ON true"
    " WHERE a.user_id = $1"
    "   AND ($2 = 'all' OR ($2 = 'matched' AND m.id IS NOT NULL)"
    "        OR ($2 = 'unmatched' AND m.id IS NULL"
    "            AND a.sport_type IN " SPORT_RUN_SQL "))"
    " ORDER BY a.start_date_local DESC, a.id DESC"
    " LIMIT $3::int OFFSET $4::int");

static json_t *
row_json(arena_t *a, const PGresult *r, int i, enum unit u)
{
	int		 dist = (int)db_long(r, i, 4), secs = (int)db_long(r, i, 5);
	int		 hr = (int)db_long(r, i, 6);
	bool		 matched = !db_null(r, i, 8);
	const char	*wlabel = NULL;
	char		 t[32];
	date_t		 d, wd;

	units_format_duration(t, sizeof(t), secs);
	if (matched)
		wlabel = arena_printf(a, "%s %s, %s",
		    plan_view_type_name(db_val(r, i, 9)),
		    pf_distance(a, (int)db_long(r, i, 10), u),
		    date_parse(db_val(r, i, 11), &wd) ? pf_date(a, wd, DS_DAY) : "");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o,"
	    " s:o, s:o}", "id", db_val(r, i, 0),
	    "name", *db_val(r, i, 2) ? db_val(r, i, 2) : "Untitled activity",
	    "date_label", date_parse(db_val(r, i, 7), &d) ?
	    pf_date(a, d, DS_FULL) : "",
	    "sport_type", db_val(r, i, 3),
	    "distance_label", pf_distance(a, dist, u),
	    "moving_time_label", secs > 0 ? json_string(t) : json_null(),
	    "pace_label", pf_str(pf_activity_pace(a, dist, secs, u)),
	    "heartrate_label", hr > 0 ?
	    json_string(arena_printf(a, "%d bpm", hr)) : json_null(),
	    "matched", matched,
	    "workout_url", matched ? json_string(arena_printf(a,
	    "/workouts/%s", db_val(r, i, 8))) : json_null(),
	    "workout_label", pf_str(wlabel),
	    "strava_url", pf_str(pf_strava_url(a,
	    strtoll(db_val(r, i, 1), NULL, 10))));
}

json_t *
activities_list(struct request *req, const char *filter, int limit,
    int offset, bool *more)
{
	char		 lim[16], off[16];
	const char	*p[4] = { req->runner->id, filter, lim, off };
	enum unit	 u = pf_unit(req->runner);
	PGresult	*r;
	json_t		*list;
	int		 i, n;

	/* One row more than shown tells whether there is a next page. */
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	snprintf(off, sizeof(off), "%d", offset);
	if ((r = db_exec(req->db, &q_list, 4, p)) == NULL)
		return NULL;
	n = PQntuples(r);
	*more = n > limit;
	list = json_array();
	for (i = 0; i < n && i < limit; i++)
		json_array_append_new(list, row_json(req->arena, r, i, u));
	PQclear(r);
	return list;
}

static const char *
page_url(arena_t *a, const char *filter, int page)
{
	if (strcmp(filter, "all") == 0)
		return page == 1 ? "/activities" :
		    arena_printf(a, "/activities?page=%d", page);
	if (page == 1)
		return arena_printf(a, "/activities?filter=%s", filter);
	return arena_printf(a, "/activities?filter=%s&page=%d", filter, page);
}

static const char *
empty_message(const char *filter, int page)
{
	if (page > 1)
		return "There is nothing on this page: the list is shorter.";
	if (strcmp(filter, "matched") == 0)
		return "No run is matched to a workout yet.";
	if (strcmp(filter, "unmatched") == 0)
		return "Every run is matched to a workout.";
	return "No activities yet. Connect Strava in Settings and your runs "
	    "appear here.";
}

int
page_activities(struct request *req, struct response *res)
{
	const char	*filter = req_query(req, "filter");
	const char	*pg = req_query(req, "page");
	int		 page = 1;
	bool		 more = false;
	json_t		*list;

	if (*filter == '\0')
		filter = "all";
	if ((strcmp(filter, "all") != 0 && strcmp(filter, "matched") != 0 &&
	    strcmp(filter, "unmatched") != 0) ||
	    (*pg != '\0' && !parse_int(pg, 1, ACTIVITIES_MAX_PAGE, &page))) {
		view_error(req, res, 400, "Unknown filter or page: use the "
		    "links on the activities page.");
		return 0;
	}
	if ((list = activities_list(req, filter, ACTIVITIES_PER_PAGE,
	    (page - 1) * ACTIVITIES_PER_PAGE, &more)) == NULL)
		return -1;
	return view_page(req, res, 200, "activities", json_pack(
	    "{s:{s:b}, s:b, s:b, s:b, s:o, s:o, s:o, s:o}",
	    "nav", "activities", 1,
	    "filter_all", strcmp(filter, "all") == 0,
	    "filter_matched", strcmp(filter, "matched") == 0,
	    "filter_unmatched", strcmp(filter, "unmatched") == 0,
	    "activities", list,
	    "prev_url", page > 1 ?
	    json_string(page_url(req->arena, filter, page - 1)) : json_null(),
	    "next_url", more && page < ACTIVITIES_MAX_PAGE ?
	    json_string(page_url(req->arena, filter, page + 1)) : json_null(),
	    "empty", json_array_size(list) == 0 ?
	    json_string(empty_message(filter, page)) : json_null()));
}
