#!/usr/bin/env bash
# `make bench`: every benchmark once, with its figures.  The compiled ones
# (build/bench/*, from bench/*.c) run for BENCH_SECONDS (default 2) each;
# the scripts (bench/*.sh: wrk through nginx and the pool, each in an
# environment of its own) for BENCH_SECONDS (default 10) per load.  The
# whole run stays under two minutes with the defaults.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
export BUILD
status=0
for b in "$BUILD"/bench/*; do
    [ -x "$b" ] || continue
    BENCH_SECONDS=${BENCH_SECONDS:-2} "$b" || { echo "bench $(basename "$b") failed"; status=1; }
done
# bench/replica.sh (a streaming replica, ~75 s) and bench/scale_profile.sh
# (perf) run on their own:
# `bash bench/replica.sh` (docs/scaling.md).
for s in bench/*.sh; do
    case $(basename "$s") in run.sh | lib.sh | replica.sh | scale_profile.sh) continue ;; esac
    bash "$s" || { echo "bench $(basename "$s") failed"; status=1; }
done
exit $status
