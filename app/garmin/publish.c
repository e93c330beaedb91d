/*
 * publish: see publish.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "db/db.h"
#include "db/garmin.h"
#include "db/plan_view.h"
#include "domain/workout_spec.h"
#include "garmin/client.h"
#include "garmin/connection.h"
#include "garmin/publish.h"
#include "garmin/workout_json.h"
#include "jobs/jobs.h"

#define HASH_HEX	(2 * crypto_generichash_BYTES + 1)

struct publisher {
	struct job_run		*run;
	const char		*user_id;
	char			 access[GARMIN_TOKEN_MAX];
	char			*err;
	size_t			 errlen;
};

static int
append(const char *s, size_t n, void *arg)
{
	buf_add(arg, s, n);
	return 0;
}

/* The workout's Training API JSON (new reference) and its hash. */
static json_t *
workout_body(arena_t *a, const struct db_garmin_upcoming *u,
    char hash[HASH_HEX])
{
	const char		*key = plan_view_type_key(u->type);
	const char		*name;
	struct ws_workout	 steps;
	unsigned char		 h[crypto_generichash_BYTES];
	char			 err[128];
	buf_t			 text = BUF_INIT;
	json_t			*j;

	if (workout_steps_of(key, u->distance_m, u->pace_fast, u->pace_slow,
	    u->description, &steps, err, sizeof(err)) == -1)
		return NULL;
	name = arena_printf(a, "Cadence %s %s", plan_view_type_name(key),
	    u->date);
	if ((j = garmin_workout_json(&steps, name, plan_view_type_name(key),
	    0)) == NULL)
		return NULL;
	buf_printf(&text, "%s\n", u->date);
	json_dump_callback(j, append, &text, JSON_COMPACT | JSON_SORT_KEYS);
	crypto_generichash(h, sizeof(h), (const unsigned char *)text.data,
	    text.len, NULL, 0);
	sodium_bin2hex(hash, HASH_HEX, h, sizeof(h));
	buf_free(&text);
	return j;
}

/* A failed call: the note, and whether to try again. */
static int
call_failed(struct publisher *p, const struct garmin_resp *r,
    const char *what)
{
	snprintf(p->err, p->errlen, "%s: %s", what, r->err);
	if (r->status == GARMIN_RATE_LIMITED)
		p->run->retry_after = r->retry_after;
	return -1;
}

/* Deletes a published workout (and so its schedule); gone already is fine. */
static int
unpublish(struct publisher *p, int64_t garmin_workout_id,
    const char *workout_id)
{
	struct garmin_resp	 r;
	char			 path[96];

	snprintf(path, sizeof(path), "/training-api/workout/v2/%" PRId64,
	    garmin_workout_id);
	garmin_api(p->run->cfg, "DELETE", path, NULL, p->access, &r);
	if (r.status != GARMIN_OK && r.status != GARMIN_NOT_FOUND) {
		call_failed(p, &r, "delete workout");
		garmin_resp_free(&r);
		return -1;
	}
	garmin_resp_free(&r);
	return db_garmin_published_drop(p->run->db, p->user_id, workout_id);
}

/* Creates the workout and its schedule, then remembers them. */
static int
publish_one(struct publisher *p, const struct db_garmin_upcoming *u,
    json_t *body, const char *hash)
{
	struct garmin_resp	 r;
	json_t			*s;
	int64_t			 gw, gs;

	garmin_api(p->run->cfg, "POST", "/workoutportal/workout/v2", body,
	    p->access, &r);
	if (r.status != GARMIN_OK)
		goto failed_workout;
	gw = json_integer_value(json_object_get(r.json, "workoutId"));
	garmin_resp_free(&r);
	if (gw <= 0) {
		snprintf(p->err, p->errlen, "create workout: no workoutId");
		return -1;
	}
	s = json_pack("{s:I, s:s}", "workoutId", (json_int_t)gw, "date",
	    u->date);
	garmin_api(p->run->cfg, "POST", "/training-api/schedule/", s,
	    p->access, &r);
	json_decref(s);
	if (r.status != GARMIN_OK) {
		call_failed(p, &r, "schedule");
		garmin_resp_free(&r);
		/* Not remembered: the unscheduled workout goes too. */
		(void)unpublish(p, gw, u->workout_id);
		return -1;
	}
	gs = json_is_integer(r.json) ? json_integer_value(r.json) : 0;
	garmin_resp_free(&r);
	return db_garmin_published_save(p->run->db, p->user_id, u->workout_id,
	    gw, gs, u->date, hash);
failed_workout:
	call_failed(p, &r, "create workout");
	garmin_resp_free(&r);
	return -1;
}

static const struct db_garmin_published *
find_published(const struct db_garmin_published *pub, int n, const char *id)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(pub[i].workout_id, id) == 0)
			return &pub[i];
	return NULL;
}

static bool
upcoming_has(const struct db_garmin_upcoming *up, int n, const char *id)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(up[i].workout_id, id) == 0)
			return true;
	return false;
}

/* The whole window; -1 at the first failure (err set), -2 database. */
static int
publish_window(struct publisher *p, arena_t *a, int *sent, int *removed)
{
	struct db_garmin_upcoming	*up;
	struct db_garmin_published	*pub;
	const struct db_garmin_published *old;
	char				 hash[HASH_HEX];
	json_t				*body;
	int				 nup, npub, i, rc;

	if ((nup = db_garmin_upcoming(p->run->db, a, p->user_id, &up)) < 0 ||
	    (npub = db_garmin_published_list(p->run->db, a, p->user_id,
	    &pub)) < 0)
		return -2;
	for (i = 0; i < npub; i++) {
		if (pub[i].past || upcoming_has(up, nup, pub[i].workout_id))
			continue;
		if (unpublish(p, pub[i].garmin_workout_id,
		    pub[i].workout_id) == -1)
			return -1;
		(*removed)++;
	}
	for (i = 0; i < nup; i++) {
		if ((body = workout_body(a, &up[i], hash)) == NULL)
			continue;	/* no steps: nothing Garmin would take */
		old = find_published(pub, npub, up[i].workout_id);
		rc = 0;
		if (old != NULL && strcmp(old->hash, hash) == 0) {
			json_decref(body);
			continue;
		}
		if (old != NULL)
			rc = unpublish(p, old->garmin_workout_id,
			    up[i].workout_id);
		if (rc == 0)
			rc = publish_one(p, &up[i], body, hash);
		json_decref(body);
		if (rc == -1)
			return -1;
		(*sent)++;
	}
	return 0;
}

static enum job_result
publish_job(struct job_run *run, const struct job *job, char *err,
    size_t errlen)
{
	struct db_garmin_tokens	 t;
	struct publisher	 p;
	arena_t			 a;
	int			 found, rc, sent = 0, removed = 0;
	enum job_result		 res;

	if (job->user_id == NULL)
		return JOB_FAIL;
	if ((found = db_garmin_tokens(run->db, job->user_id, false, &t)) < 0)
		return JOB_RETRY;
	if (found == 0 || !t.connected ||
	    strstr(t.permissions, "WORKOUT_IMPORT") == NULL) {
		snprintf(err, errlen, "not connected with WORKOUT_IMPORT");
		return JOB_SKIP;
	}
	memset(&p, 0, sizeof(p));
	p.run = run;
	p.user_id = job->user_id;
	p.err = err;
	p.errlen = errlen;
	switch (garmin_access_token(run->cfg, run->db, job->user_id, p.access,
	    &run->retry_after, err, errlen)) {
	case GARMIN_TOKEN_OK:
		break;
	case GARMIN_TOKEN_RETRY:
		return JOB_RETRY;
	default:
		(void)db_garmin_publish_result(run->db, job->user_id, err);
		return JOB_SKIP;
	}
	arena_init(&a);
	rc = publish_window(&p, &a, &sent, &removed);
	arena_free(&a);
	sodium_memzero(p.access, sizeof(p.access));
	if (rc == -2) {
		snprintf(err, errlen, "database error");
		return JOB_RETRY;
	}
	if (rc == -1) {
		/* Shown on settings; the queue tries again with backoff. */
		(void)db_garmin_publish_result(run->db, job->user_id, err);
		return JOB_RETRY;
	}
	res = db_garmin_publish_result(run->db, job->user_id, NULL) == 0 ?
	    JOB_OK : JOB_RETRY;
	snprintf(err, errlen, "%d published, %d removed", sent, removed);
	return res;
}

void
garmin_publish_register(void)
{
	jobs_register_kind(GARMIN_KIND_PUBLISH, publish_job);
}
