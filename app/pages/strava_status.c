/*
 * The Strava connection as pages show it, and what account deletion asks
 * of Strava.  The Strava module fills these in as the connection grows.
 */
#include "db/db.h"
#include "pages/pages.h"
#include "web/session.h"

json_t *
settings_strava_json(struct request *req)
{
	return json_pack("{s:b, s:b, s:b, s:n}", "connected",
	    req->runner != NULL && req->runner->strava_athlete_id != 0,
	    "needs_reconnect", 0, "importing", 0, "import_progress");
}

int
account_before_delete(struct request *req)
{
	return 0;
}
