-- Runner accounts: credentials, the athlete profile the plan generator
-- uses (seed 003's Athlete: weekly mileage, baseline 5K/recent result,
-- units), sessions and sign-in throttling.

ALTER TABLE users
    ADD COLUMN password_hash TEXT;

-- Emails are compared case-insensitively: one account per address.
CREATE UNIQUE INDEX idx_users_email_lower ON users (lower(email));

CREATE TABLE athlete_profiles (
    user_id                UUID PRIMARY KEY
                           REFERENCES users (id) ON DELETE CASCADE,
    units                  VARCHAR(2) NOT NULL DEFAULT 'km'
                           CHECK (units IN ('km', 'mi')),
    first_day_of_week      VARCHAR(3) NOT NULL DEFAULT 'mon'
                           CHECK (first_day_of_week IN ('mon', 'sun')),
    timezone               VARCHAR(64) NOT NULL DEFAULT 'UTC',
    weekly_distance        INTEGER CHECK (weekly_distance >= 0),
    longest_run            INTEGER CHECK (longest_run >= 0),
    recent_race_distance   INTEGER CHECK (recent_race_distance > 0),
    recent_race_time       INTEGER CHECK (recent_race_time > 0),
    created_at             TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at             TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE TRIGGER athlete_profiles_updated_at BEFORE UPDATE ON athlete_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Only the SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT NOW(),
    last_seen_at TIMESTAMP NOT NULL DEFAULT NOW(),
    user_agent   VARCHAR(255)
);
CREATE INDEX idx_sessions_user ON sessions (user_id);

-- Failed sign-ins per account ('email:...') and per client ('addr:...').
CREATE TABLE login_throttle (
    key          VARCHAR(320) PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TIMESTAMP NOT NULL DEFAULT NOW(),
    locked_until TIMESTAMP
);
