/*
 * template: the mails Cadence sends, written as Mustache templates in
 * templates/mail/ and composed into messages.
 *
 * A mail NAME is three files: NAME.subject.mustache (one line),
 * NAME.text.mustache and NAME.html.mustache (optional: without it the
 * mail is text/plain alone); other files there are partials and parents
 * (layout.html.mustache, footer.text.mustache).  Subject and text are
 * rendered as text ({{x}} not HTML-escaped), the HTML part as HTML.
 *
 * Every template gets, besides the caller's data: site_url, to_name,
 * to_address and unsubscribe_url (when given).
 */
#ifndef CADENCE_MAIL_TEMPLATE_H
#define CADENCE_MAIL_TEMPLATE_H

#include <jansson.h>

#include "mail/compose.h"
#include "view/mustache.h"

#define MAIL_TEMPLATE_NAME_MAX	64

/* What every mail from this site shares. */
struct mail_sender {
	const mustache_set	*templates;
	struct mail_addr	 from;		/* SMTP_FROM */
	const char		*site_url;	/* CADENCE_BASE_URL */
};

/*
 * Loads and strictly checks every template of dir (partials and parents
 * present).  NULL with a "file:line:col: message" in err on failure.
 */
mustache_set	*mail_templates_load(const char *dir, char *err, size_t errlen);

/*
 * Renders mail `name` for `to` with data (an object or NULL; only read)
 * and composes it into out.  unsubscribe_url (or NULL) goes to the
 * List-Unsubscribe headers and to the templates.  Returns 0 or -1 with
 * err; out is to be freed with mail_out_free either way.
 */
int	mail_build(const struct mail_sender *, const char *name,
	    const struct mail_addr *to, const json_t *data,
	    const char *unsubscribe_url, struct mail_out *out,
	    char *err, size_t errlen);

/*
 * The same from one JSON object, the form a queued mail job keeps:
 *   {"template": "NAME", "to": {"address": "...", "name": "..."},
 *    "data": {...}, "unsubscribe_url": "https://...",
 *    "message_id": "<...@...>"}
 * (name, data, unsubscribe_url and message_id optional: a job stores
 * out->message_id after its first attempt so that retries keep it).
 * A string holding a NUL byte is refused: C strings would silently cut
 * it short.
 */
int	mail_build_json(const struct mail_sender *, const json_t *job,
	    struct mail_out *out, char *err, size_t errlen);

#endif
