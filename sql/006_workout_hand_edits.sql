-- Workouts a runner added, moved or edited by hand.  Changing a plan's
-- inputs re-generates only future workouts that are unfinished and still
-- as the generator made them; these are kept as the runner left them.
ALTER TABLE workouts
    ADD COLUMN edited_by_hand BOOLEAN NOT NULL DEFAULT FALSE;
