#!/usr/bin/env bash
# `make test`: the whole suite.
#   1. unit tests (Criterion, pure logic, the Mustache spec);
#   2. every template rendered with its sample data and checked by tidy;
#   3. integration tests through the real parts: a PostgreSQL cluster of
#      its own, the Strava sandbox, the Cadence pool and nginx, on free
#      ports and sockets, so they never collide with a running `make run`;
#   4. a short pass of each benchmark, so they keep working and print figures.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
BUILD=${BUILD:-build}

failed=0
passed=0
note() { printf '\n=== %s\n' "$*"; }
result() {  # result NAME STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "--- $1: ok";
    else failed=$((failed + 1)); echo "--- $1: FAILED"; fi
}

ONLY=${ONLY:-all}   # ONLY=unit|templates|integration|bench runs one part
want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

# ---- 1. unit tests ---------------------------------------------------------
if want unit; then
note "unit tests"
"$BUILD/test-unit" --jobs 2 --short-filename
result "unit tests" $?
fi

# ---- 2. templates --------------------------------------------------------------
if want templates; then
note "templates: render sample data, validate HTML5 with tidy"
sh tests/templates/check.sh "$BUILD/cadence"
tstatus=$?
result "templates" $tstatus
fi

# ---- 3. integration ----------------------------------------------------------
if want integration; then
note "integration tests (PostgreSQL, Strava sandbox, pool, nginx)"
ENV=$(mktemp -d "${TMPDIR:-/tmp}/cadence-test.XXXXXX")
chmod 755 "$ENV"
cleanup() {
    if [ -n "${KEEP_TEST_ENV:-}" ]; then
        echo "test environment kept running: . $ENV/env.sh"; return
    fi
    [ -n "${NGINX_PID:-}" ] && kill -QUIT "$NGINX_PID" 2>/dev/null
    [ -n "${MASTER_PID:-}" ] && kill -TERM "$MASTER_PID" 2>/dev/null
    [ -n "${SANDBOX_PID:-}" ] && kill -TERM "$SANDBOX_PID" 2>/dev/null
    sleep 0.3
    pg_stop "$ENV/pg"
    [ "$failed" -eq 0 ] && rm -rf "$ENV"
    return 0
}
trap cleanup EXIT

PG_FSYNC=off pg_init "$ENV/pg"
pg_start "$ENV/pg"
pg_createdb "$ENV/pg" cadence
export DATABASE_URL="postgresql:///cadence?host=$ENV/pg/run&user=cadence"
export PG_STOP_CMD="bash -c '. $ROOT/scripts/lib.sh; pg_stop $ENV/pg'"
export PG_START_CMD="bash -c '. $ROOT/scripts/lib.sh; pg_start $ENV/pg'"
export PSQL="$PG_BIN/psql -h $ENV/pg/run -U cadence -d cadence -qAt"
"$BUILD/cadence" migrate >"$ENV/migrate.log" 2>&1 || { cat "$ENV/migrate.log"; die "migrate failed"; }

PORT=$(free_port)
SANDBOX_PORT=$(free_port)
export CADENCE_SOCKET=$ENV/cadence.sock
export CADENCE_BASE_URL=http://127.0.0.1:$PORT
export CADENCE_URL=$CADENCE_BASE_URL
export CADENCE_WORKERS=${CADENCE_WORKERS:-4}
export CADENCE_SPOOL_DIR=$ENV/spool
export CADENCE_SECRET_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export STRAVA_CLIENT_ID=1000 STRAVA_CLIENT_SECRET=sandbox-secret
export STRAVA_OAUTH_BASE=http://127.0.0.1:$SANDBOX_PORT
export STRAVA_API_BASE=http://127.0.0.1:$SANDBOX_PORT/api/v3
export STRAVA_WEBHOOK_VERIFY_TOKEN=test-verify-token
export SANDBOX_URL=$STRAVA_OAUTH_BASE
export CADENCE_REQUEST_TIMEOUT=${CADENCE_REQUEST_TIMEOUT:-10}

"$BUILD/strava-sandbox" --listen "127.0.0.1:$SANDBOX_PORT" --state "$ENV/sandbox.json" \
    >"$ENV/sandbox.log" 2>&1 &
SANDBOX_PID=$!
nginx_conf "$ENV/nginx.conf" "$ENV" "$PORT" "$CADENCE_SOCKET" "$ENV/nginx-access.log"
export CADENCE_SOCKET_GROUP=${NGINX_GROUP:-}
"$BUILD/cadence" serve >"$ENV/cadence.log" 2>&1 &
MASTER_PID=$!
export CADENCE_MASTER_PID=$MASTER_PID
wait_file "$CADENCE_SOCKET" 15 || { cat "$ENV/cadence.log"; die "the pool did not start"; }
"$NGINX" -c "$ENV/nginx.conf" -p "$ENV" >"$ENV/nginx.out" 2>&1 &
NGINX_PID=$!
wait_http "$CADENCE_URL/livez" 15 || { cat "$ENV/nginx-error.log"; die "nginx did not start"; }
wait_http "$SANDBOX_URL/" 15 || echo "warning: the Strava sandbox is not answering"
export -p | grep -E ' (CADENCE|STRAVA|SANDBOX|PG_|PSQL|DATABASE)' >"$ENV/env.sh"

"$BUILD/test-integration" --jobs 1 --short-filename
istatus=$?
result "integration tests" $istatus
if [ "$istatus" -ne 0 ]; then
    echo "--- last lines of the pool's log:"; tail -n 40 "$ENV/cadence.log"
    echo "--- nginx errors:"; tail -n 20 "$ENV/nginx-error.log" 2>/dev/null
fi
fi

# ---- 4. benchmarks (short) ---------------------------------------------------
if want bench; then
note "benchmarks (short pass; 'make bench' runs the full ones)"
bstatus=0
for b in "$BUILD"/bench/*; do
    [ -x "$b" ] || continue
    BENCH_SECONDS=0.3 "$b" || { echo "bench $(basename "$b") failed"; bstatus=1; }
done
result "benchmarks" $bstatus
fi

echo
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
