/*
 * GET /metrics: see metrics.h.  Names follow Prometheus conventions
 * (base units: seconds; counters end in _total).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <string.h>

#include "core/config.h"
#include "core/util.h"
#include "db/db.h"
#include "db/jobs.h"
#include "db/mail.h"
#include "db/strava_app.h"
#include "db/webhooks.h"
#include "pages/metrics.h"
#include "pages/pages.h"
#include "view/view.h"
#include "web/router.h"
#include "web/scoreboard.h"

#define STATUS_CLASSES	6	/* route_metrics.status[1..5] */

/* Every reason strava_webhook_intake() counts, shown also while 0. */
static const char *const drop_reasons[] = { "foreign_subscription",
    "duplicate", "athlete_limit", "global_limit", "unknown_limit" };

static const char *const kind_label[CHILD__MAX] = { "web", "job" };

bool
metrics_remote_allowed(const char *addr)
{
	struct in_addr	v4;
	struct in6_addr	v6;

	if (addr == NULL)
		return false;
	if (inet_pton(AF_INET, addr, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;	/* 127.0.0.0/8 */
	if (inet_pton(AF_INET6, addr, &v6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&v6))
		return true;
	/* ::ffff:127.x.y.z, as a dual-stack listener reports IPv4 clients. */
	return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

static void
family(buf_t *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with \, " and newline escaped as the format requires. */
static void
label_value(buf_t *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_putc(out, '\\');
		if (*v == '\n')
			buf_puts(out, "\\n");
		else
			buf_putc(out, *v);
	}
}

static void
add_metrics(struct route_metrics *to, const struct route_metrics *from)
{
	size_t k;

	for (k = 0; k < STATUS_CLASSES; k++)
		to->status[k] += from->status[k];
	for (k = 0; k < METRIC_BUCKETS; k++)
		to->buckets[k] += from->buckets[k];
	to->sum_ms += from->sum_ms;
}

static const char *
route_label(const struct route *table, size_t ntable, size_t i)
{
	return i < ntable && i < METRIC_ROUTES - 1 ? table[i].name :
	    METRICS_UNMATCHED;
}

/*
 * Totals per route over live slots and the retired totals; a route whose
 * name repeats an earlier entry's is folded into it (one series a name).
 */
static void
sum_routes(const struct scoreboard *sb, const struct route *table,
    size_t ntable, struct route_metrics agg[METRIC_ROUTES],
    bool keep[METRIC_ROUTES])
{
	size_t i, j;
	int s;

	memset(agg, 0, sizeof(struct route_metrics) * METRIC_ROUTES);
	for (i = 0; i < METRIC_ROUTES; i++) {
		add_metrics(&agg[i], &sb->retired[i]);
		for (s = 0; s < SCOREBOARD_SLOTS; s++)
			add_metrics(&agg[i], &sb->slots[s].metrics[i]);
		keep[i] = false;	/* past the table: never used */
	}
	keep[METRIC_ROUTES - 1] = true;
	for (i = 0; i < ntable && i < METRIC_ROUTES - 1; i++) {
		for (j = 0; j < i && strcmp(table[j].name, table[i].name); j++)
			;
		keep[i] = j == i;
		if (j < i)
			add_metrics(&agg[j], &agg[i]);
	}
}

static uint64_t
request_count(const struct route_metrics *m)
{
	uint64_t n = 0;
	size_t k;

	for (k = 0; k < METRIC_BUCKETS; k++)
		n += m->buckets[k];
	return n;
}

static void
write_requests(buf_t *out, const struct route *table, size_t ntable,
    const struct route_metrics *agg, const bool *keep)
{
	size_t i, k;

	family(out, "cadence_http_requests_total", "counter",
	    "Requests served, by route and status class.");
	for (i = 0; i < METRIC_ROUTES; i++) {
		for (k = 1; keep[i] && k < STATUS_CLASSES; k++) {
			if (agg[i].status[k] == 0)
				continue;
			buf_puts(out, "cadence_http_requests_total{route=\"");
			label_value(out, route_label(table, ntable, i));
			buf_printf(out, "\",code=\"%zuxx\"} %llu\n", k,
			    (unsigned long long)agg[i].status[k]);
		}
	}
}

static void
write_latency(buf_t *out, const struct route *table, size_t ntable,
    const struct route_metrics *agg, const bool *keep)
{
	static const char name[] = "cadence_http_request_duration_seconds";
	uint64_t	 cum;
	size_t		 i, b;

	family(out, name, "histogram", "Time to serve a request, by route.");
	for (i = 0; i < METRIC_ROUTES; i++) {
		if (!keep[i] || request_count(&agg[i]) == 0)
			continue;
		for (cum = 0, b = 0; b < METRIC_BUCKETS; b++) {
			cum += agg[i].buckets[b];
			buf_printf(out, "%s_bucket{route=\"", name);
			label_value(out, route_label(table, ntable, i));
			if (b == METRIC_BUCKETS - 1)
				buf_puts(out, "\",le=\"+Inf\"}");
			else
				buf_printf(out, "\",le=\"%g\"}",
				    metric_bucket_ms[b] / 1000.0);
			buf_printf(out, " %llu\n", (unsigned long long)cum);
		}
		buf_printf(out, "%s_sum{route=\"", name);
		label_value(out, route_label(table, ntable, i));
		buf_printf(out, "\"} %.6f\n", agg[i].sum_ms / 1000.0);
		buf_printf(out, "%s_count{route=\"", name);
		label_value(out, route_label(table, ntable, i));
		buf_printf(out, "\"} %llu\n", (unsigned long long)cum);
	}
}

/* Statements by server, with a replica (db/replica.c). */
static void
write_db_statements(buf_t *out, const struct scoreboard *sb)
{
	uint64_t	t[3] = { sb->retired_db[0], sb->retired_db[1],
			    sb->retired_db[2] };
	int		s;

	for (s = 0; s < SCOREBOARD_SLOTS; s++) {
		const struct slot *sl = &sb->slots[s];

		if (sl->pid == 0)
			continue;
		t[0] += sl->db_replica;
		t[1] += sl->db_primary;
		t[2] += sl->db_fallbacks;
	}
	family(out, "cadence_db_statements_total", "counter",
	    "Database statements of web workers, by the server that ran them.");
	buf_printf(out, "cadence_db_statements_total{server=\"replica\"} %llu\n"
	    "cadence_db_statements_total{server=\"primary\"} %llu\n",
	    (unsigned long long)t[0], (unsigned long long)t[1]);
	family(out, "cadence_db_replica_fallbacks_total", "counter",
	    "Page reads the primary answered because the replica was down, "
	    "behind or had not replayed the runner's last write.");
	buf_printf(out, "cadence_db_replica_fallbacks_total %llu\n",
	    (unsigned long long)t[2]);
}

static void
write_workers(buf_t *out, const struct scoreboard *sb,
    const struct config *cfg)
{
	int	 live[CHILD__MAX] = { 0 }, busy[CHILD__MAX] = { 0 };
	int	 s, k;

	for (s = 0; s < SCOREBOARD_SLOTS; s++) {
		const struct slot *sl = &sb->slots[s];

		if (sl->pid == 0 || sl->kind < 0 || sl->kind >= CHILD__MAX)
			continue;
		live[sl->kind]++;
		busy[sl->kind] += sl->busy != 0;
	}
	family(out, "cadence_workers", "gauge",
	    "Worker processes alive, by kind.");
	for (k = 0; k < CHILD__MAX; k++)
		buf_printf(out, "cadence_workers{kind=\"%s\"} %d\n",
		    kind_label[k], live[k]);
	family(out, "cadence_workers_busy", "gauge",
	    "Workers serving a request or processing an event, by kind.");
	for (k = 0; k < CHILD__MAX; k++)
		buf_printf(out, "cadence_workers_busy{kind=\"%s\"} %d\n",
		    kind_label[k], busy[k]);
	if (cfg != NULL) {
		family(out, "cadence_workers_configured", "gauge",
		    "Worker processes the pool keeps running, by kind.");
		buf_printf(out, "cadence_workers_configured{kind=\"web\"} %d\n"
		    "cadence_workers_configured{kind=\"job\"} %d\n",
		    cfg->workers, cfg->job_workers);
	}
	family(out, "cadence_worker_deaths_total", "counter",
	    "Workers that died (signal or error exit) outside a stop.");
	buf_printf(out, "cadence_worker_deaths_total %llu\n",
	    (unsigned long long)sb->worker_deaths);
	write_db_statements(out, sb);
	family(out, "cadence_worker_kills_total", "counter",
	    "Workers the master killed for outliving the request deadline.");
	buf_printf(out, "cadence_worker_kills_total %llu\n",
	    (unsigned long long)sb->worker_kills);
}

void
metrics_write_pool(buf_t *out, const struct scoreboard *sb,
    const struct route *table, size_t ntable, const struct config *cfg)
{
	struct route_metrics	agg[METRIC_ROUTES];
	bool			keep[METRIC_ROUTES];

	sum_routes(sb, table, ntable, agg, keep);
	write_requests(out, table, ntable, agg, keep);
	write_latency(out, table, ntable, agg, keep);
	write_workers(out, sb, cfg);
}

void
metrics_write_spool(buf_t *out, const char *dir)
{
	DIR		*d = dir[0] != '\0' ? opendir(dir) : NULL;
	struct dirent	*e;
	long		 n = 0, bad = 0;
	size_t		 len;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')	/* also ".ID.tmp" being written */
			continue;
		len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			n++;
		else if (len > 4 && strcmp(e->d_name + len - 4, ".bad") == 0)
			bad++;
	}
	if (d != NULL)
		closedir(d);
	family(out, "cadence_spool_files", "gauge",
	    "Webhook events spooled on this host, waiting for the database.");
	buf_printf(out, "cadence_spool_files %ld\n", n);
	family(out, "cadence_spool_quarantined_files", "gauge",
	    "Spooled events the database refused (ID.bad), kept for a look.");
	buf_printf(out, "cadence_spool_quarantined_files %ld\n", bad);
}

/* Returns false when the database could not tell. */
static bool
write_queue(buf_t *out, struct db *db)
{
	struct db_webhook_counts c;

	if (db_webhooks_counts(db, false, &c) == -1)
		return false;
	family(out, "cadence_webhook_queue_pending", "gauge",
	    "Webhook events waiting to be processed (not failed).");
	buf_printf(out, "cadence_webhook_queue_pending %ld\n", c.pending);
	family(out, "cadence_webhook_events_failed", "gauge",
	    "Webhook events that ran out of attempts (cadence events).");
	buf_printf(out, "cadence_webhook_events_failed %ld\n", c.failed);
	family(out, "cadence_webhook_queue_oldest_seconds", "gauge",
	    "Age of the oldest pending webhook event (0: none).");
	buf_printf(out, "cadence_webhook_queue_oldest_seconds %.3f\n",
	    c.oldest_s);
	return true;
}

/* The job queue's waiting and failed jobs, by kind (jobs/jobs.h). */
static void
write_jobs(buf_t *out, struct request *req)
{
	struct jobs_count	*c;
	int			 i, n;

	if ((n = db_jobs_counts(req->db, req->arena, &c)) < 0)
		return;
	family(out, "cadence_jobs_waiting", "gauge",
	    "Jobs waiting to run (due now or later), by kind.");
	for (i = 0; i < n; i++) {
		buf_puts(out, "cadence_jobs_waiting{kind=\"");
		label_value(out, c[i].kind);
		buf_printf(out, "\"} %ld\n", c[i].waiting);
	}
	family(out, "cadence_jobs_failed", "gauge",
	    "Jobs that ran out of attempts, by kind.");
	for (i = 0; i < n; i++) {
		buf_puts(out, "cadence_jobs_failed{kind=\"");
		label_value(out, c[i].kind);
		buf_printf(out, "\"} %ld\n", c[i].failed);
	}
}

/* Mail waiting to go out: an unreachable SMTP server shows here. */
static void
write_mail(buf_t *out, struct request *req)
{
	struct mail_queue_stats s;

	if (db_mail_queue_stats(req->db, &s) == -1)
		return;
	family(out, "cadence_mail_queued", "gauge",
	    "Mails queued and not sent yet (mail.send jobs).");
	buf_printf(out, "cadence_mail_queued %ld\n", s.waiting);
	family(out, "cadence_mail_retrying", "gauge",
	    "Queued mails tried at least once and not sent (SMTP trouble).");
	buf_printf(out, "cadence_mail_retrying %ld\n", s.retrying);
	family(out, "cadence_mail_oldest_seconds", "gauge",
	    "Age of the oldest queued mail.");
	buf_printf(out, "cadence_mail_oldest_seconds %.0f\n", s.oldest_s);
	family(out, "cadence_mail_failed", "gauge",
	    "Mails the SMTP server refused for good (5xx).");
	buf_printf(out, "cadence_mail_failed %ld\n", s.failed);
}

static void
rate_pair(buf_t *out, const char *metric, const struct db_strava_rate *r,
    enum db_rate_value first, const char *scope)
{
	static const char *const window[2] = { "15min", "daily" };
	int w;

	for (w = 0; w < 2; w++)
		if (r->known[first + w])
			buf_printf(out, "%s{scope=\"%s\",window=\"%s\"} %ld\n",
			    metric, scope, window[w], r->v[first + w]);
}

static void
write_dropped(buf_t *out, struct request *req)
{
	struct db_webhook_dropped	*d;
	long				 n;
	size_t				 k;
	int				 i, nd;

	if ((nd = db_webhooks_dropped(req->db, req->arena, &d)) == -1)
		return;
	family(out, "cadence_webhook_events_dropped_total", "counter",
	    "Webhook events answered 200 but not taken, by reason: another "
	    "subscription, a duplicate, over an intake limit.");
	for (k = 0; k < NELEM(drop_reasons); k++) {
		n = 0;
		for (i = 0; i < nd; i++)
			if (strcmp(d[i].reason, drop_reasons[k]) == 0)
				n = d[i].n;
		buf_printf(out, "cadence_webhook_events_dropped_total"
		    "{reason=\"%s\"} %ld\n", drop_reasons[k], n);
	}
}

/* Nothing until Strava has answered once (the limits are NULL till then). */
static void
write_rate_limit(buf_t *out, struct db *db)
{
	struct db_strava_rate r;

	if (db_strava_rate_now(db, &r) != 1)
		return;
	if (r.known[DB_RATE_LIMIT_15]) {
		family(out, "cadence_strava_rate_limit", "gauge",
		    "Strava API requests allowed per window (last reported).");
		rate_pair(out, "cadence_strava_rate_limit", &r,
		    DB_RATE_LIMIT_15, "overall");
		rate_pair(out, "cadence_strava_rate_limit", &r,
		    DB_RATE_READ_LIMIT_15, "read");
		family(out, "cadence_strava_rate_usage", "gauge",
		    "Strava API requests used in the current window.");
		rate_pair(out, "cadence_strava_rate_usage", &r,
		    DB_RATE_USAGE_15, "overall");
		rate_pair(out, "cadence_strava_rate_usage", &r,
		    DB_RATE_READ_USAGE_15, "read");
	}
	family(out, "cadence_strava_throttled_total", "counter",
	    "Strava answers of 429 Too Many Requests.");
	buf_printf(out, "cadence_strava_throttled_total %ld\n", r.throttled);
}

int
page_metrics(struct request *req, struct response *res)
{
	struct scoreboard	*sb = scoreboard_current();
	buf_t			 dbpart = BUF_INIT;
	size_t			 ntable;
	const struct route	*table = router_table(&ntable);
	bool			 up;

	if (!metrics_remote_allowed(req->remote_addr)) {
		view_error(req, res, 404, NULL);	/* as if absent */
		return 0;
	}
	resp_text(res, 200, "");
	res->content_type = METRICS_CONTENT_TYPE;
	res->no_store = true;
	if (sb != NULL)
		metrics_write_pool(&res->body, sb, table, ntable, req->cfg);
	metrics_write_spool(&res->body, req->cfg->spool_dir);
	up = req->db != NULL && db_ready(req->db);
	if (up && write_queue(&dbpart, req->db)) {
		write_dropped(&dbpart, req);
		write_rate_limit(&dbpart, req->db);
	}
	if (up) {
		write_jobs(&dbpart, req);
		write_mail(&dbpart, req);
	}
	/* Families must not interleave: this one first, its queries after. */
	family(&res->body, "cadence_database_up", "gauge",
	    "1 if this worker reached PostgreSQL for this scrape.");
	buf_printf(&res->body, "cadence_database_up %d\n",
	    up && !db_down(req->db));
	buf_add(&res->body, buf_cstr(&dbpart), dbpart.len);
	buf_free(&dbpart);
	return 0;
}
