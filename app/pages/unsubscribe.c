/*
 * /unsubscribe?u=USER&k=KIND&s=SIGNATURE: every notification carries this
 * link (List-Unsubscribe, RFC 2369) with List-Unsubscribe-Post (RFC
 * 8058), so a mail client unsubscribes with one POST, without a session
 * or a CSRF token: the signature (CADENCE_SECRET_KEY) is the authority.
 * A GET (a person following the link) only shows a page whose button
 * makes that POST.  A forged link changes nothing.
 */
#include <string.h>

#include "db/mail.h"
#include "jobs/mail_notify.h"
#include "pages/mail_pages.h"
#include "view/view.h"

static bool
uuid_ok(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The link's notification kind when it is genuine, else NULL. */
static const struct notify_kind *
genuine(struct request *req)
{
	const char *u = req_query(req, "u"), *k = req_query(req, "k");

	if (!uuid_ok(u) || !notify_unsubscribe_ok(req->cfg, u, k,
	    req_query(req, "s")))
		return NULL;
	return notify_kind(k);
}

static int
forged(struct request *req, struct response *res)
{
	return mail_notice(req, res, 404, "This unsubscribe link is not valid",
	    "It may have been copied incompletely; nothing was changed. You "
	    "can turn each email on or off in settings.", "/settings",
	    "Go to settings");
}

int
page_unsubscribe(struct request *req, struct response *res)
{
	const struct notify_kind *k = genuine(req);

	if (k == NULL)
		return forged(req, res);
	return view_page(req, res, 200, "unsubscribe", json_pack(
	    "{s:s, s:s}", "label", k->label, "action", arena_printf(req->arena,
	    "/unsubscribe?u=%s&k=%s&s=%s", req_query(req, "u"), k->key,
	    req_query(req, "s"))));
}

int
page_unsubscribe_post(struct request *req, struct response *res)
{
	const struct notify_kind *k = genuine(req);

	if (k == NULL)
		return forged(req, res);
	if (db_mail_notify_set(req->db, req_query(req, "u"), k->key,
	    false) < 0)
		return -1;
	return mail_notice(req, res, 200, "You are unsubscribed",
	    arena_printf(req->arena, "You will get no more \"%s\" emails. "
	    "You can turn them on again in settings.", k->label), "/settings",
	    "Go to settings");
}
