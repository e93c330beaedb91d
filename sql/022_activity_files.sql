-- Runs from uploaded files (issue 17.4) and one activity per run (17.3):
-- docs/activity-files.md.
--
-- An uploaded FIT, GPX or TCX file becomes a row of strava_activities
-- like a Strava run (the table every page, the matcher and the fitness
-- series read), with source 'file', no Strava id, the file's name, its
-- laps in activity_laps and its route in summary_polyline.
--
-- strava_activity_id stays NOT NULL and UNIQUE as seed 000 has it: a run
-- from elsewhere takes a negative number of its own (Strava's ids are
-- positive), so "from Strava" is strava_activity_id > 0 and no Strava link
-- is ever made for it.
CREATE SEQUENCE activity_other_ids;
ALTER TABLE strava_activities
    ADD COLUMN source    VARCHAR(10) NOT NULL DEFAULT 'strava'
                         CHECK (source IN ('strava', 'garmin', 'file')),
    ADD COLUMN file_name VARCHAR(255),
    ALTER COLUMN strava_activity_id
        SET DEFAULT -nextval('activity_other_ids'),
    ADD CONSTRAINT strava_activities_strava_id
        CHECK ((source = 'strava') = (strava_activity_id > 0));

-- The other sources that delivered a run stored once: the same run from
-- a file and from Strava (start within 2 minutes, distance within 3 % of
-- the larger) is one activity, from the source of highest precedence
-- (strava > garmin > file); the others are listed here for the activity
-- page.
CREATE TABLE activity_sources (
    activity_id UUID NOT NULL
                REFERENCES strava_activities (id) ON DELETE CASCADE,
    source      VARCHAR(10) NOT NULL
                CHECK (source IN ('strava', 'garmin', 'file')),
    detail      VARCHAR(255) NOT NULL,	-- the file's name, or the id
    distance    INTEGER NOT NULL CHECK (distance BETWEEN 0 AND 10000000),
    start_date  TIMESTAMP NOT NULL,	-- UTC
    created_at  TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (activity_id, source, detail)
);

-- Duplicates are looked up by the runner's start time (UTC).
CREATE INDEX idx_activities_user_start_utc
    ON strava_activities (user_id, start_date);

-- A Strava run arriving for a run already uploaded from a file takes its
-- place (Strava comes first): the file's row is folded into the new one
-- (its pairs with workouts, made by hand or not, and its "unmatched by
-- hand" marks move over; the file is kept as a source) and deleted.  A
-- trigger, so every path that stores Strava runs (history import,
-- webhook fetch) does it in its own transaction.
CREATE FUNCTION activity_fold_file_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    f RECORD;
BEGIN
    IF NEW.start_date IS NULL THEN
        RETURN NEW;
    END IF;
    FOR f IN SELECT id, file_name, distance, start_date
               FROM strava_activities
              WHERE user_id = NEW.user_id AND source = 'file'
                AND start_date BETWEEN NEW.start_date - interval '2 minutes'
                                   AND NEW.start_date + interval '2 minutes'
                AND abs(distance - NEW.distance) * 100
                    <= 3 * greatest(distance, NEW.distance)
    LOOP
        INSERT INTO activity_sources (activity_id, source, detail, distance,
                                      start_date)
        VALUES (NEW.id, 'file', COALESCE(f.file_name, 'file'), f.distance,
                f.start_date)
        ON CONFLICT DO NOTHING;
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

CREATE TRIGGER strava_activities_fold_files
    AFTER INSERT ON strava_activities
    FOR EACH ROW WHEN (NEW.source = 'strava')
    EXECUTE FUNCTION activity_fold_file_runs();
