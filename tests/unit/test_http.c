/*
 * core/http.c, the one HTTP client Strava's and Garmin's layers call:
 * how outcomes are classified and header lines read (pure), then what
 * every call keeps, against a one-shot server on 127.0.0.1 in a thread:
 * the request as sent (token, headers, method, body), the size cap, the
 * timeout, redirects not followed, only http and https.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/http.h"

/* ---- classification (pure) ------------------------------------------------ */

Test(http, statuses_have_their_class)
{
	static const struct { long status; enum http_class want; } t[] = {
		{ 200, HTTP_OK }, { 201, HTTP_OK }, { 204, HTTP_OK },
		{ 299, HTTP_OK }, { 400, HTTP_BAD_REQUEST },
		{ 401, HTTP_UNAUTHORIZED }, { 403, HTTP_FORBIDDEN },
		{ 404, HTTP_NOT_FOUND }, { 409, HTTP_CONFLICT },
		{ 412, HTTP_PRECONDITION }, { 429, HTTP_RATE_LIMITED },
		{ 402, HTTP_CLIENT_ERROR }, { 418, HTTP_CLIENT_ERROR },
		{ 499, HTTP_CLIENT_ERROR }, { 500, HTTP_SERVER_ERROR },
		{ 503, HTTP_SERVER_ERROR }, { 599, HTTP_SERVER_ERROR },
		{ 600, HTTP_SERVER_ERROR }, { 301, HTTP_UNEXPECTED },
		{ 302, HTTP_UNEXPECTED }, { 304, HTTP_UNEXPECTED },
		{ 100, HTTP_UNEXPECTED }, { 0, HTTP_UNEXPECTED },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_eq(http_classify(CURLE_OK, t[i].status), t[i].want,
		    "HTTP %ld", t[i].status);
}

Test(http, a_failed_transfer_is_no_answer_or_too_large)
{
	/* Whatever status came before the failure. */
	cr_expect_eq(http_classify(CURLE_WRITE_ERROR, 200), HTTP_TOO_LARGE);
	cr_expect_eq(http_classify(CURLE_WRITE_ERROR, 0), HTTP_TOO_LARGE);
	cr_expect_eq(http_classify(CURLE_OPERATION_TIMEDOUT, 200),
	    HTTP_NO_ANSWER);
	cr_expect_eq(http_classify(CURLE_COULDNT_CONNECT, 0), HTTP_NO_ANSWER);
	cr_expect_eq(http_classify(CURLE_COULDNT_RESOLVE_HOST, 0),
	    HTTP_NO_ANSWER);
	cr_expect_eq(http_classify(CURLE_PEER_FAILED_VERIFICATION, 0),
	    HTTP_NO_ANSWER);
	cr_expect_eq(http_classify(CURLE_UNSUPPORTED_PROTOCOL, 0),
	    HTTP_NO_ANSWER);
}

static bool
match(const char *line, const char *name, char *out)
{
	const char	*v;
	size_t		 n;

	if (!http_header_match(line, strlen(line), name, &v, &n))
		return false;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

Test(http, header_lines_are_matched_by_name_and_trimmed)
{
	char v[64];

	cr_assert(match("Retry-After: 120\r\n", "Retry-After", v));
	cr_expect_str_eq(v, "120");
	cr_assert(match("retry-after:\t 7 \t\r\n", "Retry-After", v));
	cr_expect_str_eq(v, "7");
	cr_assert(match("X-RateLimit-Usage:5,10", "X-RateLimit-Usage", v));
	cr_expect_str_eq(v, "5,10");
	cr_assert(match("Location: \r\n", "Location", v));
	cr_expect_str_eq(v, "");
	/* Another header that starts the same, or no colon: no match. */
	cr_expect_not(match("X-RateLimit-Usage-Extra: 1\r\n",
	    "X-RateLimit-Usage", v));
	cr_expect_not(match("Locations: /x\r\n", "Location", v));
	cr_expect_not(match("Location /x\r\n", "Location", v));
	cr_expect_not(match("Location", "Location", v));
	cr_expect_not(match("HTTP/1.1 200 OK\r\n", "Location", v));
}

/* ---- calls against a one-shot local server ------------------------------ */

/* The server: answers each of up to `answers` connections with reply (or
 * keeps it open, silent, when reply is NULL) and keeps the first request. */
struct server {
	int		 fd;
	int		 port;
	const char	*reply;
	size_t		 reply_len;
	int		 answers;
	int		 accepted;
	char		 seen[8192];
	pthread_t	 thread;
};

/* Reads one request (headers, then Content-Length bytes) into s->seen. */
static void
read_request(struct server *s, int c)
{
	size_t	 len = 0, want = 0;
	ssize_t	 n;
	char	*end, *cl;

	while (len < sizeof(s->seen) - 1 &&
	    (n = read(c, s->seen + len, sizeof(s->seen) - 1 - len)) > 0) {
		len += (size_t)n;
		s->seen[len] = '\0';
		if ((end = strstr(s->seen, "\r\n\r\n")) == NULL)
			continue;
		if (want == 0 && (cl = strcasestr(s->seen, "Content-Length:")))
			want = strtoul(cl + 15, NULL, 10);
		if (len >= (size_t)(end + 4 - s->seen) + want)
			break;
	}
}

static void *
serve(void *arg)
{
	struct server	*s = arg;
	int		 c;

	while (s->accepted < s->answers &&
	    (c = accept(s->fd, NULL, NULL)) >= 0) {
		if (s->accepted++ == 0)
			read_request(s, c);
		else {
			char junk[8192];
			(void)read(c, junk, sizeof(junk));
		}
		if (s->reply == NULL) {
			sleep(10);	/* the client gives up first */
			close(c);
			continue;
		}
		(void)send(c, s->reply, s->reply_len, MSG_NOSIGNAL);
		close(c);
	}
	return NULL;
}

static void
server_start(struct server *s, const char *reply, size_t reply_len)
{
	struct sockaddr_in	a = { .sin_family = AF_INET };
	socklen_t		alen = sizeof(a);

	memset(s, 0, sizeof(*s));
	s->reply = reply;
	s->reply_len = reply_len;
	s->answers = 2;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_geq(s->fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	cr_assert_eq(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(s->fd, 4), 0);
	cr_assert_eq(getsockname(s->fd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
	cr_assert_eq(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void
url(char *out, size_t len, const struct server *s, const char *path)
{
	snprintf(out, len, "http://127.0.0.1:%d%s", s->port, path);
}

Test(http, the_request_carries_token_headers_method_and_body)
{
	static const char reply[] = "HTTP/1.1 201 Created\r\n"
	    "Content-Length: 2\r\nX-Kept: one\r\nX-Kept: two \r\n"
	    "X-Other: no\r\n\r\n{}";
	static const char *const headers[] = { "Accept: application/json",
	    "Content-Type: application/json", NULL };
	static const char *const capture[] = { "x-kept", "Absent", NULL };
	struct server		 s;
	struct http_resp	 r;
	char			 u[128];
	struct http_req		 req = {
		.method = "PUT", .url = u, .bearer = "tok-123",
		.headers = headers, .body = "{\"a\":1}", .user_agent = "UA/1",
		.max_body = 100, .capture = capture,
	};

	server_start(&s, reply, strlen(reply));
	url(u, sizeof(u), &s, "/w/1?x=y");
	cr_assert_eq(http_perform(&req, &r), HTTP_OK, "%s", r.err);
	cr_expect_eq(r.status, 201);
	cr_expect_str_eq(r.body.data, "{}");
	cr_expect_str_eq(r.headers[0], "two");	/* the last one, trimmed */
	cr_expect_null(r.headers[1]);
	cr_expect_str_eq(r.err, "");
	http_resp_free(&r);
	cr_expect(strncmp(s.seen, "PUT /w/1?x=y HTTP/1.1\r\n", 23) == 0, "%s",
	    s.seen);
	cr_expect(strstr(s.seen, "\r\nAuthorization: Bearer tok-123\r\n"));
	cr_expect(strstr(s.seen, "\r\nAccept: application/json\r\n"));
	cr_expect(strstr(s.seen, "\r\nContent-Type: application/json\r\n"));
	cr_expect(strstr(s.seen, "\r\nUser-Agent: UA/1\r\n"));
	cr_expect(strstr(s.seen, "\r\n\r\n{\"a\":1}"));
}

Test(http, no_method_is_get_or_post_with_a_body)
{
	static const char reply[] = "HTTP/1.1 204 No Content\r\n\r\n";
	struct server		 s;
	struct http_resp	 r;
	char			 u[128];
	struct http_req		 req = { .url = u, .user_agent = "UA/1",
		.max_body = 10 };

	server_start(&s, reply, strlen(reply));
	url(u, sizeof(u), &s, "/a");
	cr_assert_eq(http_perform(&req, &r), HTTP_OK, "%s", r.err);
	cr_expect_eq(r.status, 204);
	cr_expect_eq(r.body.len, 0);
	cr_expect(strncmp(s.seen, "GET /a HTTP/1.1\r\n", 17) == 0, "%s", s.seen);
	cr_expect_null(strstr(s.seen, "Authorization"));
	http_resp_free(&r);

	server_start(&s, reply, strlen(reply));
	url(u, sizeof(u), &s, "/b");
	req.body = "x=1";
	cr_assert_eq(http_perform(&req, &r), HTTP_OK, "%s", r.err);
	cr_expect(strncmp(s.seen, "POST /b HTTP/1.1\r\n", 18) == 0, "%s",
	    s.seen);
	cr_expect(strstr(s.seen, "\r\n\r\nx=1"));
	http_resp_free(&r);
}

/* An answer of n body bytes. */
static char *
sized_reply(size_t n, size_t *len)
{
	char	*out;
	int	 h;

	out = malloc(n + 100);
	cr_assert_not_null(out);
	h = snprintf(out, 100, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
	    n);
	memset(out + h, 'a', n);
	*len = (size_t)h + n;
	return out;
}

Test(http, a_body_over_the_cap_cuts_the_transfer)
{
	struct server		 s;
	struct http_resp	 r;
	char			 u[128], *reply;
	size_t			 len;
	struct http_req		 req = { .url = u, .user_agent = "UA/1",
		.max_body = 100000 };

	/* Exactly the cap: accepted. */
	reply = sized_reply(100000, &len);
	server_start(&s, reply, len);
	url(u, sizeof(u), &s, "/");
	cr_assert_eq(http_perform(&req, &r), HTTP_OK, "%s", r.err);
	cr_expect_eq(r.body.len, 100000);
	http_resp_free(&r);
	free(reply);

	/* One byte more: cut, no status, nothing kept past the cap. */
	reply = sized_reply(100001, &len);
	server_start(&s, reply, len);
	url(u, sizeof(u), &s, "/");
	cr_expect_eq(http_perform(&req, &r), HTTP_TOO_LARGE);
	cr_expect_eq(r.status, 0);
	cr_expect_leq(r.body.len, 100000);
	cr_expect_neq(r.err[0], '\0');
	http_resp_free(&r);
	free(reply);
}

Test(http, a_silent_server_times_out)
{
	struct server		 s;
	struct http_resp	 r;
	char			 u[128];
	struct timespec		 t0, t1;
	double			 took;
	struct http_req		 req = { .url = u, .user_agent = "UA/1",
		.max_body = 100, .total_timeout_ms = 300 };

	server_start(&s, NULL, 0);
	url(u, sizeof(u), &s, "/");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_expect_eq(http_perform(&req, &r), HTTP_NO_ANSWER);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_expect_geq(took, 0.25);
	cr_expect_lt(took, 3.0);
	cr_expect_eq(r.status, 0);
	cr_expect_neq(r.err[0], '\0');
	http_resp_free(&r);
}

Test(http, a_redirect_is_an_answer_not_followed)
{
	/* Followed, it would come back here: a second connection. */
	static const char reply[] = "HTTP/1.1 302 Found\r\n"
	    "Location: /next?code=abc\r\nContent-Length: 0\r\n\r\n";
	static const char *const capture[] = { "Location", NULL };
	struct server		 s;
	struct http_resp	 r;
	char			 u[128];
	struct http_req		 req = { .url = u, .user_agent = "UA/1",
		.max_body = 100, .capture = capture };

	server_start(&s, reply, strlen(reply));
	url(u, sizeof(u), &s, "/first");
	cr_expect_eq(http_perform(&req, &r), HTTP_UNEXPECTED);
	cr_expect_eq(r.status, 302);
	cr_expect_str_eq(r.headers[0], "/next?code=abc");
	http_resp_free(&r);
	cr_expect_eq(s.accepted, 1, "the redirect was followed");
}

Test(http, only_http_and_https_urls_are_fetched)
{
	static const char *const urls[] = { "file:///etc/passwd",
	    "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/x",
	    "smtp://127.0.0.1/" };
	struct http_resp	 r;
	struct http_req		 req = { .user_agent = "UA/1",
		.max_body = 1 << 20 };
	size_t			 i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		req.url = urls[i];
		cr_expect_eq(http_perform(&req, &r), HTTP_NO_ANSWER, "%s",
		    urls[i]);
		cr_expect_eq(r.body.len, 0, "%s", urls[i]);
		http_resp_free(&r);
	}
}

Test(http, nobody_listening_is_no_answer)
{
	struct sockaddr_in	 a = { .sin_family = AF_INET };
	socklen_t		 alen = sizeof(a);
	struct http_resp	 r;
	char			 u[128];
	int			 fd;
	struct http_req		 req = { .url = u, .user_agent = "UA/1",
		.max_body = 100 };

	/* A port that was just free: bound, noted, closed. */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_geq(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	close(fd);
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/", ntohs(a.sin_port));
	cr_expect_eq(http_perform(&req, &r), HTTP_NO_ANSWER);
	cr_expect_eq(r.status, 0);
	cr_expect_neq(r.err[0], '\0');
	http_resp_free(&r);
}
