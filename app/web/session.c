#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "web/session.h"

#define TOKEN_HEX	(2 * SESSION_TOKEN_BYTES)
/* last_seen_at is written at most this often, not on every request. */
#define SESSION_TOUCH_SECONDS	"300"

static const struct db_stmt q_lookup = DB_READ("session_lookup",
    "SELECT s.id, s.csrf_token, u.id, u.email, COALESCE(u.name, ''),"
    "       COALESCE(p.units, 'km'), COALESCE(p.first_day_of_week, 'mon'),"
    "       COALESCE(p.timezone, 'UTC'),"
    "       (NOW() AT TIME ZONE COALESCE(p.timezone, 'UTC'))::date,"
    "       COALESCE(p.weekly_distance, 0),"
    "       COALESCE(p.recent_race_distance, 0),"
    "       COALESCE(p.recent_race_time, 0),"
    "       COALESCE(u.strava_athlete_id, 0),"
    "       s.last_seen_at < NOW() - INTERVAL '" SESSION_TOUCH_SECONDS
    " seconds',"
    "       COALESCE((SELECT v.version FROM user_data_versions v"
    "                  WHERE v.user_id = u.id), 0)"
    "  FROM sessions s JOIN users u ON u.id = s.user_id"
    "  LEFT JOIN athlete_profiles p ON p.user_id = u.id"
    " WHERE s.token_hash = decode($1, 'hex')"
    "   AND s.last_seen_at > NOW() - make_interval(days => $2::int)"
    "   AND s.created_at > NOW() - make_interval(days => $3::int)");
static const struct db_stmt q_touch = DB_STMT("session_touch",
    "UPDATE sessions SET last_seen_at = NOW() WHERE id = $1");
static const struct db_stmt q_insert = DB_STMT("session_insert",
    "INSERT INTO sessions (user_id, token_hash, csrf_token, user_agent)"
    " VALUES ($1, decode($2, 'hex'), $3, left($4, 255)) RETURNING id");
static const struct db_stmt q_delete = DB_STMT("session_delete",
    "DELETE FROM sessions WHERE id = $1");

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

static struct runner *
runner_from_row(arena_t *a, PGresult *r)
{
	struct runner *u = arena_alloc(a, sizeof(*u));

	u->id = arena_strdup(a, db_val(r, 0, 2));
	u->email = arena_strdup(a, db_val(r, 0, 3));
	u->name = arena_strdup(a, db_val(r, 0, 4));
	u->units = arena_strdup(a, db_val(r, 0, 5));
	u->first_day = arena_strdup(a, db_val(r, 0, 6));
	u->timezone = arena_strdup(a, db_val(r, 0, 7));
	u->today = arena_strdup(a, db_val(r, 0, 8));
	u->weekly_distance = db_long(r, 0, 9);
	u->recent_race_distance = db_long(r, 0, 10);
	u->recent_race_time = db_long(r, 0, 11);
	u->strava_athlete_id = db_long(r, 0, 12);
	u->data_version = strtoll(db_val(r, 0, 14), NULL, 10);
	return u;
}

static int
load_signed_in(struct request *req, const char *token)
{
	char		 hash[TOKEN_HEX + 1], idle[16], max[16];
	const char	*p[3] = { hash, idle, max };
	PGresult	*r;

	token_hash_hex(token, hash);
	snprintf(idle, sizeof(idle), "%d", req->cfg->session_idle_days);
	snprintf(max, sizeof(max), "%d", req->cfg->session_max_days);
	if ((r = db_exec(req->db, &q_lookup, 3, p)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		req->session_id = arena_strdup(req->arena, db_val(r, 0, 0));
		req->csrf_token = arena_strdup(req->arena, db_val(r, 0, 1));
		req->runner = runner_from_row(req->arena, r);
		if (db_bool(r, 0, 13) &&
		    db_run(req->db, &q_touch, 1, &req->session_id) < 0) {
			PQclear(r);
			return -1;
		}
	}
	PQclear(r);
	return 0;
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
	const char	*p[4] = { user_id, hash, csrf, req->user_agent ?
			    req->user_agent : "" };
	PGresult	*r;

	/* A new token at every sign-in: never reuse a cookie's session. */
	if (req->session_id != NULL &&
	    db_run(req->db, &q_delete, 1, &req->session_id) < 0)
		return -1;
	random_hex(token);
	random_hex(csrf);
	token_hash_hex(token, hash);
	if (!utf8_text_ok(p[3], strlen(p[3]), false))
		p[3] = "";
	if ((r = db_exec(req->db, &q_insert, 4, p)) == NULL)
		return -1;
	req->session_id = arena_strdup(req->arena, db_val(r, 0, 0));
	PQclear(r);
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
	    db_run(req->db, &q_delete, 1, &req->session_id) < 0)
		return -1;
	req->session_id = NULL;
	req->runner = NULL;
	set_cookie(req, res, false, "", 0);
	return 0;
}
