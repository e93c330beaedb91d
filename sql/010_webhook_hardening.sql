-- Forged webhooks (Strava's are unsigned) must cost little and delete
-- nothing, and webhook data must not be kept forever (issue 12, items 3
-- and 5).  What this adds:
--
--   strava_webhook_settings   the intake limits, the not-found window and
--                             the retention periods: one row every host
--                             reads (`cadence events settings`)
--   strava_webhook_counters   events answered 200 but not taken, by reason
--                             (foreign subscription, duplicate, limits),
--                             for /metrics; sharded by backend so that a
--                             flood does not queue on one row
--   strava_webhook_intake_counts  events taken in the current limit window,
--                             per runner and (sharded) over all runners
--                             and over unknown athletes
--   strava_webhook_resync     known runners whose events were dropped by a
--                             limit: their activities are fetched again in
--                             one list call (a history import) instead
--   strava_webhook_intake()   the one statement POST /strava/webhook runs
--
-- and a unique key on (owner, object, aspect, event_time), so Strava's
-- retries of one event (up to three attempts) are stored, and fetched, once.

CREATE TABLE strava_webhook_settings (
    id                       SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    -- Intake limits: events stored per window, per runner and over all
    -- runners; events of athletes who are no connected runner of ours
    -- cost no Strava call and have a bucket of their own.  Sized to
    -- Strava's default budget of a new application (100 reads per 15
    -- minutes), a forged create costing up to 3 calls: what is dropped
    -- is caught up by a resync, one call a runner, so tight limits lose
    -- nothing (docs/operations.md).
    limit_window_seconds     INTEGER NOT NULL DEFAULT 900
                             CHECK (limit_window_seconds > 0),
    athlete_limit            INTEGER NOT NULL DEFAULT 10
                             CHECK (athlete_limit >= 0),
    global_limit             INTEGER NOT NULL DEFAULT 30
                             CHECK (global_limit >= 0),
    unknown_limit            INTEGER NOT NULL DEFAULT 100
                             CHECK (unknown_limit >= 0),
    -- A runner whose events were dropped is re-synced this long after
    -- the first drop, and at most once per resync_interval_seconds.
    resync_delay_seconds     INTEGER NOT NULL DEFAULT 60
                             CHECK (resync_delay_seconds >= 0),
    resync_interval_seconds  INTEGER NOT NULL DEFAULT 3600
                             CHECK (resync_interval_seconds >= 0),
    -- At most one deauthorization check with Strava per runner this often.
    deauth_check_seconds     INTEGER NOT NULL DEFAULT 600
                             CHECK (deauth_check_seconds >= 0),
    -- Strava's eventual consistency: an upload is processed in about two
    -- seconds (developers.strava.com/docs/uploads), a delete may take as
    -- long to show.  A create answered 404, or a delete whose activity is
    -- still there, is asked again within this window, never after it.
    not_found_window_seconds INTEGER NOT NULL DEFAULT 60
                             CHECK (not_found_window_seconds >= 0),
    -- Retention (docs/operations.md).
    retention_days           INTEGER NOT NULL DEFAULT 30
                             CHECK (retention_days >= 0),
    unknown_retention_hours  INTEGER NOT NULL DEFAULT 24
                             CHECK (unknown_retention_hours >= 0),
    failed_retention_days    INTEGER NOT NULL DEFAULT 90
                             CHECK (failed_retention_days >= 0)
);
INSERT INTO strava_webhook_settings DEFAULT VALUES;

-- Unlogged like a process's counters: a crash resets them (Prometheus
-- takes counter resets in its stride), a flood writes no WAL for them.
CREATE UNLOGGED TABLE strava_webhook_counters (
    reason VARCHAR(32) NOT NULL,
    shard  SMALLINT NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (reason, shard)
) WITH (fillfactor = 50);

CREATE TABLE strava_webhook_resync (
    athlete_id BIGINT PRIMARY KEY,
    due_at     TIMESTAMP,           -- NULL: nothing owed
    last_at    TIMESTAMP,           -- the last resync started
    dropped    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_webhook_resync_due ON strava_webhook_resync (due_at)
    WHERE due_at IS NOT NULL;

-- Events taken in the current fixed window (limit_window_seconds, aligned
-- to the epoch): one row per runner (key = athlete id, shard 0), and for
-- all runners (key -1) and unknown athletes (key -2) one row per shard,
-- summed when read.  O(1) per event whatever the limits; a burst may get
-- up to twice a limit across a window boundary.
-- Unlogged: a count is worth nothing after its window, and a crash that
-- loses the counts only starts the window afresh; no WAL per event.  Room
-- on each page for the row's next version (HOT updates, no index churn).
CREATE UNLOGGED TABLE strava_webhook_intake_counts (
    key          BIGINT NOT NULL,
    shard        SMALLINT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (key, shard)
) WITH (fillfactor = 50);

-- Whether the owner was a connected runner when the event arrived: which
-- bucket it counted in, and how long it is kept.
ALTER TABLE strava_webhook_events
    ADD COLUMN athlete_known BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE strava_webhook_events e SET athlete_known = EXISTS (
    SELECT 1 FROM users u WHERE u.strava_athlete_id = e.strava_athlete_id
       AND u.strava_refresh_token IS NOT NULL);

-- One event, one row: keep the processed copy, else the oldest.
DELETE FROM strava_webhook_events e USING (
    SELECT id, row_number() OVER (PARTITION BY strava_athlete_id,
           object_type, object_id, aspect_type, event_time
           ORDER BY processed DESC, created_at, id) AS n
      FROM strava_webhook_events) d
 WHERE e.id = d.id AND d.n > 1;
CREATE UNIQUE INDEX strava_webhook_events_key ON strava_webhook_events
    (strava_athlete_id, object_type, object_id, aspect_type, event_time);
-- The key's first column serves lookups by athlete.
DROP INDEX idx_webhook_athlete;
-- Retention: processed events by age (a boolean index served nothing).
DROP INDEX idx_webhook_processed;
CREATE INDEX idx_webhook_processed_at ON strava_webhook_events
    (athlete_known, processed_at) WHERE processed;

-- Strava said the token lacks a scope (401 "activity:read_permission"
-- missing): the runner must authorize again, granting it.
ALTER TABLE users ADD COLUMN strava_scope_missing VARCHAR(64);

-- Deauthorized runners keep only what a reconnect needs: the athlete id.
UPDATE users SET strava_athlete_name = NULL, strava_scope = NULL,
       strava_connected_at = NULL
 WHERE strava_athlete_id IS NOT NULL AND strava_refresh_token IS NULL;

-- A runner unlinked from an athlete (disconnect, account deletion, which
-- disconnects first, or a link to another athlete): every webhook row
-- naming the old athlete goes in the same transaction.  Events that
-- arrive later (the deauthorization Strava sends after our own
-- /oauth/deauthorize) belong to an unknown athlete and are purged after
-- unknown_retention_hours.
CREATE FUNCTION forget_webhook_athlete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM strava_webhook_events
     WHERE strava_athlete_id = OLD.strava_athlete_id;
    DELETE FROM strava_webhook_resync WHERE athlete_id = OLD.strava_athlete_id;
    DELETE FROM strava_webhook_intake_counts
     WHERE key = OLD.strava_athlete_id;
    RETURN NULL;
END $$;

CREATE TRIGGER users_unlink_webhook_events
    AFTER UPDATE OF strava_athlete_id ON users
    FOR EACH ROW WHEN (OLD.strava_athlete_id IS NOT NULL AND
                       OLD.strava_athlete_id IS DISTINCT FROM
                       NEW.strava_athlete_id)
    EXECUTE FUNCTION forget_webhook_athlete();

CREATE OR REPLACE FUNCTION delete_user_webhook_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.strava_athlete_id IS NOT NULL THEN
        DELETE FROM strava_webhook_events
         WHERE strava_athlete_id = OLD.strava_athlete_id;
        DELETE FROM strava_webhook_resync
         WHERE athlete_id = OLD.strava_athlete_id;
        DELETE FROM strava_webhook_intake_counts
         WHERE key = OLD.strava_athlete_id;
    END IF;
    RETURN OLD;
END $$;

-- The helpers below are PL/pgSQL, not SQL functions: those are planned
-- again at every call, these keep their plans for the session (it halves
-- the intake's cost).

CREATE FUNCTION strava_webhook_count(p_reason TEXT) RETURNS TEXT
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO strava_webhook_counters (reason, shard, n)
    VALUES (p_reason, pg_backend_pid() % 8, 1)
    ON CONFLICT (reason, shard) DO UPDATE
        SET n = strava_webhook_counters.n + 1;
    RETURN p_reason;
END $$;

-- Events taken in bucket key (all shards) in the window starting at w.
CREATE FUNCTION strava_webhook_taken(p_key BIGINT, w TIMESTAMP) RETURNS BIGINT
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT COALESCE(sum(n), 0) FROM strava_webhook_intake_counts
             WHERE key = p_key AND window_start = w);
END $$;

CREATE FUNCTION strava_webhook_take(p_key BIGINT, p_shard INTEGER,
    w TIMESTAMP) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO strava_webhook_intake_counts (key, shard, window_start, n)
    VALUES (p_key, p_shard, w, 1)
    ON CONFLICT (key, shard) DO UPDATE SET
        n = CASE WHEN strava_webhook_intake_counts.window_start = w
                 THEN strava_webhook_intake_counts.n + 1 ELSE 1 END,
        window_start = w;
END $$;

-- A runner's dropped events are owed a resync: due resync_delay after the
-- first drop, and not sooner than resync_interval after the last resync,
-- so a flood of forged events costs at most one list call per interval.
CREATE FUNCTION strava_webhook_owe_resync(p_owner BIGINT,
    s strava_webhook_settings) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO strava_webhook_resync (athlete_id, due_at, dropped)
    VALUES (p_owner, NOW() + make_interval(secs => s.resync_delay_seconds), 1)
    ON CONFLICT (athlete_id) DO UPDATE SET
        dropped = strava_webhook_resync.dropped + 1,
        due_at = COALESCE(strava_webhook_resync.due_at, GREATEST(
            NOW() + make_interval(secs => s.resync_delay_seconds),
            strava_webhook_resync.last_at
                + make_interval(secs => s.resync_interval_seconds)));
END $$;

-- The intake of one event, in one round trip.  Returns 'stored', or the
-- reason it was dropped (also counted): 'foreign_subscription',
-- 'duplicate', 'athlete_limit', 'global_limit', 'unknown_limit'.  Every
-- one of them is answered 200: a forger learns nothing, and Strava does
-- not retry.  p_our_sub is STRAVA_SUBSCRIPTION_ID (0: the stored
-- subscription, or any while there is none).  Concurrent requests may
-- overshoot a limit by the number of web workers.
CREATE FUNCTION strava_webhook_intake(p_owner BIGINT, p_object_type TEXT,
    p_object_id BIGINT, p_aspect TEXT, p_event_time BIGINT, p_payload JSONB,
    p_spool_id TEXT, p_sub BIGINT, p_our_sub BIGINT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
    s      strava_webhook_settings%ROWTYPE;
    known  BOOLEAN;
    w      TIMESTAMP;
    due    TIMESTAMP := NOW();
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
    known := EXISTS (SELECT 1 FROM users WHERE strava_athlete_id = p_owner
                        AND strava_refresh_token IS NOT NULL);
    IF NOT known THEN
        IF strava_webhook_taken(-2, w) >= s.unknown_limit THEN
            RETURN strava_webhook_count('unknown_limit');
        END IF;
    ELSIF deauth THEN
        -- A deauthorization costs one call to confirm: one check waiting
        -- per runner (it asks Strava when it runs, so it answers for a
        -- later one too), and none sooner than deauth_check_seconds after
        -- the last: delayed, never dropped, so a real one always counts.
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
           athlete_known, next_attempt_at)
    VALUES (p_owner, p_object_type, p_object_id, p_aspect,
            to_timestamp(p_event_time) AT TIME ZONE 'UTC', p_payload,
            p_spool_id, known, due)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN strava_webhook_count('duplicate');
    END IF;
    IF NOT known THEN
        PERFORM strava_webhook_take(-2, shard, w);
    ELSIF NOT deauth THEN
        PERFORM strava_webhook_take(p_owner, 0, w);
        PERFORM strava_webhook_take(-1, shard, w);
    END IF;
    RETURN 'stored';
END $$;
