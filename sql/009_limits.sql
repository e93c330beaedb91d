-- Limits on what one runner can create, so no page and no cache entry
-- grows without bound (a plan with 130 workouts of 2,000 characters on one
-- day made a 1.6 MB page).  Enforced here, whatever path writes the rows;
-- the app maps the SQLSTATEs below to a 422 that says which limit.
-- (Counted by idx_workouts_plan_date of 004.)  Two concurrent requests of one runner may each pass the check: the
-- overshoot is bounded by the number of workers, which is what matters.
--
--   CDL01  plans per runner      25
--   CDL02  workouts per plan    500  (a 60-week plan of 7 runs is 420)
--   CDL03  workouts per day       3  (a double and a race)


CREATE FUNCTION plans_within_limits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM training_plans p
                WHERE p.user_id IN (SELECT user_id FROM new_rows)
                GROUP BY p.user_id HAVING count(*) > 25) THEN
        RAISE EXCEPTION 'a runner has at most 25 plans' USING ERRCODE = 'CDL01';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER plans_within_limits AFTER INSERT ON training_plans
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION plans_within_limits();

CREATE FUNCTION workouts_within_limits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM workouts w
                WHERE w.training_plan_id IN
                      (SELECT training_plan_id FROM new_rows)
                GROUP BY w.training_plan_id HAVING count(*) > 500) THEN
        RAISE EXCEPTION 'a plan has at most 500 workouts' USING ERRCODE = 'CDL02';
    END IF;
    IF EXISTS (SELECT 1 FROM workouts w
                JOIN (SELECT DISTINCT training_plan_id, scheduled_date
                        FROM new_rows) n USING (training_plan_id, scheduled_date)
                GROUP BY w.training_plan_id, w.scheduled_date
               HAVING count(*) > 3) THEN
        RAISE EXCEPTION 'a day has at most 3 workouts' USING ERRCODE = 'CDL03';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER workouts_within_limits_insert AFTER INSERT ON workouts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workouts_within_limits();

-- A move: only the day it lands on can overflow (updates of other columns,
-- such as completions, pay nothing).
CREATE FUNCTION workout_day_within_limits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM workouts w
         WHERE w.training_plan_id = NEW.training_plan_id
           AND w.scheduled_date = NEW.scheduled_date) > 3 THEN
        RAISE EXCEPTION 'a day has at most 3 workouts' USING ERRCODE = 'CDL03';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER workouts_within_limits_move
    AFTER UPDATE OF scheduled_date, training_plan_id ON workouts
    FOR EACH ROW EXECUTE FUNCTION workout_day_within_limits();
