#include <errno.h>
#include <fcgiapp.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "server/dispatch.h"
#include "server/routes.h"
#include "web/router.h"
#include "server/worker.h"

static volatile sig_atomic_t	 stop_requested;
static struct slot		*my_slot;
static arena_t			*json_arena;	/* the request's, while serving */

/*
 * While a request is served, Jansson allocates from its arena and frees
 * nothing: a page builds thousands of small JSON values, and malloc/free
 * were a quarter of a rebuilt calendar's CPU.  JSON never outlives its
 * request (pages decref what they build; no JSON is kept across
 * requests), and text Jansson returns must not be free()d: use
 * json_dump_callback into a buffer instead of json_dumps.
 */
static void *
json_arena_malloc(size_t n)
{
	return arena_alloc_uninit(json_arena, n);
}

static void
json_arena_free(void *p)
{
	(void)p;
}

static void
on_term(int sig)
{
	stop_requested = 1;
	FCGX_ShutdownPending();
}

/*
 * The request outlived its deadline: say which route (async-signal-safe
 * calls only) and end the process; the master starts a fresh worker and
 * nginx answers the client with its 502 page.
 */
static void
on_alarm(int sig)
{
	char	 msg[128] = "cadence: request deadline exceeded in route ";
	size_t	 n = strlen(msg), i;

	for (i = 0; my_slot != NULL && my_slot->route[i] != '\0' &&
	    n < sizeof(msg) - 2; i++)
		msg[n++] = my_slot->route[i];
	msg[n++] = '\n';
	(void)!write(STDERR_FILENO, msg, n);
	_exit(EXIT_DEADLINE);
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;	/* no SA_RESTART: accept() must wake */
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);	/* the master decides how to stop */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
}

static void
block_term(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static const char *
param(FCGX_Request *fr, const char *name)
{
	return FCGX_GetParam(name, fr->envp);
}

/* Reads the body; 0 ok, 413 too large, 400 short or bad length. */
static int
read_body(FCGX_Request *fr, struct request *req, int max_body)
{
	const char	*cl = param(fr, "CONTENT_LENGTH");
	int64_t		 len = 0;
	char		*body;
	int		 got, want;
	size_t		 total = 0;

	req->body = "";
	req->body_len = 0;
	if (cl == NULL || *cl == '\0')
		return 0;
	if (!parse_int64(cl, 0, INT64_MAX, &len))
		return 400;
	if (len > max_body)
		return 413;
	body = arena_alloc(req->arena, (size_t)len + 1);
	while (total < (size_t)len) {
		want = (int)((size_t)len - total);
		got = FCGX_GetStr(body + total, want, fr->in);
		if (got <= 0)
			return 400;
		total += (size_t)got;
	}
	body[total] = '\0';
	req->body = body;
	req->body_len = total;
	return 0;
}

static void
fill_request(FCGX_Request *fr, struct request *req)
{
	const char *v;

	req->method = (v = param(fr, "REQUEST_METHOD")) ? v : "GET";
	req->head = strcmp(req->method, "HEAD") == 0;
	if ((v = param(fr, "DOCUMENT_URI")) == NULL || *v == '\0')
		v = param(fr, "SCRIPT_NAME");
	req->path = v && *v ? v : "/";
	req->query_string = (v = param(fr, "QUERY_STRING")) ? v : "";
	req->remote_addr = param(fr, "REMOTE_ADDR");
	req->host = param(fr, "HTTP_HOST");
	req->origin = param(fr, "HTTP_ORIGIN");
	req->sec_fetch_site = param(fr, "HTTP_SEC_FETCH_SITE");
	req->content_type = param(fr, "CONTENT_TYPE");
	req->user_agent = param(fr, "HTTP_USER_AGENT");
	form_parse_cookies(req->arena, (v = param(fr, "HTTP_COOKIE")) ? v : "",
	    &req->cookies);
}

static void
record_metrics(struct slot *s, const struct request *req, int status,
    double ms)
{
	size_t			 idx = METRIC_ROUTES - 1, b;
	struct route_metrics	*m;

	if (req->route != NULL && (size_t)(req->route - routes) <
	    METRIC_ROUTES - 1)
		idx = (size_t)(req->route - routes);
	m = &s->metrics[idx];
	if (status >= 100 && status < 600)
		m->status[status / 100]++;
	for (b = 0; b < METRIC_BUCKETS && ms > metric_bucket_ms[b]; b++)
		;
	m->buckets[b < METRIC_BUCKETS ? b : METRIC_BUCKETS - 1]++;
	m->sum_ms += ms;
	s->requests++;
}

static void
note_route(const char *name)
{
	snprintf(my_slot->route, sizeof(my_slot->route), "%s", name);
}

/* A kept response body larger than this is given back after the request. */
#define BODY_KEEP_MAX	(1024 * 1024)

/*
 * out and body live across requests, so a steady worker reuses their
 * memory instead of growing two buffers for every page.
 */
static void
serve_one(FCGX_Request *fr, const struct config *cfg, struct db *db,
    arena_t *arena, buf_t *out, buf_t *body)
{
	struct request	 req;
	struct response	 res;
	double		 t0 = monotonic_now(), ms;
	int		 bad;

	memset(&req, 0, sizeof(req));
	req.arena = arena;
	req.cfg = cfg;
	req.db = db;
	req.on_route = note_route;
	resp_init(&res);
	res.body = *body;
	buf_reset(&res.body);
	fill_request(fr, &req);
	snprintf(my_slot->route, sizeof(my_slot->route), "%s", "?");
	if (!utf8_text_ok(req.path, strlen(req.path), false)) {
		req.db = NULL;
		resp_text(&res, 400, "Bad Request: the address contains "
		    "characters that are not allowed.\n");
	} else if ((bad = read_body(fr, &req, cfg->max_body >
	    UPLOAD_MAX_REQUEST ? cfg->max_body : UPLOAD_MAX_REQUEST)) != 0) {
		req.db = NULL;
		resp_text(&res, bad, bad == 413 ? "Payload Too Large: that "
		    "was more data than Cadence accepts at once.\n" :
		    "Bad Request: the request body was incomplete.\n");
	} else
		dispatch(&req, &res);
	buf_reset(out);
	resp_head(&req, &res, out);
	FCGX_PutStr(out->data, (int)out->len, fr->out);
	if (!req.head && res.body.len > 0)
		FCGX_PutStr(res.body.data, (int)res.body.len, fr->out);
	ms = (monotonic_now() - t0) * 1000.0;
	/* One line per request: no query string, no cookies, no body. */
	log_info("%s %s %d %.1fms route=%s", req.method, req.path, res.status,
	    ms, req.route ? req.route->name : "-");
	record_metrics(my_slot, &req, res.status, ms);
	if (res.body.cap > BODY_KEEP_MAX)
		buf_free(&res.body);
	*body = res.body;
}

int
worker_main(const struct config *cfg, struct scoreboard *sb, int slot,
    int listen_fd)
{
	FCGX_Request	 fr;
	struct db	*db;
	arena_t		 arena;
	buf_t		 out = BUF_INIT, body = BUF_INIT;
	long		 served = 0;

	my_slot = &sb->slots[slot];
	scoreboard_set_current(sb);	/* for /metrics (pages/metrics.c) */
	install_signals();
	FCGX_Init();
	if (FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("worker: cannot initialise FastCGI");
		return 1;
	}
	db = db_new(cfg->database_url);
	if (cfg->database_read_url[0] != '\0')
		db_set_replica(db, cfg->database_read_url, cfg->replica_max_lag);
	arena_init(&arena);
	my_slot->ready = 1;	/* from here a death is not a start-up crash */
	while (!stop_requested) {
		block_term(false);
		if (stop_requested || FCGX_Accept_r(&fr) < 0) {
			block_term(true);
			break;
		}
		block_term(true);	/* a request in flight always finishes */
		/* The start time first: the master reads both, and must never
		 * see busy with an old request's start time (kill_stuck). */
		my_slot->started = monotonic_now();
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		my_slot->busy = 1;
		alarm((unsigned)cfg->request_timeout);
		json_arena = &arena;
		json_set_alloc_funcs(json_arena_malloc, json_arena_free);
		serve_one(&fr, cfg, db, &arena, &out, &body);
		json_set_alloc_funcs(malloc, free);
		my_slot->db_replica = db_stats(db)->replica_reads;
		my_slot->db_primary = db_stats(db)->primary_statements;
		my_slot->db_fallbacks = db_stats(db)->replica_fallbacks;
		FCGX_Finish_r(&fr);
		alarm(0);
		my_slot->busy = 0;
		arena_reset(&arena);
		if (cfg->max_requests > 0 && ++served >= cfg->max_requests)
			break;
	}
	FCGX_Free(&fr, 0);
	arena_free(&arena);
	buf_free(&out);
	buf_free(&body);
	db_free(db);
	return 0;
}
