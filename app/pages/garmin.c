/*
 * The Garmin Connect pages: GET /garmin/connect sends the runner to
 * Garmin's consent page with a fresh state and its PKCE challenge, GET
 * /garmin/callback checks that state and links the account
 * (garmin/connection.h), POST /garmin/disconnect unlinks it, and POST
 * /garmin/webhook takes Garmin's notifications.
 *
 * The state is 256 random bits, stored only as its SHA-256 with the
 * session it belongs to; the callback deletes it as it checks it (single
 * use, DB_GARMIN_STATE_TTL).  Nothing is sent to Garmin before the state
 * has been accepted.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "db/garmin.h"
#include "garmin/connection.h"
#include "garmin/notifications.h"
#include "pages/pages.h"
#include "view/view.h"
#include "web/session.h"

#define GARMIN_STATE_BYTES	32
#define STATE_TEXT_MAX		128
#define CODE_MAX		512

static void
state_hash(const char *state, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)state, strlen(state));
	sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof(h));
}

int
page_garmin_connect(struct request *req, struct response *res)
{
	unsigned char	 raw[GARMIN_STATE_BYTES];
	char		 state[STATE_TEXT_MAX];
	char		 hex[2 * crypto_hash_sha256_BYTES + 1];
	char		*url;
	int		 rc = -1;

	if (!garmin_configured(req->cfg)) {
		view_error(req, res, 503, "Garmin is not configured on this "
		    "server.");
		return 0;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(state, sizeof(state), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	state_hash(state, hex);
	if (db_garmin_state_new(req->db, hex, req->session_id,
	    req->runner->id) == -1 ||
	    (url = garmin_authorize_url(req->cfg, state)) == NULL)
		return -1;
	resp_clear(res);
	res->status = 302;
	res->html = false;
	res->no_store = true;
	res->content_type = "text/plain; charset=utf-8";
	if (resp_header(res, req->arena, "Location", url) == 0) {
		buf_puts(&res->body, "Found\n");
		rc = 0;
	}
	free(url);
	return rc;
}

/* 0: the state is ours and fresh (and now spent); else an answer is set. */
static int
check_state(struct request *req, struct response *res, bool *ok)
{
	const char	*state = req_query(req, "state");
	char		 hex[2 * crypto_hash_sha256_BYTES + 1];
	int		 fresh;

	*ok = false;
	if (*state == '\0' || strlen(state) >= STATE_TEXT_MAX) {
		view_error(req, res, 400, "This Garmin connection attempt is "
		    "not valid. Start again from your settings.");
		return 0;
	}
	state_hash(state, hex);
	if ((fresh = db_garmin_state_take(req->db, hex, req->session_id,
	    req->runner->id)) == -1)
		return -1;
	*ok = fresh == 1;
	if (!*ok)
		view_error(req, res, 400, "This Garmin connection attempt has "
		    "expired or was already used. Start again from your "
		    "settings.");
	return 0;
}

int
page_garmin_callback(struct request *req, struct response *res)
{
	const char	*code = req_query(req, "code");
	char		 err[GARMIN_ERR_TEXT_MAX];
	bool		 ok;

	if (check_state(req, res, &ok) == -1)
		return -1;
	if (!ok)
		return 0;
	if (*req_query(req, "error") != '\0') {
		view_flash(req, res, "garmin_denied");
		resp_redirect(req, res, "/settings");
		return 0;
	}
	if (*code == '\0' || strlen(code) > CODE_MAX) {
		view_error(req, res, 400, "Garmin sent no authorization code.");
		return 0;
	}
	switch (garmin_connect_code(req->cfg, req->db, req->runner->id, code,
	    req_query(req, "state"), err, sizeof(err))) {
	case GARMIN_CONNECT_OK:
		view_flash(req, res, "garmin_connected");
		resp_redirect(req, res, "/settings");
		return 0;
	case GARMIN_CONNECT_TAKEN:
		view_error(req, res, 409, "That Garmin account is connected "
		    "to another Cadence account. Disconnect it there first.");
		return 0;
	case GARMIN_CONNECT_REFUSED:
		log_info("garmin callback: %s", err);
		view_error(req, res, 400, "Garmin did not accept the "
		    "connection: the authorization was already used or has "
		    "expired. Please connect again from your settings.");
		return 0;
	case GARMIN_CONNECT_UNAVAILABLE:
		log_warn("garmin callback: %s", err);
		view_error(req, res, 502, "Garmin did not answer as expected. "
		    "Nothing was changed; please try again in a few minutes.");
		return 0;
	default:
		log_warn("garmin callback: %s", err);
		return -1;
	}
}

int
page_garmin_disconnect(struct request *req, struct response *res)
{
	if (garmin_disconnect(req->cfg, req->db, req->runner->id) == -1)
		return -1;
	view_flash(req, res, "garmin_disconnected");
	resp_redirect(req, res, "/settings");
	return 0;
}

/*
 * Garmin's permission codes ("ACTIVITY_EXPORT,WORKOUT_IMPORT") as words a
 * runner reads, comma and space between (one long word overflowed a
 * phone's settings page).
 */
static const char *
permissions_text(arena_t *a, const char *codes)
{
	static const struct { const char *code, *text; } words[] = {
		{ "ACTIVITY_EXPORT", "your runs" },
		{ "WORKOUT_IMPORT", "workouts for your calendar" },
		{ "HISTORICAL_DATA_EXPORT", "your history" },
		{ "HEALTH_EXPORT", "health data" },
		{ "COURSE_IMPORT", "courses" },
		{ "MCT_EXPORT", "cycle tracking" },
	};
	buf_t		 b = BUF_INIT;
	const char	*p = codes, *end, *out;
	size_t		 i, n;

	while (*p != '\0') {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n > 0) {
			if (b.len > 0)
				buf_puts(&b, ", ");
			for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
				if (strlen(words[i].code) == n &&
				    strncmp(words[i].code, p, n) == 0)
					break;
			if (i < sizeof(words) / sizeof(words[0]))
				buf_puts(&b, words[i].text);
			else
				buf_add(&b, p, n);
		}
		p += n + (end != NULL);
	}
	out = arena_strdup(a, b.len > 0 ? buf_cstr(&b) : "none");
	buf_free(&b);
	return out;
}

json_t *
settings_garmin_json(struct request *req)
{
	struct db_garmin_status	 s;

	if (req->runner == NULL ||
	    db_garmin_status(req->db, req->runner->id, &s) != 1 ||
	    !s.connected)
		return json_pack("{s:b, s:b}", "connected", 0, "available",
		    garmin_configured(req->cfg));
	return json_pack("{s:b, s:b, s:b, s:s, s:s, s:s?, s:s?, s:s?}",
	    "connected", 1, "available", 1,
	    "needs_reconnect", s.needs_reconnect,
	    "permissions", permissions_text(req->arena, s.permissions),
	    "connected_at", s.connected_at,
	    "last_sync_at", *s.last_sync_at ? s.last_sync_at : NULL,
	    "published_at", *s.published_at ? s.published_at : NULL,
	    "publish_error", *s.publish_error ? s.publish_error : NULL);
}

/* A small JSON answer for Garmin's notification delivery. */
static void
reply(struct response *res, int status, const char *body)
{
	resp_clear(res);
	res->status = status;
	res->html = false;
	res->no_store = true;
	res->content_type = "application/json";
	buf_puts(&res->body, body);
}

/*
 * POST /garmin/webhook: Garmin's notifications, queued as jobs and
 * acknowledged without a call to Garmin (garmin/notifications.h).  A
 * notification for nobody we know is answered 200 like any other, so a
 * forger learns nothing; a database error answers 503 and Garmin retries.
 */
int
page_garmin_webhook(struct request *req, struct response *res)
{
	struct garmin_intake	 in;
	int			 rc;

	rc = garmin_notifications_take(req->db, req->body, req->body_len,
	    (int64_t)time(NULL), &in);
	if (rc == -1) {
		reply(res, 400, "{\"error\":\"not a Garmin notification\"}\n");
		return 0;
	}
	if (rc == -2) {
		reply(res, 503, "{\"error\":\"try again\"}\n");
		return 0;
	}
	if (in.unknown > 0 || in.bad > 0)
		log_info("garmin webhook: %zu queued, %zu for unknown users, "
		    "%zu unreadable", in.queued, in.unknown, in.bad);
	reply(res, 200, "{}\n");
	return 0;
}
