#!/usr/bin/env bash
# Leaks and memory errors in the real request path: `cadence serve` with
# one web worker and one job worker, all under valgrind (memcheck follows
# fork), in an environment of its own (scripts/env.sh) behind nginx.  It
# sends thousands of varied requests (every page of a signed-in runner,
# forms with errors, 403/404/405/400, static files, webhook events valid
# and malformed), stops the pool, and fails if valgrind found any error or
# any definitely lost byte in any Cadence process.
#
#   BUILD=build bash tests/leaks/valgrind.sh     (`make leaks`)
#   LEAK_ROUNDS=N   rounds of the request mix (default 100, ~30 requests each)
#
# No change to the product is needed: a wrapper named `cadence` in a
# scratch build directory runs `serve` under valgrind and everything else
# (migrate) natively, and env_up is given that directory as BUILD.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/env.sh"
cd "$ROOT"
REAL=$(cd "${BUILD:-build}" && pwd)
ROUNDS=${LEAK_ROUNDS:-100}
command -v valgrind >/dev/null || die "valgrind is not installed"
[ -x "$REAL/cadence" ] || die "$REAL/cadence is not built"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/cadence-leaks.XXXXXX")
chmod 755 "$DIR"
status=1
cleanup() {
    env_down "$DIR/env" 2>/dev/null
    if [ "$status" -eq 0 ]; then rm -rf "$DIR";
    else echo "leaks: kept for inspection: $DIR"; fi
}
trap cleanup EXIT
trap "exit 1" TERM INT HUP

# ---- the wrapper -------------------------------------------------------------
mkdir -p "$DIR/build" "$DIR/env" "$DIR/vg"
ln -s "$REAL/strava-sandbox" "$DIR/build/strava-sandbox"
cat >"$DIR/build/cadence" <<EOF
#!/bin/sh
if [ "\$1" = serve ]; then
    exec valgrind --leak-check=full --show-leak-kinds=definite \\
        --errors-for-leak-kinds=definite --error-exitcode=99 --num-callers=30 \\
        --log-file="$DIR/vg/vg.%p.log" "$REAL/cadence" "\$@"
fi
exec "$REAL/cadence" "\$@"
EOF
chmod +x "$DIR/build/cadence"

T0=$(date +%s.%N)
export CADENCE_WORKERS=1 CADENCE_JOB_WORKERS=1 CADENCE_MAX_REQUESTS=0
export CADENCE_REQUEST_TIMEOUT=120 CADENCE_SHUTDOWN_TIMEOUT=120
( BUILD=$DIR/build env_up "$DIR/env" ) >"$DIR/up.log" 2>&1 ||
    { cat "$DIR/up.log"; die "leaks: the environment did not start"; }
. "$DIR/env/env.sh"
URL=$CADENCE_URL

# ---- a signed-in runner with a plan ------------------------------------------
JAR=$DIR/jar
token() { grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }
EMAIL="leaks-$$@test.cadence"
tok=$(curl -s -c "$JAR" -b "$JAR" "$URL/signup" | token)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "name=Leak Tester" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=correct horse battery" \
    --data-urlencode "csrf_token=$tok" "$URL/signup"
# Sign-up does not sign in: sign in.
tok=$(curl -s -c "$JAR" -b "$JAR" "$URL/login" | token)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=correct horse battery" \
    --data-urlencode "csrf_token=$tok" "$URL/login"
tok=$(curl -s -c "$JAR" -b "$JAR" "$URL/settings" | token)
[ -n "$tok" ] || die "leaks: could not sign up"
RACE=$($PSQL -c "SELECT ((now() AT TIME ZONE 'UTC')::date + 70)::text")
curl -s -o /dev/null -b "$JAR" -d "name=Leaky&race_name=Leaky+10k&race_distance=10000&race_date=$RACE&weeks=8&runs_per_week=5&long_run_day=sun&weekly_distance=30&csrf_token=$tok" "$URL/plans/new"
PLAN=$($PSQL -c "SELECT p.id FROM training_plans p JOIN users u ON u.id = p.user_id WHERE u.email = '$EMAIL'")
WORKOUT=$($PSQL -c "SELECT id FROM workouts WHERE training_plan_id = '$PLAN' ORDER BY scheduled_date LIMIT 1")
[ -n "$WORKOUT" ] || die "leaks: could not create a plan"
SUB=$($PSQL -c "SELECT coalesce((SELECT id FROM strava_webhook_subscription LIMIT 1), 4242)")

# ---- the request mix, as one curl config ---------------------------------------
CFG=$DIR/requests.cfg
req() {  # req METHOD PATH [DATA] [HEADER] [signed-out]
    {
        echo "url = \"$URL$2\""
        echo 'output = "/dev/null"'
        echo 'write-out = "%{http_code}\n"'
        [ "${5:-}" = anon ] || echo "cookie = \"$JAR\""
        [ "$1" = GET ] || echo "request = \"$1\""
        [ -n "${3:-}" ] && echo "data-binary = \"$3\""
        [ -n "${4:-}" ] && echo "header = \"$4\""
        echo next
    } >>"$CFG"
}
: >"$CFG"
for i in $(seq 1 "$ROUNDS"); do
    for p in / /plans "/plans/$PLAN" "/plans/$PLAN/weeks/1" "/plans/$PLAN/weeks/$((i % 8 + 1))" \
        "/workouts/$WORKOUT" /activities "/activities?filter=run&page=2" /settings \
        /plans/new "/plans/$PLAN/edit" "/plans/$PLAN/export.csv" \
        "/plans/$PLAN/calendar.ics?token=bad" /no/such/page /static/app.css /livez /readyz \
        /fitness "/fitness?weeks=52" "/plans/$PLAN/adjust" \
        /login /metrics "/plans/$PLAN/weeks/99"; do
        req GET "$p"
    done
    req GET /signup "" "" anon
    req GET "/login?next=/plans" "" "" anon
    req GET "/?a=%zz" "" "" anon
    req DELETE /livez
    req POST /settings "name=X&email=$EMAIL&units=km&first_day=mon&timezone=Mars/Olympus&recent_race_distance=custom&csrf_token=$tok"
    req POST "/workouts/$WORKOUT/note" "feel=$((i % 5 + 1))&note=round+$i&csrf_token=$tok"
    req POST "/plans/$PLAN/rename" "name=Forged&csrf_token=forged"
    req POST /plans/new "race_name=&race_distance=abc&csrf_token=$tok"
    req POST /strava/webhook "{\\\"aspect_type\\\":\\\"create\\\",\\\"event_time\\\":1516126040,\\\"object_id\\\":$((960000000 + i)),\\\"object_type\\\":\\\"activity\\\",\\\"owner_id\\\":890000001,\\\"subscription_id\\\":$SUB}" "Content-Type: application/json"
    req POST /strava/webhook "{\\\"aspect_type\\\":" "Content-Type: application/json"
done
sed -i '$ d' "$CFG"	# no "next" after the last request

T1=$(date +%s.%N)
curl -s -K "$CFG" >"$DIR/statuses" 2>"$DIR/curl.err"
SENT=$(wc -l <"$DIR/statuses")
SECS=$(awk -v a="$T1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
HIST=$(sort "$DIR/statuses" | uniq -c | awk '{ printf "%s x %s, ", $1, $2 }')
BAD=$(grep -cE '^(000|5..)$' "$DIR/statuses")

# ---- stop, then read valgrind's reports ---------------------------------------------
kill -TERM "$CADENCE_MASTER_PID"
for _i in $(seq 1 1800); do
    kill -0 "$CADENCE_MASTER_PID" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$CADENCE_MASTER_PID" 2>/dev/null && echo "leaks: the pool did not stop in 180 s"
SERVED=$(grep -cE '^.*(GET|POST|DELETE|HEAD) /.* [0-9]{3} [0-9.]+ms route=' "$CADENCE_LOG_FILE")
ERRORS=0; LOST=0; PROCS=0
for f in "$DIR"/vg/vg.*.log; do
    [ -e "$f" ] || continue
    PROCS=$((PROCS + 1))
    e=$(grep -oE 'ERROR SUMMARY: [0-9,]+' "$f" | tail -n 1 | grep -oE '[0-9,]+' | tr -d ,)
    l=$(grep -oE 'definitely lost: [0-9,]+ bytes' "$f" | tail -n 1 | grep -oE '[0-9,]+' | tr -d ,)
    ERRORS=$((ERRORS + ${e:-0})); LOST=$((LOST + ${l:-0}))
    # Show the problems: each error and each definitely lost record.
    if [ "${e:-0}" -gt 0 ] || [ "${l:-0}" -gt 0 ]; then
        echo "--- $f"
        awk '/definitely lost in loss record|Invalid (read|write|free)|uninitialised|Mismatched free|overlap/ { p = 1 }
             /^==[0-9]+== $/ { if (p) print; p = 0 } p' "$f" | head -n 120
    fi
done

echo "leaks: $SENT requests sent in $SECS s ($SERVED logged as served by the pool; ${HIST% , })"
echo "leaks: valgrind: $PROCS Cadence processes, $ERRORS errors, $LOST bytes definitely lost;" \
    "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s in all"
status=0
[ "$PROCS" -ge 3 ] || { echo "leaks: FAILED: expected valgrind logs of the master and 2 workers"; status=1; }
[ "$ERRORS" -eq 0 ] || { echo "leaks: FAILED: valgrind reported $ERRORS errors"; status=1; }
[ "$LOST" -eq 0 ] || { echo "leaks: FAILED: $LOST bytes definitely lost"; status=1; }
[ "$BAD" -eq 0 ] || { echo "leaks: FAILED: $BAD requests failed (5xx or no answer)"; status=1; }
[ "$SENT" -ge $((ROUNDS * 25)) ] || { echo "leaks: FAILED: only $SENT requests answered"; status=1; }
exit $status
