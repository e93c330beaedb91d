#!/usr/bin/env bash
# Runs some integration tests in an environment of their own (for
# development; `make test` runs them all):
#   bash scripts/itest.sh 'accounts/*'      (a Criterion --filter pattern)
# Needs `make all build/test-integration` first.  KEEP_TEST_ENV=1 leaves
# the environment running (. DIR/env.sh to use it).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/env.sh"
cd "$ROOT"
BUILD=${BUILD:-build}
E=$(mktemp -d "${TMPDIR:-/tmp}/cadence-itest.XXXXXX")
chmod 755 "$E"
env_up "$E" >"$E/up.log" 2>&1 || { cat "$E/up.log"; exit 1; }
"$BUILD/test-integration" --jobs 1 --short-filename --filter "${1:-*}"
rc=$?
if [ -n "${KEEP_TEST_ENV:-}" ]; then echo "kept: . $E/env.sh"; exit $rc; fi
[ $rc -ne 0 ] && { echo "--- pool log tail:"; tail -n 30 "$E/cadence.log"; }
env_down "$E"
[ $rc -eq 0 ] && rm -rf "$E"
exit $rc
