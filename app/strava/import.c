/*
 * import: see import.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "strava/client.h"
#include "strava/import.h"
#include "strava/sync.h"
#include "strava/tokens.h"

#define STR(x)	STR2(x)
#define STR2(x)	#x

/* Oldest of: the active plan's start, IMPORT_HISTORY_DAYS ago (a day's
 * margin for time zones). */
static const struct db_stmt q_enqueue = DB_STMT("import_enqueue",
    "INSERT INTO strava_imports (user_id, after_epoch, total)"
    " SELECT $1, extract(epoch FROM LEAST("
    "        COALESCE((SELECT start_date FROM training_plans"
    "                   WHERE user_id = $1 AND is_active), 'infinity'::date),"
    "        (NOW() AT TIME ZONE 'UTC')::date - " STR(IMPORT_HISTORY_DAYS) ")"
    "        - 1)::bigint, " STR(IMPORT_PER_PAGE)
    " ON CONFLICT (user_id) DO UPDATE SET status = 'pending',"
    "   after_epoch = EXCLUDED.after_epoch, page = 1, done = 0,"
    "   total = EXCLUDED.total, attempts = 0, next_attempt_at = NOW(),"
    "   locked_until = NULL, error_message = NULL, requests = 0,"
    "   created_at = NOW(), finished_at = NULL");
static const struct db_stmt q_notify = DB_STMT("import_notify",
    "SELECT pg_notify('" IMPORT_CHANNEL "', 'import')");
static const struct db_stmt q_claim = DB_STMT("import_claim",
    "UPDATE strava_imports i SET status = 'running',"
    "       locked_until = NOW() + make_interval(secs => $1)"
    "  FROM (SELECT user_id FROM strava_imports"
    "         WHERE status IN ('pending', 'running')"
    "           AND next_attempt_at <= NOW()"
    "           AND (locked_until IS NULL OR locked_until < NOW())"
    "         ORDER BY next_attempt_at LIMIT 1"
    "         FOR UPDATE SKIP LOCKED) d"
    " WHERE i.user_id = d.user_id"
    " RETURNING i.user_id, i.after_epoch, i.page, i.done, i.attempts");
/* The checkpoint: only from the page this worker started at. */
static const struct db_stmt q_advance = DB_STMT("import_advance",
    "UPDATE strava_imports SET page = page + 1, done = done + $3,"
    "       total = $4, requests = requests + 1, attempts = 0,"
    "       status = CASE WHEN $5 THEN 'running' ELSE 'done' END,"
    "       finished_at = CASE WHEN $5 THEN NULL ELSE NOW() END,"
    "       error_message = NULL"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_later = DB_STMT("import_later",
    "UPDATE strava_imports SET next_attempt_at = NOW()"
    "       + make_interval(secs => $3), attempts = attempts + $4,"
    "       requests = requests + $5, error_message = $6,"
    "       locked_until = NULL"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_fail = DB_STMT("import_fail",
    "UPDATE strava_imports SET status = 'failed', error_message = $3,"
    "       requests = requests + $4, locked_until = NULL,"
    "       finished_at = NOW()"
    " WHERE user_id = $1 AND page = $2 AND status = 'running'");
static const struct db_stmt q_release = DB_STMT("import_release",
    "UPDATE strava_imports SET locked_until = NULL"
    " WHERE user_id = $1 AND status = 'running'");
static const struct db_stmt q_more = DB_STMT("import_more",
    "SELECT EXISTS (SELECT 1 FROM strava_imports"
    "                WHERE status IN ('pending', 'running')"
    "                  AND next_attempt_at <= NOW()"
    "                  AND (locked_until IS NULL OR locked_until < NOW()))");
static const struct db_stmt q_token_stale = DB_STMT("import_token_stale",
    "UPDATE users SET strava_token_expires_at = LEAST("
    "       strava_token_expires_at, NOW() AT TIME ZONE 'UTC') WHERE id = $1");
static const struct db_stmt q_cleanup = DB_STMT("import_cleanup_raw",
    "UPDATE strava_activities SET raw_data = NULL"
    " WHERE raw_data IS NOT NULL"
    "   AND updated_at < NOW() - make_interval(days => $1)");

int
import_enqueue(struct db *db, const char *user_id)
{
	PGresult *r;

	if (db_run(db, &q_enqueue, 1, &user_id) != 1 ||
	    (r = db_exec(db, &q_notify, 0, NULL)) == NULL)
		return -1;
	PQclear(r);	/* delivered when the transaction commits */
	return 0;
}

/* One claimed import. */
struct job {
	const struct config	*cfg;
	struct db		*db;
	char			 user_id[40];
	int64_t			 after;
	int			 page;
	int			 done;
	int			 attempts;
};

static void
job_params(const struct job *j, char page[16])
{
	snprintf(page, 16, "%d", j->page);
}

/* Puts the import to sleep for delay seconds; failure counts it. */
static void
later(struct job *j, int delay, bool failure, int requests, const char *why)
{
	char		 page[16], d[16], f[4], rq[8];
	const char	*p[6] = { j->user_id, page, d, f, rq, why };

	job_params(j, page);
	snprintf(d, sizeof(d), "%d", delay);
	snprintf(f, sizeof(f), "%d", failure ? 1 : 0);
	snprintf(rq, sizeof(rq), "%d", requests);
	if (db_run(j->db, &q_later, 6, p) < 0)
		log_warn("import: could not reschedule %s", j->user_id);
	log_info("import %s: page %d again in %d s: %s", j->user_id, j->page,
	    delay, why);
}

static void
fail(struct job *j, int requests, const char *why)
{
	char		 page[16], rq[8];
	const char	*p[4] = { j->user_id, page, why, rq };

	job_params(j, page);
	snprintf(rq, sizeof(rq), "%d", requests);
	if (db_run(j->db, &q_fail, 4, p) < 0)
		log_warn("import: could not record the failure of %s",
		    j->user_id);
	log_warn("import %s failed: %s", j->user_id, why);
}

static int
backoff(int attempts)
{
	int d = 2;

	while (attempts-- > 0 && d < IMPORT_BACKOFF_MAX)
		d *= 2;
	return d < IMPORT_BACKOFF_MAX ? d : IMPORT_BACKOFF_MAX;
}

/* A retryable failure: later, or failed once it keeps happening. */
static void
transient(struct job *j, int requests, int retry_after, const char *why)
{
	if (j->attempts + 1 >= IMPORT_MAX_FAILURES)
		fail(j, requests, why);
	else
		later(j, retry_after > 0 ? retry_after : backoff(j->attempts),
		    true, requests, why);
}

/* The runner's id of an activity element (0 when absent). */
static int64_t
owner_of(const json_t *el)
{
	return json_integer_value(json_object_get(json_object_get(el,
	    "athlete"), "id"));
}

/*
 * Stores one page and advances the checkpoint in one transaction.
 * Returns 0, or -1 (rolled back; the page is fetched again).
 */
static int
store_page(struct job *j, const json_t *arr, int64_t athlete, bool full,
    size_t *stored)
{
	size_t			 n = json_array_size(arr), i, k = 0;
	struct strava_activity	*acts = xcalloc(n + 1, sizeof(*acts));
	char			**raw = xcalloc(n + 1, sizeof(*raw));
	char			 err[ACTIVITY_ERR_MAX], page[16], cnt[16];
	char			 tot[16];
	const char		*p[5];
	struct sync_stats	 st;
	int			 rc = -1;

	for (i = 0; i < n; i++) {
		const json_t *el = json_array_get(arr, i);

		/* Only the runner's own activities, and valid ones. */
		if (owner_of(el) != athlete ||
		    !activity_from_json(el, &acts[k], err)) {
			activity_free(&acts[k]);
			continue;
		}
		raw[k++] = json_dumps(el, JSON_COMPACT);
	}
	memset(&st, 0, sizeof(st));
	if (db_begin(j->db) == -1 || sync_activities(j->db, j->user_id, acts,
	    (const char *const *)raw, k, &st) == -1)
		goto out;
	job_params(j, page);
	snprintf(cnt, sizeof(cnt), "%zu", st.stored);
	snprintf(tot, sizeof(tot), "%zu", (size_t)j->done + st.stored +
	    (full ? IMPORT_PER_PAGE : 0));
	p[0] = j->user_id, p[1] = page, p[2] = cnt, p[3] = tot;
	p[4] = full ? "true" : "false";
	if (db_run(j->db, &q_advance, 5, p) != 1 || db_commit(j->db) == -1)
		goto out;	/* someone else moved it: our work is void */
	*stored = st.stored;
	rc = 0;
out:
	if (rc == -1)
		db_rollback(j->db);
	for (i = 0; i < n; i++) {
		activity_free(&acts[i]);
		free(raw[i]);
	}
	free(acts);
	free(raw);
	return rc;
}

/*
 * Fetches and stores page j->page.  Returns 1 when there is a next page
 * to fetch right away, 0 when the import stops for now (done, waiting,
 * failed), -1 on a database error.
 */
static int
one_page(struct job *j)
{
	struct strava_auth	 auth;
	struct strava_resp	 r;
	enum token_result	 t;
	char			 err[STRAVA_ERR_MAX], path[128];
	size_t			 stored = 0;
	bool			 full;
	int			 rc = 0;
	const char		*uid[1] = { j->user_id };

	t = strava_access_token(j->cfg, j->db, j->user_id, &auth, err,
	    sizeof(err));
	if (t == TOKEN_RETRY) {
		transient(j, 0, auth.retry_after, err);
		return 0;
	}
	if (t != TOKEN_OK) {
		fail(j, 0, err);
		return 0;
	}
	snprintf(path, sizeof(path), "/athlete/activities?after=%" PRId64
	    "&page=%d&per_page=%d", j->after, j->page, IMPORT_PER_PAGE);
	strava_api_get(j->cfg, j->db, auth.access, path, &r);
	sodium_memzero(auth.access, sizeof(auth.access));
	switch (r.status) {
	case STRAVA_OK:
		if (!json_is_array(r.json)) {
			transient(j, 1, 0, "the activity list is not an array");
			break;
		}
		full = json_array_size(r.json) >= IMPORT_PER_PAGE;
		if (store_page(j, r.json, auth.athlete_id, full, &stored) == -1) {
			/* Rolled back (or another worker moved on): again. */
			transient(j, 1, 0, "could not store the page");
			break;
		}
		log_info("import %s: page %d, %zu activities stored%s",
		    j->user_id, j->page, stored, full ? "" : ", done");
		j->page++;
		j->done += (int)stored;
		j->attempts = 0;
		rc = full ? 1 : 0;
		break;
	case STRAVA_RATE_LIMITED:
		/* Not a failure: wait for the window the headers imply. */
		later(j, r.retry_after, false, r.http != 0, r.err);
		break;
	case STRAVA_UNAUTHORIZED:
		if (strava_missing_scope(r.body.data, r.body.len, err,
		    sizeof(err))) {
			/* No refresh grants a scope: the runner must
			 * authorize again (tokens.h); the import stops. */
			token_needs_scope(j->db, j->user_id, err);
			fail(j, 1, "Strava says the token lacks a scope: "
			    "the runner must authorize again");
			break;
		}
		/* Expired early or revoked: refresh before the next try; a
		 * refused refresh then marks the connection broken. */
		db_run(j->db, &q_token_stale, 1, uid);
		transient(j, 1, 0, "Strava refused the access token");
		break;
	default:
		transient(j, r.http != 0, r.retry_after, r.err);
		break;
	}
	strava_resp_free(&r);
	return rc;
}

long
import_cleanup_raw(const struct config *cfg, struct db *db)
{
	char		 days[16];
	const char	*p[1] = { days };

	snprintf(days, sizeof(days), "%d", cfg->raw_data_days);
	return db_run(db, &q_cleanup, 1, p);
}

int
import_work(const struct config *cfg, struct db *db, time_t *last_cleanup)
{
	struct job	 j;
	char		 lease[16];
	const char	*p[1] = { lease };
	PGresult	*r;
	int		 i, step = 1, more;

	if (last_cleanup != NULL &&
	    time(NULL) - *last_cleanup >= IMPORT_CLEANUP_SECONDS) {
		*last_cleanup = time(NULL);
		if (import_cleanup_raw(cfg, db) > 0)
			log_info("import: old raw activity data removed");
	}
	snprintf(lease, sizeof(lease), "%d", IMPORT_LEASE_SECONDS);
	if ((r = db_exec(db, &q_claim, 1, p)) == NULL)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 0;
	}
	memset(&j, 0, sizeof(j));
	j.cfg = cfg;
	j.db = db;
	snprintf(j.user_id, sizeof(j.user_id), "%s", db_val(r, 0, 0));
	j.after = db_long(r, 0, 1);
	j.page = (int)db_long(r, 0, 2);
	j.done = (int)db_long(r, 0, 3);
	j.attempts = (int)db_long(r, 0, 4);
	PQclear(r);

	for (i = 0; i < IMPORT_PAGES_PER_TURN && step == 1; i++)
		step = one_page(&j);
	if (step == 1) {
		const char *u[1] = { j.user_id };

		db_run(db, &q_release, 1, u);	/* others' turn, then ours */
	}
	if (step == -1)
		return -1;
	if ((r = db_exec(db, &q_more, 0, NULL)) == NULL)
		return -1;
	more = db_bool(r, 0, 0) ? 1 : 0;
	PQclear(r);
	return more;
}
