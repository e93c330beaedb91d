#!/usr/bin/env bash
# The README's `make run` and `make stop`, for real, in a directory of their
# own (CADENCE_VAR) on a free port: run prints the URL and serves pages and
# the demo runner; stop ends every process of it within a few seconds (it
# once always took 15 s), and a second stop with nothing running returns
# at once.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
V=$(mktemp -d "${TMPDIR:-/tmp}/cadence-run.XXXXXX")
chmod 755 "$V"
PORT=$(free_port)
SMTP_PORT=$(free_port)
failures=0
fail() { echo "RUN/STOP FAILED: $*"; failures=$((failures + 1)); }
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# make test's own environment exports its socket, database, sandboxes:
# make run must start from none of them, as on a fresh machine.
for v in $(env | sed -n 's/^\(\(CADENCE\|DATABASE\|STRAVA\|GARMIN\|SMTP\|SANDBOX\|MAILDIR\|PG_\|PSQL\)[A-Z_]*\)=.*/\1/p'); do
    unset "$v"
done
CADENCE_VAR=$V PORT=$PORT SANDBOX_PORT=$(free_port) SMTP_PORT=$SMTP_PORT SMTP_URL= make --no-print-directory run >"$V/run.out" 2>&1 &
for _ in $(seq 1 600); do
    grep -qs "Cadence is running at" "$V/run.out" && break
    sleep 0.1
done
grep -q "Cadence is running at http://127.0.0.1:$PORT/" "$V/run.out" ||
    { fail "make run printed no URL"; tail -n 20 "$V/run.out"; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = 200 ] ||
    fail "the home page does not answer"
code=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode email=demo@cadence.test \
    --data-urlencode password=demo-runner "http://127.0.0.1:$PORT/login")
[ "$code" = 403 ] || [ "$code" = 303 ] || fail "sign-in answered $code"
grep -q "Mail: *smtp://127.0.0.1:$SMTP_PORT, every message lands in $V/mail/new/" "$V/run.out" ||
    fail "make run did not say where mail lands"
CADENCE_VAR=$V SMTP_URL=smtp://127.0.0.1:$SMTP_PORT SMTP_FROM=cadence@cadence.localhost \
    build/cadence mail test --to runner@example.org >/dev/null 2>&1 ||
    fail "cadence mail test could not send to make run's SMTP server"
[ "$(ls "$V/mail/new" 2>/dev/null | wc -l)" -ge 1 ] || fail "no mail in $V/mail/new"

t=$(date +%s.%N)
CADENCE_VAR=$V make --no-print-directory stop >"$V/stop.out" 2>&1
took=$(secs "$t")
awk -v s="$took" 'BEGIN { exit !(s < 8) }' || fail "make stop took $took s"
for f in "$V"/run/*.pid; do [ -e "$f" ] && fail "$(basename "$f") left behind"; done
[ -e "$V/pg/data/postmaster.pid" ] && fail "PostgreSQL still running"
curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" && fail "nginx still answers"
(exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && fail "the SMTP server still answers"
t=$(date +%s.%N)
CADENCE_VAR=$V make --no-print-directory stop >/dev/null 2>&1
again=$(secs "$t")
awk -v s="$again" 'BEGIN { exit !(s < 3) }' || fail "make stop with nothing running took $again s"
wait
echo "run/stop: make stop took $took s, again with nothing running $again s"
if [ "$failures" -eq 0 ]; then rm -rf "$V"; else echo "kept $V"; fi
[ "$failures" -eq 0 ]
