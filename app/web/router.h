/*
 * router: one static table maps method + anchored PCRE2 pattern to a
 * handler and flags.  Patterns are compiled and JIT-compiled once in the
 * master, before fork, with match limits; captures are validated into typed
 * values before a handler runs, so handlers never parse raw path pieces.
 */
#ifndef CADENCE_ROUTER_H
#define CADENCE_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "db/access.h"
#include "web/http.h"

/* Route flags. */
#define ROUTE_AUTH	0x01	/* needs a signed-in runner (else /login) */
#define ROUTE_CSRF	0x02	/* state-changing: CSRF token + origin check */
#define ROUTE_NODB	0x04	/* answers without the database */
#define ROUTE_RAW_BODY	0x08	/* body is not a form (e.g. webhook JSON) */
#define ROUTE_NOSESSION	0x10	/* never looks at cookies (machine routes) */
/*
 * The handler runs even while the database is down (no 503 first):
 * req->db is set but unchecked, and the handler calls db_ready() itself
 * (the webhook spools events then).
 */
#define ROUTE_DB_OPTIONAL 0x20
/*
 * The route's capture names something opened by a secret token the
 * request carries (an invitation link, a calendar feed), not by the
 * session: the access layer is not asked, the handler checks the token.
 */
#define ROUTE_BY_TOKEN	0x40
/*
 * The route takes multipart/form-data (web/multipart.h): text fields go
 * to req->form (CSRF works as for any form), files to req->files, and
 * the body may be as large as UPLOAD_MAX_REQUEST instead of
 * CADENCE_MAX_BODY.
 */
#define ROUTE_UPLOAD	0x80
/*
 * The route takes a raw body as large as UPLOAD_MAX_REQUEST: Garmin's
 * pushed notifications (a push of activity details carries a sample a
 * second: several MB for a long run; nginx's client_max_body_size for
 * the route says the same).
 */
#define ROUTE_LARGE_BODY 0x100
/* Largest multipart body (nginx's client_max_body_size for the route). */
#define UPLOAD_MAX_REQUEST	(24 * 1024 * 1024)
/* Largest file in it (checked per file, with a message naming it). */
#define UPLOAD_MAX_FILE		(10 * 1024 * 1024)

#define ROUTER_MATCH_LIMIT	10000	/* PCRE2 backtracking budget */
#define ROUTER_DEPTH_LIMIT	1000
#define ROUTER_MAX_PATH		2048	/* longer paths are 404 */

enum cap_type {
	CAP_NONE = 0,
	CAP_UUID,	/* canonical lower-case UUID */
	CAP_INT,	/* decimal 1..100000, in cap_int[] as well */
	CAP_SLUG,	/* a club's URL name (core/util.h's slug_valid) */
};

/*
 * Who may use a route (db/access.h): what its captures name and the
 * action it is.  The dispatcher asks the access layer before the handler
 * runs; { ACCESS_OF_SELF, ACCESS_OWN } (all zero, the default) is the
 * signed-in runner's own data.
 */
struct route_access {
	enum access_of		of;
	enum access_action	action;
};

struct route {
	const char	*method;
	const char	*pattern;	/* anchored at both ends by the router */
	handler_fn	 handler;
	unsigned	 flags;
	const char	*name;		/* for logs and metrics */
	enum cap_type	 caps[ROUTE_MAX_CAPS];
	struct route_access access;
};

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,
	ROUTER_METHOD_NOT_ALLOWED,	/* allow[] lists the methods */
};

/* Compiles a table; -1 with a message on a bad pattern. */
int	router_init(const struct route *, size_t, char *err, size_t errlen);
void	router_free(void);
/* The table router_init compiled (for /metrics' route names). */
const struct route *router_table(size_t *n);
/*
 * Finds the route for method and path.  On ROUTER_FOUND fills *out and
 * the captures (cap strings from the arena, cap_int for CAP_INT); on
 * ROUTER_METHOD_NOT_ALLOWED writes "GET, HEAD, POST" style text to allow.
 */
enum router_result router_match(arena_t *, const char *method,
	    const char *path, const struct route **out,
	    const char *cap[ROUTE_MAX_CAPS], long cap_int[ROUTE_MAX_CAPS],
	    char *allow, size_t allowlen);

#endif
