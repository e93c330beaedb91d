/*
 * The signed-in runner's dashboard (GET /): today's workouts, this week's
 * planned against run distance, the next key workout, days to the race,
 * the Strava box and the newest runs matched to no workout; without an
 * active plan, a prompt to create one.
 * Cost: the session, the Strava box's own, PV_QUERIES for this week of
 * the active plan, 1 for the next key workout (db/workouts.c), 1 for
 * unmatched runs (db/activities.c), 1 for the comments of the runner's
 * coaches (db/comments.c), the fitness card's (pages/fitness.c) and 1
 * for a pending proposal to adapt the plan.
 */
#include "db/workouts.h"
#include "pages/fitness.h"
#include "pages/pages.h"
#include "pages/plan_pages.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define DASH_UNMATCHED	5	/* newest unmatched runs shown */
#define DASH_UNMATCHED_DAYS	28	/* ... of the last four weeks */

/* The next key workout after today as a card, or null; NULL on error. */
static json_t *
next_key_json(struct request *req, const struct plan_view *pv, date_t today,
    enum unit u)
{
	struct pv_workout	w;
	int			rc;

	if ((rc = workouts_next_key(req->db, req->arena, req->runner->id,
	    pv->id, today, &w)) != 1)
		return rc == 0 ? json_null() : NULL;
	w.comp.state = CS_UPCOMING;
	w.comp.colour = CC_NONE;
	w.comp.percent = -1;
	return pf_workout_card(req->arena, &w, u, true);
}

/* Today's cards and this week's totals from the loaded week. */
static void
week_parts(struct request *req, const struct plan_view *pv, date_t today,
    enum unit u, json_t **today_cards, json_t **week)
{
	arena_t			*a = req->arena;
	struct week_totals	 tot;
	size_t			 i;
	int			 pct;

	*today_cards = json_array();
	for (i = 0; i < pv->nworkouts; i++)
		if (pv->workouts[i].date == today)
			json_array_append_new(*today_cards,
			    pf_workout_card(a, &pv->workouts[i], u, false));
	plan_view_totals(pv, pv->from, pv->to, &tot);
	pct = week_totals_percent(&tot);
	*week = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o}",
	    "planned_time_label", pf_time_total(a, tot.planned_s),
	    "done_time_label", pf_time_total(a, tot.matched_s +
	    tot.unplanned_s),
	    "planned_label", pf_distance(a, (int)tot.planned_m, u),
	    "done_label", pf_distance(a, (int)(tot.matched_m + tot.unplanned_m),
	    u), "percent", pct < 0 ? 0 : pct,
	    "bar_class", pf_str(pf_percent_colour(pct < 0 ? 0 : pct)));
}

/* The fitness card and the pending proposal (pages/fitness.h), then the
 * page with the small chart in its slot. */
static int
fitness_parts(struct request *req, struct response *res, json_t *data)
{
	const char	*svg;
	json_t		*pending;

	if (fitness_card(req, data, &svg) == -1 ||
	    (pending = fitness_pending_json(req, NULL)) == NULL) {
		json_decref(data);
		return -1;
	}
	json_object_set_new(data, "adjustment", pending);
	return view_page_markup(req, res, 200, "dashboard", data,
	    &(struct view_markup){ "fitness-small", svg }, 1);
}

int
page_dashboard(struct request *req, struct response *res)
{
	arena_t			*a = req->arena;
	struct plan_view	 pv;
	enum unit		 u = pf_unit(req->runner);
	date_t			 today = pf_today(req->runner), ws;
	json_t			*data, *unmatched, *cards, *week, *next;
	json_t			*comments;
	bool			 more;
	int			 rc;

	ws = date_week_start(today, pf_first_day(req->runner));
	if ((rc = plan_view_load_active(req->db, a, req->runner->id, today,
	    ws, ws + 6, &pv)) < 0)
		return -1;
	data = json_pack("{s:{s:b}, s:o}", "nav", "home", 1,
	    "strava", settings_strava_json(req));
	if (rc == 0)
		json_object_set_new(data, "plan", json_null());
	else {
		if ((next = next_key_json(req, &pv, today, u)) == NULL) {
			json_decref(data);
			return -1;
		}
		week_parts(req, &pv, today, u, &cards, &week);
		json_object_set_new(data, "plan", json_pack("{s:s, s:s}",
		    "id", pv.id, "name", pv.name));
		json_object_set_new(data, "today", json_pack("{s:s, s:o}",
		    "date_label", pf_date(a, today, DS_DAY), "workouts", cards));
		json_object_set_new(data, "week", week);
		json_object_set_new(data, "next_key", next);
		json_object_set_new(data, "race", pv.race_date >= today ?
		    json_pack("{s:s, s:s, s:i}", "name", pv.race_name,
		    "date_label", pf_date(a, pv.race_date, DS_FULL),
		    "days_to_go", pv.race_date - today) : json_null());
	}
	/* Recent ones only: however long the history, a bounded read. */
	if ((unmatched = activities_list(req, ACTIVITIES_UNMATCHED,
	    today - DASH_UNMATCHED_DAYS, DASH_UNMATCHED, 0, &more)) == NULL) {
		json_decref(data);
		return -1;
	}
	json_object_set_new(data, "has_unmatched",
	    json_boolean(json_array_size(unmatched) > 0));
	json_object_set_new(data, "unmatched", unmatched);
	if ((comments = coaching_recent_json(req)) == NULL) {
		json_decref(data);
		return -1;
	}
	json_object_set_new(data, "has_comments",
	    json_boolean(json_array_size(comments) > 0));
	json_object_set_new(data, "comments", comments);
	return fitness_parts(req, res, data);
}
