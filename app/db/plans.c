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
enum { IR_ID, IR__MAX };
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
enum { OW_RACE_ID, OW__MAX };
static const struct db_stmt q_has_plan = DB_STMT("plan_store_has_plan",
    "SELECT EXISTS (SELECT 1 FROM training_plans WHERE user_id = $1)");
enum { HP_ANY, HP__MAX };

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
enum { IP_ID, IP__MAX };
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
enum { LD_PLAN_NAME, LD_RACE_NAME, LD_LOCATION, LD_URL, LD_RACE_DISTANCE,
	LD_RACE_DATE, LD_START_DATE, LD_RUNS, LD_LONG_RUN_DAY, LD_FIRST_DAY,
	LD_UNITS, LD_WEEKLY, LD_LONGEST, LD_RECENT_DISTANCE, LD_RECENT_TIME,
	LD_GOAL_TIME, LD__MAX };

/* Text of an int, or NULL (SQL NULL) when it is 0 and zero_null is set. */
static const char *
num(char out[NUM_LEN], long v, bool zero_null)
{
	if (zero_null && v == 0)
		return NULL;
	snprintf(out, NUM_LEN, "%ld", v);
	return out;
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
		db_array_text(&a[WA_DAY], day);
		db_array_text(&a[WA_TYPE], workout_type_name(w->type));
		array_int(&a[WA_DIST], w->distance_m);
		array_int(&a[WA_MIN], w->duration_min);
		db_array_text(&a[WA_DESC], w->description);
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
		db_array_text(&a[0], phase_name(p->phases[k].kind));
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
	snprintf(race_id, sizeof(race_id), "%s", db_val(r, 0, IR_ID));
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
	snprintf(id, PLAN_ID_LEN, "%s", db_val(r, 0, IP_ID));
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
	snprintf(race_id, sizeof(race_id), "%s", db_val(r, 0, OW_RACE_ID));
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
		snprintf(race_id, sizeof(race_id), "%s", db_val(r, 0, IR_ID));
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
	plan_keep_from(p, from);
	if (plans_replace_future(db, plan_id, from, p) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

int
plans_replace_future(struct db *db, const char *plan_id, date_t from,
    const struct plan *p)
{
	char		 from_s[11];
	const char	*v[2] = { plan_id, from_s };

	date_format(from, from_s);
	if (db_run(db, &q_delete_phases, 1, v) < 0 ||
	    insert_phases(db, plan_id, p) == -1 ||
	    db_run(db, &q_delete_future, 2, v) < 0 ||
	    insert_workouts(db, plan_id, p, true) == -1)
		return -1;
	return 0;
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
	race->plan_name = db_strdup(a, r, 0, LD_PLAN_NAME);
	race->race_name = db_strdup(a, r, 0, LD_RACE_NAME);
	race->location = db_strdup(a, r, 0, LD_LOCATION);
	race->url = db_strdup(a, r, 0, LD_URL);
	in->race_distance = (int)db_long(r, 0, LD_RACE_DISTANCE);
	if (!db_date(r, 0, LD_RACE_DATE, &in->race_date) ||
	    !db_date(r, 0, LD_START_DATE, &in->start_date)) {
		PQclear(r);
		return -1;
	}
	in->runs_per_week = (int)db_long(r, 0, LD_RUNS);
	day = weekday_parse(db_val(r, 0, LD_LONG_RUN_DAY));
	in->long_run_day = day < 0 ? WD_SUN : (enum weekday)day;
	in->first_day = strcmp(db_val(r, 0, LD_FIRST_DAY), "sun") == 0 ?
	    WD_SUN : WD_MON;
	in->unit = strcmp(db_val(r, 0, LD_UNITS), "mi") == 0 ? UNIT_MI :
	    UNIT_KM;
	in->weekly_distance_m = (int)db_long(r, 0, LD_WEEKLY);
	in->longest_run_m = (int)db_long(r, 0, LD_LONGEST);
	in->recent_race_distance = (int)db_long(r, 0, LD_RECENT_DISTANCE);
	in->recent_race_time_s = (int)db_long(r, 0, LD_RECENT_TIME);
	in->goal_time_s = (int)db_long(r, 0, LD_GOAL_TIME);
	PQclear(r);
	return 1;
}

int
plans_has_any(struct db *db, const char *user_id)
{
	PGresult	*r = db_exec(db, &q_has_plan, 1, &user_id);
	int		 rc = r != NULL && PQntuples(r) == 1 ?
	    db_bool(r, 0, HP_ANY) : -1;

	PQclear(r);
	return rc;
}

/* ---- the plan list and its forms ---------------------------------------- */

static const struct db_stmt q_list = DB_STMT("plans_list",
    "SELECT p.id, p.name, r.name, p.race_date, p.race_distance,"
    "       p.total_weeks, p.is_active"
    "  FROM training_plans p LEFT JOIN races r ON r.id = p.race_id"
    " WHERE p.user_id = $1"
    " ORDER BY p.is_active DESC, p.race_date DESC, p.created_at DESC");
enum { LS_ID, LS_NAME, LS_RACE_NAME, LS_RACE_DATE, LS_RACE_DISTANCE,
	LS_WEEKS, LS_ACTIVE, LS__MAX };
static const struct db_stmt q_profile = DB_STMT("plans_profile",
    "SELECT longest_run FROM athlete_profiles WHERE user_id = $1");
enum { PROF_LONGEST_RUN, PROF__MAX };
static const struct db_stmt q_exists = DB_STMT("plans_exists",
    "SELECT 1 FROM training_plans WHERE id = $1 AND user_id = $2");
static const struct db_stmt q_rename = DB_STMT("plans_rename",
    "UPDATE training_plans SET name = $3 WHERE id = $1 AND user_id = $2");
/* The race goes with its plan (a plan's race row is its own). */
static const struct db_stmt q_delete = DB_STMT("plans_delete",
    "WITH p AS (DELETE FROM training_plans WHERE id = $1 AND user_id = $2"
    "           RETURNING race_id)"
    " DELETE FROM races WHERE user_id = $2 AND id IN (SELECT race_id FROM p)"
    " RETURNING (SELECT count(*) FROM p)");

int
plans_list(struct db *db, arena_t *a, const char *user_id,
    struct plan_summary **out)
{
	PGresult	*r;
	int		 i, n;

	if ((r = db_exec(db, &q_list, 1, &user_id)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct plan_summary *p = &(*out)[i];

		if (!db_date(r, i, LS_RACE_DATE, &p->race_date)) {
			PQclear(r);
			return -1;
		}
		p->id = arena_strdup(a, db_val(r, i, LS_ID));
		p->name = arena_strdup(a, db_val(r, i, LS_NAME));
		p->race_name = db_strdup(a, r, i, LS_RACE_NAME);
		p->race_distance = (int)db_long(r, i, LS_RACE_DISTANCE);
		p->total_weeks = (int)db_long(r, i, LS_WEEKS);
		p->active = db_bool(r, i, LS_ACTIVE);
	}
	PQclear(r);
	return n;
}

int
plans_profile_longest_run(struct db *db, const char *user_id, int *metres)
{
	PGresult	*r;
	int		 found;

	*metres = 0;
	if ((r = db_exec(db, &q_profile, 1, &user_id)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1))
		*metres = (int)db_long(r, 0, PROF_LONGEST_RUN);
	PQclear(r);
	return found;
}

int
plans_exists(struct db *db, const char *user_id, const char *plan_id)
{
	const char *p[2] = { plan_id, user_id };

	return db_exists(db, &q_exists, 2, p);
}

int
plans_rename(struct db *db, const char *user_id, const char *plan_id,
    const char *name)
{
	const char	*p[3] = { plan_id, user_id, name };
	long		 n = db_run(db, &q_rename, 3, p);

	return n < 0 ? -1 : n > 0;
}

int
plans_delete(struct db *db, const char *user_id, const char *plan_id)
{
	const char *p[2] = { plan_id, user_id };

	/* Phases, workouts, completions and feedback go by cascade. */
	return db_run(db, &q_delete, 2, p) < 0 ? -1 : 0;
}

/* ---- the calendar feed --------------------------------------------------- */

static const struct db_stmt q_reset_nonce = DB_STMT("exports_reset_token",
    "UPDATE training_plans SET ics_nonce = $3, ics_legacy_sha256 = NULL"
    " WHERE id = $1 AND user_id = $2");
static const struct db_stmt q_feed = DB_STMT("exports_feed_plan",
    "SELECT p.user_id, p.ics_nonce,"
    "       COALESCE(p.ics_legacy_sha256 = sha256(convert_to($2, 'UTF8')),"
    "                FALSE),"
    "       COALESCE(a.units, p.units)"
    "  FROM training_plans p"
    "  LEFT JOIN athlete_profiles a ON a.user_id = p.user_id"
    " WHERE p.id = $1");
enum { FD_USER_ID, FD_NONCE, FD_LEGACY_OK, FD_UNITS, FD__MAX };

int
plans_reset_feed_nonce(struct db *db, const char *user_id,
    const char *plan_id, const char *nonce)
{
	const char	*p[3] = { plan_id, user_id, nonce };
	long		 n = db_run(db, &q_reset_nonce, 3, p);

	return n < 0 ? -1 : n > 0;
}

int
plans_load_feed(struct db *db, arena_t *a, const char *plan_id,
    const char *token, struct plan_feed *out)
{
	const char	*p[2] = { plan_id, token };
	PGresult	*r;

	if ((r = db_exec(db, &q_feed, 2, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	out->user_id = arena_strdup(a, db_val(r, 0, FD_USER_ID));
	out->nonce = arena_strdup(a, db_val(r, 0, FD_NONCE));
	out->legacy_token = db_bool(r, 0, FD_LEGACY_OK);
	out->unit = strcmp(db_val(r, 0, FD_UNITS), "mi") == 0 ? UNIT_MI :
	    UNIT_KM;
	PQclear(r);
	return 1;
}
