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
#   3. A real streaming replica (pg_basebackup) behind a pool with
#      DATABASE_READ_URL: page reads go to it (its statements counted in
#      /metrics); a runner who just wrote reads the primary (their change
#      shows at once while replay is paused), another device of theirs
#      reads the replica (the old value) until the replica is more than
#      CADENCE_REPLICA_MAX_LAG behind, then the primary; with the replica
#      stopped every page still answers.
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
    [ -f "$D/replica/data/postmaster.pid" ] &&
        as_pg "$PG_BIN/pg_ctl" -D "$D/replica/data" -m immediate -w stop >/dev/null 2>&1
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
    test "$($PSQL -c "SELECT count(DISTINCT object_id) || ' ' || count(*) || ' ' || count(*) FILTER (WHERE (SELECT j.attempts FROM jobs j WHERE j.kind = 'strava.event' AND j.dedup_key = strava_webhook_events.id::text) = 1) $q")" = "$EVENTS $EVENTS $EVENTS"
$PSQL -c "SELECT id $q" | sort >"$D/ids"
grep -ho 'jobs: event [0-9a-f-]* done' "$D/a.log" | awk '{print $3}' | sort >"$D/done-a"
grep -ho 'jobs: event [0-9a-f-]* done' "$D/b.log" | awk '{print $3}' | sort >"$D/done-b"
ja=$(grep -cxFf "$D/ids" "$D/done-a")
jb=$(grep -cxFf "$D/ids" "$D/done-b")
echo "     processing: job worker a $ja, job worker b $jb"
check "each event done by exactly one job worker" \
    test "$(sort "$D/done-a" "$D/done-b" | grep -xFf "$D/ids" | uniq -d | wc -l)" = 0 -a \
    $((ja + jb)) -eq $EVENTS

# ---- 2b. the intake limits, shared -----------------------------------------------
# The counts live in PostgreSQL: an athlete's budget is one for both pools
# (a forger cannot multiply it by the number of hosts).  Concurrent
# requests may overshoot by the number of requests in flight (8 here).
LIMITED=30
$PSQL -c "DELETE FROM strava_webhook_events WHERE strava_athlete_id = 8;
    DELETE FROM strava_webhook_intake_counts;
    UPDATE strava_webhook_settings SET unknown_limit = 10,
           limit_window_seconds = 86400" >/dev/null	# one window
args=()
for id in $(seq $((EVENT_BASE + 1001)) $((EVENT_BASE + 1000 + LIMITED))); do
    [ ${#args[@]} -gt 0 ] && args+=(--next)
    args+=(-s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json'
        --data "{\"aspect_type\":\"create\",\"event_time\":1516126040,\"object_id\":$id,\"object_type\":\"activity\",\"owner_id\":8,\"subscription_id\":4242,\"updates\":{}}"
        "$URL/strava/webhook")
done
codes=$(curl -sZ --parallel-max 8 "${args[@]}" 2>/dev/null | sort | uniq -c | tr -s ' ')
check "every limited event was answered 200 ($codes)" test "$codes" = " $LIMITED 200"
kept=$($PSQL -c "SELECT count(*) FROM strava_webhook_events WHERE strava_athlete_id = 8")
echo "     limited: $kept of $LIMITED stored with a limit of 10 over both pools"
check "one limit over both pools" test "$kept" -ge 10 -a "$kept" -le 18
# ---- 3. a streaming replica for reads ---------------------------------------------
for p in a b; do kill -TERM "$(cat "$D/$p.pid")"; done
R=$D/replica
mkdir -p "$R"; [ "$(id -u)" -eq 0 ] && chown postgres "$R"
as_pg "$PG_BIN/pg_basebackup" -h "$ENV/pg/run" -U postgres -D "$R/data" -R -X stream \
    >"$D/basebackup.log" 2>&1 || { cat "$D/basebackup.log"; exit 1; }
as_pg mkdir -p "$R/run"
cat >>"$R/data/postgresql.conf" <<CONF
unix_socket_directories = '$R/run'
hot_standby = on
CONF
as_pg "$PG_BIN/pg_ctl" -D "$R/data" -l "$R/postgres.log" -w -t 30 start >/dev/null ||
    { cat "$R/postgres.log"; exit 1; }
RPSQL="$PG_BIN/psql -h $R/run -U postgres -d cadence_scaling -qAt"
check "the replica is a standby" test "$($RPSQL -c 'SELECT pg_is_in_recovery()')" = t
catch_up() {	# until the replica has replayed the primary's position now
    _want=$($PSQL -c "SELECT pg_current_wal_lsn()")
    for _ in $(seq 1 100); do
        [ "$($RPSQL -c "SELECT pg_last_wal_replay_lsn() >= '$_want'")" = t ] && return 0
        sleep 0.1
    done
    return 1
}
wait_pid_gone() { while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; }
for p in a b; do wait_pid_gone "$(cat "$D/$p.pid")"; rm -f "$D/$p.pid"; done
CADENCE_SOCKET=$D/a.sock CADENCE_SPOOL_DIR=$D/spool-a CADENCE_WORKERS=2 \
CADENCE_JOB_WORKERS=1 CADENCE_SOCKET_GROUP=${NGINX_GROUP:-} \
DATABASE_READ_URL="postgresql:///cadence_scaling?host=$R/run&user=cadence" \
CADENCE_REPLICA_MAX_LAG=3 "$BUILD/cadence" serve >"$D/r.log" 2>&1 &
echo $! >"$D/a.pid"
wait_file "$D/a.sock" 15 || { cat "$D/r.log"; exit 1; }
metric() { curl -s "$URL/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
# The name the page header shows: from the session's read.
getname() { curl -s -b "$1" "$URL/settings" | sed -n 's/.*Sign out<span class="visually-hidden"> \([^<]*\)<.*/\1/p' | head -n 1; }

# Two devices of one runner; the second forgets its last write.
j1=$D/jar1; j2=$D/jar2
email="replica-$$-$RANDOM@test.cadence"
tok=$(curl -s -c "$j1" -b "$j1" "$URL/signup" | csrf)
curl -s -o /dev/null -c "$j1" -b "$j1" --data-urlencode "name=Before" \
    --data-urlencode "email=$email" --data-urlencode "password=replica-runner-pw" \
    --data-urlencode "csrf_token=$tok" "$URL/signup"
# Sign-up does not sign in: the sign-in is the write whose page must work.
tok=$(curl -s -c "$j1" -b "$j1" "$URL/login" | csrf)
hdr=$(curl -s -D - -o /dev/null -c "$j1" -b "$j1" --data-urlencode "email=$email" \
    --data-urlencode "password=replica-runner-pw" --data-urlencode "csrf_token=$tok" "$URL/login")
check "a write sets the read-your-writes cookie" grep -qi 'set-cookie: cadence_lsn=' <<<"$hdr"
check "the new session's next page works at once ($(getname "$j1"))" test "$(getname "$j1")" = Before
tok=$(curl -s -c "$j2" -b "$j2" "$URL/login" | csrf)
curl -s -o /dev/null -c "$j2" -b "$j2" --data-urlencode "email=$email" \
    --data-urlencode "password=replica-runner-pw" --data-urlencode "csrf_token=$tok" "$URL/login"
sed -i '/cadence_lsn/d' "$j2"
check "the replica caught up" catch_up
r0=$(metric 'cadence_db_statements_total{server="replica"}')
for _ in 1 2 3 4 5 6; do curl -s -o /dev/null -b "$j2" "$URL/settings"; done
r1=$(metric 'cadence_db_statements_total{server="replica"}')
echo "     replica statements: ${r0:-?} before 6 pages, ${r1:-?} after"
check "page reads went to the replica" test "${r1:-0}" -gt "${r0:-0}"

# Replay paused: device 1 changes the name and sees it; device 2 sees the
# replica's old name until the replica is more than 3 s behind.  (A fresh
# commit, replayed, first: the lag counts from the last one replayed.)
$PSQL -c "UPDATE users SET updated_at = now() WHERE email = '$email'" >/dev/null
catch_up
$RPSQL -c "SELECT pg_wal_replay_pause()" >/dev/null
tok=$(curl -s -b "$j1" "$URL/settings" | csrf)
curl -s -o /dev/null -c "$j1" -b "$j1" --data-urlencode "csrf_token=$tok" \
    --data-urlencode "name=After" --data-urlencode "email=$email" \
    --data-urlencode "units=km" --data-urlencode "first_day=mon" \
    --data-urlencode "timezone=UTC" --data-urlencode "recent_race_distance=5000" "$URL/settings"
check "the writer reads their write at once ($(getname "$j1"))" test "$(getname "$j1")" = After
check "another device reads the replica: the old name ($(getname "$j2"))" test "$(getname "$j2")" = Before
f0=$(metric cadence_db_replica_fallbacks_total)
sleep 4.5
check "past the allowed lag it reads the primary ($(getname "$j2"))" test "$(getname "$j2")" = After
f1=$(metric cadence_db_replica_fallbacks_total)
check "fallbacks counted (${f0:-?} -> ${f1:-?})" test "${f1:-0}" -gt "${f0:-0}"
$RPSQL -c "SELECT pg_wal_replay_resume()" >/dev/null
check "the replica caught up again" catch_up
sleep 1.2
r2=$(metric 'cadence_db_statements_total{server="replica"}')
for _ in 1 2 3 4; do curl -s -o /dev/null -b "$j2" "$URL/settings"; done
r3=$(metric 'cadence_db_statements_total{server="replica"}')
check "reads return to the replica (${r2:-?} -> ${r3:-?})" test "${r3:-0}" -gt "${r2:-0}"

# The replica stopped: pages still answer, from the primary.
as_pg "$PG_BIN/pg_ctl" -D "$R/data" -m fast -w stop >/dev/null
ok=0
for _ in $(seq 1 10); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$j2" "$URL/settings")" = 200 ] && ok=$((ok + 1))
done
check "with the replica down 10 of 10 pages answer ($ok)" test "$ok" -eq 10
check "and show the latest data ($(getname "$j2"))" test "$(getname "$j2")" = After

echo
echo "scaling: $passes passed, $fails failed"
if [ "$fails" -ne 0 ]; then
    for p in a b; do echo "--- pool $p, last lines:"; grep -v 'jobs: event' "$D/$p.log" | tail -n 15; done
    exit 1
fi
exit 0
