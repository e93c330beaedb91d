/*
 * Runner accounts: sign-up, sign-in, sign-out.  Settings live in
 * settings.c.  Every failure re-shows the form with what was typed and a
 * message next to the field; success is POST -> redirect -> GET with a
 * one-time flash message.
 */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/password.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/account.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"

/* Failed sign-ins before delays start, and the longest delay. */
#define THROTTLE_EMAIL_FREE	5
#define THROTTLE_ADDR_FREE	30
#define THROTTLE_MAX_SECONDS	900

static const struct db_stmt q_create_user = DB_STMT("account_create_user",
    "WITH u AS (INSERT INTO users (email, name, password_hash)"
    "           VALUES ($1, NULLIF($2, ''), $3) RETURNING id)"
    " INSERT INTO athlete_profiles (user_id) SELECT id FROM u"
    " RETURNING user_id");
static const struct db_stmt q_by_email = DB_STMT("account_by_email",
    "SELECT id, password_hash FROM users WHERE lower(email) = lower($1)");
static const struct db_stmt q_rehash = DB_STMT("account_rehash",
    "UPDATE users SET password_hash = $2 WHERE id = $1");
static const struct db_stmt q_throttled = DB_STMT("account_throttled",
    "SELECT CEIL(EXTRACT(EPOCH FROM MAX(locked_until) - NOW()))::int"
    "  FROM login_throttle WHERE key = ANY($1::text[])"
    "   AND locked_until > NOW()");
/*
 * Each failure past the free ones doubles the lock: 1 s, 2 s, 4 s ...
 * up to THROTTLE_MAX_SECONDS; the counter forgets after a quiet day.
 */
static const struct db_stmt q_fail = DB_STMT("account_fail",
    "INSERT INTO login_throttle AS t (key, failures, last_failure)"
    " VALUES ($1, 1, NOW())"
    " ON CONFLICT (key) DO UPDATE SET"
    "   failures = CASE WHEN t.last_failure < NOW() - INTERVAL '1 day'"
    "                   THEN 1 ELSE t.failures + 1 END,"
    "   last_failure = NOW(),"
    "   locked_until = CASE WHEN t.failures + 1 > $2::int"
    "     THEN NOW() + LEAST(power(2, t.failures + 1 - $2::int - 1), $3::int)"
    "                  * INTERVAL '1 second' END");
static const struct db_stmt q_forgive = DB_STMT("account_forgive",
    "DELETE FROM login_throttle WHERE key = $1");

bool
account_email_ok(const char *e)
{
	const char	*at = strchr(e, '@');
	size_t		 len = strlen(e), i;

	if (len < 3 || len > 254 || at == NULL || at == e ||
	    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || e[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)e[i] <= ' ' || e[i] == '<' || e[i] == '>' ||
		    e[i] == '"' || e[i] == ',' || e[i] == ';')
			return false;
	return utf8_text_ok(e, len, false);
}

/* Lower-cases ASCII letters: emails are stored and compared folded. */
char *
account_fold_email(arena_t *a, const char *e)
{
	char	*s = arena_strdup(a, e);
	char	*p;

	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

bool
account_name_ok(const char *n)
{
	return strlen(n) <= 255 && utf8_text_ok(n, strlen(n), false);
}

const char *
account_password_problem(const char *pw)
{
	size_t n = strlen(pw);

	if (n > PASSWORD_MAX)
		return "That password is too long (at most 1024 characters).";
	if (n < PASSWORD_MIN)
		return "Use at least 8 characters.";
	return NULL;
}

/* A local path to go to after signing in, never another site. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n\t\\") != NULL || strstr(next, "://") != NULL ||
	    strlen(next) > 512)
		return "/";
	return next;
}

/* ---- sign-up ---------------------------------------------------------- */

static int
show_signup(struct request *req, struct response *res, int status,
    json_t *form)
{
	return view_page(req, res, status, "signup",
	    json_pack("{s:o}", "form", form));
}

int
page_signup(struct request *req, struct response *res)
{
	if (req->runner != NULL) {
		resp_redirect(req, res, "/");
		return 0;
	}
	return show_signup(req, res, 200, json_object());
}

int
page_signup_post(struct request *req, struct response *res)
{
	const char	*name = req_form(req, "name");
	const char	*email = account_fold_email(req->arena,
			    req_form(req, "email"));
	const char	*pw = params_get(&req->form, "password");
	const char	*problem;
	char		 hash[PASSWORD_HASH_MAX];
	const char	*p[3];
	json_t		*form = json_object();
	PGresult	*r;

	fd_value(form, "name", name);
	fd_value(form, "email", email);
	if (!account_name_ok(name))
		fd_error(form, "name", "Use at most 255 characters, on one line.");
	if (!account_email_ok(email))
		fd_error(form, "email", "Enter an email address like "
		    "runner@example.com.");
	if ((problem = account_password_problem(pw ? pw : "")) != NULL)
		fd_error(form, "password", problem);
	if (fd_has_errors(form))
		return show_signup(req, res, 422, form);
	if (password_hash(pw, hash) != 0) {
		json_decref(form);
		return -1;
	}
	p[0] = email;
	p[1] = name;
	p[2] = hash;
	if ((r = db_exec(req->db, &q_create_user, 3, p)) == NULL) {
		if (!db_unique_violation(req->db)) {
			json_decref(form);
			return -1;
		}
		/* Two sign-ups raced for one address: this one lost. */
		fd_error(form, "email", "An account with this email already "
		    "exists. Sign in instead?");
		return show_signup(req, res, 422, form);
	}
	json_decref(form);
	if (session_start(req, res, arena_strdup(req->arena,
	    db_val(r, 0, 0))) == -1) {
		PQclear(r);
		return -1;
	}
	PQclear(r);
	log_info("account created");
	view_flash(req, res, "welcome");
	resp_redirect(req, res, "/");
	return 0;
}

/* ---- sign-in ---------------------------------------------------------- */

static int
show_login(struct request *req, struct response *res, int status,
    const char *email, const char *error)
{
	json_t *d = json_pack("{s:{s:{s:s?}}, s:s?, s:s}", "form", "email",
	    "value", email && *email ? email : NULL, "form_error", error,
	    "next", safe_next(req_query(req, "next")[0] ?
	    req_query(req, "next") : req_form(req, "next")));

	return view_page(req, res, status, "login", d);
}

int
page_login(struct request *req, struct response *res)
{
	if (req->runner != NULL) {
		resp_redirect(req, res, safe_next(req_query(req, "next")));
		return 0;
	}
	return show_login(req, res, 200, NULL, NULL);
}

/* Seconds the sign-in is still locked for (0 = free), or -1 on error. */
static int
throttle_wait(struct request *req, const char *ekey, const char *akey)
{
	const char	*arr = arena_printf(req->arena, "{\"%s\",\"%s\"}",
			    ekey, akey);
	PGresult	*r = db_exec(req->db, &q_throttled, 1, &arr);
	int		 wait;

	if (r == NULL)
		return -1;
	wait = db_null(r, 0, 0) ? 0 : (int)db_long(r, 0, 0);
	PQclear(r);
	return wait;
}

static int
throttle_fail(struct request *req, const char *key, int free_tries)
{
	char		 fr[16], mx[16];
	const char	*p[3] = { key, fr, mx };

	snprintf(fr, sizeof(fr), "%d", free_tries);
	snprintf(mx, sizeof(mx), "%d", THROTTLE_MAX_SECONDS);
	return db_run(req->db, &q_fail, 3, p) < 0 ? -1 : 0;
}

/* JSON-array-safe key: emails with quotes or backslashes never get here. */
static const char *
key_of(arena_t *a, const char *kind, const char *v)
{
	char *k = arena_printf(a, "%s:%s", kind, v ? v : "?");
	char *p;

	for (p = k; *p != '\0'; p++)
		if (*p == '"' || *p == '\\' || *p == ',' || *p == '{' ||
		    *p == '}')
			*p = '_';
	return k;
}

int
page_login_post(struct request *req, struct response *res)
{
	const char	*email = account_fold_email(req->arena,
			    req_form(req, "email"));
	const char	*pw = params_get(&req->form, "password");
	const char	*ekey = key_of(req->arena, "email", email);
	const char	*akey = key_of(req->arena, "addr", req->remote_addr);
	const char	*uid = NULL, *hash = NULL;
	char		 fresh[PASSWORD_HASH_MAX];
	bool		 ok = false;
	PGresult	*r;
	int		 wait;

	if (pw == NULL || *email == '\0' || strlen(pw) > PASSWORD_MAX)
		return show_login(req, res, 422, email, "Enter your email "
		    "and password (at most 1024 characters).");
	if ((wait = throttle_wait(req, ekey, akey)) < 0)
		return -1;
	if (wait > 0)
		return show_login(req, res, 429, email, arena_printf(req->arena,
		    "Too many failed sign-ins. Please wait %d second%s and "
		    "try again.", wait, wait == 1 ? "" : "s"));
	if ((r = db_exec(req->db, &q_by_email, 1, &email)) == NULL)
		return -1;
	if (PQntuples(r) == 1 && !db_null(r, 0, 1)) {
		uid = arena_strdup(req->arena, db_val(r, 0, 0));
		hash = arena_strdup(req->arena, db_val(r, 0, 1));
	}
	PQclear(r);
	if (hash != NULL)
		ok = password_verify(hash, pw);
	else
		password_burn(pw);	/* same cost as a wrong password */
	if (!ok) {
		if (throttle_fail(req, ekey, THROTTLE_EMAIL_FREE) == -1 ||
		    throttle_fail(req, akey, THROTTLE_ADDR_FREE) == -1)
			return -1;
		return show_login(req, res, 401, email,
		    "That email and password do not match an account.");
	}
	if (password_needs_rehash(hash) && password_hash(pw, fresh) == 0) {
		const char *p[2] = { uid, fresh };

		if (db_run(req->db, &q_rehash, 2, p) < 0)
			return -1;
	}
	if (db_run(req->db, &q_forgive, 1, &ekey) < 0 ||
	    session_start(req, res, uid) == -1)
		return -1;
	view_flash(req, res, "signed_in");
	resp_redirect(req, res, safe_next(req_form(req, "next")));
	return 0;
}

int
page_logout(struct request *req, struct response *res)
{
	if (session_end(req, res) == -1)
		return -1;
	view_flash(req, res, "signed_out");
	resp_redirect(req, res, "/");
	return 0;
}
