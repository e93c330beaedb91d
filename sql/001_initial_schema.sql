-- Seed document 000: the six tables of Cadence, exactly as designed there
-- (names, columns, types, NOT NULL, UNIQUE, CHECK, defaults, foreign keys
-- with ON DELETE CASCADE and indexes).  Non-optional Prisma fields with a
-- default (booleans, created_at/updated_at) are NOT NULL as Prisma makes
-- them; ids default to gen_random_uuid() as Prisma's @default(uuid()).

CREATE TABLE users (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email                   VARCHAR(255) NOT NULL UNIQUE,
    name                    VARCHAR(255),
    strava_athlete_id       BIGINT UNIQUE,
    strava_access_token     TEXT,
    strava_refresh_token    TEXT,
    strava_token_expires_at TIMESTAMP,
    created_at              TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at              TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_users_strava_id ON users (strava_athlete_id);
CREATE INDEX idx_users_email ON users (email);

CREATE TABLE training_plans (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          VARCHAR(255) NOT NULL,
    race_distance INTEGER NOT NULL,
    race_date     DATE NOT NULL,
    start_date    DATE NOT NULL,
    total_weeks   INTEGER NOT NULL,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMP NOT NULL DEFAULT NOW(),
    -- Only one active plan per user (btree: equality needs no btree_gist).
    CONSTRAINT one_active_plan_per_user
        EXCLUDE USING btree (user_id WITH =) WHERE (is_active = TRUE)
);
CREATE INDEX idx_plans_user ON training_plans (user_id);
CREATE INDEX idx_plans_active ON training_plans (is_active);

CREATE TABLE workouts (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    training_plan_id  UUID NOT NULL
                      REFERENCES training_plans (id) ON DELETE CASCADE,
    week_number       INTEGER NOT NULL CHECK (week_number > 0),
    scheduled_date    DATE NOT NULL,
    workout_type      VARCHAR(50) NOT NULL,
    distance          INTEGER NOT NULL CHECK (distance > 0),
    duration_estimate INTEGER,
    description       TEXT,
    completed_at      TIMESTAMP,
    created_at        TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at        TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_workouts_plan ON workouts (training_plan_id);
CREATE INDEX idx_workouts_date ON workouts (scheduled_date);
CREATE INDEX idx_workouts_completed ON workouts (completed_at);

CREATE TABLE strava_activities (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    strava_activity_id BIGINT NOT NULL UNIQUE,
    name               VARCHAR(255),
    sport_type         VARCHAR(50) NOT NULL,
    distance           INTEGER NOT NULL,
    moving_time        INTEGER NOT NULL,
    elapsed_time       INTEGER NOT NULL,
    average_speed      DECIMAL(10,2),
    average_heartrate  DECIMAL(10,2),
    start_date_local   TIMESTAMP NOT NULL,
    is_manual          BOOLEAN NOT NULL DEFAULT FALSE,
    raw_data           JSONB,
    created_at         TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at         TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_activities_user ON strava_activities (user_id);
CREATE INDEX idx_activities_date ON strava_activities (start_date_local);
CREATE INDEX idx_activities_strava_id ON strava_activities (strava_activity_id);

CREATE TABLE workout_completions (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workout_id            UUID NOT NULL
                          REFERENCES workouts (id) ON DELETE CASCADE,
    strava_activity_id    UUID NOT NULL
                          REFERENCES strava_activities (id) ON DELETE CASCADE,
    matched_automatically BOOLEAN NOT NULL DEFAULT TRUE,
    created_at            TIMESTAMP NOT NULL DEFAULT NOW(),
    UNIQUE (workout_id, strava_activity_id)
);
CREATE INDEX idx_completions_workout ON workout_completions (workout_id);
CREATE INDEX idx_completions_activity ON workout_completions (strava_activity_id);

CREATE TABLE strava_webhook_events (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    strava_athlete_id BIGINT,
    object_type       VARCHAR(50) NOT NULL,
    object_id         BIGINT NOT NULL,
    aspect_type       VARCHAR(50) NOT NULL,
    event_time        TIMESTAMP NOT NULL,
    processed         BOOLEAN NOT NULL DEFAULT FALSE,
    processed_at      TIMESTAMP,
    error_message     TEXT,
    raw_payload       JSONB NOT NULL,
    created_at        TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_webhook_processed ON strava_webhook_events (processed);
CREATE INDEX idx_webhook_athlete ON strava_webhook_events (strava_athlete_id);
CREATE INDEX idx_webhook_created ON strava_webhook_events (created_at);

-- updated_at is kept current by the database, not by each UPDATE.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := NOW();
    RETURN NEW;
END $$;

CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER training_plans_updated_at BEFORE UPDATE ON training_plans
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER workouts_updated_at BEFORE UPDATE ON workouts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER strava_activities_updated_at BEFORE UPDATE ON strava_activities
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- "Deleting a user deletes ... their webhook events": the events carry the
-- athlete id, not a foreign key (events for unknown athletes are kept too),
-- so the cascade is a trigger.
CREATE FUNCTION delete_user_webhook_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.strava_athlete_id IS NOT NULL THEN
        DELETE FROM strava_webhook_events
         WHERE strava_athlete_id = OLD.strava_athlete_id;
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER users_delete_webhook_events AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION delete_user_webhook_events();
