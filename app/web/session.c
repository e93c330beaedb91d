#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/sessions.h"
#include "web/session.h"

#define TOKEN_HEX	(2 * SESSION_TOKEN_BYTES)

static const char *
cookie_name(const struct request *req, bool pre)
{
	bool secure = req->cfg != NULL && req->cfg->https;

	if (pre)
		return secure ? PRESESSION_COOKIE_SECURE : PRESESSION_COOKIE;
	return secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE;
}

static bool
hex_token_ok(const char *s)
{
	size_t i;

	if (strlen(s) != TOKEN_HEX)
		return false;
	for (i = 0; i < TOKEN_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void
random_hex(char out[TOKEN_HEX + 1])
{
	unsigned char raw[SESSION_TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, TOKEN_HEX + 1, raw, sizeof(raw));
}

static void
token_hash_hex(const char *token, char out[TOKEN_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, TOKEN_HEX + 1, h, sizeof(h));
}

static void
set_cookie(struct request *req, struct response *res, bool pre,
    const char *value, long max_age)
{
	char *c = arena_printf(req->arena, "%s=%s; Path=/; Max-Age=%ld; "
	    "HttpOnly; SameSite=Lax%s", cookie_name(req, pre), value, max_age,
	    req->cfg->https ? "; Secure" : "");

	resp_header(res, req->arena, "Set-Cookie", c);
}

static int
load_signed_in(struct request *req, const char *token)
{
	char			hash[TOKEN_HEX + 1];
	struct session_row	s;
	int			rc;

	token_hash_hex(token, hash);
	if ((rc = sessions_lookup(req->db, req->arena, hash,
	    req->cfg->session_idle_days, req->cfg->session_max_days, &s)) != 1)
		return rc;
	req->session_id = s.id;
	req->csrf_token = s.csrf_token;
	req->runner = s.runner;
	return s.stale ? sessions_touch(req->db, s.id) : 0;
}

int
session_load(struct request *req, struct response *res, bool need_csrf)
{
	const char	*token = req_cookie(req, cookie_name(req, false));
	const char	*pre;
	char		 fresh[TOKEN_HEX + 1];

	if (hex_token_ok(token) && load_signed_in(req, token) == -1)
		return -1;
	if (req->runner != NULL || !need_csrf)
		return 0;
	/* Signed out: double-submit token in a pre-session cookie. */
	pre = req_cookie(req, cookie_name(req, true));
	if (hex_token_ok(pre)) {
		req->csrf_token = pre;
		return 0;
	}
	random_hex(fresh);
	req->csrf_token = arena_strdup(req->arena, fresh);
	set_cookie(req, res, true, fresh, 2 * 3600);
	return 0;
}

bool
csrf_valid(const struct request *req)
{
	const char *sent = params_get(&req->form, "csrf_token");

	return sent != NULL && req->csrf_token != NULL &&
	    req->csrf_token[0] != '\0' && str_equal_ct(sent, req->csrf_token);
}

/* "scheme://host[:port]" of base, into out. */
static void
origin_of(const char *base, char *out, size_t len)
{
	const char *p = strstr(base, "://");
	size_t n = strlen(base);

	if (p != NULL && (p = strchr(p + 3, '/')) != NULL)
		n = (size_t)(p - base);
	snprintf(out, len, "%.*s", (int)n, base);
}

bool
same_origin(const struct request *req)
{
	char base[512], host[512];

	if (req->sec_fetch_site != NULL &&
	    strcmp(req->sec_fetch_site, "same-origin") != 0 &&
	    strcmp(req->sec_fetch_site, "none") != 0)
		return false;
	if (req->origin == NULL)
		return true;	/* older browsers: the CSRF token decides */
	origin_of(req->cfg->base_url, base, sizeof(base));
	if (strcmp(req->origin, base) == 0)
		return true;
	if (req->host == NULL)
		return false;
	snprintf(host, sizeof(host), "%s://%s",
	    req->cfg->https ? "https" : "http", req->host);
	return strcmp(req->origin, host) == 0;
}

int
session_start(struct request *req, struct response *res, const char *user_id)
{
	char		 token[TOKEN_HEX + 1], hash[TOKEN_HEX + 1];
	char		 csrf[TOKEN_HEX + 1];
	const char	*ua = req->user_agent ? req->user_agent : "";

	/* A new token at every sign-in: never reuse a cookie's session. */
	if (req->session_id != NULL &&
	    sessions_delete(req->db, req->session_id) < 0)
		return -1;
	random_hex(token);
	random_hex(csrf);
	token_hash_hex(token, hash);
	if (!utf8_text_ok(ua, strlen(ua), false))
		ua = "";
	if (sessions_insert(req->db, req->arena, user_id, hash, csrf, ua,
	    &req->session_id) != 1)
		return -1;
	req->csrf_token = arena_strdup(req->arena, csrf);
	set_cookie(req, res, false, token,
	    (long)req->cfg->session_max_days * 86400);
	set_cookie(req, res, true, "", 0);
	return 0;
}

int
session_end(struct request *req, struct response *res)
{
	if (req->session_id != NULL &&
	    sessions_delete(req->db, req->session_id) < 0)
		return -1;
	req->session_id = NULL;
	req->runner = NULL;
	set_cookie(req, res, false, "", 0);
	return 0;
}
