#!/usr/bin/env bash
# Proof of scaling out (docs/scaling.md): two Cadence pools, each on its
# own socket with its own log, spool and job worker, behind ONE nginx
# upstream, sharing one database — as two app hosts would.
#
#   1. A runner signs up through nginx; then many requests alternate
#      between the pools (nginx round robin) and the session stays valid
#      on both: sessions live in PostgreSQL, not in a pool.  Both pools'
#      logs show the runner's requests; a sign-out on one ends the session
#      on both.
#   2. Webhook events posted through nginx land on both pools and are
#      processed by the two job workers together, each exactly once
#      (FOR UPDATE SKIP LOCKED): one claim per event, and each event's
#      "done" line in exactly one pool's log.
#
# Usage: test_scaling.sh ENV, where ENV is a directory set up by env_up
# (scripts/env.sh): its PostgreSQL cluster gets a database of its own,
# cadence_scaling, so the main test pool's job worker stays out of it.
# Needs ROOT-relative build/ (BUILD=... to change).
#
# The nginx config is nginx/cadence.conf.in as for the tests, with the one
# upstream line `server unix:@SOCKET@;` turned into two (see below).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib.sh"
BUILD=${BUILD:-$ROOT/build}
ENV=${1:?usage: test_scaling.sh ENV_DIR}

SIGNED_IN_REQUESTS=40	# GETs that must alternate between the pools
EVENTS=60		# webhook events posted
EVENT_BASE=960000000	# their object ids

D=$ENV/scaling
rm -rf "$D"
mkdir -p "$D"
chmod 755 "$D"
fails=0
passes=0
check() {   # check DESCRIPTION COMMAND...
    _what=$1; shift
    if "$@"; then echo "ok   - $_what"; passes=$((passes + 1))
    else echo "FAIL - $_what"; fails=$((fails + 1)); fi
}

cleanup() {
    [ -f "$D/nginx.pid" ] && kill -QUIT "$(cat "$D/nginx.pid")" 2>/dev/null
    for p in a b; do
        [ -f "$D/$p.pid" ] && kill -TERM "$(cat "$D/$p.pid")" 2>/dev/null
    done
    for p in a b; do
        [ -f "$D/$p.pid" ] && while kill -0 "$(cat "$D/$p.pid")" 2>/dev/null; do sleep 0.1; done
    done
}
trap cleanup EXIT

# ---- one database for both pools -------------------------------------------
pg_createdb "$ENV/pg" cadence_scaling
export DATABASE_URL="postgresql:///cadence_scaling?host=$ENV/pg/run&user=cadence"
PSQL="$PG_BIN/psql -h $ENV/pg/run -U cadence -d cadence_scaling -qAt"
"$BUILD/cadence" migrate >"$D/migrate.log" 2>&1 || { cat "$D/migrate.log"; exit 1; }
$PSQL -c "DELETE FROM strava_webhook_events WHERE object_id > $EVENT_BASE AND
    object_id <= $((EVENT_BASE + EVENTS))"    # a rerun on a kept environment

# ---- one nginx, one upstream, two servers ----------------------------------
port=$(free_port)
export CADENCE_BASE_URL=http://127.0.0.1:$port
URL=$CADENCE_BASE_URL
NGINX_ACCESS_LOG=off
nginx_conf "$D/nginx.conf" "$D" "$port" "$D/a.sock"
# The upstream's single server line becomes one line per pool.
sed -i "s|^\( *\)server unix:$D/a.sock;|\1server unix:$D/a.sock;\n\1server unix:$D/b.sock;|" \
    "$D/nginx.conf"
check "nginx upstream has both pools" \
    test "$(grep -c "server unix:$D/[ab].sock;" "$D/nginx.conf")" -eq 2

# ---- two pools ---------------------------------------------------------------
# Debug logging so each job worker logs the events it finishes.
for p in a b; do
    CADENCE_SOCKET=$D/$p.sock CADENCE_SPOOL_DIR=$D/spool-$p \
    CADENCE_WORKERS=2 CADENCE_JOB_WORKERS=1 CADENCE_LOG_LEVEL=debug \
    CADENCE_SOCKET_GROUP=${NGINX_GROUP:-} \
        "$BUILD/cadence" serve >"$D/$p.log" 2>&1 &
    echo $! >"$D/$p.pid"
done
for p in a b; do
    wait_file "$D/$p.sock" 15 || { cat "$D/$p.log"; exit 1; }
done
"$NGINX" -c "$D/nginx.conf" -p "$D" >"$D/nginx.out" 2>&1 &
echo $! >"$D/nginx.pid"
wait_http "$URL/livez" 15 || { cat "$D/nginx-error.log"; exit 1; }

# ---- 1. one session, both pools ----------------------------------------------
jar=$D/cookies
csrf() { sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1; }
email="scaling-$$-$RANDOM@test.cadence"
tok=$(curl -s -c "$jar" -b "$jar" "$URL/signup" | csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
    --data-urlencode "name=Scaling Runner" --data-urlencode "email=$email" \
    --data-urlencode "password=scaling-runner-pw" --data-urlencode "csrf_token=$tok" \
    "$URL/signup")
check "sign-up through nginx answers 303" test "$code" = 303
# Sign-up does not sign in (a taken email must not be told apart).
tok=$(curl -s -c "$jar" -b "$jar" "$URL/login" | csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
    --data-urlencode "email=$email" --data-urlencode "password=scaling-runner-pw" \
    --data-urlencode "csrf_token=$tok" "$URL/login")
check "sign-in through nginx answers 303" test "$code" = 303

ok=0
for _ in $(seq 1 $SIGNED_IN_REQUESTS); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$URL/settings")
    [ "$code" = 200 ] && ok=$((ok + 1))
done
check "$SIGNED_IN_REQUESTS signed-in requests all answered 200 (got $ok)" \
    test "$ok" -eq $SIGNED_IN_REQUESTS
na=$(grep -c 'GET /settings 200 ' "$D/a.log")
nb=$(grep -c 'GET /settings 200 ' "$D/b.log")
echo "     pool a served $na, pool b served $nb"
check "both pools served the session" test "$na" -ge 1 -a "$nb" -ge 1
check "the pools' logs add up to every request" \
    test $((na + nb)) -eq $SIGNED_IN_REQUESTS

# A form from one pool is accepted by the other; the sign-out ends the
# session everywhere (two more GETs: one lands on each pool).
tok=$(curl -s -b "$jar" "$URL/settings" | csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
    --data-urlencode "csrf_token=$tok" "$URL/logout")
check "sign-out answers 303" test "$code" = 303
c1=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$URL/settings")
c2=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$URL/settings")
check "signed out on both pools ($c1 $c2)" test "$c1$c2" = 303303

# ---- 2. the webhook queue, shared ----------------------------------------------
# One curl for all of them (-Z: 8 at a time): each a request of its own.
args=()
for id in $(seq $((EVENT_BASE + 1)) $((EVENT_BASE + EVENTS))); do
    [ ${#args[@]} -gt 0 ] && args+=(--next)
    args+=(-s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json'
        --data "{\"aspect_type\":\"create\",\"event_time\":1516126040,\"object_id\":$id,\"object_type\":\"activity\",\"owner_id\":7,\"subscription_id\":4242,\"updates\":{}}"
        "$URL/strava/webhook")
done
codes=$(curl -sZ --parallel-max 8 "${args[@]}" 2>/dev/null | sort | uniq -c | tr -s ' ')
check "every event was accepted ($codes)" test "$codes" = " $EVENTS 200"
ia=$(grep -c 'POST /strava/webhook 200 ' "$D/a.log")
ib=$(grep -c 'POST /strava/webhook 200 ' "$D/b.log")
echo "     intake: pool a $ia, pool b $ib"
check "both pools took events in" test "$ia" -ge 1 -a "$ib" -ge 1

q="FROM strava_webhook_events WHERE object_id > $EVENT_BASE AND object_id <= $((EVENT_BASE + EVENTS))"
for _ in $(seq 1 150); do
    [ "$($PSQL -c "SELECT count(*) $q AND processed")" = "$EVENTS" ] && break
    sleep 0.1
done
check "all $EVENTS events processed" \
    test "$($PSQL -c "SELECT count(*) $q AND processed")" = "$EVENTS"
check "each stored once and claimed exactly once" \
    test "$($PSQL -c "SELECT count(DISTINCT object_id) || ' ' || count(*) || ' ' || count(*) FILTER (WHERE attempts = 1) $q")" = "$EVENTS $EVENTS $EVENTS"
$PSQL -c "SELECT id $q" | sort >"$D/ids"
grep -ho 'jobs: event [0-9a-f-]* done' "$D/a.log" | awk '{print $3}' | sort >"$D/done-a"
grep -ho 'jobs: event [0-9a-f-]* done' "$D/b.log" | awk '{print $3}' | sort >"$D/done-b"
ja=$(grep -cxFf "$D/ids" "$D/done-a")
jb=$(grep -cxFf "$D/ids" "$D/done-b")
echo "     processing: job worker a $ja, job worker b $jb"
check "each event done by exactly one job worker" \
    test "$(sort "$D/done-a" "$D/done-b" | grep -xFf "$D/ids" | uniq -d | wc -l)" = 0 -a \
    $((ja + jb)) -eq $EVENTS

echo
echo "scaling: $passes passed, $fails failed"
if [ "$fails" -ne 0 ]; then
    for p in a b; do echo "--- pool $p, last lines:"; grep -v 'jobs: event' "$D/$p.log" | tail -n 15; done
    exit 1
fi
exit 0
