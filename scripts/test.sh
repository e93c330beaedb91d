#!/usr/bin/env bash
# `make test`: the whole suite.
#   1. unit tests (Criterion, pure logic, the Mustache spec) and the layer
#      checks (tests/lint/layers.sh);
#   2. every template rendered with its sample data and checked by tidy;
#   3. integration tests through the real parts: a PostgreSQL cluster of
#      its own, the Strava sandbox, the Cadence pool and nginx, on free
#      ports and sockets, so they never collide with a running `make run`;
#   4. a short pass of each benchmark, so they keep working and print figures;
#   5. browser end-to-end tests (Debian's chromium driven by playwright-core,
#      tests/e2e/), in the integration tests' environment.
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

ONLY=${ONLY:-all}   # ONLY=unit|templates|integration|bench|e2e|sanitize|faults runs one part
want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

# ---- 1. unit tests ---------------------------------------------------------
if want unit; then
note "unit tests"
"$BUILD/test-unit" --jobs 2 --short-filename
result "unit tests" $?
note "layers: SQL only in app/db/, no include cycle between app/ directories"
bash tests/lint/layers.sh
result "layers" $?
fi

# ---- 2. templates --------------------------------------------------------------
if want templates; then
note "templates: render sample data, validate HTML5 with tidy"
sh tests/templates/check.sh "$BUILD/cadence"
tstatus=$?
result "templates" $tstatus
fi

# ---- 3. integration (and 5. browser end-to-end, in the same environment) ----
if want integration || want e2e; then
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
fi

if want integration; then
note "integration tests (PostgreSQL, Strava sandbox, pool, nginx)"
"$BUILD/test-integration" --jobs 1 --short-filename
istatus=$?
result "integration tests" $istatus
if [ "$istatus" -ne 0 ]; then
    echo "--- last lines of the pool's log:"; tail -n 40 "$ENV/cadence.log"
    echo "--- nginx errors:"; tail -n 20 "$ENV/nginx-error.log" 2>/dev/null
fi

# Page queries against hundreds of runners with a year of runs: bounded
# by the window shown, not the runner's history (auto_explain, generic plans).
note "query plans: page cost independent of history"
BUILD=$BUILD bash tests/integration/test_query_plans.sh
result "query plans" $?

# The README's two commands' other half: make run, then make stop.
note "make run and make stop in a directory of their own"
bash tests/integration/test_run_stop.sh
result "run/stop" $?

# Scaling out: two pools behind one nginx upstream (docs/scaling.md).
note "scaling: two pools, one nginx upstream, one database"
BUILD=$BUILD bash tests/integration/test_scaling.sh "$ENV"
result "scaling" $?
fi

# ---- 5. browser end-to-end (run here, while the environment is up) ----------
if want e2e; then
note "browser end-to-end (chromium + playwright-core; screenshots in $BUILD/e2e)"
BUILD=$BUILD bash tests/e2e/run.sh
estatus=$?
result "browser end-to-end" $estatus
if [ "$estatus" -ne 0 ]; then
    echo "--- last lines of the pool's log:"; tail -n 40 "$ENV/cadence.log"
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

# ---- valgrind: memory errors and leaks of a worker ---------------------------
if want leaks; then
note "valgrind: a web and a job worker serving thousands of varied requests"
bash tests/leaks/valgrind.sh
result "valgrind" $?
fi

# ---- fuzzing (short pass) ----------------------------------------------------
if want fuzz; then
note "fuzzing: replay each corpus, then ${FUZZ_SECONDS:-10} s per driver ('make fuzz' runs longer)"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} bash tests/fuzz/run.sh
result "fuzzing" $?
fi

# ---- sanitizers: the integration suites against the ASan+UBSan build ---------
# A second environment whose pool and sandbox are build/sanitize's (`make
# test` builds it); the test binary is the normal one.  Leaks show when a
# worker exits (SIGHUP in the pool suite, and the final stop), so the log
# is read after the environment is down.
if want sanitize; then
SAN_BUILD=${SAN_BUILD:-build/sanitize}
note "sanitizers: hostile, foundation, pool, accounts, views, upload, workout_fit against $SAN_BUILD (ASan+UBSan, leaks)"
if [ ! -x "$SAN_BUILD/cadence" ]; then
    echo "$SAN_BUILD/cadence is missing: run 'make sanitize'"; result "sanitizers" 1
else
    SENV=$(mktemp -d "${TMPDIR:-/tmp}/cadence-san.XXXXXX"); chmod 755 "$SENV"
    st=$(date +%s)
    (
        export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
        export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
        BUILD=$SAN_BUILD env_up "$SENV" || exit 1
        "$BUILD/test-integration" --jobs 1 --short-filename \
            --filter '@(hostile|foundation|pool|accounts|views|upload|workout_fit)/*'
    )
    sstatus=$?
    env_down "$SENV"
    sleep 1	# workers write their leak reports as they exit
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
        "$SENV/cadence.log" "$SENV/sandbox.log" "$SENV/migrate.log" 2>/dev/null; then
        echo "--- sanitizer reports:"
        grep -hE -A 30 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
            "$SENV/cadence.log" "$SENV/sandbox.log" "$SENV/migrate.log" 2>/dev/null | head -n 120
        sstatus=1
    fi
    echo "sanitizers: $(( $(date +%s) - st )) s"
    [ "$sstatus" -eq 0 ] && rm -rf "$SENV"
    result "sanitizers" $sstatus
fi
fi

# ---- faults under load: kill -9, reloads, PostgreSQL restart, deadline --------
if want faults; then
note "faults under load (tests/faults/faults.sh)"
BUILD=$BUILD bash tests/faults/faults.sh
result "faults" $?
fi

echo
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
