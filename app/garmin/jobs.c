/*
 * garmin/jobs: see jobs.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/log.h"
#include "db/activity_files.h"
#include "db/db.h"
#include "db/garmin.h"
#include "files/activity_route.h"
#include "garmin/client.h"
#include "garmin/connection.h"
#include "garmin/details.h"
#include "garmin/jobs.h"
#include "garmin/notifications.h"
#include "garmin/publish.h"
#include "jobs/jobs.h"
#include "strava/sync.h"

#define NAME_MAX_BYTES	255

/* The job's runner, still linked to the Garmin user it names. */
static enum job_result
still_linked(struct job_run *run, const struct job *job, json_t *payload,
    char *err, size_t errlen)
{
	struct db_garmin_tokens	 t;
	const char		*guser = json_string_value(json_object_get(
				    payload, "garmin_user_id"));
	int			 found;

	if (job->user_id == NULL || guser == NULL) {
		snprintf(err, errlen, "payload without a runner");
		return JOB_FAIL;
	}
	if ((found = db_garmin_tokens(run->db, job->user_id, false, &t)) == -1)
		return JOB_RETRY;
	if (found == 0 || !t.connected || strcmp(t.garmin_user_id, guser) != 0) {
		snprintf(err, errlen, "the runner is no longer linked to that "
		    "Garmin user");
		return JOB_SKIP;
	}
	return JOB_OK;
}

/* The runner's token, with what to do when there is none. */
static enum job_result
token(struct job_run *run, const struct job *job, char access[GARMIN_TOKEN_MAX],
    char *err, size_t errlen)
{
	switch (garmin_access_token(run->cfg, run->db, job->user_id, access,
	    &run->retry_after, err, errlen)) {
	case GARMIN_TOKEN_OK:
		return JOB_OK;
	case GARMIN_TOKEN_RETRY:
		return JOB_RETRY;
	case GARMIN_TOKEN_ERROR:
		return JOB_FAIL;
	default:
		return JOB_SKIP;	/* not connected, or reconnect needed */
	}
}

/* A REST failure as a job outcome. */
static enum job_result
failed(struct job_run *run, const struct garmin_resp *r, const char *what,
    char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s (%s)", what, r->err,
	    garmin_status_name(r->status));
	if (r->status == GARMIN_RATE_LIMITED)
		run->retry_after = r->retry_after;
	return garmin_retryable(r->status) ||
	    r->status == GARMIN_UNAUTHORIZED ? JOB_RETRY : JOB_FAIL;
}

/* ---- garmin.activity ----------------------------------------------------- */

static const char *
sport_type(const char *garmin)
{
	if (garmin == NULL)
		return NULL;
	if (strcmp(garmin, "RUNNING") == 0 ||
	    strcmp(garmin, "TREADMILL_RUNNING") == 0 ||
	    strcmp(garmin, "STREET_RUNNING") == 0 ||
	    strcmp(garmin, "TRACK_RUNNING") == 0 ||
	    strcmp(garmin, "INDOOR_RUNNING") == 0)
		return "Run";
	if (strcmp(garmin, "TRAIL_RUNNING") == 0)
		return "TrailRun";
	return NULL;	/* Cadence plans runs only */
}

/* A summary into a run; false if it is not a usable run. */
static bool
summary_run(const json_t *s, struct db_garmin_run *g, char *name)
{
	json_t	*start = json_object_get(s, "startTimeInSeconds");
	json_t	*dur = json_object_get(s, "durationInSeconds");
	json_t	*dist = json_object_get(s, "distanceInMeters");
	json_t	*hr = json_object_get(s, "averageHeartRateInBeatsPerMinute");
	json_t	*gain = json_object_get(s, "totalElevationGainInMeters");
	const char *n = json_string_value(json_object_get(s, "activityName"));

	memset(g, 0, sizeof(*g));
	g->summary_id = json_string_value(json_object_get(s, "summaryId"));
	g->sport_type = sport_type(json_string_value(json_object_get(s,
	    "activityType")));
	if (g->summary_id == NULL || strlen(g->summary_id) >= 64 ||
	    g->sport_type == NULL || !json_is_integer(start) ||
	    !json_is_number(dur) || !json_is_number(dist) ||
	    json_integer_value(start) < 946684800 ||	/* 2000 */
	    json_integer_value(start) > (json_int_t)time(NULL) + 86400 ||
	    json_number_value(dur) < 0 || json_number_value(dur) > 7 * 86400 ||
	    json_number_value(dist) < 0 || json_number_value(dist) > 1e6)
		return false;
	snprintf(name, NAME_MAX_BYTES + 1, "%s", n != NULL && *n ? n :
	    "Run from Garmin");
	g->name = name;
	g->start_epoch = json_integer_value(start);
	g->distance_m = (int)(json_number_value(dist) + 0.5);
	g->moving_s = g->elapsed_s = (int)(json_number_value(dur) + 0.5);
	g->average_hr = json_is_number(hr) ? json_number_value(hr) : 0;
	g->elevation_gain = json_is_number(gain) &&
	    json_number_value(gain) >= 0 && json_number_value(gain) <= 20000 ?
	    json_number_value(gain) : -1;
	return true;
}

/*
 * Stores one confirmed run in the caller's transaction: nothing if known,
 * a copy of the same run shown from Strava or from a source the runner
 * chose, else a row of its own (which folds a file run): sql/026.  lo and
 * hi widen to its date.
 */
static int
store_run(struct db *db, const char *user_id, const struct db_garmin_run *g,
    date_t *lo, date_t *hi, int *stored)
{
	char		 id[40];
	date_t		 d;
	int		 rc;

	if ((rc = db_garmin_run_known(db, user_id, g->summary_id)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = db_garmin_run_insert(db, user_id, g, id, &d)) != 0)
		return rc == 1 ? 0 : -1;	/* 1: a copy of a run shown */
	(*stored)++;
	if (d < *lo)
		*lo = d;
	if (d > *hi)
		*hi = d;
	return 0;
}

/* The runs of the pulled summaries (only want's when set), matched. */
static int
store_pulled(struct db *db, const char *user_id, const json_t *list,
    const char *want, int *stored, int *confirmed)
{
	char			 name[NAME_MAX_BYTES + 1];
	struct db_garmin_run	 g;
	date_t			 lo = INT32_MAX, hi = INT32_MIN;
	const json_t		*s;
	size_t			 i;

	if (db_begin(db) == -1)
		return -1;
	json_array_foreach(list, i, s) {
		const char *sid = json_string_value(json_object_get(s,
		    "summaryId"));

		if (want != NULL && (sid == NULL || strcmp(sid, want) != 0))
			continue;
		(*confirmed)++;
		if (summary_run(s, &g, name) &&
		    store_run(db, user_id, &g, &lo, &hi, stored) == -1)
			goto fail;
	}
	if (lo <= hi && sync_rematch(db, user_id, lo, hi, NULL) == -1)
		goto fail;
	if (*confirmed > 0 && db_garmin_synced(db, user_id) == -1)
		goto fail;
	if (db_commit(db) == 0)
		return 0;
fail:
	db_rollback(db);
	return -1;
}

/* The upload window to pull: a ping names it, a push is around receipt. */
static bool
window(const json_t *p, int64_t *from, int64_t *to)
{
	json_t *rcv = json_object_get(p, "received");

	if (json_is_integer(json_object_get(p, "upload_start"))) {
		*from = json_integer_value(json_object_get(p, "upload_start"));
		*to = json_integer_value(json_object_get(p, "upload_end"));
	} else if (json_is_integer(rcv)) {
		*from = json_integer_value(rcv) - GARMIN_PUSH_LOOKBACK;
		*to = json_integer_value(rcv) + GARMIN_PUSH_LOOKAHEAD;
	} else {
		return false;
	}
	if (*to - *from > GARMIN_PULL_MAX)
		*from = *to - GARMIN_PULL_MAX;
	return *to > *from;
}

/* GETs path with the token; a JOB_OK leaves the list in r->json. */
static enum job_result
pull(struct job_run *run, const char *path, const char *access,
    struct garmin_resp *r, char *err, size_t errlen)
{
	garmin_api(run->cfg, "GET", path, NULL, access, r);
	if (r->status == GARMIN_NOT_PERMITTED) {
		snprintf(err, errlen, "the runner does not share activities");
		return JOB_SKIP;
	}
	if (r->status != GARMIN_OK)
		return failed(run, r, "pull", err, errlen);
	if (!json_is_array(r->json)) {
		snprintf(err, errlen, "pull: not a list");
		return JOB_RETRY;
	}
	return JOB_OK;
}

static void
pull_path(char *path, size_t n, const char *what, int64_t from, int64_t to)
{
	snprintf(path, n, "/wellness-api/rest/%s?uploadStartTimeInSeconds=%"
	    PRId64 "&uploadEndTimeInSeconds=%" PRId64, what, from, to);
}

/*
 * What a notified job begins with: the link still there, the token, the
 * notification's window and Garmin's list of `what` in it (in r on
 * JOB_OK; r is always safe to free).  *want: the one summary a push
 * named, or NULL.
 */
static enum job_result
pull_notified(struct job_run *run, const struct job *job, json_t *p,
    const char *what, char access[GARMIN_TOKEN_MAX], struct garmin_resp *r,
    const char **want, int64_t *from, int64_t *to, char *err, size_t errlen)
{
	char		 path[160];
	enum job_result	 res;

	memset(r, 0, sizeof(*r));
	*want = NULL;
	if ((res = still_linked(run, job, p, err, errlen)) != JOB_OK ||
	    (res = token(run, job, access, err, errlen)) != JOB_OK)
		return res;
	if (!window(p, from, to)) {
		snprintf(err, errlen, "payload without a window");
		return JOB_FAIL;
	}
	*want = json_string_value(json_object_get(p, "summary_id"));
	pull_path(path, sizeof(path), what, *from, *to);
	return pull(run, path, access, r, err, errlen);
}

static enum job_result
activity_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(job->payload, 0, NULL);
	const char		*want;
	char			 access[GARMIN_TOKEN_MAX];
	struct garmin_resp	 r;
	enum job_result		 res;
	int64_t			 from, to;
	int			 stored = 0, confirmed = 0;

	res = pull_notified(run, job, p, "activities", access, &r, &want,
	    &from, &to, err, errlen);
	sodium_memzero(access, sizeof(access));
	if (res != JOB_OK) {
		/* err says why */
	} else if (store_pulled(run->db, job->user_id, r.json, want, &stored,
	    &confirmed) == -1) {
		snprintf(err, errlen, "database error storing Garmin runs");
		res = JOB_RETRY;
	} else if (want != NULL && confirmed == 0) {
		/* Forged, or not Garmin's: nothing changes. */
		snprintf(err, errlen, "summary %s not confirmed by Garmin", want);
		res = JOB_SKIP;
	} else {
		snprintf(err, errlen, "%d stored of %d", stored, confirmed);
		res = JOB_OK;
	}
	garmin_resp_free(&r);
	json_decref(p);
	return res;
}

/* ---- garmin.details ------------------------------------------------------- */

/* What one details job did, for its note. */
struct details_tally {
	int	confirmed, stored, refused, no_run;
};

/*
 * The details' route, laps, splits and climb on their run, and its day
 * matched again, in one transaction.  1 stored, 0 no Garmin run of that
 * summary, -1.
 */
static int
store_details(struct db *db, const char *user_id, struct garmin_details *g)
{
	struct db_garmin_details	 d;
	arena_t				 ar;
	char				 id[40];
	date_t				 day;
	int				 rc;

	if (db_begin(db) == -1)
		return -1;
	if ((rc = db_garmin_details_row(db, user_id, g->summary_id, id,
	    &day)) != 1) {
		db_rollback(db);
		return rc;
	}
	arena_init(&ar);
	d.polyline = af_route_polyline(&ar, &g->act);
	d.splits = af_run_splits(&ar, &g->act);
	d.climb_m = g->elevation_gain >= 0 ? g->elevation_gain :
	    af_climb_m(&g->act);
	rc = db_garmin_details_store(db, user_id, id, &d);
	arena_free(&ar);
	if (rc == 1 && sync_rematch(db, user_id, day, day, NULL) == -1)
		rc = -1;
	if (rc != 1 || db_commit(db) == -1) {
		db_rollback(db);
		return rc == 0 ? 0 : -1;
	}
	return 1;
}

/*
 * Each pulled record (only want's when set) read and stored on its run.
 * A record whose run is not stored yet (its activity notification still
 * waiting) has the activities of the same window pulled and stored
 * first, once (as garmin.activity would store them).  0 or -1.
 */
static int
details_pulled(struct job_run *run, const char *user_id, const json_t *list,
    const char *want, const char *access, int64_t from, int64_t to,
    struct details_tally *t)
{
	struct garmin_details	 g;
	struct garmin_resp	 r;
	const json_t		*d;
	char			 err[AF_ERR_MAX], path[160], note[GARMIN_ERR_MAX];
	bool			 pulled = false;
	size_t			 i;
	int			 rc, stored = 0, confirmed = 0;

	json_array_foreach(list, i, d) {
		const char *sid = json_string_value(json_object_get(d,
		    "summaryId"));

		if (want != NULL && (sid == NULL || strcmp(sid, want) != 0))
			continue;
		t->confirmed++;
		if (garmin_details_read(d, &g, err, sizeof(err)) == -1) {
			log_warn("garmin details %.64s of runner %s refused: %s",
			    sid != NULL ? sid : "(no id)", user_id, err);
			t->refused++;
			garmin_details_free(&g);
			continue;
		}
		rc = store_details(run->db, user_id, &g);
		if (rc == 0 && !pulled) {
			pulled = true;
			pull_path(path, sizeof(path), "activities", from, to);
			if (pull(run, path, access, &r, note, sizeof(note)) ==
			    JOB_OK && store_pulled(run->db, user_id, r.json,
			    NULL, &stored, &confirmed) == -1)
				rc = -1;
			garmin_resp_free(&r);
			if (rc == 0)
				rc = store_details(run->db, user_id, &g);
		}
		garmin_details_free(&g);
		if (rc == -1)
			return -1;
		if (rc == 0)
			t->no_run++;
		else
			t->stored++;
	}
	return 0;
}

static enum job_result
details_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(job->payload, 0, NULL);
	const char		*want;
	char			 access[GARMIN_TOKEN_MAX];
	struct garmin_resp	 r;
	struct details_tally	 t = { 0, 0, 0, 0 };
	enum job_result		 res;
	int64_t			 from, to;

	/* The token stays for details_pulled: it may pull the runs first. */
	if ((res = pull_notified(run, job, p, "activityDetails", access, &r,
	    &want, &from, &to, err, errlen)) != JOB_OK) {
		/* err says why */
	} else if (details_pulled(run, job->user_id, r.json, want, access,
	    from, to, &t) == -1) {
		snprintf(err, errlen, "database error storing Garmin details");
		res = JOB_RETRY;
	} else if (want != NULL && t.confirmed == 0) {
		/* Forged, or not Garmin's: nothing changes. */
		snprintf(err, errlen, "details %s not confirmed by Garmin", want);
		res = JOB_SKIP;
	} else {
		snprintf(err, errlen, "details stored on %d runs of %d (%d "
		    "refused, %d without a Garmin run)", t.stored, t.confirmed,
		    t.refused, t.no_run);
		res = JOB_OK;
	}
	sodium_memzero(access, sizeof(access));
	garmin_resp_free(&r);
	json_decref(p);
	return res;
}

/* ---- garmin.deregistration ----------------------------------------------- */

static enum job_result
deregistration_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(job->payload, 0, NULL);
	char			 access[GARMIN_TOKEN_MAX];
	struct garmin_resp	 r;
	enum job_result		 res;
	bool			 gone;

	if ((res = still_linked(run, job, p, err, errlen)) != JOB_OK)
		goto out;
	switch (garmin_access_token(run->cfg, run->db, job->user_id, access,
	    &run->retry_after, err, errlen)) {
	case GARMIN_TOKEN_OK:
		/* Believed only if Garmin refuses the token now. */
		garmin_api(run->cfg, "GET", "/wellness-api/rest/user/id", NULL,
		    access, &r);
		sodium_memzero(access, sizeof(access));
		gone = r.status == GARMIN_UNAUTHORIZED;
		if (!gone && r.status != GARMIN_OK)
			res = failed(run, &r, "user id", err, errlen);
		garmin_resp_free(&r);
		if (!gone && res != JOB_OK)
			goto out;
		break;
	case GARMIN_TOKEN_BROKEN:
		gone = true;	/* the refresh token was refused */
		break;
	case GARMIN_TOKEN_RETRY:
		res = JOB_RETRY;
		goto out;
	default:
		res = JOB_FAIL;
		goto out;
	}
	if (!gone) {
		snprintf(err, errlen, "Garmin still accepts the token: not "
		    "believed");
		res = JOB_SKIP;
	} else if (db_garmin_unlink(run->db, job->user_id) < 0) {
		snprintf(err, errlen, "database error unlinking");
		res = JOB_RETRY;
	} else {
		snprintf(err, errlen, "deregistered: link and Garmin runs "
		    "deleted");
		res = JOB_OK;
	}
out:
	json_decref(p);
	return res;
}

/* ---- garmin.permissions -------------------------------------------------- */

static enum job_result
permissions_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(job->payload, 0, NULL), *v;
	char			 access[GARMIN_TOKEN_MAX];
	struct garmin_resp	 r;
	enum job_result		 res;
	buf_t			 perms = BUF_INIT;
	size_t			 i;

	if ((res = still_linked(run, job, p, err, errlen)) != JOB_OK ||
	    (res = token(run, job, access, err, errlen)) != JOB_OK)
		goto out;
	garmin_api(run->cfg, "GET", "/wellness-api/rest/user/permissions",
	    NULL, access, &r);
	sodium_memzero(access, sizeof(access));
	if (r.status != GARMIN_OK || !json_is_array(r.json)) {
		res = r.status != GARMIN_OK ? failed(run, &r, "permissions",
		    err, errlen) : JOB_RETRY;
		garmin_resp_free(&r);
		goto out;
	}
	json_array_foreach(r.json, i, v) {
		const char *s = json_string_value(v);

		if (s == NULL || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") !=
		    strlen(s) || perms.len + strlen(s) + 2 >= DB_GARMIN_PERMS_MAX)
			continue;
		if (perms.len > 0)
			buf_putc(&perms, ',');
		buf_puts(&perms, s);
	}
	garmin_resp_free(&r);
	if (db_garmin_permissions_set(run->db, job->user_id,
	    buf_cstr(&perms)) == -1) {
		res = JOB_RETRY;
		snprintf(err, errlen, "database error");
	} else {
		snprintf(err, errlen, "permissions now %s", buf_cstr(&perms));
	}
	buf_free(&perms);
out:
	json_decref(p);
	return res;
}

/* ---- garmin.backfill ------------------------------------------------------ */

/*
 * The last GARMIN_BACKFILL_DAYS of history, asked once after connecting,
 * only with HISTORICAL_DATA_EXPORT (Garmin answers 412 without it): the
 * activities, then their details.  Garmin answers 202 and sends them
 * later as notifications, which garmin.activity and garmin.details
 * confirm and store like any other.  A 409 (that window asked already,
 * as when this job is retried after the first request) counts as asked.
 */
static enum job_result
backfill_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	static const char *const what[] = { "activities", "activityDetails" };
	struct db_garmin_tokens	 t;
	struct garmin_resp	 r;
	char			 access[GARMIN_TOKEN_MAX], path[192];
	int64_t			 now = (int64_t)time(NULL);
	enum job_result		 res = JOB_OK;
	size_t			 i;
	int			 found;

	if (job->user_id == NULL)
		return JOB_FAIL;
	if ((found = db_garmin_tokens(run->db, job->user_id, false, &t)) < 0)
		return JOB_RETRY;
	if (found == 0 || !t.connected) {
		snprintf(err, errlen, "not connected");
		return JOB_SKIP;
	}
	if (strstr(t.permissions, "HISTORICAL_DATA_EXPORT") == NULL) {
		snprintf(err, errlen, "no HISTORICAL_DATA_EXPORT: no backfill");
		return JOB_SKIP;
	}
	if ((res = token(run, job, access, err, errlen)) != JOB_OK)
		return res;
	for (i = 0; i < sizeof(what) / sizeof(what[0]) && res == JOB_OK; i++) {
		snprintf(path, sizeof(path), "/wellness-api/rest/backfill/%s?"
		    "summaryStartTimeInSeconds=%" PRId64
		    "&summaryEndTimeInSeconds=%" PRId64, what[i],
		    now - GARMIN_BACKFILL_DAYS * 86400, now);
		garmin_api(run->cfg, "GET", path, NULL, access, &r);
		if (r.status == GARMIN_OK || r.status == GARMIN_CONFLICT) {
			snprintf(err, errlen, "backfill of %d days asked (HTTP "
			    "%ld)", GARMIN_BACKFILL_DAYS, r.http);
		} else if (r.status == GARMIN_NOT_PERMITTED) {
			snprintf(err, errlen, "backfill refused: %s", r.err);
			res = JOB_SKIP;
		} else {
			res = failed(run, &r, "backfill", err, errlen);
		}
		garmin_resp_free(&r);
	}
	sodium_memzero(access, sizeof(access));
	return res;
}

void
garmin_jobs_register(void)
{
	jobs_register_kind(GARMIN_KIND_BACKFILL, backfill_job);
	jobs_register_kind(GARMIN_KIND_ACTIVITY, activity_job);
	jobs_register_kind(GARMIN_KIND_DETAILS, details_job);
	jobs_register_kind(GARMIN_KIND_DEREGISTER, deregistration_job);
	jobs_register_kind(GARMIN_KIND_PERMISSIONS, permissions_job);
	garmin_publish_register();	/* workouts out: garmin/publish.h */
}
