/*
 * The walking skeleton through the real parts: nginx -> FastCGI pool ->
 * router -> PostgreSQL.  The harness (scripts/test.sh) starts everything
 * and exports CADENCE_URL, CADENCE_MASTER_PID, CADENCE_WORKERS and the
 * commands that stop and start the test PostgreSQL.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

static struct client *c;

static void setup(void) { c = client_new(); }
static void teardown(void) { client_free(c); }

TestSuite(foundation, .init = setup, .fini = teardown, .timeout = 60);

Test(foundation, livez_answers_without_database)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/livez", &r), 200);
	cr_assert_str_eq(buf_cstr(&r.body), "ok\n");
	cr_assert_str_eq(resp_header_value(&r, "Cache-Control"), "no-store");
	resp_done(&r);
}

Test(foundation, readyz_round_trips_to_database)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/readyz", &r), 200);
	cr_assert_str_eq(buf_cstr(&r.body), "ready\n");
	resp_done(&r);
}

Test(foundation, landing_page_is_html_with_security_headers)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/", &r), 200);
	cr_assert(resp_has(&r, "<!DOCTYPE html>"));
	cr_assert(resp_has(&r, "Cadence"));
	cr_assert(strstr(resp_header_value(&r, "Content-Type"), "text/html"));
	cr_assert(strstr(resp_header_value(&r, "Content-Security-Policy"),
	    "frame-ancestors 'none'"));
	cr_assert_not(strstr(resp_header_value(&r, "Content-Security-Policy"),
	    "unsafe-inline"));
	cr_assert_str_eq(resp_header_value(&r, "X-Content-Type-Options"),
	    "nosniff");
	cr_assert_not_null(resp_header_value(&r, "Referrer-Policy"));
	resp_done(&r);
}

Test(foundation, unknown_path_is_a_real_404_page)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/no/such/page", &r), 404);
	cr_assert(resp_has(&r, "<!DOCTYPE html>"));
	cr_assert(resp_has(&r, "Not Found"));
	resp_done(&r);
}

Test(foundation, wrong_method_is_405_with_allow)
{
	struct http_resp r;

	cr_assert_eq(client_req(c, "DELETE", "/livez", NULL, NULL, &r), 405);
	cr_assert_str_eq(resp_header_value(&r, "Allow"), "GET, HEAD");
	cr_assert(resp_has(&r, "Method Not Allowed"));
	resp_done(&r);
}

Test(foundation, head_has_headers_but_no_body)
{
	struct http_resp get, head;

	cr_assert_eq(client_get(c, "/livez", &get), 200);
	cr_assert_eq(client_req(c, "HEAD", "/livez", NULL, NULL, &head), 200);
	cr_assert_eq(head.body.len, 0);
	cr_assert_str_eq(resp_header_value(&head, "Content-Length"), "3");
	resp_done(&get);
	resp_done(&head);
}

Test(foundation, static_files_are_served_by_nginx_with_cache_headers)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/static/app.css", &r), 200);
	cr_assert(strstr(resp_header_value(&r, "Content-Type"), "text/css"));
	cr_assert(strstr(resp_header_value(&r, "Cache-Control"), "max-age="));
	resp_done(&r);
}

Test(foundation, static_path_traversal_is_refused)
{
	const char *const paths[] = { "/static/../sql/001_initial_schema.sql",
	    "/static/%2e%2e/sql/001_initial_schema.sql",
	    "/static/..%2fMakefile", "/static/../../etc/passwd" };
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		client_req(c, "GET", paths[i], NULL, NULL, &r);
		cr_assert(r.status == 404 || r.status == 400,
		    "%s answered %ld", paths[i], r.status);
		cr_assert_not(resp_has(&r, "CREATE TABLE"));
		cr_assert_not(resp_has(&r, "root:"));
		resp_done(&r);
	}
}

Test(foundation, bad_percent_encoding_and_nul_are_400)
{
	const char *const qs[] = { "/?a=%zz", "/?a=%0", "/?a=%00",
	    "/?a=%01b", "/?a=%ff%fe" };
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		cr_assert_eq(client_get(c, qs[i], &r), 400, "%s", qs[i]);
		cr_assert(resp_has(&r, "could not be read"), "%s", qs[i]);
		resp_done(&r);
	}
}

Test(foundation, oversized_body_is_413)
{
	struct http_resp r;
	size_t n = 2 * 1024 * 1024;
	char *big = malloc(n + 1);

	memset(big, 'a', n);
	big[0] = 'x';
	big[1] = '=';
	big[n] = '\0';
	client_req(c, "POST", "/", big, NULL, &r);
	cr_assert_eq(r.status, 413);
	free(big);
	resp_done(&r);
}

Test(foundation, control_characters_in_path_are_rejected)
{
	struct http_resp r;

	client_req(c, "GET", "/%0d%0aSet-Cookie:%20x=1", NULL, NULL, &r);
	cr_assert(r.status == 400 || r.status == 404);
	cr_assert_not(strstr(buf_cstr(&r.headers), "x=1"));
	resp_done(&r);
}

/* ---- the process model ---------------------------------------------- */

TestSuite(pool, .init = setup, .fini = teardown, .timeout = 90);

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(pool, killed_worker_is_replaced_within_a_second, .timeout = 30)
{
	pid_t	master = pool_master();
	int	want = pool_whole_count(master), n;
	pid_t	victim = pool_child(master, NULL);
	double	t0;
	struct http_resp r;

	cr_assert(master > 0 && want >= 2, "master %d with %d children",
	    (int)master, want);
	cr_assert(victim > 0);
	cr_assert_eq(kill(victim, SIGKILL), 0);
	t0 = now_s();
	usleep(50 * 1000);
	while ((n = pool_count_children(master)) != want && now_s() - t0 < 1.0)
		usleep(10 * 1000);
	cr_assert_eq(n, want,
	    "pool not whole again after %.2f s", now_s() - t0);
	cr_assert_eq(client_get(c, "/readyz", &r), 200);
	resp_done(&r);
}

/*
 * Kills the newest child again and again, each a fraction of a second
 * old, as an operator or the OOM killer may: not a crash loop, so each is
 * replaced at once (the old lifetime rule throttled these and emptied
 * the pool).
 */
Test(pool, young_workers_killed_again_and_again_are_replaced_at_once,
    .timeout = 60)
{
	pid_t	master = pool_master();
	int	want = pool_whole_count(master), i, n;
	double	t0, worst = 0;
	char	cmd[64], out[32];
	FILE	*pp;
	struct http_resp r;

	cr_assert(master > 0 && want >= 2);
	snprintf(cmd, sizeof(cmd), "pgrep -n -P %d", (int)master);
	for (i = 0; i < 12; i++) {
		usleep(150 * 1000);	/* old enough to be ready */
		cr_assert_not_null(pp = popen(cmd, "r"));
		out[0] = '\0';
		(void)!fgets(out, sizeof(out), pp);
		pclose(pp);
		cr_assert_eq(kill((pid_t)atoi(out), SIGKILL), 0, "kill %s", out);
		t0 = now_s();
		usleep(20 * 1000);
		while ((n = pool_count_children(master)) != want &&
		    now_s() - t0 < 1.0)
			usleep(10 * 1000);
		cr_assert_eq(n, want,
		    "kill %d: pool not whole again after %.2f s", i + 1,
		    now_s() - t0);
		if (now_s() - t0 > worst)
			worst = now_s() - t0;
	}
	cr_log_info("12 young workers killed: pool whole again within %.2f s "
	    "each time", worst);
	cr_assert_eq(client_get(c, "/readyz", &r), 200);
	resp_done(&r);
}

Test(pool, sighup_replaces_workers_without_failing_a_request, .timeout = 60)
{
	pid_t	master = pool_master();
	pid_t	before = pool_child(master, NULL);
	int	i, failed = 0, n = 0;
	double	t0;
	struct http_resp r;

	cr_assert(master > 0);
	cr_assert_eq(kill(master, SIGHUP), 0);
	t0 = now_s();
	while (now_s() - t0 < 3.0) {
		for (i = 0; i < 10; i++, n++) {
			if (client_get(c, "/", &r) != 200)
				failed++;
			resp_done(&r);
		}
	}
	cr_assert_eq(failed, 0, "%d of %d requests failed during reload",
	    failed, n);
	cr_assert_neq(pool_child(master, NULL), before, "workers were not replaced");
}

Test(pool, database_outage_gives_503_then_recovers, .timeout = 90)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/readyz", &r), 200);
	resp_done(&r);
	cr_assert_eq(run_cmd("%s", env_or("PG_STOP_CMD", "false")), 0);
	cr_assert_eq(client_get(c, "/readyz", &r), 503);
	resp_done(&r);
	/* A session cookie makes the page look the runner up. */
	client_req(c, "GET", "/", NULL, (const char *const[]){ "Cookie: "
	    "cadence_session=00112233445566778899aabbccddeeff00112233445566778899"
	    "aabbccddeeff", NULL }, &r);
	cr_assert_eq(r.status, 503);
	cr_assert(resp_has(&r, "briefly unavailable"));
	resp_done(&r);
	cr_assert_eq(client_get(c, "/livez", &r), 200, "livez needs no database");
	resp_done(&r);
	cr_assert_eq(run_cmd("%s", env_or("PG_START_CMD", "false")), 0);
	cr_assert_eq(client_get(c, "/readyz", &r), 200,
	    "the first request after the restart must succeed");
	resp_done(&r);
	cr_assert_eq(client_get(c, "/", &r), 200);
	resp_done(&r);
}
