-- A counter per runner that moves whenever anything a page shows of that
-- runner changes.  Workers cache rendered pages keyed by it (see
-- app/view/page_cache.h): a cached page is served only while the counter
-- it was rendered at is still current, so no change can leave a stale page.

CREATE TABLE user_data_versions (
    user_id UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL DEFAULT 0
);

-- Moves the counter of uid.  While a runner is being deleted the cascade
-- reaches here with the users row already gone: nothing to do then.
CREATE FUNCTION bump_user_version(uid UUID) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO user_data_versions AS v (user_id, version)
    SELECT uid, 1 WHERE EXISTS (SELECT 1 FROM users WHERE id = uid)
    ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1;
$$;

-- The owner of a changed row, whatever the table.
CREATE FUNCTION bump_version_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r   RECORD;
    uid UUID;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    CASE TG_TABLE_NAME
    WHEN 'users' THEN
        uid := r.id;
    WHEN 'athlete_profiles', 'training_plans', 'races', 'strava_activities' THEN
        uid := r.user_id;
    WHEN 'workouts', 'training_phases' THEN
        SELECT p.user_id INTO uid FROM training_plans p
         WHERE p.id = r.training_plan_id;
    WHEN 'workout_feedback', 'workout_completions', 'workout_unmatches' THEN
        SELECT p.user_id INTO uid FROM workouts w
          JOIN training_plans p ON p.id = w.training_plan_id
         WHERE w.id = r.workout_id;
    END CASE;
    IF uid IS NOT NULL THEN
        PERFORM bump_user_version(uid);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_version AFTER UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER athlete_profiles_version
    AFTER INSERT OR UPDATE OR DELETE ON athlete_profiles
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER training_plans_version
    AFTER INSERT OR UPDATE OR DELETE ON training_plans
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER races_version AFTER INSERT OR UPDATE OR DELETE ON races
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER strava_activities_version
    AFTER INSERT OR UPDATE OR DELETE ON strava_activities
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER workouts_version AFTER INSERT OR UPDATE OR DELETE ON workouts
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER training_phases_version
    AFTER INSERT OR UPDATE OR DELETE ON training_phases
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER workout_feedback_version
    AFTER INSERT OR UPDATE OR DELETE ON workout_feedback
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER workout_completions_version
    AFTER INSERT OR UPDATE OR DELETE ON workout_completions
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
CREATE TRIGGER workout_unmatches_version
    AFTER INSERT OR UPDATE OR DELETE ON workout_unmatches
    FOR EACH ROW EXECUTE FUNCTION bump_version_trigger();
