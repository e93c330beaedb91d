/* fitness: see fitness.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "db/activity_detail.h"
#include "db/db.h"
#include "db/fitness.h"
#include "domain/activity.h"
#include "domain/plan_gen.h"

static const struct db_stmt q_profile = DB_STMT("fitness_profile",
    "SELECT (now() AT TIME ZONE COALESCE(p.timezone, 'UTC'))::date,"
    "       COALESCE(p.max_hr, 0), COALESCE(p.threshold_hr, 0),"
    "       COALESCE(p.recent_race_distance, 0),"
    "       COALESCE(p.recent_race_time, 0),"
    "       COALESCE((SELECT vdot FROM training_plans"
    "                  WHERE user_id = u.id AND is_active), 0),"
    "       t.user_id IS NOT NULL, COALESCE(t.vdot, 0),"
    "       COALESCE(t.threshold_hr, 0)"
    "  FROM users u"
    "  LEFT JOIN athlete_profiles p ON p.user_id = u.id"
    "  LEFT JOIN fitness_thresholds t ON t.user_id = u.id"
    " WHERE u.id = $1");
enum { FP_TODAY, FP_MAX_HR, FP_LTHR, FP_RACE_M, FP_RACE_S, FP_PLAN_VDOT,
	FP_SCORED, FP_SCORED_VDOT, FP_SCORED_HR, FP__MAX };

static const struct db_stmt q_save_hr = DB_STMT("fitness_save_hr",
    "UPDATE athlete_profiles SET max_hr = NULLIF($2::int, 0),"
    "       threshold_hr = NULLIF($3::int, 0)"
    " WHERE user_id = $1");

/* The activity, its version, and the type of the workout it completes. */
static const struct db_stmt q_to_score = DB_STMT("fitness_to_score",
    "SELECT a.id, a.updated_at::text, a.sport_type IN " SPORT_RUN_SQL ","
    "       a.distance, a.moving_time, COALESCE(a.average_heartrate, 0),"
    "       a.splits::text,"
    "       (SELECT w.workout_type FROM workout_completions c"
    "          JOIN workouts w ON w.id = c.workout_id"
    "         WHERE c.strava_activity_id = a.id"
    "         ORDER BY w.scheduled_date, w.id LIMIT 1)"
    "  FROM strava_activities a"
    "  LEFT JOIN activity_loads l ON l.activity_id = a.id"
    " WHERE a.user_id = $1 AND ($2::boolean OR l.activity_id IS NULL"
    "       OR l.activity_updated_at <> a.updated_at)");
enum { TS_ID, TS_UPDATED, TS_IS_RUN, TS_DISTANCE, TS_MOVING, TS_HR,
	TS_SPLITS, TS_TYPE, TS__MAX };

/* Only the runner's activities, and only a change is written. */
static const struct db_stmt q_store_loads = DB_STMT("fitness_store_loads",
    "INSERT INTO activity_loads (activity_id, user_id, tss, intensity,"
    "        method, activity_updated_at)"
    " SELECT a.id, a.user_id, n.tss, n.intensity, n.method, n.version"
    "   FROM unnest($2::uuid[], $3::real[], $4::real[], $5::text[],"
    "               $6::timestamp[]) AS n (id, tss, intensity, method, version)"
    "   JOIN strava_activities a ON a.id = n.id AND a.user_id = $1"
    " ON CONFLICT (activity_id) DO UPDATE SET tss = EXCLUDED.tss,"
    "   intensity = EXCLUDED.intensity, method = EXCLUDED.method,"
    "   activity_updated_at = EXCLUDED.activity_updated_at, scored_at = NOW()"
    " WHERE (activity_loads.tss, activity_loads.intensity,"
    "        activity_loads.method, activity_loads.activity_updated_at)"
    "       IS DISTINCT FROM (EXCLUDED.tss, EXCLUDED.intensity,"
    "        EXCLUDED.method, EXCLUDED.activity_updated_at)");
static const struct db_stmt q_store_thresholds = DB_STMT(
    "fitness_store_thresholds",
    "INSERT INTO fitness_thresholds (user_id, vdot, threshold_hr)"
    " VALUES ($1, $2::numeric, $3::int)"
    " ON CONFLICT (user_id) DO UPDATE SET vdot = EXCLUDED.vdot,"
    "   threshold_hr = EXCLUDED.threshold_hr, scored_at = NOW()");

/* Runs of a window with their current loads (stale ones: -1). */
static const struct db_stmt q_day_runs = DB_READ("fitness_day_runs",
    "SELECT a.start_date_local::date, COALESCE(l.tss, -1), a.distance,"
    "       a.moving_time, COALESCE(a.average_heartrate, 0)"
    "  FROM strava_activities a"
    "  LEFT JOIN activity_loads l ON l.activity_id = a.id"
    "       AND l.activity_updated_at = a.updated_at"
    " WHERE a.user_id = $1 AND a.sport_type IN " SPORT_RUN_SQL
    "   AND a.start_date_local >= $2::date"
    "   AND a.start_date_local < $3::date + 1");
enum { DR_DATE, DR_TSS, DR_DISTANCE, DR_MOVING, DR_HR, DR__MAX };
/* Workouts marked done by hand that no run completes. */
static const struct db_stmt q_day_marked = DB_READ("fitness_day_marked",
    "SELECT w.scheduled_date, w.workout_type,"
    "       COALESCE(w.duration_estimate, 0), w.distance"
    "  FROM training_plans p JOIN workouts w ON w.training_plan_id = p.id"
    " WHERE p.user_id = $1 AND w.manual_status = 'done'"
    "   AND w.scheduled_date BETWEEN $2::date AND $3::date"
    "   AND NOT EXISTS (SELECT 1 FROM workout_completions c"
    "                    WHERE c.workout_id = w.id)");
enum { DM_DATE, DM_TYPE, DM_MINUTES, DM_DISTANCE, DM__MAX };

/* The active plan and its workouts after today (one row without any). */
static const struct db_stmt q_ahead = DB_READ("fitness_plan_ahead",
    "SELECT p.id, p.name, COALESCE(r.name, p.name), p.race_date,"
    "       COALESCE(p.vdot, 0), COALESCE(p.vdot_source, ''),"
    "       w.scheduled_date, w.workout_type,"
    "       COALESCE(w.duration_estimate, 0), w.distance"
    "  FROM training_plans p"
    "  LEFT JOIN races r ON r.id = p.race_id"
    "  LEFT JOIN workouts w ON w.training_plan_id = p.id"
    "       AND w.scheduled_date > $2::date"
    "       AND w.scheduled_date <= p.race_date"
    "       AND w.manual_status IS NULL"
    " WHERE p.user_id = $1 AND p.is_active"
    " ORDER BY w.scheduled_date, w.id");
enum { PA_ID, PA_NAME, PA_RACE, PA_RACE_DATE, PA_VDOT, PA_SOURCE, PA_DATE,
	PA_TYPE, PA_MINUTES, PA_DISTANCE, PA__MAX };

static const struct db_stmt q_activity_load = DB_READ("fitness_activity_load",
    "SELECT l.tss, l.intensity, l.method FROM activity_loads l"
    "  JOIN strava_activities a ON a.id = l.activity_id"
    "       AND a.updated_at = l.activity_updated_at"
    " WHERE l.activity_id = $1::uuid AND l.user_id = $2");
enum { AL_TSS, AL_IF, AL_METHOD, AL__MAX };

/* The whole series in, changed rows written, days outside it dropped. */
static const struct db_stmt q_store_days = DB_STMT("fitness_store_days",
    "INSERT INTO fitness_days (user_id, day, load, ctl, atl)"
    " SELECT $1, n.day, n.load, n.ctl, n.atl"
    "   FROM unnest($2::date[], $3::real[], $4::real[], $5::real[])"
    "        AS n (day, load, ctl, atl)"
    " ON CONFLICT (user_id, day) DO UPDATE SET load = EXCLUDED.load,"
    "   ctl = EXCLUDED.ctl, atl = EXCLUDED.atl"
    " WHERE (fitness_days.load, fitness_days.ctl, fitness_days.atl)"
    "       IS DISTINCT FROM (EXCLUDED.load, EXCLUDED.ctl, EXCLUDED.atl)");
static const struct db_stmt q_trim_days = DB_STMT("fitness_trim_days",
    "DELETE FROM fitness_days WHERE user_id = $1"
    "   AND (day < $2::date OR day > $3::date)");
static const struct db_stmt q_stored_days = DB_READ("fitness_stored_days",
    "SELECT day, load, ctl, atl FROM fitness_days"
    " WHERE user_id = $1 AND day >= COALESCE((SELECT max(day)"
    "       FROM fitness_days WHERE user_id = $1 AND day < $2::date),"
    "       $2::date)"
    " ORDER BY day");
enum { SD_DAY, SD_LOAD, SD_CTL, SD_ATL, SD__MAX };

static const struct db_stmt q_active = DB_STMT("fitness_active_runners",
    "SELECT user_id FROM training_plans WHERE is_active"
    " ORDER BY user_id");

static const char *const method_keys[LOAD__MAX] = {
	"none", "pace", "hr", "estimate",
};

/* The enum workout_type of a stored type ("Easy" ... "Race"). */
static int
type_of(const char *stored)
{
	int t;

	if (stored == NULL || *stored == '\0')
		return LOAD_TYPE_UNKNOWN;
	for (t = 0; t < WORKOUT__MAX; t++)
		if (strncasecmp(stored, workout_type_name((enum workout_type)t),
		    strlen(workout_type_name((enum workout_type)t))) == 0)
			return t;
	return LOAD_TYPE_UNKNOWN;
}

int
fitness_load_profile(struct db *db, const char *user_id,
    struct fitness_profile *f)
{
	PGresult	*r = db_exec(db, &q_profile, 1, &user_id);
	int		 found;

	if (r == NULL)
		return -1;
	memset(f, 0, sizeof(*f));
	if ((found = PQntuples(r) == 1)) {
		if (!db_date(r, 0, FP_TODAY, &f->today))
			found = -1;
		f->max_hr = (int)db_long(r, 0, FP_MAX_HR);
		f->threshold_hr = (int)db_long(r, 0, FP_LTHR);
		f->race_m = (int)db_long(r, 0, FP_RACE_M);
		f->race_s = (int)db_long(r, 0, FP_RACE_S);
		f->plan_vdot = strtod(db_val(r, 0, FP_PLAN_VDOT), NULL);
		f->scored = db_bool(r, 0, FP_SCORED);
		f->scored_vdot = strtod(db_val(r, 0, FP_SCORED_VDOT), NULL);
		f->scored_hr = (int)db_long(r, 0, FP_SCORED_HR);
	}
	PQclear(r);
	return found;
}

int
fitness_save_heart_rates(struct db *db, const char *user_id, int max_hr,
    int threshold_hr)
{
	char		 m[16], t[16];
	const char	*p[3] = { user_id, m, t };
	long		 n;

	snprintf(m, sizeof(m), "%d", max_hr);
	snprintf(t, sizeof(t), "%d", threshold_hr);
	if ((n = db_run(db, &q_save_hr, 3, p)) < 0)
		return -1;
	return n > 0;
}

static void
read_score_row(arena_t *a, const PGresult *r, int i,
    struct fitness_score_row *x)
{
	memset(x, 0, sizeof(*x));
	x->id = db_strdup(a, r, i, TS_ID);
	x->updated_at = db_strdup(a, r, i, TS_UPDATED);
	x->is_run = db_bool(r, i, TS_IS_RUN);
	x->run.distance_m = (double)db_long(r, i, TS_DISTANCE);
	x->run.moving_s = (int)db_long(r, i, TS_MOVING);
	x->run.average_hr = strtod(db_val(r, i, TS_HR), NULL);
	x->run.type = type_of(db_val(r, i, TS_TYPE));
	(void)activity_splits_parse(a, db_strdup(a, r, i, TS_SPLITS),
	    &x->splits);
}

int
fitness_rows_to_score(struct db *db, arena_t *a, const char *user_id,
    bool all, struct fitness_score_row **out)
{
	const char	*p[2] = { user_id, all ? "true" : "false" };
	PGresult	*r = db_exec(db, &q_to_score, 2, p);
	int		 i, n;

	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		read_score_row(a, r, i, &(*out)[i]);
	PQclear(r);
	return n;
}

/* Appends s to an array literal opened with '{' (uuids, numbers, keys
 * and timestamps: nothing to escape). */
static void
array_add(buf_t *b, const char *s)
{
	if (b->len > 1)
		buf_putc(b, ',');
	buf_printf(b, "\"%s\"", s);
}

int
fitness_store_scores(struct db *db, const char *user_id,
    const struct fitness_score_row *rows, const struct load_score *s,
    size_t n, double vdot, int threshold_hr)
{
	buf_t		 a[5];
	const char	*p[6];
	char		 v[16], hr[16], num[32];
	size_t		 i, k;
	int		 rc = -1;

	for (k = 0; k < 5; k++) {
		buf_init(&a[k]);
		buf_putc(&a[k], '{');
	}
	for (i = 0; i < n; i++) {
		array_add(&a[0], rows[i].id);
		snprintf(num, sizeof(num), "%.2f", s[i].tss);
		array_add(&a[1], num);
		snprintf(num, sizeof(num), "%.4f", s[i].intensity);
		array_add(&a[2], num);
		array_add(&a[3], method_keys[s[i].method < LOAD__MAX ?
		    s[i].method : LOAD_NONE]);
		array_add(&a[4], rows[i].updated_at);
	}
	p[0] = user_id;
	for (k = 0; k < 5; k++) {
		buf_putc(&a[k], '}');
		p[k + 1] = buf_cstr(&a[k]);
	}
	snprintf(v, sizeof(v), "%.1f", vdot);
	snprintf(hr, sizeof(hr), "%d", threshold_hr);
	if (db_begin(db) == 0 &&
	    (n == 0 || db_run(db, &q_store_loads, 6, p) >= 0) &&
	    db_run(db, &q_store_thresholds, 3, (const char *[]){ user_id, v,
	    hr }) >= 0 && db_commit(db) == 0)
		rc = 0;
	else
		db_rollback(db);
	for (k = 0; k < 5; k++)
		buf_free(&a[k]);
	return rc;
}

static void
read_day_run(const PGresult *r, int i, struct fitness_day_run *x)
{
	memset(x, 0, sizeof(*x));
	if (!db_date(r, i, DR_DATE, &x->date))
		x->date = 0;
	x->tss = strtod(db_val(r, i, DR_TSS), NULL);
	x->run.distance_m = (double)db_long(r, i, DR_DISTANCE);
	x->run.moving_s = (int)db_long(r, i, DR_MOVING);
	x->run.average_hr = strtod(db_val(r, i, DR_HR), NULL);
	x->run.type = LOAD_TYPE_UNKNOWN;
}

/* A workout marked done: scored by its type and estimated duration. */
static void
read_marked(const PGresult *r, int i, struct fitness_day_run *x)
{
	memset(x, 0, sizeof(*x));
	if (!db_date(r, i, DM_DATE, &x->date))
		x->date = 0;
	x->tss = -1;
	x->run.type = type_of(db_val(r, i, DM_TYPE));
	x->run.moving_s = (int)db_long(r, i, DM_MINUTES) * 60;
}

int
fitness_day_runs(struct db *db, arena_t *a, const char *user_id, date_t from,
    date_t to, struct fitness_day_run **out)
{
	char		 f[11], t[11];
	const char	*p[3] = { user_id, f, t };
	PGresult	*runs, *marked;
	int		 i, nr, nm;

	date_format(from, f);
	date_format(to, t);
	if ((runs = db_exec(db, &q_day_runs, 3, p)) == NULL)
		return -1;
	if ((marked = db_exec(db, &q_day_marked, 3, p)) == NULL) {
		PQclear(runs);
		return -1;
	}
	nr = PQntuples(runs);
	nm = PQntuples(marked);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(nr + nm + 1));
	for (i = 0; i < nr; i++)
		read_day_run(runs, i, &(*out)[i]);
	for (i = 0; i < nm; i++)
		read_marked(marked, i, &(*out)[nr + i]);
	PQclear(runs);
	PQclear(marked);
	return nr + nm;
}

static void
read_ahead_head(arena_t *a, const PGresult *r, struct fitness_ahead *x)
{
	x->plan_id = db_strdup(a, r, 0, PA_ID);
	x->plan_name = db_strdup(a, r, 0, PA_NAME);
	x->race_name = db_strdup(a, r, 0, PA_RACE);
	if (!db_date(r, 0, PA_RACE_DATE, &x->race_date))
		x->race_date = 0;
	x->vdot = strtod(db_val(r, 0, PA_VDOT), NULL);
	x->vdot_source = db_strdup(a, r, 0, PA_SOURCE);
}

int
fitness_plan_ahead(struct db *db, arena_t *a, const char *user_id,
    date_t today, struct fitness_ahead *x)
{
	char		 d[11];
	const char	*p[2] = { user_id, d };
	PGresult	*r;
	int		 i, n;

	memset(x, 0, sizeof(*x));
	date_format(today, d);
	if ((r = db_exec(db, &q_ahead, 2, p)) == NULL)
		return -1;
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return 0;
	}
	read_ahead_head(a, r, x);
	x->workouts = arena_alloc(a, sizeof(*x->workouts) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct fitness_ahead_workout *w = &x->workouts[x->nworkouts];

		if (!db_date(r, i, PA_DATE, &w->date))
			continue;	/* the row of a plan without any */
		w->type = type_of(db_val(r, i, PA_TYPE));
		w->duration_s = (int)db_long(r, i, PA_MINUTES) * 60;
		w->distance_m = (int)db_long(r, i, PA_DISTANCE);
		x->nworkouts++;
	}
	PQclear(r);
	return 1;
}

int
fitness_activity_load(struct db *db, const char *user_id,
    const char *activity_id, struct load_score *s)
{
	const char	*p[2] = { activity_id, user_id };
	PGresult	*r = db_exec(db, &q_activity_load, 2, p);
	int		 found, m;

	if (r == NULL)
		return -1;
	memset(s, 0, sizeof(*s));
	if ((found = PQntuples(r) == 1)) {
		s->tss = strtod(db_val(r, 0, AL_TSS), NULL);
		s->intensity = strtod(db_val(r, 0, AL_IF), NULL);
		for (m = 0; m < LOAD__MAX; m++)
			if (strcmp(db_val(r, 0, AL_METHOD), method_keys[m]) == 0)
				s->method = (enum load_method)m;
	}
	PQclear(r);
	return found;
}

int
fitness_active_runners(struct db *db, arena_t *a, const char ***ids)
{
	PGresult	*r = db_exec(db, &q_active, 0, NULL);
	int		 i, n;

	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*ids = arena_alloc(a, sizeof(**ids) * (size_t)(n + 1));
	for (i = 0; i < n; i++)
		(*ids)[i] = db_strdup(a, r, i, 0);
	PQclear(r);
	return n;
}

/* One number for a real[] literal: 2 decimals, stable from run to run. */
static void
array_real(buf_t *b, double v)
{
	if (b->len > 1)
		buf_putc(b, ',');
	buf_printf(b, "%.2f", v > 0 ? v : 0);
}

static void
array_day(buf_t *b, date_t d)
{
	char s[11];

	date_format(d, s);
	array_add(b, s);
}

int
fitness_store_series(struct db *db, const char *user_id,
    const struct fitness_series *s)
{
	buf_t		 a[4];
	const char	*p[5];
	char		 lo[11], hi[11];
	int		 i, k, rc = -1;

	for (k = 0; k < 4; k++) {
		buf_init(&a[k]);
		buf_putc(&a[k], '{');
	}
	/* The seed: the day before the first. */
	array_day(&a[0], s->first - 1);
	array_real(&a[1], 0);
	array_real(&a[2], s->ctl0);
	array_real(&a[3], s->atl0);
	for (i = 0; i <= s->today && i < s->ndays; i++) {
		array_day(&a[0], s->first + i);
		array_real(&a[1], s->days[i].load);
		array_real(&a[2], s->days[i].ctl);
		array_real(&a[3], s->days[i].atl);
	}
	p[0] = user_id;
	for (k = 0; k < 4; k++) {
		buf_putc(&a[k], '}');
		p[k + 1] = buf_cstr(&a[k]);
	}
	date_format(s->first - 1, lo);
	date_format(s->first + s->today, hi);
	if (db_begin(db) == 0 && db_run(db, &q_store_days, 5, p) >= 0 &&
	    db_run(db, &q_trim_days, 3, (const char *[]){ user_id, lo, hi }) >= 0
	    && db_commit(db) == 0)
		rc = 0;
	else
		db_rollback(db);
	for (k = 0; k < 4; k++)
		buf_free(&a[k]);
	return rc;
}

int
fitness_stored_days(struct db *db, arena_t *a, const char *user_id,
    date_t from, struct fitness_stored_day **out)
{
	char		 d[11];
	const char	*p[2] = { user_id, d };
	PGresult	*r;
	int		 i, n, k = 0;

	date_format(from, d);
	if ((r = db_exec(db, &q_stored_days, 2, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct fitness_stored_day *x = &(*out)[k];

		if (!db_date(r, i, SD_DAY, &x->day))
			continue;
		x->load = strtod(db_val(r, i, SD_LOAD), NULL);
		x->ctl = strtod(db_val(r, i, SD_CTL), NULL);
		x->atl = strtod(db_val(r, i, SD_ATL), NULL);
		k++;
	}
	PQclear(r);
	return k;
}
