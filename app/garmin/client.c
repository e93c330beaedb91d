/*
 * client: see client.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/config.h"
#include "core/util.h"
#include "garmin/client.h"

#define USER_AGENT		"Cadence/1.0 (+garmin)"
#define GARMIN_OAUTH_HOST	"https://connect.garmin.com"
#define GARMIN_TOKEN_HOST	"https://diauth.garmin.com"
#define TOKEN_PATH		"/di-oauth2-service/oauth/token"

struct call {
	struct garmin_resp	*r;
	int			 retry_after;	/* -1: no header */
};

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct call *c = arg;

	if (c->r->body.len + size * n > GARMIN_MAX_BODY)
		return 0;	/* aborts the transfer */
	buf_add(&c->r->body, data, size * n);
	return size * n;
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct call	*c = arg;
	size_t		 len = size * n;
	char		 v[16];
	size_t		 k = strlen("Retry-After:");

	if (len > k && len - k < sizeof(v) &&
	    strncasecmp(line, "Retry-After:", k) == 0) {
		memcpy(v, line + k, len - k);
		v[len - k] = '\0';
		v[strcspn(v, "\r\n")] = '\0';
		if (!parse_int(v + strspn(v, " \t"), 0, 86400, &c->retry_after))
			c->retry_after = -1;
	}
	return len;
}

static enum garmin_status
classify(long http, bool oauth)
{
	if (http >= 200 && http < 300)
		return GARMIN_OK;
	switch (http) {
	case 400:
		return oauth ? GARMIN_UNAUTHORIZED : GARMIN_BAD_REQUEST;
	case 401:
		return GARMIN_UNAUTHORIZED;
	case 403:
	case 412:
		return GARMIN_NOT_PERMITTED;
	case 404:
		return GARMIN_NOT_FOUND;
	case 409:
		return GARMIN_CONFLICT;
	case 429:
		return GARMIN_RATE_LIMITED;
	default:
		return http >= 500 ? GARMIN_UNAVAILABLE : GARMIN_BAD_REQUEST;
	}
}

enum garmin_status
garmin_call(const char *method, const char *url, const char *body,
    const char *content_type, const char *bearer, bool oauth,
    struct garmin_resp *r)
{
	struct call		 c = { r, -1 };
	struct curl_slist	*h = NULL;
	CURL			*curl;
	CURLcode		 rc;
	char			*hdr = NULL;
	json_error_t		 jerr;

	memset(r, 0, sizeof(*r));
	if ((curl = curl_easy_init()) == NULL)
		fatal_oom();
	if (bearer != NULL) {
		if (asprintf(&hdr, "Authorization: Bearer %s", bearer) < 0)
			fatal_oom();
		h = curl_slist_append(h, hdr);
	}
	h = curl_slist_append(h, "Accept: application/json");
	if (content_type != NULL) {
		char *ct;

		if (asprintf(&ct, "Content-Type: %s", content_type) < 0)
			fatal_oom();
		h = curl_slist_append(h, ct);
		free(ct);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	    (long)GARMIN_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)GARMIN_TOTAL_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &c);
	if (body != NULL)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->http);
	curl_easy_cleanup(curl);
	curl_slist_free_all(h);
	if (hdr != NULL) {
		sodium_memzero(hdr, strlen(hdr));
		free(hdr);
	}
	if (rc != CURLE_OK) {
		snprintf(r->err, sizeof(r->err), "%s", curl_easy_strerror(rc));
		r->http = 0;
		return r->status = rc == CURLE_WRITE_ERROR ?
		    GARMIN_BAD_RESPONSE : GARMIN_UNAVAILABLE;
	}
	r->status = classify(r->http, oauth);
	if (r->status == GARMIN_RATE_LIMITED)
		r->retry_after = c.retry_after > 0 ? c.retry_after :
		    GARMIN_429_WAIT;
	if (r->status != GARMIN_OK) {
		snprintf(r->err, sizeof(r->err), "HTTP %ld from Garmin", r->http);
		return r->status;
	}
	if (r->body.len == 0)
		return GARMIN_OK;	/* 202, 204: json stays NULL */
	r->json = json_loadb(buf_cstr(&r->body), r->body.len,
	    JSON_DECODE_ANY, &jerr);
	if (r->json == NULL) {
		snprintf(r->err, sizeof(r->err), "Garmin's answer is not JSON: "
		    "%s", jerr.text);
		return r->status = GARMIN_BAD_RESPONSE;
	}
	return GARMIN_OK;
}

char *
garmin_token_url(const struct config *cfg)
{
	char	*url;
	bool	 real = strcmp(cfg->garmin_oauth_base, GARMIN_OAUTH_HOST) == 0;

	if (asprintf(&url, "%s" TOKEN_PATH, real ? GARMIN_TOKEN_HOST :
	    cfg->garmin_oauth_base) < 0)
		fatal_oom();
	return url;
}

enum garmin_status
garmin_token_post(const struct config *cfg, const char *form,
    struct garmin_resp *r)
{
	char *url = garmin_token_url(cfg);

	garmin_call("POST", url, form, "application/x-www-form-urlencoded",
	    NULL, true, r);
	free(url);
	return r->status;
}

enum garmin_status
garmin_api(const struct config *cfg, const char *method, const char *path,
    const json_t *body, const char *access, struct garmin_resp *r)
{
	char	*url, *text = NULL;

	if (asprintf(&url, "%s%s", cfg->garmin_api_base, path) < 0)
		fatal_oom();
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL)
		fatal_oom();
	garmin_call(method, url, text, text ? "application/json" : NULL,
	    access, false, r);
	free(text);
	free(url);
	return r->status;
}

void
garmin_resp_free(struct garmin_resp *r)
{
	buf_free(&r->body);
	json_decref(r->json);
	r->json = NULL;
}

const char *
garmin_status_name(enum garmin_status s)
{
	static const char *const names[] = { "ok", "unauthorized",
	    "not permitted", "not found", "conflict", "rate limited",
	    "unavailable", "bad request", "bad response" };

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

bool
garmin_retryable(enum garmin_status s)
{
	return s == GARMIN_RATE_LIMITED || s == GARMIN_UNAVAILABLE ||
	    s == GARMIN_BAD_RESPONSE;
}
