/*
 * One workout (GET /workouts/{id}): planned against run, the runs matched
 * to it, the runner's runs nearby that can be matched by hand, the note on
 * how it went; and the three forms this file answers:
 *	POST /workouts/{id}/match	activity_id: a manual completion
 *	POST /workouts/{id}/unmatch	activity_id: undone, and remembered in
 *					workout_unmatches so auto-matching
 *					leaves the pair alone
 *	POST /workouts/{id}/note	note, feel -> workout_feedback
 * (done/skip/reset/edit/delete belong to the plans pages.)
 * The runner's coach sees the same page (req->subject is the runner),
 * without the runner's own forms.
 * Cost of the page: the session, the access check, 2 queries
 * (db/workouts.c) and 1 for the comments (db/comments.c).
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/workouts.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define NOTE_MAX_CHARS		4000	/* as workout_feedback's CHECK */

static const struct option feel_options[] = {
	{ "", "Not set" }, { "1", "1 – very hard" }, { "2", "2 – hard" },
	{ "3", "3 – moderate" }, { "4", "4 – easy" }, { "5", "5 – very easy" },
};
static const struct option type_options[] = {
	{ "easy", "Easy" }, { "long", "Long" }, { "intervals", "Intervals" },
	{ "tempo", "Tempo" }, { "recovery", "Recovery" }, { "race", "Race" },
};

/* Distance in the unit as a number for the edit form ("8", "8.5"). */
static const char *
distance_value(arena_t *a, int metres, enum unit u)
{
	char	*s = arena_strdup(a, pf_distance(a, metres, u));
	char	*sp = strchr(s, ' ');

	if (sp != NULL)
		*sp = '\0';
	return s;
}

/* A run's date as the lists show it. */
static const char *
run_date(arena_t *a, const struct pv_activity *x)
{
	return x->date != PV_NO_DATE ? pf_date(a, x->date, DS_DAY) : "";
}

static const char *
run_name(const struct pv_activity *x)
{
	return *x->name ? x->name : "Untitled run";
}

/* A run matched to the workout, with what undoes the match. */
static json_t *
matched_json(arena_t *a, const struct pv_link *l, enum unit u)
{
	const struct pv_activity *x = l->activity;

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
	    "activity_id", x->id, "name", run_name(x),
	    "date_label", run_date(a, x),
	    "distance_label", pf_distance(a, x->distance_m, u),
	    "pace_label", pf_str(pf_activity_pace(a, x->distance_m,
	    x->moving_s, u)),
	    "strava_url", pf_str(pf_strava_url(a, x->strava_id)),
	    "manual", l->manual);
}

/* A run nearby that may be matched by hand. */
static json_t *
candidate_json(arena_t *a, const struct pv_activity *x, enum unit u)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "activity_id", x->id,
	    "name", run_name(x), "date_label", run_date(a, x),
	    "distance_label", pf_distance(a, x->distance_m, u));
}

/*
 * The page; note/feel/errors are what a rejected note form re-shows
 * (NULL: the stored values).
 */
static int
show(struct request *req, struct response *res, int status,
    const char *note, const char *feel, const char *note_err,
    const char *feel_err)
{
	arena_t			*a = req->arena;
	enum unit		 u = pf_unit(req->subject);
	struct workout_page	 wp;
	struct pv_workout	*w = &wp.workout;
	json_t			*matched, *cands, *form, *wj, *data;
	char			 day[11], feelbuf[4];
	int			 rc, i;

	if ((rc = workouts_load_page(req->db, a, req->subject->id, req->cap[0],
	    pf_today(req->subject), &wp)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	wj = json_pack("{s:s, s:s}", "plan_id", wp.plan_id,
	    "plan_name", wp.plan_name);
	date_format(w->date, day);
	matched = json_array();
	for (i = 0; i < w->nlinks; i++)
		json_array_append_new(matched, matched_json(a,
		    &w->links[i], u));
	cands = json_array();
	for (i = 0; i < (int)wp.ncandidates; i++)
		json_array_append_new(cands, candidate_json(a,
		    &wp.candidates[i], u));

	json_object_update_new(wj, pf_workout_card(a, w, u, true));
	json_object_set_new(wj, "week", json_integer(w->week_number));
	json_object_set_new(wj, "note", pf_str(w->note));
	json_object_set_new(wj, "original_date_label", pf_str(
	    w->original_date != PV_NO_DATE && w->original_date != w->date ?
	    pf_date(a, w->original_date, DS_DAY) : NULL));
	json_object_set_new(wj, "done_by_hand", json_boolean(w->done_by_hand));
	json_object_set_new(wj, "skipped", json_boolean(w->skipped));

	form = json_object();
	snprintf(feelbuf, sizeof(feelbuf), "%d", w->feel);
	fd_value(form, "note", note != NULL ? note : w->note);
	fd_options(form, "feel", feel_options, NELEM(feel_options),
	    feel != NULL ? feel : w->feel > 0 ? feelbuf : "");
	fd_value(form, "date", day);
	fd_options(form, "type", type_options, NELEM(type_options),
	    w->type_key);
	fd_value(form, "distance", distance_value(a, w->distance_m, u));
	fd_value(form, "description", pf_description(a, w->description, u));
	if (note_err != NULL)
		fd_error(form, "note", note_err);
	if (feel_err != NULL)
		fd_error(form, "feel", feel_err);

	data = json_pack("{s:{s:b}, s:o, s:b, s:o, s:b, s:o, s:o, s:s}",
	    "nav", "plans", 1, "workout", wj,
	    "has_matched", json_array_size(matched) > 0, "matched", matched,
	    "has_candidates", json_array_size(cands) > 0, "candidates", cands,
	    "form", form, "unit_label", unit_key(u));
	/* The coach's comments and mark (coaching.c). */
	if (coaching_workout_json(req, data, wj) == -1) {
		json_decref(data);
		return -1;
	}
	return view_page(req, res, status, "workout", data);
}

int
page_workout(struct request *req, struct response *res)
{
	return show(req, res, 200, NULL, NULL, NULL, NULL);
}

static void
back_to_workout(struct request *req, struct response *res, const char *flash)
{
	view_flash(req, res, flash);
	resp_redirect(req, res, arena_printf(req->arena, "/workouts/%s",
	    req->cap[0]));
}

/*
 * The answer to a form about a run that is not a UUID: 404 when the
 * workout is not the runner's (as for any other form), else 400 with msg.
 */
static int
bad_run(struct request *req, struct response *res, const char *msg)
{
	int rc = workouts_exists(req->db, req->runner->id, req->cap[0]);

	if (rc == -1)
		return -1;
	view_error(req, res, rc == 1 ? 400 : 404, rc == 1 ? msg : NULL);
	return 0;
}

int
page_workout_match(struct request *req, struct response *res)
{
	const char	*act = req_form(req, "activity_id");

	if (!uuid_valid(act))
		return bad_run(req, res, "Choose one of the runs listed.");
	switch (workouts_match_run(req->db, req->runner->id, req->cap[0],
	    act)) {
	case WORKOUTS_MATCHED:
		back_to_workout(req, res, "activity_matched");
		return 0;
	case WORKOUTS_MATCH_NO_WORKOUT:
		view_error(req, res, 404, NULL);
		return 0;
	case WORKOUTS_MATCH_REFUSED:
		view_error(req, res, 400, "That run cannot be matched to this "
		    "workout: choose one of your runs within three days of it.");
		return 0;
	case WORKOUTS_MATCH_FAILED:
	default:
		return -1;
	}
}

int
page_workout_unmatch(struct request *req, struct response *res)
{
	const char	*act = req_form(req, "activity_id");
	int		 rc;

	if (!uuid_valid(act))
		return bad_run(req, res, NULL);
	if ((rc = workouts_unmatch_run(req->db, req->runner->id, req->cap[0],
	    act)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	back_to_workout(req, res, "activity_unmatched");
	return 0;
}

/* Characters, not bytes: the database's length() counts characters. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int
page_workout_note(struct request *req, struct response *res)
{
	const char	*note = params_get(&req->form, "note");
	const char	*feel = req_form(req, "feel");
	const char	*note_err = NULL, *feel_err = NULL;
	int		 f = 0, rc;

	if (note == NULL)
		note = "";
	if (!utf8_text_ok(note, strlen(note), true)) {
		note_err = "The note contains characters that cannot be saved.";
		note = "";	/* not valid text: cannot be shown back either */
	}
	else if (utf8_chars(note) > NOTE_MAX_CHARS)
		note_err = "Keep the note under 4000 characters.";
	if (*feel != '\0' && !parse_int(feel, 1, 5, &f))
		feel_err = "Choose an effort from 1 to 5.";
	if (note_err != NULL || feel_err != NULL)
		return show(req, res, 400, note, feel_err ? "" : feel, note_err,
		    feel_err);
	if ((rc = workouts_save_note(req->db, req->runner->id, req->cap[0],
	    note, f)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	back_to_workout(req, res, "note_saved");
	return 0;
}
