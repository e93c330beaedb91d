/*
 * strava_keep: see strava_keep.h.  Whether a workout is done is decided
 * by compliance_eval(), as on every page, not by a second formula in SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "db/db.h"
#include "db/strava_keep.h"
#include "domain/compliance.h"

/* The runner's workouts with no hand mark that Strava runs complete. */
static const struct db_stmt q_completed = DB_STMT("strava_keep_completed",
    "SELECT w.id, COALESCE(w.distance, 0), SUM(a.distance)::bigint, count(*)"
    "  FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    "  JOIN workout_completions c ON c.workout_id = w.id"
    "  JOIN strava_activities a ON a.id = c.strava_activity_id"
    " WHERE p.user_id = $1 AND a.user_id = $1 AND a.source = 'strava'"
    "   AND w.manual_status IS NULL"
    " GROUP BY w.id, w.distance");
enum { KC_ID, KC_PLANNED, KC_ACTUAL, KC_COUNT };

/*
 * The runner's row first: a disconnect and the deauthorization job that
 * Strava's athlete event starts run at the same moment, and both change
 * users, workouts and activities.  Taking users first in both (the job
 * has, by its first UPDATE) orders them instead of deadlocking.
 */
static const struct db_stmt q_lock = DB_STMT("strava_keep_lock",
    "SELECT 1 FROM users WHERE id = $1 FOR UPDATE");

static const struct db_stmt q_runs = DB_STMT("strava_keep_runs",
    "SELECT count(*) FROM strava_activities"
    " WHERE user_id = $1 AND source = 'strava'");

/* $2: '{id,...}'.  completed_at is left as the run set it. */
static const struct db_stmt q_mark = DB_STMT("strava_keep_mark",
    "UPDATE workouts w SET manual_status = 'done'"
    "  FROM training_plans p"
    " WHERE p.id = w.training_plan_id AND p.user_id = $1"
    "   AND w.manual_status IS NULL AND w.id = ANY ($2::uuid[])");

static bool
row_done(const PGresult *r, int i)
{
	struct compliance_input in;

	memset(&in, 0, sizeof(in));
	in.planned_m = db_long(r, i, KC_PLANNED);
	in.actual_m = db_long(r, i, KC_ACTUAL);
	in.nmatched = (int)db_long(r, i, KC_COUNT);
	return compliance_eval(&in).state == CS_DONE;
}

int
strava_keep_outlook(struct db *db, const char *user_id,
    struct strava_keep_outlook *out)
{
	PGresult	*r;
	int		 i;

	memset(out, 0, sizeof(*out));
	if ((r = db_exec(db, &q_runs, 1, &user_id)) == NULL)
		return -1;
	out->runs = db_long(r, 0, 0);
	PQclear(r);
	if ((r = db_exec(db, &q_completed, 1, &user_id)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		if (row_done(r, i))
			out->done++;
		else
			out->partial++;
	}
	PQclear(r);
	return 0;
}

long
strava_keep_done(struct db *db, const char *user_id)
{
	buf_t		 ids = BUF_INIT;
	const char	*p[2];
	PGresult	*r;
	long		 n = 0;
	int		 i;

	if (db_run(db, &q_lock, 1, &user_id) < 0 ||
	    (r = db_exec(db, &q_completed, 1, &user_id)) == NULL)
		return -1;
	buf_puts(&ids, "{");
	for (i = 0; i < PQntuples(r); i++) {
		if (!row_done(r, i))
			continue;
		buf_printf(&ids, "%s%s", n++ > 0 ? "," : "", db_val(r, i, KC_ID));
	}
	buf_puts(&ids, "}");
	PQclear(r);
	p[0] = user_id;
	p[1] = buf_cstr(&ids);
	if (n > 0 && (n = db_run(db, &q_mark, 2, p)) < 0)
		n = -1;
	buf_free(&ids);
	return n;
}
