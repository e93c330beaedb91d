-- One job queue (issue 14): Strava's webhook events and history imports
-- are worked as jobs (sql/016) of kinds 'strava.event' and
-- 'strava.import', claimed, leased, retried with backoff and given up by
-- the one engine of app/jobs/jobs.c.  Their own lease and retry columns
-- (sql/003, sql/005) go.  What stays:
--
--   strava_webhook_events  the record of what Strava sent: the intake
--                          still inserts there, and processed,
--                          processed_at, note, error_message and failed_at
--                          keep telling what became of each event (set
--                          from its job's outcome by a trigger below)
--   strava_imports         each runner's import and its checkpoint (page,
--                          done, total, status, requests)
--
-- A 'strava.event' job names its event in the payload ({"event": id}) and
-- in dedup_key (the event id: one waiting job per event); a
-- 'strava.import' job is its runner's (user_id; dedup_key the same id).

-- ---- the queue under a webhook burst -------------------------------------
-- Lookups by key, waiting or finished (`cadence events`, the tests).
CREATE INDEX idx_jobs_kind_key ON jobs (kind, dedup_key)
    WHERE dedup_key IS NOT NULL;
-- Room on each page for a claimed job's next version: the claim changes
-- no indexed column, so it stays a HOT update (no new index entries that
-- the next claim must step over).  Measured: a backlog of 13,000 events
-- drained in 80 s at the default fillfactor, 32 s at 50.
ALTER TABLE jobs SET (fillfactor = 50);

-- ---- what was in flight becomes waiting jobs ------------------------------
-- Attempts spent so far carry over (an event a worker kept dying on is
-- still given up); leases do not: the old workers are gone.
INSERT INTO jobs (kind, user_id, payload, dedup_key, attempts,
                  next_attempt_at, created_at)
SELECT 'strava.event',
       (SELECT u.id FROM users u WHERE u.strava_athlete_id = e.strava_athlete_id
           AND u.strava_refresh_token IS NOT NULL LIMIT 1),
       jsonb_build_object('event', e.id), e.id::text, e.attempts,
       e.next_attempt_at, e.created_at
  FROM strava_webhook_events e
 WHERE NOT e.processed AND e.failed_at IS NULL
ON CONFLICT DO NOTHING;

-- An import's attempts counted up to 10 failures; the engine gives up
-- after 8 attempts, so each import keeps at least one more.
INSERT INTO jobs (kind, user_id, dedup_key, attempts, next_attempt_at,
                  created_at)
SELECT 'strava.import', i.user_id, i.user_id::text, LEAST(i.attempts, 7),
       i.next_attempt_at, i.created_at
  FROM strava_imports i
 WHERE i.status IN ('pending', 'running')
ON CONFLICT DO NOTHING;

-- ---- the old leases go ------------------------------------------------------
-- (idx_webhook_queue and idx_imports_due go with their column.)
ALTER TABLE strava_webhook_events
    DROP COLUMN attempts,
    DROP COLUMN next_attempt_at,
    DROP COLUMN locked_by,
    DROP COLUMN locked_until;
ALTER TABLE strava_imports
    DROP COLUMN attempts,
    DROP COLUMN next_attempt_at,
    DROP COLUMN locked_until;
-- Pending events, oldest first: /metrics, and the intake's check for a
-- deauthorization already waiting.
CREATE INDEX idx_webhook_pending ON strava_webhook_events (created_at)
    WHERE NOT processed AND failed_at IS NULL;

-- ---- wake-ups: the queue's, not Strava's ----------------------------------
-- The jobs insert trigger (sql/016) wakes the workers for events too.
DROP TRIGGER strava_webhook_events_notify ON strava_webhook_events;
ALTER TABLE strava_webhook_sleepers RENAME TO job_sleepers;
ALTER FUNCTION notify_webhook_event() RENAME TO notify_job_workers;
CREATE OR REPLACE FUNCTION notify_job_workers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM job_sleepers) THEN
        PERFORM pg_notify('cadence_webhook_events', '');
    END IF;
    RETURN NULL;
END $$;

-- ---- a job's outcome, written on the record it works --------------------
-- In the statement that records the outcome, so the record never
-- disagrees with its job, also when the engine gives a job up without
-- running it (a worker died on it) or an operator retries it
-- (`cadence jobs retry`).  An event already processed (a fetch of the
-- same activity answered it: strava/webhook_queue.h) keeps its note.
CREATE FUNCTION strava_job_outcome() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ev UUID;
BEGIN
    IF NEW.kind = 'strava.import' THEN
        UPDATE strava_imports
           SET status = 'failed', finished_at = NOW(),
               error_message = COALESCE(NEW.note, error_message)
         WHERE user_id = NEW.user_id AND status IN ('pending', 'running');
        RETURN NULL;
    END IF;
    IF NEW.payload->>'event' !~
       '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN NULL;	-- written by hand: names no event
    END IF;
    ev := (NEW.payload->>'event')::uuid;
    IF NEW.state = 'done' THEN
        UPDATE strava_webhook_events
           SET processed = TRUE, processed_at = NOW(), note = NEW.note,
               error_message = NULL
         WHERE id = ev AND NOT processed;
    ELSIF NEW.state = 'failed' THEN
        UPDATE strava_webhook_events
           SET failed_at = NOW(), error_message = NEW.note
         WHERE id = ev AND NOT processed;
    ELSE	-- waiting again: a retry's reason, or retried by hand
        UPDATE strava_webhook_events
           SET failed_at = NULL, error_message = NEW.note
         WHERE id = ev AND NOT processed;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_strava_outcome
    AFTER UPDATE OF state, note ON jobs
    FOR EACH ROW
    WHEN ((NEW.kind = 'strava.event' AND (NEW.state IS DISTINCT FROM
           OLD.state OR NEW.note IS DISTINCT FROM OLD.note)) OR
          (NEW.kind = 'strava.import' AND NEW.state = 'failed' AND
           OLD.state <> 'failed'))
    EXECUTE FUNCTION strava_job_outcome();

-- ---- the intake: the event and its job in one statement ------------------
-- As in sql/010, plus: the runner's users.id is looked up once (the
-- bucket, and the job's owner), and a stored event gets its job, due when
-- the event is (a deauthorization may wait deauth_check_seconds).
CREATE OR REPLACE FUNCTION strava_webhook_intake(p_owner BIGINT,
    p_object_type TEXT, p_object_id BIGINT, p_aspect TEXT,
    p_event_time BIGINT, p_payload JSONB, p_spool_id TEXT, p_sub BIGINT,
    p_our_sub BIGINT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
    s      strava_webhook_settings%ROWTYPE;
    runner UUID;
    known  BOOLEAN;
    w      TIMESTAMP;
    due    TIMESTAMP := NOW();
    ev     UUID;
    shard  INTEGER := pg_backend_pid() % 8;
    deauth BOOLEAN := p_object_type = 'athlete' AND COALESCE(
                      p_payload->'updates'->>'authorized' = 'false', false);
BEGIN
    IF (p_our_sub <> 0 AND p_sub <> p_our_sub) OR (p_our_sub = 0 AND
        EXISTS (SELECT 1 FROM strava_webhook_subscription
                 HAVING bool_and(id <> p_sub))) THEN
        RETURN strava_webhook_count('foreign_subscription');
    END IF;
    SELECT * INTO s FROM strava_webhook_settings WHERE id = 1;
    w := to_timestamp(floor(extract(epoch FROM NOW()) /
             s.limit_window_seconds) * s.limit_window_seconds)
         AT TIME ZONE 'UTC';
    SELECT id INTO runner FROM users WHERE strava_athlete_id = p_owner
       AND strava_refresh_token IS NOT NULL LIMIT 1;
    known := runner IS NOT NULL;
    IF NOT known THEN
        IF strava_webhook_taken(-2, w) >= s.unknown_limit THEN
            RETURN strava_webhook_count('unknown_limit');
        END IF;
    ELSIF deauth THEN
        -- One deauthorization check waiting per runner, none sooner than
        -- deauth_check_seconds after the last (sql/010).
        IF EXISTS (SELECT 1 FROM strava_webhook_events
                    WHERE strava_athlete_id = p_owner
                      AND object_type = 'athlete'
                      AND raw_payload->'updates'->>'authorized' = 'false'
                      AND NOT processed AND failed_at IS NULL) THEN
            RETURN strava_webhook_count('duplicate');
        END IF;
        SELECT GREATEST(NOW(), max(processed_at) +
               make_interval(secs => s.deauth_check_seconds)) INTO due
          FROM strava_webhook_events
         WHERE strava_athlete_id = p_owner AND object_type = 'athlete'
           AND raw_payload->'updates'->>'authorized' = 'false'
           AND processed;
        due := COALESCE(due, NOW());
    ELSIF strava_webhook_taken(p_owner, w) >= s.athlete_limit THEN
        PERFORM strava_webhook_owe_resync(p_owner, s);
        RETURN strava_webhook_count('athlete_limit');
    ELSIF strava_webhook_taken(-1, w) >= s.global_limit THEN
        PERFORM strava_webhook_owe_resync(p_owner, s);
        RETURN strava_webhook_count('global_limit');
    END IF;
    INSERT INTO strava_webhook_events (strava_athlete_id, object_type,
           object_id, aspect_type, event_time, raw_payload, spool_id,
           athlete_known)
    VALUES (p_owner, p_object_type, p_object_id, p_aspect,
            to_timestamp(p_event_time) AT TIME ZONE 'UTC', p_payload,
            p_spool_id, known)
    ON CONFLICT DO NOTHING
    RETURNING id INTO ev;
    IF ev IS NULL THEN
        RETURN strava_webhook_count('duplicate');
    END IF;
    INSERT INTO jobs (kind, user_id, payload, dedup_key, next_attempt_at)
    VALUES ('strava.event', runner, jsonb_build_object('event', ev),
            ev::text, due);
    IF NOT known THEN
        PERFORM strava_webhook_take(-2, shard, w);
    ELSIF NOT deauth THEN
        PERFORM strava_webhook_take(p_owner, 0, w);
        PERFORM strava_webhook_take(-1, shard, w);
    END IF;
    RETURN 'stored';
END $$;
