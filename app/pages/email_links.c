/*
 * The pages behind mailed links: verifying an address, and a forgotten
 * password (ask for a link, then set a new password with it).  See
 * mail_pages.h.
 *
 * Forgot password answers the same whether or not the address has an
 * account, in the same time: either way the page counts the request on
 * the throttle and queues one job (the job worker finds no account and
 * sends nothing).  A reset link works once, for 30 minutes; using it sets
 * the password, ends every session of the runner (this browser is signed
 * in afresh) and tells the address.
 */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/password.h"
#include "db/mail.h"
#include "db/throttle.h"
#include "db/users.h"
#include "jobs/mail_account.h"
#include "pages/account.h"
#include "pages/login_throttle.h"
#include "pages/mail_pages.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"

/* ---- shared --------------------------------------------------------------- */

struct ask_state {
	bool	*quiet;
};

/* The client's counters refuse; the address's only silence the mail. */
static int
ask_refusal(const struct throttle_count c[TK__MAX], void *arg)
{
	struct ask_state	*st = arg;
	int			 wait = 0, w, k;
	double			 need;

	*st->quiet = c[TK_ACCT].present &&
	    c[TK_ACCT].prior >= MAIL_ASK_ACCT_MAILS;
	for (k = 0; k < TK__MAX; k++) {
		if (k == TK_ACCT || !c[k].present)
			continue;
		need = throttle_backoff(c[k].prior, k == TK_PAIR ?
		    MAIL_ASK_PAIR_FREE : MAIL_ASK_ADDR_FREE);
		w = need > c[k].age ? (int)(need - c[k].age + 0.999) : 0;
		if (w > wait)
			wait = w;
	}
	return wait;
}

int
mail_ask_throttle(struct request *req, const char *prefix,
    const char *subject, const char *user_id, bool *quiet)
{
	static const struct throttle_windows windows = { { MAIL_ASK_WINDOW,
		MAIL_ASK_WINDOW, MAIL_ASK_WINDOW } };
	struct ask_state	 st = { quiet };
	const char		*k[TK__MAX];
	char			 addr[80];

	*quiet = false;
	throttle_addr(req->remote_addr, addr, sizeof(addr));
	k[TK_PAIR] = arena_printf(req->arena, "%s-pair:%s|%s", prefix,
	    subject, addr);
	k[TK_ACCT] = arena_printf(req->arena, "%s-acct:%s", prefix, subject);
	k[TK_ADDR] = arena_printf(req->arena, "%s-addr:%s", prefix, addr);
	return throttle_count_attempt(req->db, k, user_id, &windows,
	    ask_refusal, &st);
}

int
mail_notice(struct request *req, struct response *res, int status,
    const char *title, const char *message, const char *href,
    const char *label)
{
	return view_page(req, res, status, "notice", json_pack(
	    "{s:s, s:s, s:s?, s:s?}", "title", title, "message", message,
	    "link_href", href, "link_label", label));
}

/* A link that cannot be used: why, and what to do instead. */
static int
bad_link(struct request *req, struct response *res,
    enum mail_token_state st, bool reset)
{
	const char *again = reset ? "/password/forgot" : "/settings";
	const char *label = reset ? "Ask for a new link" :
	    "Send a new link from settings";

	switch (st) {
	case MAIL_TOKEN_USED:
		return mail_notice(req, res, 410, "This link was used already",
		    reset ? "Each password link works once. If you did not "
		    "set a new password with it, ask for another." :
		    "Your address was verified with this link already.",
		    again, label);
	case MAIL_TOKEN_EXPIRED:
		return mail_notice(req, res, 410, "This link has expired",
		    reset ? "Password links work for 30 minutes. Nothing was "
		    "changed." : "Verification links work for 7 days. Nothing "
		    "was changed.", again, label);
	case MAIL_TOKEN_STALE:
		return mail_notice(req, res, 410, "This link is for an old "
		    "address", "The account's email changed since this link "
		    "was sent; the new address got a link of its own. Nothing "
		    "was changed.", again, label);
	default:
		return mail_notice(req, res, 404, "This link is not valid",
		    "It may have been copied incompletely. Nothing was "
		    "changed.", again, label);
	}
}

/* The token's state, its hash into hash; unknown for a malformed one. */
static enum mail_token_state
token_state(struct request *req, const char *purpose, const char *token,
    char hash[MAIL_TOKEN_HEX + 1], const char **email)
{
	*email = NULL;
	if (!mail_token_ok(token))
		return MAIL_TOKEN_UNKNOWN;
	mail_token_hash(token, hash);
	return db_mail_token_state(req->db, req->arena, purpose, hash, email);
}

/* ---- verifying an address ------------------------------------------------ */

int
page_email_verify(struct request *req, struct response *res)
{
	const char		*token = req_query(req, "token"), *email;
	char			 hash[MAIL_TOKEN_HEX + 1];
	enum mail_token_state	 st;

	if ((int)(st = token_state(req, "verify", token, hash, &email)) < 0)
		return -1;
	if (st != MAIL_TOKEN_VALID)
		return bad_link(req, res, st, false);
	/* A GET changes nothing (mail scanners open links): a button does. */
	return view_page(req, res, 200, "email_verify", json_pack(
	    "{s:s, s:s}", "email", email, "token", token));
}

int
page_email_verify_post(struct request *req, struct response *res)
{
	const char		*token = req_form(req, "token"), *email, *uid;
	char			 hash[MAIL_TOKEN_HEX + 1];
	enum mail_token_state	 st;
	int			 rc;

	if ((int)(st = token_state(req, "verify", token, hash, &email)) < 0)
		return -1;
	if (st != MAIL_TOKEN_VALID)
		return bad_link(req, res, st, false);
	if ((rc = db_mail_token_verify(req->db, req->arena, hash, &uid)) < 0)
		return -1;
	if (rc == 0)		/* used or changed meanwhile */
		return bad_link(req, res, MAIL_TOKEN_USED, false);
	log_info("email address verified");
	return mail_notice(req, res, 200, "Your email is verified",
	    arena_printf(req->arena, "Thanks: %s is verified. Notifications "
	    "you turn on in settings will go there.", email),
	    req->runner != NULL ? "/settings" : "/login",
	    req->runner != NULL ? "Go to settings" : "Sign in");
}

/* ---- forgot password --------------------------------------------------------- */

static int
show_forgot(struct request *req, struct response *res, int status,
    const char *email, const char *error)
{
	json_t *form = json_object();

	fd_value(form, "email", email);
	if (error != NULL)
		fd_error(form, "email", error);
	return view_page(req, res, status, "password_forgot",
	    json_pack("{s:o}", "form", form));
}

int
page_password_forgot(struct request *req, struct response *res)
{
	return show_forgot(req, res, 200, "", NULL);
}

int
page_password_forgot_post(struct request *req, struct response *res)
{
	const char		*email = account_fold_email(req->arena,
				    req_form(req, "email"));
	struct user_login	 a;
	bool			 quiet;
	int			 wait;

	if (strlen(email) > ACCOUNT_EMAIL_MAX || !account_email_ok(email))
		return show_forgot(req, res, 422, strlen(email) <=
		    ACCOUNT_EMAIL_MAX ? email : "", "Enter an email address "
		    "like runner@example.com.");
	if (users_find_for_login(req->db, req->arena, email, &a) == -1 ||
	    (wait = mail_ask_throttle(req, "reset", a.subject, a.id,
	    &quiet)) < 0)
		return -1;
	if (wait > 0)
		return show_forgot(req, res, 429, email, arena_printf(
		    req->arena, "Too many requests from here. Please wait %d "
		    "second%s and try again.", wait, wait == 1 ? "" : "s"));
	/* One job either way: the worker sends nothing without an account. */
	if (!quiet && mail_request_reset(req->db, a.id) < 0)
		return -1;
	return mail_notice(req, res, 200, "Check your email",
	    arena_printf(req->arena, "If %s has a Cadence account, a link to "
	    "set a new password is on its way there. It works once, for 30 "
	    "minutes. Nothing arrived? Look in the spam folder, or check the "
	    "address and ask again.", email), "/login", "Back to sign in");
}

/* ---- reset ------------------------------------------------------------------ */

static int
show_reset(struct request *req, struct response *res, int status,
    const char *token, const char *email, const char *error)
{
	json_t *form = json_object();

	if (error != NULL)
		fd_error(form, "new_password", error);
	return view_page(req, res, status, "password_reset", json_pack(
	    "{s:o, s:s, s:s}", "form", form, "token", token, "email", email));
}

int
page_password_reset(struct request *req, struct response *res)
{
	const char		*token = req_query(req, "token"), *email;
	char			 hash[MAIL_TOKEN_HEX + 1];
	enum mail_token_state	 st;

	if ((int)(st = token_state(req, "reset", token, hash, &email)) < 0)
		return -1;
	if (st != MAIL_TOKEN_VALID)
		return bad_link(req, res, st, true);
	return show_reset(req, res, 200, token, email, NULL);
}

int
page_password_reset_post(struct request *req, struct response *res)
{
	const char		*token = req_form(req, "token"), *email, *uid;
	const char		*pw = params_get(&req->form, "new_password");
	const char		*problem = account_password_problem(pw ? pw : "");
	char			 hash[MAIL_TOKEN_HEX + 1], pwhash[PASSWORD_HASH_MAX];
	enum mail_token_state	 st;
	int			 rc;

	if ((int)(st = token_state(req, "reset", token, hash, &email)) < 0)
		return -1;
	if (st != MAIL_TOKEN_VALID)
		return bad_link(req, res, st, true);
	if (problem != NULL)
		return show_reset(req, res, 422, token, email, problem);
	if (password_hash(pw, pwhash) != 0)
		return -1;
	if ((rc = db_mail_token_reset(req->db, req->arena, hash, pwhash,
	    &uid)) < 0)
		return -1;
	if (rc == 0)
		return bad_link(req, res, MAIL_TOKEN_USED, true);
	log_info("password reset with a mailed link; every session ended");
	if (mail_password_changed(req->db, uid, "reset") < 0 ||
	    session_start(req, res, uid) == -1)
		return -1;
	view_flash(req, res, "password_reset");
	resp_redirect(req, res, "/");
	return 0;
}
