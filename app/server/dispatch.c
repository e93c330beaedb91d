#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "db/access.h"
#include "db/db.h"
#include "view/view.h"
#include "server/dispatch.h"
#include "server/routes.h"
#include "web/router.h"
#include "web/session.h"

/*
 * A route with an id in its path says what the id names, so the access
 * layer (db/access.h) is asked about it before the handler runs: no
 * handler can be reached with another runner's id unchecked.  Only
 * routes opened by a secret token (ROUTE_BY_TOKEN, or machine routes
 * without a session) check their id themselves.  A route that names
 * something needs a signed-in runner.
 */
static int
check_access(const struct route *r, char *err, size_t errlen)
{
	bool	has_id = false;
	size_t	i;

	for (i = 0; i < ROUTE_MAX_CAPS; i++)
		has_id |= r->caps[i] == CAP_UUID || r->caps[i] == CAP_SLUG;
	if (has_id && r->access.of == ACCESS_OF_SELF &&
	    !(r->flags & (ROUTE_BY_TOKEN | ROUTE_NOSESSION))) {
		snprintf(err, errlen, "route %s %s has an id but does not "
		    "say what it names (route_access)", r->method, r->pattern);
		return -1;
	}
	if (r->access.of != ACCESS_OF_SELF && !(r->flags & ROUTE_AUTH)) {
		snprintf(err, errlen, "route %s %s names a subject but needs "
		    "no sign-in", r->method, r->pattern);
		return -1;
	}
	return 0;
}

/*
 * Every route that is not GET changes state, so it must check CSRF or be
 * a machine endpoint that never reads cookies (the Strava webhook).  This
 * makes a forgotten CSRF flag a start-up error rather than a hole.
 */
int
dispatch_check_route(const struct route *r, char *err, size_t errlen)
{
	if (strcmp(r->method, "GET") != 0 &&
	    !(r->flags & (ROUTE_CSRF | ROUTE_NOSESSION))) {
		snprintf(err, errlen, "route %s %s changes state but has no "
		    "CSRF check", r->method, r->pattern);
		return -1;
	}
	if (strcmp(r->method, "GET") == 0 && (r->flags & ROUTE_CSRF)) {
		snprintf(err, errlen, "route GET %s: GET must not change state",
		    r->pattern);
		return -1;
	}
	return check_access(r, err, errlen);
}

int
dispatch_check_routes(char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < nroutes; i++)
		if (dispatch_check_route(&routes[i], err, errlen) == -1)
			return -1;
	return 0;
}

static bool
is_form(const struct request *req)
{
	const char *ct = req->content_type;

	return ct != NULL && strncasecmp(ct,
	    "application/x-www-form-urlencoded", 33) == 0;
}

/*
 * A multipart body of a ROUTE_UPLOAD route: fields to req->form, files to
 * req->files.  False when a response (400) is set.
 */
static bool
parse_multipart(struct request *req, struct response *res)
{
	enum multipart_status st;

	st = multipart_parse(req->arena, req->content_type, req->body,
	    req->body_len, &req->form, &req->files);
	if (st != MULTIPART_OK) {
		view_error(req, res, 400, arena_printf(req->arena,
		    "The upload could not be read: %s.",
		    multipart_status_str(st)));
		return false;
	}
	return true;
}

/*
 * Parses the query string and a form body; false answers 400 (413 for a
 * body over CADENCE_MAX_BODY on a route that takes no files or large
 * bodies: the worker reads up to UPLOAD_MAX_REQUEST for the routes that do).
 */
static bool
parse_inputs(struct request *req, struct response *res)
{
	enum form_status st;
	bool		 upload = (req->route->flags & ROUTE_UPLOAD) != 0;
	bool		 large = upload ||
			    (req->route->flags & ROUTE_LARGE_BODY) != 0;

	if (!large && req->cfg != NULL &&
	    req->body_len > (size_t)req->cfg->max_body) {
		view_error(req, res, 413, NULL);
		return false;
	}
	st = form_parse_urlencoded(req->arena, req->query_string,
	    strlen(req->query_string), &req->query);
	/* Another body on an upload route is a form without files. */
	if (st == FORM_OK && upload && strcmp(req->method, "POST") == 0 &&
	    multipart_is(req->content_type))
		return parse_multipart(req, res);
	if (st == FORM_OK && !(req->route->flags & ROUTE_RAW_BODY) &&
	    strcmp(req->method, "POST") == 0) {
		if (req->body_len > 0 && !is_form(req)) {
			view_error(req, res, 415, "Forms must be sent as "
			    "application/x-www-form-urlencoded.");
			return false;
		}
		st = form_parse_urlencoded(req->arena, req->body,
		    req->body_len, &req->form);
	}
	if (st != FORM_OK) {
		view_error(req, res, 400, arena_printf(req->arena,
		    "The request could not be read: %s.", form_status_str(st)));
		return false;
	}
	return true;
}

/* The sign-in, CSRF and origin gates; false when a response is set. */
static bool
pass_gates(struct request *req, struct response *res)
{
	unsigned	 flags = req->route->flags;
	bool		 need_csrf = strcmp(req->method, "POST") == 0 ||
			    (flags & ROUTE_NODB) == 0;

	if (!(flags & ROUTE_NOSESSION) && req->db != NULL &&
	    session_load(req, res, need_csrf) == -1) {
		view_error(req, res, db_down(req->db) ? 503 : 500, NULL);
		return false;
	}
	if ((flags & ROUTE_CSRF) && (!same_origin(req) || !csrf_valid(req))) {
		view_error(req, res, 403, "This form has expired or did not "
		    "come from Cadence. Reload the page and try again.");
		return false;
	}
	if ((flags & ROUTE_AUTH) && req->runner == NULL) {
		if (strcmp(req->method, "GET") == 0)
			resp_redirect(req, res, arena_printf(req->arena,
			    "/login?next=%s", req->path));
		else
			resp_redirect(req, res, "/login");
		return false;
	}
	return true;
}

/*
 * Asks the access layer whether the signed-in runner may use this route
 * on what its captures name (db/access.h) and passes the answer down as
 * req->access and req->subject.  A refusal is the 404 of a missing id.
 * Signed out, pages have no subject (ROUTE_AUTH routes were sent to
 * sign-in already).  False when a response is set.
 */
static bool
authorize(struct request *req, struct response *res)
{
	const struct route_access	*ra = &req->route->access;
	int				 rc;

	if (req->runner == NULL || req->db == NULL)
		return true;
	rc = access_resolve(req->db, req->arena, req->runner, ra->of,
	    ra->action, req->cap, &req->access);
	if (rc == 1) {
		req->subject = req->access->subject;
		return true;
	}
	if (rc == 0)
		view_error(req, res, 404, NULL);
	else
		view_error(req, res, db_down(req->db) ? 503 : 500, NULL);
	return false;
}

/*
 * Read-your-writes with a replica (db/replica.c): after a request that
 * wrote, the primary's WAL position goes to a short-lived cookie; while
 * the replica has not replayed it, this browser reads the primary.  The
 * cookie is no secret: a forged one only moves reads to the primary (or
 * shows its bearer slightly older pages of their own).
 */
#define LSN_COOKIE	"cadence_lsn"

static void
begin_reads(struct request *req)
{
	uint64_t	lsn = 0;
	bool		get = strcmp(req->method, "GET") == 0 || req->head;

	(void)db_lsn_parse(params_get(&req->cookies, LSN_COOKIE), &lsn);
	db_request_begin(req->db, get, lsn);
}

static void
end_reads(struct request *req, struct response *res)
{
	uint64_t	lsn = db_request_end(req->db);
	char		text[32];

	if (lsn == 0)
		return;
	db_lsn_format(lsn, text);
	/* Past the replica's allowed lag the cookie no longer matters. */
	resp_header(res, req->arena, "Set-Cookie", arena_printf(req->arena,
	    LSN_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
	    text, req->cfg != NULL ? req->cfg->replica_max_lag + 1 : 6,
	    req->cfg != NULL && req->cfg->https ? "; Secure" : ""));
}

void
dispatch(struct request *req, struct response *res)
{
	char			 allow[64];
	enum router_result	 rr;
	struct db		*db = req->db;

	rr = router_match(req->arena, req->method, req->path, &req->route,
	    req->cap, req->cap_int, allow, sizeof(allow));
	if (rr != ROUTER_FOUND) {
		req->route = NULL;
		req->db = NULL;
		if (rr == ROUTER_METHOD_NOT_ALLOWED) {
			view_error(req, res, 405, NULL);
			resp_header(res, req->arena, "Allow", allow);
		} else
			view_error(req, res, 404, NULL);
		return;
	}
	if (req->on_route != NULL)
		req->on_route(req->route->name);
	if (req->route->flags & ROUTE_NODB)
		req->db = NULL;
	else if (!(req->route->flags & ROUTE_DB_OPTIONAL) && !db_ready(db)) {
		req->db = NULL;
		view_error(req, res, 503, NULL);
		resp_header(res, req->arena, "Retry-After", "5");
		return;
	}
	req->flash = params_get(&req->cookies, "flash");
	if (req->db != NULL)
		begin_reads(req);
	if (!parse_inputs(req, res) || !pass_gates(req, res) ||
	    !authorize(req, res)) {
		if (req->db != NULL)
			(void)db_request_end(req->db);
		return;
	}
	if (req->flash != NULL)		/* shown once, then gone */
		resp_header(res, req->arena, "Set-Cookie",
		    "flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
	if (req->route->handler(req, res) == 0) {
		if (req->db != NULL)
			end_reads(req, res);
		return;
	}
	if (req->db != NULL) {
		db_rollback(req->db);
		(void)db_request_end(req->db);
	}
	view_error(req, res, req->db != NULL && db_down(req->db) ? 503 : 500,
	    NULL);
}
