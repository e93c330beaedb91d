/*
 * Mail as a runner meets it, through nginx, the pool, its job worker and
 * the real SMTP server of the test environment (aiosmtpd): every message
 * is asserted as the server received and stored it (MAILDIR/new, decoded
 * by Python's email package: mail_read.py --to).
 *
 *   sign-up: a verification link (RFC 2047 name), the link verifies;
 *   a sign-up with a taken email: the owner is mailed, the answer is the same;
 *   forgot password: same answer for any address, no mail without an
 *   account, throttled per client; the reset link sets the password, ends
 *   every session, tells the address, works once, expires;
 *   forged links: a clear page, nothing changed;
 *   email change: the new address verifies, the old one is told;
 *   notifications: weekly summary (cadence mail weekly --now), "Strava
 *   needs you to reconnect", one-click unsubscribe (RFC 8058);
 *   "download my data": the archive, its mailed link, owner only;
 *   SMTP down: pages as fast, mail queued with a metric and a log line,
 *   delivered once the server is back.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "core/util.h"

#define MAIL_WAIT_MS	15000	/* a mail reaches the maildir within */
#define NAME_UNICODE	"Zo\xc3\xab \xc5\x81uk\xc3\xa1\xc5\xa1"

TestSuite(mail_flows, .timeout = 120);

/* ---- the maildir ----------------------------------------------------------- */

/* Every message to addr so far, oldest first (mail_read.py --to). */
static json_t *
inbox(const char *addr)
{
	char		 cmd[1024];
	json_error_t	 jerr;
	json_t		*j;
	FILE		*p;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/integration/"
	    "mail_read.py '%s' --to '%s'", env_or("MAILDIR", ""), addr);
	cr_assert_not_null(p = popen(cmd, "r"));
	j = json_loadf(p, 0, &jerr);
	cr_assert_eq(pclose(p), 0, "mail_read.py failed");
	cr_assert(json_is_array(j), "mail_read.py: %s", jerr.text);
	return j;
}

static long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The n-th message (1-based) to addr, waiting for it; caller decrefs. */
static json_t *
nth_mail(const char *addr, size_t n)
{
	long	 t0 = now_ms();
	json_t	*box, *m;

	for (;;) {
		box = inbox(addr);
		if (json_array_size(box) >= n) {
			m = json_incref(json_array_get(box, n - 1));
			json_decref(box);
			return m;
		}
		json_decref(box);
		cr_assert_lt(now_ms() - t0, MAIL_WAIT_MS, "no mail #%zu to %s "
		    "after %d ms", n, addr, MAIL_WAIT_MS);
		usleep(100 * 1000);
	}
}

static size_t
mail_count(const char *addr)
{
	json_t	*box = inbox(addr);
	size_t	 n = json_array_size(box);

	json_decref(box);
	return n;
}

static const char *
jstr(const json_t *j, const char *k1, const char *k2)
{
	const json_t *v = json_object_get(j, k1);

	if (k2 != NULL)
		v = json_object_get(v, k2);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The decoded text/plain part. */
static const char *
text_of(const json_t *m)
{
	const json_t	*p;
	size_t		 i;

	json_array_foreach(json_object_get(m, "parts"), i, p)
		if (strcmp(jstr(p, "type", NULL), "text/plain") == 0)
			return jstr(p, "content", NULL);
	cr_assert_fail("no text/plain part");
	return NULL;
}

/* The first URL of the site starting with path in the text (static). */
static const char *
link_in(const char *text, const char *path)
{
	static char	 url[1024];
	char		 want[512];
	const char	*p;
	size_t		 n;

	snprintf(want, sizeof(want), "%s%s", site_url(), path);
	cr_assert_not_null(p = strstr(text, want), "no %s link in:\n%s", want,
	    text);
	n = strcspn(p, " \r\n\t<>\"");
	cr_assert_lt(n, sizeof(url));
	memcpy(url, p, n);
	url[n] = '\0';
	return url;
}

/* The token of a link (after "token="), static. */
static const char *
token_of(const char *url)
{
	static char	 t[80];
	const char	*p = strstr(url, "token=");

	cr_assert_not_null(p);
	snprintf(t, sizeof(t), "%s", p + 6);
	cr_assert_eq(strlen(t), 64, "token %s", t);
	return t;
}

/* Asserts the common shape: to addr, from Cadence, no parser defects. */
static void
assert_mail(const json_t *m, const char *addr, const char *subject)
{
	cr_assert_str_eq(jstr(m, "to_addr", NULL), addr);
	cr_assert_str_eq(jstr(m, "from_addr", NULL), "cadence@cadence.localhost");
	cr_assert_str_eq(jstr(m, "subject", NULL), subject);
	cr_assert(json_is_true(json_object_get(m, "date_ok")));
	cr_assert_eq(json_array_size(json_object_get(m, "defects")), 0,
	    "defects in %s", subject);
	cr_assert(strstr(jstr(m, "raw", "Message-ID"), "@cadence.localhost>"));
	cr_assert(str_has_prefix(jstr(m, "raw", "Content-Type"),
	    "multipart/alternative;"));
}

/* ---- runners ----------------------------------------------------------------- */

static const char *
user_id(const char *email)
{
	static char id[40];

	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM users WHERE "
	    "email = '%s'", email));
	cr_assert_eq(strlen(id), 36, "no user %s", email);
	return id;
}

/* Signs up (name given), signs in, verifies through the mailed link. */
static struct client *
verified_runner(const char *prefix, char email[128])
{
	struct client		*c = client_elsewhere();
	struct http_resp	 r;
	json_t			*m;
	char			 form[128];

	client_signup(c, prefix, email);
	m = nth_mail(email, 1);
	snprintf(form, sizeof(form), "token=%s",
	    token_of(link_in(text_of(m), "/email/verify?token=")));
	json_decref(m);
	client_get(c, "/settings", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/email/verify", form, &r), 200);
	resp_done(&r);
	return c;
}

static void
notifications(struct client *c, const char *form)
{
	struct http_resp r;

	client_get(c, "/settings", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/settings/notifications", form, &r), 303);
	resp_done(&r);
}

/* ---- sign-up and verification ----------------------------------------------- */

Test(mail_flows, signup_mails_a_verification_link_that_verifies)
{
	struct client		*c = client_elsewhere(), *other = client_new();
	struct http_resp	 r;
	char			 email[128], form[512];
	const char		*link, *tok;
	json_t			*m;

	snprintf(email, sizeof(email), "verify-%d-%ld@test.cadence",
	    (int)getpid(), random() % 100000);
	client_get(c, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=%s&email=%s&password=%s",
	    urlenc(NAME_UNICODE), urlenc(email), urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/signup", form, &r), 303);
	resp_done(&r);
	m = nth_mail(email, 1);
	assert_mail(m, email, "Verify your email for Cadence");
	/* RFC 2047: the Unicode name travels encoded, reads back intact. */
	cr_assert(str_has_prefix(jstr(m, "raw", "To"), "=?UTF-8?B?"));
	cr_assert_str_eq(jstr(m, "to_name", NULL), NAME_UNICODE);
	cr_assert_null(jstr(m, "raw", "List-Unsubscribe"), "not a notification");
	link = link_in(text_of(m), "/email/verify?token=");
	tok = token_of(link);
	/* Only the token's SHA-256 is stored; the queued mail held it sealed. */
	cr_assert_str_eq(db_value("SELECT count(*) FROM email_tokens WHERE "
	    "token_hash = sha256('%s'::bytea)", tok), "1");
	cr_assert_str_eq(db_value("SELECT count(*) FROM jobs WHERE payload::text"
	    " LIKE '%%%s%%'", tok), "0");
	cr_assert_str_eq(db_value("SELECT email_verified_at IS NULL FROM users "
	    "WHERE email = '%s'", email), "t", "verified before the click");
	/* The link, opened in any browser: a page with a button (a GET
	 * changes nothing), the button verifies. */
	cr_assert_eq(client_get(other, link, &r), 200);
	cr_assert(resp_has(&r, email));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT email_verified_at IS NULL FROM users "
	    "WHERE email = '%s'", email), "t", "a GET verified");
	snprintf(form, sizeof(form), "token=%s", tok);
	cr_assert_eq(client_post(other, "/email/verify", form, &r), 200);
	cr_assert(resp_has(&r, "is verified"));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT email_verified_at IS NOT NULL FROM "
	    "users WHERE email = '%s'", email), "t");
	/* Used: a clear page, nothing more. */
	cr_assert_eq(client_get(other, link, &r), 410);
	cr_assert(resp_has(&r, "used already"));
	resp_done(&r);
	json_decref(m);
	client_free(c);
	client_free(other);
}

Test(mail_flows, signup_with_a_taken_email_mails_its_owner)
{
	struct client		*owner = client_elsewhere(), *x = client_elsewhere();
	struct http_resp	 r, r2;
	char			 email[128], form[512];
	json_t			*m;

	client_signup(owner, "taken", email);
	(void)nth_mail(email, 1);	/* the verification link */
	client_get(x, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=X&email=%s&password=%s",
	    urlenc(email), urlenc("another password 1"));
	cr_assert_eq(client_post(x, "/signup", form, &r), 303);
	cr_assert_str_eq(resp_header_value(&r, "Location"), "/login");
	/* Twice in a day: still one mail. */
	client_get(x, "/signup", &r2);
	resp_done(&r2);
	cr_assert_eq(client_post(x, "/signup", form, &r2), 303);
	resp_done(&r2);
	resp_done(&r);
	m = nth_mail(email, 2);
	assert_mail(m, email, "Someone tried to sign up with your email");
	cr_assert(strstr(text_of(m), "nothing was changed"));
	link_in(text_of(m), "/password/forgot");
	json_decref(m);
	usleep(1500 * 1000);
	cr_assert_eq(mail_count(email), 2, "one notice a day");
	client_free(owner);
	client_free(x);
}

/* ---- forgot password ---------------------------------------------------------- */

static long
forgot(struct client *c, const char *email, struct http_resp *r)
{
	char form[300];

	client_get(c, "/password/forgot", r);
	resp_done(r);
	snprintf(form, sizeof(form), "email=%s", urlenc(email));
	return client_post(c, "/password/forgot", form, r);
}

Test(mail_flows, forgot_password_answers_alike_and_mails_only_accounts)
{
	struct client		*a = client_elsewhere(), *c = client_elsewhere();
	struct http_resp	 r1, r2;
	char			 email[128], nobody[128];
	const char		*p1, *p2;
	json_t			*m;

	client_signup(a, "forgot", email);
	(void)nth_mail(email, 1);
	snprintf(nobody, sizeof(nobody), "nobody-%d-%ld@test.cadence",
	    (int)getpid(), random() % 100000);
	cr_assert_eq(forgot(c, email, &r1), 200);
	cr_assert_eq(forgot(c, nobody, &r2), 200);
	/* The same page but for the address typed. */
	p1 = strstr(r1.body.data, "<main");
	p2 = strstr(r2.body.data, "<main");
	cr_assert(p1 && p2 && strstr(p1, "If ") && strstr(p2, "If "));
	cr_assert_eq(strlen(p1) - strlen(email), strlen(p2) - strlen(nobody));
	resp_done(&r1);
	resp_done(&r2);
	m = nth_mail(email, 2);
	assert_mail(m, email, "Set a new Cadence password");
	cr_assert(strstr(text_of(m), "30 minutes"));
	link_in(text_of(m), "/password/reset?token=");
	json_decref(m);
	usleep(1500 * 1000);
	cr_assert_eq(mail_count(nobody), 0, "mail to an address with no account");
	client_free(a);
	client_free(c);
}

Test(mail_flows, forgot_password_is_throttled_per_client)
{
	struct client		*c = client_elsewhere(), *d = client_elsewhere();
	struct http_resp	 r;
	char			 email[128];
	int			 i;

	snprintf(email, sizeof(email), "flood-%d@test.cadence", (int)getpid());
	for (i = 0; i < 3; i++) {
		cr_assert_eq(forgot(c, email, &r), 200, "request %d", i + 1);
		resp_done(&r);
	}
	cr_assert_eq(forgot(c, email, &r), 429);
	cr_assert(resp_has(&r, "Too many requests"));
	resp_done(&r);
	/* Another client is not refused for this one's requests. */
	cr_assert_eq(forgot(d, email, &r), 200);
	resp_done(&r);
	client_free(c);
	client_free(d);
}

Test(mail_flows, reset_link_sets_password_ends_sessions_and_tells)
{
	struct client		*old = client_elsewhere(), *b = client_elsewhere();
	struct http_resp	 r;
	char			 email[128], form[300];
	const char		*link;
	json_t			*m;

	client_signup(old, "reset", email);		/* signed in */
	(void)nth_mail(email, 1);
	cr_assert_eq(forgot(b, email, &r), 200);
	resp_done(&r);
	m = nth_mail(email, 2);
	link = link_in(text_of(m), "/password/reset?token=");
	cr_assert_eq(client_get(b, link, &r), 200);
	cr_assert(resp_has(&r, "Set a new password"));
	resp_done(&r);
	snprintf(form, sizeof(form), "token=%s&new_password=%s",
	    token_of(link), urlenc("brand new horse"));
	cr_assert_eq(client_post(b, "/password/reset", form, &r), 303);
	resp_done(&r);
	/* The old session is over; this browser is signed in. */
	cr_assert_eq(client_get(old, "/settings", &r), 303);
	resp_done(&r);
	cr_assert_eq(client_get(b, "/settings", &r), 200);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM sessions s JOIN users u"
	    " ON u.id = s.user_id WHERE u.email = '%s'", email), "1");
	cr_assert_eq(client_login(old, email, TEST_PASSWORD), 401);
	cr_assert_eq(client_login(old, email, "brand new horse"), 303);
	/* Told; the address counts as verified (the link reached it). */
	json_decref(m);
	m = nth_mail(email, 3);
	assert_mail(m, email, "Your Cadence password was changed");
	cr_assert(strstr(text_of(m), "Every session of the account was"));
	cr_assert_str_eq(db_value("SELECT email_verified_at IS NOT NULL FROM "
	    "users WHERE email = '%s'", email), "t");
	/* Once only. */
	client_get(b, "/settings", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "token=%s&new_password=%s",
	    token_of(link), urlenc("third password x"));
	cr_assert_eq(client_post(b, "/password/reset", form, &r), 410);
	resp_done(&r);
	cr_assert_eq(client_login(old, email, "brand new horse"), 303);
	json_decref(m);
	client_free(old);
	client_free(b);
}

Test(mail_flows, expired_and_forged_links_change_nothing)
{
	struct client		*a = client_elsewhere(), *b = client_elsewhere();
	struct http_resp	 r;
	char			 email[128], form[300];
	const char		*link;
	json_t			*m;

	client_signup(a, "expired", email);
	(void)nth_mail(email, 1);
	cr_assert_eq(forgot(b, email, &r), 200);
	resp_done(&r);
	m = nth_mail(email, 2);
	link = link_in(text_of(m), "/password/reset?token=");
	db_exec_sql("UPDATE email_tokens SET expires_at = NOW() - INTERVAL "
	    "'1 minute' WHERE token_hash = sha256('%s'::bytea)", token_of(link));
	cr_assert_eq(client_get(b, link, &r), 410);
	cr_assert(resp_has(&r, "expired"));
	resp_done(&r);
	snprintf(form, sizeof(form), "token=%s&new_password=%s",
	    token_of(link), urlenc("should not be set"));
	cr_assert_eq(client_post(b, "/password/reset", form, &r), 410);
	resp_done(&r);
	/* Forged tokens: well formed, or not. */
	cr_assert_eq(client_get(b, "/password/reset?token=" "0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef", &r), 404);
	cr_assert(resp_has(&r, "not valid"));
	resp_done(&r);
	cr_assert_eq(client_get(b, "/email/verify?token=%27%0d%0a", &r), 404);
	resp_done(&r);
	client_get(b, "/password/forgot", &r);
	resp_done(&r);
	cr_assert_eq(client_post(b, "/password/reset", "token=abc&new_password="
	    "should+not+be+set", &r), 404);
	resp_done(&r);
	cr_assert_eq(client_login(a, email, TEST_PASSWORD), 303,
	    "the password changed");
	json_decref(m);
	client_free(a);
	client_free(b);
}

/* ---- email change ------------------------------------------------------------- */

Test(mail_flows, email_change_verifies_the_new_address_and_tells_the_old)
{
	struct client		*c;
	struct http_resp	 r;
	char			 email[128], fresh[160], form[700];
	json_t			*m;

	c = verified_runner("change", email);
	snprintf(fresh, sizeof(fresh), "new-%s", email);
	client_get(c, "/settings", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=%s&email=%s&units=km&first_day=mon"
	    "&timezone=UTC&weekly_distance=&recent_race_distance=5000"
	    "&recent_race_distance_custom=&recent_race_time=",
	    urlenc("Test Runner"), urlenc(fresh));
	cr_assert_eq(client_post(c, "/settings", form, &r), 303);
	resp_done(&r);
	m = nth_mail(email, 2);
	assert_mail(m, email, "Your Cadence email was changed");
	cr_assert(strstr(text_of(m), fresh), "%s", text_of(m));
	json_decref(m);
	m = nth_mail(fresh, 1);
	assert_mail(m, fresh, "Verify your email for Cadence");
	cr_assert(strstr(text_of(m), "You changed the email"));
	cr_assert_str_eq(db_value("SELECT email_verified_at IS NULL FROM users "
	    "WHERE email = '%s'", fresh), "t");
	json_decref(m);
	client_free(c);
}

/* ---- notifications -------------------------------------------------------------- */

static void
create_plan(struct client *c)
{
	struct http_resp	r;
	char			form[600];
	const char		*race = db_value("SELECT ((NOW() AT TIME ZONE "
				    "'UTC')::date + 70)::text");
	char			race_date[16];

	snprintf(race_date, sizeof(race_date), "%s", race);
	snprintf(form, sizeof(form), "name=Mail+plan&race_name=Mail+10K"
	    "&race_location=&race_distance=10000&race_date=%s&weeks=11"
	    "&runs_per_week=5&long_run_day=sun&weekly_distance=30", race_date);
	client_get(c, "/plans/new", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/plans/new", form, &r), 303, "plan form");
	resp_done(&r);
}

Test(mail_flows, weekly_summary_on_mailed_and_unsubscribed_in_one_click)
{
	struct client		*c, *nobody = client_new();
	struct http_resp	 r;
	char			 email[128], *url;
	const char		*u, *hdrs[] = { "Content-Type: "
				    "application/x-www-form-urlencoded", NULL };
	json_t			*m;

	c = verified_runner("weekly", email);
	create_plan(c);
	notifications(c, "weekly_summary=on");
	/* Scheduled for the start of the runner's next week, 06:00 local. */
	cr_assert_str_eq(db_value("SELECT count(*) FROM jobs WHERE kind = "
	    "'mail.weekly' AND user_id = '%s' AND state = 'waiting' AND "
	    "next_attempt_at > NOW() AND extract(hour FROM next_attempt_at) = 6"
	    " AND extract(isodow FROM next_attempt_at) = 1", user_id(email)), "1");
	cr_assert_eq(run_cmd("\"$CADENCE_BIN\" mail weekly --now --to '%s' "
	    ">/dev/null", email), 0);
	m = nth_mail(email, 2);
	cr_assert(str_has_prefix(jstr(m, "subject", NULL), "Your week with "
	    "Cadence: "), "%s", jstr(m, "subject", NULL));
	cr_assert(strstr(text_of(m), "Last week ("), "%s", text_of(m));
	cr_assert(strstr(text_of(m), "This week ("), "%s", text_of(m));
	cr_assert(strstr(text_of(m), "planned"));
	/* RFC 8058 one-click unsubscribe. */
	u = jstr(m, "raw", "List-Unsubscribe");
	cr_assert_not_null(u);
	cr_assert_str_eq(jstr(m, "raw", "List-Unsubscribe-Post"),
	    "List-Unsubscribe=One-Click");
	url = strdup(u + 1);
	url[strlen(url) - 1] = '\0';
	cr_assert(str_has_prefix(url, site_url()), "%s", url);
	/* A GET only shows the button. */
	cr_assert_eq(client_get(nobody, url, &r), 200);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM notification_settings "
	    "WHERE user_id = '%s'", user_id(email)), "1");
	/* The mail client's POST: no cookie, no CSRF token. */
	cr_assert_eq(client_req(nobody, "POST", url,
	    "List-Unsubscribe=One-Click", hdrs, &r), 200);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM notification_settings "
	    "WHERE user_id = '%s'", user_id(email)), "0");
	/* Off: the queued summary sends nothing. */
	cr_assert_eq(run_cmd("\"$CADENCE_BIN\" mail weekly --now --to '%s' "
	    ">/dev/null", email), 0);
	usleep(1500 * 1000);
	cr_assert_eq(mail_count(email), 2);
	free(url);
	json_decref(m);
	client_free(c);
	client_free(nobody);
}

Test(mail_flows, forged_unsubscribe_changes_nothing)
{
	struct client		*c, *nobody = client_new();
	struct http_resp	 r;
	char			 email[128], url[512];

	c = verified_runner("forged-unsub", email);
	notifications(c, "weekly_summary=on");
	snprintf(url, sizeof(url), "/unsubscribe?u=%s&k=weekly_summary&s=%064d",
	    user_id(email), 0);
	cr_assert_eq(client_req(nobody, "POST", url,
	    "List-Unsubscribe=One-Click", NULL, &r), 404);
	resp_done(&r);
	cr_assert_eq(client_get(nobody, url, &r), 404);
	cr_assert(resp_has(&r, "not valid"));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM notification_settings "
	    "WHERE user_id = '%s'", user_id(email)), "1");
	client_free(c);
	client_free(nobody);
}

Test(mail_flows, unverified_addresses_get_no_notifications)
{
	struct client	*c = client_elsewhere();
	char		 email[128];

	client_signup(c, "unverified", email);
	(void)nth_mail(email, 1);
	notifications(c, "weekly_summary=on");
	cr_assert_eq(run_cmd("\"$CADENCE_BIN\" mail weekly --now --to '%s' "
	    ">/dev/null", email), 0);
	usleep(2000 * 1000);
	cr_assert_eq(mail_count(email), 1);
	cr_assert_str_eq(db_value("SELECT note FROM jobs WHERE kind = "
	    "'mail.weekly' AND user_id = '%s' AND state = 'done'",
	    user_id(email)), "the address is not verified");
	client_free(c);
}

Test(mail_flows, strava_reconnect_mailed_once_when_the_connection_breaks)
{
	struct client	*c;
	char		 email[128];
	json_t		*m;

	c = verified_runner("reconnect", email);
	notifications(c, "strava_reconnect=on");
	/* What the Strava code does when Strava refuses our tokens. */
	db_exec_sql("UPDATE users SET strava_needs_reconnect = true WHERE "
	    "email = '%s'", email);
	db_exec_sql("UPDATE users SET strava_needs_reconnect = true WHERE "
	    "email = '%s'", email);
	m = nth_mail(email, 2);
	assert_mail(m, email, "Strava needs you to reconnect");
	link_in(text_of(m), "/settings");
	cr_assert_not_null(jstr(m, "raw", "List-Unsubscribe"));
	usleep(1500 * 1000);
	cr_assert_eq(mail_count(email), 2, "once per breakage");
	json_decref(m);
	client_free(c);
}

/* ---- my data ---------------------------------------------------------------- */

Test(mail_flows, data_archive_is_made_mailed_and_served_to_its_owner)
{
	struct client		*c, *other = client_elsewhere(), *anon = client_new();
	struct http_resp	 r;
	char			 email[128], other_email[128], path[600];
	char			 file[256];
	const char		*link;
	json_t			*m;
	FILE			*f;

	c = verified_runner("export", email);
	create_plan(c);
	db_exec_sql("INSERT INTO strava_activities (user_id, strava_activity_id,"
	    " name, sport_type, distance, moving_time, elapsed_time,"
	    " start_date_local, start_date, summary_polyline) VALUES ('%s', %ld,"
	    " 'Morning \"run\" <1>', 'Run', 5000, 1500, 1550,"
	    " '2025-11-03 07:00', '2025-11-03 06:00', '_p~iF~ps|U_ulLnnqC_mqNvxq`@')",
	    user_id(email), 900000000L + (long)(time(NULL) % 100000) * 100 + getpid() % 100);
	client_get(c, "/settings", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/settings/export", "", &r), 303);
	resp_done(&r);
	m = nth_mail(email, 2);
	assert_mail(m, email, "Your Cadence data is ready to download");
	link = link_in(text_of(m), "/settings/export/");
	snprintf(path, sizeof(path), "%s", link + strlen(site_url()));
	/* Only its owner, signed in. */
	cr_assert_eq(client_get(anon, path, &r), 303);
	resp_done(&r);
	client_signup(other, "export-other", other_email);
	cr_assert_eq(client_get(other, path, &r), 404);
	resp_done(&r);
	cr_assert_eq(client_get(c, path, &r), 200);
	cr_assert_str_eq(resp_header_value(&r, "Content-Type"),
	    "application/gzip");
	snprintf(file, sizeof(file), "/tmp/cadence-export-%d.tar.gz",
	    (int)getpid());
	cr_assert_not_null(f = fopen(file, "wb"));
	fwrite(r.body.data, 1, r.body.len, f);
	fclose(f);
	resp_done(&r);
	cr_assert_eq(run_cmd("tar tzf %s | grep -qx 'cadence-data/routes/"
	    "2025-11-03_.*\\.gpx'", file), 0, "no route");
	cr_assert_eq(run_cmd("tar xzf %s -O cadence-data/activities.csv | grep -q"
	    " '\"Morning \"\"run\"\" <1>\"'", file), 0, "activities.csv");
	cr_assert_eq(run_cmd("tar xzf %s -O cadence-data/workouts.json | "
	    "python3 -c 'import json,sys; assert len(json.load(sys.stdin)) > 10'",
	    file), 0, "workouts.json");
	cr_assert_eq(run_cmd("tar xzf %s -O --wildcards 'cadence-data/routes/*'"
	    " | xmllint --noout -", file), 0, "GPX is not XML");
	cr_assert_eq(run_cmd("tar xzf %s -O cadence-data/profile.json | grep -q "
	    "'%s'", file, email), 0);
	cr_assert_neq(run_cmd("tar xzf %s -O | grep -qi 'password\\|token'",
	    file), 0, "a secret in the archive");
	unlink(file);
	json_decref(m);
	client_free(c);
	client_free(other);
	client_free(anon);
}

/* ---- SMTP down --------------------------------------------------------------- */

/* The test environment's SMTP server: its pid file and port. */
static void
smtp_where(char pidfile[600], int *port)
{
	const char *url = env_or("SMTP_URL", ""), *colon = strrchr(url, ':');

	snprintf(pidfile, 600, "%s/../smtp.pid", env_or("MAILDIR", "."));
	cr_assert_not_null(colon);
	*port = atoi(colon + 1);
}

static void
smtp_start(void)
{
	char	pidfile[600];
	int	port;

	smtp_where(pidfile, &port);
	(void)run_cmd("bash scripts/smtp.sh '%s' %d >/dev/null 2>&1 & echo $! >"
	    " '%s'; for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/%d) "
	    "2>/dev/null && break; sleep 0.1; done", env_or("MAILDIR", ""),
	    port, pidfile, port);
}

static void
smtp_restart_if_down(void)
{
	char	pidfile[600];
	int	port;

	smtp_where(pidfile, &port);
	if (run_cmd("(echo > /dev/tcp/127.0.0.1/%d) 2>/dev/null", port) != 0)
		smtp_start();
}

/* A metric's value from /metrics (-1 when absent). */
static double
metric(const char *name)
{
	struct client		*c = client_new();
	struct http_resp	 r;
	char			 want[128];
	const char		*p;
	double			 v = -1;

	client_get(c, "/metrics", &r);
	snprintf(want, sizeof(want), "\n%s ", name);
	if (r.body.data != NULL && (p = strstr(r.body.data, want)) != NULL)
		v = atof(p + strlen(want));
	resp_done(&r);
	client_free(c);
	return v;
}

Test(mail_flows, smtp_down_pages_stay_fast_and_mail_waits,
    .fini = smtp_restart_if_down)
{
	struct client		*c = client_elsewhere();
	struct http_resp	 r;
	char			 pidfile[600], email[128];
	long			 t0, delivered_ms;
	int			 port;
	double			 worst = 0;
	int			 i;

	smtp_where(pidfile, &port);
	cr_assert_eq(run_cmd("kill $(cat '%s') && sleep 0.3", pidfile), 0);
	t0 = now_ms();
	client_signup(c, "smtp-down", email);
	/* Pages that queue mail answer as fast as ever. */
	for (i = 0; i < 5; i++) {
		cr_assert_eq(forgot(c, email, &r), i < 3 ? 200 : 429);
		if (r.seconds > worst)
			worst = r.seconds;
		resp_done(&r);
	}
	cr_assert_lt(worst, 0.5, "a page waited for SMTP: %.3f s", worst);
	fprintf(stderr, "mail_flows: SMTP down, slowest forgot-password page "
	    "%.0f ms\n", worst * 1000);
	/* Queued, counted, logged. */
	for (i = 0; i < 50 && metric("cadence_mail_retrying") < 1; i++)
		usleep(100 * 1000);
	cr_assert_geq(metric("cadence_mail_retrying"), 1);
	cr_assert_geq(metric("cadence_mail_queued"), 2);
	cr_assert_eq(run_cmd("grep -q 'the SMTP server is not taking mail' "
	    "\"$CADENCE_LOG_FILE\""), 0, "no log line");
	cr_assert_eq(mail_count(email), 0);
	/* Back: the mail goes out, nothing lost (retries brought forward). */
	smtp_start();
	t0 = now_ms();
	while (mail_count(email) < 2 && now_ms() - t0 < 30000) {
		db_exec_sql("UPDATE jobs SET next_attempt_at = NOW() WHERE kind "
		    "= 'mail.send' AND state = 'waiting'");
		usleep(500 * 1000);
	}
	delivered_ms = now_ms() - t0;
	cr_assert_geq(mail_count(email), 2, "not delivered after the outage");
	fprintf(stderr, "mail_flows: delivered %ld ms after the server came "
	    "back\n", delivered_ms);
	cr_assert_str_eq(db_value("SELECT count(*) FROM jobs WHERE kind = "
	    "'mail.send' AND state = 'failed' AND user_id = '%s'",
	    user_id(email)), "0");
	client_free(c);
}
