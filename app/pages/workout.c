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
 * Cost of the page: the session + 2 queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "db/workout_state.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define MATCH_WINDOW_DAYS	3	/* runs this many days around the workout */
#define NOTE_MAX_CHARS		4000	/* as workout_feedback's CHECK */
#define RUN_TYPES		"('Run', 'TrailRun', 'VirtualRun')"

static const struct db_stmt q_workout = DB_STMT("workout_page_workout",
    "SELECT w.id, w.training_plan_id, p.name, w.week_number,"
    "       w.scheduled_date, w.original_date, w.workout_type, w.distance,"
    "       COALESCE(w.duration_estimate, 0), COALESCE(w.pace_fast, 0),"
    "       COALESCE(w.pace_slow, 0), w.description,"
    "       COALESCE(w.manual_status, ''), f.note, COALESCE(f.feel, 0)"
    "  FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    "  LEFT JOIN workout_feedback f ON f.workout_id = w.id"
    " WHERE w.id = $1 AND p.user_id = $2");

/* Matched runs (any date) and free runs within the window of the date. */
static const struct db_stmt q_runs = DB_STMT("workout_page_runs",
    "SELECT a.id, a.strava_activity_id, COALESCE(a.name, ''), a.distance,"
    "       a.moving_time, a.start_date_local::date,"
    "       c.workout_id IS NOT NULL, COALESCE(c.matched_automatically, true),"
    "       EXISTS (SELECT 1 FROM workout_completions x"
    "                WHERE x.strava_activity_id = a.id)"
    "  FROM strava_activities a"
    "  LEFT JOIN workout_completions c"
    "    ON c.strava_activity_id = a.id AND c.workout_id = $1"
    " WHERE a.user_id = $2"
    "   AND (c.workout_id IS NOT NULL"
    "        OR (a.start_date_local >= $3::date - 3"
    "            AND a.start_date_local < $3::date + 4"
    "            AND a.sport_type IN " RUN_TYPES "))"
    " ORDER BY a.start_date_local, a.id");

static const struct db_stmt q_owned = DB_STMT("workout_owned",
    "SELECT w.scheduled_date FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE w.id = $1 AND p.user_id = $2 FOR UPDATE OF w");

/* Inserts only a run of this runner within the window of the workout. */
static const struct db_stmt q_match = DB_STMT("workout_match",
    "INSERT INTO workout_completions"
    "       (workout_id, strava_activity_id, matched_automatically)"
    " SELECT $1, a.id, false FROM strava_activities a"
    "  WHERE a.id = $2 AND a.user_id = $3"
    "    AND a.sport_type IN " RUN_TYPES
    "    AND a.start_date_local >= $4::date - 3"
    "    AND a.start_date_local < $4::date + 4"
    " ON CONFLICT (workout_id, strava_activity_id)"
    " DO UPDATE SET matched_automatically = false");
static const struct db_stmt q_forget_unmatch = DB_STMT("workout_forget_unmatch",
    "DELETE FROM workout_unmatches"
    " WHERE workout_id = $1 AND strava_activity_id = $2");
static const struct db_stmt q_unmatch = DB_STMT("workout_unmatch",
    "DELETE FROM workout_completions"
    " WHERE workout_id = $1 AND strava_activity_id = $2");
static const struct db_stmt q_remember_unmatch = DB_STMT(
    "workout_remember_unmatch",
    "INSERT INTO workout_unmatches (workout_id, strava_activity_id)"
    " VALUES ($1, $2) ON CONFLICT DO NOTHING");
static const struct db_stmt q_note = DB_STMT("workout_note",
    "INSERT INTO workout_feedback (workout_id, note, feel)"
    " VALUES ($1, NULLIF($2, ''), $3::smallint)"
    " ON CONFLICT (workout_id)"
    " DO UPDATE SET note = EXCLUDED.note, feel = EXCLUDED.feel");

static const struct option feel_options[] = {
	{ "", "Not set" }, { "1", "1 – very hard" }, { "2", "2 – hard" },
	{ "3", "3 – moderate" }, { "4", "4 – easy" }, { "5", "5 – very easy" },
};
static const struct option type_options[] = {
	{ "easy", "Easy" }, { "long", "Long" }, { "intervals", "Intervals" },
	{ "tempo", "Tempo" }, { "recovery", "Recovery" }, { "race", "Race" },
};

static void
read_workout(arena_t *a, const PGresult *r, struct pv_workout *w)
{
	const char	*ms = db_val(r, 0, 12);
	date_t		 d;

	memset(w, 0, sizeof(*w));
	w->id = arena_strdup(a, db_val(r, 0, 0));
	w->week_number = (int)db_long(r, 0, 3);
	w->date = date_parse(db_val(r, 0, 4), &d) ? d : PV_NO_DATE;
	w->original_date = !db_null(r, 0, 5) && date_parse(db_val(r, 0, 5),
	    &d) ? d : PV_NO_DATE;
	w->type_key = plan_view_type_key(db_val(r, 0, 6));
	w->type_name = plan_view_type_name(w->type_key);
	w->distance_m = (int)db_long(r, 0, 7);
	w->duration_min = (int)db_long(r, 0, 8);
	w->pace_fast = (int)db_long(r, 0, 9);
	w->pace_slow = (int)db_long(r, 0, 10);
	w->description = db_null(r, 0, 11) || !*db_val(r, 0, 11) ? NULL :
	    arena_strdup(a, db_val(r, 0, 11));
	w->done_by_hand = strcmp(ms, "done") == 0;
	w->skipped = strcmp(ms, "skipped") == 0;
	w->note = db_null(r, 0, 13) ? NULL : arena_strdup(a, db_val(r, 0, 13));
	w->feel = (int)db_long(r, 0, 14);
}

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
	enum unit		 u = pf_unit(req->runner);
	const char		*p[3] = { req->cap[0], req->runner->id, NULL };
	struct pv_workout	 w;
	struct compliance_input	 in;
	PGresult		*r;
	json_t			*matched, *cands, *form, *wj;
	char			 day[11], feelbuf[4];
	int			 i, n;

	if ((r = db_exec(req->db, &q_workout, 2, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		view_error(req, res, 404, NULL);
		return 0;
	}
	read_workout(a, r, &w);
	wj = json_pack("{s:s, s:s}", "plan_id", db_val(r, 0, 1),
	    "plan_name", db_val(r, 0, 2));
	PQclear(r);
	date_format(w.date, day);
	p[2] = day;
	if ((r = db_exec(req->db, &q_runs, 3, p)) == NULL) {
		json_decref(wj);
		return -1;
	}
	matched = json_array();
	cands = json_array();
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		const char	*name = *db_val(r, i, 2) ? db_val(r, i, 2) :
		    "Untitled run";
		date_t		 ad;
		int		 dist = (int)db_long(r, i, 3);
		const char	*dl = date_parse(db_val(r, i, 5), &ad) ?
		    pf_date(a, ad, DS_DAY) : "";

		if (db_bool(r, i, 6)) {
			w.nlinks++;
			w.actual_m += dist;
			json_array_append_new(matched, json_pack("{s:s, s:s, s:s,"
			    " s:s, s:o, s:o, s:b}", "activity_id", db_val(r, i, 0),
			    "name", name, "date_label", dl,
			    "distance_label", pf_distance(a, dist, u),
			    "pace_label", pf_str(pf_activity_pace(a, dist,
			    (int)db_long(r, i, 4), u)),
			    "strava_url", pf_str(pf_strava_url(a,
			    strtoll(db_val(r, i, 1), NULL, 10))),
			    "manual", !db_bool(r, i, 7)));
		} else if (!db_bool(r, i, 8))
			json_array_append_new(cands, json_pack("{s:s, s:s, s:s,"
			    " s:s}", "activity_id", db_val(r, i, 0), "name", name,
			    "date_label", dl,
			    "distance_label", pf_distance(a, dist, u)));
	}
	PQclear(r);

	memset(&in, 0, sizeof(in));
	in.date = w.date;
	in.today = pf_today(req->runner);
	in.planned_m = w.distance_m;
	in.actual_m = w.actual_m;
	in.nmatched = w.nlinks;
	in.done_by_hand = w.done_by_hand;
	in.skipped = w.skipped;
	w.comp = compliance_eval(&in);

	json_object_update_new(wj, pf_workout_card(a, &w, u, true));
	json_object_set_new(wj, "week", json_integer(w.week_number));
	json_object_set_new(wj, "note", pf_str(w.note));
	json_object_set_new(wj, "original_date_label", pf_str(
	    w.original_date != PV_NO_DATE && w.original_date != w.date ?
	    pf_date(a, w.original_date, DS_DAY) : NULL));
	json_object_set_new(wj, "done_by_hand", json_boolean(w.done_by_hand));
	json_object_set_new(wj, "skipped", json_boolean(w.skipped));

	form = json_object();
	snprintf(feelbuf, sizeof(feelbuf), "%d", w.feel);
	fd_value(form, "note", note != NULL ? note : w.note);
	fd_options(form, "feel", feel_options, NELEM(feel_options),
	    feel != NULL ? feel : w.feel > 0 ? feelbuf : "");
	fd_value(form, "date", day);
	fd_options(form, "type", type_options, NELEM(type_options), w.type_key);
	fd_value(form, "distance", distance_value(a, w.distance_m, u));
	fd_value(form, "description", pf_description(a, w.description, u));
	if (note_err != NULL)
		fd_error(form, "note", note_err);
	if (feel_err != NULL)
		fd_error(form, "feel", feel_err);

	return view_page(req, res, status, "workout", json_pack(
	    "{s:{s:b}, s:o, s:b, s:o, s:b, s:o, s:o, s:s}",
	    "nav", "plans", 1, "workout", wj,
	    "has_matched", json_array_size(matched) > 0, "matched", matched,
	    "has_candidates", json_array_size(cands) > 0, "candidates", cands,
	    "form", form, "unit_label", unit_key(u)));
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
 * Starts the transaction of a change and locks the workout if it is the
 * runner's: 1, or 0 after a 404, or -1.  The date goes to day.
 */
static int
begin_change(struct request *req, struct response *res, char day[11])
{
	const char	*p[2] = { req->cap[0], req->runner->id };
	PGresult	*r;

	if (db_begin(req->db) == -1)
		return -1;
	if ((r = db_exec(req->db, &q_owned, 2, p)) == NULL) {
		db_rollback(req->db);
		return -1;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback(req->db);
		view_error(req, res, 404, NULL);
		return 0;
	}
	snprintf(day, 11, "%s", db_val(r, 0, 0));
	PQclear(r);
	return 1;
}

/* Ends a change: state refreshed in the same transaction, committed. */
static int
commit_change(struct request *req)
{
	if (workout_state_refresh(req->db, req->cap[0]) == -1 ||
	    db_commit(req->db) == -1) {
		db_rollback(req->db);
		return -1;
	}
	return 0;
}

int
page_workout_match(struct request *req, struct response *res)
{
	const char	*act = req_form(req, "activity_id");
	char		 day[11];
	const char	*p[4] = { req->cap[0], act, req->runner->id, day };
	long		 n;
	int		 rc;

	if ((rc = begin_change(req, res, day)) <= 0)
		return rc;
	if (!uuid_valid(act)) {
		db_rollback(req->db);
		view_error(req, res, 400, "Choose one of the runs listed.");
		return 0;
	}
	if ((n = db_run(req->db, &q_match, 4, p)) < 0) {
		db_rollback(req->db);
		return -1;
	}
	if (n == 0) {
		db_rollback(req->db);
		view_error(req, res, 400, "That run cannot be matched to this "
		    "workout: choose one of your runs within three days of it.");
		return 0;
	}
	if (db_run(req->db, &q_forget_unmatch, 2, p) < 0 ||
	    commit_change(req) == -1) {
		db_rollback(req->db);
		return -1;
	}
	back_to_workout(req, res, "activity_matched");
	return 0;
}

int
page_workout_unmatch(struct request *req, struct response *res)
{
	const char	*act = req_form(req, "activity_id");
	const char	*p[2] = { req->cap[0], act };
	char		 day[11];
	long		 n;
	int		 rc;

	if ((rc = begin_change(req, res, day)) <= 0)
		return rc;
	if (!uuid_valid(act)) {
		db_rollback(req->db);
		view_error(req, res, 400, NULL);
		return 0;
	}
	/* Only a pair that existed is remembered (the workout is owned). */
	if ((n = db_run(req->db, &q_unmatch, 2, p)) < 0 ||
	    (n > 0 && db_run(req->db, &q_remember_unmatch, 2, p) < 0) ||
	    commit_change(req) == -1) {
		db_rollback(req->db);
		return -1;
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
	const char	*p[3];
	char		 day[11];
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
	if ((rc = begin_change(req, res, day)) <= 0)
		return rc;
	p[0] = req->cap[0];
	p[1] = note;
	p[2] = *feel ? feel : NULL;
	if (db_run(req->db, &q_note, 3, p) < 0 || db_commit(req->db) == -1) {
		db_rollback(req->db);
		return -1;
	}
	back_to_workout(req, res, "note_saved");
	return 0;
}
