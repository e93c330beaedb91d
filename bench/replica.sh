#!/usr/bin/env bash
# Read throughput with and without the read replica (DATABASE_READ_URL,
# app/db/replica.c; docs/scaling.md).  In one run:
#   - seeds SCALE_RUNNERS runners (default 300) as bench/scale.sh does
#     (bench/scale_seed.sql: a session, a 16-week plan, a year of runs each);
#   - makes a real streaming replica of the environment's PostgreSQL
#     (pg_basebackup -R, as tests/integration/test_scaling.sh part 3);
#   - (a) the pool reading the primary only, (b) the same pool restarted
#     with DATABASE_READ_URL pointing at the replica: the calendar and the
#     week page, a different runner every request, rebuilt every time (a
#     flash cookie: no page cache serves it, every page is read from the
#     database), wrk at BENCH_CONNECTIONS (32) for BENCH_SECONDS (10) each,
#     after BENCH_WARMUP seconds (2) of the same load, not counted.
# Prints req/s and p99 for each, and the pool's statement counters from
# /metrics (cadence_db_statements_total, primary and replica) before and
# after each load, to show where the reads went.  It prints figures; it
# asserts no speed.
#
# On one machine the replica shares the primary's cores: the figure is the
# routing's cost, not added capacity (docs/scaling.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${SCALE_RUNNERS:-300}
WARMUP=${BENCH_WARMUP:-2}
t_start=$(date +%s.%N)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
bench_env_up
t_env=$(since "$t_start")
R=$BENCH_ENV/replica

cleanup() {
    if [ -f "$R/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$R/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    env_down "$BENCH_ENV"     # nginx, the pool (cadence.pid), the primary
    rm -rf "$BENCH_ENV"
}
trap cleanup EXIT
trap 'exit 130' INT TERM      # so that the EXIT trap cleans up

# ---- data ----------------------------------------------------------------------
t0=$(date +%s.%N)
RUNNERS=$BENCH_ENV/runners.txt
"$PG_BIN/psql" -h "$BENCH_ENV/pg/run" -U postgres -d cadence -qAt -F ' ' \
    -v n="$N" -c "SET session_replication_role = replica" \
    -f bench/scale_seed.sql | tr "\t" " " >"$RUNNERS" || die "seeding failed"
counts=$($PSQL -c "SELECT (SELECT count(*) FROM users) || ' runners, ' ||
    (SELECT count(*) FROM workouts) || ' workouts, ' ||
    (SELECT count(*) FROM strava_activities) || ' runs'")
$PSQL -c "ANALYZE" >/dev/null 2>&1 || true
t_seed=$(since "$t0")
t0=$(date +%s.%N)

# ---- the replica (after the seeding: the base backup holds the data) ---------
# -c fast: an immediate checkpoint (a spread one waits minutes after the seed).
mkdir -p "$R"; [ "$(id -u)" -eq 0 ] && chown postgres "$R"
as_pg "$PG_BIN/pg_basebackup" -h "$BENCH_ENV/pg/run" -U postgres -D "$R/data" -R -X stream -c fast \
    >"$BENCH_ENV/basebackup.log" 2>&1 || { cat "$BENCH_ENV/basebackup.log" >&2; die "pg_basebackup failed"; }
as_pg mkdir -p "$R/run"
cat >>"$R/data/postgresql.conf" <<CONF
unix_socket_directories = '$R/run'
hot_standby = on
CONF
as_pg "$PG_BIN/pg_ctl" -D "$R/data" -l "$R/postgres.log" -w -t 30 start >/dev/null ||
    { tail -n 20 "$R/postgres.log" >&2; die "the replica did not start"; }
RPSQL="$PG_BIN/psql -h $R/run -U postgres -d cadence -qAt"
[ "$($RPSQL -c 'SELECT pg_is_in_recovery()')" = t ] || die "the replica is not a standby"
want=$($PSQL -c "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 100); do
    [ "$($RPSQL -c "SELECT pg_last_wal_replay_lsn() >= '$want'")" = t ] && break
    sleep 0.1
done
[ "$($RPSQL -c "SELECT pg_last_wal_replay_lsn() >= '$want'")" = t ] || die "the replica did not catch up"
echo "replica: environment up in $t_env s; seeded $counts in $t_seed s; a streaming replica made (pg_basebackup) and caught up in $(since "$t0") s"

# ---- helpers ----------------------------------------------------------------------
one_tok=$(awk '$1 == "1" {print $2}' "$RUNNERS")
one_plan=$(awk '$1 == "1" {print $3}' "$RUNNERS")
# /metrics from 127.0.0.1 (nginx passes the client's address).
metric() { curl -s "$CADENCE_URL/metrics" | awk -v m="cadence_db_statements_total{server=\"$1\"}" '$1 == m { print $2 }'; }
# restart_pool [ENV=VALUE...]: the environment's pool stopped and started
# again as env_up starts it, with the extra environment given.
restart_pool() {
    kill -TERM "$CADENCE_MASTER_PID" 2>/dev/null || true
    while kill -0 "$CADENCE_MASTER_PID" 2>/dev/null; do sleep 0.1; done
    rm -f "$CADENCE_SOCKET"
    env "$@" CADENCE_LOG_LEVEL=warn "$BUILD/cadence" serve >>"$CADENCE_LOG_FILE" 2>&1 &
    CADENCE_MASTER_PID=$!
    echo "$CADENCE_MASTER_PID" >"$BENCH_ENV/cadence.pid"     # env_down stops this one
    wait_file "$CADENCE_SOCKET" 15 || { tail -n 20 "$CADENCE_LOG_FILE" >&2; die "the pool did not start"; }
    wait_http "$CADENCE_URL/livez" 15 || die "the pool does not answer"
    for p in "/plans/$one_plan" "/plans/$one_plan/weeks/9"; do
        s=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: cadence_session=$one_tok" "$CADENCE_URL$p")
        [ "$s" = 200 ] || die "$p answered $s"
    done
}

export SCALE_RUNNERS=$RUNNERS SCALE_REBUILD=1
declare -A rps p99 stmts
# measure CONFIG: both pages, warm-up first; counters around each measured load.
measure() {
    for page in calendar week; do
        SCALE_PAGE=$page BENCH_SECONDS=$WARMUP wrk_run "$CADENCE_URL/" -s bench/scale.lua
        p0=$(metric primary); r0=$(metric replica)
        SCALE_PAGE=$page wrk_run "$CADENCE_URL/" -s bench/scale.lua
        p1=$(metric primary); r1=$(metric replica)
        [ "$ERRS" = 0 ] || die "$1 $page: $ERRS non-2xx answers"
        rps[$1-$page]=$RPS p99[$1-$page]=$P99
        stmts[$1-$page]="primary ${p0:-0} -> ${p1:-0} (+$(( ${p1:-0} - ${p0:-0} ))), replica ${r0:-0} -> ${r1:-0} (+$(( ${r1:-0} - ${r0:-0} )))"
    done
}

# (a) the primary only: the pool restarted too, so both start alike.
restart_pool
measure primary
# (b) the same pool with the replica for reads.
restart_pool DATABASE_READ_URL="postgresql:///cadence?host=$R/run&user=cadence"
measure replica

for page in calendar week; do
    for c in primary replica; do
        awk -v p="$page" -v c="$c" -v r="${rps[$c-$page]}" -v l="${p99[$c-$page]}" -v s="${stmts[$c-$page]}" 'BEGIN {
            printf "replica: %-8s rebuilt, different runner, %-12s %6.0f req/s p99 %6.1f ms; statements %s\n",
                p, (c == "primary" ? "primary only:" : "with replica:"), r, l, s }'
    done
    awk -v p="$page" -v a="${rps[primary-$page]}" -v b="${rps[replica-$page]}" 'BEGIN {
        printf "replica: %-8s with replica / primary only: %.2f\n", p, b / a }'
done
awk -v n="$N" -v c="$BENCH_CONNECTIONS" -v d="$BENCH_SECONDS" -v w="$WARMUP" -v t0="$t_start" -v t1="$(date +%s.%N)" \
    -v l0="$load0" -v l1="$(cut -d' ' -f1-3 /proc/loadavg)" -v cpu="$(nproc)" 'BEGIN {
    printf "replica: (%d runners; wrk, %d connections, %ss per load after %ss of warm-up; %.0f s in all;\n", n, c, d, w, t1 - t0
    printf "replica:  %d cores shared by wrk, nginx, the pool, the primary and the replica; load average %s before, %s after)\n", cpu, l0, l1 }'
