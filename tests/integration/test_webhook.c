/*
 * The Strava webhook through nginx and the pool, and the job queue behind
 * it: validation GET, event intake (malformed, lenient, foreign,
 * duplicates, limits, a burst), the spool while PostgreSQL is down, the
 * job worker (killed mid-burst, leases, attempts) and what the default
 * processing does without Strava (deauthorize, a delete it cannot
 * confirm, unknown athlete), retention, and `cadence events`.  The
 * suite's intake limits are lifted (bursts of thousands); the tests of
 * the limits set their own.
 *
 * Every event here has an object_id in [WH_BASE, WH_BASE + 10^8) and every
 * runner an athlete id in [WH_ATHLETE, ...), so tests clean up after
 * themselves without touching anyone else's rows.
 */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/util.h"

#define WH_BASE		900000000LL	/* object ids of these tests */
#define WH_ATHLETE	800000000LL	/* athlete ids of runners made here */
#define WH_UNKNOWN	890000000LL	/* athletes nobody has */
#define BURST		2000
#define BURST_PARALLEL	32

static struct client	*c;
static PGconn		*conn;
static long long	 sub;		/* subscription_id events carry */

/* ---- helpers ----------------------------------------------------------- */

static PGresult *
run_sql(const char *sql)
{
	PGresult	*r;
	int		 tries;

	for (tries = 0; tries < 2; tries++) {
		if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
			if (conn != NULL)
				PQfinish(conn);
			conn = PQconnectdb(env_or("DATABASE_URL",
			    "dbname=cadence"));
		}
		r = PQexec(conn, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK ||
		    PQresultStatus(r) == PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		if (PQstatus(conn) == CONNECTION_OK)
			break;		/* a real error, not a restart */
	}
	cr_assert_fail("SQL failed: %s\n%s", PQerrorMessage(conn), sql);
	return NULL;
}

/* The first cell of the query's result ("" when no row), static. */
static const char *
sqlv(const char *fmt, ...)
{
	static char	 out[8192];
	char		 sql[8192];
	va_list		 ap;
	PGresult	*r;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	r = run_sql(sql);
	snprintf(out, sizeof(out), "%s", PQntuples(r) > 0 && PQnfields(r) > 0 ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return out;
}

static long
sqll(const char *fmt, ...)
{
	char	 sql[8192];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return atol(sqlv("%s", sql));
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Polls a boolean SQL expression until true or seconds pass. */
static bool
wait_sql(double seconds, const char *cond)
{
	double t0 = now_s();

	do {
		if (strcmp(sqlv("SELECT (%s)", cond), "t") == 0)
			return true;
		usleep(50 * 1000);
	} while (now_s() - t0 < seconds);
	return false;
}

/*
 * An INSERT INTO strava_webhook_events ... (no RETURNING) as the intake
 * stores events: each with its job of the queue (sql/025), whose columns
 * (attempts, locked_by ...) job_cols and job_vals add.
 */
#define WITH_JOBS(insert, job_cols, job_vals) \
    "WITH e AS (" insert " RETURNING id) INSERT INTO jobs (kind, payload," \
    " dedup_key" job_cols ") SELECT 'strava.event'," \
    " jsonb_build_object('event', id), id::text" job_vals " FROM e"
/* The latest job of the event whose object id is given (a column). */
#define JOB_OF(col, object) "(SELECT j." col " FROM jobs j JOIN" \
    " strava_webhook_events e ON j.dedup_key = e.id::text AND j.kind =" \
    " 'strava.event' WHERE e.object_id = " object \
    " ORDER BY j.created_at DESC LIMIT 1)"

static void
clean(void)
{
	sqlv("DELETE FROM users WHERE strava_athlete_id >= %lld AND "
	    "strava_athlete_id < %lld", WH_ATHLETE, WH_ATHLETE + 1000000);
	sqlv("DELETE FROM strava_webhook_events WHERE object_id >= %lld AND "
	    "object_id < %lld", WH_BASE, WH_BASE + 100000000);
	sqlv("DELETE FROM strava_webhook_events WHERE strava_athlete_id >= "
	    "%lld AND strava_athlete_id < %lld", WH_ATHLETE, WH_ATHLETE +
	    100000000);
	sqlv("DELETE FROM strava_webhook_resync WHERE athlete_id >= %lld AND "
	    "athlete_id < %lld", WH_ATHLETE, WH_ATHLETE + 100000000);
}

static long long sub_id(void);

/* The intake limits out of the way (each test of them sets its own). */
#define NO_LIMITS	"UPDATE strava_webhook_settings SET athlete_limit ="\
			" 10000000, global_limit = 10000000,"		\
			" unknown_limit = 10000000"
/* Defaults again, and the windows the bursts filled emptied. */
#define DEFAULTS	"DELETE FROM strava_webhook_settings;"		\
			" INSERT INTO strava_webhook_settings DEFAULT VALUES;"\
			" DELETE FROM strava_webhook_intake_counts"

static void
setup(void)
{
	c = client_new();
	clean();
	sub = sub_id();
	sqlv(NO_LIMITS);
}

static void
teardown(void)
{
	clean();
	sqlv(DEFAULTS);
	client_free(c);
	PQfinish(conn);
	conn = NULL;
}

/* The subscription events must carry: the stored one, or any. */
static long long
sub_id(void)
{
	const char *v = sqlv("SELECT id FROM strava_webhook_subscription "
	    "LIMIT 1");

	return *v != '\0' ? atoll(v) : 4242;
}

static const char *
event(long long owner, long long object, const char *object_type,
    const char *aspect, const char *updates)
{
	static char b[1024];

	snprintf(b, sizeof(b), "{\"aspect_type\":\"%s\",\"event_time\":"
	    "1516126040,\"object_id\":%lld,\"object_type\":\"%s\","
	    "\"owner_id\":%lld,\"subscription_id\":%lld,\"updates\":%s}",
	    aspect, object, object_type, owner, sub, updates);
	return b;
}

static long
post(const char *body, struct http_resp *r)
{
	static const char *const json[] = {
	    "Content-Type: application/json", NULL };

	return client_req(c, "POST", "/strava/webhook", body, json, r);
}

static long
post_status(const char *body)
{
	struct http_resp	r;
	long			s = post(body, &r);

	resp_done(&r);
	return s;
}

static int
count_spooled(void)
{
	const char	*dir = env_or("CADENCE_SPOOL_DIR", "var/spool");
	DIR		*d = opendir(dir);
	struct dirent	*e;
	int		 n = 0;
	size_t		 len;

	while (d != NULL && (e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 5 &&
		    strcmp(e->d_name + len - 5, ".json") == 0)
			n++;
	}
	if (d != NULL)
		closedir(d);
	return n;
}

static const char *
cadence_bin(void)
{
	return env_or("CADENCE_BIN", "build/cadence");
}

/* Runs cadence with args; output into out, returns the exit status. */
static int
cadence(char *out, size_t outlen, const char *args)
{
	char	 cmd[512];
	FILE	*p;
	size_t	 n = 0, got;
	int	 st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", cadence_bin(), args);
	cr_assert_not_null(p = popen(cmd, "r"));
	while (n + 1 < outlen && (got = fread(out + n, 1, outlen - 1 - n,
	    p)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
add_runner(long long athlete, const char *email)
{
	sqlv("INSERT INTO users (email, strava_athlete_id, strava_access_token,"
	    " strava_refresh_token, strava_token_expires_at) VALUES ('%s', %lld,"
	    " 'access-tok', 'refresh-tok', NOW() + interval '6 hours')", email,
	    athlete);
}

static void
add_activity(long long athlete, long long activity)
{
	sqlv("INSERT INTO strava_activities (user_id, strava_activity_id, name,"
	    " sport_type, distance, moving_time, elapsed_time,"
	    " start_date_local) SELECT id, %lld, 'Morning Run', 'Run', 10000,"
	    " 3000, 3100, NOW() FROM users WHERE strava_athlete_id = %lld",
	    activity, athlete);
}

TestSuite(webhook, .init = setup, .fini = teardown, .timeout = 60);

/* ---- subscription validation ----------------------------------------- */

Test(webhook, validation_echoes_the_challenge_as_json)
{
	struct http_resp r;

	cr_assert_eq(client_get(c, "/strava/webhook?hub.mode=subscribe&"
	    "hub.verify_token=test-verify-token&hub.challenge="
	    "15f7d1a91c1f40f8a748fd134752feb3", &r), 200);
	cr_assert_str_eq(buf_cstr(&r.body),
	    "{\"hub.challenge\":\"15f7d1a91c1f40f8a748fd134752feb3\"}");
	cr_assert_str_eq(resp_header_value(&r, "Content-Type"),
	    "application/json");
	resp_done(&r);
	/* Quotes and backslashes come back escaped, never raw. */
	cr_assert_eq(client_get(c, "/strava/webhook?hub.mode=subscribe&"
	    "hub.verify_token=test-verify-token&hub.challenge=a%22b%5Cc%3C",
	    &r), 200);
	cr_assert_str_eq(buf_cstr(&r.body), "{\"hub.challenge\":\"a\\\"b\\\\c<\"}");
	resp_done(&r);
}

Test(webhook, validation_with_a_wrong_token_is_403)
{
	static const char *const bad[] = {
	    "/strava/webhook?hub.mode=subscribe&hub.verify_token=wrong&"
	    "hub.challenge=x",
	    "/strava/webhook?hub.mode=subscribe&hub.verify_token=test-verify-"
	    "tokenX&hub.challenge=x",
	    "/strava/webhook?hub.mode=subscribe&hub.challenge=x",
	    "/strava/webhook" };
	struct http_resp r;
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		cr_assert_eq(client_get(c, bad[i], &r), 403, "%s", bad[i]);
		cr_assert_not(resp_has(&r, "hub.challenge"));
		resp_done(&r);
	}
	/* Right token, but an oversized challenge is not echoed. */
	{
		char url[1024] = "/strava/webhook?hub.mode=subscribe&"
		    "hub.verify_token=test-verify-token&hub.challenge=";
		size_t n = strlen(url);

		memset(url + n, 'a', 300);
		url[n + 300] = '\0';
		cr_assert_eq(client_get(c, url, &r), 400);
		resp_done(&r);
	}
}

/* ---- intake ------------------------------------------------------------- */

Test(webhook, malformed_events_are_400_and_not_stored)
{
	char big[20 * 1024 + 200];
	const char *const bodies[] = {
	    "", "{", "[]", "null", "not json",
	    /* wrong types (a decimal string is taken: not this one) */
	    "{\"aspect_type\":\"create\",\"event_time\":1516126040,\"object_id\":"
	    "\"-900000001\",\"object_type\":\"activity\",\"owner_id\":1,"
	    "\"subscription_id\":1}",
	    "{\"aspect_type\":\"create\",\"event_time\":1516126040.5,"
	    "\"object_id\":900000001,\"object_type\":\"activity\",\"owner_id\":1,"
	    "\"subscription_id\":1}",
	    "{\"aspect_type\":\"explode\",\"event_time\":1516126040,"
	    "\"object_id\":900000001,\"object_type\":\"activity\",\"owner_id\":1,"
	    "\"subscription_id\":1}",
	    /* missing owner_id */
	    "{\"aspect_type\":\"create\",\"event_time\":1516126040,"
	    "\"object_id\":900000001,\"object_type\":\"activity\","
	    "\"subscription_id\":1}" };
	struct http_resp r;
	size_t i, n;

	/* A valid event padded past WEBHOOK_MAX_BODY (16 KiB). */
	n = (size_t)snprintf(big, sizeof(big), "{\"aspect_type\":\"create\","
	    "\"event_time\":1516126040,\"object_id\":900000001,\"object_type\":"
	    "\"activity\",\"owner_id\":1,\"subscription_id\":1,\"pad\":\"");
	memset(big + n, 'x', 20 * 1024);
	strcpy(big + n + 20 * 1024, "\"}");

	for (i = 0; i < NELEM(bodies); i++) {
		cr_assert_eq(post(bodies[i], &r), 400, "body %zu", i);
		cr_assert_str_eq(resp_header_value(&r, "Content-Type"),
		    "application/json");
		cr_assert(resp_has(&r, "\"error\""), "body %zu", i);
		resp_done(&r);
	}
	/* nginx (16k for this location) or the parser refuses it. */
	post(big, &r);
	cr_assert(r.status == 413 || r.status == 400, "%ld", r.status);
	resp_done(&r);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = 900000001"), 0);
	cr_assert_eq(count_spooled(), 0);
}

Test(webhook, valid_event_is_stored_once_with_its_payload)
{
	const char *body = event(WH_UNKNOWN + 1, WH_BASE + 2, "activity",
	    "update", "{\"title\":\"Messy\",\"type\":\"Run\"}");
	char copy[1024];
	struct http_resp r;

	snprintf(copy, sizeof(copy), "%s", body);
	cr_assert_eq(post(copy, &r), 200);
	cr_assert_str_eq(buf_cstr(&r.body), "{\"ok\":true}");
	resp_done(&r);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = %lld", WH_BASE + 2), 1);
	cr_assert_str_eq(sqlv("SELECT raw_payload = '%s'::jsonb AND "
	    "strava_athlete_id = %lld AND object_type = 'activity' AND "
	    "aspect_type = 'update' AND event_time = '2018-01-16 18:07:20' "
	    "AND spool_id IS NULL FROM strava_webhook_events WHERE "
	    "object_id = %lld", copy, WH_UNKNOWN + 1, WH_BASE + 2), "t");
	/* Stored with its job, in the same statement: one job, no runner. */
	cr_assert_eq(sqll("SELECT count(*) FROM jobs j JOIN "
	    "strava_webhook_events e ON j.payload->>'event' = e.id::text AND "
	    "j.dedup_key = e.id::text WHERE j.kind = 'strava.event' AND "
	    "j.user_id IS NULL AND e.object_id = %lld", WH_BASE + 2), 1);
}

/* The value of the /metrics series line (e.g. "name{label=\"x\"}"), or
 * -1 when there is none (the comparisons that follow then fail). */
static long
metric(const char *series)
{
	struct http_resp	 r;
	const char		*p;
	size_t			 n = strlen(series);
	long			 v = -1;

	cr_assert_eq(client_get(c, "/metrics", &r), 200);
	for (p = buf_cstr(&r.body); p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			v = atol(p + n + 1);
	resp_done(&r);
	return v;
}

#define DROPPED(reason) \
	"cadence_webhook_events_dropped_total{reason=\"" reason "\"}"

/*
 * A forger trying subscription ids must not learn which one is ours: the
 * foreign event gets the answer ours gets, is not stored, and is counted.
 */
Test(webhook, foreign_subscription_is_answered_like_ours_dropped_and_counted)
{
	bool			 made = false;
	char			 body[1024], ours[64];
	struct http_resp	 r;
	long			 before;

	if (*sqlv("SELECT id FROM strava_webhook_subscription") == '\0') {
		sqlv("INSERT INTO strava_webhook_subscription (id) VALUES (4242)");
		made = true;
	}
	before = metric(DROPPED("foreign_subscription"));
	snprintf(body, sizeof(body), "{\"aspect_type\":\"create\",\"event_time\":"
	    "1516126040,\"object_id\":%lld,\"object_type\":\"activity\","
	    "\"owner_id\":5,\"subscription_id\":%lld}", WH_BASE + 3,
	    (sub = sub_id()) + 1);
	cr_assert_eq(post(body, &r), 200);
	snprintf(ours, sizeof(ours), "%s", buf_cstr(&r.body));
	resp_done(&r);
	cr_assert_eq(post(event(5, WH_BASE + 4, "activity", "create", "{}"),
	    &r), 200);
	cr_assert_str_eq(buf_cstr(&r.body), ours, "the answers differ");
	resp_done(&r);
	if (made)
		sqlv("DELETE FROM strava_webhook_subscription WHERE id = 4242");
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = %lld", WH_BASE + 3), 0);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = %lld", WH_BASE + 4), 1);
	cr_assert_eq(metric(DROPPED("foreign_subscription")), before + 1);
}

/* Strava retries an event up to three times: one row, counted twice. */
Test(webhook, duplicates_of_one_event_are_stored_once)
{
	char	 first[1024], later[1024];
	long	 before = metric(DROPPED("duplicate"));
	int	 i;

	snprintf(first, sizeof(first), "%s", event(WH_UNKNOWN + 4, WH_BASE + 5,
	    "activity", "create", "{}"));
	for (i = 0; i < 3; i++)
		cr_assert_eq(post_status(first), 200);
	/* Another event of the same activity (a later time) is another row. */
	snprintf(later, sizeof(later), "{\"aspect_type\":\"create\",\"event_time\""
	    ":1516126041,\"object_id\":%lld,\"object_type\":\"activity\","
	    "\"owner_id\":%lld,\"subscription_id\":%lld}", WH_BASE + 5,
	    WH_UNKNOWN + 4, sub);
	cr_assert_eq(post_status(later), 200);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = %lld", WH_BASE + 5), 2);
	cr_assert_eq(metric(DROPPED("duplicate")), before + 2);
}

/* What Strava has been seen to send, not quite as documented. */
Test(webhook, lenient_bodies_are_taken)
{
	char body[1024];

	snprintf(body, sizeof(body), "{\"aspect_type\":\"update\",\"event_time\":"
	    "\"1516126040\",\"object_id\":\"%lld\",\"object_type\":"
	    "\"activity\",\"owner_id\":\"%lld\",\"subscription_id\":\"%lld\","
	    "\"updates\":{\"private\":true,\"title\":\"Hills\"},\"meta\":"
	    "{\"hops\":[[1],{\"a\":{\"b\":[2]}}]}}", WH_BASE + 6,
	    WH_UNKNOWN + 5, sub);
	cr_assert_eq(post_status(body), 200);
	cr_assert_str_eq(sqlv("SELECT strava_athlete_id || ' ' || aspect_type "
	    "|| ' ' || event_time FROM strava_webhook_events WHERE object_id = "
	    "%lld", WH_BASE + 6), "890000005 update 2018-01-16 18:07:20");
	/* Updates without "updates": fetch again. */
	snprintf(body, sizeof(body), "{\"aspect_type\":\"update\",\"event_time\":"
	    "1516126040,\"object_id\":%lld,\"object_type\":\"activity\","
	    "\"owner_id\":%lld,\"subscription_id\":%lld}", WH_BASE + 7,
	    WH_UNKNOWN + 5, sub);
	cr_assert_eq(post_status(body), 200);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = %lld", WH_BASE + 7), 1);
}

/* Posts n create events of owner from object id first; returns stored. */
static long
post_creates(long long owner, long long first, int n)
{
	int i;

	for (i = 0; i < n; i++)
		cr_assert_eq(post_status(event(owner, first + i, "activity",
		    "create", "{}")), 200);
	return sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id >= %lld AND object_id < %lld", first, first + n);
}

/*
 * Counts emptied, and a window (a day) that a test does not straddle
 * (a second-long one did, on a loaded machine).
 */
static void
fresh_window(const char *limits)
{
	sqlv("DELETE FROM strava_webhook_intake_counts");
	sqlv("UPDATE strava_webhook_settings SET limit_window_seconds = 86400,"
	    " %s", limits);
}

Test(webhook, intake_limits_per_runner_over_all_runners_and_unknown)
{
	long	athlete = metric(DROPPED("athlete_limit"));
	long	global = metric(DROPPED("global_limit"));
	long	unknown = metric(DROPPED("unknown_limit"));

	add_runner(WH_ATHLETE + 10, "limited@webhook.test");
	add_runner(WH_ATHLETE + 11, "other@webhook.test");
	add_runner(WH_ATHLETE + 12, "third@webhook.test");
	/* Unknown athletes cost no Strava call: a bucket of their own. */
	fresh_window("unknown_limit = 3");
	cr_assert_eq(post_creates(WH_UNKNOWN + 6, WH_BASE + 90000, 5), 3);
	cr_assert_eq(metric(DROPPED("unknown_limit")), unknown + 2);
	/* One runner's events... */
	fresh_window("athlete_limit = 2, global_limit = 100");
	cr_assert_eq(post_creates(WH_ATHLETE + 10, WH_BASE + 90100, 4), 2);
	cr_assert_eq(metric(DROPPED("athlete_limit")), athlete + 2);
	/* ...are owed a resync instead (one list call, not one per event). */
	cr_assert_str_eq(sqlv("SELECT due_at > NOW() AND dropped = 2 FROM "
	    "strava_webhook_resync WHERE athlete_id = %lld", WH_ATHLETE + 10),
	    "t");
	/* ...and all runners' together. */
	fresh_window("athlete_limit = 100, global_limit = 3");
	cr_assert_eq(post_creates(WH_ATHLETE + 11, WH_BASE + 90200, 2) +
	    post_creates(WH_ATHLETE + 12, WH_BASE + 90300, 3), 3);
	cr_assert_eq(metric(DROPPED("global_limit")), global + 2);
	/* Unknown athletes' events do not use the runners' room. */
	cr_assert_eq(post_creates(WH_UNKNOWN + 7, WH_BASE + 90400, 2), 2);
	sqlv("DELETE FROM strava_webhook_resync WHERE athlete_id >= %lld AND "
	    "athlete_id < %lld", WH_ATHLETE, WH_ATHLETE + 1000000);
}

static size_t
discard(char *p, size_t size, size_t n, void *ud)
{
	return size * n;
}

/* Posts n events with object ids from first, par at a time; returns 200s. */
static int
burst(long long first, int n, int par)
{
	CURLM			*m = curl_multi_init();
	CURL			*h[BURST_PARALLEL];
	char			*bodies = calloc((size_t)n, 256), url[512];
	struct curl_slist	*hl = curl_slist_append(NULL,
				    "Content-Type: application/json");
	int			 next = 0, running = 1, ok = 0, i, left;
	long			 st;
	CURLMsg			*msg;

	snprintf(url, sizeof(url), "%s/strava/webhook", site_url());
	for (i = 0; i < n; i++)
		snprintf(bodies + (size_t)i * 256, 256, "{\"aspect_type\":"
		    "\"create\",\"event_time\":1516126040,\"object_id\":%lld,"
		    "\"object_type\":\"activity\",\"owner_id\":%lld,"
		    "\"subscription_id\":%lld}", first + i, WH_UNKNOWN + i % 7,
		    sub);
	for (i = 0; i < par && next < n; i++, next++) {
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, bodies +
		    (size_t)next * 256);
		curl_multi_add_handle(m, h[i]);
	}
	while (running > 0 || next < n) {
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			st = 0;
			curl_easy_getinfo(msg->easy_handle,
			    CURLINFO_RESPONSE_CODE, &st);
			if (msg->data.result == CURLE_OK && st == 200)
				ok++;
			curl_multi_remove_handle(m, msg->easy_handle);
			if (next < n) {
				curl_easy_setopt(msg->easy_handle,
				    CURLOPT_POSTFIELDS, bodies +
				    (size_t)next++ * 256);
				curl_multi_add_handle(m, msg->easy_handle);
				running++;
			}
		}
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	for (i = 0; i < par && i < n; i++)
		curl_easy_cleanup(h[i]);
	curl_multi_cleanup(m);
	curl_slist_free_all(hl);
	free(bodies);
	return ok;
}

Test(webhook, a_burst_of_2000_is_acknowledged_and_stored_exactly_once)
{
	double	t0 = now_s(), s;
	int	ok = burst(WH_BASE + 10000, BURST, BURST_PARALLEL);

	s = now_s() - t0;
	cr_assert_eq(ok, BURST, "%d of %d acknowledged", ok, BURST);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id >= %lld AND object_id < %lld", WH_BASE + 10000,
	    WH_BASE + 10000 + BURST), BURST);
	cr_assert_eq(sqll("SELECT count(DISTINCT object_id) FROM "
	    "strava_webhook_events WHERE object_id >= %lld AND object_id < %lld",
	    WH_BASE + 10000, WH_BASE + 10000 + BURST), BURST);
	fprintf(stderr, "webhook burst: %d events in %.2f s (%.0f/s)\n", BURST,
	    s, BURST / s);
	/* Unknown athletes: the job worker marks them all processed. */
	cr_assert(wait_sql(20, "NOT EXISTS (SELECT 1 FROM strava_webhook_events"
	    " WHERE object_id >= 900010000 AND object_id < 900012000 AND"
	    " NOT processed)"), "the queue did not drain");
}

/* ---- nothing lost while PostgreSQL is down ---------------------------- */

Test(webhook, events_are_spooled_while_postgres_is_down_then_replayed,
    .timeout = 90)
{
	int i, spooled;

	cr_assert_eq(count_spooled(), 0);
	cr_assert_eq(run_cmd("%s", env_or("PG_STOP_CMD", "false")), 0);
	for (i = 0; i < 20; i++) {
		long s = post_status(event(WH_UNKNOWN + 2, WH_BASE + 20000 + i,
		    "activity", "create", "{}"));

		if (s != 200)
			run_cmd("%s", env_or("PG_START_CMD", "false"));
		cr_assert_eq(s, 200, "event %d answered %ld while the database "
		    "was down", i, s);
	}
	spooled = count_spooled();
	cr_assert_eq(run_cmd("%s", env_or("PG_START_CMD", "false")), 0);
	cr_assert_eq(spooled, 20, "%d spool files", spooled);
	cr_assert(wait_sql(15, "(SELECT count(*) FROM strava_webhook_events "
	    "WHERE object_id >= 900020000 AND object_id < 900020020) = 20"),
	    "spooled events were not replayed");
	cr_assert_eq(sqll("SELECT count(DISTINCT object_id) FROM "
	    "strava_webhook_events WHERE object_id >= 900020000 AND "
	    "object_id < 900020020 AND spool_id IS NOT NULL"), 20);
	/* Replayed in arrival order: ids were spooled in object_id order. */
	cr_assert_eq(sqll("SELECT count(*) FROM (SELECT object_id, lag(object_id)"
	    " OVER (ORDER BY spool_id) AS prev FROM strava_webhook_events WHERE"
	    " object_id >= 900020000 AND object_id < 900020020) x"
	    " WHERE prev > object_id"), 0);
	for (i = 0; i < 50 && count_spooled() > 0; i++)
		usleep(100 * 1000);
	cr_assert_eq(count_spooled(), 0);
	/* And the queue works afterwards. */
	cr_assert_eq(post_status(event(WH_UNKNOWN + 2, WH_BASE + 20100,
	    "activity", "create", "{}")), 200);
	cr_assert(wait_sql(10, "EXISTS (SELECT 1 FROM strava_webhook_events "
	    "WHERE object_id = 900020100 AND processed)"));
}

/* ---- the job worker ------------------------------------------------------ */

Test(webhook, killed_job_worker_is_respawned_and_the_queue_drains,
    .timeout = 60)
{
	pid_t	before = pool_child(pool_master(), "cadence-job"), after;
	long	waiting;

	cr_assert(before > 0, "no cadence-job child of the master");
	sqlv(WITH_JOBS("INSERT INTO strava_webhook_events (strava_athlete_id,"
	    " object_type, object_id, aspect_type, event_time, raw_payload)"
	    " SELECT %lld, 'activity', %lld + g, 'create', NOW(), '{}' FROM"
	    " generate_series(0, 4999) g", "", ""), WH_UNKNOWN + 3,
	    WH_BASE + 30000);
	usleep(100 * 1000);
	waiting = sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id >= 900030000 AND object_id < 900035000 AND NOT processed");
	cr_assert_eq(kill(before, SIGKILL), 0);
	cr_assert(waiting > 0, "drained before the kill: make the burst bigger");
	cr_assert(wait_sql(30, "NOT EXISTS (SELECT 1 FROM strava_webhook_events"
	    " WHERE object_id >= 900030000 AND object_id < 900035000 AND"
	    " NOT processed)"), "the queue did not drain after the kill");
	after = pool_child(pool_master(), "cadence-job");
	cr_assert(after > 0 && after != before, "job worker not respawned");
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events e WHERE "
	    "object_id >= 900030000 AND object_id < 900035000 AND (failed_at IS "
	    "NOT NULL OR note <> 'unknown athlete' OR EXISTS (SELECT 1 FROM "
	    "jobs j WHERE j.dedup_key = e.id::text AND (j.state <> 'done' OR "
	    "j.locked_by IS NOT NULL)))"), 0);
}

Test(webhook, a_lease_of_a_dead_backend_lapses_a_live_one_holds)
{
	/* Backend pid 1 never exists: that claim's worker is gone. */
	sqlv(WITH_JOBS("INSERT INTO strava_webhook_events (strava_athlete_id,"
	    " object_type, object_id, aspect_type, event_time, raw_payload)"
	    " VALUES (%lld, 'activity', %lld, 'create', NOW(), '{}')",
	    ", attempts, locked_by, locked_until",
	    ", 1, 1, NOW() + interval '1 hour'"), WH_UNKNOWN, WH_BASE + 40000);
	sqlv(WITH_JOBS("INSERT INTO strava_webhook_events (strava_athlete_id,"
	    " object_type, object_id, aspect_type, event_time, raw_payload)"
	    " VALUES (%lld, 'activity', %lld, 'create', NOW(), '{}')",
	    ", attempts, locked_by, locked_until",
	    ", 1, pg_backend_pid(), NOW() + interval '1 hour'"), WH_UNKNOWN,
	    WH_BASE + 40001);
	cr_assert(wait_sql(10, "(SELECT processed FROM strava_webhook_events "
	    "WHERE object_id = 900040000) AND " JOB_OF("attempts", "900040000")
	    " = 2"));
	/* Held by this test's own (live) connection: untouched. */
	usleep(2500 * 1000);	/* longer than JOB_SWEEP_SECONDS */
	cr_assert_str_eq(sqlv("SELECT processed FROM strava_webhook_events "
	    "WHERE object_id = 900040001"), "f");
	sqlv("UPDATE jobs SET locked_until = NOW() - interval '1 second' "
	    "WHERE dedup_key = (SELECT id::text FROM strava_webhook_events "
	    "WHERE object_id = 900040001)");
	cr_assert(wait_sql(10, "(SELECT processed FROM strava_webhook_events "
	    "WHERE object_id = 900040001)"), "a lapsed lease was not reclaimed");
}

Test(webhook, an_event_that_kills_workers_is_failed_after_max_attempts)
{
	sqlv(WITH_JOBS("INSERT INTO strava_webhook_events (strava_athlete_id,"
	    " object_type, object_id, aspect_type, event_time, raw_payload)"
	    " VALUES (%lld, 'activity', %lld, 'create', NOW(), '{}')",
	    ", attempts, locked_by, locked_until",
	    ", 8, 1, NOW() + interval '1 hour'"), WH_UNKNOWN, WH_BASE + 41000);
	/* The engine gives the job up; the event says so (sql/025). */
	cr_assert(wait_sql(10, "(SELECT failed_at IS NOT NULL AND NOT processed"
	    " AND error_message LIKE 'gave up after 8 attempts%%' FROM"
	    " strava_webhook_events WHERE object_id = 900041000) AND "
	    JOB_OF("state", "900041000") " = 'failed'"));
}

/* ---- processing without Strava ------------------------------------------- */

Test(webhook, deauthorization_deletes_tokens_and_activities)
{
	long long athlete = WH_ATHLETE + 1;

	add_runner(athlete, "deauth@webhook.test");
	/* Strava already refused this runner's refresh token: that confirms
	 * the deauthorization without a call (forged events are kept: see
	 * test_strava_webhook.c). */
	sqlv("UPDATE users SET strava_needs_reconnect = TRUE, strava_athlete_name"
	    " = 'Dee Author', strava_scope = 'read,activity:read_all',"
	    " strava_connected_at = NOW() WHERE strava_athlete_id = %lld",
	    athlete);
	add_activity(athlete, WH_BASE + 50001);
	add_activity(athlete, WH_BASE + 50002);
	add_runner(WH_ATHLETE + 2, "bystander@webhook.test");
	add_activity(WH_ATHLETE + 2, WH_BASE + 50003);
	cr_assert_eq(post_status(event(athlete, athlete, "athlete", "update",
	    "{\"authorized\":\"false\"}")), 200);
	cr_assert(wait_sql(10, "(SELECT processed FROM strava_webhook_events "
	    "WHERE strava_athlete_id = 800000001)"));
	cr_assert_str_eq(sqlv("SELECT strava_access_token IS NULL AND "
	    "strava_refresh_token IS NULL AND strava_token_expires_at IS NULL "
	    "FROM users WHERE strava_athlete_id = %lld", athlete), "t");
	/* Only what a reconnect needs is kept: the athlete id. */
	cr_assert_str_eq(sqlv("SELECT COALESCE(strava_athlete_name, '') || "
	    "COALESCE(strava_scope, '') || COALESCE(strava_connected_at::text,"
	    " '') FROM users WHERE strava_athlete_id = %lld", athlete), "");
	cr_assert_eq(sqll("SELECT count(*) FROM strava_activities WHERE "
	    "strava_activity_id IN (900050001, 900050002)"), 0);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_activities WHERE "
	    "strava_activity_id = 900050003"), 1, "another runner's activity");
	cr_assert_str_eq(sqlv("SELECT strava_access_token FROM users WHERE "
	    "strava_athlete_id = %lld", WH_ATHLETE + 2), "access-tok");
	cr_assert_str_eq(sqlv("SELECT note FROM strava_webhook_events WHERE "
	    "strava_athlete_id = 800000001"),
	    "deauthorized: tokens and 2 activities deleted");
}

/*
 * Webhooks are unsigned: a delete is only a hint to ask Strava.  This
 * runner's stored tokens cannot be read (no Strava to ask), so nothing
 * may be deleted (test_strava_webhook.c deletes through the sandbox).
 */
Test(webhook, activity_delete_is_not_believed_without_strava)
{
	long long athlete = WH_ATHLETE + 3;

	add_runner(athlete, "deleter@webhook.test");
	add_activity(athlete, WH_BASE + 60001);
	add_activity(athlete, WH_BASE + 60002);
	cr_assert_eq(post_status(event(athlete, WH_BASE + 60001, "activity",
	    "delete", "{}")), 200);
	cr_assert(wait_sql(10, "(SELECT processed OR failed_at IS NOT NULL FROM "
	    "strava_webhook_events WHERE object_id = 900060001)"));
	cr_assert_eq(sqll("SELECT count(*) FROM strava_activities WHERE "
	    "strava_activity_id IN (900060001, 900060002)"), 2);
}

Test(webhook, unknown_athlete_is_processed_with_a_note)
{
	cr_assert_eq(post_status(event(WH_UNKNOWN + 9, WH_BASE + 70001,
	    "activity", "create", "{}")), 200);
	cr_assert(wait_sql(10, "(SELECT processed FROM strava_webhook_events "
	    "WHERE object_id = 900070001)"));
	cr_assert_str_eq(sqlv("SELECT note || '|' || COALESCE(error_message, "
	    "'-') || '|' || (failed_at IS NULL) FROM strava_webhook_events "
	    "WHERE object_id = 900070001"), "unknown athlete|-|true");
}

/* ---- cadence events ---------------------------------------------------- */

Test(webhook, events_command_lists_and_retries)
{
	char	out[16384], failed[40], pending[40], args[128];

	sqlv(WITH_JOBS("INSERT INTO strava_webhook_events (strava_athlete_id,"
	    " object_type, object_id, aspect_type, event_time, raw_payload,"
	    " failed_at, error_message) VALUES (%lld, 'activity', %lld,"
	    " 'create', NOW(), '{}', NOW(), 'gave up: Strava said 500')",
	    ", attempts, state, note, finished_at",
	    ", 8, 'failed', 'gave up: Strava said 500', NOW()"), WH_UNKNOWN,
	    WH_BASE + 80001);
	snprintf(failed, sizeof(failed), "%s", sqlv("SELECT id FROM "
	    "strava_webhook_events WHERE object_id = %lld", WH_BASE + 80001));
	sqlv(WITH_JOBS("INSERT INTO strava_webhook_events (strava_athlete_id,"
	    " object_type, object_id, aspect_type, event_time, raw_payload,"
	    " error_message) VALUES (%lld, 'activity', %lld, 'update', NOW(),"
	    " '{}', 'rate limited')", ", attempts, next_attempt_at, note",
	    ", 2, NOW() + interval '1 day', 'rate limited'"), WH_UNKNOWN,
	    WH_BASE + 80002);
	snprintf(pending, sizeof(pending), "%s", sqlv("SELECT id FROM "
	    "strava_webhook_events WHERE object_id = %lld", WH_BASE + 80002));
	cr_assert_eq(cadence(out, sizeof(out), "events --limit 1000"), 0, "%s",
	    out);
	cr_assert(strstr(out, failed) && strstr(out, pending), "%s", out);
	cr_assert(strstr(out, "gave up: Strava said 500"), "%s", out);
	cr_assert(strstr(out, "activity update 900080002"), "%s", out);
	cr_assert(strstr(out, " failed ") && strstr(out, " retrying "), "%s",
	    out);

	snprintf(args, sizeof(args), "events retry %s", failed);
	cr_assert_eq(cadence(out, sizeof(out), args), 0, "%s", out);
	cr_assert(wait_sql(10, "(SELECT processed AND failed_at IS NULL FROM "
	    "strava_webhook_events WHERE object_id = 900080001)"),
	    "a retried event was not processed");
	/* By a job of its own; the failed one stays as it was. */
	cr_assert_str_eq(sqlv("SELECT string_agg(j.state || ' ' || j.attempts,"
	    " ',' ORDER BY j.created_at) FROM jobs j JOIN strava_webhook_events"
	    " e ON j.dedup_key = e.id::text WHERE e.object_id = 900080001"),
	    "failed 8,done 1");
	cr_assert_eq(cadence(out, sizeof(out), "events retry not-an-id"), 2);
	cr_assert_eq(cadence(out, sizeof(out), "events retry "
	    "00000000-0000-0000-0000-000000000000"), 1);
}

/* ---- retention ------------------------------------------------------------ */

/* An event of athlete, object id, in a given state, via SQL. */
static void
old_event(long long athlete, long long object, bool known, const char *state)
{
	sqlv("INSERT INTO strava_webhook_events (strava_athlete_id, object_type,"
	    " object_id, aspect_type, event_time, raw_payload, athlete_known,"
	    " processed, processed_at, failed_at, created_at) SELECT %lld,"
	    " 'activity', %lld, 'create', NOW(), '{}', %s, %s",
	    athlete, object, known ? "true" : "false", state);
}

#define PROCESSED_AGO(x) "true, NOW() - interval '" x "', NULL, NOW() - interval '" x "'"
#define FAILED_AGO(x)	"false, NULL, NOW() - interval '" x "', NOW() - interval '" x "'"
#define PENDING_AGO(x)	"false, NULL, NULL, NOW() - interval '" x "'"

static bool
kept(long long object)
{
	return sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "object_id = %lld", object) == 1;
}

Test(webhook, retention_purges_what_the_settings_no_longer_keep)
{
	char out[1024];

	old_event(WH_ATHLETE + 20, WH_BASE + 95001, true, PROCESSED_AGO("31 days"));
	old_event(WH_ATHLETE + 20, WH_BASE + 95002, true, PROCESSED_AGO("29 days"));
	old_event(WH_UNKNOWN + 20, WH_BASE + 95003, false, PROCESSED_AGO("25 hours"));
	old_event(WH_UNKNOWN + 20, WH_BASE + 95004, false, PROCESSED_AGO("23 hours"));
	old_event(WH_ATHLETE + 20, WH_BASE + 95005, true, FAILED_AGO("91 days"));
	old_event(WH_ATHLETE + 20, WH_BASE + 95006, true, FAILED_AGO("89 days"));
	/* Waiting events are never purged, however old. */
	old_event(WH_ATHLETE + 20, WH_BASE + 95007, true, PENDING_AGO("400 days"));
	/* (No job: nothing works it meanwhile.) */
	cr_assert_eq(cadence(out, sizeof(out), "events purge"), 0, "%s", out);
	cr_assert(strstr(out, "purged: ") != NULL, "%s", out);
	cr_assert_not(kept(WH_BASE + 95001));
	cr_assert(kept(WH_BASE + 95002));
	cr_assert_not(kept(WH_BASE + 95003));
	cr_assert(kept(WH_BASE + 95004));
	cr_assert_not(kept(WH_BASE + 95005));
	cr_assert(kept(WH_BASE + 95006));
	cr_assert(kept(WH_BASE + 95007));
	/* Configurable: unknown athletes' events not kept at all. */
	cr_assert_eq(cadence(out, sizeof(out), "events settings "
	    "unknown_retention_hours=0"), 0, "%s", out);
	cr_assert_eq(cadence(out, sizeof(out), "events purge"), 0, "%s", out);
	cr_assert_not(kept(WH_BASE + 95004));
	cr_assert(kept(WH_BASE + 95002));
}

Test(webhook, settings_command_shows_and_changes_with_checks)
{
	char out[2048];

	cr_assert_eq(cadence(out, sizeof(out), "events settings"), 0, "%s", out);
	cr_assert(strstr(out, "athlete_limit=10000000\n"), "%s", out);
	cr_assert(strstr(out, "retention_days=30\n"), "%s", out);
	cr_assert(strstr(out, "not_found_window_seconds=60\n"), "%s", out);
	cr_assert_eq(cadence(out, sizeof(out), "events settings "
	    "athlete_limit=7 retention_days=14"), 0, "%s", out);
	cr_assert(strstr(out, "athlete_limit=7\n") &&
	    strstr(out, "retention_days=14\n"), "%s", out);
	cr_assert_eq(sqll("SELECT athlete_limit * 100 + retention_days FROM "
	    "strava_webhook_settings"), 714);
	cr_assert_eq(cadence(out, sizeof(out), "events settings bogus=1"), 2);
	cr_assert_eq(cadence(out, sizeof(out), "events settings "
	    "athlete_limit=-1"), 2);
	cr_assert_eq(cadence(out, sizeof(out), "events settings "
	    "limit_window_seconds=0"), 1, "the database keeps it positive");
	cr_assert_eq(sqll("SELECT limit_window_seconds FROM "
	    "strava_webhook_settings"), 900);
}

/*
 * Account deletion unlinks Strava first; every webhook row naming the
 * runner's athlete goes too (two rows used to keep the id for good).
 */
Test(webhook, account_deletion_removes_the_athletes_webhook_rows)
{
	long long		 athlete = WH_ATHLETE + 30;
	struct http_resp	 r;
	char			 email[128], form[256];

	client_signup(c, "webhook-delete", email);
	sqlv("UPDATE users SET strava_athlete_id = %lld, strava_access_token ="
	    " 'x', strava_refresh_token = 'y', strava_athlete_name = 'Gone "
	    "Soon' WHERE email = '%s'", athlete, email);
	cr_assert_eq(post_status(event(athlete, WH_BASE + 96001, "activity",
	    "create", "{}")), 200);
	old_event(athlete, WH_BASE + 96002, true, PROCESSED_AGO("2 days"));
	cr_assert_eq(post_status(event(athlete, athlete, "athlete", "update",
	    "{\"authorized\":\"false\"}")), 200);
	sqlv("INSERT INTO strava_webhook_resync (athlete_id, due_at) VALUES "
	    "(%lld, NOW() + interval '1 hour')", athlete);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "strava_athlete_id = %lld", athlete), 3);

	cr_assert_eq(client_get(c, "/settings", &r), 200);
	resp_done(&r);
	snprintf(form, sizeof(form), "password=%s", urlenc(TEST_PASSWORD));
	cr_assert_eq(client_post(c, "/settings/delete", form, &r), 303);
	resp_done(&r);
	cr_assert_eq(sqll("SELECT count(*) FROM users WHERE email = '%s'",
	    email), 0);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_events WHERE "
	    "strava_athlete_id = %lld OR (object_type = 'athlete' AND "
	    "object_id = %lld)", athlete, athlete), 0);
	cr_assert_eq(sqll("SELECT count(*) FROM strava_webhook_resync WHERE "
	    "athlete_id = %lld", athlete), 0);
}
