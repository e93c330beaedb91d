-- Training load, fitness from real runs and plans that adapt (issue 16,
-- phase 2; docs/training-load.md, docs/plan-adaptation.md).
--
-- What the job worker keeps up to date is enqueued here, by triggers, so
-- that every path that changes a run (history import, webhook fetch,
-- deletion), a threshold (settings, a new plan) or a hand mark is covered
-- without the Strava code knowing: kind 'fitness.rescore', one waiting job
-- per runner (app/jobs/fitness_jobs.c scores what is stale, then looks for
-- reasons to adapt the plan).

-- The runner's heart rates (settings): hrTSS is scored against the
-- threshold heart rate, else 90 % of the maximum.
ALTER TABLE athlete_profiles
    ADD COLUMN max_hr       SMALLINT CHECK (max_hr BETWEEN 120 AND 230),
    ADD COLUMN threshold_hr SMALLINT CHECK (threshold_hr BETWEEN 100 AND 220),
    ADD CONSTRAINT athlete_profiles_hr_order CHECK (max_hr IS NULL OR
        threshold_hr IS NULL OR threshold_hr < max_hr);

-- Laps and splits of a detailed activity (GET /activities/{id}), as
-- {"laps": [[metres, moving s, avg bpm|null, elevation m|null], ...],
--  "metric": [...], "standard": [...]}: the activity page's splits and
-- pace profile, and rTSS per lap.  NULL: Strava sent none (a summary).
ALTER TABLE strava_activities ADD COLUMN splits JSONB;

-- The training-stress score of each run (domain/load.h), derived data:
-- written by the job worker only, for the version of the activity it
-- read (activity_updated_at: stale once the activity changes), and again
-- when the runner's thresholds change (fitness_thresholds).
CREATE TABLE activity_loads (
    activity_id         UUID PRIMARY KEY
                        REFERENCES strava_activities (id) ON DELETE CASCADE,
    user_id             UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tss                 REAL NOT NULL CHECK (tss >= 0 AND tss <= 2000),
    intensity           REAL NOT NULL CHECK (intensity >= 0 AND intensity <= 5),
    method              VARCHAR(10) NOT NULL
                        CHECK (method IN ('none', 'pace', 'hr', 'estimate')),
    activity_updated_at TIMESTAMP NOT NULL,
    scored_at           TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_activity_loads_user ON activity_loads (user_id);

-- The thresholds the runner's loads were last scored against: when the
-- current ones differ, every run is scored again.
CREATE TABLE fitness_thresholds (
    user_id      UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    vdot         NUMERIC(4,1) NOT NULL DEFAULT 0,   -- 0: none
    threshold_hr SMALLINT NOT NULL DEFAULT 0,       -- 0: none
    scored_at    TIMESTAMP NOT NULL DEFAULT NOW()
);

-- The runner's load, fitness (CTL) and fatigue (ATL) day by day over
-- their whole history (domain/fitness.h), from the row before the first
-- run (load 0, the warm start) to the day the job worker last computed
-- it (training/scoring.c: when a load changes, and daily): pages read
-- the days they show and go on from there, so their cost does not grow
-- with the history.
CREATE TABLE fitness_days (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     DATE NOT NULL,
    load    REAL NOT NULL CHECK (load >= 0),
    ctl     REAL NOT NULL CHECK (ctl >= 0),
    atl     REAL NOT NULL CHECK (atl >= 0),
    PRIMARY KEY (user_id, day)
);

-- Proposed changes to a plan (docs/plan-adaptation.md): a re-plan of the
-- remaining weeks ('replan': the new workouts) or new training paces
-- ('paces': per workout).  At most one pending per plan; a trigger (the
-- event that prompted it) is answered once per plan, whatever the runner
-- decided.
CREATE TABLE plan_adjustments (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    training_plan_id UUID NOT NULL
                     REFERENCES training_plans (id) ON DELETE CASCADE,
    kind             VARCHAR(10) NOT NULL CHECK (kind IN ('replan', 'paces')),
    reason           VARCHAR(12) NOT NULL CHECK (reason IN
                     ('low_week', 'missed_key', 'break', 'fitness', 'manual')),
    trigger_key      VARCHAR(200) NOT NULL,
    summary          TEXT NOT NULL CHECK (length(summary) <= 2000),
    status           VARCHAR(10) NOT NULL DEFAULT 'pending' CHECK (status IN
                     ('pending', 'accepted', 'declined', 'superseded')),
    from_date        DATE NOT NULL,
    old_vdot         NUMERIC(4,1),
    new_vdot         NUMERIC(4,1),
    -- What it was made from and what it changes (db/adjustments.c).
    basis            JSONB NOT NULL,
    changes          JSONB NOT NULL,
    created_at       TIMESTAMP NOT NULL DEFAULT NOW(),
    decided_at       TIMESTAMP,
    UNIQUE (training_plan_id, trigger_key)
);
CREATE UNIQUE INDEX idx_adjustments_pending ON plan_adjustments
    (training_plan_id) WHERE status = 'pending';
CREATE INDEX idx_adjustments_user ON plan_adjustments (user_id, status);

-- ---- page-cache versions (sql/007) ---------------------------------------
-- Scores are written in batches of hundreds: one bump per runner and
-- statement, not per row.
CREATE FUNCTION bump_versions_of_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_user_version(c.user_id)
       FROM (SELECT DISTINCT user_id FROM changed_rows) c;
    RETURN NULL;
END $$;

CREATE TRIGGER activity_loads_version_ins AFTER INSERT ON activity_loads
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();
CREATE TRIGGER activity_loads_version_upd AFTER UPDATE ON activity_loads
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();
CREATE TRIGGER fitness_days_version_ins AFTER INSERT ON fitness_days
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();
CREATE TRIGGER fitness_days_version_upd AFTER UPDATE ON fitness_days
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();
CREATE TRIGGER fitness_days_version_del AFTER DELETE ON fitness_days
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();
CREATE TRIGGER plan_adjustments_version_ins AFTER INSERT ON plan_adjustments
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();
CREATE TRIGGER plan_adjustments_version_upd AFTER UPDATE ON plan_adjustments
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_versions_of_rows();

-- ---- what wakes the job worker -------------------------------------------
-- One waiting 'fitness.rescore' job per runner, due in a moment so that a
-- page of 200 imported runs is one job.  Nothing while the runner is being
-- deleted (the cascade reaches the activities after the users row).
CREATE FUNCTION fitness_enqueue(uid UUID) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO jobs (kind, user_id, dedup_key, next_attempt_at)
    SELECT 'fitness.rescore', uid, uid::text, NOW() + interval '2 seconds'
     WHERE EXISTS (SELECT 1 FROM users WHERE id = uid)
    ON CONFLICT (kind, dedup_key) WHERE state = 'waiting'
        AND dedup_key IS NOT NULL DO NOTHING;
$$;

CREATE FUNCTION fitness_enqueue_trigger() RETURNS trigger
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
        PERFORM fitness_enqueue(uid);
    END IF;
    RETURN NULL;
END $$;

-- A run imported, changed (its figures, date or splits) or deleted.
CREATE TRIGGER strava_activities_fitness
    AFTER INSERT OR DELETE OR UPDATE OF distance, moving_time,
        average_heartrate, sport_type, start_date_local, splits
    ON strava_activities
    FOR EACH ROW EXECUTE FUNCTION fitness_enqueue_trigger();
-- The heart rates given in settings.
CREATE TRIGGER athlete_profiles_fitness
    AFTER UPDATE OF max_hr, threshold_hr, recent_race_distance,
        recent_race_time ON athlete_profiles
    FOR EACH ROW EXECUTE FUNCTION fitness_enqueue_trigger();
-- A new or re-planned plan (its VDOT gives the threshold pace).
CREATE TRIGGER training_plans_fitness
    AFTER INSERT OR UPDATE OF vdot, is_active ON training_plans
    FOR EACH ROW EXECUTE FUNCTION fitness_enqueue_trigger();
-- A workout marked done or skipped by hand (a load without a run; a
-- missed key workout).
CREATE TRIGGER workouts_fitness
    AFTER UPDATE OF manual_status ON workouts
    FOR EACH ROW EXECUTE FUNCTION fitness_enqueue_trigger();

-- The daily look at every runner with an active plan (a break shows only
-- by the days passing); the job schedules its next run itself.
INSERT INTO jobs (kind, dedup_key) VALUES ('fitness.daily', 'daily');
