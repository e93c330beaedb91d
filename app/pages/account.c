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
#include "db/users.h"
#include "pages/account.h"
#include "pages/login_throttle.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"

/*
 * Sign-up answers the same whether or not the email is taken (nobody can
 * learn who has an account): a new account is created, a taken email
 * only notes the attempt for its owner; either way the page says "now
 * sign in" and nobody is signed in.
 */
bool
account_email_ok(const char *e)
{
	const char	*at = strchr(e, '@');
	size_t		 len = strlen(e), i;

	if (len < 3 || len > ACCOUNT_EMAIL_MAX || at == NULL || at == e ||
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

/* Offered in the datalists; any zone PostgreSQL knows is taken. */
static const char *const common_zones[] = {
	"UTC", "Europe/London", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Amsterdam", "Europe/Stockholm",
	"America/New_York", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Sao_Paulo", "America/Toronto",
	"Africa/Nairobi", "Asia/Tokyo", "Asia/Kolkata", "Asia/Singapore",
	"Australia/Sydney", "Pacific/Auckland",
};

json_t *
account_timezones_json(const char *selected)
{
	json_t	*zones = json_array();
	size_t	 i;

	for (i = 0; i < NELEM(common_zones); i++)
		json_array_append_new(zones, json_pack("{s:s, s:b}", "name",
		    common_zones[i], "selected", selected != NULL &&
		    strcmp(selected, common_zones[i]) == 0));
	return zones;
}

/* Without JavaScript, or a browser that cannot tell: UTC. */
#define SIGNUP_DEFAULT_ZONE	"UTC"

/*
 * Where to go after signing in, from the form or the query: an
 * invitation link (pages/invitations.c) sends new runners through
 * sign-up and sign-in and back to it.  NULL: the dashboard.
 */
static const char *
signup_next(const struct request *req)
{
	const char *next = safe_next(req_form(req, "next")[0] ?
	    req_form(req, "next") : req_query(req, "next"));

	return strcmp(next, "/") == 0 ? NULL : next;
}

static int
show_signup(struct request *req, struct response *res, int status,
    json_t *form)
{
	const char *tz = json_string_value(json_object_get(json_object_get(
	    form, "timezone"), "value"));

	if (tz == NULL)
		fd_value(form, "timezone", SIGNUP_DEFAULT_ZONE);
	return view_page(req, res, status, "signup",
	    json_pack("{s:o, s:o, s:s?}", "form", form, "timezones",
	    account_timezones_json(tz), "next", signup_next(req)));
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
	const char	*tz = req_form(req, "timezone");
	const char	*problem;
	char		 hash[PASSWORD_HASH_MAX];
	json_t		*form = json_object();

	fd_value(form, "name", name);
	fd_value(form, "email", email);
	if (!account_name_ok(name))
		fd_error(form, "name", "Use at most 255 characters, on one line.");
	if (!account_email_ok(email))
		fd_error(form, "email", "Enter an email address like "
		    "runner@example.com.");
	if ((problem = account_password_problem(pw ? pw : "")) != NULL)
		fd_error(form, "password", problem);
	fd_value(form, "timezone", *tz != '\0' ? tz : SIGNUP_DEFAULT_ZONE);
	if (*tz == '\0')
		tz = SIGNUP_DEFAULT_ZONE;
	else if (strlen(tz) >= 64 || users_timezone_known(req->db, tz) != 1)
		fd_error(form, "timezone", "Use a time zone name such as "
		    "Europe/Paris or America/New_York.");
	if (fd_has_errors(form))
		return show_signup(req, res, 422, form);
	json_decref(form);
	/* Hashed either way: a taken email must not answer faster. */
	if (password_hash(pw, hash) != 0)
		return -1;
	switch (users_create(req->db, email, name, hash, tz)) {
	case -1:
		return -1;
	case 1:
		log_info("account created");
		break;
	default:
		log_info("sign-up with a registered email: its owner is told");
	}
	view_flash(req, res, "signup_done");
	resp_redirect(req, res, signup_next(req) == NULL ? "/login" :
	    arena_printf(req->arena, "/login?next=%s",
	    http_query_encode(req->arena, signup_next(req))));
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

/* The right password: rehash if the parameters rose, start the session. */
static int
sign_in(struct request *req, struct response *res, const struct user_login *a,
    const char *pw)
{
	char fresh[PASSWORD_HASH_MAX];

	if (password_needs_rehash(a->hash) && password_hash(pw, fresh) == 0 &&
	    users_set_password_hash(req->db, a->id, fresh) == -1)
		return -1;
	if (a->signup_attempted &&
	    users_clear_signup_attempt(req->db, a->id) == -1)
		return -1;
	if (session_start(req, res, a->id) == -1)
		return -1;
	view_flash(req, res, a->signup_attempted ? "signup_attempted" :
	    "signed_in");
	resp_redirect(req, res, safe_next(req_form(req, "next")));
	return 0;
}

int
page_login_post(struct request *req, struct response *res)
{
	const char		*email = account_fold_email(req->arena,
				    req_form(req, "email"));
	const char		*pw = params_get(&req->form, "password");
	struct user_login	 a;
	struct throttle		 t;
	bool			 ok = false;
	int			 wait;

	/* Lengths first: nothing an account cannot have costs a query. */
	if (pw == NULL || *email == '\0' || strlen(pw) > PASSWORD_MAX ||
	    strlen(email) > ACCOUNT_EMAIL_MAX)
		return show_login(req, res, 422, strlen(email) <=
		    ACCOUNT_EMAIL_MAX ? email : NULL, "Enter your email and "
		    "password (at most 254 and 1024 characters).");
	if (users_find_for_login(req->db, req->arena, email, &a) == -1)
		return -1;
	throttle_init(req, &t, a.subject, a.id);
	if ((wait = throttle_attempt(req, &t)) < 0)
		return -1;
	if (wait > 0)
		return show_login(req, res, 429, email, arena_printf(req->arena,
		    "Too many failed sign-ins from here. Please wait %d "
		    "second%s and try again.", wait, wait == 1 ? "" : "s"));
	if (a.hash != NULL)
		ok = password_verify(a.hash, pw);
	else
		password_burn(pw);	/* same cost as a wrong password */
	if (!ok)
		return show_login(req, res, 401, email,
		    "That email and password do not match an account.");
	if (throttle_passed(req, &t) == -1)
		return -1;
	return sign_in(req, res, &a, pw);
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
