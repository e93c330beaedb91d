/*
 * oauth: Strava's OAuth 2 endpoints - the consent page, the token
 * exchange and refresh, and deauthorization.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/util.h"
#include "sandbox/app.h"

#define REFRESH_KEEP_S	3600	/* Strava hands back an access token with more left */

/* In Strava's order; "read" is always granted. */
static const char *const scopes[] = {
	"read", "read_all", "profile:read_all", "profile:write",
	"activity:read", "activity:read_all", "activity:write",
};

static const char *const scope_help[] = {
	"View public data (always granted)", "View data about private routes, segments and events",
	"View your complete profile", "Update your weight and FTP",
	"View data about your activities", "View data about your private activities",
	"Upload and edit your activities",
};

static int
scope_index(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < NELEM(scopes); i++)
		if (strlen(scopes[i]) == n && strncmp(scopes[i], s, n) == 0)
			return (int)i;
	return -1;
}

/* Marks each scope of a comma list in want[]; false on an unknown one. */
static bool
scope_mark(const char *list, bool want[NELEM(scopes)])
{
	const char	*p = list;
	size_t		 n;
	int		 k;

	while (*p) {
		n = strcspn(p, ", ");
		if (n > 0) {
			if ((k = scope_index(p, n)) < 0)
				return false;
			want[k] = true;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return true;
}

static void
scope_join(const bool want[NELEM(scopes)], buf_t *out)
{
	size_t i;

	for (i = 0; i < NELEM(scopes); i++)
		if (want[i])
			buf_printf(out, "%s%s", out->len ? "," : "", scopes[i]);
}

static bool
client_ok(struct sb_app *app, struct sb_request *req)
{
	int64_t id;

	return parse_int64(sb_param(req, "client_id"), 1, INT64_MAX, &id) &&
	    id == app->store.client_id;
}

/* The checks Strava makes before showing the consent page. */
static bool
authorize_params_ok(struct sb_app *app, struct sb_request *req, struct sb_response *res,
    bool want[NELEM(scopes)])
{
	const char *ru = sb_param(req, "redirect_uri"), *rt = sb_param(req, "response_type");
	const char *sc = sb_param(req, "scope");

	if (!client_ok(app, req)) {
		sb_error(res, 400, "Bad Request", "Application", "client_id", "invalid");
		return false;
	}
	if (ru == NULL || !(str_has_prefix(ru, "http://") || str_has_prefix(ru, "https://"))) {
		sb_error(res, 400, "Bad Request", "Application", "redirect_uri", "invalid");
		return false;
	}
	if (rt == NULL || strcmp(rt, "code") != 0) {
		sb_error(res, 400, "Bad Request", "Application", "response_type", "invalid");
		return false;
	}
	memset(want, 0, sizeof(bool) * NELEM(scopes));
	if (!scope_mark(sc ? sc : "read", want)) {
		sb_error(res, 400, "Bad Request", "Authorize", "scope", "invalid");
		return false;
	}
	want[0] = true;
	return true;
}

static void
hidden(buf_t *b, struct sb_request *req, const char *name)
{
	const char *v = sb_param(req, name);

	if (v == NULL)
		return;
	buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	buf_html(b, v, strlen(v));
	buf_puts(b, "\">\n");
}

static void
authorize_page(struct sb_app *app, struct sb_request *req, struct sb_response *res,
    const bool want[NELEM(scopes)])
{
	struct sb_store	*s = &app->store;
	buf_t		*b = &res->body;
	const char	*sel = sb_param(req, "athlete_id");
	size_t		 i;

	res->content_type = "text/html; charset=utf-8";
	buf_printf(b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>Authorize application - Strava sandbox</title><style>"
	    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;"
	    "padding:0 1rem;color:#222}h1{color:#fc4c02;font-size:1.4rem}"
	    "label{display:block;margin:.4rem 0}button{font-size:1rem;padding:.5rem 1.2rem;"
	    "margin-right:.5rem}.go{background:#fc4c02;color:#fff;border:0;border-radius:4px}"
	    ".note{color:#666;font-size:.85rem}</style></head><body>"
	    "<h1>Strava sandbox</h1><p>Application <strong>#%lld</strong> wants to "
	    "connect to your Strava account.</p>"
	    "<form method=\"post\" action=\"/oauth/authorize\">\n",
	    (long long)s->client_id);
	hidden(b, req, "client_id");
	hidden(b, req, "redirect_uri");
	hidden(b, req, "response_type");
	hidden(b, req, "approval_prompt");
	hidden(b, req, "state");
	buf_puts(b, "<label>Log in as <select name=\"athlete_id\">");
	for (i = 0; i < s->nathletes; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%lld", (long long)s->athletes[i].id);
		buf_printf(b, "<option value=\"%s\"%s>", id,
		    sel != NULL && strcmp(sel, id) == 0 ? " selected" : "");
		buf_html(b, s->athletes[i].firstname, strlen(s->athletes[i].firstname));
		buf_putc(b, ' ');
		buf_html(b, s->athletes[i].lastname, strlen(s->athletes[i].lastname));
		buf_printf(b, " (%s)</option>", id);
	}
	buf_puts(b, "</select></label><fieldset><legend>Permissions requested</legend>\n");
	for (i = 0; i < NELEM(scopes); i++) {
		if (!want[i])
			continue;
		buf_printf(b, "<label><input type=\"checkbox\" name=\"scope\" value=\"%s\" "
		    "checked%s> <code>%s</code> - %s</label>\n", scopes[i],
		    i == 0 ? " disabled" : "", scopes[i], scope_help[i]);
	}
	buf_puts(b, "</fieldset><p><button class=\"go\" name=\"decision\" value=\"authorize\">"
	    "Authorize</button><button name=\"decision\" value=\"cancel\">Cancel</button></p>"
	    "<p class=\"note\">This is a local stand-in for Strava; nothing leaves "
	    "this machine.</p></form></body></html>\n");
}

static void
authorize_post(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	bool		 want[NELEM(scopes)], grant[NELEM(scopes)];
	buf_t		 loc = BUF_INIT, scope = BUF_INIT;
	const char	*decision = sb_param(req, "decision"), *state = sb_param(req, "state");
	int64_t		 athlete_id = s->nathletes ? s->athletes[0].id : 0;
	struct sb_code	*code;
	size_t		 i;

	if (!authorize_params_ok(app, req, res, want))
		return;
	if (sb_param(req, "athlete_id") != NULL &&
	    !parse_int64(sb_param(req, "athlete_id"), 1, INT64_MAX, &athlete_id))
		athlete_id = 0;
	if (sb_athlete_find(s, athlete_id) == NULL) {
		sb_error(res, 400, "Bad Request", "Athlete", "athlete_id", "invalid");
		return;
	}
	/* The ticked boxes (repeated "scope" fields), within what was asked. */
	memset(grant, 0, sizeof(grant));
	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].key, "scope") == 0 &&
		    !scope_mark(req->params[i].value, grant)) {
			sb_error(res, 400, "Bad Request", "Authorize", "scope", "invalid");
			return;
		}
	grant[0] = true;
	buf_puts(&loc, sb_param(req, "redirect_uri"));
	buf_puts(&loc, strchr(loc.data, '?') ? "&state=" : "?state=");
	sb_url_encode(&loc, state ? state : "");
	if (decision == NULL || strcmp(decision, "authorize") != 0)
		buf_puts(&loc, "&error=access_denied");
	else {
		scope_join(grant, &scope);
		code = sb_code_add(s, athlete_id, scope.data, sb_now());
		/* Strava leaves the commas of the scope list unescaped. */
		buf_printf(&loc, "&code=%s&scope=%s", code->code, scope.data);
		sb_app_changed(app);
	}
	sb_redirect(res, 302, loc.data);
	buf_free(&loc);
	buf_free(&scope);
}

static json_t *
token_json(struct sb_app *app, const struct sb_grant *g, bool with_athlete)
{
	int64_t	 now = sb_now();
	json_t	*j = json_pack("{s:s, s:I, s:I, s:s, s:s}", "token_type", "Bearer",
	    "expires_at", (json_int_t)g->expires_at,
	    "expires_in", (json_int_t)(g->expires_at > now ? g->expires_at - now : 0),
	    "refresh_token", g->refresh, "access_token", g->access);

	if (with_athlete)
		json_object_set_new(j, "athlete",
		    sb_athlete_json(sb_athlete_find(&app->store, g->athlete_id), 2));
	return j;
}

static void
token(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	const char	*gt = sb_param(req, "grant_type"), *secret = sb_param(req, "client_secret");
	struct sb_grant	*g;
	struct sb_code	 c;
	int64_t		 now = sb_now();

	if (!client_ok(app, req)) {
		sb_error(res, 400, "Bad Request", "Application", "client_id", "invalid");
		return;
	}
	if (secret == NULL || !str_equal_ct(secret, s->client_secret)) {
		sb_error(res, 401, "Authorization Error", "Application", "client_secret", "invalid");
		return;
	}
	if (gt != NULL && strcmp(gt, "authorization_code") == 0) {
		if (sb_param(req, "code") == NULL ||
		    !sb_code_take(s, sb_param(req, "code"), now, &c) ||
		    sb_athlete_find(s, c.athlete_id) == NULL) {
			sb_app_changed(app);
			sb_error(res, 400, "Bad Request", "AuthorizationCode", "code", "invalid");
			return;
		}
		g = sb_grant_add(s, c.athlete_id, c.scope);
		g->expires_at = now + s->cfg.access_token_ttl;
		sb_app_changed(app);
		sb_json(res, 200, token_json(app, g, true));
	} else if (gt != NULL && strcmp(gt, "refresh_token") == 0) {
		if (sb_param(req, "refresh_token") == NULL ||
		    (g = sb_grant_by_refresh(s, sb_param(req, "refresh_token"))) == NULL ||
		    g->revoked) {
			sb_error(res, 400, "Bad Request", "RefreshToken", "refresh_token", "invalid");
			return;
		}
		if (g->expires_at - now < REFRESH_KEEP_S) {
			sb_random_hex(g->access);
			g->expires_at = now + s->cfg.access_token_ttl;
		}
		if (s->cfg.rotate_refresh_tokens)
			sb_random_hex(g->refresh);
		sb_app_changed(app);
		sb_json(res, 200, token_json(app, g, false));
	} else
		sb_error(res, 400, "Bad Request", "Application", "grant_type", "invalid");
}

/* The bearer token of a request: the Authorization header or access_token. */
static const char *
bearer(struct sb_request *req)
{
	const char *h = req->authorization;

	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0)
		return h + 7;
	return sb_param(req, "access_token");
}

static void
deauthorize(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	const char	*tok = bearer(req);
	struct sb_grant	*g = tok ? sb_grant_by_access(s, tok) : NULL;
	json_t		*j;
	size_t		 i;

	if (g == NULL || g->revoked || g->expires_at <= sb_now()) {
		sb_error(res, 401, "Authorization Error", "Athlete", "access_token", "invalid");
		return;
	}
	j = json_pack("{s:s}", "access_token", g->access);
	for (i = 0; i < s->ngrants; i++)
		if (s->grants[i].athlete_id == g->athlete_id)
			s->grants[i].revoked = true;
	sb_app_changed(app);
	sb_emit_deauthorized(app, g->athlete_id);
	sb_json(res, 200, j);
}

bool
sb_oauth_route(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	bool want[NELEM(scopes)];
	bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	bool post = strcmp(req->method, "POST") == 0;

	if (strcmp(req->path, "/oauth/authorize") == 0 ||
	    strcmp(req->path, "/oauth/mobile/authorize") == 0) {
		if (get && authorize_params_ok(app, req, res, want))
			authorize_page(app, req, res, want);
		else if (post)
			authorize_post(app, req, res);
		else if (!get)
			sb_error(res, 405, "Method Not Allowed", "Request", "method", "invalid");
	} else if (strcmp(req->path, "/oauth/token") == 0 && post)
		token(app, req, res);
	else if (strcmp(req->path, "/oauth/deauthorize") == 0 && post)
		deauthorize(app, req, res);
	else if (str_has_prefix(req->path, "/oauth/"))
		sb_error(res, 404, "Record Not Found", "resource", "path", "invalid");
	else
		return false;
	return true;
}
