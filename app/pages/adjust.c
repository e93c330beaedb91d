/*
 * Adapting a plan (docs/plan-adaptation.md):
 *   GET  /plans/{id}/adjust		"Adjust my plan": the form
 *   POST /plans/{id}/adjust		makes a proposal (days_off: "I could
 *					not run for N days"), then shows it
 *   GET  /adjustments/{id}		a proposal: why, and the weeks before
 *					and after side by side (or the paces)
 *   POST /adjustments/{id}/accept	applies it as shown
 *   POST /adjustments/{id}/decline	leaves the plan as it is
 * Another runner's plan or proposal is a 404.  Cost: the session + 1 or 2
 * for the pages; a proposal or an acceptance is the job worker's work
 * done in the request (training/adjust.c: about 8 statements).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/adjustments.h"
#include "db/plans.h"
#include "domain/adapt.h"
#include "pages/fitness.h"
#include "pages/pages.h"
#include "training/adjust.h"
#include "view/formdata.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define PACES_LISTED	12	/* workouts listed on a paces proposal */

static int
show_form(struct request *req, struct response *res, int status,
    json_t *form, const char *plan_id, const char *error)
{
	json_t *pending = fitness_pending_json(req, plan_id);

	if (pending == NULL) {
		json_decref(form);
		return -1;
	}
	return view_page(req, res, status, "adjust", json_pack("{s:{s:b},"
	    " s:o, s:s, s:s, s:o, s:i, s:o}", "nav", "plans", 1, "form", form,
	    "action", arena_printf(req->arena, "/plans/%s/adjust", plan_id),
	    "plan_url", arena_printf(req->arena, "/plans/%s", plan_id),
	    "pending", pending, "max_days", ADAPT_MAX_DAYS_OFF, "refusal",
	    pf_str(error)));
}

int
page_plan_adjust(struct request *req, struct response *res)
{
	int rc;

	if ((rc = plans_exists(req->db, req->runner->id, req->cap[0])) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	return show_form(req, res, 200, json_object(), req->cap[0], NULL);
}

int
page_plan_adjust_post(struct request *req, struct response *res)
{
	enum training_proposal	 p;
	const char		*v = req_form(req, "days_off");
	char			 id[ADJUSTMENT_ID_LEN], why[ADAPT_TEXT_MAX];
	json_t			*form = json_object();
	int			 days = 0, rc;

	if ((rc = plans_exists(req->db, req->runner->id, req->cap[0])) != 1) {
		json_decref(form);
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	fd_value(form, "days_off", v);
	if (*v != '\0' && !parse_int(v, 0, ADAPT_MAX_DAYS_OFF, &days)) {
		fd_error(form, "days_off", arena_printf(req->arena, "Give a "
		    "number of days from 0 to %d, or leave it empty.",
		    ADAPT_MAX_DAYS_OFF));
		return show_form(req, res, 422, form, req->cap[0], NULL);
	}
	p = training_propose(req->db, req->arena, req->runner->id, req->cap[0],
	    pf_today(req->runner), days, pf_unit(req->runner), id, why,
	    sizeof(why));
	if (p == PROPOSAL_FAILED) {
		json_decref(form);
		return -1;
	}
	if (p != PROPOSAL_MADE)
		return show_form(req, res, 200, form, req->cap[0], why);
	json_decref(form);
	resp_redirect(req, res, arena_printf(req->arena, "/adjustments/%s", id));
	return 0;
}

/* "Tue", the type, its class and distance of a stored workout. */
static json_t *
day_json(arena_t *a, const json_t *w, enum unit u, bool kept)
{
	const char	*type = json_string_value(json_object_get(w, "type"));
	date_t		 d = 0;

	(void)date_parse(json_string_value(json_object_get(w, "date")) ?
	    json_string_value(json_object_get(w, "date")) : "", &d);
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:i}", "day",
	    weekday_short(date_weekday(d)), "type", type ? type : "",
	    "type_class", pf_type_class(a, plan_view_type_key(type ? type :
	    "")), "distance_label", pf_distance(a, (int)json_integer_value(
	    json_object_get(w, "distance")), u), "kept", kept, "date", d);
}

/* Adds list's workouts of week to out, their distance to *total. */
static void
add_side(arena_t *a, json_t *out, const json_t *list, int week, enum unit u,
    bool kept, long *total)
{
	json_t	*w;
	size_t	 i;

	json_array_foreach(list, i, w) {
		if (json_integer_value(json_object_get(w, "week")) != week)
			continue;
		json_array_append_new(out, day_json(a, w, u, kept));
		if (strcmp(json_string_value(json_object_get(w, "type")) ?
		    json_string_value(json_object_get(w, "type")) : "",
		    "Race") != 0)
			*total += json_integer_value(json_object_get(w,
			    "distance"));
	}
}

static int
by_date(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x,
	    "date")), b = json_integer_value(json_object_get(
	    *(json_t *const *)y, "date"));

	return a < b ? -1 : a > b;
}

/* The week's rows of one side (with the workouts kept on both), by day,
 * and their distance. */
static json_t *
side(arena_t *a, const json_t *list, const json_t *kept, int week,
    enum unit u, long *total)
{
	json_t	*out = json_array(), *sorted = json_array(), *w;
	json_t	**v;
	size_t	 i, n;

	*total = 0;
	add_side(a, out, list, week, u, false, total);
	add_side(a, out, kept, week, u, true, total);
	n = json_array_size(out);
	v = arena_alloc(a, sizeof(*v) * (n + 1));
	json_array_foreach(out, i, w)
		v[i] = w;
	qsort(v, n, sizeof(*v), by_date);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	json_decref(out);
	return sorted;
}

static int
week_span(const json_t *list, int *lo, int *hi)
{
	json_t	*w;
	size_t	 i;
	int	 k;

	json_array_foreach(list, i, w) {
		k = (int)json_integer_value(json_object_get(w, "week"));
		if (k <= 0)
			continue;
		*lo = *lo == 0 || k < *lo ? k : *lo;
		*hi = k > *hi ? k : *hi;
	}
	return *hi;
}

/* Old and new side by side, week by week. */
static json_t *
weeks_json(arena_t *a, const json_t *ch, enum unit u)
{
	const json_t	*old = json_object_get(ch, "old");
	const json_t	*neu = json_object_get(ch, "workouts");
	const json_t	*kept = json_object_get(ch, "kept");
	json_t		*list = json_array(), *o, *n;
	long		 ot, nt;
	int		 lo = 0, hi = 0, w;

	week_span(old, &lo, &hi);
	week_span(neu, &lo, &hi);
	for (w = lo; w > 0 && w <= hi; w++) {
		o = side(a, old, kept, w, u, &ot);
		n = side(a, neu, kept, w, u, &nt);
		json_array_append_new(list, json_pack("{s:i, s:o, s:o, s:s, s:s,"
		    " s:b}", "week", w, "old", o, "new", n, "old_total",
		    pf_distance(a, (int)ot, u), "new_total", pf_distance(a,
		    (int)nt, u), "changed", ot != nt ||
		    json_array_size(o) != json_array_size(n)));
	}
	return list;
}

static const char *
pace_label(arena_t *a, const json_t *pair, enum unit u)
{
	return pf_pace_range(a, (int)json_integer_value(json_array_get(pair, 0)),
	    (int)json_integer_value(json_array_get(pair, 1)), u);
}

static json_t *
zones_json(arena_t *a, const json_t *ch, enum unit u)
{
	json_t	*list = json_array(), *z;
	size_t	 i;

	json_array_foreach(json_object_get(ch, "zones"), i, z)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "zone",
		    json_string_value(json_object_get(z, "zone")) ?
		    json_string_value(json_object_get(z, "zone")) : "", "old",
		    pace_label(a, json_object_get(z, "old"), u), "new",
		    pace_label(a, json_object_get(z, "new"), u)));
	return list;
}

static json_t *
pace_workouts_json(arena_t *a, const json_t *ch, enum unit u, size_t *n)
{
	json_t	*list = json_array(), *w;
	size_t	 i;
	date_t	 d;

	*n = json_array_size(json_object_get(ch, "workouts"));
	json_array_foreach(json_object_get(ch, "workouts"), i, w) {
		if (i >= PACES_LISTED)
			break;
		if (!date_parse(json_string_value(json_object_get(w, "date")) ?
		    json_string_value(json_object_get(w, "date")) : "", &d))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "date_label", pf_date(a, d, DS_DAY), "type",
		    json_string_value(json_object_get(w, "type")) ?
		    json_string_value(json_object_get(w, "type")) : "", "old",
		    pace_label(a, json_object_get(w, "old"), u), "new",
		    pace_label(a, json_object_get(w, "new"), u)));
	}
	return list;
}

static const char *
status_label(const char *s)
{
	return strcmp(s, "accepted") == 0 ? "Accepted: your plan was changed." :
	    strcmp(s, "declined") == 0 ? "Declined: your plan was left as it "
	    "was." : strcmp(s, "superseded") == 0 ? "Replaced by a newer "
	    "proposal, or your plan changed since it was made." : "";
}

static json_t *
adjustment_json(struct request *req, const struct adjustment *x,
    const json_t *ch, enum unit u)
{
	arena_t	*a = req->arena;
	bool	 paces = strcmp(x->kind, "paces") == 0;
	size_t	 n = 0;
	json_t	*pw = paces ? pace_workouts_json(a, ch, u, &n) : json_array();

	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:b, s:b,"
	    " s:o, s:o, s:o, s:i, s:i, s:o}",
	    "id", x->id, "title", paces ? "New training paces" :
	    "A new plan for the weeks left", "summary", x->summary,
	    "status_label", status_label(x->status), "pending",
	    strcmp(x->status, "pending") == 0, "plan_url", arena_printf(a,
	    "/plans/%s", x->plan_id), "plan_name", x->plan_name, "from_label",
	    pf_date(a, x->from, DS_FULL), "replan", !paces, "paces", paces,
	    "weeks", paces ? json_array() : weeks_json(a, ch, u), "zones",
	    paces ? zones_json(a, ch, u) : json_array(), "pace_workouts", pw,
	    "pace_count", (int)n, "pace_more", n > PACES_LISTED ?
	    (int)(n - PACES_LISTED) : 0, "vdot", x->new_vdot > 0 &&
	    x->old_vdot > 0 ? json_pack("{s:s, s:s}", "old", arena_printf(a,
	    "%.1f", x->old_vdot), "new", arena_printf(a, "%.1f", x->new_vdot)) :
	    json_null());
}

int
page_adjustment(struct request *req, struct response *res)
{
	struct adjustment	 x;
	json_t			*ch, *data;
	int			 rc;

	if ((rc = adjustments_load(req->db, req->arena, req->runner->id,
	    req->cap[0], &x)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	if ((ch = json_loads(x.changes ? x.changes : "", 0, NULL)) == NULL)
		return -1;
	data = json_pack("{s:{s:b}, s:o}", "nav", "plans", 1, "adjustment",
	    adjustment_json(req, &x, ch, pf_unit(req->runner)));
	json_decref(ch);
	return view_page(req, res, 200, "adjustment", data);
}

int
page_adjustment_accept(struct request *req, struct response *res)
{
	struct adjustment	 x;
	int			 rc;

	if ((rc = adjustments_load(req->db, req->arena, req->runner->id,
	    req->cap[0], &x)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	switch (training_accept(req->db, req->arena, req->runner->id, x.id)) {
	case ADJ_APPLIED:
		view_flash(req, res, "adjustment_accepted");
		resp_redirect(req, res, arena_printf(req->arena, "/plans/%s",
		    x.plan_id));
		return 0;
	case ADJ_STALE:
		view_error(req, res, 409, "Your plan changed since this "
		    "proposal was made, so it was not applied. Open your plan "
		    "and choose \"Adjust my plan\" for a fresh one.");
		return 0;
	case ADJ_NOT_FOUND:
		view_error(req, res, 409, "This proposal was already decided "
		    "or replaced by a newer one.");
		return 0;
	default:
		return -1;
	}
}

int
page_adjustment_decline(struct request *req, struct response *res)
{
	struct adjustment	 x;
	int			 rc;

	if ((rc = adjustments_load(req->db, req->arena, req->runner->id,
	    req->cap[0], &x)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	if ((rc = adjustments_decline(req->db, req->runner->id, x.id)) == -1)
		return -1;
	if (rc == 0) {
		view_error(req, res, 409, "This proposal was already decided "
		    "or replaced by a newer one.");
		return 0;
	}
	view_flash(req, res, "adjustment_declined");
	resp_redirect(req, res, arena_printf(req->arena, "/plans/%s",
	    x.plan_id));
	return 0;
}
