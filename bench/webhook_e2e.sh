#!/usr/bin/env bash
# Webhook end to end (issue 8.7): how long after a run is recorded on
# Strava its planned workout shows as done.  A fresh environment (PostgreSQL,
# sandbox, pool, job worker, nginx) gets a runner connected through the
# real OAuth pages, the webhook subscription (`cadence strava subscribe`)
# and a plan with one 10 km easy run on each of the last N days.  Then, one
# after another, N runs are recorded in the sandbox through its control API
# (each sends the `create` webhook to nginx -> pool -> queue -> job worker
# -> Strava fetch -> matcher); for each, the time from the record call
# returning to workouts.completed_at being set (polled every 10 ms on one
# psql session).  Prints
#   webhook e2e: median X ms, p95 Y ms over N runs
# Aim: median under 200 ms.   WEBHOOK_E2E_RUNS (50).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${WEBHOOK_E2E_RUNS:-50}
bench_env_up

jar=$(mktemp)
trap 'rm -f "$jar"; env_down "$BENCH_ENV"; rm -rf "$BENCH_ENV"' EXIT
email="e2e-$$-$RANDOM@bench.cadence"
token=$(curl -s -c "$jar" -b "$jar" "$CADENCE_URL/signup" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "name=E2E Runner" --data-urlencode "email=$email" \
    --data-urlencode "password=bench-password-123" "$CADENCE_URL/signup"
# Sign-up does not sign in (a taken email must not be told apart): sign in.
token=$(curl -s -c "$jar" -b "$jar" "$CADENCE_URL/login" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=bench-password-123" \
    "$CADENCE_URL/login"

# A sandbox athlete, connected: /strava/connect -> consent -> callback.
athlete=$(curl -s -d firstname=Bench -d lastname=E2E "$SANDBOX_URL/_sandbox/athletes" |
    sed -n 's/^{"id":\([0-9]*\).*/\1/p; s/.*"id": *\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$athlete" ] || die "no sandbox athlete"
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$CADENCE_URL/strava/connect")
qp() { printf '%s' "$loc" | tr '?&' '\n\n' | sed -n "s/^$1=//p"; }
back=$(curl -s -o /dev/null -w '%{redirect_url}' "$SANDBOX_URL/oauth/authorize" \
    -d client_id=1000 -d "redirect_uri=$(qp redirect_uri)" -d response_type=code \
    -d "state=$(qp state)" -d "athlete_id=$athlete" -d scope=read,activity:read_all \
    -d decision=authorize)
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$back")
[ "$status" = 303 ] || die "connecting to the sandbox answered $status"
user=$($PSQL -c "SELECT id FROM users WHERE strava_athlete_id = $athlete")
[ -n "$user" ] || die "the runner is not linked"
"$CADENCE_BIN" strava subscribe >/dev/null || die "cadence strava subscribe failed"
curl -s -o /dev/null -H 'Content-Type: application/json' "$SANDBOX_URL/_sandbox/config" \
    -d '{"rate_limit_15min":100000,"read_rate_limit_15min":100000,"rate_limit_daily":1000000,"read_rate_limit_daily":1000000}'

# The plan: a 10 km easy run on each of the last N days (Paris dates).
$PSQL -c "
INSERT INTO training_plans (user_id, name, race_distance, race_date, start_date, total_weeks)
VALUES ('$user', 'E2E plan', 42195, current_date + 60, current_date - $N - 7, 20);
INSERT INTO workouts (training_plan_id, week_number, scheduled_date, workout_type, distance, duration_estimate)
SELECT p.id, 1 + (g + 7) / 7, current_date - $N + g, 'easy', 10000, 55
  FROM training_plans p, generate_series(1, $N) g WHERE p.user_id = '$user';" >/dev/null

# One psql session for the polls (no process start per poll).
coproc POLL { $PSQL -f - 2>&1; }
poll_done() {   # poll_done DATE: t when that day's workout is done
    echo "SELECT completed_at IS NOT NULL FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id WHERE p.user_id = '$user' AND w.scheduled_date = '$1';" >&"${POLL[1]}"
    read -r _ans <&"${POLL[0]}"
    [ "$_ans" = t ]
}

times=()
for i in $(seq 1 "$N"); do
    day=$($PSQL -c "SELECT (current_date - $N + $i)::text")
    curl -s -o /dev/null -w '' "$SANDBOX_URL/_sandbox/activities" -d "athlete_id=$athlete" \
        -d "date=$day" -d time=07:00 -d timezone=Europe/Paris -d distance_km=10 \
        -d duration=52:00 -d "name=E2E run $i"
    t0=$(date +%s%N)
    until poll_done "$day"; do
        sleep 0.01
        [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 10000 ] || die "run $i ($day) never completed its workout"
    done
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
done
echo '\q' >&"${POLL[1]}"

printf '%s\n' "${times[@]}" | sort -n | awk -v n="$N" '{ v[NR] = $1 } END {
    m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    p = v[int(0.95 * n + 0.999999)]
    printf "webhook e2e: median %d ms, p95 %d ms over %d runs (record -> workout done; min %d, max %d)\n", m, p, n, v[1], v[n]
    exit (m < 200 ? 0 : 1) }'
