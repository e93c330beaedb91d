#!/usr/bin/env bash
# The fitness series of a runner with 2,000 runs, through the real parts:
# the job worker scoring them and storing the series of their whole
# history (fitness.rescore, timed by itself: the job's note), and the
# /fitness page reading the days it shows (26 weeks, and a year) and the
# dashboard with its small chart, loaded by wrk.  A fresh environment (or
# the running one with BENCH_REUSE=1, CADENCE_URL and PSQL set) gets a
# runner signed up through the pages, a 16-week plan from 8 weeks ago and
# 2,000 runs over 5.5 years (one a day, a day off a week).  Prints
#   fitness job: 2000 runs scored, N days of fitness in X ms ...
#   fitness page: N req/s p99 X ms ...
#   BENCH_SECONDS (10), BENCH_CONNECTIONS (32).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -n "${CADENCE_URL:-}" ] && [ -n "${PSQL:-}" ]; then
    :
else
    bench_env_up
fi

jar=$(mktemp)
email="bench-fit-$$-$RANDOM@bench.cadence"
token=$(curl -s -c "$jar" -b "$jar" "$CADENCE_URL/signup" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "name=Bench Runner" --data-urlencode "email=$email" \
    --data-urlencode "password=bench-password-123" "$CADENCE_URL/signup"
token=$(curl -s -c "$jar" -b "$jar" "$CADENCE_URL/login" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=bench-password-123" \
    "$CADENCE_URL/login"
cookie=$(awk '$6 ~ /cadence_session$/ {print $6 "=" $7}' "$jar")
rm -f "$jar"
[ -n "$cookie" ] || die "could not sign the benchmark runner up"
user=$($PSQL -c "SELECT id FROM users WHERE email = '$email'")

# The plan (as calendar.sh's), then the runs in one statement: one
# fitness.rescore job for all of them (the trigger's dedup).
$PSQL -c "
WITH p AS (INSERT INTO training_plans (user_id, name, race_distance, race_date,
        start_date, total_weeks, vdot)
      SELECT '$user', 'Bench marathon', 42195, s + 111, s, 16, 48.0
        FROM (SELECT date_trunc('week', now() - interval '56 days')::date s) d
      RETURNING id, start_date)
INSERT INTO workouts (training_plan_id, week_number, scheduled_date,
    workout_type, distance, duration_estimate, pace_fast, pace_slow, description)
SELECT p.id, w, p.start_date + (w - 1) * 7 + d,
       (ARRAY['Easy','Intervals','Easy','Tempo','Long'])[k],
       (ARRAY[8000, 10000, 8000, 12000, 20000])[k], 50, 290, 320, 'Steady'
  FROM p, generate_series(1, 16) w,
       unnest(ARRAY[0, 1, 3, 4, 6], ARRAY[1, 2, 3, 4, 5]) AS x(d, k);
INSERT INTO strava_activities (user_id, strava_activity_id, name, sport_type,
    distance, moving_time, elapsed_time, average_heartrate, start_date_local)
SELECT '$user', 600000000000 + i, 'Run', 'Run', 6000 + (i * 37) % 12000,
       (6000 + (i * 37) % 12000) * (290 + i % 60) / 1000,
       (6000 + (i * 37) % 12000) * (290 + i % 60) / 1000 + 60,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 140 + i % 25 END,
       current_date - (i + i / 6) + time '07:00'
  FROM generate_series(1, 2000) i;" >/dev/null

# The job worker's turn: wait for the series, then read what it took.
for _ in $(seq 1 300); do
    left=$($PSQL -c "SELECT count(*) FROM jobs WHERE kind = 'fitness.rescore'
        AND user_id = '$user' AND state = 'waiting'")
    [ "$left" = 0 ] && break
    sleep 0.2
done
[ "$left" = 0 ] || die "the job worker did not score the runs"
note=$($PSQL -c "SELECT note FROM jobs WHERE kind = 'fitness.rescore'
    AND user_id = '$user' AND state = 'done' ORDER BY finished_at DESC LIMIT 1")
echo "fitness job: $note (the whole history, 2,000 runs over 5.5 years)"

for path in /fitness "/fitness?weeks=52" /; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$CADENCE_URL$path")
    [ "$status" = 200 ] || die "GET $path answered $status"
done
wrk_run "$CADENCE_URL/fitness" -H "Cookie: $cookie"
f_rps=$RPS f_p99=$P99 f_errs=$ERRS
wrk_run "$CADENCE_URL/fitness?weeks=52" -H "Cookie: $cookie"
y_rps=$RPS y_p99=$P99 y_errs=$ERRS
wrk_run "$CADENCE_URL/" -H "Cookie: $cookie"
awk -v fr="$f_rps" -v fp="$f_p99" -v yr="$y_rps" -v yp="$y_p99" \
    -v dr="$RPS" -v dp="$P99" -v c="$BENCH_CONNECTIONS" -v d="$BENCH_SECONDS" 'BEGIN {
    printf "fitness page: %.0f req/s p99 %.1f ms (26 weeks), %.0f req/s p99 %.1f ms (a year); dashboard with its small chart: %.0f req/s p99 %.1f ms (wrk, %d connections, %ss each; 2,000 runs)\n",
        fr, fp, yr, yp, dr, dp, c, d }'
[ "$f_errs" = 0 ] && [ "$y_errs" = 0 ] && [ "$ERRS" = 0 ]
