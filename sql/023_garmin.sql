-- Garmin Connect (issue 17.2): docs/garmin.md.
--
-- One row per runner who connected Garmin (seed 003's garmin_* fields,
-- snake_case, in a table of their own instead of more columns on users).
-- Tokens are sealed like Strava's (strava/tokens.h: XChaCha20-Poly1305
-- under CADENCE_SECRET_KEY, bound to the user id and the column), so a
-- database dump alone does not hold a usable token.  Disconnecting keeps
-- the row with its times and nothing else: the Garmin user id, tokens and
-- permissions go (garmin_user_id NULL is "not connected").
CREATE TABLE garmin_connections (
    user_id             UUID PRIMARY KEY
                        REFERENCES users (id) ON DELETE CASCADE,
    garmin_user_id      VARCHAR(64) UNIQUE,
    access_token        TEXT,		-- sealed
    refresh_token       TEXT,		-- sealed; rotates on every refresh
    expires_at          TIMESTAMPTZ,	-- the access token's
    refresh_expires_at  TIMESTAMPTZ,
    scope               VARCHAR(255) NOT NULL DEFAULT '',
    permissions         VARCHAR(255) NOT NULL DEFAULT '',	-- comma list
    needs_reconnect     BOOLEAN NOT NULL DEFAULT FALSE,
    connected_at        TIMESTAMPTZ,
    disconnected_at     TIMESTAMPTZ,
    last_sync_at        TIMESTAMPTZ,
    CHECK ((garmin_user_id IS NULL) = (access_token IS NULL))
);

-- A connection attempt: the state sent to Garmin, as its SHA-256, bound
-- to the session that started it; single use, 10 minutes.  The PKCE
-- verifier is not stored: it is derived from the state under
-- CADENCE_SECRET_KEY (core/secret.h), so only this installation knows it.
CREATE TABLE garmin_oauth_states (
    state_hash BYTEA PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_garmin_oauth_states_created
    ON garmin_oauth_states (created_at);
