/*
 * webhook_queue: see webhook_queue.h.
 */
#include <inttypes.h>
#include <jansson.h>
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

/* ---- working an event ------------------------------------------------- */

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

/* The event id of a job's payload ({"event": "<uuid>"}), or false. */
static bool
event_id(const char *payload, char id[40])
{
	json_t		*j = json_loads(payload, 0, NULL);
	const char	*s = json_string_value(json_object_get(j, "event"));
	bool		 ok = s != NULL && strlen(s) == 36 &&
			    strspn(s, "0123456789abcdef-") == 36;

	if (ok)
		snprintf(id, 40, "%s", s);
	json_decref(j);
	return ok;
}

int
queue_load_event(struct db *db, arena_t *a, const struct job *j,
    struct webhook_row *w)
{
	struct db_webhook_row	 c;
	char			 id[40];
	int			 found, obj, asp;

	memset(w, 0, sizeof(*w));
	if (!event_id(j->payload, id))
		return 0;
	if ((found = db_webhooks_load(db, a, id, &c)) != 1)
		return found;
	w->id = c.id;
	w->athlete_id = c.athlete_id;
	w->object_id = c.object_id;
	w->event_time = c.event_time;
	w->attempts = j->attempts;
	w->deauthorized = c.deauthorized;
	w->raw_payload = c.raw_payload;
	w->age = c.age;
	w->runner = c.runner;
	obj = name_index(c.object_type, object_name, 2);
	asp = name_index(c.aspect_type, aspect_name, 3);
	if (obj < 0 || asp < 0)
		return -2;	/* only a row written by hand gets here */
	w->object_type = (enum webhook_object)obj;
	w->aspect_type = (enum webhook_aspect)asp;
	return 1;
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

long
queue_coalesce(struct job_ctx *ctx, const struct webhook_row *ev,
    unsigned aspects)
{
	char kinds[40];

	if (ctx->fetch_started[0] == '\0')
		return 0;
	aspect_array(aspects, kinds, sizeof(kinds));
	return db_webhooks_coalesce(ctx->db, ev->athlete_id, ev->object_id,
	    kinds, ev->id, ctx->fetch_started);
}
