/*
 * http: see http.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/http.h"
#include "core/util.h"

/* What the callbacks of one transfer share. */
struct transfer {
	const struct http_req	*req;
	struct http_resp	*resp;
};

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;

	if (t->resp->body.len + size * n > t->req->max_body)
		return 0;	/* aborts the transfer: CURLE_WRITE_ERROR */
	buf_add(&t->resp->body, data, size * n);
	return size * n;
}

bool
http_header_match(const char *line, size_t len, const char *name,
    const char **value, size_t *vlen)
{
	size_t nl = strlen(name), i, j;

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return false;
	for (i = nl + 1; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	for (j = len; j > i && (line[j - 1] == '\r' || line[j - 1] == '\n' ||
	    line[j - 1] == ' ' || line[j - 1] == '\t'); j--)
		continue;
	*value = line + i;
	*vlen = j - i;
	return true;
}

/* Keeps the value of a header the request asked for (the last one wins). */
static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct transfer		*t = arg;
	const char *const	*want = t->req->capture;
	const char		*v;
	size_t			 len = size * n, vlen, i;

	for (i = 0; want != NULL && want[i] != NULL && i < HTTP_CAPTURE_MAX;
	    i++) {
		if (!http_header_match(line, len, want[i], &v, &vlen))
			continue;
		if (vlen < HTTP_HEADER_VALUE_MAX) {
			free(t->resp->headers[i]);
			t->resp->headers[i] = xstrndup(v, vlen);
		}
		break;
	}
	return len;
}

enum http_class
http_classify(int curl_code, long status)
{
	if (curl_code != CURLE_OK)
		return curl_code == CURLE_WRITE_ERROR ? HTTP_TOO_LARGE :
		    HTTP_NO_ANSWER;
	if (status >= 200 && status < 300)
		return HTTP_OK;
	switch (status) {
	case 400:
		return HTTP_BAD_REQUEST;
	case 401:
		return HTTP_UNAUTHORIZED;
	case 403:
		return HTTP_FORBIDDEN;
	case 404:
		return HTTP_NOT_FOUND;
	case 409:
		return HTTP_CONFLICT;
	case 412:
		return HTTP_PRECONDITION;
	case 429:
		return HTTP_RATE_LIMITED;
	default:
		if (status >= 500)
			return HTTP_SERVER_ERROR;
		return status >= 400 ? HTTP_CLIENT_ERROR : HTTP_UNEXPECTED;
	}
}

/* The request's headers, the Authorization one first (wiped by wipe()). */
static struct curl_slist *
header_list(const struct http_req *req)
{
	struct curl_slist	*h = NULL;
	char			*auth;
	size_t			 i;

	if (req->bearer != NULL) {
		if (asprintf(&auth, "Authorization: Bearer %s", req->bearer) < 0)
			fatal_oom();
		h = curl_slist_append(h, auth);
		sodium_memzero(auth, strlen(auth));
		free(auth);
		if (h == NULL)
			fatal_oom();
	}
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
		if ((h = curl_slist_append(h, req->headers[i])) == NULL)
			fatal_oom();
	return h;
}

/* Frees the header list, wiping each line (the token) first. */
static void
wipe(struct curl_slist *h)
{
	struct curl_slist *l;

	for (l = h; l != NULL; l = l->next)
		sodium_memzero(l->data, strlen(l->data));
	curl_slist_free_all(h);
}

enum http_class
http_perform(const struct http_req *req, struct http_resp *resp)
{
	struct transfer		 t = { req, resp };
	struct curl_slist	*h;
	CURL			*curl;
	CURLcode		 rc;

	memset(resp, 0, sizeof(*resp));
	if ((curl = curl_easy_init()) == NULL)
		fatal_oom();
	h = header_list(req);
	curl_easy_setopt(curl, CURLOPT_URL, req->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, req->user_agent);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	    req->connect_timeout_ms > 0 ? req->connect_timeout_ms :
	    (long)HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->total_timeout_ms > 0 ?
	    req->total_timeout_ms : (long)HTTP_TOTAL_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
	if (req->body != NULL)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
	if (req->method != NULL)
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_cleanup(curl);
	wipe(h);
	if (rc != CURLE_OK) {
		snprintf(resp->err, sizeof(resp->err), "%s",
		    curl_easy_strerror(rc));
		resp->status = 0;
	}
	return resp->class = http_classify((int)rc, resp->status);
}

void
http_resp_free(struct http_resp *resp)
{
	size_t i;

	buf_free(&resp->body);
	for (i = 0; i < HTTP_CAPTURE_MAX; i++) {
		free(resp->headers[i]);
		resp->headers[i] = NULL;
	}
}
