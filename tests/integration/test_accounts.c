/*
 * Runner accounts through nginx: sign-up, sign-in, sessions, settings,
 * password change, deletion, CSRF, brute-force delays, redirects.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "strava_helpers.h"

static struct client *c;

static void setup(void) { c = client_new(); srandom((unsigned)getpid() ^ (unsigned)time(NULL)); }
static void teardown(void) { client_free(c); }

TestSuite(accounts, .init = setup, .fini = teardown, .timeout = 60);

static long
post_raw(struct client *cl, const char *path, const char *form,
    const char *const *headers, struct http_resp *r)
{
	return client_req(cl, "POST", path, form, headers, r);
}

Test(accounts, signup_then_sign_in_with_a_safe_cookie)
{
	struct http_resp r;
	char form[512], email[128];
	const char *cookie;

	client_get(c, "/signup", &r);
	cr_assert_eq(r.status, 200);
	cr_assert(resp_has(&r, "name=\"csrf_token\""));
	resp_done(&r);
	snprintf(email, sizeof(email), "New.Runner-%d@Test.Cadence", (int)getpid());
	snprintf(form, sizeof(form), "name=Ada&email=%s&password=%s",
	    urlenc(email), urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/signup", form, &r), 303);
	/* Sign-up does not sign in: that would tell a new email from a taken one. */
	cr_assert_str_eq(resp_header_value(&r, "Location"), "/login");
	cr_assert_null(strstr(buf_cstr(&r.headers), "cadence_session="));
	resp_done(&r);
	cr_assert_eq(client_get(c, "/login", &r), 200);
	cr_assert(resp_has(&r, "Now sign in"));
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=%s", urlenc(email),
	    urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/login", form, &r), 303);
	cr_assert_str_eq(resp_header_value(&r, "Location"), "/");
	cookie = strstr(buf_cstr(&r.headers), "cadence_session=");
	cr_assert_not_null(cookie);
	cr_assert(strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Lax") &&
	    strstr(cookie, "Path=/"), "cookie attributes: %.200s", cookie);
	resp_done(&r);
	/* The address is stored folded: one account per email, any case. */
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE email = "
	    "lower('%s')", email), "1");
	cr_assert_eq(client_get(c, "/", &r), 200);
	cr_assert(resp_has(&r, "Ada"));
	cr_assert_str_eq(resp_header_value(&r, "Cache-Control"), "no-store");
	resp_done(&r);
	/* Only a hash of the token is stored. */
	cr_assert_str_eq(db_value("SELECT count(*) FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE u.email = lower('%s')", email), "1");
}

/*
 * Issue 15.8: sign-up asks for the time zone (static/timezone.js fills it
 * in from the browser; without it the form says UTC), and settings show
 * the fitness of the runner's plan when the profile has none.
 */
Test(accounts, signup_stores_the_time_zone_and_settings_show_the_plan)
{
	struct http_resp r;
	char form[512], email[128];

	cr_assert_eq(client_get(c, "/signup", &r), 200);
	cr_assert(resp_has(&r, "<script src=\"/static/timezone.js\" defer>"));
	cr_assert(resp_has(&r, "name=\"timezone\""));
	cr_assert(resp_has(&r, "value=\"UTC\""), "the default without JS");
	resp_done(&r);
	snprintf(email, sizeof(email), "tz-%d@test.cadence", (int)getpid());
	snprintf(form, sizeof(form), "name=Tz&email=%s&password=%s"
	    "&timezone=Mars%%2FOlympus", urlenc(email), urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/signup", form, &r), 422);
	cr_assert(resp_has(&r, "id=\"timezone-error\""));
	resp_done(&r);
	snprintf(form, sizeof(form), "name=Tz&email=%s&password=%s"
	    "&timezone=America%%2FNew_York", urlenc(email),
	    urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/signup", form, &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT p.timezone FROM athlete_profiles p"
	    " JOIN users u ON u.id = p.user_id WHERE u.email = '%s'", email),
	    "America/New_York");
	cr_assert_eq(client_login(c, email, TEST_PASSWORD), 303);
	/* A plan's fitness fills the empty profile fields of settings. */
	cr_assert_eq(db_exec_sql("INSERT INTO training_plans (user_id, name,"
	    " race_distance, race_date, start_date, total_weeks, is_active,"
	    " baseline_weekly_distance, baseline_race_distance,"
	    " baseline_race_time) SELECT id, 'P', 10000, CURRENT_DATE + 60,"
	    " CURRENT_DATE, 8, true, 42500, 10000, 2940 FROM users WHERE"
	    " email = '%s'", email), 1);
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	cr_assert(resp_has(&r, "value=\"America/New_York\""));
	cr_assert(resp_has(&r, "id=\"weekly_distance\"") &&
	    resp_has(&r, "value=\"42.5\""), "weekly distance from the plan");
	cr_assert(resp_has(&r, "value=\"49:00\""), "race time from the plan");
	cr_assert(resp_has(&r, "<option value=\"10000\" selected>"));
	resp_done(&r);
}

Test(accounts, signup_errors_keep_input_and_change_nothing)
{
	struct http_resp r;
	char big[1100], form[2048];
	char *before = NULL;

	before = strdup(db_value("SELECT count(*) FROM users"));
	client_get(c, "/signup", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/signup",
	    "name=Bob&email=not-an-email&password=short", &r), 422);
	cr_assert(resp_has(&r, "value=\"not-an-email\""));
	cr_assert(resp_has(&r, "Enter an email address"));
	cr_assert(resp_has(&r, "at least 8 characters"));
	cr_assert(resp_has(&r, "aria-invalid=\"true\""));
	resp_done(&r);
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(form, sizeof(form), "name=Bob&email=bob%d@test.cadence&password=%s",
	    (int)getpid(), big);
	cr_assert_eq(client_post(c, "/signup", form, &r), 422);
	cr_assert(resp_has(&r, "too long"));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users"), before);
	free(before);
}

Test(accounts, simultaneous_signups_with_one_email_make_one_account)
{
	char email[128], form[512];
	int fds[2][2], k, answered = 0;
	pid_t pid[2];

	snprintf(email, sizeof(email), "race-%d-%ld@test.cadence", (int)getpid(),
	    random());
	snprintf(form, sizeof(form), "name=R&email=%s&password=%s",
	    urlenc(email), urlenc(TEST_PASSWORD));
	for (k = 0; k < 2; k++) {
		cr_assert_eq(pipe(fds[k]), 0);
		if ((pid[k] = fork()) == 0) {
			struct client *cl = client_new();
			struct http_resp r;
			long s;

			client_get(cl, "/signup", &r);
			resp_done(&r);
			s = client_post(cl, "/signup", form, &r);
			if (write(fds[k][1], &s, sizeof(s)) != sizeof(s))
				_exit(1);
			_exit(0);
		}
	}
	for (k = 0; k < 2; k++) {
		long s = 0;

		cr_assert_eq(read(fds[k][0], &s, sizeof(s)), (ssize_t)sizeof(s));
		waitpid(pid[k], NULL, 0);
		if (s == 303)
			answered++;
	}
	/* Both are answered alike (a taken email is not told apart). */
	cr_assert_eq(answered, 2);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE email = '%s'",
	    email), "1");
}

Test(accounts, csrf_missing_wrong_or_cross_site_is_403)
{
	struct http_resp r;
	char *before = strdup(db_value("SELECT count(*) FROM users"));
	char form[512];

	client_get(c, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=C&email=csrf%d@test.cadence&password=%s",
	    (int)getpid(), urlenc(TEST_PASSWORD));
	cr_assert_eq(post_raw(c, "/signup", form, NULL, &r), 403);
	cr_assert(resp_has(&r, "expired or did not come from Cadence"));
	resp_done(&r);
	strcat(form, "&csrf_token=0000000000000000000000000000000000000000000000000000000000000000");
	cr_assert_eq(post_raw(c, "/signup", form, NULL, &r), 403);
	resp_done(&r);
	/* The right token, but sent from another site. */
	snprintf(form, sizeof(form), "name=C&email=csrf%d@test.cadence&password=%s&"
	    "csrf_token=%s", (int)getpid(), urlenc(TEST_PASSWORD), client_csrf(c));
	cr_assert_eq(post_raw(c, "/signup", form, (const char *const[]){
	    "Sec-Fetch-Site: cross-site", NULL }, &r), 403);
	resp_done(&r);
	cr_assert_eq(post_raw(c, "/signup", form, (const char *const[]){
	    "Origin: https://evil.example", NULL }, &r), 403);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users"), before);
	free(before);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Both pay for one Argon2id verification, so a wrong password and an
 * unknown email take about as long.  Medians of interleaved pairs, each
 * from an address of its own (the throttle stays out of it), so one slow
 * moment of a loaded machine does not decide.
 */
#define TIMING_PAIRS	9	/* under the account's 10 free an hour */
Test(accounts, wrong_password_and_unknown_email_look_the_same)
{
	struct http_resp r;
	char email[128], form[512];
	double known[TIMING_PAIRS], unknown[TIMING_PAIRS], k, u;
	int i;

	client_signup(c, "timing", email);
	for (i = 0; i < TIMING_PAIRS; i++) {
		struct client *a = client_elsewhere(), *b = client_elsewhere();

		client_get(a, "/login", &r);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=wrong-password-%d",
		    urlenc(email), i);
		cr_assert_eq(client_post(a, "/login", form, &r), 401);
		cr_assert(resp_has(&r, "do not match an account"));
		known[i] = r.seconds;
		resp_done(&r);
		client_get(b, "/login", &r);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=nobody-%d-%d@test.cadence&"
		    "password=wrong-password", (int)getpid(), i);
		cr_assert_eq(client_post(b, "/login", form, &r), 401);
		cr_assert(resp_has(&r, "do not match an account"));
		unknown[i] = r.seconds;
		resp_done(&r);
		client_free(a);
		client_free(b);
	}
	qsort(known, TIMING_PAIRS, sizeof(double), cmp_double);
	qsort(unknown, TIMING_PAIRS, sizeof(double), cmp_double);
	k = known[TIMING_PAIRS / 2];
	u = unknown[TIMING_PAIRS / 2];
	cr_assert(u > k * 0.5 && u < k * 1.5,
	    "median known %.3f s vs unknown %.3f s", k, u);
}

Test(accounts, signout_deletes_the_session_and_the_cookie_is_dead)
{
	struct http_resp r;
	char email[128], cookie_hdr[256];
	const char *sc;
	struct client *replay;

	client_get(c, "/signup", &r);
	resp_done(&r);
	snprintf(email, sizeof(email), "out-%d-%ld@test.cadence", (int)getpid(),
	    random());
	{
		char form[512];

		snprintf(form, sizeof(form), "name=O&email=%s&password=%s",
		    urlenc(email), urlenc(TEST_PASSWORD));
		cr_assert_eq(client_post(c, "/signup", form, &r), 303);
		resp_done(&r);
		client_get(c, "/login", &r);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=%s",
		    urlenc(email), urlenc(TEST_PASSWORD));
		cr_assert_eq(client_post(c, "/login", form, &r), 303);
	}
	sc = strstr(buf_cstr(&r.headers), "cadence_session=");
	cr_assert_not_null(sc);
	snprintf(cookie_hdr, sizeof(cookie_hdr), "Cookie: %.*s", 80, sc);
	resp_done(&r);
	client_get(c, "/settings", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, "/logout", "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE u.email = '%s'", email), "0");
	/* Replaying the old cookie: signed out. */
	replay = client_new();
	cr_assert_eq(client_req(replay, "GET", "/settings", NULL,
	    (const char *const[]){ cookie_hdr, NULL }, &r), 303);
	cr_assert(strncmp(resp_header_value(&r, "Location"), "/login", 6) == 0);
	resp_done(&r);
	client_free(replay);
}

Test(accounts, garbled_cookie_is_just_signed_out)
{
	struct http_resp r;

	cr_assert_eq(client_req(c, "GET", "/", NULL, (const char *const[]){
	    "Cookie: cadence_session=%%%garbage\x01; x", NULL }, &r), 200);
	cr_assert(resp_has(&r, "/signup"));
	resp_done(&r);
	cr_assert_eq(client_req(c, "GET", "/settings", NULL, (const char *const[]){
	    "Cookie: cadence_session=abc", NULL }, &r), 303);
	resp_done(&r);
}

Test(accounts, next_only_redirects_within_the_site)
{
	const char *const cases[][2] = {
		{ "/settings", "/settings" },
		{ "//evil.example/x", "/" },
		{ "https://evil.example/", "/" },
		{ "/\\evil.example", "/" },
		{ "javascript:alert(1)", "/" },
	};
	struct http_resp r;
	char email[128], form[512];
	size_t i;

	client_signup(c, "next", email);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct client *cl = client_new();

		client_get(cl, "/login", &r);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=%s&next=%s",
		    urlenc(email), urlenc(TEST_PASSWORD), urlenc(cases[i][0]));
		cr_assert_eq(client_post(cl, "/login", form, &r), 303);
		cr_assert_str_eq(resp_header_value(&r, "Location"), cases[i][1],
		    "next=%s", cases[i][0]);
		resp_done(&r);
		client_free(cl);
	}
	/* A signed-out visit to a page sends to /login with next. */
	cr_assert_eq(client_get(client_new(), "/settings", &r), 303);
	cr_assert_str_eq(resp_header_value(&r, "Location"), "/login?next=/settings");
	resp_done(&r);
}

Test(accounts, settings_are_validated_and_saved)
{
	struct http_resp r;
	char email[128], form[1024];

	client_signup(c, "settings", email);
	snprintf(form, sizeof(form), "name=Grace&email=%s&units=mi&first_day=sun&"
	    "timezone=Mars/Olympus&weekly_distance=abc&recent_race_distance=10000&"
	    "recent_race_time=99:99", urlenc(email));
	cr_assert_eq(client_post(c, "/settings", form, &r), 422);
	cr_assert(resp_has(&r, "Use a time zone name"));
	cr_assert(resp_has(&r, "Enter a distance"));
	cr_assert(resp_has(&r, "h:mm:ss or mm:ss"));
	cr_assert(resp_has(&r, "value=\"Mars/Olympus\""));
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT units FROM athlete_profiles p JOIN users u"
	    " ON u.id = p.user_id WHERE u.email = '%s'", email), "km");
	snprintf(form, sizeof(form), "name=Grace&email=%s&units=mi&first_day=sun&"
	    "timezone=America/New_York&weekly_distance=25&recent_race_distance=10000&"
	    "recent_race_time=45:30", urlenc(email));
	cr_assert_eq(client_post(c, "/settings", form, &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT units || first_day_of_week || timezone || "
	    "weekly_distance || '/' || recent_race_distance || '/' || recent_race_time"
	    " FROM athlete_profiles p JOIN users u ON u.id = p.user_id WHERE "
	    "u.email = '%s'", email), "misunAmerica/New_York40234/10000/2730");
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	cr_assert(resp_has(&r, "Settings saved"));
	cr_assert(resp_has(&r, "value=\"25\""));
	resp_done(&r);
	/* The flash is shown once. */
	client_get(c, "/settings", &r);
	cr_assert_not(resp_has(&r, "Settings saved"));
	resp_done(&r);
}

Test(accounts, password_change_ends_other_sessions)
{
	struct http_resp r;
	struct client *phone = client_new();
	char email[128], form[512];

	client_signup(c, "pwchange", email);
	cr_assert_eq(client_login(phone, email, TEST_PASSWORD), 303);
	cr_assert_eq(client_post(c, "/settings/password",
	    "current_password=wrong-wrong&new_password=another-secret-1", &r), 422);
	cr_assert(resp_has(&r, "not your current password"));
	resp_done(&r);
	snprintf(form, sizeof(form), "current_password=%s&new_password=%s",
	    urlenc(TEST_PASSWORD), "another-secret-1");
	cr_assert_eq(client_post(c, "/settings/password", form, &r), 303);
	resp_done(&r);
	cr_assert_eq(client_get(phone, "/settings", &r), 303, "other session ended");
	resp_done(&r);
	cr_assert_eq(client_get(c, "/settings", &r), 200, "this session stays");
	resp_done(&r);
	cr_assert_eq(client_login(client_new(), email, TEST_PASSWORD), 401);
	cr_assert_eq(client_login(client_new(), email, "another-secret-1"), 303);
	client_free(phone);
}

Test(accounts, delete_account_needs_the_password_and_removes_everything)
{
	struct http_resp r;
	char email[128], form[512];
	char *uid;

	client_signup(c, "delete", email);
	uid = strdup(db_value("SELECT id FROM users WHERE email = '%s'", email));
	cr_assert_eq(client_post(c, "/settings/delete", "password=nope-nope", &r), 422);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE id = '%s'", uid), "1");
	snprintf(form, sizeof(form), "password=%s", urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/settings/delete", form, &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE id = '%s'", uid), "0");
	cr_assert_str_eq(db_value("SELECT count(*) FROM sessions WHERE user_id = '%s'", uid), "0");
	cr_assert_str_eq(db_value("SELECT count(*) FROM athlete_profiles WHERE user_id = '%s'", uid), "0");
	cr_assert_eq(client_get(c, "/settings", &r), 303);
	resp_done(&r);
	free(uid);
}

Test(accounts, state_never_changes_on_get)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/logout", &r), 405);
	cr_assert(strstr(resp_header_value(&r, "Allow"), "POST"));
	resp_done(&r);
}

/* ---- sign-in throttling (issue 12, item 4) ------------------------------ */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One sign-in attempt from addr (NULL: a fresh address); its status. */
static long
login_from(const char *addr, const char *email, const char *pw)
{
	struct client	*cl = client_new();
	long		 s;

	client_bind(cl, addr != NULL ? addr : fresh_addr());
	s = client_login(cl, email, pw);
	client_free(cl);
	return s;
}

/* Failed sign-ins one account gets from one address before waits. */
#define THROTTLE_FREE_TRIES	5

/* The "wait N seconds" of a 429 page, or -1. */
static int
wait_in(const struct http_resp *r)
{
	const char *p = strstr(buf_cstr(&r->body), "wait ");

	return p != NULL ? atoi(p + 5) : -1;
}

Test(accounts, guesses_from_six_addresses_do_not_lock_the_owner_out)
{
	char	email[128];
	double	t0;
	int	i;

	client_signup(c, "owner6", email);
	for (i = 0; i < 6; i++)
		cr_assert_eq(login_from(NULL, email, "wrong-password!"), 401,
		    "guess %d", i + 1);
	t0 = now_s();
	cr_assert_eq(login_from(NULL, email, TEST_PASSWORD), 303,
	    "the owner, from an address that has not failed, is refused");
	cr_log_info("owner after 6 guesses from 6 addresses: in after %.2f s",
	    now_s() - t0);
}

Test(accounts, a_distributed_attack_slows_the_account_but_the_owner_gets_in,
    .timeout = 180)
{
	char	email[128];
	double	t0, first = 0, last = 0, owner;
	int	i;

	client_signup(c, "ceiling", email);
	for (i = 0; i < 16; i++) {
		t0 = now_s();
		cr_assert_eq(login_from(NULL, email, "wrong-password!"), 401,
		    "guess %d from a fresh address was refused", i + 1);
		if (i == 0)
			first = now_s() - t0;
		last = now_s() - t0;
	}
	/* Past the account's free allowance every check waits... */
	cr_assert_gt(last, first + 0.9, "16th guess %.2f s, first %.2f s: "
	    "no slow-down", last, first);
	/* ...and the owner waits as long, but gets in. */
	t0 = now_s();
	cr_assert_eq(login_from(NULL, email, TEST_PASSWORD), 303);
	owner = now_s() - t0;
	cr_log_info("owner after 16 guesses from 16 addresses: in after %.2f s "
	    "(first guess %.2f s, 16th %.2f s)", owner, first, last);
	cr_assert_lt(owner, 10.0);
}

/* A sign-in by cl; its status, and the wait of a 429 in *wait. */
static long
attempt(struct client *cl, const char *email, const char *pw, int *wait)
{
	struct http_resp r;
	char		 form[512];
	long		 s;

	client_get(cl, "/login", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=%s", urlenc(email),
	    urlenc(pw));
	s = client_post(cl, "/login", form, &r);
	*wait = s == 429 ? wait_in(&r) : 0;
	if (s == 429)
		cr_assert(resp_has(&r, "Too many failed sign-ins"));
	resp_done(&r);
	return s;
}

Test(accounts, the_guessing_address_is_refused_then_waits_it_out)
{
	struct client	*att = client_new();
	char		 email[128], addr[32];
	long		 s;
	int		 i, failures = 0, first = -1, wait = 0;

	client_signup(c, "brute", email);
	snprintf(addr, sizeof(addr), "%s", fresh_addr());
	client_bind(att, addr);
	/* Wrong guesses until a refusal of 2 s or more (it doubles). */
	for (i = 0; i < 14 && wait < 2; i++) {
		if ((s = attempt(att, email, "wrong-password!", &wait)) == 401) {
			failures++;
			continue;
		}
		cr_assert_eq(s, 429, "guess %d: %ld", i, s);
		if (first < 0)
			first = failures;
		cr_assert(wait >= 1 && wait <= 4, "wait %d s", wait);
		if (wait < 2)
			sleep((unsigned)wait);
	}
	cr_assert_geq(first, THROTTLE_FREE_TRIES, "refused after %d failures",
	    first);
	cr_assert_geq(wait, 2, "never refused for 2 s (%d failures)", failures);
	/* From that address even the right password waits... */
	cr_assert_eq(attempt(att, email, TEST_PASSWORD, &wait), 429);
	/* ...but the owner elsewhere does not, */
	cr_assert_eq(login_from(NULL, email, TEST_PASSWORD), 303);
	/* and after the wait the right password works from there too. */
	sleep((unsigned)wait + 1);
	cr_assert_eq(login_from(addr, email, TEST_PASSWORD), 303);
	client_free(att);
}

Test(accounts, an_address_guessing_many_accounts_is_refused, .timeout = 180)
{
	char	addr[32], email[128];
	long	s = 0;
	int	i;

	snprintf(addr, sizeof(addr), "%s", fresh_addr());
	for (i = 0; i < 70 && s != 429; i++) {
		snprintf(email, sizeof(email), "spray-%d-%d@test.cadence",
		    (int)getpid(), i);
		s = login_from(addr, email, "wrong-password!");
	}
	cr_assert_eq(s, 429, "%d guesses on %d accounts, never refused", i, i);
	cr_assert_geq(i, 40, "refused after only %d guesses", i);
}

/* The 8 spellings of "äöü" by case, as UTF-8. */
static void
spelling(char *out, size_t n, unsigned bits, const char *rest)
{
	snprintf(out, n, "%s%s%s%s", bits & 1 ? "\xc3\x84" : "\xc3\xa4",
	    bits & 2 ? "\xc3\x96" : "\xc3\xb6", bits & 4 ? "\xc3\x9c" : "\xc3\xbc",
	    rest);
}

Test(accounts, every_spelling_of_an_email_counts_against_one_account)
{
	struct http_resp r;
	char	 rest[96], email[128], form[512], addr[32];
	unsigned bits;
	int	 refused = 0;
	long	 s;

	snprintf(rest, sizeof(rest), "-x-%d-%ld@test.cadence", (int)getpid(),
	    random() % 100000);
	spelling(email, sizeof(email), 7, rest);		/* ÄÖÜ-x@... */
	client_get(c, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=U&email=%s&password=%s",
	    urlenc(email), urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/signup", form, &r), 303);
	resp_done(&r);
	/* PostgreSQL's lower() makes every spelling this one account. */
	spelling(email, sizeof(email), 0, rest);
	cr_assert_eq(login_from(NULL, email, TEST_PASSWORD), 303,
	    "%s does not reach the account", email);
	snprintf(addr, sizeof(addr), "%s", fresh_addr());
	for (bits = 0; bits < 8; bits++) {
		spelling(email, sizeof(email), bits, rest);
		s = login_from(addr, email, "wrong-password!");
		cr_assert(s == 401 || s == 429, "%s: %ld", email, s);
		if (s == 429)
			refused++;
	}
	cr_assert_geq(refused, 1, "8 spellings, 8 fresh counters");
	cr_assert_leq(refused, 3);
}

/* POSTs form to path until 429 (at most 9 times); the number of 422s. */
static int
guess_until_refused(const char *path, const char *field, struct http_resp *r)
{
	char	form[256];
	int	i;

	for (i = 0; i < 9; i++) {
		snprintf(form, sizeof(form), "%s=wrong-guess-%d&new_password="
		    "another-secret-1", field, i);
		if (client_post(c, path, form, r) == 429)
			return i;
		cr_assert_eq(r->status, 422, "%s guess %d: %ld", path, i,
		    r->status);
		resp_done(r);
	}
	cr_assert_fail("%s: 9 wrong passwords and never refused", path);
	return -1;
}

Test(accounts, current_password_guesses_in_settings_are_throttled)
{
	struct http_resp r;
	char	email[128], form[512];
	int	n;

	client_bind(c, fresh_addr());
	client_signup(c, "pwguess", email);
	n = guess_until_refused("/settings/password", "current_password", &r);
	cr_assert_geq(n, 5);
	cr_assert(resp_has(&r, "Too many wrong passwords"));
	resp_done(&r);
	/* The right password is refused too while the wait lasts. */
	snprintf(form, sizeof(form), "current_password=%s&new_password=x-%s",
	    urlenc(TEST_PASSWORD), "another-secret-2");
	cr_assert_eq(client_post(c, "/settings/password", form, &r), 429);
	resp_done(&r);
	snprintf(form, sizeof(form), "password=%s", urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/settings/delete", form, &r), 429);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE email = "
	    "'%s'", email), "1");
	cr_assert_eq(login_from(NULL, email, TEST_PASSWORD), 303,
	    "the password did not change");
}

Test(accounts, delete_guesses_are_throttled)
{
	struct http_resp r;
	char	email[128];

	client_bind(c, fresh_addr());
	client_signup(c, "delguess", email);
	cr_assert_geq(guess_until_refused("/settings/delete", "password", &r), 5);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE email = "
	    "'%s'", email), "1");
}

Test(accounts, overlong_input_is_a_form_error_before_anything_else)
{
	struct http_resp r;
	struct client	*anon = client_elsewhere();
	char	 big[400], form[2048], email[128];

	memset(big, 'a', sizeof(big));
	snprintf(big + 340, sizeof(big) - 340, "@test.cadence");
	client_get(anon, "/login", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=wrong-password", big);
	cr_assert_eq(client_post(anon, "/login", form, &r), 422,
	    "a %zu-character email at sign-in", strlen(big));
	cr_assert(resp_has(&r, "<form"));
	resp_done(&r);
	client_get(anon, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=B&email=%s&password=%s", big,
	    urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(anon, "/signup", form, &r), 422);
	resp_done(&r);
	client_signup(c, "long", email);
	snprintf(form, sizeof(form), "name=L&email=%s&units=km&first_day=mon&"
	    "timezone=UTC&recent_race_distance=5000", big);
	cr_assert_eq(client_post(c, "/settings", form, &r), 422);
	resp_done(&r);
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(form, sizeof(form), "current_password=%s%s%s&new_password=%s",
	    big, big, big, urlenc("another-secret-1"));
	cr_assert_eq(client_post(c, "/settings/password", form, &r), 422);
	resp_done(&r);
	client_free(anon);
}

/* ---- retention of throttle rows (issue 12, item 5) ------------------------ */

Test(accounts, deleting_the_account_removes_its_throttle_rows)
{
	struct http_resp r;
	char	email[128], form[512];
	char	*uid;

	client_bind(c, fresh_addr());
	client_signup(c, "forget", email);
	uid = strdup(db_value("SELECT id FROM users WHERE email = '%s'", email));
	cr_assert_eq(login_from(NULL, email, "wrong-password!"), 401);
	cr_assert_neq(atoi(db_value("SELECT count(*) FROM login_throttle WHERE"
	    " key LIKE '%%%s%%' OR key LIKE '%%%s%%'", email, uid)), 0,
	    "the failure left no row naming the runner");
	snprintf(form, sizeof(form), "password=%s", urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/settings/delete", form, &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM login_throttle WHERE"
	    " key LIKE '%%%s%%' OR key LIKE '%%%s%%'", email, uid), "0");
	free(uid);
}

Test(accounts, deleting_a_strava_runner_removes_its_webhook_events,
    .timeout = 120)
{
	struct http_resp r;
	long long	 athlete;
	char		 form[512];

	athlete = sb_new_athlete(c, "Leaver");
	sb_connect_runner(c, athlete);
	/* An event Strava sent for the runner, already handled. */
	cr_assert_eq(db_exec_sql("INSERT INTO strava_webhook_events"
	    " (strava_athlete_id, object_type, object_id, aspect_type,"
	    "  event_time, processed, processed_at, raw_payload)"
	    " VALUES (%lld, 'activity', 1, 'create', NOW(), TRUE, NOW(), '{}')",
	    athlete), 1);
	client_get(c, "/settings", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "password=%s", urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/settings/delete", form, &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE"
	    " strava_athlete_id = %lld", athlete), "0");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE strava_athlete_id = %lld", athlete), "0",
	    "the deleted runner's athlete id is still stored");
}

Test(accounts, throttle_rows_are_purged_after_their_window)
{
	const char *old = "key LIKE 'addr:198.51.100.%'";

	/* 300 rows of failures three days old (columns both schemas have). */
	cr_assert_eq(db_exec_sql("INSERT INTO login_throttle (key, failures,"
	    " last_failure) SELECT 'addr:198.51.100.' || g, 3, NOW() -"
	    " INTERVAL '3 days' FROM generate_series(1, 300) g"
	    " ON CONFLICT DO NOTHING"), 300);
	cr_assert_eq(login_from(NULL, "purge@test.cadence", "wrong-password"), 401);
	cr_assert_eq(login_from(NULL, "purge@test.cadence", "wrong-password"), 401);
	cr_assert_str_eq(db_value("SELECT count(*) FROM login_throttle WHERE %s",
	    old), "0", "expired rows are kept");
}

/* ---- nobody learns whether an email is registered ----------------------- */

struct signup_answer {
	long	status;
	char	location[256];
	char	page[64];	/* the flash the next page shows */
	bool	session;	/* a session cookie was set */
};

static void
signup_as(const char *email, const char *pw, struct signup_answer *a)
{
	struct client	*cl = client_elsewhere();
	struct http_resp r;
	char		 form[512];
	const char	*loc, *sc;

	client_get(cl, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=S&email=%s&password=%s",
	    urlenc(email), urlenc(pw));
	a->status = client_post(cl, "/signup", form, &r);
	loc = resp_header_value(&r, "Location");
	snprintf(a->location, sizeof(a->location), "%s", loc ? loc : "");
	sc = strstr(buf_cstr(&r.headers), "cadence_session=");
	a->session = sc != NULL && sc[16] != ';';
	resp_done(&r);
	a->page[0] = '\0';
	if (a->status == 303 && client_get(cl, a->location, &r) == 200) {
		const char *f = strstr(buf_cstr(&r.body), "class=\"flash");

		if (f != NULL)
			snprintf(a->page, sizeof(a->page), "%.63s", f);
	}
	resp_done(&r);
	client_free(cl);
}

Test(accounts, signup_answers_the_same_whether_or_not_the_email_is_taken)
{
	struct signup_answer	new_one, taken, taken_upper;
	struct client		*owner = client_elsewhere();
	struct http_resp	 r;
	char			 email[128], upper[128];
	size_t			 i;

	snprintf(email, sizeof(email), "same-%d-%ld@test.cadence",
	    (int)getpid(), random());
	for (i = 0; email[i] != '\0'; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ?
		    email[i] - 32 : email[i]);
	upper[i] = '\0';
	signup_as(email, TEST_PASSWORD, &new_one);
	signup_as(email, "someone-elses-pw", &taken);
	signup_as(upper, "someone-elses-pw", &taken_upper);
	cr_assert_eq(new_one.status, 303, "new email: %ld", new_one.status);
	cr_assert_eq(taken.status, new_one.status, "taken email: %ld",
	    taken.status);
	cr_assert_eq(taken_upper.status, new_one.status);
	cr_assert_str_eq(taken.location, new_one.location);
	cr_assert_str_eq(taken_upper.location, new_one.location);
	cr_assert_str_eq(taken.page, new_one.page);
	cr_assert_eq(taken.session, new_one.session);
	cr_assert_not(new_one.session, "sign-up signed in: that tells");
	cr_assert_str_eq(db_value("SELECT count(*) FROM users WHERE lower(email)"
	    " = lower('%s')", email), "1");
	/* Nothing changed for the owner, who is told at the next sign-in. */
	cr_assert_eq(login_from(NULL, email, "someone-elses-pw"), 401);
	client_get(owner, "/login", &r);
	resp_done(&r);
	{
		char form[512];

		snprintf(form, sizeof(form), "email=%s&password=%s",
		    urlenc(email), urlenc(TEST_PASSWORD));
		cr_assert_eq(client_post(owner, "/login", form, &r), 303);
		resp_done(&r);
	}
	cr_assert_eq(client_get(owner, "/", &r), 200);
	cr_assert(resp_has(&r, "tried to create an account with your email"),
	    "the owner is not told");
	resp_done(&r);
	client_free(owner);
}

Test(accounts, changing_to_taken_emails_is_throttled)
{
	struct http_resp r;
	char	 mine[128], taken[128], form[512];
	int	 i;

	client_signup(client_elsewhere(), "taken", taken);
	client_bind(c, fresh_addr());
	client_signup(c, "prober", mine);
	snprintf(form, sizeof(form), "name=P&email=%s&units=km&first_day=mon&"
	    "timezone=UTC&recent_race_distance=5000", urlenc(taken));
	for (i = 0; i < 9; i++) {
		if (client_post(c, "/settings", form, &r) == 429)
			break;
		cr_assert_eq(r.status, 422, "change %d: %ld", i, r.status);
		cr_assert(resp_has(&r, "Another account uses this email"));
		resp_done(&r);
	}
	cr_assert_lt(i, 9, "9 taken emails tried, never refused");
	cr_assert_geq(i, 5);
	cr_assert(resp_has(&r, "Too many attempts"));
	resp_done(&r);
	/* A change that is saved is not held against the runner. */
	snprintf(form, sizeof(form), "name=P&email=%s&units=km&first_day=mon&"
	    "timezone=UTC&recent_race_distance=5000", urlenc(mine));
	cr_assert_eq(client_post(c, "/settings", form, &r), 303,
	    "saving without an email change: %ld", r.status);
	resp_done(&r);
}
