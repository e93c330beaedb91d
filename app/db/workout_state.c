#include "db/db.h"
#include "db/workout_state.h"

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
workout_state_refresh(struct db *db, const char *workout_id)
{
	return db_run(db, &q_refresh, 1, &workout_id) < 0 ? -1 : 0;
}

int
workout_state_refresh_for_activity(struct db *db, const char *activity_id)
{
	return db_run(db, &q_refresh_act, 1, &activity_id) < 0 ? -1 : 0;
}
