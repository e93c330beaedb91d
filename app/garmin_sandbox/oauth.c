/*
 * oauth: Garmin's OAuth 2.0 with PKCE.
 *
 *   GET  /oauth2Confirm   the consent page (no scopes in the request: the
 *                         user ticks permissions on the page)
 *   POST /oauth2Confirm   what the page posts: 302 to redirect_uri with
 *                         code and state, or error=access_denied
 *   POST /di-oauth2-service/oauth/token
 *                         authorization_code (with code_verifier, S256)
 *                         and refresh_token grants; every refresh returns
 *                         a new refresh token and the old one dies
 * Token errors use RFC 6749's body: {"error":"invalid_grant",
 * "error_description":"..."}.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/util.h"
#include "garmin_sandbox/gm.h"

#define VERIFIER_MIN	43	/* RFC 7636 */
#define VERIFIER_MAX	128

static void
oauth_error(struct sb_response *res, int status, const char *error,
    const char *description)
{
	sb_json(res, status, json_pack("{s:s, s:s}", "error", error,
	    "error_description", description));
}

static bool
is_http_url(const char *s)
{
	return s != NULL && strlen(s) < GM_URL_MAX &&
	    (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
}

/* The authorize request's parameters; NULL or the offending one's text. */
static const char *
check_authorize(struct gm_app *app, struct sb_request *r)
{
	const char *cc = sb_param(r, "code_challenge");

	if (!str_equal_ct(sb_param(r, "client_id") ? sb_param(r, "client_id") : "",
	    app->client_id))
		return "unknown client_id";
	if (sb_param(r, "response_type") == NULL ||
	    strcmp(sb_param(r, "response_type"), "code") != 0)
		return "response_type must be code";
	if (cc == NULL || strlen(cc) < 43 || strlen(cc) >= GM_CHALLENGE_MAX)
		return "code_challenge is required (PKCE)";
	if (sb_param(r, "code_challenge_method") == NULL ||
	    strcmp(sb_param(r, "code_challenge_method"), "S256") != 0)
		return "code_challenge_method must be S256";
	if (!is_http_url(sb_param(r, "redirect_uri")))
		return "redirect_uri must be an http(s) URL";
	return NULL;
}

static void
hidden(buf_t *b, struct sb_request *r, const char *name)
{
	const char *v = sb_param(r, name);

	buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	buf_html(b, v ? v : "", v ? strlen(v) : 0);
	buf_puts(b, "\">\n");
}

static void
consent_page(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	static const char *const fields[] = { "client_id", "response_type",
	    "code_challenge", "code_challenge_method", "redirect_uri", "state" };
	buf_t *b = &res->body;
	size_t i;
	int u;

	res->content_type = "text/html; charset=utf-8";
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>Garmin Connect (sandbox): allow access</title></head><body>\n"
	    "<h1>Garmin Connect sandbox</h1>\n<p>An application wants to connect "
	    "to your Garmin Connect account.</p>\n<form method=\"post\" "
	    "action=\"/oauth2Confirm\">\n");
	for (i = 0; i < NELEM(fields); i++)
		hidden(b, r, fields[i]);
	buf_puts(b, "<label>Sign in as <select name=\"user_id\">\n");
	for (u = 0; u < app->nusers; u++) {
		buf_printf(b, "<option value=\"%s\">", app->users[u].id);
		buf_html(b, app->users[u].name, strlen(app->users[u].name));
		buf_puts(b, "</option>\n");
	}
	buf_puts(b, "</select></label>\n<fieldset><legend>Share with the "
	    "application</legend>\n");
	for (i = 0; i < GM_NPERMS; i++)
		buf_printf(b, "<label><input type=\"checkbox\" name=\"permission\" "
		    "value=\"%s\" checked> %s</label><br>\n", gm_perm_name(1 << i),
		    gm_perm_name(1 << i));
	buf_puts(b, "</fieldset>\n<button name=\"decision\" value=\"agree\">Agree"
	    "</button>\n<button name=\"decision\" value=\"cancel\">Cancel</button>\n"
	    "</form></body></html>\n");
}

/* Ticked boxes (repeated "permission") or a comma list "permissions". */
static unsigned
posted_perms(struct sb_request *r)
{
	unsigned perms = 0;
	char list[256], *tok, *save = NULL;
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].key, "permission") == 0)
			perms |= (unsigned)gm_perm_parse(r->params[i].value);
	if (sb_param(r, "permissions") != NULL) {
		snprintf(list, sizeof(list), "%s", sb_param(r, "permissions"));
		for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
			perms |= (unsigned)gm_perm_parse(tok);
	}
	return perms;
}

static void
redirect_with(struct sb_response *res, struct sb_request *r, const char *key,
    const char *value)
{
	const char *ru = sb_param(r, "redirect_uri"), *state = sb_param(r, "state");
	buf_t loc = BUF_INIT;

	buf_puts(&loc, ru);
	buf_putc(&loc, strchr(ru, '?') ? '&' : '?');
	buf_printf(&loc, "%s=", key);
	sb_url_encode(&loc, value);
	if (state != NULL) {
		buf_puts(&loc, "&state=");
		sb_url_encode(&loc, state);
	}
	sb_redirect(res, 302, buf_cstr(&loc));
	buf_free(&loc);
}

static void
consent_post(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *decision = sb_param(r, "decision");
	int u = gm_user_find(app, sb_param(r, "user_id"));
	struct gm_code *c;

	if (decision != NULL && strcmp(decision, "cancel") == 0) {
		redirect_with(res, r, "error", "access_denied");
		return;
	}
	if (decision == NULL || strcmp(decision, "agree") != 0 || u < 0) {
		oauth_error(res, 400, "invalid_request", "decision and user_id are required");
		return;
	}
	if (app->ncodes >= GM_MAX_CODES)
		app->ncodes = 0;	/* old codes expired long ago */
	c = &app->codes[app->ncodes++];
	memset(c, 0, sizeof(*c));
	gm_random_hex(c->code, 32);
	c->user = u;
	c->perms = posted_perms(r);
	snprintf(c->challenge, sizeof(c->challenge), "%s", sb_param(r, "code_challenge"));
	snprintf(c->redirect_uri, sizeof(c->redirect_uri), "%s", sb_param(r, "redirect_uri"));
	c->expires = gm_now() + app->cfg.code_ttl;
	redirect_with(res, r, "code", c->code);
}

static void
token_json(struct gm_app *app, struct sb_response *res, const struct gm_grant *g)
{
	char jti[37];
	unsigned char raw[16];
	int64_t now = gm_now();

	randombytes_buf(raw, sizeof(raw));
	snprintf(jti, sizeof(jti), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3], raw[4],
	    raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11], raw[12],
	    raw[13], raw[14], raw[15]);
	(void)app;
	sb_json(res, 200, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I}",
	    "access_token", g->access, "expires_in", (json_int_t)(g->access_expires - now),
	    "token_type", "bearer", "refresh_token", g->refresh, "scope", GM_SCOPE,
	    "jti", jti, "refresh_token_expires_in", (json_int_t)(g->refresh_expires - now)));
}

/* base64url(sha256(verifier)) == challenge, verifier well formed. */
static bool
pkce_ok(const char *verifier, const char *challenge)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[64];
	size_t n = verifier ? strlen(verifier) : 0, i;

	if (n < VERIFIER_MIN || n > VERIFIER_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((verifier[i] >= 'A' && verifier[i] <= 'Z') ||
		    (verifier[i] >= 'a' && verifier[i] <= 'z') ||
		    (verifier[i] >= '0' && verifier[i] <= '9') ||
		    strchr("-._~", verifier[i]) != NULL))
			return false;
	crypto_hash_sha256(h, (const unsigned char *)verifier, n);
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return str_equal_ct(b64, challenge);
}

static struct gm_code *
find_code(struct gm_app *app, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < app->ncodes; i++)
		if (str_equal_ct(app->codes[i].code, code))
			return &app->codes[i];
	return NULL;
}

static void
grant_code(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	struct gm_code *c = find_code(app, sb_param(r, "code"));
	const char *ru = sb_param(r, "redirect_uri");

	if (c == NULL || c->used || c->expires <= gm_now()) {
		oauth_error(res, 400, "invalid_grant", "authorization code is invalid or expired");
		return;
	}
	if (c->redirect_uri[0] != '\0' && (ru == NULL || strcmp(ru, c->redirect_uri) != 0)) {
		oauth_error(res, 400, "invalid_grant", "redirect_uri does not match");
		return;
	}
	if (!pkce_ok(sb_param(r, "code_verifier"), c->challenge)) {
		oauth_error(res, 400, "invalid_grant", "code_verifier does not match the code_challenge");
		return;
	}
	c->used = true;
	/* The grant is the user's registration with its chosen permissions. */
	app->users[c->user].registered = true;
	app->users[c->user].perms = c->perms;
	token_json(app, res, gm_grant_add(app, c->user));
}

static void
grant_refresh(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *rt = sb_param(r, "refresh_token");
	struct gm_grant *g = NULL;
	int i, user;

	for (i = 0; rt != NULL && i < app->ngrants; i++)
		if (str_equal_ct(app->grants[i].refresh, rt))
			g = &app->grants[i];
	if (g == NULL || g->refresh_used || g->refresh_expires <= gm_now() ||
	    !app->users[g->user].registered) {
		oauth_error(res, 400, "invalid_grant", "refresh token is invalid or expired");
		return;
	}
	g->refresh_used = true;		/* rotation: it works once */
	user = g->user;
	token_json(app, res, gm_grant_add(app, user));
}

static void
token(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *gt = sb_param(r, "grant_type"), *id = sb_param(r, "client_id"),
	    *secret = sb_param(r, "client_secret");

	if (id == NULL || secret == NULL || !str_equal_ct(id, app->client_id) ||
	    !str_equal_ct(secret, app->client_secret)) {
		oauth_error(res, 401, "invalid_client", "client authentication failed");
		return;
	}
	if (gt != NULL && strcmp(gt, "authorization_code") == 0)
		grant_code(app, r, res);
	else if (gt != NULL && strcmp(gt, "refresh_token") == 0)
		grant_refresh(app, r, res);
	else
		oauth_error(res, 400, "unsupported_grant_type",
		    "grant_type must be authorization_code or refresh_token");
}

bool
gm_oauth_route(struct gm_app *app, struct sb_request *r, struct sb_response *res)
{
	const char *bad;

	if (strcmp(r->path, "/oauth2Confirm") == 0) {
		if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "POST") != 0) {
			oauth_error(res, 405, "invalid_request", "GET or POST");
			return true;
		}
		if ((bad = check_authorize(app, r)) != NULL)
			oauth_error(res, 400, "invalid_request", bad);
		else if (strcmp(r->method, "GET") == 0)
			consent_page(app, r, res);
		else
			consent_post(app, r, res);
		return true;
	}
	if (strcmp(r->path, "/di-oauth2-service/oauth/token") == 0) {
		if (strcmp(r->method, "POST") != 0)
			oauth_error(res, 405, "invalid_request", "POST only");
		else
			token(app, r, res);
		return true;
	}
	return false;
}
