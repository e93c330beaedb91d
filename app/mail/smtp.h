/*
 * smtp: sends one composed message through the configured SMTP server
 * with libcurl, and says what happened in terms a job queue can act on:
 * sent, a temporary failure (retry later, with backoff) or a permanent
 * one (the server refused this message for good), with the SMTP reply
 * code when there was one.
 *
 * Transport security: smtps:// is TLS from the start; smtp:// to any
 * host but loopback must upgrade with STARTTLS or nothing is sent (the
 * password and the message never cross a network in clear); smtp:// to
 * loopback (the development server, a local relay) stays plain, since
 * the traffic never leaves the machine.  Certificates are verified.
 *
 * Every step has a timeout, so an unreachable or stalled server fails in
 * seconds.  The password is never logged, and libcurl's protocol trace
 * (which would show AUTH PLAIN) is never turned on.
 */
#ifndef CADENCE_MAIL_SMTP_H
#define CADENCE_MAIL_SMTP_H

#include <stdbool.h>

#include "core/config.h"
#include "mail/compose.h"

#define MAIL_CONNECT_TIMEOUT_MS	5000	/* TCP + TLS handshake */
#define MAIL_RESPONSE_TIMEOUT_S	10	/* each SMTP reply */
#define MAIL_SEND_TIMEOUT_MS	30000	/* the whole exchange */

enum mail_status {
	MAIL_SENT,		/* the server took responsibility (250) */
	MAIL_TEMPFAIL,		/* try again later: nothing was refused for good */
	MAIL_PERMFAIL		/* the server refused this message (5xx) */
};

struct mail_result {
	enum mail_status status;
	int	smtp_code;	/* last SMTP reply, 0 if none came */
	int	curl_code;	/* CURLcode, 0 when sent */
	long	ms;		/* time the attempt took */
	char	detail[256];	/* for logs and `cadence mail test`; no secret */
};

struct mail_smtp {
	char	url[CONFIG_STR_MAX + MAIL_DOMAIN_MAX + 2];
	char	user[256];
	char	password[256];
	char	from_name[MAIL_NAME_MAX + 1];
	char	from_addr[MAIL_ADDR_MAX + 1];
	bool	starttls;		/* STARTTLS required (smtp://, not loopback) */
	/* Defaults above; tests shorten them. */
	long	connect_timeout_ms;
	long	response_timeout_s;
	long	send_timeout_ms;
};

/* True when SMTP_URL is set: mail can be sent at all. */
bool	mail_smtp_configured(const struct config *);

/*
 * Checks SMTP_URL, SMTP_USER/SMTP_PASSWORD and SMTP_FROM and fills s.
 * The URL's path, the name libcurl gives in EHLO, becomes the sender's
 * domain when empty.  -1 with a message naming the variable on error.
 */
int	mail_smtp_init(struct mail_smtp *s, const struct config *,
	    char *err, size_t errlen);

/* One attempt to send msg; fills r and returns r->status. */
enum mail_status mail_send(const struct mail_smtp *s,
	    const struct mail_out *msg, struct mail_result *r);

/*
 * The rule mail_send applies: sent when libcurl succeeded; permanent
 * only when the server answered 5xx to the message (not to our
 * credentials: a wrong SMTP_PASSWORD is fixed by the operator and the
 * mail must still go out); anything else (no connection, timeout, TLS,
 * 4xx) temporary.
 */
enum mail_status mail_classify(int curl_code, int smtp_code);
const char	*mail_status_name(enum mail_status);

#endif
