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
#include "db/strava.h"
#include "db/strava_import.h"
#include "strava/client.h"
#include "strava/import.h"
#include "strava/sync.h"
#include "strava/tokens.h"

int
import_enqueue(struct db *db, const char *user_id)
{
	return db_import_enqueue(db, user_id);
}

/* A turn of one runner's import. */
struct import {
	const struct config	*cfg;
	struct db		*db;
	const char		*user_id;
	int64_t			 after;
	int			 page;
	int			 done;
	bool			 progressed;	/* pages stored this turn */
	/* How the turn ended, once it did: */
	enum job_result		 r;
	int			 retry_after;
	char			*err;
	size_t			 errlen;
};

/*
 * Ends the turn short of the end with r: records the requests made and
 * why on the import; the job queue decides when it goes on.  A failure
 * after pages were stored this turn spends no attempt (deferred): the
 * queue gives up only imports that make no progress.
 */
static void
stop(struct import *j, enum job_result r, int requests, int retry_after,
    const char *why)
{
	if (db_import_note(j->db, j->user_id, j->page, requests, why) == -1)
		log_warn("import: could not record the stop of %s", j->user_id);
	if (r == JOB_RETRY && j->progressed)
		r = JOB_DEFER;
	j->r = r;
	j->retry_after = retry_after;
	if (why != j->err)
		snprintf(j->err, j->errlen, "page %d: %s", j->page, why);
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
store_page(struct import *j, const json_t *arr, int64_t athlete, bool full,
    size_t *stored)
{
	size_t			 n = json_array_size(arr), i, k = 0;
	struct strava_activity	*acts = xcalloc(n + 1, sizeof(*acts));
	char			**raw = xcalloc(n + 1, sizeof(*raw));
	char			 err[ACTIVITY_ERR_MAX];
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
	if (db_import_advance(j->db, j->user_id, j->page, (long)st.stored,
	    (long)j->done + (long)st.stored + (full ? IMPORT_PER_PAGE : 0),
	    full) != 1 || db_commit(j->db) == -1)
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
 * to fetch right away, 0 when the turn ends (j->r says how).
 */
static int
one_page(struct import *j)
{
	struct strava_auth	 auth;
	struct strava_resp	 r;
	enum token_result	 t;
	char			 err[STRAVA_ERR_MAX], path[128];
	size_t			 stored = 0;
	bool			 full;
	int			 rc = 0;

	t = strava_access_token(j->cfg, j->db, j->user_id, &auth, err,
	    sizeof(err));
	if (t == TOKEN_RETRY) {
		stop(j, JOB_RETRY, 0, auth.retry_after, err);
		return 0;
	}
	if (t != TOKEN_OK) {
		stop(j, JOB_FAIL, 0, 0, err);
		return 0;
	}
	snprintf(path, sizeof(path), "/athlete/activities?after=%" PRId64
	    "&page=%d&per_page=%d", j->after, j->page, IMPORT_PER_PAGE);
	strava_api_get(j->cfg, j->db, auth.access, path, &r);
	sodium_memzero(auth.access, sizeof(auth.access));
	switch (r.status) {
	case STRAVA_OK:
		if (!json_is_array(r.json)) {
			stop(j, JOB_RETRY, 1, 0,
			    "the activity list is not an array");
			break;
		}
		full = json_array_size(r.json) >= IMPORT_PER_PAGE;
		if (store_page(j, r.json, auth.athlete_id, full, &stored) == -1) {
			/* Rolled back (or another worker moved on): again. */
			stop(j, JOB_RETRY, 1, 0, "could not store the page");
			break;
		}
		log_info("import %s: page %d, %zu activities stored%s",
		    j->user_id, j->page, stored, full ? "" : ", done");
		j->page++;
		j->done += (int)stored;
		j->progressed = true;
		if (!full) {
			j->r = JOB_OK;
			snprintf(j->err, j->errlen, "done: %d activities",
			    j->done);
		}
		rc = full ? 1 : 0;
		break;
	case STRAVA_RATE_LIMITED:
		/* Not a failure: wait for the window the headers imply. */
		stop(j, JOB_DEFER, r.http != 0, r.retry_after, r.err);
		break;
	case STRAVA_UNAUTHORIZED:
		if (strava_missing_scope(r.body.data, r.body.len, err,
		    sizeof(err))) {
			/* No refresh grants a scope: the runner must
			 * authorize again (tokens.h); the import stops. */
			token_needs_scope(j->db, j->user_id, err);
			stop(j, JOB_FAIL, 1, 0, "Strava says the token lacks "
			    "a scope: the runner must authorize again");
			break;
		}
		/* Expired early or revoked: refresh before the next try; a
		 * refused refresh then marks the connection broken. */
		db_strava_token_stale(j->db, j->user_id);
		stop(j, JOB_RETRY, 1, 0, "Strava refused the access token");
		break;
	default:
		stop(j, JOB_RETRY, r.http != 0, r.retry_after, r.err);
		break;
	}
	strava_resp_free(&r);
	return rc;
}

long
import_cleanup_raw(const struct config *cfg, struct db *db)
{
	return db_import_cleanup_raw(db, cfg->raw_data_days);
}

void
import_cleanup_due(const struct config *cfg, struct db *db, time_t *last)
{
	if (time(NULL) - *last < IMPORT_CLEANUP_SECONDS)
		return;
	*last = time(NULL);
	if (import_cleanup_raw(cfg, db) > 0)
		log_info("import: old raw activity data removed");
}

enum job_result
import_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	struct import		 j;
	struct db_import	 row;
	int			 i, more = 1;

	switch (job->user_id == NULL ? 0 :
	    db_import_start(run->db, job->user_id, &row)) {
	case -1:
		snprintf(err, errlen, "database error starting the import");
		return JOB_RETRY;
	case 0:
		snprintf(err, errlen, "no import waiting (finished, or the "
		    "runner disconnected)");
		return JOB_SKIP;
	}
	memset(&j, 0, sizeof(j));
	j.cfg = run->cfg;
	j.db = run->db;
	j.user_id = job->user_id;
	j.after = row.after;
	j.page = row.page;
	j.done = row.done;
	j.err = err;
	j.errlen = errlen;
	for (i = 0; i < IMPORT_PAGES_PER_TURN && more == 1; i++)
		more = one_page(&j);
	if (more == 1) {
		/* Others' turn, then ours: no attempt spent. */
		snprintf(err, errlen, "page %d next", j.page);
		run->retry_after = IMPORT_TURN_DELAY;
		return JOB_DEFER;
	}
	run->retry_after = j.retry_after;
	return j.r;
}
