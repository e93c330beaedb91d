-- A plan's VDOT may now come from the runner's imported runs ('runs');
-- it no longer comes from the goal, but older plans may say 'goal'.
ALTER TABLE training_plans DROP CONSTRAINT training_plans_vdot_source_check;
ALTER TABLE training_plans ADD CONSTRAINT training_plans_vdot_source_check
    CHECK (vdot_source IN ('race', 'goal', 'runs', 'volume'));
