/*
 * The Strava connection pages: GET /strava/connect sends the runner to
 * Strava's consent page with a fresh state, GET /strava/callback checks
 * that state and links the account (strava/connection.h), POST
 * /strava/disconnect unlinks it.
 *
 * The state: pages/oauth_state.h.
 */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "db/strava.h"
#include "db/strava_keep.h"
#include "pages/oauth_state.h"
#include "pages/pages.h"
#include "strava/client.h"
#include "strava/connection.h"
#include "strava/tokens.h"
#include "view/view.h"
#include "web/session.h"

static bool
configured(const struct config *cfg)
{
	unsigned char key[TOKEN_KEY_BYTES];

	return cfg->strava_client_id[0] != '\0' && token_key(cfg, key);
}

static int
result_page(struct request *req, struct response *res, int status,
    const char *title, const char *message, bool retry)
{
	return view_page(req, res, status, "strava_result", json_pack(
	    "{s:{s:b}, s:s, s:s, s:s?}", "nav", "settings", 1, "title", title,
	    "message", message, "retry_url", retry ? "/strava/connect" : NULL));
}

int
page_strava_connect(struct request *req, struct response *res)
{
	char	 state[OAUTH_STATE_TEXT_MAX];
	buf_t	 url = BUF_INIT, cb = BUF_INIT;
	int	 rc;

	if (!configured(req->cfg)) {
		view_error(req, res, 503, "Strava is not configured on this "
		    "server.");
		return 0;
	}
	if (oauth_state_begin(req, OAUTH_STRAVA, state) == -1)
		return -1;
	buf_printf(&url, "%s/oauth/authorize?client_id=", req->cfg->strava_oauth_base);
	buf_urlenc(&url, req->cfg->strava_client_id);
	buf_puts(&url, "&redirect_uri=");
	buf_printf(&cb, "%s%s", req->cfg->base_url, STRAVA_CALLBACK_PATH);
	buf_urlenc(&url, buf_cstr(&cb));
	buf_free(&cb);
	buf_printf(&url, "&response_type=code&approval_prompt=auto"
	    "&scope=%s&state=%s", STRAVA_SCOPE, state);
	rc = oauth_redirect(req, res, buf_cstr(&url));
	buf_free(&url);
	return rc;
}

int
page_strava_callback(struct request *req, struct response *res)
{
	const char	*code = req_query(req, "code");
	const char	*scope = req_query(req, "scope");
	char		 err[STRAVA_CONNECT_ERR_MAX];
	int		 ok;

	if ((ok = oauth_state_check(req, res, OAUTH_STRAVA, "Strava")) != 1)
		return ok;
	if (*req_query(req, "error") != '\0')
		return result_page(req, res, 200, "Strava access was not granted",
		    "You cancelled the connection on Strava, so Cadence cannot "
		    "read your runs. You can connect again at any time.", true);
	if (!scope_has(scope, "activity:read") &&
	    !scope_has(scope, "activity:read_all"))
		return result_page(req, res, 200, "Cadence needs to see your "
		    "activities", "The connection was made without permission "
		    "to read your activities, so Cadence cannot fill in your "
		    "calendar. Connect again and leave \"View data about your "
		    "activities\" ticked.", true);
	if (*code == '\0' || strlen(code) > 256) {
		view_error(req, res, 400, "Strava sent no authorization code.");
		return 0;
	}
	switch (strava_connect_code(req->cfg, req->db, req->runner->id, code,
	    scope, err, sizeof(err))) {
	case CONNECT_OK:
		view_flash(req, res, "strava_connected");
		resp_redirect(req, res, "/");
		return 0;
	case CONNECT_TAKEN:
		return result_page(req, res, 409, "This Strava account is "
		    "already connected", "That Strava athlete is connected to "
		    "another Cadence account. Disconnect it there first, or "
		    "sign in to Strava as another athlete.", false);
	case CONNECT_REFUSED:
		log_info("strava callback: %s", err);
		return result_page(req, res, 400, "Strava did not accept the "
		    "connection", "The authorization was already used or has "
		    "expired. Please try again.", true);
	case CONNECT_UNAVAILABLE:
		log_warn("strava callback: %s", err);
		return result_page(req, res, 502, "Strava could not be reached",
		    "Strava did not answer as expected. Nothing was changed; "
		    "please try again in a few minutes.", true);
	default:
		log_warn("strava callback: %s", err);
		return -1;
	}
}

/* "1 run", "12 runs". */
static const char *
count_label(arena_t *a, long n, const char *one, const char *many)
{
	return arena_printf(a, "%ld %s", n, n == 1 ? one : many);
}

/*
 * GET /strava/disconnect: what disconnecting deletes and what it keeps,
 * in numbers, before the runner confirms (the POST below).
 */
int
page_strava_disconnect_confirm(struct request *req, struct response *res)
{
	struct strava_keep_outlook	 o;
	json_t				*strava = settings_strava_json(req);

	if (!json_is_true(json_object_get(strava, "connected"))) {
		json_decref(strava);
		resp_redirect(req, res, "/settings");
		return 0;
	}
	if (strava_keep_outlook(req->db, req->runner->id, &o) == -1) {
		json_decref(strava);
		return -1;
	}
	return view_page(req, res, 200, "strava_disconnect", json_pack(
	    "{s:{s:b}, s:o, s:s, s:s, s:o}", "nav", "settings", 1,
	    "strava", strava,
	    "runs_label", count_label(req->arena, o.runs, "run", "runs"),
	    "done_label", count_label(req->arena, o.done, "workout",
	    "workouts"),
	    "partial_label", o.partial > 0 ? json_string(count_label(
	    req->arena, o.partial, "workout", "workouts")) : json_null()));
}

int
page_strava_disconnect(struct request *req, struct response *res)
{
	if (strava_disconnect(req->cfg, req->db, req->runner->id) == -1)
		return -1;
	view_flash(req, res, "strava_disconnected");
	resp_redirect(req, res, "/settings");
	return 0;
}
