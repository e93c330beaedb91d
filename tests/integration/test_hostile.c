/*
 * Hostile input through nginx and the pool: stored XSS in every field a
 * runner writes, SQL metacharacters, CSRF on every POST route of the
 * route table, oversized bodies and headers, bad percent-encoding and
 * invalid UTF-8, open redirects, /static/ traversal, header injection,
 * garbage cookies and malformed webhook JSON.
 *
 * Each case asserts the status, the message, and that the runner's data
 * did not change (a checksum of every row they own, before and after).
 * Every test ends by checking the pool is whole: as many children as
 * when it started and no "died"/"exited"/"stuck" line or sanitizer
 * report in the pool's log (CADENCE_LOG_FILE, set by scripts/env.sh).
 *
 * The route table is the pool's own (server/routes.c, linked in), so a
 * new POST route is covered without touching this file.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/util.h"
#include "server/routes.h"

#define MAX_ROUTES	128
#define PATTERN_MAX	256
#define FORM_MAX	2048
#define WH_HOSTILE	970000000LL	/* webhook object ids of this suite */

#define XSS	"<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
#define XSS_ESC	"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;" \
		"&lt;img src=x onerror=alert(1)&gt;"
#define SQLI	"'; DROP TABLE users; --"

static struct client	*c;
static long		 log_start;	/* pool log size when the test began */
static int		 children_start;

/* ---- the pool stays whole --------------------------------------------- */

static long
file_size(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void
setup(void)
{
	c = client_new();
	log_start = file_size(getenv("CADENCE_LOG_FILE"));
	children_start = pool_count_children(pool_master());
}

static void
teardown(void)
{
	client_free(c);
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 180);

/*
 * No worker died and no sanitizer spoke since the test began, and the
 * pool has as many children as then (respawns take a moment: wait 3 s).
 */
static void
assert_pool_whole(void)
{
	static const char *const bad[] = { " died ", "exited with status",
	    " stuck ", "deadline exceeded", "AddressSanitizer",
	    "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer" };
	const char	*path = getenv("CADENCE_LOG_FILE");
	char		 line[2048];
	FILE		*f;
	int		 n, i;
	size_t		 k;

	cr_assert(path != NULL, "CADENCE_LOG_FILE is not set (scripts/env.sh)");
	cr_assert((f = fopen(path, "r")) != NULL, "cannot read %s", path);
	fseek(f, log_start, SEEK_SET);
	while (fgets(line, sizeof(line), f) != NULL)
		for (k = 0; k < NELEM(bad); k++)
			cr_expect(strstr(line, bad[k]) == NULL,
			    "the pool logged: %s", line);
	fclose(f);
	for (i = 0; i < 30 && (n = pool_count_children(pool_master())) <
	    children_start; i++)
		usleep(100 * 1000);
	cr_assert_eq(pool_count_children(pool_master()), children_start,
	    "the pool has %d children, had %d",
	    pool_count_children(pool_master()), children_start);
}

/* ---- a runner with a plan --------------------------------------------- */

struct runner {
	char	 email[128], user[64], plan[64], workout[64], race_date[16];
};

/* Signs c up and creates a plan through the form with these texts. */
static void
runner_with_plan(struct client *cl, const char *prefix, const char *name,
    const char *race, const char *location, struct runner *rn)
{
	struct http_resp r;
	char form[FORM_MAX];

	client_signup(cl, prefix, rn->email);
	snprintf(rn->user, sizeof(rn->user), "%s", db_value("SELECT id FROM"
	    " users WHERE email = '%s'", rn->email));
	snprintf(rn->race_date, sizeof(rn->race_date), "%s", db_value(
	    "SELECT ((now() AT TIME ZONE 'UTC')::date + 70)::text"));
	snprintf(form, sizeof(form), "name=%s&race_name=%s&race_location=%s"
	    "&race_distance=10000&race_date=%s&weeks=8&runs_per_week=5"
	    "&long_run_day=sun&weekly_distance=30", urlenc(name), urlenc(race),
	    urlenc(location), rn->race_date);
	client_get(cl, "/plans/new", &r);
	resp_done(&r);
	cr_assert_eq(client_post(cl, "/plans/new", form, &r), 303,
	    "plan form: %ld", r.status);
	resp_done(&r);
	snprintf(rn->plan, sizeof(rn->plan), "%s", db_value("SELECT id FROM"
	    " training_plans WHERE user_id = '%s'", rn->user));
	snprintf(rn->workout, sizeof(rn->workout), "%s", db_value("SELECT id"
	    " FROM workouts WHERE training_plan_id = '%s' ORDER BY"
	    " scheduled_date, id LIMIT 1", rn->plan));
	cr_assert_eq(strlen(rn->plan), 36);
	cr_assert_eq(strlen(rn->workout), 36);
	/* A page with the session's CSRF token for client_post. */
	client_get(cl, "/settings", &r);
	resp_done(&r);
}

/* Every row the runner owns (sessions aside), as one md5. */
static char *
checksum(const char *user)
{
	return strdup(db_value("SELECT md5("
	    " (SELECT coalesce(string_agg(u.id || u.email || coalesce(u.name,"
	    "   '') || coalesce(u.password_hash, ''), '|'), '')"
	    "    FROM users u WHERE u.id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|'), '')"
	    "    FROM athlete_profiles t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM training_plans t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM races t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workouts t JOIN training_plans p"
	    "      ON p.id = t.training_plan_id WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY"
	    "         t.workout_id), '')"
	    "    FROM workout_feedback t JOIN workouts w ON w.id = t.workout_id"
	    "    JOIN training_plans p ON p.id = w.training_plan_id"
	    "   WHERE p.user_id = '%1$s'))", user));
}

/* Asserts the runner's checksum is still before (what: the case). */
static void
assert_unchanged(const struct runner *rn, const char *before,
    const char *what)
{
	char *now = checksum(rn->user);

	cr_assert_str_eq(now, before, "%s changed the runner's data", what);
	free(now);
}

/* ---- the route table ------------------------------------------------------ */

struct route_src {
	char	 method[8];
	char	 path[PATTERN_MAX];	/* {id} for UUID, {n} for a number */
	bool	 csrf, nosession, has_id;
};

/*
 * A route's pattern as a plain path: {id} for a UUID, {n} for a number,
 * a club's name for a slug.
 */
static void
pattern_path(char *out, size_t n, const char *pat, bool *has_id)
{
	size_t used = 0, len;

	*has_id = false;
	while (*pat != '\0' && used + 5 < n) {
		if (strncmp(pat, ROUTE_UUID, strlen(ROUTE_UUID)) == 0) {
			memcpy(out + used, "{id}", 4);
			used += 4;
			pat += strlen(ROUTE_UUID);
			*has_id = true;
		} else if (strncmp(pat, ROUTE_NUMBER, len = strlen(ROUTE_NUMBER)) == 0) {
			memcpy(out + used, "{n}", 3);
			used += 3;
			pat += len;
		} else if (strncmp(pat, ROUTE_SLUG, len = strlen(ROUTE_SLUG)) == 0) {
			/* A club: any name will do for the CSRF gate. */
			memcpy(out + used, "no-such-club", 12);
			used += 12;
			pat += len;
		} else {
			if (*pat == '\\')	/* "\\." in a pattern: a literal dot */
				pat++;
			out[used++] = *pat++;
		}
	}
	out[used] = '\0';
}

/* The route table the pool runs (server/routes.c), linked in. */
static size_t
read_routes(struct route_src *out, size_t max)
{
	size_t i;

	cr_assert_leq(nroutes, max);
	for (i = 0; i < nroutes; i++) {
		struct route_src *r = &out[i];

		memset(r, 0, sizeof(*r));
		snprintf(r->method, sizeof(r->method), "%s", routes[i].method);
		pattern_path(r->path, sizeof(r->path), routes[i].pattern,
		    &r->has_id);
		r->csrf = (routes[i].flags & ROUTE_CSRF) != 0;
		r->nosession = (routes[i].flags & ROUTE_NOSESSION) != 0;
	}
	return nroutes;
}

/* The path with {id} as the runner's plan or workout and {n} as 1. */
static void
concrete_path(char *out, size_t n, const char *tmpl, const struct runner *rn)
{
	const char	*id = strncmp(tmpl, "/workouts/", 10) == 0 ?
			    rn->workout : rn->plan;
	size_t		 used = 0;

	while (*tmpl != '\0' && used + 40 < n) {
		if (strncmp(tmpl, "{id}", 4) == 0) {
			used += (size_t)snprintf(out + used, n - used, "%s", id);
			tmpl += 4;
		} else if (strncmp(tmpl, "{n}", 3) == 0) {
			out[used++] = '1';
			tmpl += 3;
		} else
			out[used++] = *tmpl++;
	}
	out[used] = '\0';
}

/* ---- 1. stored XSS ---------------------------------------------------- */

Test(hostile, stored_xss_is_escaped_on_every_page)
{
	struct client *other = client_new();
	struct runner rn;
	struct http_resp r;
	char form[FORM_MAX], path[PATTERN_MAX];
	const char *const pages[] = { "/plans", "/plans/{id}",
	    "/plans/{id}/weeks/1", "/plans/{id}/edit", "/workouts/{id}", "/",
	    "/settings", "/fitness", "/plans/{id}/adjust" };
	size_t i;

	runner_with_plan(c, "xss", XSS, XSS, XSS, &rn);
	/* The workout's description and note, the runner's name. */
	snprintf(form, sizeof(form), "description=%s", urlenc(XSS));
	snprintf(path, sizeof(path), "/workouts/%s/edit", rn.workout);
	cr_assert_eq(client_post(c, path, form, &r), 303, "edit: %ld",
	    r.status);
	resp_done(&r);
	snprintf(form, sizeof(form), "rpe=3&note=%s", urlenc(XSS));
	snprintf(path, sizeof(path), "/workouts/%s/note", rn.workout);
	cr_assert_eq(client_post(c, path, form, &r), 303, "note: %ld",
	    r.status);
	resp_done(&r);
	client_get(c, "/settings", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=%s&email=%s&units=km&first_day=mon"
	    "&timezone=UTC&recent_race_distance=custom", urlenc(XSS),
	    urlenc(rn.email));
	cr_assert_eq(client_post(c, "/settings", form, &r), 303,
	    "settings: %ld", r.status);
	resp_done(&r);

	/* Stored as typed: escaping is the page's job, not the database's. */
	cr_assert_str_eq(db_value("SELECT name FROM users WHERE id = '%s'",
	    rn.user), XSS);
	cr_assert_str_eq(db_value("SELECT p.name || r.name || r.location FROM"
	    " training_plans p JOIN races r ON r.id = p.race_id WHERE"
	    " p.id = '%s'", rn.plan), XSS XSS XSS);
	cr_assert_str_eq(db_value("SELECT description FROM workouts WHERE"
	    " id = '%s'", rn.workout), XSS);
	cr_assert_str_eq(db_value("SELECT note FROM workout_feedback WHERE"
	    " workout_id = '%s'", rn.workout), XSS);

	for (i = 0; i < NELEM(pages); i++) {
		concrete_path(path, sizeof(path), pages[i], &rn);
		cr_assert_eq(client_get(c, path, &r), 200, "%s: %ld", pages[i],
		    r.status);
		cr_expect(!resp_has(&r, "<script>alert(1)"),
		    "%s has the raw <script>", pages[i]);
		cr_expect(!resp_has(&r, "<img src=x"),
		    "%s has the raw <img>", pages[i]);
		cr_expect(resp_has(&r, XSS_ESC), "%s does not show the text "
		    "escaped", pages[i]);
		resp_done(&r);
	}
	/* Another runner sees none of it. */
	client_signup(other, "xss-other", form);
	cr_assert_eq(client_get(other, "/plans", &r), 200);
	cr_assert(!resp_has(&r, "alert(1)"));
	resp_done(&r);
	client_free(other);
	assert_pool_whole();
}

/* ---- 2. SQL metacharacters -------------------------------------------- */

/* GETs path; asserts the status is one of want (0-ended) and never 5xx. */
static long
get_expect(struct client *cl, const char *path, const long *want)
{
	struct http_resp r;
	long s = client_get(cl, path, &r);
	bool ok = false;

	for (; *want != 0; want++)
		ok |= s == *want;
	cr_expect(ok, "GET %s answered %ld", path, s);
	cr_expect(s < 500, "GET %s answered %ld", path, s);
	resp_done(&r);
	return s;
}

Test(hostile, sql_metacharacters_are_only_data)
{
	static const char *const names[] = { SQLI, "\\", "100% _off_",
	    "O'Brien \"the\" \\'runner\\'", "%' OR '1'='1", "_%_%\\%" };
	static const long ok200[] = { 200, 0 }, ok404[] = { 404, 0 };
	static const long okq[] = { 200, 400, 0 };
	struct client *anon = client_new(), *victim = client_new();
	struct runner rn, vr;
	struct http_resp r;
	char form[FORM_MAX], path[PATTERN_MAX], *before;
	size_t i;
	long s;

	runner_with_plan(victim, "sqli-victim", "Victim", "Victim", "", &vr);
	before = checksum(vr.user);
	runner_with_plan(c, "sqli", SQLI, SQLI, SQLI, &rn);

	/* Names through the plan rename and settings: stored exactly. */
	for (i = 0; i < NELEM(names); i++) {
		snprintf(path, sizeof(path), "/plans/%s/rename", rn.plan);
		snprintf(form, sizeof(form), "name=%s", urlenc(names[i]));
		cr_assert_eq(client_post(c, path, form, &r), 303,
		    "rename to %s: %ld", names[i], r.status);
		resp_done(&r);
		cr_assert_str_eq(db_value("SELECT name FROM training_plans"
		    " WHERE id = '%s'", rn.plan), names[i]);
		snprintf(form, sizeof(form), "name=%s&email=%s&units=km"
		    "&first_day=mon&timezone=UTC&recent_race_distance=custom",
		    urlenc(names[i]),
		    urlenc(rn.email));
		cr_assert_eq(client_post(c, "/settings", form, &r), 303,
		    "settings name %s: %ld", names[i], r.status);
		resp_done(&r);
		cr_assert_str_eq(db_value("SELECT name FROM users WHERE"
		    " id = '%s'", rn.user), names[i]);
		get_expect(c, "/plans", ok200);
	}

	/* Sign-in and sign-up with metacharacters: form errors, no 500. */
	for (i = 0; i < NELEM(names); i++) {
		client_get(anon, "/login", &r);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=%s",
		    urlenc(names[i]), urlenc(names[i]));
		s = client_post(anon, "/login", form, &r);
		cr_expect(s >= 400 && s < 500, "login as %s: %ld", names[i], s);
		cr_expect(resp_has(&r, "<form"), "login as %s: no form",
		    names[i]);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=%s",
		    urlenc(rn.email), urlenc(names[i]));
		s = client_post(anon, "/login", form, &r);
		cr_expect(s >= 400 && s < 500, "password %s: %ld", names[i], s);
		resp_done(&r);
	}
	client_get(anon, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=%s&email=%s&password=%s",
	    urlenc(SQLI), urlenc("x'; DROP TABLE users; --@test.cadence"),
	    urlenc(TEST_PASSWORD));
	s = client_post(anon, "/signup", form, &r);
	cr_expect(s == 303 || s == 422, "signup with a quote: %ld", s);
	resp_done(&r);
	if (s == 303)
		cr_assert_str_eq(db_value("SELECT name FROM users WHERE email ="
		    " 'x''; drop table users; --@test.cadence'"), SQLI);

	/* Search parameters and ids in paths. */
	snprintf(path, sizeof(path), "/activities?filter=%s&page=%s",
	    urlenc(SQLI), urlenc("1' OR '1'='1"));
	get_expect(c, path, okq);
	snprintf(path, sizeof(path), "/activities?filter=%%25&page=%%5F");
	get_expect(c, path, okq);
	snprintf(path, sizeof(path), "/plans/%s", urlenc(SQLI));
	get_expect(c, path, ok404);
	snprintf(path, sizeof(path), "/plans/%s%%27", rn.plan);
	get_expect(c, path, ok404);
	snprintf(path, sizeof(path), "/plans/%s%%27/edit", vr.plan);
	get_expect(c, path, ok404);
	snprintf(path, sizeof(path), "/workouts/%s", urlenc("' OR '1'='1"));
	get_expect(c, path, ok404);
	snprintf(path, sizeof(path), "/workouts/%s", urlenc("%"));
	get_expect(c, path, ok404);
	snprintf(path, sizeof(path), "/plans/%s/calendar.ics?token=%s",
	    vr.plan, urlenc("' OR '1'='1"));
	get_expect(anon, path, ok404);
	snprintf(path, sizeof(path), "/plans/%s/calendar.ics?token=%%25",
	    vr.plan);
	get_expect(anon, path, ok404);
	snprintf(path, sizeof(path), "/workouts/%s/match", rn.workout);
	snprintf(form, sizeof(form), "activity_id=%s", urlenc(SQLI));
	s = client_post(c, path, form, &r);
	cr_expect(s >= 400 && s < 500, "match %s: %ld", SQLI, s);
	resp_done(&r);

	/* The tables are there, and nobody else's data moved. */
	cr_assert_neq(atoi(db_value("SELECT count(*) FROM users")), 0);
	cr_assert_str_eq(db_value("SELECT to_regclass('training_plans')"
	    "::text"), "training_plans");
	assert_unchanged(&vr, before, "SQL metacharacters");
	free(before);
	client_free(anon);
	client_free(victim);
	assert_pool_whole();
}

/* ---- 3. CSRF on every POST route -------------------------------------- */

/* A form any POST route would accept from its owner. */
static void
would_succeed_form(char *out, size_t n, const struct runner *rn)
{
	snprintf(out, n, "name=Taken&race_name=Taken&race_distance=10000"
	    "&race_date=%s&weeks=8&runs_per_week=4&long_run_day=sat"
	    "&weekly_distance=30&confirm=yes&type=long&distance=30"
	    "&description=Taken&note=Taken&rpe=3&date=%s&email=%s"
	    "&password=%s&current_password=%s&new_password=%s&units=mi"
	    "&first_day=sun&timezone=UTC&recent_race_distance=custom",
	    rn->race_date, rn->race_date,
	    urlenc(rn->email), urlenc(TEST_PASSWORD), urlenc(TEST_PASSWORD),
	    urlenc("another long password"));
}

Test(hostile, csrf_is_required_on_every_post_route)
{
	static const char *const origin_evil[] = {
	    "Origin: https://evil.example", NULL };
	static const char *const origin_null[] = { "Origin: null", NULL };
	static const char *const cross_site[] = {
	    "Sec-Fetch-Site: cross-site", NULL };
	static const char *const same_site[] = {
	    "Sec-Fetch-Site: same-site", NULL };
	struct route_src table[MAX_ROUTES];
	struct runner rn;
	struct http_resp r;
	char base[FORM_MAX], form[FORM_MAX + 256], path[PATTERN_MAX];
	char *before;
	size_t n, i, checked = 0;
	int v;

	n = read_routes(table, MAX_ROUTES);
	cr_assert_gt(n, 20, "only %zu routes in the table", n);
	runner_with_plan(c, "csrf", "Mine", "Mine", "", &rn);
	would_succeed_form(base, sizeof(base), &rn);
	before = checksum(rn.user);

	for (i = 0; i < n; i++) {
		const struct route_src *rs = &table[i];
		const char *const *hdrs[] = { NULL, NULL, origin_evil,
		    origin_null, cross_site, same_site };

		if (strcmp(rs->method, "POST") != 0)
			continue;
		if (!rs->csrf) {	/* machine endpoints only */
			cr_expect(rs->nosession, "POST %s has no CSRF check",
			    rs->path);
			continue;
		}
		concrete_path(path, sizeof(path), rs->path, &rn);
		for (v = 0; v < (int)NELEM(hdrs); v++) {
			if (v == 0)		/* no token */
				snprintf(form, sizeof(form), "%s", base);
			else if (v == 1)	/* someone else's token */
				snprintf(form, sizeof(form), "%s&csrf_token=%s",
				    base, "00112233445566778899aabbccddeeff00112"
				    "233445566778899aabbccddeeff");
			else			/* right token, foreign origin */
				snprintf(form, sizeof(form), "%s&csrf_token=%s",
				    base, client_csrf(c));
			client_req(c, "POST", path, form, hdrs[v], &r);
			cr_expect_eq(r.status, 403, "POST %s variant %d: %ld",
			    rs->path, v, r.status);
			cr_expect(resp_has(&r, "did not come from Cadence"),
			    "POST %s variant %d: no message", rs->path, v);
			resp_done(&r);
		}
		checked++;
	}
	assert_unchanged(&rn, before, "a forged POST");
	cr_assert_gt(checked, 20);
	fprintf(stderr, "figure: CSRF refused on %zu POST routes x 6 forgeries"
	    "\n", checked);

	/* The same form with the right token and no foreign origin works. */
	snprintf(path, sizeof(path), "/plans/%s/rename", rn.plan);
	cr_assert_eq(client_post(c, path, "name=Renamed", &r), 303);
	resp_done(&r);
	free(before);
	assert_pool_whole();
}

/*
 * (Every route of the table has a row in test_ownership.c's role x route
 * table: that test checks it itself, against the same linked table.)
 */

/* ---- 4. sizes --------------------------------------------------------- */

Test(hostile, oversized_bodies_and_headers_are_refused)
{
	struct client *anon = client_new();
	struct runner rn;
	struct http_resp r;
	size_t n = 2 * 1024 * 1024, i;
	char *big = xmalloc(n + 1), *cookie, *before;
	const char *hdr[2];

	runner_with_plan(c, "big", "Mine", "Mine", "", &rn);
	before = checksum(rn.user);
	snprintf(big, n + 1, "name=");
	memset(big + 5, 'a', n - 5);
	big[n] = '\0';
	client_req(c, "POST", "/settings", big, NULL, &r);
	cr_assert_eq(r.status, 413, "2 MB form: %ld", r.status);
	resp_done(&r);
	client_req(anon, "POST", "/login", big, NULL, &r);
	cr_assert_eq(r.status, 413, "2 MB sign-in: %ld", r.status);
	resp_done(&r);
	client_req(anon, "POST", "/strava/webhook", big, NULL, &r);
	cr_assert_eq(r.status, 413, "2 MB webhook: %ld", r.status);
	resp_done(&r);
	assert_unchanged(&rn, before, "a 2 MB form");

	/* A 64 KB cookie header: nginx refuses it (494 shows as 400). */
	cookie = xmalloc(64 * 1024 + 32);
	strcpy(cookie, "Cookie: cadence_session=");
	for (i = strlen(cookie); i < 64 * 1024; i++)
		cookie[i] = 'a' + (char)(i % 26);
	cookie[i] = '\0';
	hdr[0] = cookie;
	hdr[1] = NULL;
	client_req(anon, "GET", "/", NULL, hdr, &r);
	cr_assert(r.status == 400 || r.status == 494 || r.status == 431,
	    "64 KB cookie: %ld", r.status);
	resp_done(&r);
	/* 200 headers of 1 KB each. */
	{
		const char *many[201];
		static char lines[200][1100];

		for (i = 0; i < 200; i++) {
			snprintf(lines[i], sizeof(lines[i]), "X-Pad-%zu: ", i);
			memset(lines[i] + strlen(lines[i]), 'x', 1000);
			lines[i][1090] = '\0';
			many[i] = lines[i];
		}
		many[200] = NULL;
		client_req(anon, "GET", "/", NULL, many, &r);
		cr_assert(r.status == 400 || r.status == 494 || r.status == 431 ||
		    r.status == 200, "200 big headers: %ld", r.status);
		resp_done(&r);
	}
	cr_assert_eq(client_get(anon, "/livez", &r), 200);
	resp_done(&r);
	free(cookie);
	free(big);
	free(before);
	client_free(anon);
	assert_pool_whole();
}

/* ---- 5. encodings ----------------------------------------------------- */

Test(hostile, bad_encoding_in_query_form_and_path_is_400)
{
	static const char *const bad[] = { "%zz", "%", "%4", "%00", "%C3%28",
	    "%C0%AF", "%ED%A0%80", "%F8%88%80%80%80", "%FF", "a%0Db" };
	static const char *const bad_paths[] = { "/plans/%FF", "/%C0%AE%C0%AE",
	    "/workouts/%ED%A0%80", "/%C3%28/x", "/settings%FE" };
	struct runner rn;
	struct http_resp r;
	char path[PATTERN_MAX], form[FORM_MAX], *before;
	size_t i;

	runner_with_plan(c, "enc", "Mine", "Mine", "", &rn);
	before = checksum(rn.user);
	for (i = 0; i < NELEM(bad); i++) {
		bool nul_ok = strcmp(bad[i], "a%0Db") == 0;

		/* Query strings (signed in, so a real page would render). */
		snprintf(path, sizeof(path), "/activities?filter=%s", bad[i]);
		client_get(c, path, &r);
		if (nul_ok)	/* a CR in a query value is just text */
			cr_expect(r.status == 200 || r.status == 400,
			    "%s: %ld", path, r.status);
		else {
			cr_expect_eq(r.status, 400, "%s: %ld", path, r.status);
			cr_expect(resp_has(&r, "could not be read"), "%s: no "
			    "message", path);
		}
		resp_done(&r);
		/* Form fields: the settings name, sent with a valid token. */
		snprintf(form, sizeof(form), "name=%s&email=%s&units=km"
		    "&first_day=mon&timezone=UTC&recent_race_distance=custom",
		    bad[i], urlenc(rn.email));
		client_post(c, "/settings", form, &r);
		if (nul_ok)	/* parsed, then refused as a field error */
			cr_expect(r.status == 422, "CR in a name: %ld",
			    r.status);
		else {
			cr_expect_eq(r.status, 400, "form %s: %ld", bad[i],
			    r.status);
			cr_expect(resp_has(&r, "could not be read"), "form %s:"
			    " no message", bad[i]);
		}
		resp_done(&r);
		client_get(c, "/settings", &r);	/* a fresh token */
		resp_done(&r);
	}
	for (i = 0; i < NELEM(bad_paths); i++) {
		client_get(c, bad_paths[i], &r);
		cr_expect_eq(r.status, 400, "%s: %ld", bad_paths[i], r.status);
		cr_expect(r.body.len > 0, "%s: an empty answer", bad_paths[i]);
		cr_expect(!resp_has(&r, "Mine"), "%s", bad_paths[i]);
		resp_done(&r);
	}
	/* Not percent-encoding at all in a path: nginx's own 400. */
	client_get(c, "/plans%zz", &r);
	cr_expect_eq(r.status, 400, "/plans%%zz: %ld", r.status);
	resp_done(&r);
	assert_unchanged(&rn, before, "bad encoding");
	free(before);
	assert_pool_whole();
}

/* ---- 6. redirects, traversal, header injection ------------------------ */

/*
 * A Location a browser resolves on this site: "/x" with no host, scheme
 * or control character ("/%5Cx" and "/%2F/x" are paths here: browsers do
 * not decode a Location before resolving it).
 */
static bool
local_location(const char *loc)
{
	return loc != NULL && loc[0] == '/' && loc[1] != '/' &&
	    loc[1] != '\\' && strpbrk(loc, "\r\n\t") == NULL &&
	    strstr(loc, "://") == NULL;
}

/* True if a header line of r starts with prefix (case-insensitive). */
static bool
has_header_line(const struct http_resp *r, const char *prefix)
{
	const char *p = buf_cstr(&r->headers);

	for (; *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n')
		if (strncasecmp(p, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

Test(hostile, next_never_leaves_the_site)
{
	static const char *const nexts[] = { "%2F%2Fevil.example",
	    "/%5Cevil.example", "/%5cevil.example", "https:evil.example",
	    "http:/evil.example", "//evil.example", "\\\\evil.example",
	    "/\t/evil.example", " //evil.example", "/%09/evil.example",
	    "/%2F/evil.example", "\x0d\x0a//evil.example",
	    "/x\r\nSet-Cookie: evil=1", "/x%0d%0aSet-Cookie:%20evil=1",
	    "//%5Cevil.example", "javascript:alert(1)", "data:text/html,x",
	    "/\\/evil.example", "///evil.example", "%2F%2F%2Fevil.example" };
	char email[128], form[FORM_MAX], path[PATTERN_MAX];
	struct http_resp r;
	const char *loc;
	size_t i;

	client_signup(c, "next-evil", email);
	for (i = 0; i < NELEM(nexts); i++) {
		struct client *cl = client_new();

		/* The sign-in page keeps next in a hidden field, escaped. */
		snprintf(path, sizeof(path), "/login?next=%s", urlenc(nexts[i]));
		cr_assert_eq(client_get(cl, path, &r), 200);
		cr_expect(!resp_has(&r, "evil.example\r\n"));
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=%s&next=%s",
		    urlenc(email), urlenc(TEST_PASSWORD), urlenc(nexts[i]));
		cr_assert_eq(client_post(cl, "/login", form, &r), 303,
		    "next=%s", nexts[i]);
		loc = resp_header_value(&r, "Location");
		cr_expect(local_location(loc), "next=%s went to %s", nexts[i],
		    loc ? loc : "(none)");
		cr_expect(!has_header_line(&r, "Set-Cookie: evil"),
		    "next=%s set a header", nexts[i]);
		resp_done(&r);
		/* Signed in, GET /login?next=... redirects at once. */
		client_get(cl, path, &r);
		loc = resp_header_value(&r, "Location");
		cr_expect(r.status == 303 && local_location(loc),
		    "signed in next=%s: %ld %s", nexts[i], r.status,
		    loc ? loc : "(none)");
		resp_done(&r);
		client_free(cl);
	}
	assert_pool_whole();
}

/*
 * A next with bytes a Location may not carry raw (non-ASCII, spaces,
 * quotes, a lone '%') arrives percent-encoded, still on this site.
 */
Test(hostile, next_with_non_ascii_is_percent_encoded)
{
	static const char *const cases[][2] = {
		{ "/\xe3\x80\x80/x", "/%E3%80%80/x" },	/* ideographic space */
		{ "/caf\xc3\xa9?q=\xc3\xa9#\xc3\xa9", "/caf%C3%A9?q=%C3%A9#%C3%A9" },
		{ "/a b", "/a%20b" },
		{ "/a\"<>`{|}^", "/a%22%3C%3E%60%7B%7C%7D%5E" },
		{ "/100%", "/100%25" },
		{ "/x%41?y=%2F", "/x%41?y=%2F" },		/* escapes kept */
		{ "/\xef\xbc\x8f\xef\xbc\x8f" "evil.example", "/%EF%BC%8F%EF%BC%8Fevil.example" },
	};
	char email[128], form[FORM_MAX], path[PATTERN_MAX];
	struct http_resp r;
	const char *loc;
	size_t i;

	client_signup(c, "next-utf8", email);
	for (i = 0; i < NELEM(cases); i++) {
		struct client *cl = client_new();

		snprintf(path, sizeof(path), "/login?next=%s", urlenc(cases[i][0]));
		cr_assert_eq(client_get(cl, path, &r), 200);
		resp_done(&r);
		snprintf(form, sizeof(form), "email=%s&password=%s&next=%s",
		    urlenc(email), urlenc(TEST_PASSWORD), urlenc(cases[i][0]));
		cr_assert_eq(client_post(cl, "/login", form, &r), 303,
		    "next=%s", cases[i][1]);
		loc = resp_header_value(&r, "Location");
		cr_expect(loc != NULL && strcmp(loc, cases[i][1]) == 0,
		    "sign-in next=%s went to %s", cases[i][1], loc ? loc : "-");
		resp_done(&r);
		/* Signed in, GET /login?next=... redirects at once. */
		client_get(cl, path, &r);
		loc = resp_header_value(&r, "Location");
		cr_expect(r.status == 303 && loc != NULL &&
		    strcmp(loc, cases[i][1]) == 0, "signed in next=%s: %ld %s",
		    cases[i][1], r.status, loc ? loc : "-");
		resp_done(&r);
		client_free(cl);
	}
	assert_pool_whole();
}

Test(hostile, static_traversal_variants_are_refused)
{
	static const char *const paths[] = {
	    "/static/%252e%252e/Makefile", "/static/%252e%252e%252fMakefile",
	    "/static/..%252fMakefile", "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
	    "/static/%2E%2E/Makefile", "/static/./../Makefile",
	    "/static/..%5cMakefile", "/static/..\\Makefile",
	    "/static/%c0%ae%c0%ae/Makefile", "/static/app.css%00.txt",
	    "/static/app.css%00", "/static/%00../Makefile",
	    "/static/....//Makefile", "/static//../Makefile",
	    "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
	    "/static/..;/Makefile", "/static/%u002e%u002e/Makefile",
	    "/static/../app/core/util.h" };
	struct http_resp r;
	size_t i;

	for (i = 0; i < NELEM(paths); i++) {
		client_req(c, "GET", paths[i], NULL, NULL, &r);
		cr_expect(r.status == 400 || r.status == 403 ||
		    r.status == 404, "%s answered %ld", paths[i], r.status);
		cr_expect(!resp_has(&r, "BUILD") && !resp_has(&r, "root:") &&
		    !resp_has(&r, "#ifndef"), "%s leaked a file", paths[i]);
		resp_done(&r);
	}
	cr_assert_eq(client_get(c, "/static/app.css", &r), 200);
	resp_done(&r);
	assert_pool_whole();
}

Test(hostile, no_header_injection_from_any_value)
{
	static const char *const crlf_cookies[] = {
	    "Cookie: flash=%0d%0aX-Evil:%201",
	    "Cookie: flash=note_saved%0d%0aX-Evil:%201",
	    "Cookie: flash=\"a\r b\"" };
	struct runner rn;
	struct http_resp r;
	char path[PATTERN_MAX], form[FORM_MAX], *before;
	const char *cd;
	size_t i;

	runner_with_plan(c, "hdr", "Mine", "Mine", "", &rn);
	/* A plan name or description with CR/LF: refused or kept as text. */
	snprintf(path, sizeof(path), "/plans/%s/rename", rn.plan);
	before = checksum(rn.user);
	snprintf(form, sizeof(form), "name=%s", urlenc("a\r\nX-Evil: 1"));
	cr_assert_eq(client_post(c, path, form, &r), 422, "%ld", r.status);
	cr_assert(resp_has(&r, "on one line"));
	resp_done(&r);
	assert_unchanged(&rn, before, "a name with CR/LF");
	snprintf(path, sizeof(path), "/workouts/%s/edit", rn.workout);
	snprintf(form, sizeof(form), "description=%s",
	    urlenc("line\r\nContent-Disposition: attachment; filename=x.exe"));
	client_get(c, "/settings", &r);
	resp_done(&r);
	cr_assert_eq(client_post(c, path, form, &r), 303, "%ld", r.status);
	resp_done(&r);
	/* The export's file name is fixed; the text stays in the body. */
	snprintf(path, sizeof(path), "/plans/%s/export.csv", rn.plan);
	cr_assert_eq(client_get(c, path, &r), 200);
	cd = resp_header_value(&r, "Content-Disposition");
	cr_assert(cd != NULL);
	cr_assert_str_eq(cd, "attachment; filename=\"cadence-plan.csv\"");
	cr_assert(strstr(buf_cstr(&r.headers), "x.exe") == NULL);
	cr_assert(resp_has(&r, "x.exe"), "the description is in the CSV");
	resp_done(&r);
	/* A flash cookie with CR/LF is an unknown key: ignored. */
	for (i = 0; i < NELEM(crlf_cookies); i++) {
		const char *h[] = { crlf_cookies[i], NULL };

		client_req(c, "GET", "/", NULL, h, &r);
		cr_expect(r.status == 200 || r.status == 400, "%s: %ld",
		    crlf_cookies[i], r.status);
		cr_expect(resp_header_value(&r, "X-Evil") == NULL, "%s",
		    crlf_cookies[i]);
		resp_done(&r);
	}
	/* A query value with CR/LF ends up in no header. */
	client_get(c, "/login?next=/x%0d%0aX-Evil:%201", &r);
	cr_expect(resp_header_value(&r, "X-Evil") == NULL);
	resp_done(&r);
	free(before);
	assert_pool_whole();
}

/* ---- 7. garbage cookies ----------------------------------------------- */

Test(hostile, garbage_cookies_are_just_signed_out)
{
	struct runner rn;
	struct http_resp r;
	buf_t many = BUF_INIT, dup = BUF_INIT;
	char bin[128];
	size_t i;

	/* Binary bytes (no NUL: a header cannot carry one). */
	snprintf(bin, sizeof(bin), "Cookie: cadence_session=\x01\x02\x7f\x80"
	    "\xff\xfe; flash=\x80\x81; =\x90; ;;; =; a");
	{
		const char *h[] = { bin, NULL };

		client_req(c, "GET", "/", NULL, h, &r);
		cr_expect(r.status == 200 || r.status == 400, "binary: %ld",
		    r.status);
		cr_expect(!resp_has(&r, "Sign out"));
		resp_done(&r);
		client_req(c, "GET", "/settings", NULL, h, &r);
		cr_expect(r.status == 303 || r.status == 400, "binary: %ld",
		    r.status);
		resp_done(&r);
	}
	/* A thousand short cookies (within nginx's 8 KB header line). */
	buf_puts(&many, "Cookie: ");
	for (i = 0; i < 1000; i++)
		buf_printf(&many, "c%zu=%zu;", i, i);
	{
		const char *h[] = { buf_cstr(&many), NULL };

		client_req(c, "GET", "/", NULL, h, &r);
		cr_expect(r.status == 200 || r.status == 400, "1000 cookies: "
		    "%ld", r.status);
		resp_done(&r);
	}
	/* Duplicates: a real session next to forged ones. */
	runner_with_plan(c, "cookie", "Mine", "Mine", "", &rn);
	buf_puts(&dup, "Cookie: cadence_session=00; cadence_session=zz;"
	    " cadence_session=; flash=1; flash=2; flash=3");
	{
		const char *h[] = { buf_cstr(&dup), NULL };
		struct client *anon = client_new();

		client_req(anon, "GET", "/settings", NULL, h, &r);
		cr_expect_eq(r.status, 303, "duplicates: %ld", r.status);
		resp_done(&r);
		client_req(anon, "GET", "/", NULL, h, &r);
		cr_expect_eq(r.status, 200, "duplicates: %ld", r.status);
		resp_done(&r);
		client_free(anon);
	}
	/* The runner's own session still works afterwards. */
	cr_assert_eq(client_get(c, "/settings", &r), 200);
	resp_done(&r);
	buf_free(&many);
	buf_free(&dup);
	assert_pool_whole();
}

/* ---- 8. malformed webhook JSON ---------------------------------------- */

Test(hostile, malformed_webhook_json_is_400_and_nothing_is_stored)
{
	static const char *const json[] = {
	    "Content-Type: application/json", NULL };
	char deep[8200];
	char big_int[256], neg[256], dup[512], trail[512];
	const char *bodies[12];
	const char *spool = getenv("CADENCE_SPOOL_DIR");
	struct http_resp r;
	size_t i, nb = 0;
	long long before;

	before = atoll(db_value("SELECT count(*) FROM strava_webhook_events"));
	for (i = 0; i < 4000; i++)
		deep[i] = '[';
	for (; i < 8000; i++)
		deep[i] = ']';
	deep[i] = '\0';
	bodies[nb++] = deep;
	snprintf(big_int, sizeof(big_int), "{\"aspect_type\":\"create\","
	    "\"event_time\":1516126040,\"object_id\":"
	    "99999999999999999999999999,\"object_type\":\"activity\","
	    "\"owner_id\":1,\"subscription_id\":1}");
	bodies[nb++] = big_int;
	snprintf(neg, sizeof(neg), "{\"aspect_type\":\"create\",\"event_time\":"
	    "1516126040,\"object_id\":-%lld,\"object_type\":\"activity\","
	    "\"owner_id\":1,\"subscription_id\":1}", WH_HOSTILE);
	bodies[nb++] = neg;
	snprintf(dup, sizeof(dup), "{\"aspect_type\":\"create\",\"event_time\":"
	    "1516126040,\"object_id\":%lld,\"object_id\":\"x\",\"object_type\":"
	    "\"activity\",\"owner_id\":1,\"subscription_id\":1}",
	    WH_HOSTILE + 1);
	bodies[nb++] = dup;
	snprintf(trail, sizeof(trail), "{\"aspect_type\":\"create\","
	    "\"event_time\":1516126040,\"object_id\":%lld,\"object_type\":"
	    "\"activity\",\"owner_id\":1,\"subscription_id\":1} {}",
	    WH_HOSTILE + 2);
	bodies[nb++] = trail;
	bodies[nb++] = "{\"aspect_type\":\"cr\xff\xfe\",\"event_time\":1,"
	    "\"object_id\":970000003,\"object_type\":\"activity\","
	    "\"owner_id\":1,\"subscription_id\":1}";
	bodies[nb++] = "{\"aspect_type\":\"create\"\x01,\"object_id\":1}";
	bodies[nb++] = "\xef\xbb\xbf{}";
	bodies[nb++] = "{\"a\":\"\\ud800\"}";
	bodies[nb++] = "{\"aspect_type\":'create'}";
	bodies[nb++] = "1e999999";
	for (i = 0; i < nb; i++) {
		client_req(c, "POST", "/strava/webhook", bodies[i], json, &r);
		cr_expect_eq(r.status, 400, "body %zu: %ld", i, r.status);
		cr_expect(resp_has(&r, "\"error\""), "body %zu: no message", i);
		resp_done(&r);
	}
	/* Not JSON at all, by content type. */
	client_req(c, "POST", "/strava/webhook", "a=1&b=2", NULL, &r);
	cr_expect(r.status == 400 || r.status == 415, "form body: %ld",
	    r.status);
	resp_done(&r);
	cr_assert_eq(atoll(db_value("SELECT count(*) FROM"
	    " strava_webhook_events")), before, "a malformed event was stored");
	cr_assert_str_eq(db_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE object_id BETWEEN %lld AND %lld OR object_id < 0",
	    WH_HOSTILE, WH_HOSTILE + 1000), "0");
	if (spool != NULL) {
		DIR *d = opendir(spool);
		struct dirent *e;
		int files = 0;

		while (d != NULL && (e = readdir(d)) != NULL)
			files += e->d_name[0] != '.';
		if (d != NULL)
			closedir(d);
		cr_expect_eq(files, 0, "%d files in the spool", files);
	}
	assert_pool_whole();
}
