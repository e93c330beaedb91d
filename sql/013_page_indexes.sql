-- A runner's runs by date: every page reads a window of them
-- (pv_activities, the workout page's candidates, the activity list), so
-- the cost follows the window shown, not the runner's whole history.
CREATE INDEX idx_activities_user_start ON strava_activities (user_id, start_date_local);
