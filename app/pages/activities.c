/*
 * The runner's imported activities (GET /activities), newest first,
 * ACTIVITIES_PER_PAGE a page (?page=N), filtered by ?filter=all (every
 * activity), matched (completes a workout) or unmatched (runs that
 * complete none).  A bad filter or page is a 400.  The dashboard lists
 * the newest unmatched runs with the same query.  Cost: the session + 1.
 */
#include <string.h>

#include "core/util.h"
#include "db/activities.h"
#include "pages/pages.h"
#include "pages/plan_pages.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define ACTIVITIES_PER_PAGE	20
#define ACTIVITIES_MAX_PAGE	1000

static json_t *
row_json(arena_t *a, const struct config *cfg,
    const struct activity_listed *l, enum unit u)
{
	const struct pv_activity	*x = &l->activity;
	const struct pv_workout		*w = l->workout;
	const char			*wlabel = NULL;
	char				 t[32];

	units_format_duration(t, sizeof(t), x->moving_s);
	if (w != NULL)
		wlabel = arena_printf(a, "%s %s, %s", w->type_name,
		    pf_distance(a, w->distance_m, u), w->date != PV_NO_DATE ?
		    pf_date(a, w->date, DS_DAY) : "");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o,"
	    " s:o, s:o}", "id", x->id,
	    "name", *x->name ? x->name : "Untitled activity",
	    "date_label", x->date != PV_NO_DATE ?
	    pf_date(a, x->date, DS_FULL) : "",
	    "sport_type", x->sport_type,
	    "distance_label", pf_distance(a, x->distance_m, u),
	    "moving_time_label", x->moving_s > 0 ? json_string(t) : json_null(),
	    "pace_label", pf_str(pf_activity_pace(a, x->distance_m,
	    x->moving_s, u)),
	    "heartrate_label", x->heartrate > 0 ?
	    json_string(arena_printf(a, "%d bpm", x->heartrate)) : json_null(),
	    "matched", w != NULL,
	    "workout_url", w != NULL ? json_string(arena_printf(a,
	    "/workouts/%s", w->id)) : json_null(),
	    "workout_label", pf_str(wlabel),
	    "strava_url", pf_str(pf_strava_url(a, cfg, x->strava_id)));
}

/* "all", "matched", "unmatched" (the URL's words) as a filter; -1: none. */
static int
filter_of(const char *word)
{
	if (strcmp(word, "all") == 0)
		return ACTIVITIES_ALL;
	if (strcmp(word, "matched") == 0)
		return ACTIVITIES_MATCHED;
	if (strcmp(word, "unmatched") == 0)
		return ACTIVITIES_UNMATCHED;
	return -1;
}

json_t *
activities_list(struct request *req, enum activities_filter filter,
    date_t since, int limit, int offset, bool *more)
{
	enum unit		 u = pf_unit(req->runner);
	struct activity_listed	*rows;
	json_t			*list;
	int			 i, n;

	/* One row more than shown tells whether there is a next page. */
	if ((n = activities_list_newest(req->db, req->arena, req->runner->id,
	    filter, since, limit + 1, offset, &rows)) < 0)
		return NULL;
	*more = n > limit;
	list = json_array();
	for (i = 0; i < n && i < limit; i++)
		json_array_append_new(list, row_json(req->arena, req->cfg, &rows[i], u));
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
	int		 page = 1, f;
	bool		 more = false;
	json_t		*list;

	if (*filter == '\0')
		filter = "all";
	if ((f = filter_of(filter)) < 0 ||
	    (*pg != '\0' && !parse_int(pg, 1, ACTIVITIES_MAX_PAGE, &page))) {
		view_error(req, res, 400, "Unknown filter or page: use the "
		    "links on the activities page.");
		return 0;
	}
	if ((list = activities_list(req, (enum activities_filter)f, PV_NO_DATE,
	    ACTIVITIES_PER_PAGE, (page - 1) * ACTIVITIES_PER_PAGE,
	    &more)) == NULL)
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
