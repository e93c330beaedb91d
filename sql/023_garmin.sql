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

-- A run from Garmin is a row of strava_activities with source 'garmin'
-- (a negative strava_activity_id of its own, as files have) and Garmin's
-- summary id, which makes storing a notified run twice a no-op.
ALTER TABLE strava_activities ADD COLUMN garmin_summary_id VARCHAR(64);
CREATE UNIQUE INDEX idx_activities_garmin_summary
    ON strava_activities (user_id, garmin_summary_id)
    WHERE garmin_summary_id IS NOT NULL;

-- One run, one activity, strava > garmin > file (sql/022): a Strava run
-- now folds a Garmin run as it folds a file run, and a Garmin run folds a
-- file run.  The folded row's pairs and "unmatched" marks move over and
-- it stays listed as a source.
CREATE OR REPLACE FUNCTION activity_fold_file_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    f RECORD;
BEGIN
    IF NEW.start_date IS NULL THEN
        RETURN NEW;
    END IF;
    FOR f IN SELECT id, source, file_name, garmin_summary_id, distance,
                    start_date
               FROM strava_activities
              WHERE user_id = NEW.user_id AND id <> NEW.id
                AND (source = 'file' OR
                     (source = 'garmin' AND NEW.source = 'strava'))
                AND start_date BETWEEN NEW.start_date - interval '2 minutes'
                                   AND NEW.start_date + interval '2 minutes'
                AND abs(distance - NEW.distance) * 100
                    <= 3 * greatest(distance, NEW.distance)
    LOOP
        INSERT INTO activity_sources (activity_id, source, detail, distance,
                                      start_date)
        VALUES (NEW.id, f.source,
                COALESCE(f.file_name, f.garmin_summary_id, f.source),
                f.distance, f.start_date)
        ON CONFLICT DO NOTHING;
        -- What the folded run was itself folded from comes along.
        UPDATE activity_sources SET activity_id = NEW.id
         WHERE activity_id = f.id
           AND (source, detail) NOT IN (SELECT source, detail
                                          FROM activity_sources
                                         WHERE activity_id = NEW.id);
        UPDATE workout_completions SET strava_activity_id = NEW.id
         WHERE strava_activity_id = f.id
           AND workout_id NOT IN (SELECT workout_id FROM workout_completions
                                   WHERE strava_activity_id = NEW.id);
        UPDATE workout_unmatches SET strava_activity_id = NEW.id
         WHERE strava_activity_id = f.id
           AND workout_id NOT IN (SELECT workout_id FROM workout_unmatches
                                   WHERE strava_activity_id = NEW.id);
        DELETE FROM strava_activities WHERE id = f.id;
    END LOOP;
    RETURN NEW;
END $$;

DROP TRIGGER strava_activities_fold_files ON strava_activities;
CREATE TRIGGER strava_activities_fold_files
    AFTER INSERT ON strava_activities
    FOR EACH ROW WHEN (NEW.source IN ('strava', 'garmin'))
    EXECUTE FUNCTION activity_fold_file_runs();

-- ---- workouts out (Training API) -----------------------------------------
-- What Cadence published to the runner's Garmin calendar: one Garmin
-- workout and schedule per workout of the next 14 days, with the hash of
-- what was sent, so an edited or moved workout is replaced and a deleted
-- one removed (garmin/publish.c).  No foreign key to workouts: a deleted
-- workout's row is what tells the job to delete it at Garmin.
CREATE TABLE garmin_published (
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workout_id         UUID NOT NULL,
    garmin_workout_id  BIGINT NOT NULL,
    garmin_schedule_id BIGINT,
    scheduled_date     DATE NOT NULL,
    content_hash       VARCHAR(64) NOT NULL,
    published_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (user_id, workout_id)
);

-- The last publication, and what went wrong with it (settings show it).
ALTER TABLE garmin_connections
    ADD COLUMN published_at  TIMESTAMPTZ,
    ADD COLUMN publish_error VARCHAR(512);

-- One waiting 'garmin.publish' job per runner who lets Cadence put
-- workouts on their Garmin calendar, due in a moment so that a new plan
-- of 100 workouts is one job; queued by triggers, so every path that
-- changes a plan (generator, edits, re-plans, coaches) is covered.
CREATE FUNCTION garmin_publish_enqueue(uid UUID) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO jobs (kind, user_id, dedup_key, next_attempt_at)
    SELECT 'garmin.publish', uid, uid::text, NOW() + interval '2 seconds'
     WHERE EXISTS (SELECT 1 FROM garmin_connections c
                    WHERE c.user_id = uid AND c.garmin_user_id IS NOT NULL
                      AND ',' || c.permissions || ',' LIKE '%,WORKOUT_IMPORT,%')
    ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'
        AND dedup_key IS NOT NULL DO NOTHING;
$$;

CREATE FUNCTION garmin_publish_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r   RECORD;
    uid UUID;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_TABLE_NAME = 'workouts' THEN
        SELECT p.user_id INTO uid FROM training_plans p
         WHERE p.id = r.training_plan_id;
    ELSE
        uid := r.user_id;
    END IF;
    IF uid IS NOT NULL THEN
        PERFORM garmin_publish_enqueue(uid);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER workouts_garmin_publish
    AFTER INSERT OR DELETE OR UPDATE OF scheduled_date, workout_type,
        distance, description, pace_fast, pace_slow, manual_status
    ON workouts FOR EACH ROW EXECUTE FUNCTION garmin_publish_trigger();
CREATE TRIGGER training_plans_garmin_publish
    AFTER UPDATE OF is_active ON training_plans
    FOR EACH ROW EXECUTE FUNCTION garmin_publish_trigger();
