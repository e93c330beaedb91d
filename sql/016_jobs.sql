-- One durable job queue for background work of every kind (mail, Garmin,
-- exports, re-plans ...): app/jobs/jobs.h.  A job is claimed with FOR
-- UPDATE SKIP LOCKED under a lease (the claiming backend's pid and a
-- deadline: a killed worker's connection closes and its jobs are claimed
-- again), retried with backoff, and kept a while after it ends.
CREATE TABLE jobs (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            VARCHAR(64) NOT NULL,
    user_id         UUID REFERENCES users (id) ON DELETE CASCADE,
    payload         JSONB NOT NULL DEFAULT '{}',
    -- At most one waiting job per (kind, dedup_key): enqueueing again
    -- while one waits changes nothing.
    dedup_key       TEXT,
    state           VARCHAR(10) NOT NULL DEFAULT 'waiting'
                    CHECK (state IN ('waiting', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL DEFAULT NOW(),
    locked_by       INTEGER,
    locked_until    TIMESTAMP,
    note            TEXT,
    created_at      TIMESTAMP NOT NULL DEFAULT NOW(),
    finished_at     TIMESTAMP
);
CREATE INDEX idx_jobs_due ON jobs (next_attempt_at) WHERE state = 'waiting';
CREATE UNIQUE INDEX idx_jobs_dedup ON jobs (kind, dedup_key)
    WHERE state = 'waiting' AND dedup_key IS NOT NULL;
CREATE INDEX idx_jobs_user ON jobs (user_id);
CREATE INDEX idx_jobs_finished ON jobs (finished_at) WHERE state <> 'waiting';

-- Wakes sleeping job workers as webhook events do (sql/003).
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_event();
