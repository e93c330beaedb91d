/*
 * One week of a plan in full (GET /plans/{id}/weeks/{n}): every workout
 * with description, pace range and duration, the runs matched to it with
 * their figures and a link to Strava, compliance per workout and for the
 * week, and links to the neighbouring weeks.  Weeks are the calendar's
 * rows (the runner's first weekday), so both pages agree.
 * Cost: the session + PV_QUERIES, the last two for this week only.
 */
#include "core/config.h"
#include "pages/pages.h"
#include "pages/plan_pages.h"
#include "view/plan_format.h"
#include "view/page_cache.h"
#include "view/view.h"
#include "web/session.h"

static json_t *
activity_json(arena_t *a, const struct config *cfg,
    const struct pv_activity *x, enum unit u)
{
	char s[32];

	units_format_duration(s, sizeof(s), x->moving_s);
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
	    "name", x->name[0] ? x->name : "Untitled run",
	    "distance_label", pf_distance(a, x->distance_m, u),
	    "moving_time_label", x->moving_s > 0 ? json_string(s) : json_null(),
	    "pace_label", pf_str(pf_activity_pace(a, x->distance_m,
	    x->moving_s, u)),
	    "heartrate_label", x->heartrate > 0 ?
	    json_string(arena_printf(a, "%d bpm", x->heartrate)) : json_null(),
	    "elevation_label", x->elevation_m >= 0 ?
	    json_string(arena_printf(a, "%d %s", u == UNIT_MI ?
	    (int)(x->elevation_m * 3.28084 + 0.5) : x->elevation_m,
	    u == UNIT_MI ? "ft" : "m")) : json_null(),
	    "strava_url", pf_str(pf_strava_url(a, cfg, x->strava_id)));
}

static json_t *
workout_json(arena_t *a, const struct config *cfg,
    const struct pv_workout *w, enum unit u)
{
	json_t	*j = pf_workout_card(a, w, u, false), *acts = json_array();
	int	 i;

	for (i = 0; i < w->nlinks; i++)
		json_array_append_new(acts,
		    activity_json(a, cfg, w->links[i].activity, u));
	json_object_set_new(j, "activities", acts);
	return j;
}

/*
 * The runs of day d that complete no workout: listed under the day, and
 * counted in the week's total, so the list adds up to the total (issue
 * 15.6).  *k walks the date-sorted activities once.
 */
static json_t *
unplanned_json(arena_t *a, const struct config *cfg,
    const struct plan_view *pv, size_t *k, date_t d,
    enum unit u, struct week_totals *tot)
{
	json_t *list = json_array();

	for (; *k < pv->nactivities && pv->activities[*k].date <= d; (*k)++) {
		const struct pv_activity *x = &pv->activities[*k];

		if (x->date < d || !plan_view_is_unplanned(x))
			continue;
		plan_view_count_unplanned(tot, x);
		json_array_append_new(list, activity_json(a, cfg, x, u));
	}
	return list;
}

int
page_plan_week(struct request *req, struct response *res)
{
	struct plan_view	 pv;
	struct week_totals	 tot;
	arena_t			*a = req->arena;
	enum unit		 u = pf_unit(req->subject);
	date_t			 today = pf_today(req->subject), ws, d;
	int			 n = (int)req->cap_int[1], nweeks, rc, pct, cur;
	size_t			 i, k;
	json_t			*days, *wks, *unpl, *data;
	const char		*key;

	key = page_cache_key(req, arena_printf(a, "week/%s/%d", req->cap[0], n));
	if (page_cache_get(key, res))
		return 0;
	/* The plan first, then only this week's workouts and runs. */
	if ((rc = plan_view_load_head(req->db, a, req->subject->id, req->cap[0],
	    &pv)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	ws = plan_week1(&pv, pf_first_day(req->subject));
	nweeks = plan_nweeks(&pv, ws);
	if (n < 1 || n > nweeks) {
		view_error(req, res, 404, NULL);
		return 0;
	}
	/* Today's week number, for a "This week" link (0: none). */
	cur = today != PV_NO_DATE && today >= ws ? (today - ws) / 7 + 1 : 0;
	ws += 7 * (n - 1);
	if (plan_view_load_window(req->db, a, today, ws, ws + 6, &pv) == -1)
		return -1;
	week_totals_init(&tot);
	days = json_array();
	for (d = ws, i = 0, k = 0; d < ws + 7; d++) {
		wks = json_array();
		for (; i < pv.nworkouts && pv.workouts[i].date <= d; i++) {
			const struct pv_workout *w = &pv.workouts[i];

			if (w->date < d)
				continue;
			plan_view_count_workout(&tot, w);
			json_array_append_new(wks, workout_json(a, req->cfg, w, u));
		}
		unpl = unplanned_json(a, req->cfg, &pv, &k, d, u, &tot);
		json_array_append_new(days, json_pack("{s:s, s:s, s:b, s:o, s:o,"
		    " s:b}", "date_label", pf_date(a, d, DS_SHORT),
		    "weekday", weekday_name(date_weekday(d)),
		    "is_today", d == today, "workouts", wks, "unplanned", unpl,
		    "rest", json_array_size(wks) == 0 &&
		    json_array_size(unpl) == 0));
	}
	pct = week_totals_percent(&tot);
	data = json_pack("{s:{s:b}, s:{s:s, s:s}, s:{s:i, s:o, s:s, s:s, s:s,"
	    " s:s, s:s, s:i, s:o}, s:o, s:o, s:o, s:o}",
	    "nav", "plans", 1, "plan", "id", pv.id, "name", pv.name,
	    "week", "number", n, "phase", pf_str(plan_view_phase(&pv, n)),
	    "range_label", arena_printf(a, "%s – %s", pf_date(a, ws, DS_DAY),
	    pf_date(a, ws + 6, DS_FULL)),
	    "planned_label", pf_distance(a, (int)tot.planned_m, u),
	    "actual_label", pf_distance(a, (int)(tot.matched_m +
	    tot.unplanned_m), u),
	    "planned_time_label", pf_time_total(a, tot.planned_s),
	    "actual_time_label", pf_time_total(a, tot.matched_s +
	    tot.unplanned_s),
	    "percent", pct < 0 ? 0 : pct,
	    "compliance_class", pf_str(ws > today ? NULL :
	    pf_percent_colour(pct)),
	    "prev_url", n > 1 ? json_string(arena_printf(a,
	    "/plans/%s/weeks/%d", pv.id, n - 1)) : json_null(),
	    "next_url", n < nweeks ? json_string(arena_printf(a,
	    "/plans/%s/weeks/%d", pv.id, n + 1)) : json_null(),
	    "this_url", cur != n && cur >= 1 && cur <= nweeks ?
	    json_string(arena_printf(a, "/plans/%s/weeks/%d", pv.id, cur)) :
	    json_null(),
	    "days", days);
	if (view_page(req, res, 200, "plan_week", data) == -1)
		return -1;
	page_cache_put(key, res);
	return 0;
}
