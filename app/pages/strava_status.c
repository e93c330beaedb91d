/*
 * The Strava connection as pages show it (the strava_status partial of
 * the dashboard and settings), and what account deletion asks of Strava.
 */
#include "core/log.h"
#include "db/strava.h"
#include "garmin/connection.h"
#include "pages/pages.h"
#include "strava/connection.h"
#include "web/session.h"

json_t *
settings_strava_json(struct request *req)
{
	struct db_strava_status	 s;
	json_t			*j;
	bool			 importing;

	if (req->runner == NULL ||
	    db_strava_status(req->db, req->runner->id, &s) != 1)
		return json_pack("{s:b, s:b, s:b, s:n}", "connected", 0,
		    "needs_reconnect", 0, "importing", 0, "import_progress");
	/* Linked but without tokens (Strava revoked us): reconnect. */
	importing = s.importing && !s.needs_reconnect;
	j = json_pack("{s:b, s:s?, s:I, s:b, s:b}",
	    "connected", s.linked,
	    "athlete_name", s.linked && *s.athlete_name ? s.athlete_name :
	    NULL,
	    "athlete_id", (json_int_t)s.athlete_id,
	    "needs_reconnect", s.linked && s.needs_reconnect,
	    "importing", importing);
	if (!s.linked)
		json_object_set_new(j, "athlete_id", json_null());
	json_object_set_new(j, "import_progress", importing ?
	    json_pack("{s:I, s:I}", "done", (json_int_t)s.import_done,
	    "total", (json_int_t)s.import_total) : json_null());
	return j;
}

int
account_before_delete(struct request *req)
{
	/* Garmin's link goes with the account (ON DELETE CASCADE); asking
	 * Garmin to forget us is a courtesy that never blocks deletion. */
	if (garmin_disconnect(req->cfg, req->db, req->runner->id) == -1)
		log_warn("account deletion: Garmin unlink failed");
	return strava_disconnect(req->cfg, req->db, req->runner->id);
}
