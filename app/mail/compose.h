/*
 * compose: builds one Internet message (RFC 5322 + MIME) from its parts.
 *
 * The result is 7-bit clean with CRLF lines: Date, From, To, Subject,
 * Message-ID (on the sender's domain), MIME-Version, Auto-Submitted, the
 * RFC 2369/8058 List-Unsubscribe pair when an unsubscribe URL is given,
 * then text/plain alone or multipart/alternative text + HTML, each part
 * quoted-printable or base64, whichever is shorter.  Non-ASCII display
 * names and subjects become RFC 2047 encoded-words.
 *
 * Anything that could end a header early or forge another (CR, LF, NUL,
 * other controls, invalid UTF-8) in a name, subject, address or URL is
 * refused with an error: nothing is silently dropped or rewritten.
 */
#ifndef CADENCE_MAIL_COMPOSE_H
#define CADENCE_MAIL_COMPOSE_H

#include <stddef.h>
#include <time.h>

#include "core/buf.h"
#include "mail/encode.h"

#define MAIL_NAME_MAX		256	/* bytes of a display name */
#define MAIL_SUBJECT_MAX	512	/* bytes of a subject */
#define MAIL_URL_MAX		900	/* List-Unsubscribe stays one line < 998 */
#define MAIL_BODY_MAX		(1024 * 1024)	/* bytes of each part */
#define MAIL_MSGID_MAX		(MAIL_ADDR_MAX + 64)
#define MAIL_DATE_MAX		48	/* room for any int year */

/* A mailbox: optional display name (UTF-8) and an address. */
struct mail_addr {
	const char	*name;		/* NULL or "" for none */
	const char	*addr;
};

struct mail_msg {
	struct mail_addr from;
	struct mail_addr to;
	const char	*subject;	/* UTF-8, one line, not empty */
	const char	*text;		/* UTF-8, required */
	const char	*html;		/* NULL: text/plain only */
	const char	*unsubscribe_url; /* NULL: not a notification */
	time_t		 date;		/* 0: now */
	/*
	 * NULL: a new random one.  A queued mail being retried passes the
	 * id of its first attempt: if that attempt reached the server
	 * before timing out, the copies are recognisably the same message.
	 */
	const char	*message_id;	/* "<left@right>" */
};

struct mail_out {
	buf_t	data;				/* the whole message */
	char	message_id[MAIL_MSGID_MAX];	/* "<...@domain>" */
	char	from[MAIL_ADDR_MAX + 1];	/* envelope sender */
	char	to[MAIL_ADDR_MAX + 1];		/* envelope recipient */
};

/*
 * Composes m into out (initialised here; free with mail_out_free, also
 * after an error).  Returns 0, or -1 with the reason in err: the reason
 * names the field, never echoes its value.
 */
int	mail_compose(const struct mail_msg *m, struct mail_out *out,
	    char *err, size_t errlen);
void	mail_out_free(struct mail_out *);

/* "Tue, 03 Jun 2025 14:05:09 +0000" (RFC 5322 3.3), in UTC. */
void	mail_format_date(time_t t, char out[MAIL_DATE_MAX]);

/*
 * Parses "Name <addr>", "\"Name\" <addr>" or "addr" (SMTP_FROM) into
 * name (may come out empty) and addr; -1 if the address or the name is
 * not acceptable.
 */
int	mail_parse_mailbox(const char *s, char name[MAIL_NAME_MAX + 1],
	    char addr[MAIL_ADDR_MAX + 1]);

#endif
