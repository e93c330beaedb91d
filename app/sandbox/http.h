/*
 * http: the sandbox's tiny HTTP/1.1 server.
 *
 * One connection at a time, one request per connection (every answer
 * says "Connection: close").  Request bodies need a Content-Length;
 * query strings, urlencoded forms and flat JSON objects are all turned
 * into one list of parameters, so handlers read "client_id" the same way
 * whichever encoding the client chose (Strava accepts all three too).
 */
#ifndef SANDBOX_HTTP_H
#define SANDBOX_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"

#define SB_HTTP_MAX_HEADER	(16 * 1024)
#define SB_HTTP_MAX_BODY	(4 * 1024 * 1024)
#define SB_HTTP_MAX_PARAMS	512
#define SB_HTTP_IO_TIMEOUT_S	5

struct sb_param {
	const char	*key;
	const char	*value;
};

struct sb_request {
	arena_t		 arena;		/* everything below lives here */
	char		 method[8];
	const char	*path;		/* without the query string */
	const char	*query;		/* raw, "" when none */
	const char	*authorization;	/* header value or NULL */
	const char	*content_type;	/* header value or NULL */
	const char	*body;
	size_t		 body_len;
	json_t		*json;		/* body parsed when it is a JSON object */
	struct sb_param	 params[SB_HTTP_MAX_PARAMS];
	size_t		 nparams;	/* body params first, then query */
};

struct sb_response {
	int		 status;
	const char	*content_type;
	buf_t		 headers;	/* extra "Name: value\r\n" lines */
	buf_t		 body;
};

typedef void	(*sb_handler)(void *ctx, struct sb_request *, struct sb_response *);

/* Binds a loopback "HOST:PORT" (port 0 picks one); -1 and a message on error. */
int	 sb_http_listen(const char *spec, int *port_out);
/* Accepts one connection on lfd and answers its request with h. */
void	 sb_http_serve_one(int lfd, sb_handler h, void *ctx);

/* The first value of a parameter, or NULL. */
const char *sb_param(const struct sb_request *, const char *key);
/* True when the request was a form post from a browser (answer with HTML). */
bool	 sb_is_form(const struct sb_request *);

void	 sb_header(struct sb_response *, const char *name, const char *value);
/* Sets status and a JSON body; takes the reference to j. */
void	 sb_json(struct sb_response *, int status, json_t *j);
/* A Strava-style error: {"message":M,"errors":[{"resource","field","code"}]}. */
void	 sb_error(struct sb_response *, int status, const char *message,
	    const char *resource, const char *field, const char *code);
void	 sb_redirect(struct sb_response *, int status, const char *location);

/* Percent-encodes s for a query string component. */
void	 sb_url_encode(buf_t *, const char *s);
const char *sb_status_text(int status);

#endif
