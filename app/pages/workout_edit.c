/*
 * Workout management: edit or move a workout, add one to a plan, remove
 * one, and mark one skipped or done by hand (and undo that).  The forms
 * live on the workout page (GET /workouts/{id}); every action redirects
 * back there (or to the plan after a removal) with a flash message.
 *
 * Workouts touched here are flagged edited_by_hand, so changing the
 * plan's inputs later never overwrites them.  Hand marks go through
 * workout_state so completed_at always agrees with them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "db/db.h"
#include "db/workout_state.h"
#include "domain/plan_gen.h"
#include "domain/vdot.h"
#include "pages/pages.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define WORKOUT_MAX_M		100000	/* 100 km: beyond any plan's run */
#define WORKOUT_DESC_MAX	2000	/* bytes of a description */
#define RECOVERY_SLOWER_S	20	/* recovery: E's slow end + this */

/* The plan a workout belongs to, for dates, weeks and paces. */
#define PLAN_FRAME_COLS \
    "p.id, p.start_date, p.first_day_of_week, p.race_date," \
    " COALESCE(p.vdot, 0), COALESCE(p.goal_pace, 0)"

static const struct db_stmt q_plan_frame = DB_STMT("workout_edit_plan",
    "SELECT " PLAN_FRAME_COLS " FROM training_plans p"
    " WHERE p.id = $1 AND p.user_id = $2");
static const struct db_stmt q_workout_frame = DB_STMT("workout_edit_workout",
    "SELECT " PLAN_FRAME_COLS ", w.description FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE w.id = $1 AND p.user_id = $2");

/*
 * Absent fields keep their value; the first move records where the
 * workout was first scheduled.  SET sees the row as it was.
 */
static const struct db_stmt q_edit = DB_STMT("workout_edit_update",
    "UPDATE workouts w SET"
    "  original_date = CASE WHEN w.original_date IS NULL"
    "       AND w.scheduled_date <> COALESCE($3::date, w.scheduled_date)"
    "       THEN w.scheduled_date ELSE w.original_date END,"
    "  scheduled_date = COALESCE($3::date, w.scheduled_date),"
    "  week_number = COALESCE($4::int, w.week_number),"
    "  workout_type = COALESCE($5, w.workout_type),"
    "  duration_estimate = CASE WHEN $6::int IS NULL OR $6::int = w.distance"
    "       THEN w.duration_estimate"
    "       ELSE round(w.duration_estimate * $6::numeric / w.distance)::int END,"
    "  distance = COALESCE($6::int, w.distance),"
    "  description = CASE WHEN $8::bool THEN $7 ELSE w.description END,"
    "  pace_fast = CASE WHEN $5 IS NULL OR $5 = w.workout_type"
    "       THEN w.pace_fast ELSE $9::int END,"
    "  pace_slow = CASE WHEN $5 IS NULL OR $5 = w.workout_type"
    "       THEN w.pace_slow ELSE $10::int END,"
    "  edited_by_hand = TRUE"
    " FROM training_plans p"
    " WHERE w.id = $1 AND p.id = w.training_plan_id AND p.user_id = $2");
static const struct db_stmt q_add = DB_STMT("workout_edit_add",
    "INSERT INTO workouts (training_plan_id, week_number, scheduled_date,"
    "        workout_type, distance, duration_estimate, description,"
    "        pace_fast, pace_slow, edited_by_hand)"
    " SELECT p.id, $3::int, $4::date, $5, $6::int, $7::int, $8, $9::int,"
    "        $10::int, TRUE"
    "   FROM training_plans p WHERE p.id = $1 AND p.user_id = $2"
    " RETURNING id");
static const struct db_stmt q_delete = DB_STMT("workout_edit_delete",
    "DELETE FROM workouts w USING training_plans p"
    " WHERE w.id = $1 AND p.id = w.training_plan_id AND p.user_id = $2"
    " RETURNING w.training_plan_id");
static const struct db_stmt q_mark = DB_STMT("workout_edit_mark",
    "UPDATE workouts w SET manual_status = $3"
    "  FROM training_plans p"
    " WHERE w.id = $1 AND p.id = w.training_plan_id AND p.user_id = $2");

struct plan_frame {
	char	 plan_id[40];
	date_t	 week1;		/* first day of the plan's week 1 */
	date_t	 race_date;
	double	 vdot;		/* 0: unknown */
	int	 goal_pace;	/* s/km, 0: none */
	const char *description;	/* the workout's as stored, or NULL */
};

/* What a form asks to change; NULL members are left as they are. */
struct workout_change {
	const char	*date, *week, *type, *distance, *description;
	const char	*pace_fast, *pace_slow, *minutes;
};

/* Loads the frame of plan (by_workout false) or workout id; 1, 0, -1. */
static int
load_frame(struct request *req, const char *id, bool by_workout,
    struct plan_frame *f)
{
	const char	*p[2] = { id, req->runner->id };
	PGresult	*r = db_exec(req->db, by_workout ? &q_workout_frame :
	    &q_plan_frame, 2, p);
	date_t		 start;
	int		 first;

	if (r == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	snprintf(f->plan_id, sizeof(f->plan_id), "%s", db_val(r, 0, 0));
	first = strcmp(db_val(r, 0, 2), "sun") == 0 ? WD_SUN : WD_MON;
	if (!date_parse(db_val(r, 0, 1), &start) ||
	    !date_parse(db_val(r, 0, 3), &f->race_date)) {
		PQclear(r);
		return -1;
	}
	f->week1 = date_week_start(start, (enum weekday)first);
	f->vdot = strtod(db_val(r, 0, 4), NULL);
	f->goal_pace = (int)db_long(r, 0, 5);
	f->description = by_workout && !db_null(r, 0, 6) ?
	    arena_strdup(req->arena, db_val(r, 0, 6)) : NULL;
	PQclear(r);
	return 1;
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
type_paces(const struct plan_frame *f, const char *type, int *fast, int *slow)
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
	enum unit	 u = strcmp(req->runner->units, "mi") == 0 ? UNIT_MI :
	    UNIT_KM;
	date_t		 d;
	int		 m, fast = 0, slow = 0;
	char		 from[11], to[11];

	memset(c, 0, sizeof(*c));
	if (required && (*date == '\0' || *type == '\0' || *dist == '\0'))
		return "A workout needs a date, a type and a distance.";
	if (*date != '\0') {
		date_format(f->week1, from);
		date_format(f->race_date, to);
		if (!date_parse(date, &d))
			return "Give the date as YYYY-MM-DD.";
		if (d < f->week1 || d > f->race_date)
			return arena_printf(req->arena, "Pick a date within "
			    "the plan: from %s to race day, %s.", from, to);
		c->date = date;
		c->week = arena_printf(req->arena, "%d",
		    plan_week_of(f->week1, d));
	}
	if (*type != '\0') {
		if ((c->type = workout_type_of(type)) == NULL)
			return "Choose Easy, Long, Intervals, Tempo, Recovery "
			    "or Race.";
		if (type_paces(f, c->type, &fast, &slow)) {
			c->pace_fast = arena_printf(req->arena, "%d", fast);
			c->pace_slow = arena_printf(req->arena, "%d", slow);
		}
	}
	if (*dist != '\0') {
		if (!units_parse_distance(dist, u, WORKOUT_MAX_M, &m) || m <= 0)
			return u == UNIT_MI ? "Give a distance in miles, from "
			    "0.1 to 62, like 5 or 6.5." : "Give a distance in "
			    "km, from 0.1 to 100, like 8 or 8.5.";
		c->distance = arena_printf(req->arena, "%d", m);
		if (c->pace_fast != NULL)	/* at the middle of the range */
			c->minutes = arena_printf(req->arena, "%ld", lround(
			    m / 1000.0 * (fast + slow) / 2 / 60));
	}
	if (desc != NULL) {
		if (strlen(desc) > WORKOUT_DESC_MAX ||
		    !utf8_text_ok(desc, strlen(desc), true))
			return "A description is at most 2000 characters of "
			    "text.";
		c->description = *req_form(req, "description") != '\0' ?
		    desc : NULL;
	}
	return NULL;
}

/*
 * True when the form brings a description other than the stored one as
 * the form showed it (rendered in the runner's unit): an unchanged one
 * stays a template, so it keeps following the runner's unit.
 */
static bool
description_changed(struct request *req, const struct plan_frame *f)
{
	const char *posted = params_get(&req->form, "description");

	if (posted == NULL)
		return false;
	return f->description == NULL || strcmp(posted, pf_description(
	    req->arena, f->description, pf_unit(req->runner))) != 0;
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
	const char		*msg, *p[10];
	int			 rc;

	if ((rc = load_frame(req, req->cap[0], true, &f)) != 1)
		return rc == 0 ? not_found(req, res) : -1;
	if ((msg = read_change(req, &f, false, &c)) != NULL) {
		view_error(req, res, 422, msg);
		return 0;
	}
	p[0] = req->cap[0];
	p[1] = req->runner->id;
	p[2] = c.date;
	p[3] = c.week;
	p[4] = c.type;
	p[5] = c.distance;
	p[6] = c.description;
	p[7] = description_changed(req, &f) ? "t" : "f";
	p[8] = c.pace_fast;
	p[9] = c.pace_slow;
	if (db_run(req->db, &q_edit, 10, p) != 1)
		return -1;
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
	const char		*msg, *p[10];
	PGresult		*r;
	char			*url;
	int			 rc;

	if ((rc = load_frame(req, req->cap[0], false, &f)) != 1)
		return rc == 0 ? not_found(req, res) : -1;
	if ((msg = read_change(req, &f, true, &c)) != NULL) {
		view_error(req, res, 422, msg);
		return 0;
	}
	p[0] = req->cap[0];
	p[1] = req->runner->id;
	p[2] = c.week;
	p[3] = c.date;
	p[4] = c.type;
	p[5] = c.distance;
	p[6] = c.minutes;
	p[7] = c.description;
	p[8] = c.pace_fast;
	p[9] = c.pace_slow;
	if ((r = db_exec(req->db, &q_add, 10, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return not_found(req, res);
	}
	url = arena_printf(req->arena, "/workouts/%s", db_val(r, 0, 0));
	PQclear(r);
	view_flash(req, res, "workout_added");
	resp_redirect(req, res, url);
	return 0;
}

int
page_workout_delete(struct request *req, struct response *res)
{
	const char	*p[2] = { req->cap[0], req->runner->id };
	PGresult	*r;
	char		*url;

	/*
	 * Its completions, feedback and unmatches go by cascade; the
	 * activities stay and simply become unmatched.
	 */
	if ((r = db_exec(req->db, &q_delete, 2, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return not_found(req, res);
	}
	url = arena_printf(req->arena, "/plans/%s", db_val(r, 0, 0));
	PQclear(r);
	view_flash(req, res, "workout_deleted");
	resp_redirect(req, res, url);
	return 0;
}

/* Sets or clears (status NULL) the hand mark, completed_at following. */
static int
mark(struct request *req, struct response *res, const char *status)
{
	const char	*p[3] = { req->cap[0], req->runner->id, status };
	long		 n;

	if (db_begin(req->db) == -1)
		return -1;
	if ((n = db_run(req->db, &q_mark, 3, p)) < 0)
		goto fail;
	if (n == 0) {
		db_rollback(req->db);
		return not_found(req, res);
	}
	if (workout_state_refresh(req->db, req->cap[0]) == -1 ||
	    db_commit(req->db) == -1)
		goto fail;
	view_flash(req, res, "workout_saved");
	resp_redirect(req, res, arena_printf(req->arena, "/workouts/%s",
	    req->cap[0]));
	return 0;
fail:
	db_rollback(req->db);
	return -1;
}

int
page_workout_skip(struct request *req, struct response *res)
{
	return mark(req, res, "skipped");
}

int
page_workout_done(struct request *req, struct response *res)
{
	return mark(req, res, "done");
}

int
page_workout_reset(struct request *req, struct response *res)
{
	return mark(req, res, NULL);
}
