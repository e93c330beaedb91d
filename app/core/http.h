/*
 * http: the one HTTP client (libcurl) Cadence calls other services with.
 *
 * It knows no provider: strava/client.c and garmin/client.c build a
 * struct http_req (their base URLs, token, headers, limits), call
 * http_perform, and turn the generic class of the answer into their own
 * status.  What every call gets here, whoever makes it:
 *   - redirects are never followed (a 3xx is an answer, with its Location
 *     kept if asked for);
 *   - only http:// and https:// URLs are fetched;
 *   - TLS peers and host names are verified;
 *   - connect and total timeouts (HTTP_CONNECT_TIMEOUT_MS and
 *     HTTP_TOTAL_TIMEOUT_MS unless the request names others);
 *   - a body larger than the request's max_body cuts the transfer
 *     (HTTP_TOO_LARGE);
 *   - the bearer token goes in an Authorization header that is wiped
 *     from memory after the call; nothing here logs, and err never holds
 *     a URL, a header or a body.
 * One easy handle per call, no share handle; libcurl initialises itself
 * on the first call (worker processes are single-threaded).
 */
#ifndef CADENCE_HTTP_H
#define CADENCE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define HTTP_CONNECT_TIMEOUT_MS	5000
#define HTTP_TOTAL_TIMEOUT_MS	20000	/* one whole call */
#define HTTP_CAPTURE_MAX	8	/* headers one request may keep */
#define HTTP_HEADER_VALUE_MAX	2048	/* a longer value is not kept */
#define HTTP_ERR_MAX		256

/* What an answer (or its absence) means, whoever sent it. */
enum http_class {
	HTTP_OK,		/* 2xx */
	HTTP_BAD_REQUEST,	/* 400 */
	HTTP_UNAUTHORIZED,	/* 401 */
	HTTP_FORBIDDEN,		/* 403 */
	HTTP_NOT_FOUND,		/* 404 */
	HTTP_CONFLICT,		/* 409 */
	HTTP_PRECONDITION,	/* 412 */
	HTTP_RATE_LIMITED,	/* 429 */
	HTTP_CLIENT_ERROR,	/* another 4xx */
	HTTP_SERVER_ERROR,	/* 5xx (and anything above) */
	HTTP_UNEXPECTED,	/* 1xx, 3xx (not followed), no status */
	HTTP_TOO_LARGE,		/* the body passed max_body: transfer cut */
	HTTP_NO_ANSWER,		/* no connection, TLS failure, timeout */
	HTTP_CLASS__MAX
};

struct http_req {
	const char	*method;	/* NULL: GET, or POST with a body */
	const char	*url;		/* absolute, http:// or https:// */
	const char	*bearer;	/* token for "Authorization: Bearer", or NULL */
	const char *const *headers;	/* "Name: value" lines, NULL-ended, or NULL */
	const char	*body;		/* NUL-terminated, or NULL: none */
	const char	*user_agent;
	size_t		 max_body;	/* bytes of answer accepted (0: none) */
	long		 connect_timeout_ms;	/* 0: HTTP_CONNECT_TIMEOUT_MS */
	long		 total_timeout_ms;	/* 0: HTTP_TOTAL_TIMEOUT_MS */
	/* Names of the answer's headers to keep (NULL-ended, at most
	 * HTTP_CAPTURE_MAX): their values land in resp.headers, same index. */
	const char *const *capture;
};

struct http_resp {
	enum http_class	 class;
	long		 status;	/* HTTP status; 0 when the call failed */
	buf_t		 body;
	/* Values of req.capture's headers (trimmed, the last one sent), or
	 * NULL when absent; malloc'd, freed by http_resp_free. */
	char		*headers[HTTP_CAPTURE_MAX];
	char		 err[HTTP_ERR_MAX];	/* libcurl's words on a failure */
};

/*
 * Makes the call and fills resp (always: free it with http_resp_free).
 * Returns resp->class.
 */
enum http_class http_perform(const struct http_req *, struct http_resp *);
void	 http_resp_free(struct http_resp *);

/* Pure helpers, exposed for the unit tests. */
/*
 * The class of a call's outcome: curl_code is libcurl's CURLcode (0: the
 * transfer completed), status the HTTP status it got.
 */
enum http_class http_classify(int curl_code, long status);
/*
 * If line (a header line as received, len bytes, CRLF included or not)
 * is "name: value" (name compared without case), points *value at the
 * value without surrounding blanks and sets *vlen.  False otherwise.
 */
bool	 http_header_match(const char *line, size_t len, const char *name,
	    const char **value, size_t *vlen);

#endif
