/*
 * The Strava connection as pages show it (the strava_status partial of
 * the dashboard and settings), and what account deletion asks of Strava.
 */
#include "db/db.h"
#include "pages/pages.h"
#include "strava/connection.h"
#include "web/session.h"

/* One query: the link, its health and the import's progress. */
static const struct db_stmt q_status = DB_STMT("strava_status",
    "SELECT u.strava_athlete_id IS NOT NULL AND u.strava_access_token"
    "       IS NOT NULL,"
    "       COALESCE(u.strava_athlete_name, ''), u.strava_athlete_id,"
    "       u.strava_needs_reconnect OR (u.strava_athlete_id IS NOT NULL"
    "        AND u.strava_access_token IS NULL),"
    "       i.status IN ('pending', 'running'), i.done, GREATEST(i.total, i.done)"
    "  FROM users u LEFT JOIN strava_imports i ON i.user_id = u.id"
    " WHERE u.id = $1");

json_t *
settings_strava_json(struct request *req)
{
	PGresult	*r = NULL;
	json_t		*j;
	bool		 importing, linked;

	if (req->runner == NULL ||
	    (r = db_exec(req->db, &q_status, 1, &req->runner->id)) == NULL ||
	    PQntuples(r) != 1) {
		if (req->runner != NULL)
			PQclear(r);
		return json_pack("{s:b, s:b, s:b, s:n}", "connected", 0,
		    "needs_reconnect", 0, "importing", 0, "import_progress");
	}
	/* Linked but without tokens (Strava revoked us): reconnect. */
	linked = !db_null(r, 0, 2);
	importing = db_bool(r, 0, 4) && !db_bool(r, 0, 3);
	j = json_pack("{s:b, s:s?, s:I, s:b, s:b}",
	    "connected", linked,
	    "athlete_name", linked && *db_val(r, 0, 1) ? db_val(r, 0, 1) : NULL,
	    "athlete_id", (json_int_t)db_long(r, 0, 2),
	    "needs_reconnect", linked && db_bool(r, 0, 3),
	    "importing", importing);
	if (!linked)
		json_object_set_new(j, "athlete_id", json_null());
	json_object_set_new(j, "import_progress", importing ?
	    json_pack("{s:I, s:I}", "done", (json_int_t)db_long(r, 0, 5),
	    "total", (json_int_t)db_long(r, 0, 6)) : json_null());
	PQclear(r);
	return j;
}

int
account_before_delete(struct request *req)
{
	return strava_disconnect(req->cfg, req->db, req->runner->id);
}
