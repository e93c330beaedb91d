/*
 * Every page costs a bounded amount of database work, whatever the
 * runner's history.  tests/integration/test_query_plans.sh starts a
 * PostgreSQL that logs the plan of every statement (auto_explain, JSON,
 * with buffers) under plan_cache_mode = force_generic_plan (as prepared
 * statements run after a few executions), seeds hundreds of runners with
 * a year of runs (bench/scale_seed.sql), and runs this suite.  For every
 * page, the statements it runs for 'scale-light' (30 runs) and
 * 'scale-deep' (2,000 runs, the same 16-week plan) are compared: the
 * deep runner's pages may not read more than 1.5x the light one's
 * buffers (plus a small constant), and no statement may read a table
 * sequentially past SCAN_ROWS_MAX rows.  Skipped outside that script.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "strava_helpers.h"
#include "core/util.h"

#define MAX_STMTS	64
#define SLACK_BLOCKS	40	/* fixed costs: catalog, tiny lookups */
#define SCAN_ROWS_MAX	1000	/* a sequential scan past this many rows */

struct stmt {
	char	*text;		/* the statement's SQL */
	double	 blocks;	/* shared buffers hit + read */
	double	 rows;		/* rows returned */
	int	 calls;
	char	 seqscan[64];	/* a big table scanned whole, or "" */
};

struct page_cost {
	struct stmt	 s[MAX_STMTS];
	int		 n;
	double		 blocks;
};


static const char *
log_path(void)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/postgresql.json",
	    env_or("PLAN_LOG_DIR", ""));
	return path;
}

static long
log_size(void)
{
	FILE	*f = fopen(log_path(), "r");
	long	 n;

	if (f == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static void
find_seqscan(json_t *node, struct stmt *st)
{
	const char	*type = json_string_value(json_object_get(node,
	    "Node Type")), *rel = json_string_value(json_object_get(node,
	    "Relation Name"));
	json_t		*kids = json_object_get(node, "Plans"), *k;
	double		 scanned;
	size_t		 i;

	/* Rows read: those kept plus those filtered out, in every loop. */
	scanned = (json_number_value(json_object_get(node, "Actual Rows")) +
	    json_number_value(json_object_get(node, "Rows Removed by Filter"))) *
	    json_number_value(json_object_get(node, "Actual Loops"));
	if (type != NULL && strcmp(type, "Seq Scan") == 0 && rel != NULL &&
	    scanned > SCAN_ROWS_MAX)
		snprintf(st->seqscan, sizeof(st->seqscan), "%s (%.0f rows)",
		    rel, scanned);
	json_array_foreach(kids, i, k)
		find_seqscan(k, st);
}

/* Adds one auto_explain entry (the JSON after "plan:") to pc. */
static void
add_plan(struct page_cost *pc, const char *json)
{
	json_t		*j = json_loads(json, 0, NULL), *plan;
	const char	*text;
	struct stmt	*st = NULL;
	int		 i;

	if (j == NULL)
		return;
	text = json_string_value(json_object_get(j, "Query Text"));
	plan = json_object_get(j, "Plan");
	if (text == NULL || plan == NULL) {
		json_decref(j);
		return;
	}
	for (i = 0; i < pc->n; i++)
		if (strcmp(pc->s[i].text, text) == 0)
			st = &pc->s[i];
	if (st == NULL && pc->n < MAX_STMTS) {
		st = &pc->s[pc->n++];
		memset(st, 0, sizeof(*st));
		st->text = strdup(text);
	}
	if (st != NULL) {
		double b = json_number_value(json_object_get(plan,
		    "Shared Hit Blocks")) + json_number_value(
		    json_object_get(plan, "Shared Read Blocks"));

		st->blocks += b;
		st->rows += json_number_value(json_object_get(plan,
		    "Actual Rows"));
		st->calls++;
		pc->blocks += b;
		find_seqscan(plan, st);
	}
	json_decref(j);
}

/* The plans logged from byte `from` of the log on. */
static void
read_plans(long from, struct page_cost *pc)
{
	FILE	*f = fopen(log_path(), "r");
	char	*line = NULL;
	size_t	 cap = 0;

	cr_assert_not_null(f, "no %s", log_path());
	fseek(f, from, SEEK_SET);
	while (getline(&line, &cap, f) > 0) {
		json_t		*e = json_loads(line, 0, NULL);
		const char	*msg = json_string_value(json_object_get(e,
		    "message")), *p;

		if (msg != NULL && (p = strstr(msg, "plan:\n")) != NULL)
			add_plan(pc, p + 6);
		json_decref(e);
	}
	free(line);
	fclose(f);
}

/* GETs path as the runner of token, rebuilt (a flash skips the page
 * cache), and collects what its statements cost. */
static void
page_cost(const char *token, const char *path, struct page_cost *pc)
{
	struct client	*cl = client_new();
	struct http_resp r;
	char		 cookie[256];
	const char	*h[] = { cookie, NULL };
	long		 from, size;
	int		 i;

	memset(pc, 0, sizeof(*pc));
	snprintf(cookie, sizeof(cookie), "Cookie: cadence_session=%s; "
	    "flash=plan_created", token);
	from = log_size();
	cr_assert_eq(client_req(cl, "GET", path, NULL, h, &r), 200, "%s: %ld %.300s",
	    path, r.status, buf_cstr(&r.body));
	resp_done(&r);
	client_free(cl);
	/* The logging collector writes a moment later. */
	for (i = 0, size = -1; i < 50 && size != log_size(); i++) {
		size = log_size();
		usleep(100 * 1000);
	}
	read_plans(from, pc);
}

static void
page_cost_free(struct page_cost *pc)
{
	for (int i = 0; i < pc->n; i++)
		free(pc->s[i].text);
}

struct runner {
	char	 token[65], plan[37], workout[37], user[37], activity[37];
};

static void
load_runner(const char *tag, struct runner *r)
{
	FILE	*f = fopen(env_or("SCALE_RUNNERS_FILE", ""), "r");
	char	 t[32], tok[65], plan[37];

	cr_assert_not_null(f);
	memset(r, 0, sizeof(*r));
	while (fscanf(f, "%31s %64s %36s", t, tok, plan) == 3)
		if (strcmp(t, tag) == 0) {
			snprintf(r->token, sizeof(r->token), "%s", tok);
			snprintf(r->plan, sizeof(r->plan), "%s", plan);
		}
	fclose(f);
	cr_assert_eq(strlen(r->plan), 36, "no runner %s", tag);
	snprintf(r->workout, sizeof(r->workout), "%s", db_value("SELECT id"
	    " FROM workouts WHERE training_plan_id = '%s' AND week_number = 9"
	    " ORDER BY scheduled_date, id LIMIT 1", r->plan));
	snprintf(r->user, sizeof(r->user), "%s", db_value("SELECT user_id FROM"
	    " training_plans WHERE id = '%s'", r->plan));
	snprintf(r->activity, sizeof(r->activity), "%s", db_value("SELECT id"
	    " FROM strava_activities WHERE user_id = '%s' ORDER BY"
	    " start_date_local DESC, id LIMIT 1", r->user));
}

/*
 * The job worker scores the runner's runs and stores their fitness series
 * (the seed leaves triggers off, so nothing has asked it to): what every
 * runner has once the worker saw their runs.
 */
static void
scored(const struct runner *r)
{
	int i;

	db_exec_sql("INSERT INTO jobs (kind, user_id, dedup_key) VALUES"
	    " ('fitness.rescore', '%s', '%s') ON CONFLICT DO NOTHING", r->user,
	    r->user);
	for (i = 0; i < 600 && strcmp(db_value("SELECT EXISTS (SELECT 1 FROM"
	    " fitness_days WHERE user_id = '%s') AND NOT EXISTS (SELECT 1 FROM"
	    " jobs WHERE kind = 'fitness.rescore' AND user_id = '%s' AND"
	    " state = 'waiting')", r->user, r->user), "t") != 0; i++)
		usleep(100 * 1000);
	cr_assert_eq(db_long_value("SELECT count(*) FROM activity_loads"
	    " WHERE user_id = '%s'", r->user), db_long_value("SELECT"
	    " count(*) FROM strava_activities WHERE user_id = '%s'", r->user),
	    "runner %s not scored", r->user);
}

static void
skip_unless_plan_log(void)
{
	if (*env_or("PLAN_LOG_DIR", "") == '\0')
		cr_skip_test("run by tests/integration/test_query_plans.sh");
}

TestSuite(query_plans, .init = skip_unless_plan_log, .timeout = 300);

Test(query_plans, page_cost_does_not_grow_with_history)
{
	/* The path: head, the plan's (P), a workout's (W) or an
	 * activity's (A) id, tail. */
	static const struct { const char *head; char id; const char *tail; }
	    pages[] = {
		{ "/", 0, "" }, { "/plans", 0, "" }, { "/plans/", 'P', "" },
		{ "/plans/", 'P', "/weeks/9" }, { "/plans/", 'P', "/weeks/2" },
		{ "/plans/", 'P', "/edit" }, { "/plans/", 'P', "/export.csv" },
		{ "/workouts/", 'W', "" }, { "/activities", 0, "" },
		{ "/activities?filter=matched", 0, "" },
		{ "/activities?filter=unmatched", 0, "" },
		{ "/settings", 0, "" }, { "/fitness", 0, "" },
		{ "/fitness?weeks=52", 0, "" }, { "/activities/", 'A', "" },
		{ "/plans/", 'P', "/adjust" },
	};
	struct runner	 light, deep;
	struct page_cost lc, dc;
	char		 lpath[128], dpath[128];
	size_t		 i;
	int		 k, failures = 0;

	load_runner("light", &light);
	load_runner("deep", &deep);
	scored(&light);
	scored(&deep);
	for (i = 0; i < NELEM(pages); i++) {
		char id = pages[i].id;

		snprintf(lpath, sizeof(lpath), "%s%s%s", pages[i].head,
		    id == 'P' ? light.plan : id == 'W' ? light.workout :
		    id == 'A' ? light.activity : "", pages[i].tail);
		snprintf(dpath, sizeof(dpath), "%s%s%s", pages[i].head,
		    id == 'P' ? deep.plan : id == 'W' ? deep.workout :
		    id == 'A' ? deep.activity : "", pages[i].tail);
		/* Twice: the first request of a connection prepares. */
		page_cost(light.token, lpath, &lc);
		page_cost_free(&lc);
		page_cost(light.token, lpath, &lc);
		page_cost(deep.token, dpath, &dc);
		page_cost_free(&dc);
		page_cost(deep.token, dpath, &dc);
		fprintf(stderr, "figure: %-22s %2d statements, %5.0f buffers with 30 "
		    "runs, %5.0f with 2,000\n", pages[i].tail[0] ? pages[i].tail :
		    pages[i].head, dc.n, lc.blocks, dc.blocks);
		cr_expect_gt(lc.n, 0, "%s: no statement logged", lpath);
		for (k = 0; *env_or("PLAN_VERBOSE", "") && k < dc.n; k++)
			fprintf(stderr, "  %5.0f buffers, %4.0f rows: %.150s\n",
			    dc.s[k].blocks, dc.s[k].rows, dc.s[k].text);
		if (dc.blocks > 1.5 * lc.blocks + SLACK_BLOCKS) {
			failures++;
			cr_log_error("%s reads %.0f buffers for 2,000 runs, %.0f "
			    "for 30", dpath, dc.blocks, lc.blocks);
			for (k = 0; k < dc.n; k++)
				fprintf(stderr, "  %.0f buffers, %.0f rows: %.200s\n",
				    dc.s[k].blocks, dc.s[k].rows, dc.s[k].text);
		}
		for (k = 0; k < dc.n; k++)
			if (dc.s[k].seqscan[0] != '\0') {
				failures++;
				cr_log_error("%s scans all of %s: %.200s",
				    dpath, dc.s[k].seqscan, dc.s[k].text);
			}
		page_cost_free(&lc);
		page_cost_free(&dc);
	}
	cr_assert_eq(failures, 0, "%d pages read more with more history",
	    failures);
}

/* The session token of seeded coach tag ("coach-50") into token. */
static void
load_coach(const char *tag, char token[65])
{
	FILE	*f = fopen(env_or("SCALE_RUNNERS_FILE", ""), "r");
	char	 t[32], tok[65], club[64];

	cr_assert_not_null(f);
	token[0] = '\0';
	while (fscanf(f, "%31s %64s %63s", t, tok, club) == 3)
		if (strcmp(t, tag) == 0)
			snprintf(token, 65, "%s", tok);
	fclose(f);
	cr_assert_eq(strlen(token), 64, "no coach %s", tag);
}

/*
 * Statements the roster request ran: the session's, the access check's
 * and the roster's (the job worker polls its queue into the same log).
 */
static int
calls(const struct page_cost *pc)
{
	int i, n = 0;

	for (i = 0; i < pc->n; i++)
		if (strstr(pc->s[i].text, "FROM sessions s") != NULL ||
		    strstr(pc->s[i].text, "FROM companies") != NULL ||
		    strstr(pc->s[i].text, "FROM users u") != NULL)
			n += pc->s[i].calls;
	return n;
}

/* Median seconds of n GETs of path as the runner of token. */
static double
median_seconds(const char *token, const char *path, int n)
{
	char		 cookie[256];
	const char	*h[] = { cookie, NULL };
	double		 t[32], x;
	int		 i, k;

	snprintf(cookie, sizeof(cookie), "Cookie: cadence_session=%s", token);
	for (i = 0; i < n && i < 32; i++) {
		struct client	*cl = client_new();
		struct http_resp r;

		cr_assert_eq(client_req(cl, "GET", path, NULL, h, &r), 200);
		t[i] = r.seconds;
		resp_done(&r);
		client_free(cl);
		for (k = i; k > 0 && t[k - 1] > t[k]; k--) {
			x = t[k];
			t[k] = t[k - 1];
			t[k - 1] = x;
		}
	}
	return t[n / 2];
}

/*
 * The roster costs the same statements for 5 athletes as for 50 (none
 * per athlete), reads about in proportion to the athletes and never a
 * whole table.
 */
Test(query_plans, roster_is_a_fixed_number_of_statements)
{
	char		 small[65], big[65];
	struct page_cost sc, bc;
	int		 k;

	load_coach("coach-5", small);
	load_coach("coach-50", big);
	page_cost(small, "/c/scale-club-5/", &sc);
	page_cost_free(&sc);
	page_cost(small, "/c/scale-club-5/", &sc);
	page_cost(big, "/c/scale-club-50/", &bc);
	page_cost_free(&bc);
	page_cost(big, "/c/scale-club-50/", &bc);
	fprintf(stderr, "figure: roster %d statements, %.0f buffers with 5 "
	    "athletes, %.0f with 50; median %.1f ms with 50 (through nginx)\n",
	    calls(&bc), sc.blocks, bc.blocks,
	    1000 * median_seconds(big, "/c/scale-club-50/", 21));
	for (k = 0; *env_or("PLAN_VERBOSE", "") && k < bc.n; k++)
		fprintf(stderr, "  %5.0f buffers, %4.0f rows: %.150s\n",
		    bc.s[k].blocks, bc.s[k].rows, bc.s[k].text);
	cr_expect_eq(calls(&bc), calls(&sc), "statements grow with athletes");
	cr_expect_leq(bc.blocks, 10 * 1.5 * sc.blocks + SLACK_BLOCKS,
	    "50 athletes read %.0f buffers, 5 read %.0f", bc.blocks,
	    sc.blocks);
	for (k = 0; k < bc.n; k++)
		cr_expect(bc.s[k].seqscan[0] == '\0', "roster scans all of %s:"
		    " %.200s", bc.s[k].seqscan, bc.s[k].text);
	page_cost_free(&sc);
	page_cost_free(&bc);
}
