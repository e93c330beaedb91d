/*
 * Tests for pages/metrics: who may scrape, and the scoreboard's figures in
 * the Prometheus text format (cumulative buckets, _count = +Inf bucket,
 * live slots plus retired totals, one series per route name, unmatched).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "pages/metrics.h"
#include "web/router.h"
#include "web/scoreboard.h"

static int dummy(struct request *req, struct response *res) { return 0; }

static const struct route table[] = {
	{ "GET", "/a", dummy, 0, "alpha", {0}, {0} },
	{ "GET", "/b", dummy, 0, "beta", {0}, {0} },
	{ "POST", "/b", dummy, ROUTE_CSRF, "beta", {0}, {0} },	/* same name */
	{ "GET", "/q\"", dummy, 0, "we\"ird", {0}, {0} },
};

/* The value of the sample line that starts with prefix (-1: none). */
static double
sample(const char *text, const char *prefix)
{
	const char	*p = text;
	size_t		 n = strlen(prefix);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

static int
occurrences(const char *text, const char *needle)
{
	int n = 0;

	while ((text = strstr(text, needle)) != NULL) {
		n++;
		text++;
	}
	return n;
}

Test(metrics, loopback_addresses_only)
{
	static const char *const ok[] = { "127.0.0.1", "127.1.2.3", "::1",
	    "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1" };
	static const char *const no[] = { "10.0.0.1", "192.168.1.5", "::2",
	    "::ffff:10.0.0.1", "fe80::1", "128.0.0.1", "0.0.0.0", "", "unix:",
	    "127.0.0.1 ", " 127.0.0.1", "127.0.0.1.evil", "localhost",
	    "2001:db8::1", "126.255.255.255" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(metrics_remote_allowed(ok[i]), "%s", ok[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert_not(metrics_remote_allowed(no[i]), "%s", no[i]);
	cr_assert_not(metrics_remote_allowed(NULL));
}

Test(metrics, histogram_is_cumulative_and_counts_agree)
{
	struct scoreboard	*sb = calloc(1, sizeof(*sb));
	buf_t			 out = BUF_INIT;
	const char		*t;

	cr_assert_not_null(sb);
	/* alpha: 2 fast requests on slot 3, 1 slow one retired. */
	sb->slots[3].pid = 1234;
	sb->slots[3].metrics[0].buckets[0] = 2;
	sb->slots[3].metrics[0].status[2] = 2;
	sb->slots[3].metrics[0].sum_ms = 1.5;
	sb->retired[0].buckets[METRIC_BUCKETS - 1] = 1;
	sb->retired[0].status[5] = 1;
	sb->retired[0].sum_ms = 6000;
	/* beta GET and beta POST fold into one series. */
	sb->slots[0].metrics[1].buckets[4] = 3;
	sb->slots[0].metrics[1].status[2] = 3;
	sb->slots[1].metrics[2].buckets[6] = 4;
	sb->slots[1].metrics[2].status[3] = 4;
	/* Unmatched requests: the last index. */
	sb->slots[0].metrics[METRIC_ROUTES - 1].buckets[1] = 5;
	sb->slots[0].metrics[METRIC_ROUTES - 1].status[4] = 5;
	sb->worker_deaths = 7;
	sb->worker_kills = 2;

	metrics_write_pool(&out, sb, table, 4, NULL);
	t = buf_cstr(&out);

	cr_assert_eq(sample(t, "cadence_http_requests_total{route=\"alpha\","
	    "code=\"2xx\"}"), 2);
	cr_assert_eq(sample(t, "cadence_http_requests_total{route=\"alpha\","
	    "code=\"5xx\"}"), 1);
	cr_assert_eq(sample(t, "cadence_http_requests_total{route=\"beta\","
	    "code=\"3xx\"}"), 4);
	cr_assert_eq(sample(t, "cadence_http_requests_total{route=\"unmatched\","
	    "code=\"4xx\"}"), 5);
	/* A class with no request has no line. */
	cr_assert_eq(sample(t, "cadence_http_requests_total{route=\"alpha\","
	    "code=\"4xx\"}"), -1);

#define H "cadence_http_request_duration_seconds"
	cr_assert_eq(sample(t, H "_bucket{route=\"alpha\",le=\"0.001\"}"), 2);
	cr_assert_eq(sample(t, H "_bucket{route=\"alpha\",le=\"5\"}"), 2);
	cr_assert_eq(sample(t, H "_bucket{route=\"alpha\",le=\"+Inf\"}"), 3);
	cr_assert_eq(sample(t, H "_count{route=\"alpha\"}"), 3);
	cr_assert_float_eq(sample(t, H "_sum{route=\"alpha\"}"), 6.0015, 1e-9);
	cr_assert_eq(sample(t, H "_bucket{route=\"beta\",le=\"0.01\"}"), 0);
	cr_assert_eq(sample(t, H "_bucket{route=\"beta\",le=\"0.025\"}"), 3);
	cr_assert_eq(sample(t, H "_bucket{route=\"beta\",le=\"0.1\"}"), 7);
	cr_assert_eq(sample(t, H "_bucket{route=\"beta\",le=\"+Inf\"}"), 7);
	cr_assert_eq(sample(t, H "_count{route=\"beta\"}"), 7);
	cr_assert_eq(sample(t, H "_bucket{route=\"unmatched\",le=\"0.0025\"}"),
	    5);
	/* One series per name; the idle route has none; labels escaped. */
	cr_assert_eq(occurrences(t, H "_count{route=\"beta\"}"), 1);
	cr_assert_eq(occurrences(t, "we\\\"ird"), 0);
	cr_assert_eq(occurrences(t, "# TYPE " H " histogram\n"), 1);
	cr_assert_eq(occurrences(t, H "_bucket{route=\"alpha\""),
	    METRIC_BUCKETS);
#undef H
	cr_assert_eq(sample(t, "cadence_worker_deaths_total"), 7);
	cr_assert_eq(sample(t, "cadence_worker_kills_total"), 2);
	cr_assert_eq(sample(t, "cadence_workers{kind=\"web\"}"), 1);
	buf_free(&out);
	free(sb);
}

Test(metrics, label_values_are_escaped)
{
	struct scoreboard	*sb = calloc(1, sizeof(*sb));
	buf_t			 out = BUF_INIT;

	cr_assert_not_null(sb);
	sb->slots[0].metrics[3].buckets[0] = 1;
	sb->slots[0].metrics[3].status[2] = 1;
	metrics_write_pool(&out, sb, table, 4, NULL);
	cr_assert(strstr(buf_cstr(&out), "route=\"we\\\"ird\"") != NULL,
	    "%s", buf_cstr(&out));
	buf_free(&out);
	free(sb);
}

Test(metrics, spool_counts_json_and_bad_files_only)
{
	char		 dir[] = "/tmp/cadence-metrics-XXXXXX", path[256];
	static const char *const names[] = { "1-1-a.json", "2-1-b.json",
	    ".3-1-c.json.tmp", "4-1-d.bad", "notes.txt" };
	buf_t		 out = BUF_INIT;
	size_t		 i;
	FILE		*f;

	cr_assert_not_null(mkdtemp(dir));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		cr_assert_not_null(f = fopen(path, "w"));
		fclose(f);
	}
	metrics_write_spool(&out, dir);
	cr_assert_eq(sample(buf_cstr(&out), "cadence_spool_files"), 2);
	cr_assert_eq(sample(buf_cstr(&out), "cadence_spool_quarantined_files"),
	    1);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		remove(path);
	}
	rmdir(dir);
	buf_reset(&out);
	metrics_write_spool(&out, "/nonexistent/spool");
	cr_assert_eq(sample(buf_cstr(&out), "cadence_spool_files"), 0);
	buf_free(&out);
}
