-- The webhook event table becomes a durable job queue (app/jobs/queue.h).
-- Seed 000's columns keep their meaning: processed/processed_at say an
-- event is done, error_message holds the last failure.  Added here:
--
--   attempts         claims so far (a claim counts even if the worker dies)
--   next_attempt_at  not claimed before this time (backoff with jitter)
--   failed_at        set when attempts ran out: the event is parked until
--                    `cadence events retry ID`
--   locked_by        PostgreSQL backend pid of the job worker holding the
--                    claim; the claim lapses as soon as that backend is
--                    gone (worker killed) or locked_until has passed
--   locked_until     the lease's hard limit
--   note             why a processed event needed no work ("unknown athlete")
--   spool_id         the spool file an event was replayed from: a unique
--                    key, so a crash between INSERT and unlink never
--                    stores an event twice

ALTER TABLE strava_webhook_events
    ADD COLUMN attempts        INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at TIMESTAMP NOT NULL DEFAULT NOW(),
    ADD COLUMN failed_at       TIMESTAMP,
    ADD COLUMN locked_by       INTEGER,
    ADD COLUMN locked_until    TIMESTAMP,
    ADD COLUMN note            TEXT,
    ADD COLUMN spool_id        VARCHAR(64) UNIQUE;

-- The claim query walks this: only events still waiting are in it.
CREATE INDEX idx_webhook_queue ON strava_webhook_events (next_attempt_at)
    WHERE NOT processed AND failed_at IS NULL;
-- `cadence events` lists the parked ones.
CREATE INDEX idx_webhook_failed ON strava_webhook_events (failed_at)
    WHERE failed_at IS NOT NULL;

-- Our push subscription, written by `cadence strava subscribe` (one row).
-- While it is empty and STRAVA_SUBSCRIPTION_ID is unset, events of any
-- subscription are accepted.
CREATE TABLE strava_webhook_subscription (
    id           BIGINT PRIMARY KEY,
    callback_url TEXT,
    created_at   TIMESTAMP NOT NULL DEFAULT NOW()
);

-- Job workers asleep on LISTEN, by backend pid.  A worker registers here
-- before it sleeps and leaves when it wakes.
CREATE TABLE strava_webhook_sleepers (
    pid INTEGER PRIMARY KEY
);

-- An INSERT wakes the job workers (LISTEN cadence_webhook_events), also
-- rows added by hand; one notification per statement, not per row.  Only
-- when one sleeps: a NOTIFY serialises commits on a cluster-wide lock
-- (taken before the commit record is flushed), which under load costs
-- more than the notification is worth while the workers are busy anyway.
-- A worker that registers just as an event commits may miss it; its
-- periodic sweep finds it.
CREATE FUNCTION notify_webhook_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM strava_webhook_sleepers) THEN
        PERFORM pg_notify('cadence_webhook_events', '');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER strava_webhook_events_notify
    AFTER INSERT ON strava_webhook_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_event();
