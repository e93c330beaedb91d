-- Training plans beyond seed 000's columns, after seed 003's training
-- concepts in our own naming: races, plan phases, the plan's inputs
-- (baseline result, goal time and pace, VDOT, runs per week, long-run
-- day), workout pace targets, moved and hand-marked workouts, and the
-- runner's feedback on an executed day.

CREATE TABLE races (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name             VARCHAR(255) NOT NULL,
    distance         INTEGER NOT NULL CHECK (distance > 0),   -- metres
    race_date        DATE NOT NULL,
    location         VARCHAR(255),
    registration_url VARCHAR(2048),
    description      TEXT,
    created_at       TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at       TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_races_user ON races (user_id);
CREATE TRIGGER races_updated_at BEFORE UPDATE ON races
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE training_plans
    ADD COLUMN race_id UUID REFERENCES races (id) ON DELETE SET NULL,
    ADD COLUMN runs_per_week INTEGER NOT NULL DEFAULT 5
        CHECK (runs_per_week BETWEEN 3 AND 7),
    ADD COLUMN long_run_day VARCHAR(3) NOT NULL DEFAULT 'sun'
        CHECK (long_run_day IN ('mon','tue','wed','thu','fri','sat','sun')),
    ADD COLUMN baseline_weekly_distance INTEGER CHECK (baseline_weekly_distance >= 0),
    ADD COLUMN baseline_longest_run INTEGER CHECK (baseline_longest_run >= 0),
    ADD COLUMN baseline_race_distance INTEGER CHECK (baseline_race_distance > 0),
    ADD COLUMN baseline_race_time INTEGER CHECK (baseline_race_time > 0),  -- s
    ADD COLUMN goal_time INTEGER CHECK (goal_time > 0),                     -- s
    ADD COLUMN goal_pace INTEGER CHECK (goal_pace > 0),                     -- s/km
    ADD COLUMN vdot NUMERIC(4,1),
    ADD COLUMN vdot_source VARCHAR(10) CHECK (vdot_source IN ('race','goal','volume')),
    ADD COLUMN units VARCHAR(2) NOT NULL DEFAULT 'km' CHECK (units IN ('km','mi')),
    ADD COLUMN first_day_of_week VARCHAR(3) NOT NULL DEFAULT 'mon'
        CHECK (first_day_of_week IN ('mon','sun')),
    -- Secret of the plan's iCalendar feed URL; the runner can reset it.
    ADD COLUMN ics_token VARCHAR(64) UNIQUE;

-- Seed 003's TrainingPhase.
CREATE TABLE training_phases (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    training_plan_id UUID NOT NULL
                     REFERENCES training_plans (id) ON DELETE CASCADE,
    name             VARCHAR(20) NOT NULL
                     CHECK (name IN ('Base','Build','Peak','Taper')),
    phase_index      INTEGER NOT NULL CHECK (phase_index >= 0),
    start_week       INTEGER NOT NULL CHECK (start_week > 0),
    end_week         INTEGER NOT NULL CHECK (end_week >= start_week),
    metadata         JSONB,
    created_at       TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at       TIMESTAMP NOT NULL DEFAULT NOW(),
    UNIQUE (training_plan_id, phase_index)
);
CREATE INDEX idx_phases_plan ON training_phases (training_plan_id);
CREATE TRIGGER training_phases_updated_at BEFORE UPDATE ON training_phases
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE workouts
    ADD COLUMN pace_fast INTEGER CHECK (pace_fast > 0),   -- s/km
    ADD COLUMN pace_slow INTEGER CHECK (pace_slow > 0),   -- s/km
    ADD COLUMN original_date DATE,                        -- set when moved
    -- Marked by hand: 'done' without an activity, or 'skipped'.
    ADD COLUMN manual_status VARCHAR(10)
        CHECK (manual_status IN ('done','skipped')),
    ADD CONSTRAINT workouts_pace_order CHECK (pace_fast <= pace_slow);
CREATE INDEX idx_workouts_plan_date ON workouts (training_plan_id, scheduled_date);

-- Seed 003's executed-day feedback and analysis, one row per workout.
CREATE TABLE workout_feedback (
    workout_id UUID PRIMARY KEY REFERENCES workouts (id) ON DELETE CASCADE,
    note       TEXT CHECK (length(note) <= 4000),
    feel       SMALLINT CHECK (feel BETWEEN 1 AND 5),  -- 1 very hard .. 5 very easy
    analysis   JSONB,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE TRIGGER workout_feedback_updated_at BEFORE UPDATE ON workout_feedback
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Pairs a runner unmatched by hand: automatic matching leaves them alone.
CREATE TABLE workout_unmatches (
    workout_id         UUID NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    strava_activity_id UUID NOT NULL
                       REFERENCES strava_activities (id) ON DELETE CASCADE,
    created_at         TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (workout_id, strava_activity_id)
);
CREATE INDEX idx_unmatches_activity ON workout_unmatches (strava_activity_id);

-- Columns the pages show that Strava's summary has and raw_data (kept only
-- a few days, Strava's cache rule) would otherwise lose.
ALTER TABLE strava_activities
    ADD COLUMN start_date           TIMESTAMP,      -- UTC
    ADD COLUMN timezone             VARCHAR(64),
    ADD COLUMN total_elevation_gain DECIMAL(10,2),
    ADD COLUMN is_private           BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN summary_polyline     TEXT;
CREATE INDEX idx_activities_user_date ON strava_activities (user_id, start_date_local);
