/*
 * The plan calendar (GET /plans/{id}): the plan's paces, the weekly
 * distance chart, the export links and one row per week of seven days in
 * the runner's first weekday, each day with its workouts (type, distance,
 * state, compliance colour) and its runs that match no workout (grey).
 * Cost: the session, PV_QUERIES, and once per plan the feed token.
 */
#include <string.h>

#include "core/config.h"
#include "db/access.h"
#include "domain/runner.h"
#include "domain/vdot.h"
#include "pages/fitness.h"
#include "pages/pages.h"
#include "pages/plan_pages.h"
#include "view/chart.h"
#include "view/plan_format.h"
#include "view/page_cache.h"
#include "view/view.h"
#include "web/session.h"

int
plan_page_load(struct request *req, struct response *res,
    struct plan_view *pv)
{
	int rc = plan_view_load(req->db, req->arena, req->subject->id,
	    req->cap[0], pf_today(req->subject), 0, 0, pv);

	if (rc == 0)
		view_error(req, res, 404, NULL);
	return rc;
}

date_t
plan_week1(const struct plan_view *pv, enum weekday first)
{
	return date_week_start(pv->start_date, first);
}

int
plan_nweeks(const struct plan_view *pv, date_t week1)
{
	int n = pv->total_weeks;

	if (pv->race_date >= week1 && (pv->race_date - week1) / 7 + 1 > n)
		n = (pv->race_date - week1) / 7 + 1;
	if (n > PLAN_MAX_ROWS)
		n = PLAN_MAX_ROWS;
	return n < 1 ? 1 : n;
}

static const char *const pace_names[PACE__MAX] = {
	"Easy", "Marathon", "Threshold", "Interval", "Repetition",
};

static json_t *
paces_json(arena_t *a, double vdot, enum unit u)
{
	json_t	*list = json_array();
	int	 paces[PACE__MAX][2], z;

	if (vdot < VDOT_MIN || vdot > VDOT_MAX)
		return list;
	vdot_paces(vdot, paces);
	for (z = 0; z < PACE__MAX; z++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
		    "key", pace_zone_key((enum pace_zone)z), "name", pace_names[z],
		    "range", pf_pace_range(a, paces[z][0], paces[z][1], u)));
	return list;
}

static json_t *
plan_json(struct request *req, const struct plan_view *pv, enum unit u,
    date_t today)
{
	arena_t *a = req->arena;

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
	    "id", pv->id, "name", pv->name, "race_name", pv->race_name,
	    "race_date_label", pf_date(a, pv->race_date, DS_FULL),
	    "distance_label", pf_race_distance(a, pv->race_distance, u),
	    "vdot", pv->vdot > 0 ? json_real((double)(int)(pv->vdot * 10 + 0.5)
	    / 10) : json_null(),
	    "days_to_go", today != PV_NO_DATE && pv->race_date >= today ?
	    json_integer(pv->race_date - today) : json_null(),
	    "active", pv->active);
}

static json_t *
day_workout_json(arena_t *a, const struct pv_workout *w, enum unit u)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(w->id));
	json_object_set_new(j, "type", json_string(w->type_name));
	json_object_set_new(j, "type_class",
	    json_string(pf_type_class(a, w->type_key)));
	json_object_set_new(j, "distance_label",
	    json_string(pf_distance(a, w->distance_m, u)));
	json_object_set_new(j, "state", json_string(pf_state(w->comp.state)));
	json_object_set_new(j, "state_label",
	    json_string(pf_state_label(w->comp.state)));
	json_object_set_new(j, "compliance_class",
	    pf_str(pf_colour(w->comp.colour)));
	json_object_set_new(j, "percent_label", pf_str(pf_percent(a, w)));
	return j;
}

/* Cursors over the date-sorted workouts and activities, advanced once. */
struct cursor {
	size_t	w, a;
};

/* Day d: its workouts and unplanned runs, added to the week's totals. */
static json_t *
day_json(arena_t *a, const struct plan_view *pv, struct cursor *cur,
    date_t d, date_t today, enum unit u, struct week_totals *tot)
{
	json_t	*wks = json_array(), *unpl = json_array(), *j;
	char	 iso[11];

	for (; cur->w < pv->nworkouts && pv->workouts[cur->w].date <= d;
	    cur->w++) {
		const struct pv_workout *w = &pv->workouts[cur->w];

		if (w->date < d)
			continue;	/* before the first row */
		plan_view_count_workout(tot, w);
		json_array_append_new(wks, day_workout_json(a, w, u));
	}
	for (; cur->a < pv->nactivities && pv->activities[cur->a].date <= d;
	    cur->a++) {
		const struct pv_activity *x = &pv->activities[cur->a];

		if (x->date < d || !plan_view_is_unplanned(x))
			continue;
		plan_view_count_unplanned(tot, x);
		json_array_append_new(unpl, json_pack("{s:s, s:s}",
		    "distance_label", pf_distance(a, x->distance_m, u),
		    "url", "/activities?filter=unmatched"));
	}
	date_format(d, iso);
	j = json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o}",
	    "date", iso, "date_label", pf_date(a, d, DS_SHORT),
	    "day_short", weekday_short(date_weekday(d)),
	    "is_today", d == today,
	    "in_plan", d >= pv->start_date && d <= pv->race_date,
	    "workouts", wks, "unplanned", unpl);
	return j;
}

/*
 * The week the calendar opens at (#this-week, 0-based): today's, else the
 * first before the plan starts, else the last.
 */
static int
focus_week(date_t week1, int n, date_t today)
{
	int i;

	if (today == PV_NO_DATE || today < week1)
		return 0;
	i = (today - week1) / 7;
	return i < n ? i : n - 1;
}

/* Previous / this / next week links of the calendar, around week focus. */
static json_t *
cal_nav_json(arena_t *a, int focus, int n, bool current)
{
	return json_pack("{s:o, s:s, s:o}",
	    "prev_url", focus > 0 ? json_string(arena_printf(a, "#week-%d",
	    focus)) : json_null(),
	    "this_label", current ? "This week" : focus == 0 ? "First week" :
	    "Last week",
	    "next_url", focus + 1 < n ? json_string(arena_printf(a,
	    "#week-%d", focus + 2)) : json_null());
}

/* The whole plan's figures, and those of the weeks begun by today. */
struct plan_totals {
	int64_t	 planned_m, planned_s;		/* whole plan */
	int64_t	 due_m, due_s;			/* weeks begun */
	int64_t	 done_m, done_s;		/* run so far */
};

static void
plan_totals_add(struct plan_totals *p, const struct week_totals *t,
    bool begun)
{
	p->planned_m += t->planned_m;
	p->planned_s += t->planned_s;
	if (begun) {
		p->due_m += t->planned_m;
		p->due_s += t->planned_s;
	}
	p->done_m += t->matched_m + t->unplanned_m;
	p->done_s += t->matched_s + t->unplanned_s;
}

static json_t *
plan_totals_json(arena_t *a, const struct plan_totals *p, enum unit u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
	    "done_label", pf_distance(a, (int)p->done_m, u),
	    "due_label", pf_distance(a, (int)p->due_m, u),
	    "planned_label", pf_distance(a, (int)p->planned_m, u),
	    "done_time_label", pf_time_total(a, p->done_s),
	    "due_time_label", pf_time_total(a, p->due_s),
	    "planned_time_label", pf_time_total(a, p->planned_s));
}

static json_t *
weeks_json(struct request *req, const struct plan_view *pv, enum unit u,
    enum weekday first, date_t today, json_t **chart, json_t **nav,
    struct plan_totals *sum)
{
	arena_t			*a = req->arena;
	date_t			 week1 = plan_week1(pv, first), ws;
	int			 n = plan_nweeks(pv, week1), i, k, pct;
	int			 focus = focus_week(week1, n, today);
	struct cursor		 cur = { 0, 0 };
	struct chart_week	*bars = arena_alloc(a, sizeof(*bars) * (size_t)n);
	json_t			*weeks = json_array(), *days, *wj;
	const char		*phase;

	for (i = 0; i < n; i++) {
		struct week_totals tot;

		week_totals_init(&tot);
		ws = week1 + 7 * i;
		days = json_array();
		for (k = 0; k < 7; k++)
			json_array_append_new(days, day_json(a, pv, &cur,
			    ws + k, today, u, &tot));
		pct = week_totals_percent(&tot);
		phase = plan_view_phase(pv, i + 1);
		wj = json_pack("{s:i, s:b, s:o, s:o, s:b, s:s, s:s, s:i, s:o}",
		    "number", i + 1, "is_focus", i == focus,
		    "phase", pf_str(phase),
		    "phase_class", phase ? json_string(arena_printf(a, "ph-%c%s",
		    phase[0] | 0x20, phase + 1)) : json_null(),
		    "is_current", today >= ws && today < ws + 7,
		    "planned_label", pf_distance(a, (int)tot.planned_m, u),
		    "actual_label", pf_distance(a,
		    (int)(tot.matched_m + tot.unplanned_m), u),
		    "percent", pct < 0 ? 0 : pct > 100 ? 100 : pct,
		    "days", days);
		json_object_set_new(wj, "planned_time_label", json_string(
		    pf_time_total(a, tot.planned_s)));
		json_object_set_new(wj, "actual_time_label", json_string(
		    pf_time_total(a, tot.matched_s + tot.unplanned_s)));
		json_array_append_new(weeks, wj);
		plan_totals_add(sum, &tot, ws < today);
		bars[i].number = i + 1;
		bars[i].planned_m = tot.planned_m;
		bars[i].actual_m = tot.matched_m + tot.unplanned_m;
	}
	*chart = chart_json(bars, n, u);
	*nav = cal_nav_json(a, focus, n, today != PV_NO_DATE &&
	    today >= week1 + 7 * focus && today < week1 + 7 * focus + 7);
	return weeks;
}

static json_t *
weekdays_json(enum weekday first)
{
	json_t	*list = json_array();
	int	 k;

	for (k = 0; k < 7; k++)
		json_array_append_new(list, json_pack("{s:s}", "short",
		    weekday_short((enum weekday)((first + k) % 7))));
	return list;
}

int
page_plan_calendar(struct request *req, struct response *res)
{
	struct plan_view	 pv;
	enum unit		 u = pf_unit(req->subject);
	enum weekday		 first = pf_first_day(req->subject);
	date_t			 today = pf_today(req->subject);
	const char		*token = NULL, *key;
	json_t			*data, *chart = NULL, *weeks, *nav = NULL;
	json_t			*pending;
	struct plan_totals	 sum;
	int			 rc;

	key = page_cache_key(req, arena_printf(req->arena, "calendar/%s",
	    req->cap[0]));
	if (page_cache_get(key, res))
		return 0;
	if ((rc = plan_page_load(req, res, &pv)) <= 0)
		return rc;
	/* The feed's address is the runner's secret: not for their coach. */
	if (req->access->self && (token = plan_feed_token(req, pv.id,
	    pv.ics_nonce)) == NULL)
		return -1;
	memset(&sum, 0, sizeof(sum));
	weeks = weeks_json(req, &pv, u, first, today, &chart, &nav, &sum);
	/* Proposals to adapt the plan are the runner's own business. */
	pending = req->access->self ? fitness_pending_json(req, pv.id) :
	    json_null();
	if (pending == NULL) {
		json_decref(weeks);
		json_decref(chart);
		json_decref(nav);
		return -1;
	}
	data = json_pack("{s:{s:b}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s?,"
	    " s:s, s:o, s:s?}",
	    "nav", "plans", 1, "cal_nav", nav, "totals",
	    plan_totals_json(req->arena, &sum, u),
	    "plan", plan_json(req, &pv, u, today),
	    "paces", paces_json(req->arena, pv.vdot, u),
	    "weekdays", weekdays_json(first), "weeks", weeks, "chart", chart,
	    "ics_url", token == NULL ? NULL : arena_printf(req->arena,
	    "%s/plans/%s/calendar.ics?token=%s", req->cfg != NULL ?
	    req->cfg->base_url : "", pv.id, token),
	    "csv_url", arena_printf(req->arena, "/plans/%s/export.csv", pv.id),
	    "adjustment", pending, "adjust_url", req->access->self ?
	    arena_printf(req->arena, "/plans/%s/adjust", pv.id) : NULL);
	if (view_page(req, res, 200, "plan_calendar", data) == -1)
		return -1;
	page_cache_put(key, res);
	return 0;
}
