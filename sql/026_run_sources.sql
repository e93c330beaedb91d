-- One run, one activity, and the runner chooses which source it uses
-- (issue 17.3; docs/activity-files.md "Choosing the source").
--
-- Until now a run delivered twice kept only the winner's row (strava >
-- garmin > file); the loser was deleted, listed in activity_sources by
-- name only, and could not come back.  From here every copy is kept: the
-- shown row is the one every page, the matcher and training load read, and
-- each other delivery of the same run is an activity_sources row holding a
-- snapshot of its record (the row as JSON and its laps).  Switching swaps
-- the snapshot into the shown row in place, so the row's id, its pairs
-- with workouts and its "unmatched by hand" marks stay, and the copy it
-- replaces becomes a snapshot in turn.  A run whose source the runner chose
-- keeps that source when the others deliver it again.
ALTER TABLE strava_activities
    ADD COLUMN source_chosen BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE activity_sources ADD COLUMN snapshot JSONB;

CREATE FUNCTION activity_rank(src TEXT) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE src WHEN 'strava' THEN 3 WHEN 'garmin' THEN 2 ELSE 1 END
$$;

-- How a copy is named on the activity page: the file's name, Garmin's
-- summary id or Strava's activity id.
CREATE FUNCTION activity_copy_detail(a strava_activities) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(a.file_name, a.garmin_summary_id,
                    a.strava_activity_id::text)
$$;

-- A record's laps as activity_laps rows in JSON: its rows in the table,
-- else Strava's raw laps (read as sql/018 reads them), else the laps of
-- its splits JSON ([distance, moving time, heart rate, climb] each, made
-- objects like Strava's first).
CREATE FUNCTION activity_laps_json(a strava_activities) RETURNS JSONB
LANGUAGE sql STABLE AS $$
    WITH given AS (
        SELECT CASE
            WHEN jsonb_typeof(a.raw_data -> 'laps') = 'array' AND
                 jsonb_array_length(a.raw_data -> 'laps') > 0
            THEN a.raw_data -> 'laps'
            WHEN jsonb_typeof(a.splits -> 'laps') = 'array'
            THEN (SELECT jsonb_agg(CASE WHEN jsonb_typeof(e) = 'array'
                         THEN jsonb_build_object('distance', e -> 0,
                              'moving_time', e -> 1,
                              'average_heartrate', e -> 2) END ORDER BY o)
                    FROM jsonb_array_elements(a.splits -> 'laps')
                         WITH ORDINALITY AS x(e, o))
            END AS laps)
    SELECT COALESCE(
        (SELECT jsonb_agg(to_jsonb(l) - 'strava_activity_id'
                          ORDER BY l.lap_index)
           FROM activity_laps l WHERE l.strava_activity_id = a.id),
        (SELECT jsonb_agg(jsonb_build_object('lap_index', v.ord - 1,
                    'distance', round(v.d), 'moving_time', round(v.t),
                    'average_heartrate',
                    CASE WHEN v.hr BETWEEN 1 AND 300 THEN round(v.hr) END)
                  ORDER BY v.ord)
           FROM (SELECT t.ord,
                        CASE WHEN jsonb_typeof(t.lap -> 'distance') = 'number'
                             THEN (t.lap ->> 'distance')::numeric END AS d,
                        CASE WHEN jsonb_typeof(t.lap -> 'moving_time') = 'number'
                             THEN (t.lap ->> 'moving_time')::numeric END AS t,
                        CASE WHEN jsonb_typeof(t.lap -> 'average_heartrate')
                                  = 'number'
                             THEN (t.lap ->> 'average_heartrate')::numeric
                        END AS hr
                   FROM given,
                        jsonb_array_elements(COALESCE(given.laps, '[]'))
                        WITH ORDINALITY AS t(lap, ord)
                  WHERE t.ord <= 200 AND jsonb_typeof(t.lap) = 'object') v
          WHERE v.d BETWEEN 0 AND 1000000 AND v.t BETWEEN 0 AND 1000000),
        '[]')
$$;

-- Keeps record a (with its laps) as a copy of the run shown as into_id.
-- Strava's raw JSON is not kept (its cache rule: docs/operations.md);
-- what a later delivery lacks (a history import has no splits or laps)
-- the copy keeps from before.
CREATE FUNCTION activity_keep_copy(a strava_activities, into_id UUID)
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO activity_sources (activity_id, source, detail, distance,
                                  start_date, snapshot)
    VALUES (into_id, a.source, activity_copy_detail(a), a.distance,
            COALESCE(a.start_date, a.start_date_local),
            jsonb_build_object(
                'row', to_jsonb(a) - 'id' - 'user_id' - 'source_chosen'
                       - 'raw_data',
                'laps', activity_laps_json(a)))
    ON CONFLICT (activity_id, source, detail) DO UPDATE
       SET distance = EXCLUDED.distance, start_date = EXCLUDED.start_date,
           snapshot = jsonb_build_object(
               'row', jsonb_set(EXCLUDED.snapshot -> 'row', '{splits}',
                   COALESCE(NULLIF(EXCLUDED.snapshot -> 'row' -> 'splits',
                                   'null'),
                            activity_sources.snapshot -> 'row' -> 'splits',
                            'null')),
               'laps', CASE WHEN EXCLUDED.snapshot -> 'laps' <> '[]'
                            THEN EXCLUDED.snapshot -> 'laps'
                            ELSE COALESCE(activity_sources.snapshot -> 'laps',
                                          '[]') END)
$$;

-- Folds shown row f into the run shown as into_id: f becomes a copy, its
-- own copies, pairs and marks move over, and its row goes.
CREATE FUNCTION activity_fold(f strava_activities, into_id UUID)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM activity_keep_copy(f, into_id);
    UPDATE activity_sources SET activity_id = into_id
     WHERE activity_id = f.id
       AND (source, detail) NOT IN (SELECT source, detail
                                      FROM activity_sources
                                     WHERE activity_id = into_id);
    UPDATE workout_completions SET strava_activity_id = into_id
     WHERE strava_activity_id = f.id
       AND workout_id NOT IN (SELECT workout_id FROM workout_completions
                               WHERE strava_activity_id = into_id);
    UPDATE workout_unmatches SET strava_activity_id = into_id
     WHERE strava_activity_id = f.id
       AND workout_id NOT IN (SELECT workout_id FROM workout_unmatches
                               WHERE strava_activity_id = into_id);
    DELETE FROM strava_activities WHERE id = f.id;
END $$;

-- A new record that loses to a run already shown (a higher source, the
-- same file again, or a source the runner chose) is kept as that run's
-- copy instead of a row: the insert is skipped.  An upsert of a Strava
-- run that already has its row goes on as an update.
CREATE FUNCTION activity_join_shown_run() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    g strava_activities;
    held UUID;
BEGIN
    IF NEW.source = 'strava' AND EXISTS (
           SELECT 1 FROM strava_activities
            WHERE strava_activity_id = NEW.strava_activity_id) THEN
        RETURN NEW;	-- an update of its row (the upsert goes on)
    END IF;
    -- Delivered again while held as a copy (the runner chose another
    -- record): the copy takes the news, wherever the run now starts.
    IF NEW.source IN ('strava', 'garmin') THEN
        SELECT s.activity_id INTO held
          FROM activity_sources s
          JOIN strava_activities a ON a.id = s.activity_id
         WHERE a.user_id = NEW.user_id AND s.source = NEW.source
           AND s.detail = activity_copy_detail(NEW)
         LIMIT 1;
        IF FOUND THEN
            PERFORM activity_keep_copy(NEW, held);
            RETURN NULL;
        END IF;
    END IF;
    IF NEW.start_date IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO g FROM strava_activities
     WHERE user_id = NEW.user_id
       AND start_date BETWEEN NEW.start_date - interval '2 minutes'
                          AND NEW.start_date + interval '2 minutes'
       AND abs(distance - NEW.distance) * 100
           <= 3 * greatest(distance, NEW.distance)
       AND ((source_chosen AND source <> NEW.source)
            OR activity_rank(source) > activity_rank(NEW.source)
            OR (source = 'file' AND NEW.source = 'file'))
     ORDER BY source_chosen DESC,
              abs(extract(epoch FROM start_date - NEW.start_date)), id
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    PERFORM activity_keep_copy(NEW, g.id);
    RETURN NULL;
END $$;

CREATE TRIGGER strava_activities_join_run
    BEFORE INSERT ON strava_activities
    FOR EACH ROW EXECUTE FUNCTION activity_join_shown_run();

-- A new record that outranks runs shown for the same run folds them
-- (sql/022, 023), now keeping each as a copy to switch back to.  A run
-- whose source was chosen is never folded (the insert above was skipped).
CREATE OR REPLACE FUNCTION activity_fold_file_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    f strava_activities;
BEGIN
    IF NEW.start_date IS NULL THEN
        RETURN NEW;
    END IF;
    FOR f IN SELECT * FROM strava_activities
              WHERE user_id = NEW.user_id AND id <> NEW.id
                AND NOT source_chosen
                AND activity_rank(source) < activity_rank(NEW.source)
                AND start_date BETWEEN NEW.start_date - interval '2 minutes'
                                   AND NEW.start_date + interval '2 minutes'
                AND abs(distance - NEW.distance) * 100
                    <= 3 * greatest(distance, NEW.distance)
    LOOP
        PERFORM activity_fold(f, NEW.id);
    END LOOP;
    RETURN NEW;
END $$;

-- Swaps copy (p_source, p_detail) into the shown row p_activity in place;
-- the record it replaces becomes a copy.  p_chosen marks the runner's
-- choice.  FALSE when there is no such run or no snapshot to switch to
-- (a copy listed before sql/026 kept only its name).
CREATE FUNCTION activity_use_copy(p_user UUID, p_activity UUID,
                                  p_source TEXT, p_detail TEXT,
                                  p_chosen BOOLEAN)
RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    a strava_activities;
    s activity_sources;
    r strava_activities;
    laps JSONB;
BEGIN
    SELECT * INTO a FROM strava_activities
     WHERE id = p_activity AND user_id = p_user FOR UPDATE;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    SELECT * INTO s FROM activity_sources
     WHERE activity_id = p_activity AND source = p_source
       AND detail = p_detail AND snapshot IS NOT NULL;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    r := jsonb_populate_record(a, s.snapshot -> 'row');
    r.raw_data := NULL;	-- copies keep none: not a's either
    -- A copy whose record has a row of its own again is stale: it goes.
    IF EXISTS (SELECT 1 FROM strava_activities
                WHERE id <> p_activity
                  AND (strava_activity_id = r.strava_activity_id OR
                       (user_id = p_user AND
                        garmin_summary_id = r.garmin_summary_id))) THEN
        DELETE FROM activity_sources
         WHERE activity_id = p_activity AND source = p_source
           AND detail = p_detail;
        RETURN FALSE;
    END IF;
    DELETE FROM activity_sources
     WHERE activity_id = p_activity AND source = p_source
       AND detail = p_detail;
    PERFORM activity_keep_copy(a, p_activity);
    -- Every column but the row's identity; raw JSON is not kept in copies.
    UPDATE strava_activities
       SET (strava_activity_id, source, file_name, garmin_summary_id, name,
            sport_type, distance, moving_time, elapsed_time, average_speed,
            average_heartrate, start_date_local, start_date, timezone,
            is_manual, raw_data, total_elevation_gain, is_private,
            summary_polyline, splits, updated_at, source_chosen)
         = (r.strava_activity_id, r.source, r.file_name, r.garmin_summary_id,
            r.name, r.sport_type, r.distance, r.moving_time, r.elapsed_time,
            r.average_speed, r.average_heartrate, r.start_date_local,
            r.start_date, r.timezone, r.is_manual, NULL,
            r.total_elevation_gain, r.is_private, r.summary_polyline,
            r.splits, NOW(), p_chosen)
     WHERE id = p_activity;
    -- Its laps, or those of splits stored since it became a copy.
    laps := s.snapshot -> 'laps';
    IF laps IS NULL OR laps = '[]' THEN
        r.id := NULL;	-- not a's rows in activity_laps
        laps := activity_laps_json(r);
    END IF;
    DELETE FROM activity_laps WHERE strava_activity_id = p_activity;
    INSERT INTO activity_laps (strava_activity_id, lap_index, distance,
                               moving_time, average_heartrate)
    SELECT p_activity, l.lap_index, l.distance, l.moving_time,
           l.average_heartrate
      FROM jsonb_populate_recordset(NULL::activity_laps, laps) l;
    RETURN TRUE;
END $$;

-- When a source's runs go (disconnect, deauthorisation, deregistration:
-- p_only NULL), or one record goes (Strava deleting it: p_only is its
-- row), a run another record also delivered stays, now from the best
-- usable copy.  Copies listed before sql/026 have no snapshot: a file
-- among them makes the run a file run as sql/024 did.  The going records'
-- copies are dropped (all of the source's, or that one).  Returns how
-- many runs stayed.
CREATE FUNCTION activity_keep_other_copies(p_user UUID, p_source TEXT,
                                           p_only UUID)
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    run strava_activities;
    c RECORD;
    going TEXT;
    n INTEGER := 0;
    kept BOOLEAN;
BEGIN
    FOR run IN SELECT * FROM strava_activities
                WHERE user_id = p_user AND source = p_source
                  AND (p_only IS NULL OR id = p_only)
    LOOP
        going := activity_copy_detail(run);
        kept := FALSE;
        -- Another source's copy, or (one record going) another of its own.
        FOR c IN SELECT source, detail FROM activity_sources
                  WHERE activity_id = run.id AND snapshot IS NOT NULL
                    AND (source <> p_source OR
                         (p_only IS NOT NULL AND detail <> going))
                  ORDER BY activity_rank(source) DESC, created_at, detail
        LOOP
            IF activity_use_copy(p_user, run.id, c.source, c.detail,
                                 FALSE) THEN
                kept := TRUE;
                EXIT;
            END IF;
        END LOOP;
        IF NOT kept THEN
            -- A file listed before sql/026 (no snapshot) keeps the run.
            SELECT detail INTO c FROM activity_sources
             WHERE activity_id = run.id AND source = 'file'
             ORDER BY detail LIMIT 1;
            IF FOUND THEN
                UPDATE strava_activities
                   SET source = 'file', file_name = c.detail,
                       garmin_summary_id = NULL, raw_data = NULL,
                       strava_activity_id = -nextval('activity_other_ids')
                 WHERE id = run.id;
                DELETE FROM activity_sources
                 WHERE activity_id = run.id AND source = 'file'
                   AND detail = c.detail;
                kept := TRUE;
            END IF;
        END IF;
        IF kept THEN
            n := n + 1;
        END IF;
        IF p_only IS NOT NULL THEN
            -- The record going, now a copy after the switch: it goes.
            DELETE FROM activity_sources
             WHERE activity_id = run.id AND source = p_source
               AND detail = going;
        END IF;
    END LOOP;
    IF p_only IS NULL THEN
        DELETE FROM activity_sources s USING strava_activities a
         WHERE s.activity_id = a.id AND a.user_id = p_user
           AND s.source = p_source;
    END IF;
    RETURN n;
END $$;

-- sql/024's name, kept for its callers: every run of the source.
CREATE OR REPLACE FUNCTION activity_keep_file_runs(p_user UUID,
                                                   p_source TEXT)
RETURNS INTEGER
LANGUAGE sql AS $$
    SELECT activity_keep_other_copies(p_user, p_source, NULL)
$$;
