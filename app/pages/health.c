/* Health endpoints for load balancers and orchestration. */
#include "db/db.h"
#include "pages/pages.h"

static const struct db_stmt q_ping = DB_STMT("health_ping", "SELECT 1");

/* Liveness: the worker answers; no database involved. */
int
page_livez(struct request *req, struct response *res)
{
	resp_text(res, 200, "ok\n");
	res->no_store = true;
	return 0;
}

/* Readiness: a real database round trip; 503 while it is unreachable. */
int
page_readyz(struct request *req, struct response *res)
{
	PGresult *r = db_exec(req->db, &q_ping, 0, NULL);

	res->no_store = true;
	if (r == NULL) {
		resp_text(res, 503, "database unavailable\n");
		return 0;
	}
	PQclear(r);
	resp_text(res, 200, "ready\n");
	return 0;
}
