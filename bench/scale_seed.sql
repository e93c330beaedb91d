-- bench/scale.sh's data: :n runners, each signed in (session token
-- 'scale-<i>' hashed as session.c does), with a 16-week plan that started
-- 8 weeks ago (5 workouts a week, phases) and a year of runs (~250: one
-- every 35 hours), past workouts completed by the run of their day.
-- Plus three single runners for history-size comparisons: 'scale-light'
-- (30 runs), 'scale-deep' (2,000 runs; both 16-week plans) and
-- 'scale-heavy' (2,000 runs and a 30-week plan).
-- psql -v n=2000 -f bench/scale_seed.sql
\set ON_ERROR_STOP on
SET synchronous_commit = off;

CREATE TEMP TABLE r AS
SELECT i, gen_random_uuid() AS uid,
       CASE i WHEN -1 THEN 'light' WHEN -2 THEN 'heavy' WHEN -3 THEN 'deep'
              ELSE i::text END AS tag,
       CASE i WHEN -1 THEN 30 WHEN -2 THEN 2000 WHEN -3 THEN 2000 ELSE 250 END AS runs,
       CASE i WHEN -2 THEN 30 ELSE 16 END AS weeks
  FROM (SELECT generate_series(1, :n) AS i
        UNION ALL SELECT generate_series(-3, -1)) g;

-- Every runner's personal company (sql/015; the trigger that makes one is
-- off while seeding): its id is the runner's.
INSERT INTO companies (id, name, slug, personal)
SELECT uid, 'Scale Runner ' || tag, 'p-' || replace(uid::text, '-', ''), TRUE FROM r;
INSERT INTO users (id, email, name, company_id, personal_company_id)
SELECT uid, 'scale-' || tag || '@bench.cadence', 'Scale Runner ' || tag, uid, uid FROM r;
INSERT INTO athlete_profiles (user_id, weekly_distance) SELECT uid, 40000 FROM r;
INSERT INTO sessions (user_id, token_hash, csrf_token)
SELECT uid, sha256(convert_to(encode(sha256(convert_to('scale-' || tag, 'UTF8')), 'hex'), 'UTF8')),
       md5(tag) FROM r;

INSERT INTO user_data_versions (user_id, version) SELECT uid, 1 FROM r;

CREATE TEMP TABLE p AS
SELECT r.*, gen_random_uuid() AS pid, gen_random_uuid() AS race,
       date_trunc('week', now() - interval '56 days')::date AS s FROM r;
INSERT INTO races (id, user_id, name, distance, race_date, location)
SELECT race, uid, 'City Marathon', 42195, s + weeks * 7 - 1, 'Paris' FROM p;
INSERT INTO training_plans (id, user_id, name, race_distance, race_date,
        start_date, total_weeks, vdot, baseline_weekly_distance, race_id)
SELECT pid, uid, 'Scale marathon', 42195, s + weeks * 7 - 1, s, weeks, 48.0, 40000, race FROM p;
INSERT INTO training_phases (training_plan_id, name, phase_index, start_week, end_week)
SELECT pid, x.name, x.k, greatest(1, round(weeks * x.a)::int), round(weeks * x.b)::int
  FROM p, (VALUES ('Base', 0, 0.0, 0.375), ('Build', 1, 0.4, 0.69),
                  ('Peak', 2, 0.7, 0.875), ('Taper', 3, 0.9, 1.0)) x(name, k, a, b);
INSERT INTO workouts (training_plan_id, week_number, scheduled_date,
    workout_type, distance, duration_estimate, pace_fast, pace_slow, description)
SELECT pid, w, s + (w - 1) * 7 + d,
       (ARRAY['Easy','Intervals','Easy','Tempo','Long'])[k],
       (ARRAY[8000, 10000, 8000, 12000, 20000])[k], 50, 290, 320,
       'Steady running with strides at the end'
  FROM p, generate_series(1, weeks) w,
       unnest(ARRAY[0, 1, 3, 4, 6], ARRAY[1, 2, 3, 4, 5]) AS x(d, k)
 WHERE s + (w - 1) * 7 + d < s + weeks * 7 - 1;
INSERT INTO workouts (training_plan_id, week_number, scheduled_date,
    workout_type, distance, duration_estimate, description)
SELECT pid, weeks, s + weeks * 7 - 1, 'Race', 42195, 210, 'Race day' FROM p;

-- Runs: newest first from yesterday back, one every 35 hours; those on a
-- workout's day run that workout at 95 %.
INSERT INTO strava_activities (user_id, strava_activity_id, name, sport_type,
    distance, moving_time, elapsed_time, average_heartrate, start_date_local,
    start_date, total_elevation_gain)
SELECT uid, 500000000000 + (i + 10) * 100000 + k, 'Morning run', 'Run',
       6000 + (k * 37) % 9000, 1800 + (k * 53) % 2400, 1900 + (k * 53) % 2400, 148,
       date_trunc('day', now()) - interval '1 day' - (k * interval '35 hours') + time '07:00',
       date_trunc('day', now()) - interval '1 day' - (k * interval '35 hours') + time '06:00', 35
  FROM p, generate_series(0, runs - 1) k;
INSERT INTO workout_completions (workout_id, strava_activity_id)
SELECT DISTINCT ON (w.id) w.id, a.id
  FROM p JOIN workouts w ON w.training_plan_id = p.pid
  JOIN strava_activities a ON a.user_id = p.uid
   AND a.start_date_local >= w.scheduled_date
   AND a.start_date_local < w.scheduled_date + 1
 WHERE w.scheduled_date < current_date
 ORDER BY w.id, a.id;
UPDATE workouts w SET completed_at = now()
  FROM workout_completions c WHERE c.workout_id = w.id;
INSERT INTO workout_feedback (workout_id, note, rpe)
SELECT c.workout_id, 'Felt good', 3 FROM workout_completions c;

-- Two clubs for the roster's cost, 'scale-club-5' and 'scale-club-50',
-- whose owners (tokens 'scale-coach-5', 'scale-coach-50') coach runners
-- 1-5 and 6-55 as athletes.
CREATE TEMP TABLE k AS
SELECT size, gen_random_uuid() AS cid, gen_random_uuid() AS uid,
       CASE size WHEN 5 THEN 1 ELSE 6 END AS first,
       CASE size WHEN 5 THEN 5 ELSE 55 END AS last
  FROM (VALUES (5), (50)) v (size);
INSERT INTO companies (id, name, slug)
SELECT cid, 'Scale club ' || size, 'scale-club-' || size FROM k;
INSERT INTO companies (id, name, slug, personal)
SELECT uid, 'Scale coach', 'p-' || replace(uid::text, '-', ''), TRUE FROM k;
INSERT INTO users (id, email, name, company_id, company_role, personal_company_id)
SELECT uid, 'scale-coach-' || size || '@bench.cadence', 'Scale Coach ' || size,
       cid, 'owner', uid FROM k;
INSERT INTO athlete_profiles (user_id) SELECT uid FROM k;
INSERT INTO sessions (user_id, token_hash, csrf_token)
SELECT uid, sha256(convert_to(encode(sha256(convert_to('scale-coach-' || size, 'UTF8')), 'hex'), 'UTF8')),
       md5('coach' || size) FROM k;
UPDATE users u SET company_id = k.cid, company_role = 'athlete'
  FROM r, k WHERE u.id = r.uid AND r.i BETWEEN k.first AND k.last;

ANALYZE;
-- tag token plan: what the wrk script reads.
-- Coaches: "coach-N token club-slug" (bench/scale.lua takes numeric tags only).
\copy (SELECT tag, token, id FROM (SELECT i, tag, encode(sha256(convert_to('scale-' || tag, 'UTF8')), 'hex') AS token, pid::text AS id FROM p UNION ALL SELECT 100000 + size, 'coach-' || size, encode(sha256(convert_to('scale-coach-' || size, 'UTF8')), 'hex'), 'scale-club-' || size FROM k) x ORDER BY i) TO pstdout
