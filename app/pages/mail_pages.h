/*
 * mail_pages: the pages behind the links Cadence mails, and the mail
 * parts of settings.
 *
 *   email_links.c    /email/verify, /password/forgot, /password/reset
 *   unsubscribe.c    /unsubscribe (RFC 8058 one-click, and a page)
 *   settings_mail.c  settings' "Email and notifications" and "Your data"
 *
 * A link that is forged, expired or used already gets a page that says
 * so and changes nothing.  Tokens come in the query string (never logged:
 * the log has the path only) or a form field.
 */
#ifndef CADENCE_MAIL_PAGES_H
#define CADENCE_MAIL_PAGES_H

#include <jansson.h>

#include "web/http.h"

/* Throttle of mail a client asks for (reset links, verification again). */
#define MAIL_ASK_WINDOW		3600	/* seconds, every counter */
#define MAIL_ASK_PAIR_FREE	3	/* one address from one client */
#define MAIL_ASK_ADDR_FREE	20	/* one client, any address */
#define MAIL_ASK_ACCT_MAILS	5	/* mails to one address an hour */

/*
 * Counts a request for a mail to subject (user id, or "e:" hash of an
 * unknown email) from req's client, on counters named prefix ("reset",
 * "verify").  Returns the seconds this client must wait (nothing
 * counted), 0 when it may go on, -1 on error; *quiet is set when the
 * address had its mails for the hour (answer as usual, send nothing).
 */
int	mail_ask_throttle(struct request *, const char *prefix,
	    const char *subject, const char *user_id, bool *quiet);

/* A page of text: title, message (and optional link). */
int	mail_notice(struct request *, struct response *, int status,
	    const char *title, const char *message, const char *link_href,
	    const char *link_label);

/* email_links.c */
int	page_email_verify(struct request *, struct response *);
int	page_email_verify_post(struct request *, struct response *);
int	page_password_forgot(struct request *, struct response *);
int	page_password_forgot_post(struct request *, struct response *);
int	page_password_reset(struct request *, struct response *);
int	page_password_reset_post(struct request *, struct response *);

/* unsubscribe.c */
int	page_unsubscribe(struct request *, struct response *);
int	page_unsubscribe_post(struct request *, struct response *);

/* settings_mail.c */
json_t	*settings_mail_json(struct request *);
int	page_settings_notifications(struct request *, struct response *);
int	page_settings_verify_again(struct request *, struct response *);
int	page_settings_export(struct request *, struct response *);
int	page_settings_export_download(struct request *, struct response *);

#endif
