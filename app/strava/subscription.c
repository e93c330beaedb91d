/*
 * subscription: see subscription.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/config.h"
#include "db/strava_app.h"
#include "strava/client.h"
#include "strava/subscription.h"

#define SUB_PATH	"/push_subscriptions"

void
sub_callback_url(const struct config *cfg, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s%s", cfg->base_url, SUB_CALLBACK_PATH);
}

/* "client_id=..&client_secret=.." appended to b. */
static void
app_credentials(buf_t *b, const struct config *cfg)
{
	buf_puts(b, "client_id=");
	buf_urlenc(b, cfg->strava_client_id);
	buf_puts(b, "&client_secret=");
	buf_urlenc(b, cfg->strava_client_secret);
}

/*
 * Why a call failed, with Strava's own words when it gave some:
 * {"message":"Bad Request","errors":[{"resource","field","code"}]}.
 */
static void
describe_failure(const struct strava_resp *r, const char *what, char *err,
    size_t errlen)
{
	json_t		*j = json_loadb(r->body.data ? r->body.data : "",
			    r->body.len, 0, NULL);
	json_t		*e = json_array_get(json_object_get(j, "errors"), 0);
	const char	*msg = json_string_value(json_object_get(j, "message"));

	if (r->http == 0)
		snprintf(err, errlen, "%s: Strava unreachable (%s)", what,
		    r->err);
	else if (msg != NULL && e != NULL)
		snprintf(err, errlen, "%s: HTTP %ld %s (%s %s: %s)", what,
		    r->http, msg,
		    json_string_value(json_object_get(e, "resource")) ?: "",
		    json_string_value(json_object_get(e, "field")) ?: "",
		    json_string_value(json_object_get(e, "code")) ?: "");
	else
		snprintf(err, errlen, "%s: HTTP %ld from Strava", what,
		    r->http);
	json_decref(j);
}

int
sub_remote_get(const struct config *cfg, struct strava_sub *s, char *err,
    size_t errlen)
{
	struct strava_resp	 r;
	buf_t			 path = BUF_INIT;
	json_t			*first;
	int			 rc = -1;

	memset(s, 0, sizeof(*s));
	buf_puts(&path, SUB_PATH "?");
	app_credentials(&path, cfg);
	strava_app_call(cfg, "GET", buf_cstr(&path), NULL, &r);
	buf_free(&path);
	if (r.status != STRAVA_OK || !json_is_array(r.json)) {
		describe_failure(&r, "listing subscriptions", err, errlen);
		goto out;
	}
	rc = 0;
	if ((first = json_array_get(r.json, 0)) == NULL)
		goto out;	/* none */
	s->id = json_integer_value(json_object_get(first, "id"));
	snprintf(s->callback_url, sizeof(s->callback_url), "%s",
	    json_string_value(json_object_get(first, "callback_url")) ?: "");
	if (s->id <= 0) {
		snprintf(err, errlen, "listing subscriptions: no usable id in "
		    "Strava's answer");
		rc = -1;
	}
out:
	strava_resp_free(&r);
	return rc;
}

int
sub_remote_create(const struct config *cfg, const char *callback_url,
    int64_t *id, char *err, size_t errlen)
{
	struct strava_resp	 r;
	buf_t			 form = BUF_INIT;
	int			 rc = -1;

	app_credentials(&form, cfg);
	buf_puts(&form, "&callback_url=");
	buf_urlenc(&form, callback_url);
	buf_puts(&form, "&verify_token=");
	buf_urlenc(&form, cfg->strava_verify_token);
	strava_app_call(cfg, "POST", SUB_PATH, buf_cstr(&form), &r);
	buf_free(&form);
	if (r.status != STRAVA_OK) {
		describe_failure(&r, "subscribing", err, errlen);
	} else if ((*id = json_integer_value(json_object_get(r.json,
	    "id"))) <= 0) {
		snprintf(err, errlen, "subscribing: no id in Strava's answer");
	} else
		rc = 0;
	strava_resp_free(&r);
	return rc;
}

int
sub_remote_delete(const struct config *cfg, int64_t id, char *err,
    size_t errlen)
{
	struct strava_resp	 r;
	buf_t			 path = BUF_INIT;
	int			 rc = 0;

	buf_printf(&path, SUB_PATH "/%" PRId64 "?", id);
	app_credentials(&path, cfg);
	strava_app_call(cfg, "DELETE", buf_cstr(&path), NULL, &r);
	buf_free(&path);
	if (r.status != STRAVA_OK && r.status != STRAVA_NOT_FOUND) {
		describe_failure(&r, "unsubscribing", err, errlen);
		rc = -1;
	}
	strava_resp_free(&r);
	return rc;
}

int
sub_local_get(struct db *db, struct strava_sub *s)
{
	struct db_strava_sub	 d;

	memset(s, 0, sizeof(*s));
	if (db_strava_sub_get(db, &d) == -1)
		return -1;
	s->id = d.id;
	snprintf(s->callback_url, sizeof(s->callback_url), "%s",
	    d.callback_url);
	return 0;
}

int
sub_local_set(struct db *db, const struct strava_sub *s)
{
	struct db_strava_sub d;

	d.id = s->id;
	snprintf(d.callback_url, sizeof(d.callback_url), "%s",
	    s->callback_url);
	return db_strava_sub_set(db, &d);
}

int
sub_local_clear(struct db *db)
{
	return db_strava_sub_clear(db);
}
