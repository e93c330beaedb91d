/*
 * http: accept, read one request, call the handler, write, close.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "core/util.h"
#include "sandbox/http.h"

/* Read outcome: 0 or an HTTP status to answer with; -1 to just hang up. */
#define READ_HANGUP	(-1)

const char *
sb_status_text(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 302: return "Found";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

int
sb_http_listen(const char *spec, int *port_out)
{
	struct sockaddr_in	 sa;
	socklen_t		 len = sizeof(sa);
	char			 host[64];
	const char		*colon = strrchr(spec, ':');
	int			 fd, one = 1, port;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host) ||
	    !parse_int(colon + 1, 0, 65535, &port)) {
		fprintf(stderr, "strava-sandbox: bad --listen %s (want HOST:PORT)\n", spec);
		return -1;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	/* Loopback only: this fake must never be reachable from outside. */
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    (ntohl(sa.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "strava-sandbox: refusing to listen on %s: loopback only\n", host);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		perror("strava-sandbox: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		fprintf(stderr, "strava-sandbox: cannot listen on %s: %s\n", spec, strerror(errno));
		close(fd);
		return -1;
	}
	*port_out = ntohs(sa.sin_port);
	return fd;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX and '+' into an arena copy. */
static char *
url_decode(arena_t *a, const char *s, size_t n)
{
	char	*out = arena_alloc(a, n + 1), *o = out;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

void
sb_url_encode(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL)
			buf_putc(b, c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

static void
add_param(struct sb_request *r, const char *k, const char *v)
{
	if (r->nparams < SB_HTTP_MAX_PARAMS) {
		r->params[r->nparams].key = k;
		r->params[r->nparams].value = v;
		r->nparams++;
	}
}

static void
parse_urlencoded(struct sb_request *r, const char *s, size_t n)
{
	const char *end = s + n;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(stop - s));

		if (stop > s) {
			if (eq == NULL)
				add_param(r, url_decode(&r->arena, s, (size_t)(stop - s)), "");
			else
				add_param(r, url_decode(&r->arena, s, (size_t)(eq - s)),
				    url_decode(&r->arena, eq + 1, (size_t)(stop - eq - 1)));
		}
		s = stop + 1;
	}
}

/* Flat JSON values become parameters; arrays of scalars repeat the key. */
static void
json_param(struct sb_request *r, const char *key, json_t *v)
{
	size_t	 i;
	json_t	*e;

	switch (json_typeof(v)) {
	case JSON_STRING:
		add_param(r, key, arena_strdup(&r->arena, json_string_value(v)));
		break;
	case JSON_INTEGER:
		add_param(r, key, arena_printf(&r->arena, "%lld",
		    (long long)json_integer_value(v)));
		break;
	case JSON_REAL:
		add_param(r, key, arena_printf(&r->arena, "%.17g", json_real_value(v)));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		add_param(r, key, json_is_true(v) ? "true" : "false");
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, e)
			if (!json_is_array(e) && !json_is_object(e))
				json_param(r, key, e);
		break;
	default:
		break;
	}
}

static void
parse_params(struct sb_request *r)
{
	const char	*ct = r->content_type ? r->content_type : "";
	const char	*key;
	json_t		*v;

	if (r->body_len > 0 && (strncasecmp(ct, "application/json", 16) == 0 ||
	    (r->body[0] == '{' && strncasecmp(ct, "application/x-www", 17) != 0))) {
		r->json = json_loadb(r->body, r->body_len, 0, NULL);
		if (r->json != NULL && json_is_object(r->json))
			json_object_foreach(r->json, key, v)
				json_param(r, arena_strdup(&r->arena, key), v);
	} else if (r->body_len > 0)
		parse_urlencoded(r, r->body, r->body_len);
	parse_urlencoded(r, r->query, strlen(r->query));
}

const char *
sb_param(const struct sb_request *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].key, key) == 0)
			return r->params[i].value;
	return NULL;
}

bool
sb_is_form(const struct sb_request *r)
{
	return r->content_type != NULL &&
	    strncasecmp(r->content_type, "application/x-www-form-urlencoded", 33) == 0 &&
	    sb_param(r, "html") != NULL;
}

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static const char *
header_value(struct sb_request *r, char *line, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return arena_strdup(&r->arena, line);
}

/* Parses the head in place (hdr is NUL-terminated, CRLFs included). */
static int
parse_head(struct sb_request *r, char *hdr, int64_t *clen, bool *expect100)
{
	char		*line, *save = NULL, *sp1, *sp2, *q;
	const char	*v;

	*clen = 0;
	*expect100 = false;
	if ((line = strtok_r(hdr, "\r\n", &save)) == NULL)
		return 400;
	if ((sp1 = strchr(line, ' ')) == NULL || (sp2 = strchr(sp1 + 1, ' ')) == NULL ||
	    (size_t)(sp1 - line) >= sizeof(r->method) || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return 400;
	memcpy(r->method, line, (size_t)(sp1 - line));
	r->method[sp1 - line] = '\0';
	*sp2 = '\0';
	if ((q = strchr(sp1 + 1, '?')) != NULL) {
		*q = '\0';
		r->query = arena_strdup(&r->arena, q + 1);
	} else
		r->query = "";
	r->path = arena_strdup(&r->arena, sp1 + 1);
	while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
		if ((v = header_value(r, line, "Content-Length")) != NULL) {
			if (!parse_int64(v, 0, INT64_MAX, clen))
				return 400;
		} else if ((v = header_value(r, line, "Transfer-Encoding")) != NULL)
			return 411;
		else if ((v = header_value(r, line, "Authorization")) != NULL)
			r->authorization = v;
		else if ((v = header_value(r, line, "Content-Type")) != NULL)
			r->content_type = v;
		else if ((v = header_value(r, line, "Expect")) != NULL)
			*expect100 = strcasecmp(v, "100-continue") == 0;
	}
	return *clen > SB_HTTP_MAX_BODY ? 413 : 0;
}

static int
read_request(int fd, struct sb_request *r)
{
	buf_t		 in = BUF_INIT;
	char		 chunk[4096], *end = NULL, *body;
	size_t		 head_len, have;
	int64_t		 clen;
	bool		 expect100;
	int		 rc = READ_HANGUP;
	ssize_t		 n;

	while (end == NULL) {
		if (in.len > SB_HTTP_MAX_HEADER) {
			rc = 431;
			goto out;
		}
		if ((n = recv(fd, chunk, sizeof(chunk), 0)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = in.len > 0 && n < 0 ? 408 : READ_HANGUP;
			goto out;
		}
		buf_add(&in, chunk, (size_t)n);
		end = strstr(in.data, "\r\n\r\n");
	}
	head_len = (size_t)(end - in.data) + 4;
	have = in.len - head_len;
	end[2] = '\0';
	if ((rc = parse_head(r, in.data, &clen, &expect100)) != 0)
		goto out;
	if (expect100 && (int64_t)have < clen)
		send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	body = arena_alloc(&r->arena, (size_t)clen + 1);
	memcpy(body, in.data + head_len, have < (size_t)clen ? have : (size_t)clen);
	while ((int64_t)have < clen) {
		if ((n = recv(fd, body + have, (size_t)clen - have, 0)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = 408;
			goto out;
		}
		have += (size_t)n;
	}
	r->body = body;
	r->body_len = (size_t)clen;
	parse_params(r);
	rc = 0;
out:
	buf_free(&in);
	return rc;
}

static void
write_response(int fd, struct sb_response *res, bool head_only)
{
	buf_t out = BUF_INIT;

	buf_printf(&out, "HTTP/1.1 %d %s\r\n", res->status, sb_status_text(res->status));
	if (res->status != 204)
		buf_printf(&out, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		    res->content_type, res->body.len);
	buf_printf(&out, "Connection: close\r\n%s\r\n", buf_cstr(&res->headers));
	if (!head_only && res->status != 204)
		buf_add(&out, res->body.data ? res->body.data : "", res->body.len);
	send_all(fd, out.data, out.len);
	buf_free(&out);
}

void
sb_http_serve_one(int lfd, sb_handler h, void *ctx)
{
	struct sb_request	*req;
	struct sb_response	 res;
	struct timeval		 tv = { SB_HTTP_IO_TIMEOUT_S, 0 };
	int			 fd, rc;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* The request is large (param table): keep it off the stack. */
	req = xcalloc(1, sizeof(*req));
	arena_init(&req->arena);
	memset(&res, 0, sizeof(res));
	res.status = 200;
	res.content_type = "application/json; charset=utf-8";
	rc = read_request(fd, req);
	if (rc == 0)
		h(ctx, req, &res);
	else if (rc > 0)
		sb_error(&res, rc, sb_status_text(rc), "Request", "http", "invalid");
	if (rc != READ_HANGUP)
		write_response(fd, &res, strcmp(req->method, "HEAD") == 0);
	close(fd);
	if (req->json != NULL)
		json_decref(req->json);
	arena_free(&req->arena);
	free(req);
	buf_free(&res.headers);
	buf_free(&res.body);
}

void
sb_header(struct sb_response *res, const char *name, const char *value)
{
	buf_printf(&res->headers, "%s: %s\r\n", name, value);
}

void
sb_json(struct sb_response *res, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));

	res->status = status;
	res->content_type = "application/json; charset=utf-8";
	buf_reset(&res->body);
	if (s == NULL)
		fatal_oom();
	buf_puts(&res->body, s);
	free(s);
	json_decref(j);
}

void
sb_error(struct sb_response *res, int status, const char *message,
    const char *resource, const char *field, const char *code)
{
	sb_json(res, status, json_pack("{s:s, s:[{s:s, s:s, s:s}]}",
	    "message", message, "errors", "resource", resource, "field", field,
	    "code", code));
}

void
sb_redirect(struct sb_response *res, int status, const char *location)
{
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	sb_header(res, "Location", location);
	buf_reset(&res->body);
	buf_puts(&res->body, "<a href=\"");
	buf_html(&res->body, location, strlen(location));
	buf_puts(&res->body, "\">Redirecting</a>\n");
}
