/*
 * Settings' mail parts: whether the address is verified (and sending the
 * link again), the notifications the runner chooses, and "download my
 * data".  See mail_pages.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/log.h"
#include "db/mail.h"
#include "domain/runner.h"
#include "jobs/data_export.h"
#include "jobs/mail_account.h"
#include "jobs/mail_notify.h"
#include "pages/mail_pages.h"
#include "view/view.h"

#define EXPORT_MAX_BYTES	(512L * 1024 * 1024)	/* served from memory */

static json_t *
notifications_json(struct request *req, const char *const *on)
{
	const struct notify_kind	*k = NULL;
	json_t				*list = json_array();
	size_t				 i, j, n;
	bool				 is_on;

	k = notify_kinds(&n);
	for (i = 0; i < n; i++) {
		if (!k[i].offered)
			continue;
		for (is_on = false, j = 0; on[j] != NULL; j++)
			is_on = is_on || strcmp(on[j], k[i].key) == 0;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}",
		    "key", k[i].key, "label", k[i].label, "hint", k[i].hint,
		    "on", is_on));
	}
	return list;
}

static json_t *
export_json(struct request *req)
{
	struct data_export	e;
	int			rc;

	if ((rc = db_mail_export_latest(req->db, req->arena, req->runner->id,
	    &e)) != 1)
		return rc == 0 ? json_null() : NULL;
	return json_pack("{s:s, s:b, s:b, s:b, s:s?, s:s}", "created", e.created,
	    "pending", strcmp(e.status, "pending") == 0,
	    "ready", strcmp(e.status, "ready") == 0,
	    "failed", strcmp(e.status, "failed") == 0,
	    "download_url", strcmp(e.status, "ready") == 0 ?
	    data_export_url(req->cfg, req->arena, req->runner->id, e.id,
	    e.expires_epoch) : NULL, "size_label", data_export_size(req->arena,
	    e.size_bytes));
}

json_t *
settings_mail_json(struct request *req)
{
	struct mail_user	  u;
	const char		**on;
	json_t			 *ex;

	if (db_mail_user(req->db, req->arena, req->runner->id, &u) != 1 ||
	    db_mail_notify_kinds(req->db, req->arena, req->runner->id,
	    &on) < 0 || (ex = export_json(req)) == NULL)
		return json_pack("{s:b, s:[], s:n}", "verified", 0,
		    "notifications", "export");
	return json_pack("{s:b, s:s, s:o, s:o}", "verified", u.verified,
	    "email", u.r.email, "notifications", notifications_json(req, on),
	    "export", ex);
}

int
page_settings_notifications(struct request *req, struct response *res)
{
	const struct notify_kind	*k;
	size_t				 i, n;

	k = notify_kinds(&n);
	for (i = 0; i < n; i++)
		if (k[i].offered && notify_set(req->db, req->runner->id,
		    k[i].key, params_get(&req->form, k[i].key) != NULL) < 0)
			return -1;
	view_flash(req, res, "notifications_saved");
	resp_redirect(req, res, "/settings#notifications");
	return 0;
}

int
page_settings_verify_again(struct request *req, struct response *res)
{
	bool	quiet;
	int	wait;

	if ((wait = mail_ask_throttle(req, "verify", req->runner->id,
	    req->runner->id, &quiet)) < 0)
		return -1;
	if (wait > 0)
		return mail_notice(req, res, 429, "Please wait a little",
		    arena_printf(req->arena, "Links were asked for too often "
		    "from here. Try again in %d second%s.", wait, wait == 1 ?
		    "" : "s"), "/settings", "Back to settings");
	if (!quiet && mail_request_verify(req->db, req->runner->id) < 0)
		return -1;
	view_flash(req, res, "verify_sent");
	resp_redirect(req, res, "/settings#notifications");
	return 0;
}

int
page_settings_export(struct request *req, struct response *res)
{
	const char	*id;
	int		 rc;

	if ((rc = data_export_request(req->db, req->arena, req->runner->id,
	    &id)) < 0)
		return -1;
	view_flash(req, res, rc == 1 ? "export_started" : "export_busy");
	resp_redirect(req, res, "/settings#your-data");
	return 0;
}

/* Reads the archive into the response; false when it is not there. */
static bool
serve_file(struct request *req, struct response *res, const char *path)
{
	struct stat	 st;
	FILE		*f;
	size_t		 n;

	if (stat(path, &st) == -1 || st.st_size > EXPORT_MAX_BYTES ||
	    (f = fopen(path, "rb")) == NULL)
		return false;
	buf_reset(&res->body);
	buf_reserve(&res->body, (size_t)st.st_size);
	n = fread(res->body.data, 1, (size_t)st.st_size, f);
	fclose(f);
	if (n != (size_t)st.st_size)
		return false;
	res->body.len = n;
	return true;
}

int
page_settings_export_download(struct request *req, struct response *res)
{
	const char		*id = req_query(req, "id");
	struct data_export	 e;
	int			 rc;

	if (!data_export_link_ok(req->cfg, req->runner->id, id,
	    req_query(req, "e"), req_query(req, "s")))
		return mail_notice(req, res, 404, "This download link is not "
		    "valid", "It may have expired (links work for 7 days) or "
		    "belong to another account. Ask for a new archive in "
		    "settings.", "/settings#your-data", "Go to settings");
	if ((rc = db_mail_export_get(req->db, req->arena, req->runner->id, id,
	    &e)) < 0)
		return -1;
	if (rc == 0 || strcmp(e.status, "ready") != 0 ||
	    !serve_file(req, res, data_export_path(req->cfg, req->arena, id))) {
		if (rc == 1 && strcmp(e.status, "ready") == 0)
			log_error("export %s: the archive is missing", id);
		return mail_notice(req, res, 404, "This archive is not there",
		    "It may have expired. Ask for a new one in settings.",
		    "/settings#your-data", "Go to settings");
	}
	res->status = 200;
	res->html = false;
	res->no_store = true;
	res->content_type = "application/gzip";
	return resp_header(res, req->arena, "Content-Disposition",
	    arena_printf(req->arena, "attachment; filename=\"cadence-data-"
	    "%.10s.tar.gz\"", e.created));
}
