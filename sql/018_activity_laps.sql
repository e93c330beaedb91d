-- The laps of a run (issue 15.5: "for intervals, the reps' paces when
-- Strava's laps give them").  Strava's detailed activity carries them
-- ("laps"), and Cadence stores that JSON in strava_activities.raw_data;
-- this trigger copies them into rows when raw_data is written, so they
-- outlive raw_data's retention (CADENCE_RAW_DATA_DAYS) and go with the
-- activity (ON DELETE CASCADE: a disconnect deletes them too).  Values
-- that are not plain numbers in range are skipped, never an error: the
-- JSON comes from outside and must not fail the activity's upsert.
CREATE TABLE activity_laps (
    strava_activity_id UUID NOT NULL
                       REFERENCES strava_activities (id) ON DELETE CASCADE,
    lap_index          INTEGER NOT NULL CHECK (lap_index BETWEEN 0 AND 199),
    distance           INTEGER NOT NULL CHECK (distance BETWEEN 0 AND 1000000),
    moving_time        INTEGER NOT NULL CHECK (moving_time BETWEEN 0 AND 1000000),
    average_heartrate  SMALLINT CHECK (average_heartrate BETWEEN 1 AND 300),
    PRIMARY KEY (strava_activity_id, lap_index)
);

CREATE FUNCTION activity_laps_from_raw() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.raw_data IS NULL OR jsonb_typeof(NEW.raw_data) <> 'object' OR
       jsonb_typeof(NEW.raw_data -> 'laps') IS DISTINCT FROM 'array' THEN
        RETURN NEW;	-- a summary, or raw_data pruned: laps stay as they are
    END IF;
    DELETE FROM activity_laps WHERE strava_activity_id = NEW.id;
    -- CASE, not AND: only CASE promises the type test comes before the cast.
    INSERT INTO activity_laps (strava_activity_id, lap_index, distance,
                               moving_time, average_heartrate)
    SELECT NEW.id, (v.ord - 1)::int, round(v.d)::int, round(v.t)::int,
           CASE WHEN v.hr BETWEEN 1 AND 300 THEN round(v.hr)::smallint END
      FROM (SELECT t.ord,
                   CASE WHEN jsonb_typeof(t.lap -> 'distance') = 'number'
                        THEN (t.lap ->> 'distance')::numeric END AS d,
                   CASE WHEN jsonb_typeof(t.lap -> 'moving_time') = 'number'
                        THEN (t.lap ->> 'moving_time')::numeric END AS t,
                   CASE WHEN jsonb_typeof(t.lap -> 'average_heartrate') = 'number'
                        THEN (t.lap ->> 'average_heartrate')::numeric END AS hr
              FROM jsonb_array_elements(NEW.raw_data -> 'laps')
                   WITH ORDINALITY AS t(lap, ord)
             WHERE t.ord <= 200 AND jsonb_typeof(t.lap) = 'object') v
     WHERE v.d BETWEEN 0 AND 1000000 AND v.t BETWEEN 0 AND 1000000;
    RETURN NEW;
END $$;

CREATE TRIGGER strava_activities_laps
    AFTER INSERT OR UPDATE OF raw_data ON strava_activities
    FOR EACH ROW EXECUTE FUNCTION activity_laps_from_raw();
