/*
 * The Garmin Connect pages: GET /garmin/connect sends the runner to
 * Garmin's consent page with a fresh state and its PKCE challenge, GET
 * /garmin/callback checks that state and links the account
 * (garmin/connection.h), POST /garmin/disconnect unlinks it, and POST
 * /garmin/webhook takes Garmin's notifications.
 *
 * The state (pages/oauth_state.h) also yields the PKCE verifier
 * (garmin/connection.c), so it is never stored in the clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "db/garmin.h"
#include "garmin/connection.h"
#include "garmin/notifications.h"
#include "pages/oauth_state.h"
#include "pages/pages.h"
#include "view/view.h"
#include "web/session.h"

#define CODE_MAX		512

int
page_garmin_connect(struct request *req, struct response *res)
{
	char	 state[OAUTH_STATE_TEXT_MAX];
	char	*url;
	int	 rc;

	if (!garmin_configured(req->cfg)) {
		view_error(req, res, 503, "Garmin is not configured on this "
		    "server.");
		return 0;
	}
	if (oauth_state_begin(req, OAUTH_GARMIN, state) == -1 ||
	    (url = garmin_authorize_url(req->cfg, state)) == NULL)
		return -1;
	rc = oauth_redirect(req, res, url);
	free(url);
	return rc;
}

int
page_garmin_callback(struct request *req, struct response *res)
{
	const char	*code = req_query(req, "code");
	char		 err[GARMIN_ERR_TEXT_MAX];
	int		 ok;

	if ((ok = oauth_state_check(req, res, OAUTH_GARMIN, "Garmin")) != 1)
		return ok;
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
