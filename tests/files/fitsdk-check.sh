#!/usr/bin/env bash
# Cross-checks the FIT workout encoder with Garmin's FIT SDK for JavaScript
# (npm @garmin/fitsdk, installed into build/fitsdk): the unit tests write
# their workout files (CADENCE_FIT_DUMP), tests/files/fitsdk-check.mjs
# decodes them.  Needs `make build/test-unit`, node and npm.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
SDK=build/fitsdk
OUT=build/fitsdk/files
mkdir -p "$SDK" "$OUT"
[ -d "$SDK/node_modules/@garmin/fitsdk" ] ||
    npm install --silent --no-audit --no-fund --prefix "$SDK" @garmin/fitsdk@21.217.0 >/dev/null
rm -f "$OUT"/*.fit
CADENCE_FIT_DUMP=$ROOT/$OUT build/test-unit --filter 'activity_files/fit_workout*' >/dev/null 2>&1 ||
    { echo "fitsdk-check: the workout unit tests fail"; exit 1; }
cp tests/files/fitsdk-check.mjs "$SDK/check.mjs"
node "$SDK/check.mjs" "$OUT"/*.fit
