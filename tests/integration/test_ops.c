/*
 * Operations through the real parts: GET /metrics (Prometheus text format:
 * counters that grow, cumulative histograms, figures that survive a
 * worker's death, the webhook queue from the database, loopback only, also
 * when asked straight on the FastCGI socket), and the pool's log, which
 * must never hold a password, a cookie, a CSRF token or a feed token.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/util.h"

#define OPS_OBJECT_BASE	970000000LL	/* object ids of events made here */
#define H		"cadence_http_request_duration_seconds"

static struct client *c;

static void
clean(void)
{
	db_exec_sql("DELETE FROM strava_webhook_events WHERE object_id >= %lld"
	    " AND object_id < %lld", OPS_OBJECT_BASE, OPS_OBJECT_BASE + 1000);
}

static void setup(void) { c = client_new(); clean(); }
static void teardown(void) { clean(); client_free(c); }

TestSuite(ops, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers ------------------------------------------------------------- */

/* A scrape through nginx; the body in a fresh malloc'd string. */
static char *
scrape(void)
{
	struct http_resp	 r;
	char			*text;

	cr_assert_eq(client_get(c, "/metrics", &r), 200);
	cr_assert(strncmp(resp_header_value(&r, "Content-Type"),
	    "text/plain; version=0.0.4", 25) == 0);
	text = xstrdup(buf_cstr(&r.body));
	resp_done(&r);
	return text;
}

/* The value of the sample whose name and labels are exactly key; -1 none. */
static double
sample(const char *text, const char *key)
{
	const char	*p = text;
	size_t		 n = strlen(key);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -1;
}

/* A counter that may not have appeared yet counts as 0. */
static double
counter(const char *text, const char *key)
{
	double v = sample(text, key);

	return v < 0 ? 0 : v;
}

static void
get_status(const char *path, long want)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, path, &r), want, "%s", path);
	resp_done(&r);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Every histogram series of route: buckets never decrease, the last is
 * +Inf and equals _count, which equals the requests counted by class.
 */
static void
assert_histogram(const char *text, const char *route)
{
	char		 prefix[128], key[160];
	const char	*p = text, *q;
	double		 prev = 0, v = -1, total = 0;
	int		 n = 0, k;

	snprintf(prefix, sizeof(prefix), H "_bucket{route=\"%s\",le=\"", route);
	while ((p = strstr(p, prefix)) != NULL) {
		q = strchr(p, ' ');
		cr_assert_not_null(q);
		v = strtod(q + 1, NULL);
		cr_assert_geq(v, prev, "bucket %d of %s decreases", n, route);
		prev = v;
		n++;
		p = q;
	}
	cr_assert_geq(n, 2, "no histogram for %s", route);
	snprintf(key, sizeof(key), "%s+Inf\"}", prefix);
	cr_assert_eq(sample(text, key), v, "the last bucket is not +Inf");
	snprintf(key, sizeof(key), H "_count{route=\"%s\"}", route);
	cr_assert_eq(sample(text, key), v);
	for (k = 1; k <= 5; k++) {
		snprintf(key, sizeof(key), "cadence_http_requests_total{route="
		    "\"%s\",code=\"%dxx\"}", route, k);
		total += counter(text, key);
	}
	cr_assert_eq(total, v, "%s: %.0f requests by class, %.0f in the "
	    "histogram", route, total, v);
	snprintf(key, sizeof(key), H "_sum{route=\"%s\"}", route);
	cr_assert_gt(sample(text, key), 0);
}

/* ---- a FastCGI request straight to the pool's socket -------------------- */

enum { FCGI_BEGIN = 1, FCGI_END = 3, FCGI_PARAMS = 4, FCGI_STDIN = 5,
    FCGI_STDOUT = 6 };

static void
fcgi_record(buf_t *b, int type, const void *data, size_t len)
{
	unsigned char h[8] = { 1, (unsigned char)type, 0, 1,
	    (unsigned char)(len >> 8), (unsigned char)len, 0, 0 };

	buf_add(b, h, sizeof(h));
	buf_add(b, data, len);
}

static void
fcgi_param(buf_t *b, const char *name, const char *value)
{
	unsigned char	n = (unsigned char)strlen(name);
	unsigned char	v = (unsigned char)strlen(value);	/* < 128 here */

	buf_putc(b, n);
	buf_putc(b, v);
	buf_puts(b, name);
	buf_puts(b, value);
}

/* GET /metrics with REMOTE_ADDR addr; the CGI response (headers+body). */
static char *
fcgi_get_metrics(const char *addr)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	struct sockaddr_un	 sa;
	buf_t			 req = BUF_INIT, params = BUF_INIT, out = BUF_INIT;
	unsigned char		 h[8], body[65536 + 256];
	size_t			 len;
	int			 fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s",
	    env_or("CADENCE_SOCKET", "var/run/cadence.sock"));
	cr_assert_geq(fd = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0,
	    "connect %s", sa.sun_path);
	fcgi_param(&params, "REQUEST_METHOD", "GET");
	fcgi_param(&params, "DOCUMENT_URI", "/metrics");
	fcgi_param(&params, "SCRIPT_NAME", "/metrics");
	fcgi_param(&params, "REQUEST_URI", "/metrics");
	fcgi_param(&params, "QUERY_STRING", "");
	fcgi_param(&params, "SERVER_PROTOCOL", "HTTP/1.1");
	fcgi_param(&params, "REMOTE_ADDR", addr);
	fcgi_record(&req, FCGI_BEGIN, begin, sizeof(begin));
	fcgi_record(&req, FCGI_PARAMS, params.data, params.len);
	fcgi_record(&req, FCGI_PARAMS, "", 0);
	fcgi_record(&req, FCGI_STDIN, "", 0);
	cr_assert_eq(write(fd, req.data, req.len), (ssize_t)req.len);
	for (;;) {
		cr_assert_eq(recv(fd, h, sizeof(h), MSG_WAITALL), 8);
		len = ((size_t)h[4] << 8 | h[5]) + h[6];
		if (len > 0)
			cr_assert_eq(recv(fd, body, len, MSG_WAITALL),
			    (ssize_t)len);
		if (h[1] == FCGI_STDOUT)
			buf_add(&out, body, len - h[6]);
		if (h[1] == FCGI_END)
			break;
	}
	close(fd);
	buf_free(&req);
	buf_free(&params);
	return out.data != NULL ? out.data : xstrdup("");
}

/* ---- /metrics ---------------------------------------------------------- */

Test(ops, metrics_counters_grow_and_histograms_are_cumulative)
{
	char	*a, *b;
	double	 livez0, nf0, m0;
	int	 i;

	a = scrape();
	livez0 = counter(a, "cadence_http_requests_total{route=\"livez\","
	    "code=\"2xx\"}");
	nf0 = counter(a, "cadence_http_requests_total{route=\"unmatched\","
	    "code=\"4xx\"}");
	m0 = counter(a, "cadence_http_requests_total{route=\"metrics\","
	    "code=\"2xx\"}");
	cr_assert(strstr(a, "# TYPE cadence_http_requests_total counter\n"));
	cr_assert(strstr(a, "# TYPE " H " histogram\n"));
	for (i = 0; i < 5; i++)
		get_status("/livez", 200);
	get_status("/no/such/page/for/ops", 404);
	b = scrape();
	/* Nobody else asks for /livez while this runs: exactly five more. */
	cr_assert_eq(counter(b, "cadence_http_requests_total{route=\"livez\","
	    "code=\"2xx\"}"), livez0 + 5);
	cr_assert_eq(counter(b, "cadence_http_requests_total{route="
	    "\"unmatched\",code=\"4xx\"}"), nf0 + 1);
	/* The first scrape itself was counted before this one ran. */
	cr_assert_geq(counter(b, "cadence_http_requests_total{route="
	    "\"metrics\",code=\"2xx\"}"), m0 + 1);
	assert_histogram(b, "livez");
	assert_histogram(b, "unmatched");
	cr_assert_eq(sample(b, "cadence_workers{kind=\"web\"}"),
	    atoi(env_or("CADENCE_WORKERS", "4")));
	cr_assert_geq(sample(b, "cadence_worker_deaths_total"), 0);
	cr_assert_geq(sample(b, "cadence_spool_files"), 0);
	cr_assert_eq(sample(b, "cadence_database_up"), 1);
	free(a);
	free(b);
}

Test(ops, metrics_survive_a_worker_death)
{
	pid_t	 master = (pid_t)atoi(env_or("CADENCE_MASTER_PID", "0"));
	int	 workers = atoi(env_or("CADENCE_WORKERS", "4"));
	char	*a, *b = NULL;
	double	 livez0, deaths0, t0;
	pid_t	 victim;
	int	 i;

	for (i = 0; i < 8; i++)		/* spread over the workers */
		get_status("/livez", 200);
	a = scrape();
	livez0 = counter(a, "cadence_http_requests_total{route=\"livez\","
	    "code=\"2xx\"}");
	deaths0 = sample(a, "cadence_worker_deaths_total");
	victim = pool_child(master, "cadence");
	cr_assert(master > 0 && victim > 0, "no web worker under %d", master);
	cr_assert_eq(kill(victim, SIGKILL), 0);
	t0 = now_s();
	do {
		usleep(100 * 1000);
		free(b);
		b = scrape();
	} while ((sample(b, "cadence_worker_deaths_total") < deaths0 + 1 ||
	    sample(b, "cadence_workers{kind=\"web\"}") < workers) &&
	    now_s() - t0 < 5);
	cr_assert_eq(sample(b, "cadence_worker_deaths_total"), deaths0 + 1);
	cr_assert_eq(sample(b, "cadence_workers{kind=\"web\"}"), workers);
	/* The dead worker's requests moved to the retired totals. */
	cr_assert_eq(counter(b, "cadence_http_requests_total{route=\"livez\","
	    "code=\"2xx\"}"), livez0);
	assert_histogram(b, "livez");
	free(a);
	free(b);
}

Test(ops, metrics_report_the_webhook_queue)
{
	char	*a, *b;
	double	 pending0, failed0;

	a = scrape();
	pending0 = sample(a, "cadence_webhook_queue_pending");
	failed0 = sample(a, "cadence_webhook_events_failed");
	cr_assert_geq(pending0, 0);
	cr_assert_geq(failed0, 0);
	/* One waiting (without a job: no job worker takes it), one parked. */
	cr_assert_eq(db_exec_sql("INSERT INTO strava_webhook_events"
	    " (object_type, object_id, aspect_type, event_time, raw_payload,"
	    " created_at) VALUES ('activity', %lld, 'create', NOW(), '{}',"
	    " NOW() - interval '1 hour')", OPS_OBJECT_BASE + 1), 1);
	cr_assert_eq(db_exec_sql("INSERT INTO strava_webhook_events"
	    " (object_type, object_id, aspect_type, event_time, raw_payload,"
	    " failed_at, error_message) VALUES ('activity', %lld,"
	    " 'create', NOW(), '{}', NOW(), 'ops test')",
	    OPS_OBJECT_BASE + 2), 1);
	b = scrape();
	cr_assert_eq(sample(b, "cadence_webhook_queue_pending"), pending0 + 1);
	cr_assert_eq(sample(b, "cadence_webhook_events_failed"), failed0 + 1);
	cr_assert_geq(sample(b, "cadence_webhook_queue_oldest_seconds"), 3500);
	if (strcmp(db_value("SELECT to_regclass('strava_rate_limit') IS NOT"
	    " NULL"), "t") == 0)
		cr_assert_geq(sample(b, "cadence_strava_throttled_total"), 0);
	free(a);
	free(b);
}

Test(ops, metrics_refuse_other_addresses_on_the_socket)
{
	char *out;

	/* Through nginx the client is 127.0.0.1: allowed (the scrapes above). */
	out = fcgi_get_metrics("127.0.0.1");
	cr_assert(strncmp(out, "Status: 200", 11) == 0, "%.200s", out);
	cr_assert(strstr(out, "cadence_workers{kind=\"web\"}") != NULL);
	free(out);
	out = fcgi_get_metrics("203.0.113.7");
	cr_assert(strncmp(out, "Status: 404", 11) == 0, "%.200s", out);
	cr_assert_null(strstr(out, "cadence_"), "metrics leaked");
	free(out);
	out = fcgi_get_metrics("::ffff:192.0.2.1");
	cr_assert(strncmp(out, "Status: 404", 11) == 0, "%.200s", out);
	free(out);
}

/* ---- the log ------------------------------------------------------------- */

/* Every value of cookie name set in a raw header block, appended to out. */
static void
set_cookie_values(const struct http_resp *r, const char *name, buf_t *out)
{
	const char	*p = buf_cstr(&r->headers), *e;
	size_t		 n = strlen(name);

	while ((p = strcasestr(p, "\nSet-Cookie: ")) != NULL) {
		p += 13;
		if (strncmp(p, name, n) != 0 || p[n] != '=')
			continue;
		p += n + 1;
		for (e = p; *e != ';' && *e != '\r' && *e != '\n' && *e; e++)
			;
		if (e - p >= 16) {	/* a real value, not a clearing one */
			buf_add(out, p, (size_t)(e - p));
			buf_putc(out, '\n');
		}
	}
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	buf_t	 b = BUF_INIT;
	char	 chunk[8192];
	size_t	 n;

	cr_assert_not_null(f, "cannot read %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.data != NULL ? b.data : xstrdup("");
}

static void
rand_hex(char *out, size_t bytes)
{
	FILE	*f = fopen("/dev/urandom", "r");
	size_t	 i;
	int	 ch;

	cr_assert_not_null(f);
	for (i = 0; i < bytes; i++) {
		ch = fgetc(f);
		sprintf(out + 2 * i, "%02x", ch & 0xff);
	}
	fclose(f);
}

Test(ops, the_log_holds_no_secrets)
{
	struct http_resp r;
	buf_t		 secrets = BUF_INIT;
	char		 pw[64], wrong[64], email[128], hex[33], token[65];
	char		 form[512], path[256], plan[40], *log, *s, *nl;
	const char	*logfile = env_or("CADENCE_LOG_FILE", "");

	cr_assert(*logfile != '\0', "CADENCE_LOG_FILE is not set");
	rand_hex(hex, 16);
	snprintf(pw, sizeof(pw), "Pw-Zebra-%s", hex);
	snprintf(wrong, sizeof(wrong), "Wrong-Okapi-%s", hex);
	snprintf(email, sizeof(email), "ops-%s@test.cadence", hex);

	/* Sign up with a recognisable password. */
	cr_assert_eq(client_get(c, "/signup", &r), 200);
	set_cookie_values(&r, "cadence_pre", &secrets);
	buf_puts(&secrets, client_csrf(c));
	buf_putc(&secrets, '\n');
	resp_done(&r);
	snprintf(form, sizeof(form), "name=Ops+Runner&email=%s&password=%s",
	    urlenc(email), urlenc(pw));
	cr_assert_eq(client_post(c, "/signup", form, &r), 303);
	resp_done(&r);
	/* Sign-up does not sign in: sign in, out, a wrong password, in. */
	cr_assert_eq(client_get(c, "/login", &r), 200);
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=%s", urlenc(email),
	    urlenc(pw));
	cr_assert_eq(client_post(c, "/login", form, &r), 303);
	set_cookie_values(&r, "cadence_session", &secrets);
	resp_done(&r);
	get_status("/settings", 200);
	buf_puts(&secrets, client_csrf(c));
	buf_putc(&secrets, '\n');
	cr_assert_eq(client_post(c, "/logout", "", &r), 303);
	resp_done(&r);
	cr_assert_eq(client_get(c, "/login", &r), 200);
	set_cookie_values(&r, "cadence_pre", &secrets);
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=%s", urlenc(email),
	    urlenc(wrong));
	client_post(c, "/login", form, &r);
	cr_assert_neq(r.status, 303);
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=%s", urlenc(email),
	    urlenc(pw));
	cr_assert_eq(client_post(c, "/login", form, &r), 303);
	set_cookie_values(&r, "cadence_session", &secrets);
	resp_done(&r);
	/* Use the session: a page and a form. */
	get_status("/settings", 200);
	buf_puts(&secrets, client_csrf(c));
	buf_putc(&secrets, '\n');
	snprintf(plan, sizeof(plan), "%s", db_value("INSERT INTO training_plans"
	    " (user_id, name, race_distance, race_date, start_date, total_weeks,"
	    " vdot) SELECT id, 'Ops plan', 10000, CURRENT_DATE + 27,"
	    " CURRENT_DATE, 4, 45.0 FROM users WHERE email = '%s' RETURNING id",
	    email));
	cr_assert_eq(strlen(plan), 36, "plan: '%s'", plan);
	cr_assert(client_feed_token(c, plan, token));
	snprintf(path, sizeof(path), "/plans/%s/calendar.ics?token=%s", plan,
	    token);
	get_status(path, 200);
	snprintf(path, sizeof(path), "/plans/%s/calendar.ics?token=%s", plan,
	    wrong);
	get_status(path, 404);
	buf_puts(&secrets, pw);
	buf_putc(&secrets, '\n');
	buf_puts(&secrets, wrong);
	buf_putc(&secrets, '\n');
	buf_puts(&secrets, token);
	buf_putc(&secrets, '\n');
	/* Both cookies were seen (sign-up and sign-in), plus CSRF tokens. */
	cr_assert_geq(secrets.len, 4 * 16);

	usleep(200 * 1000);	/* the pool writes its line after answering */
	log = slurp(logfile);
	/* The right file: our requests are in it, without query strings. */
	snprintf(path, sizeof(path), "GET /plans/%s/calendar.ics 200 ", plan);
	cr_assert(strstr(log, path) != NULL, "no '%s' in %s", path, logfile);
	cr_assert(strstr(log, "POST /login 303 ") != NULL);
	for (s = secrets.data; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		*nl = '\0';
		cr_assert_null(strstr(log, s), "the log holds a secret: %s", s);
	}
	db_exec_sql("DELETE FROM users WHERE email = '%s'", email);
	free(log);
	buf_free(&secrets);
}
