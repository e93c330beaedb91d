/*
 * webhook: Strava's push subscription callback, /strava/webhook.
 *
 * GET answers Strava's subscription validation.  POST takes one event
 * and answers within milliseconds: the body is validated, stored with
 * its job (strava_webhook_events and the job queue, in one statement that
 * wakes the job workers) and acknowledged;
 * no call to Strava happens here.  Every well-formed event gets the same
 * 200, also those dropped (another subscription, a duplicate, over an
 * intake limit: strava/webhook_queue.h), so the answer tells a forger nothing.  Nothing is lost: when PostgreSQL
 * cannot take the event, it is written durably to the spool before the
 * 200, and only if even that fails does Strava get a 503 (it retries).
 */
#include <jansson.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/pages.h"
#include "strava/spool.h"
#include "strava/webhook_queue.h"
#include "strava/webhook_event.h"

#define WEBHOOK_CHALLENGE_MAX	256	/* bytes of hub.challenge echoed */

static int
append_json(const char *s, size_t n, void *arg)
{
	buf_add(arg, s, n);
	return 0;
}

/* A JSON body built with Jansson (escaping is its job). */
static void
reply_json(struct response *res, int status, json_t *j)
{
	resp_clear(res);
	res->status = status;
	res->html = false;
	res->no_store = true;
	res->content_type = "application/json";
	if (j == NULL || json_dump_callback(j, append_json, &res->body,
	    JSON_COMPACT) != 0) {
		buf_reset(&res->body);
		buf_puts(&res->body, "{}");
	}
	json_decref(j);
}

static void
reply_error(struct response *res, int status, const char *msg)
{
	reply_json(res, status, json_pack("{ss}", "error", msg));
}

/* GET /strava/webhook?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C */
int
page_strava_webhook_verify(struct request *req, struct response *res)
{
	const char	*mode = req_query(req, "hub.mode");
	const char	*token = req_query(req, "hub.verify_token");
	const char	*challenge = req_query(req, "hub.challenge");
	json_t		*j;

	/* No token configured: nobody can validate a subscription. */
	if (req->cfg->strava_verify_token[0] == '\0' ||
	    !str_equal_ct(token, req->cfg->strava_verify_token)) {
		reply_error(res, 403, "verify_token does not match");
		return 0;
	}
	if (strcmp(mode, "subscribe") != 0 || *challenge == '\0' ||
	    strlen(challenge) > WEBHOOK_CHALLENGE_MAX) {
		reply_error(res, 400, "expected hub.mode=subscribe and a "
		    "hub.challenge of at most 256 bytes");
		return 0;
	}
	/* NULL when the challenge is not valid UTF-8. */
	if ((j = json_pack("{ss}", "hub.challenge", challenge)) == NULL) {
		reply_error(res, 400, "hub.challenge must be UTF-8 text");
		return 0;
	}
	reply_json(res, 200, j);
	return 0;
}

/*
 * Writes the body to the spool; true when it is durable.  The database
 * was unreachable, or failed in a way that says nothing about the event.
 */
static bool
spool_event(struct request *req)
{
	spool_id_t id;

	if (spool_write(req->cfg->spool_dir, req->body, req->body_len,
	    id) == -1)
		return false;
	log_warn("webhook: database unavailable; event spooled as %s", id);
	return true;
}

/*
 * POST /strava/webhook.  The route is ROUTE_DB_OPTIONAL: this runs while
 * the database is down too, with req->db not yet checked.
 */
int
page_strava_webhook_event(struct request *req, struct response *res)
{
	struct webhook_event	 ev;
	char			 err[WEBHOOK_ERR_MAX];
	enum queue_store	 st = QUEUE_DB_ERROR;

	if (!webhook_event_parse(req->body, req->body_len, &ev, err)) {
		reply_error(res, 400, err);
		return 0;
	}
	/*
	 * The subscription is checked in the database, for every event, so
	 * that a foreign one costs what ours does and is answered the same:
	 * 200, dropped and counted (a 403 told forgers when they had guessed
	 * our subscription id).
	 */
	if (req->db != NULL && db_ready(req->db))
		st = queue_store_event(req->db, &ev, req->body, req->body_len,
		    NULL, req->cfg->strava_subscription_id);
	webhook_event_free(&ev);
	switch (st) {
	case QUEUE_STORED:
	case QUEUE_SKIPPED:
		break;
	case QUEUE_REFUSED:
		reply_error(res, 400, "the event could not be stored as JSON");
		return 0;
	case QUEUE_DB_ERROR:
		if (!spool_event(req)) {
			reply_error(res, 503, "try again later");
			resp_header(res, req->arena, "Retry-After", "5");
			return 0;
		}
		break;
	}
	reply_json(res, 200, json_pack("{sb}", "ok", 1));
	return 0;
}
