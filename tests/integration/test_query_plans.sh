#!/usr/bin/env bash
# Query plans that stay bounded as history grows (tests/integration/
# test_query_plans.c): an environment whose PostgreSQL logs every
# statement's plan as JSON (auto_explain with buffers) and plans every
# prepared statement generically, seeded with SCALE_RUNNERS (300) runners
# with a year of runs each plus 'light' and 'deep' runners, then the
# query_plans suite.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/env.sh"
cd "$ROOT"
BUILD=${BUILD:-build}
E=$(mktemp -d "${TMPDIR:-/tmp}/cadence-plans.XXXXXX")
chmod 755 "$E"
mkdir -p "$E/pglog"; [ "$(id -u)" -eq 0 ] && chown postgres "$E/pglog"
export PG_EXTRA_CONF="logging_collector = on
log_destination = 'jsonlog'
log_directory = '$E/pglog'
log_filename = 'postgresql.log'
log_rotation_size = 0
log_rotation_age = 0
session_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = 0
auto_explain.log_analyze = on
auto_explain.log_buffers = on
auto_explain.log_timing = off
auto_explain.log_format = json
plan_cache_mode = force_generic_plan"
CADENCE_LOG_LEVEL=warn env_up "$E" >"$E/up.log" 2>&1 || { cat "$E/up.log"; exit 1; }
"$PG_BIN/psql" -h "$E/pg/run" -U postgres -d cadence -qAt -v n="${SCALE_RUNNERS:-300}" \
    -c "SET session_replication_role = replica" -c "SET auto_explain.log_min_duration = -1" \
    -f bench/scale_seed.sql | tr '\t' ' ' >"$E/runners.txt" || { echo "seeding failed"; exit 1; }
PLAN_LOG_DIR=$E/pglog SCALE_RUNNERS_FILE=$E/runners.txt \
    "$BUILD/test-integration" --jobs 1 --short-filename --filter 'query_plans/*'
rc=$?
[ -n "${KEEP_TEST_ENV:-}" ] && { echo "kept running: . $E/env.sh"; exit $rc; }
env_down "$E"
[ $rc -eq 0 ] && rm -rf "$E" || echo "kept $E"
exit $rc
