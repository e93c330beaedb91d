/*
 * metrics: GET /metrics, the pool's figures in the Prometheus text
 * exposition format 0.0.4, for a scraper on the same host.
 *
 * What comes from where:
 *   - the shared-memory scoreboard (web/scoreboard.h): requests by route
 *     and status class, the latency histogram per route, workers alive and
 *     busy, worker deaths and kills;
 *   - the spool directory: webhook events waiting for the database;
 *   - PostgreSQL (when reachable): the webhook queue and the Strava
 *     rate-limit budget, which every host shares.
 * The scoreboard figures are served even while the database is down
 * (the route is ROUTE_DB_OPTIONAL), with cadence_database_up 0.
 *
 * Only loopback clients get an answer; anyone else gets the ordinary 404
 * (nginx refuses them first; this is the second lock).
 */
#ifndef CADENCE_METRICS_H
#define CADENCE_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
/* Route label of requests no route matched (404/405, table overflow). */
#define METRICS_UNMATCHED	"unmatched"

struct config;
struct route;
struct scoreboard;

/* True if REMOTE_ADDR is an IPv4/IPv6 loopback address (NULL: false). */
bool	metrics_remote_allowed(const char *remote_addr);
/*
 * Appends the scoreboard's metric families: requests, latency histogram
 * (cumulative buckets in seconds), worker gauges and counters.  table is
 * the route table whose positions index the scoreboard's metrics; cfg
 * (may be NULL) gives the configured worker counts.
 */
void	metrics_write_pool(buf_t *out, const struct scoreboard *,
	    const struct route *table, size_t ntable,
	    const struct config *cfg);
/* Appends cadence_spool_files: *.json files in dir (0 if it is missing). */
void	metrics_write_spool(buf_t *out, const char *dir);

#endif
