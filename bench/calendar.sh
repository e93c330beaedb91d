#!/usr/bin/env bash
# How fast the plan calendar renders for a signed-in runner, against /livez
# (the pool's floor: no database, no template) in the same environment.
# A fresh environment (PostgreSQL, pool, nginx; or the running one when
# BENCH_REUSE=1 and CADENCE_URL/PSQL are set, e.g. a KEEP_TEST_ENV one)
# gets a runner with a 16-week plan of 80 workouts, half of them run
# (completions), plus unplanned runs; wrk then loads GET /plans/{id} with
# the runner's session cookie, and /livez.  Prints
#   calendar: N req/s p99 X ms; livez: N req/s p99 X ms; ratio R
# Aim: ratio >= 0.5 and calendar p99 < 10 ms.
#   BENCH_SECONDS (10), BENCH_CONNECTIONS (32).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -n "${CADENCE_URL:-}" ] && [ -n "${PSQL:-}" ]; then
    :
else
    bench_env_up
fi

# A runner signed up through the pages (CSRF token from the form).
jar=$(mktemp)
email="bench-$$-$RANDOM@bench.cadence"
token=$(curl -s -c "$jar" -b "$jar" "$CADENCE_URL/signup" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "name=Bench Runner" --data-urlencode "email=$email" \
    --data-urlencode "password=bench-password-123" "$CADENCE_URL/signup"
# Sign-up does not sign in (a taken email must not be told apart): sign in.
token=$(curl -s -c "$jar" -b "$jar" "$CADENCE_URL/login" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$email" --data-urlencode "password=bench-password-123" \
    "$CADENCE_URL/login"
cookie=$(awk '$6 ~ /cadence_session$/ {print $6 "=" $7}' "$jar")
rm -f "$jar"
[ -n "$cookie" ] || die "could not sign the benchmark runner up"

# 16 weeks from 8 weeks ago, 5 workouts a week; past ones run at 95 %,
# one unplanned 5 km run a week.
plan=$($PSQL -c "
WITH u AS (SELECT id FROM users WHERE email = '$email'),
p AS (INSERT INTO training_plans (user_id, name, race_distance, race_date,
        start_date, total_weeks, vdot)
      SELECT id, 'Bench marathon', 42195, s + 111, s, 16, 48.0
        FROM u, (SELECT date_trunc('week', now() - interval '56 days')::date s) d
      RETURNING id, user_id, start_date)
SELECT id FROM p;" | head -n 1)
$PSQL -c "
INSERT INTO training_phases (training_plan_id, name, phase_index, start_week, end_week)
VALUES ('$plan', 'Base', 0, 1, 6), ('$plan', 'Build', 1, 7, 11),
       ('$plan', 'Peak', 2, 12, 14), ('$plan', 'Taper', 3, 15, 16);
INSERT INTO workouts (training_plan_id, week_number, scheduled_date,
    workout_type, distance, duration_estimate, pace_fast, pace_slow, description)
SELECT '$plan', w, p.start_date + (w - 1) * 7 + d,
       (ARRAY['easy','intervals','easy','tempo','long'])[k],
       (ARRAY[8000, 10000, 8000, 12000, 20000])[k], 50, 290, 320,
       'Steady running with strides at the end'
  FROM training_plans p, generate_series(1, 16) w,
       unnest(ARRAY[0, 1, 3, 4, 6], ARRAY[1, 2, 3, 4, 5]) AS x(d, k)
 WHERE p.id = '$plan';
INSERT INTO strava_activities (user_id, strava_activity_id, name, sport_type,
    distance, moving_time, elapsed_time, average_heartrate, start_date_local,
    start_date, total_elevation_gain)
SELECT p.user_id, 800000000000 + (random() * 1e11)::bigint, 'Morning run', 'Run',
       w.distance * 95 / 100, w.distance * 3 / 10, w.distance * 3 / 10, 148,
       w.scheduled_date + time '07:00', w.scheduled_date + time '07:00', 35
  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id
 WHERE p.id = '$plan' AND w.scheduled_date < current_date;
INSERT INTO workout_completions (workout_id, strava_activity_id)
SELECT w.id, a.id FROM workouts w
  JOIN training_plans p ON p.id = w.training_plan_id
  JOIN strava_activities a ON a.user_id = p.user_id
   AND a.start_date_local::date = w.scheduled_date
 WHERE p.id = '$plan';
INSERT INTO strava_activities (user_id, strava_activity_id, name, sport_type,
    distance, moving_time, elapsed_time, start_date_local)
SELECT p.user_id, 700000000000 + (random() * 1e11)::bigint, 'Shakeout', 'Run',
       5000, 1600, 1600, p.start_date + (w - 1) * 7 + 2 + time '18:00'
  FROM training_plans p, generate_series(1, 8) w WHERE p.id = '$plan';" >/dev/null

url="$CADENCE_URL/plans/$plan"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url")
[ "$status" = 200 ] || die "the calendar answered $status"

wrk_run "$url" -H "Cookie: $cookie"
cal_rps=$RPS cal_p99=$P99 cal_errs=$ERRS
# A page with a flash message is never served from the page cache (as after
# any form post): every request rebuilds it, 5 queries, JSON and render.
wrk_run "$url" -H "Cookie: $cookie; flash=bench"
unc_rps=$RPS unc_p99=$P99 unc_errs=$ERRS
wrk_run "$CADENCE_URL/livez"
awk -v cr="$cal_rps" -v cp="$cal_p99" -v ur="$unc_rps" -v up="$unc_p99" \
    -v lr="$RPS" -v lp="$P99" \
    -v c="$BENCH_CONNECTIONS" -v d="$BENCH_SECONDS" 'BEGIN {
    printf "calendar: %.0f req/s p99 %.1f ms (page cache), %.0f req/s p99 %.1f ms (rebuilt); livez: %.0f req/s p99 %.1f ms; ratio %.2f / %.2f (wrk, %d connections, %ss each; 16 weeks, 80 workouts)\n",
        cr, cp, ur, up, lr, lp, (lr > 0 ? cr / lr : 0), (lr > 0 ? ur / lr : 0), c, d }'
[ "$cal_errs" = 0 ] && [ "$unc_errs" = 0 ]
