/*
 * http: the request a handler sees and the response it builds.
 *
 * A handler never writes to the client.  It fills a struct response (status,
 * headers, body in a buffer) and the worker sends it when the handler has
 * returned, so a failure at any point still becomes a clean error page.
 */
#ifndef CADENCE_HTTP_H
#define CADENCE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "web/form.h"
#include "web/multipart.h"

#define ROUTE_MAX_CAPS		3	/* captures a route pattern may have */
#define RESP_MAX_HEADERS	24

struct access;
struct config;
struct db;
struct route;
struct runner;

struct request {
	arena_t			*arena;
	const struct config	*cfg;
	struct db		*db;		/* NULL for ROUTE_NODB routes */
	const char		*method;	/* as sent; HEAD is routed as GET */
	bool			 head;
	const char		*path;		/* normalised by nginx */
	const char		*query_string;
	const char		*remote_addr;
	const char		*host;
	const char		*origin;	/* Origin header or NULL */
	const char		*sec_fetch_site;
	const char		*content_type;
	const char		*user_agent;
	struct params		 query;
	struct params		 form;		/* urlencoded POST bodies */
	struct uploads		 files;		/* multipart files (ROUTE_UPLOAD) */
	struct params		 cookies;
	const char		*body;		/* raw body, NUL-terminated */
	size_t			 body_len;
	const struct route	*route;
	const char		*cap[ROUTE_MAX_CAPS];	/* validated captures */
	long			 cap_int[ROUTE_MAX_CAPS];
	struct runner		*runner;	/* signed-in runner or NULL */
	/*
	 * What the access layer (db/access.h) granted the signed-in runner
	 * for this route, and whose data it is about: the runner themself,
	 * or an athlete of their club.  NULL when signed out.
	 */
	const struct access	*access;
	const struct runner	*subject;
	const char		*session_id;	/* sessions.id of the runner */
	const char		*csrf_token;	/* for forms on this page */
	const char		*flash;		/* one-time message key */
	/* Told the route's name once it is known (the worker's scoreboard). */
	void			(*on_route)(const char *name);
};

struct header {
	const char	*name;
	const char	*value;
};

struct response {
	int		 status;
	const char	*content_type;
	buf_t		 body;
	struct header	 headers[RESP_MAX_HEADERS];
	size_t		 nheaders;
	bool		 html;		/* add the page security headers */
	bool		 no_store;	/* Cache-Control: no-store */
};

/* Handlers return 0, or -1 for "internal error": the worker sends 500. */
typedef int (*handler_fn)(struct request *, struct response *);

const char	*http_status_text(int status);

void	resp_init(struct response *);
void	resp_free(struct response *);
/* Drops the body (headers such as Set-Cookie stay): before an error page. */
void	resp_clear(struct response *);
/*
 * Adds a header.  A value with CR, LF or another control character is
 * refused (and logged), so no input can split a header.  Returns 0 or -1.
 */
int	resp_header(struct response *, arena_t *, const char *name,
	    const char *value);
/*
 * path with the bytes a Location header may not carry raw percent-
 * encoded: non-ASCII (UTF-8) bytes, controls, space, " < > \ ^ ` { | }
 * and a '%' that starts no escape.  Escapes already there are kept.
 */
char	*http_location_encode(arena_t *, const char *path);
/* s as one query-string value: all but A-Z a-z 0-9 - . _ ~ / as %XX. */
char	*http_query_encode(arena_t *, const char *s);
/*
 * 303 See Other to a local path (POST -> redirect -> GET), encoded as
 * above; anything that is not a local path goes to "/".
 */
void	resp_redirect(struct request *, struct response *, const char *path);
/* A plain-text body. */
void	resp_text(struct response *, int status, const char *text);
/* The CGI status line and headers, for FastCGI, into out (no body). */
void	resp_head(const struct request *, const struct response *, buf_t *out);

/* Form/query helpers: trimmed value or "" (never NULL). */
const char	*req_form(const struct request *, const char *name);
const char	*req_query(const struct request *, const char *name);
const char	*req_cookie(const struct request *, const char *name);

#endif
