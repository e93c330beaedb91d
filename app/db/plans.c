/*
 * plans: writes generated plans and re-plans (see plans.h).  The
 * statements keep their plan_store_* names (stable across the rename).
 *
 * Workouts and phases go in with one INSERT ... unnest() each, the
 * columns passed as array literals, so storing a 30-week plan costs the
 * same handful of statements as a 4-week one.  Plan switches lock the
 * runner's users row first: two concurrent "make this plan active"
 * requests then run one after the other, and the one-active-plan
 * constraint never fails a request.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/db.h"
#include "db/plans.h"

#define NUM_LEN		24	/* an int or a VDOT as text */

static const struct db_stmt q_lock_runner = DB_STMT("plan_store_lock_runner",
    "SELECT 1 FROM users WHERE id = $1 FOR UPDATE");
static const struct db_stmt q_insert_race = DB_STMT("plan_store_insert_race",
    "INSERT INTO races (user_id, name, distance, race_date, location,"
    "                   registration_url)"
    " VALUES ($1, $2, $3::int, $4::date, $5, $6) RETURNING id");
static const struct db_stmt q_update_race = DB_STMT("plan_store_update_race",
    "UPDATE races SET name = $3, distance = $4::int, race_date = $5::date,"
    "       location = $6, registration_url = $7"
    " WHERE id = $1 AND user_id = $2");
static const struct db_stmt q_deactivate = DB_STMT("plan_store_deactivate",
    "UPDATE training_plans SET is_active = FALSE"
    " WHERE user_id = $1 AND is_active AND id IS DISTINCT FROM $2::uuid");
static const struct db_stmt q_activate = DB_STMT("plan_store_activate",
    "UPDATE training_plans SET is_active = TRUE"
    " WHERE id = $1 AND user_id = $2 AND NOT is_active");
static const struct db_stmt q_owned = DB_STMT("plan_store_owned",
    "SELECT race_id FROM training_plans WHERE id = $1 AND user_id = $2"
    " FOR UPDATE");
static const struct db_stmt q_has_plan = DB_STMT("plan_store_has_plan",
    "SELECT EXISTS (SELECT 1 FROM training_plans WHERE user_id = $1)");

/* The plan row's input columns, $2.. in both statements below. */
#define PLAN_INPUT_COLS \
    "runs_per_week, long_run_day, baseline_weekly_distance," \
    " baseline_longest_run, baseline_race_distance, baseline_race_time," \
    " goal_time, goal_pace, vdot, vdot_source, units, name, race_distance," \
    " race_date, total_weeks, race_id"
#define PLAN_INPUT_VALS \
    "$2::int, $3, $4::int, $5::int, $6::int, $7::int, $8::int, $9::int," \
    " $10::numeric, $11, $12, $13, $14::int, $15::date, $16::int, $17::uuid"

static const struct db_stmt q_insert_plan = DB_STMT("plan_store_insert_plan",
    "INSERT INTO training_plans (user_id, " PLAN_INPUT_COLS ","
    "        start_date, first_day_of_week, is_active)"
    " VALUES ($1, " PLAN_INPUT_VALS ", $18::date, $19, TRUE) RETURNING id");
static const struct db_stmt q_update_plan = DB_STMT("plan_store_update_plan",
    "UPDATE training_plans SET (" PLAN_INPUT_COLS ") ="
    "       (" PLAN_INPUT_VALS ")"
    " WHERE id = $1");

static const struct db_stmt q_delete_phases = DB_STMT(
    "plan_store_delete_phases",
    "DELETE FROM training_phases WHERE training_plan_id = $1");
static const struct db_stmt q_insert_phases = DB_STMT(
    "plan_store_insert_phases",
    "INSERT INTO training_phases (training_plan_id, name, phase_index,"
    "        start_week, end_week)"
    " SELECT $1, n.name, n.ord - 1, n.s, n.e"
    "   FROM unnest($2::text[], $3::int[], $4::int[])"
    "        WITH ORDINALITY AS n (name, s, e, ord)");

/* Future workouts as the generator left them: these are re-generated. */
static const struct db_stmt q_delete_future = DB_STMT(
    "plan_store_delete_future",
    "DELETE FROM workouts w"
    " WHERE w.training_plan_id = $1 AND w.scheduled_date >= $2::date"
    "   AND w.completed_at IS NULL AND w.manual_status IS NULL"
    "   AND NOT w.edited_by_hand"
    "   AND NOT EXISTS (SELECT 1 FROM workout_completions c"
    "                    WHERE c.workout_id = w.id)");

#define WORKOUT_ARRAYS \
    " FROM unnest($2::int[], $3::date[], $4::text[], $5::int[], $6::int[]," \
    "             $7::text[], $8::int[], $9::int[])" \
    "      AS n (week, day, type, distance, minutes, description, fast, slow)"
#define WORKOUT_INSERT \
    "INSERT INTO workouts (training_plan_id, week_number, scheduled_date," \
    "        workout_type, distance, duration_estimate, description," \
    "        pace_fast, pace_slow)" \
    " SELECT $1, n.week, n.day, n.type, n.distance, n.minutes," \
    "        n.description, n.fast, n.slow" WORKOUT_ARRAYS

static const struct db_stmt q_insert_workouts = DB_STMT(
    "plan_store_insert_workouts", WORKOUT_INSERT);
/* Re-planning: a day a kept workout holds (or was moved from) stays its. */
static const struct db_stmt q_insert_free_days = DB_STMT(
    "plan_store_insert_free_days", WORKOUT_INSERT
    " WHERE n.type = 'Race' OR NOT EXISTS ("
    "       SELECT 1 FROM workouts k WHERE k.training_plan_id = $1"
    "          AND (k.scheduled_date = n.day OR k.original_date = n.day))");

static const struct db_stmt q_load = DB_STMT("plan_store_load",
    "SELECT p.name, r.name, r.location, r.registration_url,"
    "       p.race_distance, p.race_date, p.start_date, p.runs_per_week,"
    "       p.long_run_day, p.first_day_of_week, p.units,"
    "       COALESCE(p.baseline_weekly_distance, 0),"
    "       COALESCE(p.baseline_longest_run, 0),"
    "       COALESCE(p.baseline_race_distance, 0),"
    "       COALESCE(p.baseline_race_time, 0), COALESCE(p.goal_time, 0)"
    "  FROM training_plans p LEFT JOIN races r ON r.id = p.race_id"
    " WHERE p.id = $1 AND p.user_id = $2");

/* Text of an int, or NULL (SQL NULL) when it is 0 and zero_null is set. */
static const char *
num(char out[NUM_LEN], long v, bool zero_null)
{
	if (zero_null && v == 0)
		return NULL;
	snprintf(out, NUM_LEN, "%ld", v);
	return out;
}

/* Appends s as an element of a PostgreSQL array literal. */
static void
array_text(buf_t *b, const char *s)
{
	if (b->len > 1)
		buf_putc(b, ',');
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void
array_int(buf_t *b, long v)
{
	buf_printf(b, "%s%ld", b->len > 1 ? "," : "", v);
}

/* Array literals: "{" here, elements comma-separated, "}" at close. */
static void
arrays_open(buf_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_init(&a[i]);
		buf_putc(&a[i], '{');
	}
}

static void
arrays_close(buf_t *a, size_t n, const char **params)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_putc(&a[i], '}');
		params[i] = buf_cstr(&a[i]);
	}
}

static void
arrays_free(buf_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_free(&a[i]);
}

enum { WA_WEEK, WA_DAY, WA_TYPE, WA_DIST, WA_MIN, WA_DESC, WA_FAST, WA_SLOW,
	WA__MAX };

/* Inserts p's workouts into plan_id (skipping days kept ones hold if replan). */
static int
insert_workouts(struct db *db, const char *plan_id, const struct plan *p,
    bool replan)
{
	buf_t		 a[WA__MAX];
	const char	*params[1 + WA__MAX];
	char		 day[11];
	size_t		 i;
	long		 rc;

	if (p->nworkouts == 0)
		return 0;
	arrays_open(a, WA__MAX);
	for (i = 0; i < p->nworkouts; i++) {
		const struct plan_workout *w = &p->workouts[i];

		date_format(w->date, day);
		array_int(&a[WA_WEEK], w->week);
		array_text(&a[WA_DAY], day);
		array_text(&a[WA_TYPE], workout_type_name(w->type));
		array_int(&a[WA_DIST], w->distance_m);
		array_int(&a[WA_MIN], w->duration_min);
		array_text(&a[WA_DESC], w->description);
		array_int(&a[WA_FAST], w->pace_fast_s);
		array_int(&a[WA_SLOW], w->pace_slow_s);
	}
	params[0] = plan_id;
	arrays_close(a, WA__MAX, params + 1);
	rc = db_run(db, replan ? &q_insert_free_days : &q_insert_workouts,
	    1 + WA__MAX, params);
	arrays_free(a, WA__MAX);
	return rc < 0 ? -1 : 0;
}

static int
insert_phases(struct db *db, const char *plan_id, const struct plan *p)
{
	buf_t		 a[3];
	const char	*params[4];
	int		 k;
	long		 rc;

	arrays_open(a, 3);
	for (k = 0; k < p->nphases; k++) {
		array_text(&a[0], phase_name(p->phases[k].kind));
		array_int(&a[1], p->phases[k].start_week);
		array_int(&a[2], p->phases[k].end_week);
	}
	params[0] = plan_id;
	arrays_close(a, 3, params + 1);
	rc = db_run(db, &q_insert_phases, 4, params);
	arrays_free(a, 3);
	return rc < 0 ? -1 : 0;
}

/* The $2.. parameters of PLAN_INPUT_COLS; text kept in t. */
struct plan_params {
	const char	*v[16];
	char		 t[12][NUM_LEN];
	char		 race_date[11];
};

static void
plan_params(struct plan_params *pp, const struct plan_race *race,
    const struct plan_input *in, const struct plan *p, const char *race_id)
{
	bool	 recent = in->recent_race_distance > 0 &&
	    in->recent_race_time_s > 0;
	int	 goal_pace = in->goal_time_s > 0 ? (int)lround(
	    in->goal_time_s * 1000.0 / in->race_distance) : 0;

	date_format(in->race_date, pp->race_date);
	pp->v[0] = num(pp->t[0], in->runs_per_week, false);
	pp->v[1] = weekday_key(in->long_run_day);
	pp->v[2] = num(pp->t[1], in->weekly_distance_m, false);
	pp->v[3] = num(pp->t[2], in->longest_run_m, true);
	pp->v[4] = recent ? num(pp->t[3], in->recent_race_distance, true) : NULL;
	pp->v[5] = recent ? num(pp->t[4], in->recent_race_time_s, true) : NULL;
	pp->v[6] = num(pp->t[5], in->goal_time_s, true);
	pp->v[7] = num(pp->t[6], goal_pace, true);
	snprintf(pp->t[7], NUM_LEN, "%.1f", p->vdot);
	pp->v[8] = pp->t[7];
	pp->v[9] = vdot_source_name(p->vdot_source);
	pp->v[10] = unit_key(in->unit);
	pp->v[11] = race->plan_name;
	pp->v[12] = num(pp->t[8], in->race_distance, false);
	pp->v[13] = pp->race_date;
	pp->v[14] = num(pp->t[9], p->total_weeks, false);
	pp->v[15] = race_id;
}

/* Race row parameters after the first n: name, distance, date, place, url. */
static void
race_params(const char **v, char dist[NUM_LEN], char date[11],
    const struct plan_race *race, const struct plan_input *in)
{
	date_format(in->race_date, date);
	v[0] = race->race_name;
	v[1] = num(dist, in->race_distance, false);
	v[2] = date;
	v[3] = race->location;
	v[4] = race->url;
}

static int
lock_runner(struct db *db, const char *user_id)
{
	PGresult	*r = db_exec(db, &q_lock_runner, 1, &user_id);
	int		 rc = r != NULL && PQntuples(r) == 1 ? 0 : -1;

	PQclear(r);
	return rc;
}

int
plans_create(struct db *db, const char *user_id,
    const struct plan_race *race, const struct plan_input *in,
    const struct plan *p, char id[PLAN_ID_LEN])
{
	struct plan_params	 pp;
	const char		*v[19], *dv[2] = { user_id, NULL };
	char			 race_id[PLAN_ID_LEN], dist[NUM_LEN], date[11];
	char			 start[11];
	PGresult		*r = NULL;

	if (db_begin(db) == -1)
		return -1;
	if (lock_runner(db, user_id) == -1)
		goto fail;
	v[0] = user_id;
	race_params(v + 1, dist, date, race, in);
	if ((r = db_exec(db, &q_insert_race, 6, v)) == NULL ||
	    PQntuples(r) != 1)
		goto fail;
	snprintf(race_id, sizeof(race_id), "%s", db_val(r, 0, 0));
	PQclear(r);
	r = NULL;
	if (db_run(db, &q_deactivate, 2, dv) < 0)
		goto fail;
	plan_params(&pp, race, in, p, race_id);
	memcpy(v + 1, pp.v, sizeof(pp.v));
	date_format(p->start_date, start);
	v[17] = start;
	v[18] = weekday_key(in->first_day);
	if ((r = db_exec(db, &q_insert_plan, 19, v)) == NULL ||
	    PQntuples(r) != 1)
		goto fail;
	snprintf(id, PLAN_ID_LEN, "%s", db_val(r, 0, 0));
	PQclear(r);
	r = NULL;
	if (insert_phases(db, id, p) == -1 ||
	    insert_workouts(db, id, p, false) == -1 || db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	PQclear(r);
	db_rollback(db);
	return -1;
}

int
plans_replan(struct db *db, const char *user_id, const char *plan_id,
    const struct plan_race *race, const struct plan_input *in,
    struct plan *p, date_t from)
{
	struct plan_params	 pp;
	const char		*v[17], *own[2] = { plan_id, user_id };
	char			 race_id[PLAN_ID_LEN], dist[NUM_LEN], date[11];
	char			 from_s[11];
	PGresult		*r;

	if (db_begin(db) == -1)
		return -1;
	if ((r = db_exec(db, &q_owned, 2, own)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback(db);
		return 0;
	}
	snprintf(race_id, sizeof(race_id), "%s", db_val(r, 0, 0));
	PQclear(r);
	if (race_id[0] == '\0') {
		/* A plan made without a race row (older data): give it one. */
		v[0] = user_id;
		race_params(v + 1, dist, date, race, in);
		if ((r = db_exec(db, &q_insert_race, 6, v)) == NULL ||
		    PQntuples(r) != 1) {
			PQclear(r);
			goto fail;
		}
		snprintf(race_id, sizeof(race_id), "%s", db_val(r, 0, 0));
		PQclear(r);
	} else {
		v[0] = race_id;
		v[1] = user_id;
		race_params(v + 2, dist, date, race, in);
		if (db_run(db, &q_update_race, 7, v) != 1)
			goto fail;
	}
	v[0] = plan_id;
	plan_params(&pp, race, in, p, race_id);
	memcpy(v + 1, pp.v, sizeof(pp.v));
	if (db_run(db, &q_update_plan, 17, v) != 1)
		goto fail;
	date_format(from, from_s);
	v[1] = from_s;
	plan_keep_from(p, from);
	if (db_run(db, &q_delete_phases, 1, v) < 0 ||
	    insert_phases(db, plan_id, p) == -1 ||
	    db_run(db, &q_delete_future, 2, v) < 0 ||
	    insert_workouts(db, plan_id, p, true) == -1 || db_commit(db) == -1)
		goto fail;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

int
plans_set_active(struct db *db, const char *user_id, const char *plan_id)
{
	const char	*own[2] = { plan_id, user_id };
	const char	*dv[2] = { user_id, plan_id };
	PGresult	*r;
	int		 found;

	if (db_begin(db) == -1)
		return -1;
	if (lock_runner(db, user_id) == -1 ||
	    (r = db_exec(db, &q_owned, 2, own)) == NULL)
		goto fail;
	found = PQntuples(r) == 1;
	PQclear(r);
	if (!found) {
		db_rollback(db);
		return 0;
	}
	/* Two statements: a single UPDATE could see two active rows at once. */
	if (db_run(db, &q_deactivate, 2, dv) < 0 ||
	    db_run(db, &q_activate, 2, own) < 0 || db_commit(db) == -1)
		goto fail;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

/* A copy of a cell, or NULL for SQL NULL. */
static const char *
cell(arena_t *a, const PGresult *r, int col)
{
	return db_null(r, 0, col) ? NULL : arena_strdup(a, db_val(r, 0, col));
}

int
plans_load_inputs(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, struct plan_race *race, struct plan_input *in)
{
	const char	*own[2] = { plan_id, user_id };
	PGresult	*r;
	int		 day;
	date_t		 today = in->today;

	if ((r = db_exec(db, &q_load, 2, own)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	memset(in, 0, sizeof(*in));
	in->today = today;
	race->plan_name = cell(a, r, 0);
	race->race_name = cell(a, r, 1);
	race->location = cell(a, r, 2);
	race->url = cell(a, r, 3);
	in->race_distance = (int)db_long(r, 0, 4);
	if (!date_parse(db_val(r, 0, 5), &in->race_date) ||
	    !date_parse(db_val(r, 0, 6), &in->start_date)) {
		PQclear(r);
		return -1;
	}
	in->runs_per_week = (int)db_long(r, 0, 7);
	day = weekday_parse(db_val(r, 0, 8));
	in->long_run_day = day < 0 ? WD_SUN : (enum weekday)day;
	in->first_day = strcmp(db_val(r, 0, 9), "sun") == 0 ? WD_SUN : WD_MON;
	in->unit = strcmp(db_val(r, 0, 10), "mi") == 0 ? UNIT_MI : UNIT_KM;
	in->weekly_distance_m = (int)db_long(r, 0, 11);
	in->longest_run_m = (int)db_long(r, 0, 12);
	in->recent_race_distance = (int)db_long(r, 0, 13);
	in->recent_race_time_s = (int)db_long(r, 0, 14);
	in->goal_time_s = (int)db_long(r, 0, 15);
	PQclear(r);
	return 1;
}

int
plans_has_any(struct db *db, const char *user_id)
{
	PGresult	*r = db_exec(db, &q_has_plan, 1, &user_id);
	int		 rc = r != NULL && PQntuples(r) == 1 ? db_bool(r, 0, 0) : -1;

	PQclear(r);
	return rc;
}
