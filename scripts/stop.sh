#!/usr/bin/env bash
# `make stop`: stops a `make run` left in the background.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
VAR=$ROOT/var

if [ -f "$VAR/run/run.pid" ] && kill -TERM "$(cat "$VAR/run/run.pid")" 2>/dev/null; then
    for _ in $(seq 1 150); do
        kill -0 "$(cat "$VAR/run/run.pid" 2>/dev/null || echo 0)" 2>/dev/null || break
        sleep 0.1
    done
fi
# Whatever is left (the script itself was killed): stop each service.
for f in nginx cadence sandbox; do
    if [ -f "$VAR/run/$f.pid" ]; then
        kill -TERM "$(cat "$VAR/run/$f.pid")" 2>/dev/null || true
        rm -f "$VAR/run/$f.pid"
    fi
done
pg_stop "$VAR/pg"
rm -f "$VAR/run/run.pid"
echo "cadence: stopped"
