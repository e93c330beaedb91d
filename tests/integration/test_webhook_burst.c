/*
 * Convergence of the webhook pipeline (issue 8.6): whatever order,
 * duplication or trouble the events come with, the runner's activities
 * end up exactly as Strava has them, each once.  Through nginx and the
 * pool, against the sandbox, with a subscription and a runner connected
 * through the real OAuth pages:
 *   a. 5,000 events in one burst: creates, duplicates, updates (after
 *      edits at Strava), deletes, many of them out of order;
 *   b. the job worker killed (-9) mid-burst;
 *   c. PostgreSQL stopped during a burst: events spooled, then replayed;
 *   d. a storm of 429s from Strava: the queue backs off and finishes;
 *   e. a deauthorization after a burst: the data is gone, and stays gone.
 * "Converged" means: the set of strava_activity_id stored for the runner
 * equals the sandbox's activities of the athlete, with equal names and
 * distances, and no event failed.  The intake limits are lifted here
 * (thousands of events of one runner); test_strava_webhook.c converges
 * through them.
 */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/buf.h"
#include "strava_helpers.h"

#define PARALLEL	32	/* events posted at once */
#define BODY_MAX	320	/* bytes of one event */
#define DRAIN_SECONDS	60
#define SANDBOX_LIMITS	"\"rate_limit_15min\":1000000,"			\
			"\"rate_limit_daily\":10000000,"		\
			"\"read_rate_limit_15min\":1000000,"		\
			"\"read_rate_limit_daily\":10000000"
#define SANDBOX_DEFAULTS "{\"rate_limit_15min\":200,\"rate_limit_daily\":2000,"\
			"\"read_rate_limit_15min\":100,"		\
			"\"read_rate_limit_daily\":1000,\"fail_next_429\":0}"

static struct client	*c;
static long long	 sub;		/* our subscription id */
static unsigned		 rng = 20240806;	/* fixed: reproducible orders */

/* ---- set-up -------------------------------------------------------------- */

static void
reset_budget(void)
{
	json_decref(sb_call(c, "POST", "/_sandbox/reset-usage", "", false,
	    NULL));
	db_exec_sql("UPDATE strava_rate_limit SET usage_15min = 0,"
	    " usage_daily = 0, read_usage_15min = 0, read_usage_daily = 0");
}

static void
setup(void)
{
	c = client_new();
	reset_budget();
	/* The real 15-minute windows would outlast the test: room enough. */
	sb_config(c, "{" SANDBOX_LIMITS ",\"fail_next_429\":0}");
	json_decref(sb_call(c, "DELETE", "/_sandbox/deliveries", NULL, false,
	    NULL));
	test_subscribe();
	sub = db_long_value("SELECT id FROM strava_webhook_subscription");
	cr_assert_gt(sub, 0);
	db_exec_sql("UPDATE strava_webhook_settings SET athlete_limit ="
	    " 10000000, global_limit = 10000000, unknown_limit = 10000000");
}

static void
teardown(void)
{
	char out[1024];

	sb_config(c, SANDBOX_DEFAULTS);
	reset_budget();
	/* Defaults again, and the windows these thousands filled emptied. */
	db_exec_sql("DELETE FROM strava_webhook_settings;"
	    " INSERT INTO strava_webhook_settings DEFAULT VALUES;"
	    " DELETE FROM strava_webhook_intake_counts");
	cadence_cmd(out, sizeof(out), "", "strava unsubscribe");
	client_free(c);
}

TestSuite(webhook_burst, .init = setup, .fini = teardown, .timeout = 120);

/* ---- the sandbox's side ---------------------------------------------------- */

/* count runs at the sandbox without webhooks; their ids into ids. */
static void
sb_bulk(long long athlete, int count, long long *ids)
{
	char	 body[128];
	json_t	*j;
	long	 st;
	int	 i;

	snprintf(body, sizeof(body), "{\"count\":%d,\"athlete_id\":%lld,"
	    "\"interval\":3600}", count, athlete);
	j = sb_call(c, "POST", "/_sandbox/activities/bulk", body, true, &st);
	cr_assert_eq(st, 201);
	cr_assert_eq(json_integer_value(json_object_get(j, "created")), count);
	json_decref(j);
	snprintf(body, sizeof(body), "/_sandbox/activities?athlete_id=%lld",
	    athlete);
	j = sb_call(c, "GET", body, NULL, false, NULL);
	cr_assert_eq((int)json_array_size(j), count);
	for (i = 0; i < count; i++)
		ids[i] = json_integer_value(json_object_get(json_array_get(j,
		    (size_t)i), "id"));
	json_decref(j);
}

static void
sb_edit(long long id, int k)
{
	char	 path[96], body[128];
	long	 st;

	snprintf(path, sizeof(path), "/_sandbox/activities/%lld", id);
	snprintf(body, sizeof(body), "name=Edited%%20run%%20%d&distance_km=%d.%d",
	    k, 5 + k % 10, k % 10);
	json_decref(sb_call(c, "PUT", path, body, false, &st));
	cr_assert_eq(st, 200, "edit %lld", id);
}

static void
sb_delete(long long id)
{
	char	 path[96];
	long	 st;

	snprintf(path, sizeof(path), "/_sandbox/activities/%lld", id);
	json_decref(sb_call(c, "DELETE", path, NULL, false, &st));
	cr_assert_eq(st, 204, "delete %lld", id);
}

static bool
sb_deliveries_done(void)
{
	json_t	*j = sb_call(c, "GET", "/_sandbox/deliveries", NULL, false,
		    NULL);
	bool	 done = j != NULL && json_integer_value(json_object_get(j,
		    "pending")) == 0;

	json_decref(j);
	return done;
}

/* ---- events, as Strava posts them ---------------------------------------- */

struct events {
	char	*bodies;	/* n * BODY_MAX */
	int	 n, cap;
};

static void
ev_add(struct events *e, long long athlete, long long id, const char *aspect,
    const char *updates)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->bodies = realloc(e->bodies, (size_t)e->cap * BODY_MAX);
		cr_assert_not_null(e->bodies);
	}
	snprintf(e->bodies + (size_t)e->n++ * BODY_MAX, BODY_MAX,
	    "{\"aspect_type\":\"%s\",\"event_time\":%lld,\"object_id\":%lld,"
	    "\"object_type\":\"activity\",\"owner_id\":%lld,"
	    "\"subscription_id\":%lld,\"updates\":%s}", aspect,
	    (long long)time(NULL), id, athlete, sub, updates);
}

static unsigned
next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) & 0xffffff;
}

/* Fisher-Yates: deletes land before their creates about half the time. */
static void
ev_shuffle(struct events *e)
{
	char	tmp[BODY_MAX];
	int	i, j;

	for (i = e->n - 1; i > 0; i--) {
		j = (int)(next_rand() % (unsigned)(i + 1));
		memcpy(tmp, e->bodies + (size_t)i * BODY_MAX, BODY_MAX);
		memcpy(e->bodies + (size_t)i * BODY_MAX, e->bodies +
		    (size_t)j * BODY_MAX, BODY_MAX);
		memcpy(e->bodies + (size_t)j * BODY_MAX, tmp, BODY_MAX);
	}
}

static size_t
discard(char *p, size_t size, size_t n, void *ud)
{
	return size * n;
}

/* Posts events [from, to) PARALLEL at a time; returns the 200s. */
static int
ev_post(const struct events *e, int from, int to)
{
	CURLM			*m = curl_multi_init();
	CURL			*h[PARALLEL];
	struct curl_slist	*hl = curl_slist_append(NULL,
				    "Content-Type: application/json");
	char			 url[512];
	int			 next = from, running = 1, ok = 0, i, left;
	long			 st;
	CURLMsg			*msg;

	snprintf(url, sizeof(url), "%s/strava/webhook", site_url());
	for (i = 0; i < PARALLEL; i++) {
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, discard);
		if (next < to) {
			curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, e->bodies +
			    (size_t)next++ * BODY_MAX);
			curl_multi_add_handle(m, h[i]);
		}
	}
	while (running > 0) {
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
			if (next < to) {
				curl_easy_setopt(msg->easy_handle,
				    CURLOPT_POSTFIELDS, e->bodies +
				    (size_t)next++ * BODY_MAX);
				curl_multi_add_handle(m, msg->easy_handle);
				running++;
			}
		}
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	for (i = 0; i < PARALLEL; i++)
		curl_easy_cleanup(h[i]);
	curl_multi_cleanup(m);
	curl_slist_free_all(hl);
	return ok;
}

/* ---- convergence ----------------------------------------------------------- */

static int
spooled(void)
{
	DIR		*d = opendir(env_or("CADENCE_SPOOL_DIR", "var/spool"));
	struct dirent	*e;
	int		 n = 0;
	size_t		 len;

	while (d != NULL && (e = readdir(d)) != NULL)
		if ((len = strlen(e->d_name)) > 5 && e->d_name[0] != '.' &&
		    strcmp(e->d_name + len - 5, ".json") == 0)
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

/* Sandbox deliveries sent, spool replayed, the athlete's events done. */
static double
wait_drained(long long athlete)
{
	double t0 = mono_now();

	while (mono_now() - t0 < DRAIN_SECONDS && (!sb_deliveries_done() ||
	    spooled() > 0))
		usleep(50 * 1000);
	cr_assert(wait_true(DRAIN_SECONDS - (mono_now() - t0), "NOT EXISTS "
	    "(SELECT 1 FROM strava_webhook_events WHERE strava_athlete_id = "
	    "%lld AND NOT processed AND failed_at IS NULL)", athlete),
	    "the queue did not drain: %s", db_value("SELECT count(*) FROM "
	    "strava_webhook_events WHERE strava_athlete_id = %lld AND NOT "
	    "processed", athlete));
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_webhook_events"
	    " WHERE strava_athlete_id = %lld AND failed_at IS NOT NULL",
	    athlete), 0, "failed: %s", db_value("SELECT error_message FROM "
	    "strava_webhook_events WHERE strava_athlete_id = %lld AND "
	    "failed_at IS NOT NULL LIMIT 1", athlete));
	return mono_now() - t0;
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sandbox's activities of athlete as sorted "id|name|metres" lines. */
static void
sandbox_state(long long athlete, buf_t *out, int *n)
{
	char	 path[96], line[512], **lines;
	json_t	*j, *a;
	size_t	 i;

	snprintf(path, sizeof(path), "/_sandbox/activities?athlete_id=%lld",
	    athlete);
	j = sb_call(c, "GET", path, NULL, false, NULL);
	cr_assert(json_is_array(j));
	lines = calloc(json_array_size(j) + 1, sizeof(*lines));
	json_array_foreach(j, i, a) {
		snprintf(line, sizeof(line), "%020lld|%s|%lld",
		    (long long)json_integer_value(json_object_get(a, "id")),
		    json_string_value(json_object_get(a, "name")),
		    (long long)(json_number_value(json_object_get(a,
		    "distance")) + 0.5));
		lines[i] = strdup(line);
	}
	*n = (int)json_array_size(j);
	qsort(lines, (size_t)*n, sizeof(*lines), by_text);
	for (i = 0; i < (size_t)*n; i++) {
		buf_printf(out, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	json_decref(j);
}

/* The same lines from our database, and the row count. */
static void
cadence_state(const char *user_id, buf_t *out, int *n)
{
	PGconn		*conn = PQconnectdb(env_or("DATABASE_URL", ""));
	const char	*p[1] = { user_id };
	PGresult	*r;
	int		 i;

	r = PQexecParams(conn, "SELECT lpad(strava_activity_id::text, 20, '0')"
	    " || '|' || name || '|' || distance FROM strava_activities"
	    " WHERE user_id = $1 ORDER BY 1", 1, NULL, p, NULL, NULL, 0);
	cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s",
	    PQerrorMessage(conn));
	*n = PQntuples(r);
	for (i = 0; i < *n; i++)
		buf_printf(out, "%s\n", PQgetvalue(r, i, 0));
	PQclear(r);
	PQfinish(conn);
}

static void
assert_converged(long long athlete, const char *user_id, int expect)
{
	buf_t		 want = BUF_INIT, got = BUF_INIT;
	int		 nw, ng;
	const char	*a, *b;

	sandbox_state(athlete, &want, &nw);
	cadence_state(user_id, &got, &ng);
	cr_assert_eq(nw, expect, "the sandbox has %d activities", nw);
	if (strcmp(buf_cstr(&want), buf_cstr(&got)) != 0) {
		for (a = buf_cstr(&want), b = buf_cstr(&got); *a && *a == *b;
		    a++, b++)
			continue;
		while (a > buf_cstr(&want) && a[-1] != '\n')
			a--, b--;
		cr_assert_fail("stored %d activities, Strava has %d; first "
		    "difference: Strava '%.60s' vs ours '%.60s'", ng, nw, a, b);
	}
	cr_assert_eq(ng, nw);
	buf_free(&want);
	buf_free(&got);
}

/* A new athlete, connected; the events sent by the sandbox cleared. */
static long long
connected_athlete(const char *name, char uid[64])
{
	long long athlete = sb_new_athlete(c, name);

	snprintf(uid, 64, "%s", sb_connect_runner(c, athlete));
	return athlete;
}

/* Creates for all ids plus dup random duplicates, shuffled. */
static void
creates(struct events *e, long long athlete, const long long *ids, int n,
    int dup)
{
	int i;

	for (i = 0; i < n; i++)
		ev_add(e, athlete, ids[i], "create", "{}");
	for (i = 0; i < dup; i++)
		ev_add(e, athlete, ids[next_rand() % (unsigned)n], "create",
		    "{}");
	ev_shuffle(e);
}

/* ---- the tests ------------------------------------------------------------- */

#define A_RUNS		1000
#define A_DUPLICATES	1500
#define A_UPDATES	2000	/* every activity twice */
#define A_EDITED	50	/* of which edited at Strava first */
#define A_DELETED	250	/* deleted at Strava: each sandbox change */
#define A_DUP_DELETES	250	/* rewrites its state file, so not more */

Test(webhook_burst, five_thousand_events_converge)
{
	static long long	 ids[A_RUNS];
	struct events		 e = { 0 };
	char			 uid[64];
	long long		 athlete = connected_athlete("Burst", uid);
	int			 i, ok;
	double			 t0;

	sb_bulk(athlete, A_RUNS, ids);
	/* Strava's side changes first (these send their own events too). */
	for (i = 0; i < A_EDITED; i++)
		sb_edit(ids[i], i);
	for (i = A_RUNS - A_DELETED; i < A_RUNS; i++)
		sb_delete(ids[i]);

	for (i = 0; i < A_RUNS; i++)
		ev_add(&e, athlete, ids[i], "create", "{}");
	for (i = 0; i < A_DUPLICATES; i++)
		ev_add(&e, athlete, ids[next_rand() % A_RUNS], "create", "{}");
	for (i = 0; i < A_UPDATES; i++)
		ev_add(&e, athlete, ids[i % A_RUNS], "update", i % 3 == 0 ?
		    "{\"title\":\"Edited\"}" : "{}");
	for (i = 0; i < A_DELETED + A_DUP_DELETES; i++)
		ev_add(&e, athlete, ids[A_RUNS - A_DELETED + i % A_DELETED],
		    "delete", "{}");
	cr_assert_eq(e.n, 5000);
	ev_shuffle(&e);

	t0 = mono_now();
	ok = ev_post(&e, 0, e.n);
	cr_assert_eq(ok, e.n, "only %d of %d events acknowledged", ok, e.n);
	cr_log_info("burst: %d events posted in %.2f s, drained %.1f s later",
	    e.n, mono_now() - t0, wait_drained(athlete));
	assert_converged(athlete, uid, A_RUNS - A_DELETED);
	free(e.bodies);
}

#define B_RUNS		300
#define B_DUPLICATES	200
#define B_KILLS		3

Test(webhook_burst, job_worker_killed_mid_burst)
{
	static long long	 ids[B_RUNS];
	struct events		 e = { 0 };
	char			 uid[64];
	long long		 athlete = connected_athlete("Killed", uid);
	pid_t			 pid;
	int			 k, ok = 0, part;

	sb_bulk(athlete, B_RUNS, ids);
	creates(&e, athlete, ids, B_RUNS, B_DUPLICATES);
	part = e.n / B_KILLS;
	for (k = 0; k < B_KILLS; k++) {
		ok += ev_post(&e, k * part, k == B_KILLS - 1 ? e.n :
		    (k + 1) * part);
		/* Mid-work: some events of this part are claimed. */
		cr_assert(wait_true(10, "EXISTS (SELECT 1 FROM "
		    "strava_webhook_events WHERE strava_athlete_id = %lld AND "
		    "processed)", athlete));
		cr_assert_gt(pid = pool_child(pool_master(), "cadence-job"), 0, "no job worker");
		cr_assert_eq(kill(pid, SIGKILL), 0);
	}
	cr_assert_eq(ok, e.n);
	/* The master starts a new one, which claims what the dead held. */
	wait_drained(athlete);
	cr_assert_neq(pool_child(pool_master(), "cadence-job"), 0);
	assert_converged(athlete, uid, B_RUNS);
	free(e.bodies);
}

#define C_RUNS		200

Test(webhook_burst, postgresql_stopped_during_a_burst)
{
	static long long	 ids[C_RUNS];
	struct events		 e = { 0 };
	char			 uid[64];
	long long		 athlete = connected_athlete("Outage", uid);
	const char		*stop = getenv("PG_STOP_CMD");
	const char		*start = getenv("PG_START_CMD");
	int			 ok;

	cr_assert(stop != NULL && start != NULL, "PG_STOP_CMD/PG_START_CMD");
	sb_bulk(athlete, C_RUNS, ids);
	creates(&e, athlete, ids, C_RUNS, C_RUNS / 2);
	ok = ev_post(&e, 0, e.n / 3);
	cr_assert_eq(system(stop), 0);
	ok += ev_post(&e, e.n / 3, e.n);
	cr_assert_eq(ok, e.n, "acknowledged %d of %d with the database down",
	    ok, e.n);
	cr_assert_geq(spooled(), 1, "nothing was spooled");
	cr_assert_eq(system(start), 0);
	(void)db_value("SELECT 1");	/* our connection: reconnect */
	wait_drained(athlete);
	cr_assert_eq(spooled(), 0);
	assert_converged(athlete, uid, C_RUNS);
	free(e.bodies);
}

#define D_RUNS		100
#define D_429S		100	/* as many refusals as activities */

Test(webhook_burst, a_storm_of_429s_backs_off_and_finishes)
{
	static long long	 ids[D_RUNS];
	struct events		 e = { 0 };
	char			 uid[64], cfg[256];
	long long		 athlete = connected_athlete("Throttled", uid);
	long			 throttled;

	sb_bulk(athlete, D_RUNS, ids);
	creates(&e, athlete, ids, D_RUNS, 0);
	throttled = db_long_value("SELECT throttled FROM strava_rate_limit");
	snprintf(cfg, sizeof(cfg), "{" SANDBOX_LIMITS ",\"fail_next_429\":%d}",
	    D_429S);
	sb_config(c, cfg);
	cr_assert_eq(ev_post(&e, 0, e.n), e.n);
	wait_drained(athlete);
	/* Every 429 was seen and waited out, none dropped an event. */
	cr_assert_geq(db_long_value("SELECT throttled FROM strava_rate_limit")
	    - throttled, D_429S);
	cr_assert_gt(db_long_value("SELECT max(attempts) FROM jobs WHERE "
	    "kind = 'strava.event' AND user_id = '%s'", uid), 1);
	assert_converged(athlete, uid, D_RUNS);
	free(e.bodies);
}

#define E_RUNS		100

Test(webhook_burst, deauthorization_after_a_burst_removes_everything)
{
	static long long	 ids[E_RUNS];
	struct events		 e = { 0 }, late = { 0 };
	struct http_resp	 r;
	char			 uid[64], form[128], url[256];
	long long		 athlete = connected_athlete("Gone", uid);

	sb_bulk(athlete, E_RUNS, ids);
	creates(&e, athlete, ids, E_RUNS, E_RUNS / 2);
	cr_assert_eq(ev_post(&e, 0, e.n), e.n);
	wait_drained(athlete);
	assert_converged(athlete, uid, E_RUNS);

	/* The runner revokes access at Strava, which sends the event. */
	snprintf(form, sizeof(form), "access_token=%s",
	    sb_access_token(c, athlete));
	snprintf(url, sizeof(url), "%s/oauth/deauthorize", sandbox_url());
	cr_assert_eq(client_req(c, "POST", url, form, NULL, &r), 200);
	resp_done(&r);
	cr_assert(wait_true(DRAIN_SECONDS, "EXISTS (SELECT 1 FROM "
	    "strava_webhook_events WHERE strava_athlete_id = %lld AND "
	    "object_type = 'athlete' AND processed)", athlete));
	/* Stragglers after it (replays) must not bring anything back. */
	creates(&late, athlete, ids, E_RUNS / 2, 0);
	cr_assert_eq(ev_post(&late, 0, late.n), late.n);
	wait_drained(athlete);
	cr_assert_str_eq(db_value("SELECT strava_access_token IS NULL AND "
	    "strava_refresh_token IS NULL FROM users WHERE id = '%s'", uid),
	    "t");
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities "
	    "WHERE user_id = '%s'", uid), 0);
	cr_assert_str_eq(db_value("SELECT note FROM strava_webhook_events "
	    "WHERE strava_athlete_id = %lld AND object_type = 'athlete'",
	    athlete), "deauthorized: tokens and 100 activities deleted");
	free(e.bodies);
	free(late.bodies);
}
