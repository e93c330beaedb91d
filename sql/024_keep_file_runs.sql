-- A run uploaded from a file and then delivered by Strava or Garmin is one
-- activity of the provider's, with the file listed in activity_sources
-- (sql/022, 023).  When that provider's runs go (disconnect,
-- deauthorisation, deregistration), the runner's file must not go with
-- them: such a run becomes a file run again, under its file's name and an
-- id of its own, keeping its pairs with workouts.  Returns how many.
CREATE FUNCTION activity_keep_file_runs(p_user UUID, p_source TEXT)
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    n INTEGER;
BEGIN
    WITH f AS (
        DELETE FROM activity_sources s USING strava_activities a
         WHERE s.activity_id = a.id AND a.user_id = p_user
           AND a.source = p_source AND s.source = 'file'
        RETURNING s.activity_id, s.detail),
    one AS (
        SELECT DISTINCT ON (activity_id) activity_id, detail
          FROM f ORDER BY activity_id, detail)
    UPDATE strava_activities a
       SET source = 'file', file_name = one.detail, garmin_summary_id = NULL,
           strava_activity_id = -nextval('activity_other_ids')
      FROM one
     WHERE a.id = one.activity_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
