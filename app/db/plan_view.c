/*
 * plan_view: a plan with its phases, workouts, feedback, completions and
 * activities in PV_QUERIES queries (see plan_view.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "db/plan_view.h"
#include "domain/activity.h"

/* Whole-plan windows: wider than any date the schema lets in. */
#define PV_FIRST_DATE	"1900-01-01"
#define PV_LAST_DATE	"2999-12-31"
/* Days of runs loaded around a whole plan: its first and last week rows. */
#define PV_WINDOW_MARGIN	7

#define PLAN_COLUMNS \
    "SELECT p.id, p.user_id, p.name, COALESCE(r.name, p.name)," \
    "       p.race_distance, p.race_date, p.start_date, p.total_weeks," \
    "       p.is_active, COALESCE(p.vdot, 0), p.ics_nonce," \
    "       (SELECT string_agg(ph.name || ' ' || ph.start_week || ' ' ||" \
    "               ph.end_week, ',' ORDER BY ph.phase_index)" \
    "          FROM training_phases ph WHERE ph.training_plan_id = p.id)" \
    "  FROM training_plans p LEFT JOIN races r ON r.id = p.race_id"

static const struct db_stmt q_plan = DB_READ("pv_plan",
    PLAN_COLUMNS " WHERE p.id = $1 AND p.user_id = $2");
static const struct db_stmt q_active = DB_READ("pv_plan_active",
    PLAN_COLUMNS " WHERE p.user_id = $1 AND p.is_active");

static const struct db_stmt q_workouts = DB_READ("pv_workouts",
    "SELECT w.id, w.week_number, w.scheduled_date, w.original_date,"
    "       w.workout_type, w.distance, COALESCE(w.duration_estimate, 0),"
    "       COALESCE(w.pace_fast, 0), COALESCE(w.pace_slow, 0),"
    "       w.description, COALESCE(w.manual_status, ''), f.note,"
    "       COALESCE(f.rpe, 0), extract(epoch FROM w.updated_at)::bigint"
    "  FROM workouts w"
    "  LEFT JOIN workout_feedback f ON f.workout_id = w.id"
    " WHERE w.training_plan_id = $1"
    "   AND w.scheduled_date BETWEEN $3::date AND $4::date"
    /* The owner checked once (an InitPlan), not once per workout as a
     * join's generic plan did. */
    "   AND EXISTS (SELECT 1 FROM training_plans p"
    "                WHERE p.id = $1 AND p.user_id = $2)"
    " ORDER BY w.scheduled_date, w.id");

/*
 * One row per (activity, completion of a loaded workout), or one row with
 * a NULL workout for an activity of the window that completes none of
 * them.  Activities outside the window come only through a completion.
 * Both sources are walked by index from the window (the runner's runs of
 * those dates, the completions of those workouts), never from the
 * runner's whole history, and "completes anything" is a probe per row
 * (LATERAL ... LIMIT 1; an EXISTS became a hash of every completion).
 */
static const struct db_stmt q_activities = DB_READ("pv_activities",
    "WITH l AS ("
    "  SELECT c.strava_activity_id AS aid, c.workout_id,"
    "         c.matched_automatically"
    "    FROM workouts w JOIN workout_completions c ON c.workout_id = w.id"
    "   WHERE w.training_plan_id = $2"
    "     AND w.scheduled_date BETWEEN $3::date AND $4::date),"
    " ids AS ("
    "  SELECT a.id FROM strava_activities a"
    "   WHERE a.user_id = $1 AND a.start_date_local >= $5::date"
    "     AND a.start_date_local < $6::date + 1"
    "  UNION SELECT aid FROM l)"
    "SELECT a.id, a.strava_activity_id, COALESCE(a.name, ''),"
    "       a.sport_type, a.distance, a.moving_time,"
    "       COALESCE(round(a.average_heartrate)::int, 0),"
    "       COALESCE(round(a.total_elevation_gain)::int, -1),"
    "       a.start_date_local::date, l.workout_id,"
    "       l.matched_automatically, e.any IS NOT NULL"
    "  FROM ids JOIN strava_activities a ON a.id = ids.id AND a.user_id = $1"
    "  LEFT JOIN l ON l.aid = a.id"
    "  LEFT JOIN LATERAL (SELECT true AS any FROM workout_completions x"
    "                      WHERE x.strava_activity_id = a.id LIMIT 1) e"
    "    ON true"
    " ORDER BY a.start_date_local, a.id, l.workout_id");

static const struct {
	const char	*key;
	const char	*name;
} types[] = {
	{ "easy", "Easy" }, { "long", "Long" }, { "intervals", "Intervals" },
	{ "tempo", "Tempo" }, { "recovery", "Recovery" }, { "race", "Race" },
};

const char *
plan_view_type_key(const char *stored)
{
	size_t i, n;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		n = strlen(types[i].key);
		if (strncasecmp(stored, types[i].key, n) == 0 &&
		    (stored[n] == '\0' || stored[n] == ' ' || stored[n] == '_'))
			return types[i].key;
	}
	return "easy";
}

const char *
plan_view_type_name(const char *stored)
{
	const char	*key = plan_view_type_key(stored);
	size_t		 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].key, key) == 0)
			return types[i].name;
	return "Easy";
}

bool
plan_view_is_key(const struct pv_workout *w)
{
	return strcmp(w->type_key, "easy") != 0 &&
	    strcmp(w->type_key, "recovery") != 0;
}

const char *
plan_view_phase(const struct plan_view *pv, int week)
{
	int i;

	for (i = 0; i < pv->nphases; i++)
		if (week >= pv->phases[i].start_week &&
		    week <= pv->phases[i].end_week)
			return pv->phases[i].name;
	return NULL;
}

static date_t
cell_date(const PGresult *r, int row, int col)
{
	date_t d;

	if (db_null(r, row, col) || !date_parse(db_val(r, row, col), &d))
		return PV_NO_DATE;
	return d;
}

static const char *
cell_str(arena_t *a, const PGresult *r, int row, int col)
{
	return db_null(r, row, col) ? NULL : arena_strdup(a, db_val(r, row, col));
}

/* "Base 1 4,Build 5 9" -> phases. */
static void
parse_phases(struct plan_view *pv, arena_t *a, const char *s)
{
	char	*copy = arena_strdup(a, s), *save = NULL, *tok;
	char	 name[16];
	int	 from, to;

	for (tok = strtok_r(copy, ",", &save); tok != NULL &&
	    pv->nphases < PV_MAX_PHASES; tok = strtok_r(NULL, ",", &save)) {
		if (sscanf(tok, "%15s %d %d", name, &from, &to) != 3)
			continue;
		pv->phases[pv->nphases].name = arena_strdup(a, name);
		pv->phases[pv->nphases].start_week = from;
		pv->phases[pv->nphases].end_week = to;
		pv->nphases++;
	}
}

static void
read_plan(struct plan_view *pv, arena_t *a, const PGresult *r)
{
	pv->id = arena_strdup(a, db_val(r, 0, 0));
	pv->user_id = arena_strdup(a, db_val(r, 0, 1));
	pv->name = arena_strdup(a, db_val(r, 0, 2));
	pv->race_name = arena_strdup(a, db_val(r, 0, 3));
	pv->race_distance = (int)db_long(r, 0, 4);
	pv->race_date = cell_date(r, 0, 5);
	pv->start_date = cell_date(r, 0, 6);
	pv->total_weeks = (int)db_long(r, 0, 7);
	pv->active = db_bool(r, 0, 8);
	pv->vdot = strtod(db_val(r, 0, 9), NULL);
	pv->ics_nonce = cell_str(a, r, 0, 10);
	if (!db_null(r, 0, 11))
		parse_phases(pv, a, db_val(r, 0, 11));
}

static void
read_workouts(struct plan_view *pv, arena_t *a, const PGresult *r)
{
	int i, n = PQntuples(r);

	pv->nworkouts = (size_t)n;
	pv->workouts = arena_alloc(a, sizeof(*pv->workouts) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct pv_workout	*w = &pv->workouts[i];
		const char		*ms = db_val(r, i, 10);

		w->id = arena_strdup(a, db_val(r, i, 0));
		w->week_number = (int)db_long(r, i, 1);
		w->date = cell_date(r, i, 2);
		w->original_date = cell_date(r, i, 3);
		w->type_key = plan_view_type_key(db_val(r, i, 4));
		w->type_name = plan_view_type_name(w->type_key);
		w->distance_m = (int)db_long(r, i, 5);
		w->duration_min = (int)db_long(r, i, 6);
		w->pace_fast = (int)db_long(r, i, 7);
		w->pace_slow = (int)db_long(r, i, 8);
		w->description = cell_str(a, r, i, 9);
		if (w->description != NULL && *w->description == '\0')
			w->description = NULL;
		w->done_by_hand = strcmp(ms, "done") == 0;
		w->skipped = strcmp(ms, "skipped") == 0;
		w->note = cell_str(a, r, i, 11);
		if (w->note != NULL && *w->note == '\0')
			w->note = NULL;
		w->rpe = (int)db_long(r, i, 12);
		w->updated = db_long(r, i, 13);
	}
}

static struct pv_workout *
find_workout(struct plan_view *pv, const char *id)
{
	size_t i;

	for (i = 0; i < pv->nworkouts; i++)
		if (strcmp(pv->workouts[i].id, id) == 0)
			return &pv->workouts[i];
	return NULL;
}

/*
 * Activities, deduplicated (rows of one activity are adjacent), and the
 * links of each workout: counted first, then filled, so every list is
 * one arena allocation.
 */
static void
read_activities(struct plan_view *pv, arena_t *a, const PGresult *r)
{
	int			 i, n = PQntuples(r);
	struct pv_workout	**wk = arena_alloc(a, sizeof(*wk) * (size_t)(n + 1));
	struct pv_activity	**act = arena_alloc(a, sizeof(*act) * (size_t)(n + 1));
	size_t			 k;

	pv->activities = arena_alloc(a, sizeof(*pv->activities) * (size_t)(n + 1));
	pv->nactivities = 0;
	for (i = 0; i < n; i++) {
		struct pv_activity *x;

		if (pv->nactivities == 0 || strcmp(pv->activities[
		    pv->nactivities - 1].id, db_val(r, i, 0)) != 0) {
			x = &pv->activities[pv->nactivities++];
			x->id = arena_strdup(a, db_val(r, i, 0));
			x->strava_id = strtoll(db_val(r, i, 1), NULL, 10);
			x->name = arena_strdup(a, db_val(r, i, 2));
			x->sport_type = arena_strdup(a, db_val(r, i, 3));
			x->distance_m = (int)db_long(r, i, 4);
			x->moving_s = (int)db_long(r, i, 5);
			x->heartrate = (int)db_long(r, i, 6);
			x->elevation_m = (int)db_long(r, i, 7);
			x->date = cell_date(r, i, 8);
			x->is_run = sport_is_run(x->sport_type);
			x->matched_elsewhere = db_bool(r, i, 11);
		}
		x = &pv->activities[pv->nactivities - 1];
		act[i] = x;
		wk[i] = db_null(r, i, 9) ? NULL : find_workout(pv, db_val(r, i, 9));
		if (wk[i] != NULL) {
			wk[i]->nlinks++;
			x->nworkouts++;
		}
	}
	for (k = 0; k < pv->nworkouts; k++) {
		struct pv_workout *w = &pv->workouts[k];

		w->links = arena_alloc(a, sizeof(*w->links) * (size_t)(w->nlinks + 1));
		w->nlinks = 0;
	}
	for (i = 0; i < n; i++) {
		struct pv_link *l;

		if (wk[i] == NULL)
			continue;
		l = &wk[i]->links[wk[i]->nlinks++];
		l->activity = act[i];
		l->manual = !db_bool(r, i, 10);
		wk[i]->actual_m += act[i]->distance_m;
		wk[i]->actual_s += act[i]->moving_s;
	}
	/* Completing a workout of this plan is not "matched elsewhere". */
	for (k = 0; k < pv->nactivities; k++)
		if (pv->activities[k].nworkouts > 0)
			pv->activities[k].matched_elsewhere = false;
}

static void
evaluate(struct plan_view *pv, date_t today)
{
	size_t k;

	for (k = 0; k < pv->nworkouts; k++) {
		struct pv_workout	*w = &pv->workouts[k];
		struct compliance_input	 in = {
			.date = w->date, .today = today,
			.planned_m = w->distance_m, .actual_m = w->actual_m,
			.nmatched = w->nlinks, .done_by_hand = w->done_by_hand,
			.skipped = w->skipped,
		};

		w->comp = compliance_eval(&in);
	}
}

/* Queries 2 and 3, once the plan (query 1) is known to be the runner's. */
static int
load_rest(struct db *db, arena_t *a, date_t today, date_t from, date_t to,
    struct plan_view *pv)
{
	char		 f[11], t[11], af[11], at[11];
	const char	*p[6];
	PGresult	*r;

	/*
	 * The whole plan: every workout wherever it was moved, the runs of
	 * the weeks around it (the calendar's rows).
	 */
	if (from == 0 && to == 0) {
		strcpy(f, PV_FIRST_DATE);
		strcpy(t, PV_LAST_DATE);
		from = pv->start_date - PV_WINDOW_MARGIN;
		to = pv->race_date + PV_WINDOW_MARGIN;
	} else {
		date_format(from, f);
		date_format(to, t);
	}
	date_format(from, af);
	date_format(to, at);
	pv->from = from;
	pv->to = to;
	p[0] = pv->id; p[1] = pv->user_id; p[2] = f; p[3] = t;
	if ((r = db_exec(db, &q_workouts, 4, p)) == NULL)
		return -1;
	read_workouts(pv, a, r);
	PQclear(r);
	p[0] = pv->user_id; p[1] = pv->id; p[4] = af; p[5] = at;
	if ((r = db_exec(db, &q_activities, 6, p)) == NULL)
		return -1;
	read_activities(pv, a, r);
	PQclear(r);
	evaluate(pv, today);
	return 1;
}

int
plan_view_load_head(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, struct plan_view *out)
{
	const char	*p[2] = { plan_id, user_id };
	PGresult	*r;

	memset(out, 0, sizeof(*out));
	if ((r = db_exec(db, &q_plan, 2, p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	read_plan(out, a, r);
	PQclear(r);
	return 1;
}

int
plan_view_load_window(struct db *db, arena_t *a, date_t today, date_t from,
    date_t to, struct plan_view *pv)
{
	return load_rest(db, a, today, from, to, pv);
}

int
plan_view_load(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, date_t today, date_t from, date_t to,
    struct plan_view *out)
{
	int rc = plan_view_load_head(db, a, user_id, plan_id, out);

	return rc != 1 ? rc : load_rest(db, a, today, from, to, out);
}

int
plan_view_load_active(struct db *db, arena_t *a, const char *user_id,
    date_t today, date_t from, date_t to, struct plan_view *out)
{
	PGresult *r;

	memset(out, 0, sizeof(*out));
	if ((r = db_exec(db, &q_active, 1, &user_id)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	read_plan(out, a, r);
	PQclear(r);
	return load_rest(db, a, today, from, to, out);
}

bool
plan_view_is_unplanned(const struct pv_activity *x)
{
	return x->is_run && x->nworkouts == 0 && !x->matched_elsewhere;
}

void
plan_view_count_workout(struct week_totals *t, const struct pv_workout *w)
{
	struct compliance_input in = {
		.planned_m = w->distance_m, .actual_m = w->actual_m,
		.planned_s = w->duration_min * 60LL, .actual_s = w->actual_s,
	};

	week_totals_add(t, &in, &w->comp);
}

void
plan_view_count_unplanned(struct week_totals *t, const struct pv_activity *x)
{
	if (plan_view_is_unplanned(x))
		week_totals_add_unplanned(t, x->distance_m, x->moving_s);
}

void
plan_view_totals(const struct plan_view *pv, date_t from, date_t to,
    struct week_totals *t)
{
	size_t i;

	week_totals_init(t);
	for (i = 0; i < pv->nworkouts; i++)
		if (pv->workouts[i].date >= from && pv->workouts[i].date <= to)
			plan_view_count_workout(t, &pv->workouts[i]);
	for (i = 0; i < pv->nactivities; i++)
		if (pv->activities[i].date >= from && pv->activities[i].date <= to)
			plan_view_count_unplanned(t, &pv->activities[i]);
}
