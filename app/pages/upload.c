/*
 * Uploading runs from files (issue 17.4): GET /activities/upload, the
 * form; POST /activities/upload, multipart/form-data with up to
 * MULTIPART_MAX_FILES FIT, GPX or TCX files (UPLOAD_MAX_FILE each,
 * UPLOAD_MAX_REQUEST in all).  pages/upload_runs.h reads, stores and
 * matches them; the page says per file what happened.  A refusal is
 * 400 (a bad file), 413 (too large) or 415 (not FIT, GPX or TCX), and
 * stores nothing.  Cost: the session, then per file one lookup and one
 * insert (plus its laps), and one re-match of the days touched.
 */
#include <string.h>

#include "core/log.h"
#include "domain/runner.h"
#include "pages/pages.h"
#include "pages/upload_runs.h"
#include "view/view.h"
#include "web/router.h"

static const char *const verdict_keys[UPLOAD__MAX] = {
	[UPLOAD_STORED] = "stored", [UPLOAD_SAME_RUN] = "same_run",
	[UPLOAD_REFUSED] = "refused", [UPLOAD_TOO_LARGE] = "too_large",
	[UPLOAD_UNKNOWN] = "unknown", [UPLOAD_NOT_STORED] = "not_stored",
};

static json_t *
limits_json(void)
{
	return json_pack("{s:i, s:i, s:i}",
	    "files", MULTIPART_MAX_FILES,
	    "file_mb", UPLOAD_MAX_FILE / (1024 * 1024),
	    "request_mb", UPLOAD_MAX_REQUEST / (1024 * 1024));
}

int
page_activities_upload(struct request *req, struct response *res)
{
	return view_page(req, res, 200, "activities_upload", json_pack(
	    "{s:{s:b}, s:o}", "nav", "activities", 1,
	    "limits", limits_json()));
}

static json_t *
outcome_json(const struct upload_outcome *o)
{
	bool ok = o->verdict == UPLOAD_STORED || o->verdict == UPLOAD_SAME_RUN;

	return json_pack("{s:s, s:o, s:s, s:s, s:b, s:o}",
	    "filename", o->filename, "format", o->format[0] != '\0' ?
	    json_string(o->format) : json_null(),
	    "verdict", verdict_keys[o->verdict], "message", o->message,
	    "ok", ok, "activity_url", o->activity_id != NULL ?
	    json_sprintf("/activities/%s", o->activity_id) : json_null());
}

int
page_activities_upload_post(struct request *req, struct response *res)
{
	struct upload_outcome	*out;
	json_t			*list;
	size_t			 i;
	int			 status;

	if (req->files.n == 0)
		return view_page(req, res, 400, "activities_upload", json_pack(
		    "{s:{s:b}, s:o, s:s}", "nav", "activities", 1,
		    "limits", limits_json(),
		    "form_error", "choose at least one FIT, GPX or TCX file."));
	if (upload_runs(req->db, req->arena, req->runner->id, &req->files,
	    &out, &status) == -1)
		return -1;
	list = json_array();
	for (i = 0; i < req->files.n; i++) {
		json_array_append_new(list, outcome_json(&out[i]));
		log_info("upload %s %s %zu bytes: %s (parsed in %.1f ms)",
		    out[i].format, verdict_keys[out[i].verdict],
		    req->files.v[i].len, status == 200 ? "ok" : "refused",
		    out[i].parse_ms);
	}
	return view_page(req, res, status, "activities_upload", json_pack(
	    "{s:{s:b}, s:o, s:o, s:b, s:b}", "nav", "activities", 1,
	    "limits", limits_json(), "results", list, "has_results", 1,
	    "refused", status != 200));
}
