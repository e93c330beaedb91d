-- Mail to runners (issue 19, phase 2): verified addresses, one-time links
-- for verification and password resets, the notifications a runner opts
-- into, and data exports.  app/db/mail.c is the code that knows these
-- tables; the job handlers are app/jobs/mail_*.c.

-- Set when the runner proved they read the address (a verification or a
-- password-reset link); cleared when the email changes.  Notifications go
-- only to verified addresses.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;

-- One-time links.  Only the SHA-256 of a link's token is kept; the token
-- itself exists in the mail alone (the queued mail holds it sealed with
-- CADENCE_SECRET_KEY, app/jobs/mail_send.c).  `email` is the address the
-- link was sent to: a verification link verifies that address only while
-- it is still the account's.  Used links stay (used_at) until they expire,
-- so a second click says "already used" rather than "not valid".
CREATE TABLE email_tokens (
    token_hash  BYTEA PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     VARCHAR(10) NOT NULL CHECK (purpose IN ('verify', 'reset')),
    email       VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT NOW(),
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX idx_email_tokens_user ON email_tokens (user_id, purpose);
CREATE INDEX idx_email_tokens_expires ON email_tokens (expires_at);

-- The notifications a runner turned on (a row = on; none is on by
-- default).  Kinds: app/jobs/mail_notify.h.
CREATE TABLE notification_settings (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       VARCHAR(32) NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (user_id, kind)
);

-- What was mailed once per period (a week's summary, a day's "someone
-- tried to sign up" notice, one loss of the Strava connection): a job
-- that runs twice (at-least-once delivery) mails once.  Rows older than
-- 90 days are purged by the weekly job.
CREATE TABLE mail_ledger (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       VARCHAR(32) NOT NULL,
    period     VARCHAR(64) NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (user_id, kind, period)
);

-- "Download my data": one archive per request, written by a job worker
-- under CADENCE_EXPORT_DIR, served to its owner through a signed link
-- until expires_at, then deleted.
CREATE TABLE data_exports (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      VARCHAR(10) NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'ready', 'failed')),
    size_bytes  BIGINT,
    created_at  TIMESTAMP NOT NULL DEFAULT NOW(),
    ready_at    TIMESTAMP,
    expires_at  TIMESTAMP NOT NULL DEFAULT NOW() + INTERVAL '7 days'
);
CREATE INDEX idx_data_exports_user ON data_exports (user_id, created_at);
CREATE INDEX idx_data_exports_expires ON data_exports (expires_at);

-- "Strava needs you to reconnect": when the Strava code marks a
-- connection broken (users.strava_needs_reconnect false -> true), a job
-- is queued here, whatever code path set the flag; its handler mails the
-- runner if they turned that notification on (app/jobs/mail_notify.c).
CREATE FUNCTION queue_strava_reconnect_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO jobs (kind, user_id, payload, dedup_key)
    VALUES ('mail.strava_reconnect', NEW.id,
            jsonb_build_object('since', to_char(NOW(), 'YYYY-MM-DD"T"HH24:MI:SS')),
            NEW.id::text)
    ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'
        AND dedup_key IS NOT NULL DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER users_strava_reconnect_mail
    AFTER UPDATE OF strava_needs_reconnect ON users
    FOR EACH ROW
    WHEN (NEW.strava_needs_reconnect AND NOT OLD.strava_needs_reconnect)
    EXECUTE FUNCTION queue_strava_reconnect_mail();

-- Account mails are queued by the database itself, in the transaction
-- that changes the account, whatever code path did it:
--   a new account        -> mail.verify (a verification link);
--   a sign-up with a taken email (users.signup_attempted_at set, see
--   sql/011) -> mail.signup_taken, to the owner (at most one a day);
--   a changed email      -> not verified any more, and mail.email_changed
--   (a verification link to the new address, a notice to the old one).
-- Both sign-up cases run one statement plus one queued job, so they still
-- take the same time.
CREATE FUNCTION queue_account_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO jobs (kind, user_id, dedup_key)
        VALUES ('mail.verify', NEW.id, NEW.id::text)
        ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'
            AND dedup_key IS NOT NULL DO NOTHING;
    ELSIF NEW.signup_attempted_at IS NOT NULL
          AND NEW.signup_attempted_at IS DISTINCT FROM OLD.signup_attempted_at THEN
        INSERT INTO jobs (kind, user_id, dedup_key)
        VALUES ('mail.signup_taken', NEW.id, NEW.id::text)
        ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'
            AND dedup_key IS NOT NULL DO NOTHING;
    END IF;
    IF TG_OP = 'UPDATE' AND lower(NEW.email) <> lower(OLD.email) THEN
        INSERT INTO jobs (kind, user_id, payload)
        VALUES ('mail.email_changed', NEW.id,
                jsonb_build_object('old', OLD.email, 'new', NEW.email));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_account_mail
    AFTER INSERT OR UPDATE OF signup_attempted_at, email ON users
    FOR EACH ROW EXECUTE FUNCTION queue_account_mail();

-- A changed address is not verified any more.
CREATE FUNCTION email_change_unverifies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF lower(NEW.email) <> lower(OLD.email) THEN
        NEW.email_verified_at := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER users_email_unverifies BEFORE UPDATE OF email ON users
    FOR EACH ROW EXECUTE FUNCTION email_change_unverifies();
