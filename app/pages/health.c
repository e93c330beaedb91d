/* Health endpoints for load balancers and orchestration. */
#include "db/db.h"
#include "pages/pages.h"

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
	res->no_store = true;
	if (db_ping(req->db) == -1) {
		resp_text(res, 503, "database unavailable\n");
		return 0;
	}
	resp_text(res, 200, "ready\n");
	return 0;
}
