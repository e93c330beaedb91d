/*
 * Workout management: edit or move a workout, add one to a plan, remove
 * one, and mark one skipped or done by hand (and undo that).  The forms
 * live on the workout page (GET /workouts/{id}); every action redirects
 * back there (or to the plan after a removal) with a flash message.
 *
 * Workouts touched here are flagged edited_by_hand, so changing the
 * plan's inputs later never overwrites them; completed_at follows hand
 * marks (db/workouts.h).  The runner's coach may edit a workout too
 * (ACCESS_ADJUST, server/routes.c): req->subject is the runner whose
 * workout it is, and the edit carries the coach's mark.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "db/access.h"
#include "db/workouts.h"
#include "domain/plan_gen.h"
#include "domain/runner.h"
#include "domain/vdot.h"
#include "pages/pages.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define WORKOUT_MAX_M		100000	/* 100 km: beyond any plan's run */
#define WORKOUT_DESC_MAX	2000	/* bytes of a description */
#define RECOVERY_SLOWER_S	20	/* recovery: E's slow end + this */

/* The frame of a form: the plan's dates and paces, and its week 1. */
struct plan_frame {
	struct workout_frame	 f;
	date_t			 week1;	/* first day of the plan's week 1 */
};

/* Loads the frame of plan (by_workout false) or workout id; 1, 0, -1. */
static int
load_frame(struct request *req, const char *id, bool by_workout,
    struct plan_frame *pf)
{
	int rc = by_workout ?
	    workouts_frame(req->db, req->arena, req->subject->id, id, &pf->f) :
	    workouts_plan_frame(req->db, req->arena, req->subject->id, id,
	    &pf->f);

	if (rc == 1)
		pf->week1 = date_week_start(pf->f.start_date, pf->f.first_day);
	return rc;
}

/* "easy", "Easy" ... -> the stored name; NULL if not a type. */
static const char *
workout_type_of(const char *v)
{
	int t;

	for (t = 0; t < WORKOUT__MAX; t++)
		if (strcasecmp(v, workout_type_name((enum workout_type)t)) == 0)
			return workout_type_name((enum workout_type)t);
	return NULL;
}

/* Pace targets (s/km) of a workout type in this plan; false: none. */
static bool
type_paces(const struct workout_frame *f, const char *type, int *fast,
    int *slow)
{
	int p[PACE__MAX][2];

	if (strcmp(type, "Race") == 0) {
		*fast = *slow = f->goal_pace;
		return f->goal_pace > 0;
	}
	if (f->vdot < VDOT_MIN || f->vdot > VDOT_MAX)
		return false;
	vdot_paces(f->vdot, p);
	if (strcmp(type, "Intervals") == 0) {
		*fast = p[PACE_I][0];
		*slow = p[PACE_I][1];
	} else if (strcmp(type, "Tempo") == 0) {
		*fast = p[PACE_T][0];
		*slow = p[PACE_T][1];
	} else if (strcmp(type, "Recovery") == 0) {
		*fast = p[PACE_E][1];
		*slow = p[PACE_E][1] + RECOVERY_SLOWER_S;
	} else {
		*fast = p[PACE_E][0];
		*slow = p[PACE_E][1];
	}
	return true;
}

/*
 * True when the form brings a description other than the stored one as
 * the form showed it (rendered in the runner's unit): an unchanged one
 * stays a template (domain/plan_text.h), so it keeps following the
 * runner's unit.
 */
static bool
description_changed(struct request *req, const struct workout_frame *f,
    const char *posted)
{
	return f->description == NULL || strcmp(posted, pf_description(
	    req->arena, f->description, pf_unit(req->subject))) != 0;
}

/*
 * Reads date, type, distance and description into c; an empty or absent
 * field is left unchanged unless required.  Returns NULL, or a message
 * for the 422 page.
 */
static const char *
read_change(struct request *req, const struct plan_frame *f, bool required,
    struct workout_change *c)
{
	const char	*date = req_form(req, "date"), *type = req_form(req,
	    "type"), *dist = req_form(req, "distance");
	const char	*desc = params_get(&req->form, "description");
	enum unit	 u = strcmp(req->subject->units, "mi") == 0 ? UNIT_MI :
	    UNIT_KM;
	date_t		 d;
	int		 m;
	char		 from[11], to[11];

	memset(c, 0, sizeof(*c));
	c->date = PV_NO_DATE;
	c->minutes = -1;
	if (required && (*date == '\0' || *type == '\0' || *dist == '\0'))
		return "A workout needs a date, a type and a distance.";
	if (*date != '\0') {
		date_format(f->week1, from);
		date_format(f->f.race_date, to);
		if (!date_parse(date, &d))
			return "Give the date as YYYY-MM-DD.";
		if (d < f->week1 || d > f->f.race_date)
			return arena_printf(req->arena, "Pick a date within "
			    "the plan: from %s to race day, %s.", from, to);
		c->date = d;
		c->week = plan_week_of(f->week1, d);
	}
	if (*type != '\0') {
		if ((c->type = workout_type_of(type)) == NULL)
			return "Choose Easy, Long, Intervals, Tempo, Recovery "
			    "or Race.";
		if (!type_paces(&f->f, c->type, &c->pace_fast, &c->pace_slow))
			c->pace_fast = c->pace_slow = 0;
	}
	if (*dist != '\0') {
		if (!units_parse_distance(dist, u, WORKOUT_MAX_M, &m) || m <= 0)
			return u == UNIT_MI ? "Give a distance in miles, from "
			    "0.1 to 62, like 5 or 6.5." : "Give a distance in "
			    "km, from 0.1 to 100, like 8 or 8.5.";
		c->distance_m = m;
		if (c->pace_fast > 0)	/* at the middle of the range */
			c->minutes = (int)lround(m / 1000.0 *
			    (c->pace_fast + c->pace_slow) / 2 / 60);
	}
	if (desc != NULL) {
		if (strlen(desc) > WORKOUT_DESC_MAX ||
		    !utf8_text_ok(desc, strlen(desc), true))
			return "A description is at most 2000 characters of "
			    "text.";
		c->set_description = description_changed(req, &f->f, desc);
		c->description = *req_form(req, "description") != '\0' ?
		    desc : NULL;
	}
	return NULL;
}

/* The 404 page for someone else's (or no) workout or plan. */
static int
not_found(struct request *req, struct response *res)
{
	view_error(req, res, 404, NULL);
	return 0;
}

int
page_workout_edit(struct request *req, struct response *res)
{
	struct plan_frame	 f;
	struct workout_change	 c;
	const char		*msg;
	int			 rc;

	if ((rc = load_frame(req, req->cap[0], true, &f)) != 1)
		return rc == 0 ? not_found(req, res) : -1;
	if ((msg = read_change(req, &f, false, &c)) != NULL) {
		view_error(req, res, 422, msg);
		return 0;
	}
	/* A coach's adjustment is shown as theirs; the runner's clears it. */
	c.adjusted_by = req->access->self ? NULL : req->runner->id;
	/* Gone since the frame was read: an error, as a limit is not. */
	if (workouts_update(req->db, req->subject->id, req->cap[0], &c) != 1)
		return reply_if_limit(req, res) ? 0 : -1;
	/* Moved by dragging on the calendar (static/calendar.js): back there. */
	if (strcmp(req_form(req, "back"), "calendar") == 0 &&
	    c.date != PV_NO_DATE) {
		view_flash(req, res, "workout_moved");
		resp_redirect(req, res, arena_printf(req->arena,
		    "/plans/%s#week-%d", f.f.plan_id, c.week));
		return 0;
	}
	view_flash(req, res, "workout_saved");
	resp_redirect(req, res, arena_printf(req->arena, "/workouts/%s",
	    req->cap[0]));
	return 0;
}

int
page_workout_add(struct request *req, struct response *res)
{
	struct plan_frame	 f;
	struct workout_change	 c;
	const char		*msg, *id;
	int			 rc;

	if ((rc = load_frame(req, req->cap[0], false, &f)) != 1)
		return rc == 0 ? not_found(req, res) : -1;
	if ((msg = read_change(req, &f, true, &c)) != NULL) {
		view_error(req, res, 422, msg);
		return 0;
	}
	if ((rc = workouts_add(req->db, req->arena, req->runner->id,
	    req->cap[0], &c, &id)) == -1)
		return reply_if_limit(req, res) ? 0 : -1;
	if (rc == 0)
		return not_found(req, res);
	view_flash(req, res, "workout_added");
	resp_redirect(req, res, arena_printf(req->arena, "/workouts/%s", id));
	return 0;
}

int
page_workout_delete(struct request *req, struct response *res)
{
	const char	*plan_id;
	int		 rc;

	/* The activities it completed stay, and become unmatched. */
	if ((rc = workouts_delete(req->db, req->arena, req->runner->id,
	    req->cap[0], &plan_id)) != 1)
		return rc == 0 ? not_found(req, res) : -1;
	view_flash(req, res, "workout_deleted");
	resp_redirect(req, res, arena_printf(req->arena, "/plans/%s",
	    plan_id));
	return 0;
}

/* Sets or clears the hand mark, completed_at following. */
static int
mark(struct request *req, struct response *res, enum workout_mark m)
{
	int rc = workouts_set_mark(req->db, req->runner->id, req->cap[0], m);

	if (rc != 1)
		return rc == 0 ? not_found(req, res) : -1;
	view_flash(req, res, "workout_saved");
	resp_redirect(req, res, arena_printf(req->arena, "/workouts/%s",
	    req->cap[0]));
	return 0;
}

int
page_workout_skip(struct request *req, struct response *res)
{
	return mark(req, res, WORKOUT_MARK_SKIPPED);
}

int
page_workout_done(struct request *req, struct response *res)
{
	return mark(req, res, WORKOUT_MARK_DONE);
}

int
page_workout_reset(struct request *req, struct response *res)
{
	return mark(req, res, WORKOUT_MARK_NONE);
}
