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
. "$ROOT/scripts/env.sh"
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
    env_down "$ENV"
    [ "$failed" -eq 0 ] && rm -rf "$ENV"
    return 0
}
trap cleanup EXIT
env_up "$ENV" || die "the test environment did not start"

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

# ---- fuzzing (short pass) ----------------------------------------------------
if want fuzz; then
note "fuzzing: replay each corpus, then ${FUZZ_SECONDS:-10} s per driver ('make fuzz' runs longer)"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} bash tests/fuzz/run.sh
result "fuzzing" $?
fi

echo
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
