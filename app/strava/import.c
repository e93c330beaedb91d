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

/* Puts the import to sleep for delay seconds; failure counts it. */
static void
later(struct job *j, int delay, bool failure, int requests, const char *why)
{
	if (db_import_later(j->db, j->user_id, j->page, delay, failure,
	    requests, why) == -1)
		log_warn("import: could not reschedule %s", j->user_id);
	log_info("import %s: page %d again in %d s: %s", j->user_id, j->page,
	    delay, why);
}

static void
fail(struct job *j, int requests, const char *why)
{
	if (db_import_fail(j->db, j->user_id, j->page, requests, why) == -1)
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
		db_strava_token_stale(j->db, j->user_id);
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
	return db_import_cleanup_raw(db, cfg->raw_data_days);
}

int
import_work(const struct config *cfg, struct db *db, time_t *last_cleanup)
{
	struct job		 j;
	struct db_import	 claimed;
	int			 i, step = 1, found;

	if (last_cleanup != NULL &&
	    time(NULL) - *last_cleanup >= IMPORT_CLEANUP_SECONDS) {
		*last_cleanup = time(NULL);
		if (import_cleanup_raw(cfg, db) > 0)
			log_info("import: old raw activity data removed");
	}
	if ((found = db_import_claim(db, IMPORT_LEASE_SECONDS, &claimed)) != 1)
		return found;
	memset(&j, 0, sizeof(j));
	j.cfg = cfg;
	j.db = db;
	snprintf(j.user_id, sizeof(j.user_id), "%s", claimed.user_id);
	j.after = claimed.after;
	j.page = claimed.page;
	j.done = claimed.done;
	j.attempts = claimed.attempts;

	for (i = 0; i < IMPORT_PAGES_PER_TURN && step == 1; i++)
		step = one_page(&j);
	if (step == 1)
		db_import_release(db, j.user_id);	/* others' turn, then ours */
	if (step == -1)
		return -1;
	return db_import_due(db);
}
