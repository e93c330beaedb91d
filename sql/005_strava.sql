-- The Strava connection (app/strava/): OAuth state, connection details,
-- the background import and the shared rate-limit budget.
--
-- Tokens stay in seed 000's columns users.strava_access_token and
-- users.strava_refresh_token, encrypted (app/strava/tokens.h): text
-- "k1:" + base64(nonce || ciphertext), bound to the row and column.

ALTER TABLE users
    ADD COLUMN strava_scope          VARCHAR(255),   -- as granted: "read,activity:read_all"
    ADD COLUMN strava_athlete_name   VARCHAR(255),
    ADD COLUMN strava_connected_at   TIMESTAMP,
    -- Strava refused our refresh token (or the access token): the runner
    -- must connect again; nothing is fetched meanwhile.
    ADD COLUMN strava_needs_reconnect BOOLEAN NOT NULL DEFAULT FALSE;

-- OAuth "state" values handed out by GET /strava/connect: only their
-- SHA-256 is kept; single use (deleted when checked), tied to the session,
-- valid STRAVA_STATE_TTL (10 minutes).
CREATE TABLE strava_oauth_states (
    state_hash BYTEA PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_oauth_states_created ON strava_oauth_states (created_at);

-- One history import per runner, worked by the job workers
-- (app/strava/import.h).  It asks Strava for the activities that started
-- after after_epoch, oldest first, per_page 200; `page` is the checkpoint:
-- the next page to fetch, saved in the same transaction as the activities
-- of the page before, so a restart neither skips nor repeats a page.
-- Strava tells no total: `total` is an estimate that grows page by page
-- (exact once done).
CREATE TABLE strava_imports (
    user_id         UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    status          VARCHAR(10) NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'done', 'failed')),
    after_epoch     BIGINT NOT NULL,
    page            INTEGER NOT NULL DEFAULT 1 CHECK (page >= 1),
    done            INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
    total           INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
    attempts        INTEGER NOT NULL DEFAULT 0,   -- failures in a row
    next_attempt_at TIMESTAMP NOT NULL DEFAULT NOW(),
    locked_until    TIMESTAMP,                    -- a job worker's lease
    error_message   TEXT,
    requests        INTEGER NOT NULL DEFAULT 0,   -- Strava calls spent
    created_at      TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at      TIMESTAMP NOT NULL DEFAULT NOW(),
    finished_at     TIMESTAMP
);
CREATE INDEX idx_imports_due ON strava_imports (next_attempt_at)
    WHERE status IN ('pending', 'running');
CREATE TRIGGER strava_imports_updated_at BEFORE UPDATE ON strava_imports
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The application's Strava rate-limit budget as the last answer reported
-- it (X-RateLimit-* and X-ReadRateLimit-* headers).  Strava counts per
-- application, so every process on every host records here and checks here
-- before calling: one row.  window_start is the 15-minute window (aligned
-- to :00/:15/:30/:45 UTC) the *_15min usage belongs to; day the UTC day.
CREATE TABLE strava_rate_limit (
    id                SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    limit_15min       INTEGER,
    limit_daily       INTEGER,
    usage_15min       INTEGER,
    usage_daily       INTEGER,
    read_limit_15min  INTEGER,
    read_limit_daily  INTEGER,
    read_usage_15min  INTEGER,
    read_usage_daily  INTEGER,
    window_start      TIMESTAMP,
    day               DATE,
    throttled         INTEGER NOT NULL DEFAULT 0,  -- 429 answers seen
    updated_at        TIMESTAMP NOT NULL DEFAULT NOW()
);
INSERT INTO strava_rate_limit (id) VALUES (1);

-- raw_data is nulled after CADENCE_RAW_DATA_DAYS by the job workers.
CREATE INDEX idx_activities_raw ON strava_activities (updated_at)
    WHERE raw_data IS NOT NULL;
