#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "web/http.h"

static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 409, "Conflict" }, { 413, "Payload Too Large" },
	{ 415, "Unsupported Media Type" }, { 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
};

const char *
http_status_text(int status)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == status)
			return statuses[i].text;
	return "Unknown";
}

void
resp_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	buf_init(&r->body);
}

void
resp_free(struct response *r)
{
	buf_free(&r->body);
}

void
resp_clear(struct response *r)
{
	buf_reset(&r->body);
	r->content_type = "text/html; charset=utf-8";
}

static bool
header_value_ok(const char *v)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

int
resp_header(struct response *r, arena_t *a, const char *name,
    const char *value)
{
	if (!header_value_ok(value) || !header_value_ok(name)) {
		log_warn("refused header %s with a control character", name);
		return -1;
	}
	if (r->nheaders >= RESP_MAX_HEADERS) {
		log_error("too many response headers (%s)", name);
		return -1;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = a ? arena_strdup(a, value) : value;
	r->nheaders++;
	return 0;
}

/* Bytes a Location carries as they are (see http_location_encode). */
static bool
location_keeps(const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c) != NULL)
		return false;
	return c != '%' || (isxdigit((unsigned char)p[1]) &&
	    isxdigit((unsigned char)p[2]));
}

char *
http_location_encode(arena_t *a, const char *path)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out = arena_alloc(a, 3 * strlen(path) + 1);
	char			*o = out;
	const char		*p;

	for (p = path; *p != '\0'; p++) {
		if (location_keeps(p)) {
			*o++ = *p;
			continue;
		}
		*o++ = '%';
		*o++ = hex[(unsigned char)*p >> 4];
		*o++ = hex[(unsigned char)*p & 15];
	}
	*o = '\0';
	return out;
}

char *
http_query_encode(arena_t *a, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out = arena_alloc(a, 3 * strlen(s) + 1);
	char			*o = out;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~/", c) != NULL) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '%';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	*o = '\0';
	return out;
}

void
resp_redirect(struct request *req, struct response *r, const char *path)
{
	/* Only local paths: "/x" but never "//host" or "/\host". */
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
		path = "/";
	resp_clear(r);
	r->status = 303;
	r->html = false;
	/* Encoding only adds "%XX": it cannot make the path leave the site. */
	if (resp_header(r, NULL, "Location",
	    http_location_encode(req->arena, path)) == -1)
		resp_header(r, NULL, "Location", "/");
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->body, "See Other\n");
}

void
resp_text(struct response *r, int status, const char *text)
{
	resp_clear(r);
	r->status = status;
	r->html = false;
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->body, text);
}

/*
 * The Content-Security-Policy forbids inline script and style, framing and
 * foreign form targets: pages need nothing else.
 */
static const char csp[] = "default-src 'self'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'";

void
resp_head(const struct request *req, const struct response *r, buf_t *out)
{
	size_t i;

	buf_printf(out, "Status: %d %s\r\n", r->status,
	    http_status_text(r->status));
	buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	buf_puts(out, "X-Content-Type-Options: nosniff\r\n");
	if (r->html) {
		buf_printf(out, "Content-Security-Policy: %s\r\n", csp);
		buf_puts(out, "X-Frame-Options: DENY\r\n");
		buf_puts(out, "Referrer-Policy: same-origin\r\n");
	}
	if (r->no_store)
		buf_puts(out, "Cache-Control: no-store\r\n");
	if (req->cfg != NULL && req->cfg->https)
		buf_puts(out, "Strict-Transport-Security: max-age=31536000; "
		    "includeSubDomains\r\n");
	for (i = 0; i < r->nheaders; i++)
		buf_printf(out, "%s: %s\r\n", r->headers[i].name,
		    r->headers[i].value);
	buf_puts(out, "\r\n");
}

static const char *
trimmed(arena_t *a, const char *v)
{
	size_t n;

	if (v == NULL)
		return "";
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return arena_strndup(a, v, n);
}

const char *
req_form(const struct request *req, const char *name)
{
	return trimmed(req->arena, params_get(&req->form, name));
}

const char *
req_query(const struct request *req, const char *name)
{
	return trimmed(req->arena, params_get(&req->query, name));
}

const char *
req_cookie(const struct request *req, const char *name)
{
	const char *v = params_get(&req->cookies, name);

	return v ? v : "";
}
