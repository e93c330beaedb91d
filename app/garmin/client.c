/*
 * client: see client.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/http.h"
#include "core/util.h"
#include "garmin/client.h"

#define USER_AGENT		"Cadence/1.0 (+garmin)"
#define GARMIN_OAUTH_HOST	"https://connect.garmin.com"
#define GARMIN_TOKEN_HOST	"https://diauth.garmin.com"
#define TOKEN_PATH		"/di-oauth2-service/oauth/token"

static const char *const retry_after_header[] = { "Retry-After", NULL };

/* Garmin's status for the class of an answer. */
static enum garmin_status
from_class(enum http_class c, bool oauth)
{
	switch (c) {
	case HTTP_OK:
		return GARMIN_OK;
	case HTTP_BAD_REQUEST:
		return oauth ? GARMIN_UNAUTHORIZED : GARMIN_BAD_REQUEST;
	case HTTP_UNAUTHORIZED:
		return GARMIN_UNAUTHORIZED;
	case HTTP_FORBIDDEN:
	case HTTP_PRECONDITION:
		return GARMIN_NOT_PERMITTED;
	case HTTP_NOT_FOUND:
		return GARMIN_NOT_FOUND;
	case HTTP_CONFLICT:
		return GARMIN_CONFLICT;
	case HTTP_RATE_LIMITED:
		return GARMIN_RATE_LIMITED;
	case HTTP_SERVER_ERROR:
	case HTTP_NO_ANSWER:
		return GARMIN_UNAVAILABLE;
	case HTTP_TOO_LARGE:
		return GARMIN_BAD_RESPONSE;
	default:	/* another 4xx, a 3xx */
		return GARMIN_BAD_REQUEST;
	}
}

enum garmin_status
garmin_call(const char *method, const char *url, const char *body,
    const char *content_type, const char *bearer, bool oauth,
    struct garmin_resp *r)
{
	const char		*headers[] = { "Accept: application/json",
				    NULL, NULL };
	struct http_req		 req = {
		.method = method, .url = url, .bearer = bearer,
		.headers = headers, .body = body, .user_agent = USER_AGENT,
		.max_body = GARMIN_MAX_BODY, .capture = retry_after_header,
	};
	struct http_resp	 h;
	enum http_class		 c;
	char			*ct = NULL;
	json_error_t		 jerr;
	int			 retry_after;

	memset(r, 0, sizeof(*r));
	if (content_type != NULL) {
		if (asprintf(&ct, "Content-Type: %s", content_type) < 0)
			fatal_oom();
		headers[1] = ct;
	}
	c = http_perform(&req, &h);
	free(ct);
	r->status = from_class(c, oauth);
	r->http = h.status;
	r->body = h.body;
	h.body = (buf_t)BUF_INIT;
	if (h.headers[0] == NULL ||
	    !parse_int(h.headers[0], 0, 86400, &retry_after))
		retry_after = -1;
	snprintf(r->err, sizeof(r->err), "%s", h.err);
	http_resp_free(&h);
	if (c == HTTP_NO_ANSWER || c == HTTP_TOO_LARGE)
		return r->status;	/* err: libcurl's words */
	if (r->status == GARMIN_RATE_LIMITED)
		r->retry_after = retry_after > 0 ? retry_after :
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
