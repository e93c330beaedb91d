#!/usr/bin/env bash
# How fast POST /strava/webhook acknowledges events: wrk posts valid events
# through nginx and the pool into a fresh environment (PostgreSQL, pool,
# job worker, nginx); prints acknowledgements/s and p99, then how long the
# job worker took to drain the queue.
#   BENCH_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_FSYNC=on (PostgreSQL
#   fsync on; the test environment runs with fsync off).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bench_env_up

pg_admin() { as_pg "$PG_BIN/psql" -h "$BENCH_ENV/pg/run" -U postgres -d cadence -qAt -c "$1"; }
pg_count() { $PSQL -c "$1"; }
if [ "${BENCH_FSYNC:-off}" = on ]; then
    pg_admin "ALTER SYSTEM SET fsync = on" >/dev/null
    pg_admin "SELECT pg_reload_conf()" >/dev/null
fi
fsync=$(pg_admin "SHOW fsync")

# The store path is measured, not the intake limits (events of an unknown
# athlete over unknown_limit are acknowledged and dropped, which is cheaper).
pg_count "UPDATE strava_webhook_settings SET unknown_limit = 100000000" >/dev/null
before=$(pg_count "SELECT count(*) FROM strava_webhook_events")
wrk_run "$CADENCE_URL/strava/webhook" -s "$ROOT/bench/webhook_ack.lua"
t0=$(date +%s.%N)
stored=$(( $(pg_count "SELECT count(*) FROM strava_webhook_events") - before ))
n=0
while [ "$(pg_count "SELECT count(*) FROM strava_webhook_events WHERE NOT processed")" != 0 ] && [ $n -lt 600 ]; do
    sleep 0.1; n=$((n + 1))
done
drain=$(echo "$(date +%s.%N) - $t0" | bc)
left=$(pg_count "SELECT count(*) FROM strava_webhook_events WHERE NOT processed")

awk -v r="$RPS" -v p="$P99" -v c="$BENCH_CONNECTIONS" -v d="$BENCH_SECONDS" \
    -v e="$ERRS" -v s="$stored" -v f="$fsync" -v dr="$drain" -v l="$left" 'BEGIN {
    printf "webhook ack: %.0f req/s, p99 %.2f ms (wrk, %d connections, %ss, non-2xx %d, PostgreSQL fsync %s); %d events stored, queue drained %.1f s after the load ended (%d left)\n",
        r, p, c, d, e, f, s, dr, l }'
[ "$ERRS" = 0 ] && [ "$left" = 0 ]
