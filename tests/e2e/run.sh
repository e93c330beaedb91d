#!/usr/bin/env bash
# Browser end-to-end tests: Debian's chromium (/usr/bin/chromium, package
# `chromium`) driven by playwright-core from npm; no browser is downloaded.
# e2e.test.mjs: a runner's first day; clubs.test.mjs: a coach's.
#
#   tests/e2e/run.sh     with CADENCE_URL and SANDBOX_URL set (as inside
#                        scripts/test.sh), against that environment;
#                        without them, starts an environment of its own
#                        (scripts/env.sh) and stops it afterwards.
#
# Needs build/cadence and build/strava-sandbox (BUILD=dir for another build),
# node and npm.  Screenshots: $BUILD/e2e/ (E2E_OUT to change), FAILED-*.png
# for the step that failed.  KEEP_TEST_ENV=1 leaves its own environment up.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E=$ROOT/tests/e2e
cd "$ROOT"
BUILD=${BUILD:-build}
. "$ROOT/scripts/lib.sh"

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || die "no $CHROMIUM: install Debian's chromium (scripts/deps.sh test)"
command -v node >/dev/null && command -v npm >/dev/null ||
    die "node and npm are needed (scripts/deps.sh test)"

# playwright-core from the lockfile; it never downloads a browser itself.
if [ ! -f "$E2E/node_modules/playwright-core/package.json" ] ||
    [ ! -f "$E2E/node_modules/axe-core/axe.min.js" ]; then
    echo "e2e: installing node modules (npm ci)"
    (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
        die "npm ci failed in tests/e2e"
fi

mkdir -p "$BUILD/e2e"
export E2E_OUT=${E2E_OUT:-$(cd "$BUILD/e2e" && pwd)}
rm -f "$E2E_OUT"/*.png

if [ -z "${CADENCE_URL:-}" ] || [ -z "${SANDBOX_URL:-}" ]; then
    . "$ROOT/scripts/env.sh"
    ENV=$(mktemp -d "${TMPDIR:-/tmp}/cadence-e2e.XXXXXX")
    chmod 755 "$ENV"
    status=1
    stop_env() {
        if [ -n "${KEEP_TEST_ENV:-}" ]; then
            echo "e2e environment kept running: . $ENV/env.sh"; return
        fi
        env_down "$ENV"
        if [ "$status" -eq 0 ]; then rm -rf "$ENV"; else
            echo "e2e: logs kept in $ENV (cadence.log, sandbox.log, nginx-*.log)"
            tail -n 30 "$ENV/cadence.log" 2>/dev/null
        fi
    }
    trap stop_env EXIT
    env_up "$ENV" || die "the e2e environment did not start (logs in $ENV)"
fi

# Strava sends events only to a subscribed callback.  Subscribe Cadence the
# operator's way when this build has `cadence strava subscribe`; the test
# itself checks the sandbox and subscribes directly if that did not happen.
CADENCE_BIN=${CADENCE_BIN:-$BUILD/cadence}
if [ -n "${DATABASE_URL:-}" ] && "$CADENCE_BIN" --help 2>&1 | grep -q '^  strava '; then
    "$CADENCE_BIN" strava subscribe || die "'cadence strava subscribe' failed"
fi

(cd "$E2E" && node --test --test-reporter=tap --test-concurrency=1 e2e.test.mjs clubs.test.mjs)
status=$?
exit $status
