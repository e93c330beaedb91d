/*
 * Coaching (issue 18): what a coach does with an athlete's training, and
 * what the athlete sees of it.
 *
 *	GET  /c/{slug}/athletes/{id}	an athlete of the club: their plans,
 *					and the ways to plan for them
 *	POST /workouts/{id}/comments	body: a comment on a workout, by the
 *					runner or one of their coaches
 *
 * The calendar, weeks and workouts a coach opens from here are the
 * runner's own pages (calendar.c, week.c, workout.c), shown for the
 * subject the access layer resolved (req->subject); the plan form is
 * plans.c's, under /c/{slug}/athletes/{id}/plans/new.  This file adds
 * the conversation and the coach's mark to the workout page
 * (coaching_workout_json) and the latest comments to the dashboard.
 */
#include <string.h>

#include "core/util.h"
#include "db/comments.h"
#include "db/plans.h"
#include "domain/runner.h"
#include "pages/clubs.h"
#include "pages/pages.h"
#include "view/plan_format.h"
#include "view/view.h"

static json_t *
plan_row(struct request *req, const struct plan_summary *p)
{
	return json_pack("{s:s, s:s, s:s?, s:s, s:b}", "name", p->name,
	    "url", arena_printf(req->arena, "/plans/%s", p->id),
	    "race_name", p->race_name,
	    "race_date_label", pf_date(req->arena, p->race_date, DS_FULL),
	    "active", p->active);
}

int
page_club_athlete(struct request *req, struct response *res)
{
	const struct access	*g = req->access;
	struct plan_summary	*list;
	json_t			*plans, *active = json_null();
	int			 i, n;

	if ((n = plans_list(req->db, req->arena, g->subject->id, &list)) < 0)
		return -1;
	plans = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(plans, plan_row(req, &list[i]));
		if (list[i].active && json_is_null(active))
			active = json_pack("{s:s, s:s, s:s}", "name",
			    list[i].name, "url", arena_printf(req->arena,
			    "/plans/%s", list[i].id), "edit_url", arena_printf(
			    req->arena, "/plans/%s/edit", list[i].id));
	}
	return view_page(req, res, 200, "club_athlete", json_pack(
	    "{s:o, s:{s:s, s:s}, s:b, s:o, s:o, s:s, s:{s:b}}",
	    "club", club_json(req, &g->company),
	    "athlete", "name", *g->subject->name ? g->subject->name :
	    g->subject->email, "id", g->subject->id,
	    "has_plans", n > 0, "plans", plans, "active_plan", active,
	    "new_plan_url", arena_printf(req->arena,
	    "/c/%s/athletes/%s/plans/new", g->company.slug, g->subject->id),
	    "nav", "club", 1));
}

/* ---- comments ------------------------------------------------------------ */

static json_t *
comment_json(struct request *req, const struct workout_comment *c)
{
	return json_pack("{s:s, s:b, s:s, s:s}",
	    "author", c->author != NULL ? c->author : "A former member",
	    "by_runner", c->by_runner, "body", c->body,
	    "workout_url", arena_printf(req->arena, "/workouts/%s",
	    c->workout_id));
}

int
coaching_workout_json(struct request *req, json_t *data, json_t *workout)
{
	struct workout_talk	 t;
	json_t			*list;
	size_t			 i;
	int			 rc;

	if ((rc = comments_load(req->db, req->arena, req->subject->id,
	    req->cap[0], &t)) != 1)
		return rc == 0 ? 0 : -1;
	list = json_array();
	for (i = 0; i < t.ncomments; i++)
		json_array_append_new(list, comment_json(req, &t.comments[i]));
	json_object_set_new(workout, "adjusted_by", pf_str(t.adjusted_by));
	json_object_set_new(data, "own", json_boolean(req->access->self));
	json_object_set_new(data, "has_comments",
	    json_boolean(t.ncomments > 0));
	/* A lone runner has nobody to talk to, unless someone did. */
	json_object_set_new(data, "show_talk", json_boolean(t.ncomments > 0 ||
	    !req->access->self || !req->subject->company_personal));
	json_object_set_new(data, "comments", list);
	return 0;
}

json_t *
coaching_recent_json(struct request *req)
{
	struct workout_comment	*c;
	json_t			*list;
	int			 i, n;

	if ((n = comments_recent(req->db, req->arena, req->runner->id,
	    &c)) < 0)
		return NULL;
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, comment_json(req, &c[i]));
	return list;
}

int
page_workout_comment(struct request *req, struct response *res)
{
	const char	*body = params_get(&req->form, "body");
	int		 rc;

	if (body == NULL || *req_form(req, "body") == '\0' ||
	    !utf8_text_ok(body, strlen(body), true) ||
	    club_chars(body) > COMMENT_MAX_CHARS) {
		view_error(req, res, 422, "A comment is 1 to 2000 characters "
		    "of text. Nothing was posted.");
		return 0;
	}
	if ((rc = comments_add(req->db, req->subject->id, req->cap[0],
	    req->runner->id, body)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		else if (rc == COMMENTS_FULL)
			view_error(req, res, 422, "This workout has 200 comments "
			    "already, the most it takes.");
		return rc == -1 ? -1 : 0;
	}
	view_flash(req, res, "comment_posted");
	resp_redirect(req, res, arena_printf(req->arena, "/workouts/%s#talk",
	    req->cap[0]));
	return 0;
}
