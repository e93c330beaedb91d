/* adjustments: see adjustments.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "db/adjustments.h"
#include "db/db.h"
#include "db/plans.h"

static const struct db_stmt q_lock_plan = DB_STMT("adjustments_lock_plan",
    "SELECT 1 FROM training_plans WHERE id = $1::uuid AND user_id = $2"
    " FOR UPDATE");
static const struct db_stmt q_answered = DB_STMT("adjustments_answered",
    "SELECT EXISTS (SELECT 1 FROM plan_adjustments"
    " WHERE training_plan_id = $1::uuid AND trigger_key = $2)");
static const struct db_stmt q_supersede = DB_STMT("adjustments_supersede",
    "UPDATE plan_adjustments SET status = 'superseded', decided_at = NOW()"
    " WHERE training_plan_id = $1::uuid AND status = 'pending'");
/* A runner's own requests are each their own event. */
static const struct db_stmt q_insert = DB_STMT("adjustments_insert",
    "INSERT INTO plan_adjustments (user_id, training_plan_id, kind, reason,"
    "        trigger_key, summary, from_date, old_vdot, new_vdot, basis,"
    "        changes)"
    " VALUES ($1, $2::uuid, $3, $4::text, $5 || CASE WHEN $4::text = 'manual'"
    "         THEN ':' || gen_random_uuid()::text ELSE '' END, $6,"
    "         $7::date, NULLIF($8::numeric, 0), NULLIF($9::numeric, 0),"
    "         $10::jsonb, $11::jsonb)"
    " RETURNING id");
enum { IN_ID, IN__MAX };

#define ADJ_COLS \
    "a.id, a.training_plan_id, p.name, p.is_active, p.start_date," \
    " p.first_day_of_week, p.race_date, a.kind, a.reason, a.status," \
    " a.summary, a.from_date, (a.created_at AT TIME ZONE 'UTC')::date," \
    " COALESCE(a.old_vdot, 0), COALESCE(a.new_vdot, 0)"
enum { AJ_ID, AJ_PLAN, AJ_PLAN_NAME, AJ_ACTIVE, AJ_START, AJ_FIRST_DAY,
	AJ_RACE_DATE, AJ_KIND, AJ_REASON, AJ_STATUS, AJ_SUMMARY, AJ_FROM,
	AJ_CREATED, AJ_OLD_VDOT, AJ_NEW_VDOT, AJ_BASIS, AJ_CHANGES, AJ__MAX };

static const struct db_stmt q_load = DB_READ("adjustments_load",
    "SELECT " ADJ_COLS ", a.basis::text, a.changes::text"
    "  FROM plan_adjustments a"
    "  JOIN training_plans p ON p.id = a.training_plan_id"
    " WHERE a.id = $1::uuid AND a.user_id = $2");
/* The pending one of a plan, or of the active plan ($2 NULL). */
static const struct db_stmt q_pending = DB_READ("adjustments_pending",
    "SELECT " ADJ_COLS ", NULL, NULL"
    "  FROM plan_adjustments a"
    "  JOIN training_plans p ON p.id = a.training_plan_id"
    " WHERE a.user_id = $1 AND a.status = 'pending'"
    "   AND (a.training_plan_id = $2::uuid OR ($2 IS NULL AND p.is_active))"
    " ORDER BY a.created_at DESC LIMIT 1");

static const struct db_stmt q_decline = DB_STMT("adjustments_decline",
    "UPDATE plan_adjustments SET status = 'declined', decided_at = NOW()"
    " WHERE id = $1::uuid AND user_id = $2 AND status = 'pending'");

/* The proposal to accept, locked. */
static const struct db_stmt q_take = DB_STMT("adjustments_take",
    "SELECT a.training_plan_id, a.from_date, a.created_at::text"
    "  FROM plan_adjustments a"
    " WHERE a.id = $1::uuid AND a.user_id = $2 AND a.status = 'pending'"
    "   AND a.kind = $3 FOR UPDATE");
enum { TK_PLAN, TK_FROM, TK_CREATED, TK__MAX };
/* The plan changed since the proposal: edited, moved, switched off. */
static const struct db_stmt q_changed = DB_STMT("adjustments_plan_changed",
    "SELECT EXISTS (SELECT 1 FROM workouts w"
    "                WHERE w.training_plan_id = $1::uuid"
    "                  AND w.scheduled_date >= $2::date"
    "                  AND w.updated_at > $3::timestamp)"
    "    OR EXISTS (SELECT 1 FROM training_plans p WHERE p.id = $1::uuid"
    "                  AND (p.updated_at > $3::timestamp OR NOT p.is_active))");
static const struct db_stmt q_mark = DB_STMT("adjustments_mark",
    "UPDATE plan_adjustments SET status = $2, decided_at = NOW()"
    " WHERE id = $1::uuid");
static const struct db_stmt q_set_vdot = DB_STMT("adjustments_set_vdot",
    "UPDATE training_plans SET vdot = $2::numeric WHERE id = $1::uuid");
/* New paces for workouts still as the generator left them. */
static const struct db_stmt q_paces = DB_STMT("adjustments_paces",
    "UPDATE workouts w SET pace_fast = n.fast, pace_slow = n.slow,"
    "       description = n.description"
    "  FROM unnest($2::uuid[], $3::int[], $4::int[], $5::text[])"
    "       AS n (id, fast, slow, description)"
    " WHERE w.id = n.id AND w.training_plan_id = $1::uuid"
    "   AND w.scheduled_date >= $6::date AND w.completed_at IS NULL"
    "   AND w.manual_status IS NULL AND NOT w.edited_by_hand");

/* A workout a change replaces ($4 true) or keeps ($4 false). */
static const struct db_stmt q_remaining = DB_STMT("adjustments_remaining",
    "SELECT w.id, w.scheduled_date, w.week_number, w.workout_type,"
    "       w.distance, COALESCE(w.duration_estimate, 0),"
    "       COALESCE(w.pace_fast, 0), COALESCE(w.pace_slow, 0), w.description,"
    "       COALESCE(w.original_date, w.scheduled_date)"
    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
    " WHERE p.id = $1::uuid AND p.user_id = $2"
    "   AND (w.scheduled_date >= $3::date OR w.original_date >= $3::date)"
    "   AND (w.completed_at IS NULL AND w.manual_status IS NULL"
    "        AND NOT w.edited_by_hand"
    "        AND NOT EXISTS (SELECT 1 FROM workout_completions c"
    "                         WHERE c.workout_id = w.id)) = $4::boolean"
    "   AND ($4::boolean = false OR w.scheduled_date >= $3::date)"
    " ORDER BY w.scheduled_date, w.id");
enum { RW_ID, RW_DATE, RW_WEEK, RW_TYPE, RW_DISTANCE, RW_MINUTES, RW_FAST,
	RW_SLOW, RW_DESCRIPTION, RW_ORIGINAL, RW__MAX };
static const struct db_stmt q_plan_vdot = DB_STMT("adjustments_plan_vdot",
    "SELECT COALESCE(vdot, 0), COALESCE(vdot_source, '')"
    "  FROM training_plans WHERE id = $1::uuid AND user_id = $2");

static int
workouts_of(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, date_t from, bool replaced,
    struct remaining_workout **out, date_t **original)
{
	char		 d[11];
	const char	*p[4] = { plan_id, user_id, d, replaced ? "true" :
			    "false" };
	PGresult	*r;
	int		 i, n, k = 0;

	date_format(from, d);
	if ((r = db_exec(db, &q_remaining, 4, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	if (original != NULL)
		*original = arena_alloc(a, sizeof(**original) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct remaining_workout *w = &(*out)[k];

		if (!db_date(r, i, RW_DATE, &w->date))
			continue;
		if (original != NULL && !db_date(r, i, RW_ORIGINAL,
		    &(*original)[k]))
			(*original)[k] = w->date;
		w->id = db_strdup(a, r, i, RW_ID);
		w->week = (int)db_long(r, i, RW_WEEK);
		w->type = db_strdup(a, r, i, RW_TYPE);
		w->distance_m = (int)db_long(r, i, RW_DISTANCE);
		w->minutes = (int)db_long(r, i, RW_MINUTES);
		w->fast = (int)db_long(r, i, RW_FAST);
		w->slow = (int)db_long(r, i, RW_SLOW);
		w->description = db_strdup(a, r, i, RW_DESCRIPTION);
		k++;
	}
	PQclear(r);
	return k;
}

int
adjustments_remaining(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, date_t from, struct remaining_workout **out)
{
	return workouts_of(db, a, user_id, plan_id, from, true, out, NULL);
}

int
adjustments_kept(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, date_t from, struct remaining_workout **out,
    date_t **original)
{
	return workouts_of(db, a, user_id, plan_id, from, false, out,
	    original);
}

int
adjustments_plan_vdot(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, double *vdot, const char **source)
{
	const char	*p[2] = { plan_id, user_id };
	PGresult	*r = db_exec(db, &q_plan_vdot, 2, p);
	int		 found;

	if (r == NULL)
		return -1;
	*vdot = 0;
	*source = "";
	if ((found = PQntuples(r) == 1)) {
		*vdot = strtod(db_val(r, 0, 0), NULL);
		*source = db_strdup(a, r, 0, 1);
	}
	PQclear(r);
	return found;
}

int
adjustments_create(struct db *db, const char *user_id,
    const struct adjustment_new *a, char id[ADJUSTMENT_ID_LEN])
{
	char		 from[11], ov[16], nv[16];
	const char	*own[2] = { a->plan_id, user_id };
	const char	*key[2] = { a->plan_id, a->trigger_key };
	const char	*p[11] = { user_id, a->plan_id, a->kind, a->reason,
	    a->trigger_key, a->summary, from, ov, nv, a->basis, a->changes };
	PGresult	*r;
	int		 answered;

	date_format(a->from, from);
	snprintf(ov, sizeof(ov), "%.1f", a->old_vdot);
	snprintf(nv, sizeof(nv), "%.1f", a->new_vdot);
	if (db_begin(db) == -1)
		return -1;
	if ((answered = db_exists(db, &q_lock_plan, 2, own)) != 1) {
		db_rollback(db);
		return answered;	/* 0: not the runner's plan */
	}
	if ((r = db_exec(db, &q_answered, 2, key)) == NULL)
		goto fail;
	answered = db_bool(r, 0, 0);
	PQclear(r);
	if (answered) {
		db_rollback(db);
		return 0;
	}
	if (db_run(db, &q_supersede, 1, p + 1) < 0 ||
	    (r = db_exec(db, &q_insert, 11, p)) == NULL)
		goto fail;
	snprintf(id, ADJUSTMENT_ID_LEN, "%s", PQntuples(r) == 1 ?
	    db_val(r, 0, IN_ID) : "");
	PQclear(r);
	if (id[0] == '\0' || db_commit(db) == -1)
		goto fail;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

static void
read_adjustment(arena_t *a, const PGresult *r, struct adjustment *x)
{
	memset(x, 0, sizeof(*x));
	x->id = db_strdup(a, r, 0, AJ_ID);
	x->plan_id = db_strdup(a, r, 0, AJ_PLAN);
	x->plan_name = db_strdup(a, r, 0, AJ_PLAN_NAME);
	x->plan_active = db_bool(r, 0, AJ_ACTIVE);
	if (!db_date(r, 0, AJ_START, &x->plan_start))
		x->plan_start = 0;
	x->first_day = strcmp(db_val(r, 0, AJ_FIRST_DAY), "sun") == 0 ?
	    WD_SUN : WD_MON;
	if (!db_date(r, 0, AJ_RACE_DATE, &x->race_date))
		x->race_date = 0;
	x->kind = db_strdup(a, r, 0, AJ_KIND);
	x->reason = db_strdup(a, r, 0, AJ_REASON);
	x->status = db_strdup(a, r, 0, AJ_STATUS);
	x->summary = db_strdup(a, r, 0, AJ_SUMMARY);
	if (!db_date(r, 0, AJ_FROM, &x->from))
		x->from = 0;
	if (!db_date(r, 0, AJ_CREATED, &x->created))
		x->created = 0;
	x->old_vdot = strtod(db_val(r, 0, AJ_OLD_VDOT), NULL);
	x->new_vdot = strtod(db_val(r, 0, AJ_NEW_VDOT), NULL);
	x->basis = db_strdup(a, r, 0, AJ_BASIS);
	x->changes = db_strdup(a, r, 0, AJ_CHANGES);
}

static int
load_one(struct db *db, arena_t *a, const struct db_stmt *q, int np,
    const char **p, struct adjustment *x)
{
	PGresult	*r = db_exec(db, q, np, p);
	int		 found;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1))
		read_adjustment(a, r, x);
	PQclear(r);
	return found;
}

int
adjustments_load(struct db *db, arena_t *a, const char *user_id,
    const char *id, struct adjustment *x)
{
	const char *p[2] = { id, user_id };

	return load_one(db, a, &q_load, 2, p, x);
}

int
adjustments_pending(struct db *db, arena_t *a, const char *user_id,
    const char *plan_id, struct adjustment *x)
{
	const char *p[2] = { user_id, plan_id };

	return load_one(db, a, &q_pending, 2, p, x);
}

int
adjustments_decline(struct db *db, const char *user_id, const char *id)
{
	const char	*p[2] = { id, user_id };
	long		 n = db_run(db, &q_decline, 2, p);

	return n < 0 ? -1 : n > 0;
}

/*
 * Locks pending proposal id of kind and checks its plan: ADJ_APPLIED
 * (go on, plan id and first day into plan and from), ADJ_NOT_FOUND, or
 * ADJ_STALE (marked superseded).  In the caller's transaction.
 */
static enum adjustment_result
take(struct db *db, const char *user_id, const char *id, const char *kind,
    char plan[ADJUSTMENT_ID_LEN], char from[11])
{
	const char	*p[3] = { id, user_id, kind };
	const char	*c[3] = { plan, from, NULL };
	char		 created[40];
	PGresult	*r;
	int		 changed;

	if ((r = db_exec(db, &q_take, 3, p)) == NULL)
		return ADJ_FAILED;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return ADJ_NOT_FOUND;
	}
	snprintf(plan, ADJUSTMENT_ID_LEN, "%s", db_val(r, 0, TK_PLAN));
	snprintf(from, 11, "%s", db_val(r, 0, TK_FROM));
	snprintf(created, sizeof(created), "%s", db_val(r, 0, TK_CREATED));
	PQclear(r);
	c[2] = created;
	if ((r = db_exec(db, &q_changed, 3, c)) == NULL)
		return ADJ_FAILED;
	changed = db_bool(r, 0, 0);
	PQclear(r);
	if (!changed)
		return ADJ_APPLIED;
	return db_run(db, &q_mark, 2, (const char *[]){ id, "superseded" }) < 0 ?
	    ADJ_FAILED : ADJ_STALE;
}

/* Marks id accepted, sets the plan's VDOT and commits. */
static enum adjustment_result
finish(struct db *db, const char *id, const char *plan, double vdot)
{
	char v[16];

	snprintf(v, sizeof(v), "%.1f", vdot);
	if ((vdot > 0 && db_run(db, &q_set_vdot, 2,
	    (const char *[]){ plan, v }) < 0) ||
	    db_run(db, &q_mark, 2, (const char *[]){ id, "accepted" }) < 0 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return ADJ_FAILED;
	}
	return ADJ_APPLIED;
}

/* The end of take(): ADJ_STALE is committed, the rest rolled back. */
static enum adjustment_result
not_taken(struct db *db, enum adjustment_result r)
{
	if (r == ADJ_STALE && db_commit(db) == 0)
		return ADJ_STALE;
	db_rollback(db);
	return r == ADJ_STALE ? ADJ_FAILED : r;
}

enum adjustment_result
adjustments_accept_replan(struct db *db, const char *user_id, const char *id,
    const struct plan *p, double vdot)
{
	enum adjustment_result	 r;
	char			 plan[ADJUSTMENT_ID_LEN], from[11];
	date_t			 d;

	if (db_begin(db) == -1)
		return ADJ_FAILED;
	if ((r = take(db, user_id, id, "replan", plan, from)) != ADJ_APPLIED)
		return not_taken(db, r);
	if (!date_parse(from, &d) ||
	    plans_replace_future(db, plan, d, p) == -1) {
		db_rollback(db);
		return ADJ_FAILED;
	}
	return finish(db, id, plan, vdot);
}

enum adjustment_result
adjustments_accept_paces(struct db *db, const char *user_id, const char *id,
    const struct pace_change *c, size_t n, double vdot)
{
	enum adjustment_result	 r;
	char			 plan[ADJUSTMENT_ID_LEN], from[11], num[16];
	buf_t			 a[4];
	const char		*p[6];
	size_t			 i, k;
	long			 rc;

	if (db_begin(db) == -1)
		return ADJ_FAILED;
	if ((r = take(db, user_id, id, "paces", plan, from)) != ADJ_APPLIED)
		return not_taken(db, r);
	for (k = 0; k < 4; k++) {
		buf_init(&a[k]);
		buf_putc(&a[k], '{');
	}
	for (i = 0; i < n; i++) {
		db_array_text(&a[0], c[i].workout_id);
		snprintf(num, sizeof(num), "%d", c[i].fast);
		db_array_text(&a[1], num);
		snprintf(num, sizeof(num), "%d", c[i].slow);
		db_array_text(&a[2], num);
		db_array_text(&a[3], c[i].description ? c[i].description : "");
	}
	p[0] = plan;
	for (k = 0; k < 4; k++) {
		buf_putc(&a[k], '}');
		p[k + 1] = buf_cstr(&a[k]);
	}
	p[5] = from;
	rc = db_run(db, &q_paces, 6, p);
	for (k = 0; k < 4; k++)
		buf_free(&a[k]);
	if (rc < 0) {
		db_rollback(db);
		return ADJ_FAILED;
	}
	return finish(db, id, plan, vdot);
}
