#!/usr/bin/env bash
# `make stop`: stops a `make run` left in the background.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
VAR=${CADENCE_VAR:-$ROOT/var}

# The pid is read once: once run.sh is gone its file is too, and
# `kill -0 0` (the caller's own process group) would always succeed.
pid=$(cat "$VAR/run/run.pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
fi
# Whatever is left (the script itself was killed): stop each service.
for f in nginx cadence sandbox garmin-sandbox smtp; do
    if [ -f "$VAR/run/$f.pid" ]; then
        kill -TERM "$(cat "$VAR/run/$f.pid")" 2>/dev/null || true
        rm -f "$VAR/run/$f.pid"
    fi
done
pg_stop "$VAR/pg"
rm -f "$VAR/run/run.pid"
echo "cadence: stopped"
