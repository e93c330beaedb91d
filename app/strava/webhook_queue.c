/*
 * webhook_queue: see webhook_queue.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "strava/webhook_queue.h"
#include "strava/spool.h"

/* ---- storing events -------------------------------------------------- */

enum queue_store
queue_store_event(struct db *db, const struct webhook_event *ev,
    const char *body, size_t len, const char *spool_id, int64_t our_sub)
{
	struct db_webhook_in	 in;
	char			 why[DB_INTAKE_WHY_MAX];
	char			*json = xstrndup(body, len);	/* a C string */
	enum db_intake		 rc;

	memset(&in, 0, sizeof(in));
	in.owner_id = ev->owner_id;
	in.object_type = webhook_object_name(ev->object_type);
	in.object_id = ev->object_id;
	in.aspect_type = webhook_aspect_name(ev->aspect_type);
	in.event_time = ev->event_time;
	in.json = json;
	in.spool_id = spool_id;
	in.subscription_id = ev->subscription_id;
	in.our_subscription = our_sub;
	rc = db_webhooks_intake(db, &in, why);
	free(json);
	switch (rc) {
	case DB_INTAKE_STORED:
		return QUEUE_STORED;
	case DB_INTAKE_SKIPPED:
		log_debug("webhook: %s %s %" PRId64 " of athlete %" PRId64
		    " dropped: %s", in.object_type, in.aspect_type,
		    ev->object_id, ev->owner_id, why);
		return QUEUE_SKIPPED;
	case DB_INTAKE_REFUSED:
		return QUEUE_REFUSED;
	default:
		return QUEUE_DB_ERROR;
	}
}

int
queue_replay_spool(struct db *db, const char *dir, int64_t our_sub,
    size_t limit)
{
	spool_id_t		*ids = xcalloc(limit, sizeof(*ids));
	struct webhook_event	 ev;
	char			 err[WEBHOOK_ERR_MAX];
	buf_t			 body = BUF_INIT;
	int			 n, i, done = 0;
	enum queue_store	 rc;

	if ((n = spool_list(dir, ids, limit)) < 0) {
		log_error("spool: cannot read %s", dir);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (spool_read(dir, ids[i], &body) == -1) {
			log_error("spool: cannot read %s in %s", ids[i], dir);
			spool_quarantine(dir, ids[i]);
			continue;
		}
		if (!webhook_event_parse(body.data, body.len, &ev, err)) {
			log_error("spool: %s: %s", ids[i], err);
			spool_quarantine(dir, ids[i]);
			continue;
		}
		rc = queue_store_event(db, &ev, body.data, body.len, ids[i],
		    our_sub);
		webhook_event_free(&ev);
		if (rc == QUEUE_DB_ERROR) {
			done = -1;	/* keep the rest, in order, for later */
			break;
		}
		if (rc == QUEUE_REFUSED)
			spool_quarantine(dir, ids[i]);
		else if (spool_remove(dir, ids[i]) == -1)
			log_error("spool: cannot remove %s from %s (it will be "
			    "replayed again, harmlessly)", ids[i], dir);
		done++;
	}
	if (n > 0 && done > 0)
		log_info("spool: %d event(s) replayed into the database", done);
	buf_free(&body);
	free(ids);
	return done;
}

/* ---- claiming -------------------------------------------------------- */

static int
name_index(const char *s, const char *(*name)(int), int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(s, name(i)) == 0)
			return i;
	return -1;
}

static const char *
object_name(int i)
{
	return webhook_object_name((enum webhook_object)i);
}

static const char *
aspect_name(int i)
{
	return webhook_aspect_name((enum webhook_aspect)i);
}

/* Fills a row from a claimed one; false if a column is unusable. */
static bool
read_row(const struct db_webhook_row *c, struct webhook_row *w)
{
	int obj = name_index(c->object_type, object_name, 2);
	int asp = name_index(c->aspect_type, aspect_name, 3);

	memset(w, 0, sizeof(*w));
	w->id = c->id;
	w->athlete_id = c->athlete_id;
	w->object_id = c->object_id;
	w->event_time = c->event_time;
	w->attempts = c->attempts;
	w->deauthorized = c->deauthorized;
	w->raw_payload = c->raw_payload;
	w->age = c->age;
	if (obj < 0 || asp < 0)
		return false;
	w->object_type = (enum webhook_object)obj;
	w->aspect_type = (enum webhook_aspect)asp;
	return true;
}

int
queue_claim(struct db *db, struct queue_batch *b)
{
	struct db_webhook_row	 claimed[JOB_CLAIM_BATCH];
	int			 i, n;

	memset(b, 0, sizeof(*b));
	arena_init(&b->arena);
	if ((n = db_webhooks_claim(db, &b->arena, JOB_CLAIM_BATCH,
	    JOB_LEASE_SECONDS, claimed)) == -1) {
		queue_batch_free(b);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (read_row(&claimed[i], &b->rows[b->n])) {
			b->n++;
			continue;
		}
		/* Only a row written by hand can get here. */
		queue_finish(db, &b->rows[b->n], JOB_FAIL,
		    "unknown object_type or aspect_type", 0);
		b->bad++;
	}
	return (int)b->n;
}

void
queue_batch_free(struct queue_batch *b)
{
	arena_free(&b->arena);
	memset(b, 0, sizeof(*b));
}

/* ---- outcomes -------------------------------------------------------- */

int
queue_set_asleep(struct db *db, bool asleep)
{
	return db_webhooks_set_asleep(db, asleep);
}

/* "{create,update}" for the aspects whose bits are set. */
static void
aspect_array(unsigned aspects, char *out, size_t len)
{
	size_t	n = 0;
	int	a;

	out[n++] = '{';
	for (a = WEBHOOK_CREATE; a <= WEBHOOK_DELETE; a++)
		if (aspects & JOB_ASPECT(a))
			n += (size_t)snprintf(out + n, len - n, "%s%s",
			    n > 1 ? "," : "", webhook_aspect_name(a));
	snprintf(out + n, len - n, "}");
}

/* Flags the row id of batch arg (if there) as finished by coalescing. */
static void
mark_done(void *arg, const char *id)
{
	struct queue_batch	*b = arg;
	size_t			 i;

	for (i = 0; b != NULL && i < b->n; i++)
		if (strcmp(b->rows[i].id, id) == 0)
			b->done[i] = true;
}

long
queue_coalesce(struct job_ctx *ctx, const struct webhook_row *ev,
    unsigned aspects)
{
	char kinds[40];

	if (ctx->fetch_started[0] == '\0')
		return 0;
	aspect_array(aspects, kinds, sizeof(kinds));
	return db_webhooks_coalesce(ctx->db, ev->athlete_id, ev->object_id,
	    kinds, ev->id, ctx->fetch_started, mark_done, ctx->batch);
}

int
queue_release(struct db *db, const struct webhook_row *w)
{
	return db_webhooks_release(db, w->id) == 1 ? 0 : -1;
}

static double
random_unit(void)
{
	return (double)arc4random_uniform(1000000) / 1000000.0;
}

int
queue_finish(struct db *db, const struct webhook_row *w, enum job_result r,
    const char *msg, int retry_after)
{
	char		 text[JOB_ERR_MAX + 64];
	long		 n;

	if (r == JOB_RETRY && w->attempts >= JOB_MAX_ATTEMPTS) {
		snprintf(text, sizeof(text), "gave up after %d attempts: %s",
		    w->attempts, msg ? msg : "");
		msg = text;
		r = JOB_FAIL;
	}
	switch (r) {
	case JOB_OK:
	case JOB_SKIP:
		n = db_webhooks_done(db, w->id, msg);
		break;
	case JOB_RETRY:
	case JOB_DEFER:
		n = db_webhooks_retry(db, w->id, msg, jobs_backoff(w->attempts,
		    r == JOB_DEFER && retry_after <= 0 ? JOB_NO_CLIENT_DELAY :
		    retry_after, random_unit()), r == JOB_DEFER);
		break;
	case JOB_FAIL:
	default:
		n = db_webhooks_fail(db, w->id, msg);
		break;
	}
	if (n == 0)
		log_warn("jobs: event %s: the claim lapsed before it was "
		    "recorded; it will be done again", w->id);
	return n == 1 ? 0 : -1;
}
