/*
 * workouts: see workouts.h.  The statements keep the names they had in
 * the pages they came from (workout_page_*, workout_*, workout_edit_*,
 * workout_state_*, dashboard_next_key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/workouts.h"
#include "domain/activity.h"
#include "domain/compliance.h"

#define NUM_LEN		24	/* an int as text */

/* ---- completed_at ------------------------------------------------------ */

/*
 * completed_at is: for a hand-marked 'done', when it was marked (kept if
 * already set); for matched activities, when the last of them ended;
 * otherwise NULL ('skipped' included).
 */
#define COMPLETED_AT_SQL \
    "completed_at = CASE" \
    "  WHEN w.manual_status = 'done' THEN COALESCE(w.completed_at, NOW())" \
    "  WHEN w.manual_status = 'skipped' THEN NULL" \
    "  ELSE (SELECT MAX(COALESCE(a.start_date, a.start_date_local)" \
    "                   + make_interval(secs => a.elapsed_time))" \
    "          FROM workout_completions c" \
    "          JOIN strava_activities a ON a.id = c.strava_activity_id" \
    "         WHERE c.workout_id = w.id) END"

static const struct db_stmt q_refresh = DB_STMT("workout_state_refresh",
    "UPDATE workouts w SET " COMPLETED_AT_SQL " WHERE w.id = $1");
static const struct db_stmt q_refresh_act = DB_STMT(
    "workout_state_refresh_act",
    "UPDATE workouts w SET " COMPLETED_AT_SQL
    " WHERE w.id IN (SELECT workout_id FROM workout_completions"
    "                 WHERE strava_activity_id = $1)");

int
workouts_refresh_state(struct db *db, const char *workout_id)
{
	return db_run(db, &q_refresh, 1, &workout_id) < 0 ? -1 : 0;
}

int
workouts_refresh_state_for_activity(struct db *db, const char *activity_id)
{
	return db_run(db, &q_refresh_act, 1, &activity_id) < 0 ? -1 : 0;
}

/* ---- the workout page ---------------------------------------------------- */

static const struct db_stmt q_page_workout = DB_STMT("workout_page_workout",
    "SELECT w.id, w.training_plan_id, p.name, w.week_number,"
    "       w.scheduled_date, w.original_date, w.workout_type, w.distance,"
    "       COALESCE(w.duration_estimate, 0), COALESCE(w.pace_fast, 0),"
    "       COALESCE(w.pace_slow, 0), w.description,"
    "       COALESCE(w.manual_status, ''), f.note, COALESCE(f.rpe, 0)"
    "  FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    "  LEFT JOIN workout_feedback f ON f.workout_id = w.id"
    " WHERE w.id = $1 AND p.user_id = $2");
enum { PW_ID, PW_PLAN_ID, PW_PLAN_NAME, PW_WEEK, PW_DATE, PW_ORIGINAL_DATE,
	PW_TYPE, PW_DISTANCE, PW_MINUTES, PW_PACE_FAST, PW_PACE_SLOW,
	PW_DESCRIPTION, PW_MANUAL_STATUS, PW_NOTE, PW_RPE, PW__MAX };

/*
 * Matched runs (any date) and free runs within WORKOUTS_MATCH_DAYS of the
 * date, each source walked by index (see pv_activities in plan_view.c).
 */
static const struct db_stmt q_page_runs = DB_STMT("workout_page_runs",
    "WITH ids AS ("
    "  SELECT c.strava_activity_id AS id FROM workout_completions c"
    "   WHERE c.workout_id = $1"
    "  UNION"
    "  SELECT a.id FROM strava_activities a"
    "   WHERE a.user_id = $2 AND a.start_date_local >= $3::date - 3"
    "     AND a.start_date_local < $3::date + 4"
    "     AND a.sport_type IN " SPORT_RUN_SQL ")"
    "SELECT a.id, a.strava_activity_id, COALESCE(a.name, ''), a.distance,"
    "       a.moving_time, a.start_date_local::date,"
    "       c.workout_id IS NOT NULL, COALESCE(c.matched_automatically, true),"
    "       e.any IS NOT NULL,"
    "       COALESCE(round(a.average_heartrate)::int, 0),"
    "       COALESCE(round(a.total_elevation_gain)::int, -1)"
    "  FROM ids JOIN strava_activities a ON a.id = ids.id AND a.user_id = $2"
    "  LEFT JOIN workout_completions c"
    "    ON c.strava_activity_id = a.id AND c.workout_id = $1"
    "  LEFT JOIN LATERAL (SELECT true AS any FROM workout_completions x"
    "                      WHERE x.strava_activity_id = a.id LIMIT 1) e"
    "    ON true"
    " ORDER BY a.start_date_local, a.id");
enum { PR_ID, PR_STRAVA_ID, PR_NAME, PR_DISTANCE, PR_MOVING, PR_DATE,
	PR_MATCHED_HERE, PR_AUTOMATIC, PR_MATCHED_ANY, PR_HEARTRATE,
	PR_ELEVATION, PR__MAX };

/* The laps of the runs matched to the workout, run by run. */
static const struct db_stmt q_page_laps = DB_STMT("workout_page_laps",
    "SELECT l.distance, l.moving_time"
    "  FROM workout_completions c"
    "  JOIN strava_activities a ON a.id = c.strava_activity_id"
    "  JOIN activity_laps l ON l.strava_activity_id = a.id"
    " WHERE c.workout_id = $1 AND a.user_id = $2"
    " ORDER BY a.start_date_local, a.id, l.lap_index");
enum { PL_DISTANCE, PL_MOVING, PL__MAX };

static void
read_page_laps(arena_t *a, const PGresult *r, struct workout_page *out)
{
	int i, n = PQntuples(r);

	out->laps = arena_alloc(a, sizeof(*out->laps) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		out->laps[i].distance_m = (int)db_long(r, i, PL_DISTANCE);
		out->laps[i].moving_s = (int)db_long(r, i, PL_MOVING);
	}
	out->nlaps = (size_t)n;
}

static date_t
date_or_none(const PGresult *r, int row, int col)
{
	date_t d;

	return db_date(r, row, col, &d) ? d : PV_NO_DATE;
}

static void
read_page_workout(arena_t *a, const PGresult *r, struct workout_page *out)
{
	struct pv_workout	*w = &out->workout;
	const char		*ms = db_val(r, 0, PW_MANUAL_STATUS);

	memset(out, 0, sizeof(*out));
	out->plan_id = arena_strdup(a, db_val(r, 0, PW_PLAN_ID));
	out->plan_name = arena_strdup(a, db_val(r, 0, PW_PLAN_NAME));
	w->id = arena_strdup(a, db_val(r, 0, PW_ID));
	w->week_number = (int)db_long(r, 0, PW_WEEK);
	w->date = date_or_none(r, 0, PW_DATE);
	w->original_date = date_or_none(r, 0, PW_ORIGINAL_DATE);
	w->type_key = plan_view_type_key(db_val(r, 0, PW_TYPE));
	w->type_name = plan_view_type_name(w->type_key);
	w->distance_m = (int)db_long(r, 0, PW_DISTANCE);
	w->duration_min = (int)db_long(r, 0, PW_MINUTES);
	w->pace_fast = (int)db_long(r, 0, PW_PACE_FAST);
	w->pace_slow = (int)db_long(r, 0, PW_PACE_SLOW);
	w->description = *db_val(r, 0, PW_DESCRIPTION) == '\0' ? NULL :
	    arena_strdup(a, db_val(r, 0, PW_DESCRIPTION));
	w->done_by_hand = strcmp(ms, "done") == 0;
	w->skipped = strcmp(ms, "skipped") == 0;
	w->note = db_strdup(a, r, 0, PW_NOTE);
	w->rpe = (int)db_long(r, 0, PW_RPE);
}

static void
read_run(arena_t *a, const PGresult *r, int i, struct pv_activity *x)
{
	x->id = arena_strdup(a, db_val(r, i, PR_ID));
	x->strava_id = strtoll(db_val(r, i, PR_STRAVA_ID), NULL, 10);
	x->name = arena_strdup(a, db_val(r, i, PR_NAME));
	x->distance_m = (int)db_long(r, i, PR_DISTANCE);
	x->moving_s = (int)db_long(r, i, PR_MOVING);
	x->date = date_or_none(r, i, PR_DATE);
	x->heartrate = (int)db_long(r, i, PR_HEARTRATE);
	x->elevation_m = (int)db_long(r, i, PR_ELEVATION);
}

/*
 * Runs matched to the workout become its links; runs that complete no
 * workout become candidates; runs completing another workout are left.
 */
static void
read_page_runs(arena_t *a, const PGresult *r, struct workout_page *out)
{
	struct pv_workout	*w = &out->workout;
	int			 i, n = PQntuples(r);

	w->links = arena_alloc(a, sizeof(*w->links) * (size_t)(n + 1));
	out->candidates = arena_alloc(a, sizeof(*out->candidates) *
	    (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct pv_activity *x;

		if (db_bool(r, i, PR_MATCHED_HERE)) {
			x = arena_alloc(a, sizeof(*x));
			read_run(a, r, i, x);
			x->nworkouts = 1;
			w->links[w->nlinks].activity = x;
			w->links[w->nlinks++].manual = !db_bool(r, i,
			    PR_AUTOMATIC);
			w->actual_m += x->distance_m;
		} else if (!db_bool(r, i, PR_MATCHED_ANY))
			read_run(a, r, i, &out->candidates[out->ncandidates++]);
	}
}

static void
evaluate(struct pv_workout *w, date_t today)
{
	struct compliance_input in;

	memset(&in, 0, sizeof(in));
	in.date = w->date;
	in.today = today;
	in.planned_m = w->distance_m;
	in.actual_m = w->actual_m;
	in.nmatched = w->nlinks;
	in.done_by_hand = w->done_by_hand;
	in.skipped = w->skipped;
	w->comp = compliance_eval(&in);
}

int
workouts_load_page(struct db *db, arena_t *a, const char *user_id,
    const char *workout_id, date_t today, struct workout_page *out)
{
	char		 day[11];
	const char	*p[3] = { workout_id, user_id, day };
	PGresult	*r;

	if ((r = db_exec(db, &q_page_workout, 2, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	read_page_workout(a, r, out);
	PQclear(r);
	date_format(out->workout.date, day);
	if ((r = db_exec(db, &q_page_runs, 3, p)) == NULL)
		return -1;
	read_page_runs(a, r, out);
	PQclear(r);
	if (out->workout.nlinks > 0) {
		if ((r = db_exec(db, &q_page_laps, 2, p)) == NULL)
			return -1;
		read_page_laps(a, r, out);
		PQclear(r);
	}
	evaluate(&out->workout, today);
	return 1;
}

/* ---- changes from the workout page -------------------------------------- */

static const struct db_stmt q_exists = DB_STMT("workout_exists",
    "SELECT 1 FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE w.id = $1 AND p.user_id = $2");
static const struct db_stmt q_owned = DB_STMT("workout_owned",
    "SELECT w.scheduled_date FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE w.id = $1 AND p.user_id = $2 FOR UPDATE OF w");
enum { OW_DATE, OW__MAX };

/* Inserts only a run of this runner within the window of the workout. */
static const struct db_stmt q_match = DB_STMT("workout_match",
    "INSERT INTO workout_completions"
    "       (workout_id, strava_activity_id, matched_automatically)"
    " SELECT $1, a.id, false FROM strava_activities a"
    "  WHERE a.id = $2 AND a.user_id = $3"
    "    AND a.sport_type IN " SPORT_RUN_SQL
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
    "INSERT INTO workout_feedback (workout_id, note, rpe)"
    " VALUES ($1, NULLIF($2, ''), $3::smallint)"
    " ON CONFLICT (workout_id)"
    " DO UPDATE SET note = EXCLUDED.note, rpe = EXCLUDED.rpe");

int
workouts_exists(struct db *db, const char *user_id, const char *workout_id)
{
	const char *p[2] = { workout_id, user_id };

	return db_exists(db, &q_exists, 2, p);
}

/*
 * Starts the transaction of a change and locks the workout if it is the
 * runner's: 1 (its date into day), or 0 / -1 with the transaction ended.
 */
static int
begin_change(struct db *db, const char *user_id, const char *workout_id,
    char day[11])
{
	const char	*p[2] = { workout_id, user_id };
	PGresult	*r;

	if (db_begin(db) == -1)
		return -1;
	if ((r = db_exec(db, &q_owned, 2, p)) == NULL) {
		db_rollback(db);
		return -1;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback(db);
		return 0;
	}
	snprintf(day, 11, "%s", db_val(r, 0, OW_DATE));
	PQclear(r);
	return 1;
}

/* Ends a change: completed_at refreshed in the transaction, committed. */
static int
commit_change(struct db *db, const char *workout_id)
{
	if (workouts_refresh_state(db, workout_id) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 1;
}

enum workouts_match
workouts_match_run(struct db *db, const char *user_id,
    const char *workout_id, const char *activity_id)
{
	char		 day[11];
	const char	*p[4] = { workout_id, activity_id, user_id, day };
	long		 n;
	int		 rc;

	if ((rc = begin_change(db, user_id, workout_id, day)) <= 0)
		return rc == 0 ? WORKOUTS_MATCH_NO_WORKOUT :
		    WORKOUTS_MATCH_FAILED;
	if ((n = db_run(db, &q_match, 4, p)) <= 0) {
		db_rollback(db);
		return n == 0 ? WORKOUTS_MATCH_REFUSED : WORKOUTS_MATCH_FAILED;
	}
	if (db_run(db, &q_forget_unmatch, 2, p) < 0) {
		db_rollback(db);
		return WORKOUTS_MATCH_FAILED;
	}
	return commit_change(db, workout_id) == 1 ? WORKOUTS_MATCHED :
	    WORKOUTS_MATCH_FAILED;
}

int
workouts_unmatch_run(struct db *db, const char *user_id,
    const char *workout_id, const char *activity_id)
{
	const char	*p[2] = { workout_id, activity_id };
	char		 day[11];
	long		 n;
	int		 rc;

	if ((rc = begin_change(db, user_id, workout_id, day)) <= 0)
		return rc;
	/* Only a pair that existed is remembered (the workout is owned). */
	if ((n = db_run(db, &q_unmatch, 2, p)) < 0 ||
	    (n > 0 && db_run(db, &q_remember_unmatch, 2, p) < 0)) {
		db_rollback(db);
		return -1;
	}
	return commit_change(db, workout_id);
}

int
workouts_save_note(struct db *db, const char *user_id,
    const char *workout_id, const char *note, int rpe)
{
	char		 day[11], f[NUM_LEN];
	const char	*p[3] = { workout_id, note, NULL };
	int		 rc;

	if ((rc = begin_change(db, user_id, workout_id, day)) <= 0)
		return rc;
	if (rpe > 0) {
		snprintf(f, sizeof(f), "%d", rpe);
		p[2] = f;
	}
	if (db_run(db, &q_note, 3, p) < 0 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 1;
}

/* ---- edits ------------------------------------------------------------- */

/* The plan a workout belongs to, for dates, weeks and paces. */
#define PLAN_FRAME_COLS \
    "p.id, p.start_date, p.first_day_of_week, p.race_date," \
    " COALESCE(p.vdot, 0), COALESCE(p.goal_pace, 0)"
/* The columns of PLAN_FRAME_COLS, in both statements below. */
enum { FR_PLAN_ID, FR_START_DATE, FR_FIRST_DAY, FR_RACE_DATE, FR_VDOT,
	FR_GOAL_PACE, FR__MAX };

static const struct db_stmt q_plan_frame = DB_STMT("workout_edit_plan",
    "SELECT " PLAN_FRAME_COLS " FROM training_plans p"
    " WHERE p.id = $1 AND p.user_id = $2");
/* ... and the workout's description as stored (FR__MAX). */
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
    "  edited_by_hand = TRUE,"
    "  adjusted_by = $11::uuid"
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
enum { ADD_ID, ADD__MAX };
static const struct db_stmt q_delete = DB_STMT("workout_edit_delete",
    "DELETE FROM workouts w USING training_plans p"
    " WHERE w.id = $1 AND p.id = w.training_plan_id AND p.user_id = $2"
    " RETURNING w.training_plan_id");
enum { DEL_PLAN_ID, DEL__MAX };
static const struct db_stmt q_mark = DB_STMT("workout_edit_mark",
    "UPDATE workouts w SET manual_status = $3"
    "  FROM training_plans p"
    " WHERE w.id = $1 AND p.id = w.training_plan_id AND p.user_id = $2");

static int
load_frame(struct db *db, arena_t *a, const struct db_stmt *q,
    const char *user_id, const char *id, struct workout_frame *f)
{
	const char	*p[2] = { id, user_id };
	PGresult	*r = db_exec(db, q, 2, p);

	if (r == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	f->plan_id = arena_strdup(a, db_val(r, 0, FR_PLAN_ID));
	f->first_day = strcmp(db_val(r, 0, FR_FIRST_DAY), "sun") == 0 ?
	    WD_SUN : WD_MON;
	if (!db_date(r, 0, FR_START_DATE, &f->start_date) ||
	    !db_date(r, 0, FR_RACE_DATE, &f->race_date)) {
		PQclear(r);
		return -1;
	}
	f->vdot = strtod(db_val(r, 0, FR_VDOT), NULL);
	f->goal_pace = (int)db_long(r, 0, FR_GOAL_PACE);
	f->description = PQnfields(r) > FR__MAX && !db_null(r, 0, FR__MAX) ?
	    arena_strdup(a, db_val(r, 0, FR__MAX)) : NULL;
	PQclear(r);
	return 1;
}

int
workouts_plan_frame(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, struct workout_frame *f)
{
	return load_frame(db, a, &q_plan_frame, user_id, plan_id, f);
}

int
workouts_frame(struct db *db, arena_t *a, const char *user_id,
    const char *workout_id, struct workout_frame *f)
{
	return load_frame(db, a, &q_workout_frame, user_id, workout_id, f);
}

/* A change's numbers as statement parameters (NULL: keep, or none). */
struct change_text {
	char	 date[11], week[NUM_LEN], distance[NUM_LEN], minutes[NUM_LEN];
	char	 fast[NUM_LEN], slow[NUM_LEN];
};

static const char *
int_or_null(char out[NUM_LEN], int v, bool set)
{
	if (!set)
		return NULL;
	snprintf(out, NUM_LEN, "%d", v);
	return out;
}

static void
change_text(struct change_text *t, const struct workout_change *c,
    const char **date, const char **week, const char **distance,
    const char **minutes, const char **fast, const char **slow)
{
	*date = NULL;
	if (c->date != PV_NO_DATE) {
		date_format(c->date, t->date);
		*date = t->date;
	}
	*week = int_or_null(t->week, c->week, c->date != PV_NO_DATE);
	*distance = int_or_null(t->distance, c->distance_m, c->distance_m > 0);
	*minutes = int_or_null(t->minutes, c->minutes, c->minutes >= 0);
	*fast = int_or_null(t->fast, c->pace_fast, c->pace_fast > 0);
	*slow = int_or_null(t->slow, c->pace_slow, c->pace_slow > 0);
}

int
workouts_update(struct db *db, const char *user_id, const char *workout_id,
    const struct workout_change *c)
{
	struct change_text	 t;
	const char		*p[11], *minutes;
	long			 n;

	p[0] = workout_id;
	p[1] = user_id;
	change_text(&t, c, &p[2], &p[3], &p[5], &minutes, &p[8], &p[9]);
	p[4] = c->type;
	p[6] = c->description;
	p[7] = c->set_description ? "t" : "f";
	p[10] = c->adjusted_by;
	if ((n = db_run(db, &q_edit, 11, p)) < 0)
		return -1;
	return n == 1;
}

int
workouts_add(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, const struct workout_change *c, const char **id)
{
	struct change_text	 t;
	const char		*p[10];

	p[0] = plan_id;
	p[1] = user_id;
	change_text(&t, c, &p[3], &p[2], &p[5], &p[6], &p[8], &p[9]);
	p[4] = c->type;
	p[7] = c->description;
	return db_fetch_str(db, a, &q_add, 10, p, ADD_ID, id);
}

int
workouts_delete(struct db *db, arena_t *a, const char *user_id,
    const char *workout_id, const char **plan_id)
{
	const char *p[2] = { workout_id, user_id };

	return db_fetch_str(db, a, &q_delete, 2, p, DEL_PLAN_ID, plan_id);
}

int
workouts_set_mark(struct db *db, const char *user_id, const char *workout_id,
    enum workout_mark mark)
{
	static const char *const status[] = {
		[WORKOUT_MARK_NONE] = NULL, [WORKOUT_MARK_DONE] = "done",
		[WORKOUT_MARK_SKIPPED] = "skipped",
	};
	const char	*p[3] = { workout_id, user_id, status[mark] };
	long		 n;

	if (db_begin(db) == -1)
		return -1;
	if ((n = db_run(db, &q_mark, 3, p)) <= 0) {
		db_rollback(db);
		return n == 0 ? 0 : -1;
	}
	return commit_change(db, workout_id);
}

/* ---- the dashboard ------------------------------------------------------- */

static const struct db_stmt q_next_key = DB_STMT("dashboard_next_key",
    "SELECT w.id, w.scheduled_date, w.workout_type, w.distance,"
    "       COALESCE(w.duration_estimate, 0), COALESCE(w.pace_fast, 0),"
    "       COALESCE(w.pace_slow, 0), w.description"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE w.training_plan_id = $1 AND p.user_id = $2"
    "   AND w.scheduled_date > $3::date AND w.manual_status IS NULL"
    "   AND lower(w.workout_type) ~ '^(intervals|tempo|long|race)'"
    " ORDER BY w.scheduled_date, w.id LIMIT 1");
enum { NK_ID, NK_DATE, NK_TYPE, NK_DISTANCE, NK_MINUTES, NK_PACE_FAST,
	NK_PACE_SLOW, NK_DESCRIPTION, NK__MAX };

int
workouts_next_key(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, date_t after, struct pv_workout *w)
{
	char		 day[11];
	const char	*p[3] = { plan_id, user_id, day };
	PGresult	*r;

	date_format(after, day);
	if ((r = db_exec(db, &q_next_key, 3, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	memset(w, 0, sizeof(*w));
	w->id = arena_strdup(a, db_val(r, 0, NK_ID));
	if (!db_date(r, 0, NK_DATE, &w->date))
		w->date = after + 1;
	w->original_date = PV_NO_DATE;
	w->type_key = plan_view_type_key(db_val(r, 0, NK_TYPE));
	w->type_name = plan_view_type_name(w->type_key);
	w->distance_m = (int)db_long(r, 0, NK_DISTANCE);
	w->duration_min = (int)db_long(r, 0, NK_MINUTES);
	w->pace_fast = (int)db_long(r, 0, NK_PACE_FAST);
	w->pace_slow = (int)db_long(r, 0, NK_PACE_SLOW);
	w->description = db_strdup(a, r, 0, NK_DESCRIPTION);
	PQclear(r);
	return 1;
}
