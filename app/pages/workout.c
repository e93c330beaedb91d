/*
 * One workout (GET /workouts/{id}): planned against run, the runs matched
 * to it, the runner's runs nearby that can be matched by hand, the note on
 * how it went; and the three forms this file answers:
 *	POST /workouts/{id}/match	activity_id: a manual completion
 *	POST /workouts/{id}/unmatch	activity_id: undone, and remembered in
 *					workout_unmatches so auto-matching
 *					leaves the pair alone
 *	POST /workouts/{id}/note	note, rpe -> workout_feedback
 * (done/skip/reset/edit/delete belong to the plans pages.)
 * The runner's coach sees the same page (req->subject is the runner),
 * without the runner's own forms.
 * Cost of the page: the session, the access check, 2 queries (3 when a
 * run is matched: db/workouts.c) and 1 for the comments (db/comments.c).
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/workouts.h"
#include "domain/verdict.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define NOTE_MAX_CHARS		4000	/* as workout_feedback's CHECK */

/* Effort as RPE, the scale coaches and watches use: 1 easiest, 10 hardest. */
static const struct option rpe_options[] = {
	{ "", "Not set" }, { "1", "1 – very easy" }, { "2", "2 – easy" },
	{ "3", "3 – comfortable" }, { "4", "4 – moderate" },
	{ "5", "5 – steady" }, { "6", "6 – somewhat hard" },
	{ "7", "7 – hard" }, { "8", "8 – very hard" },
	{ "9", "9 – extremely hard" }, { "10", "10 – maximal" },
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
matched_json(arena_t *a, const struct config *cfg,
    const struct pv_link *l, enum unit u)
{
	const struct pv_activity *x = l->activity;

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}",
	    "activity_id", x->id, "name", run_name(x),
	    "date_label", run_date(a, x),
	    "distance_label", pf_distance(a, x->distance_m, u),
	    "pace_label", pf_str(pf_activity_pace(a, x->distance_m,
	    x->moving_s, u)),
	    "strava_url", pf_str(pf_strava_url(a, cfg, x->strava_id)),
	    "manual", l->manual);
}

/* What the matched runs add up to, for the targets table. */
struct run_sum {
	int64_t	 metres, seconds;
	int64_t	 hr_seconds;	/* heart rate x time, for a time-weighted mean */
	int64_t	 hr_time;
	int	 elevation;	/* -1: none known */
};

static void
run_sum(const struct pv_workout *w, struct run_sum *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->elevation = -1;
	for (i = 0; i < w->nlinks; i++) {
		const struct pv_activity *x = w->links[i].activity;

		s->metres += x->distance_m;
		s->seconds += x->moving_s;
		if (x->heartrate > 0 && x->moving_s > 0) {
			s->hr_seconds += (int64_t)x->heartrate * x->moving_s;
			s->hr_time += x->moving_s;
		}
		if (x->elevation_m >= 0)
			s->elevation = (s->elevation < 0 ? 0 : s->elevation) +
			    x->elevation_m;
	}
}

/* The words of a verdict for one target; NULL for none. */
static const char *
verdict_words(enum verdict v, const char *under, const char *over)
{
	switch (v) {
	case VERDICT_IN_RANGE:	return "in range";
	case VERDICT_UNDER:	return under;
	case VERDICT_OVER:	return over;
	default:		return NULL;
	}
}

static json_t *
target_json(const char *name, const char *planned, const char *run,
    enum verdict v, const char *under, const char *over)
{
	const char *words = verdict_words(v, under, over);

	return json_pack("{s:s, s:o, s:o, s:o, s:o}", "name", name,
	    "planned", pf_str(planned), "run", pf_str(run),
	    "verdict", pf_str(words), "verdict_class", pf_str(words == NULL ?
	    NULL : v == VERDICT_IN_RANGE ? "c-green" : "c-yellow"));
}

/* Interval and tempo paces are for the reps, not the whole run. */
static bool
pace_is_for_reps(const struct pv_workout *w)
{
	return strcmp(w->type_key, "intervals") == 0 ||
	    strcmp(w->type_key, "tempo") == 0;
}

#define REPS_LISTED	12	/* rep paces printed; more are counted only */

/*
 * The reps' paces from the laps (domain/laps.h) against the target:
 * "4:00, 3:56, 4:08/mi" and "2 of 3 in range"; NULL when the laps show
 * no reps.
 */
static json_t *
reps_json(arena_t *a, const struct pv_workout *w, const struct lap *laps,
    size_t nlaps, enum unit u)
{
	size_t	*idx = arena_alloc(a, sizeof(*idx) * (nlaps + 1));
	size_t	 n = laps_reps(laps, nlaps, idx), i, in = 0;
	buf_t	 b = BUF_INIT;
	char	 p[32], *slash;
	int	 pace;
	json_t	*j;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		pace = verdict_run_pace(laps[idx[i]].distance_m,
		    laps[idx[i]].moving_s);
		if (verdict_pace(pace, w->pace_fast, w->pace_slow) ==
		    VERDICT_IN_RANGE)
			in++;
		if (i >= REPS_LISTED)
			continue;
		units_format_pace(p, sizeof(p), pace, u);
		/* The unit once, at the end: "4:00, 3:56, 4:08/km". */
		if (i + 1 < n && i + 1 < REPS_LISTED &&
		    (slash = strchr(p, '/')) != NULL)
			*slash = '\0';
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", p);
	}
	if (n > REPS_LISTED)
		buf_puts(&b, ", …");
	j = json_pack("{s:s, s:o, s:s, s:s, s:s}", "name", "Reps (laps)",
	    "planned", pf_str(pf_pace_range(a, w->pace_fast, w->pace_slow, u)),
	    "run", arena_strdup(a, buf_cstr(&b)),
	    "verdict", in == n ? (n == 1 ? "in range" : arena_printf(a,
	    "all %zu in range", n)) : arena_printf(a, "%zu of %zu in range",
	    in, n), "verdict_class", in == n ? "c-green" : "c-yellow");
	buf_free(&b);
	return j;
}

/*
 * Planned against run, target by target (issue 15.5): distance, duration
 * and pace with a verdict each, then heart rate and elevation (no
 * target).  Without a run, only the planned column.
 */
static json_t *
targets_json(arena_t *a, const struct workout_page *wp, enum unit u)
{
	const struct pv_workout *w = &wp->workout;
	struct run_sum	 s;
	json_t		*list = json_array(), *reps;
	char		 t[32];
	int		 pace;
	bool		 ran = w->nlinks > 0;
	enum verdict	 pv;

	run_sum(w, &s);
	pace = verdict_run_pace(s.metres, s.seconds);
	units_format_duration(t, sizeof(t), (int)s.seconds);
	json_array_append_new(list, target_json("Distance",
	    pf_distance(a, w->distance_m, u), ran ? pf_distance(a,
	    (int)s.metres, u) : NULL, verdict_distance(s.metres,
	    w->distance_m), "short", "long"));
	json_array_append_new(list, target_json("Duration",
	    pf_minutes(a, w->duration_min), ran && s.seconds > 0 ?
	    arena_strdup(a, t) : NULL, verdict_duration(s.seconds,
	    w->duration_min * 60LL), "quicker", "longer"));
	pv = pace_is_for_reps(w) ? VERDICT_NONE :
	    verdict_pace(pace, w->pace_fast, w->pace_slow);
	json_array_append_new(list, target_json(pace_is_for_reps(w) ?
	    "Pace (whole run)" : "Pace",
	    pf_pace_range(a, w->pace_fast, w->pace_slow, u),
	    ran ? pf_activity_pace(a, (int)s.metres, (int)s.seconds, u) : NULL,
	    pv, "faster than the range", "slower than the range"));
	if (ran && pace_is_for_reps(w) && w->pace_fast > 0 &&
	    (reps = reps_json(a, w, wp->laps, wp->nlaps, u)) != NULL)
		json_array_append_new(list, reps);
	if (ran && s.hr_time > 0)
		json_array_append_new(list, target_json("Heart rate", NULL,
		    arena_printf(a, "%d bpm", (int)((s.hr_seconds +
		    s.hr_time / 2) / s.hr_time)), VERDICT_NONE, NULL, NULL));
	if (ran && s.elevation >= 0)
		json_array_append_new(list, target_json("Elevation", NULL,
		    arena_printf(a, "%d %s", u == UNIT_MI ?
		    (int)(s.elevation * 3.28084 + 0.5) : s.elevation,
		    u == UNIT_MI ? "ft" : "m"), VERDICT_NONE, NULL, NULL));
	return list;
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
 * The page; note/rpe/errors are what a rejected note form re-shows
 * (NULL: the stored values).
 */
static int
show(struct request *req, struct response *res, int status,
    const char *note, const char *rpe, const char *note_err,
    const char *rpe_err)
{
	arena_t			*a = req->arena;
	enum unit		 u = pf_unit(req->subject);
	struct workout_page	 wp;
	struct pv_workout	*w = &wp.workout;
	json_t			*matched, *cands, *form, *wj, *data;
	char			 day[11], rpebuf[4];
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
		json_array_append_new(matched, matched_json(a, req->cfg,
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
	json_object_set_new(wj, "targets", targets_json(a, &wp, u));
	json_object_set_new(wj, "ran", json_boolean(w->nlinks > 0));
	json_object_set_new(wj, "reps_note", pf_str(w->nlinks > 0 &&
	    pace_is_for_reps(w) && w->pace_fast > 0 ? "The pace target is for "
	    "the reps; the whole run's average includes the warm-up, "
	    "recoveries and cool-down." : NULL));

	form = json_object();
	snprintf(rpebuf, sizeof(rpebuf), "%d", w->rpe);
	fd_value(form, "note", note != NULL ? note : w->note);
	fd_options(form, "rpe", rpe_options, NELEM(rpe_options),
	    rpe != NULL ? rpe : w->rpe > 0 ? rpebuf : "");
	fd_value(form, "date", day);
	fd_options(form, "type", type_options, NELEM(type_options),
	    w->type_key);
	fd_value(form, "distance", distance_value(a, w->distance_m, u));
	fd_value(form, "description", pf_description(a, w->description, u));
	if (note_err != NULL)
		fd_error(form, "note", note_err);
	if (rpe_err != NULL)
		fd_error(form, "rpe", rpe_err);

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
	const char	*rpe = req_form(req, "rpe");
	const char	*note_err = NULL, *rpe_err = NULL;
	int		 f = 0, rc;

	if (note == NULL)
		note = "";
	if (!utf8_text_ok(note, strlen(note), true)) {
		note_err = "The note contains characters that cannot be saved.";
		note = "";	/* not valid text: cannot be shown back either */
	}
	else if (utf8_chars(note) > NOTE_MAX_CHARS)
		note_err = "Keep the note under 4000 characters.";
	if (*rpe != '\0' && !parse_int(rpe, 1, 10, &f))
		rpe_err = "Choose an effort from 1 (very easy) to 10 (maximal).";
	if (note_err != NULL || rpe_err != NULL)
		return show(req, res, 400, note, rpe_err ? "" : rpe, note_err,
		    rpe_err);
	if ((rc = workouts_save_note(req->db, req->runner->id, req->cap[0],
	    note, f)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	back_to_workout(req, res, "note_saved");
	return 0;
}
