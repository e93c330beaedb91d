/*
 * mail_send: mail leaves Cadence only here, from the job workers.
 *
 * Anything that mails queues a "mail.send" job (mail_enqueue): its
 * payload is what mail_build_json() takes (mail/template.h), plus
 * "sealed": values for the template's data that the database must not be
 * able to read (one-time links), sealed with CADENCE_SECRET_KEY
 * (core/secret.h) and opened only when the mail is composed.  The
 * Message-ID is "<job id@sender's domain>" unless the payload names one,
 * so every retry of a job sends the same id.
 *
 * A page only inserts the job: a slow or failing SMTP server never slows
 * or fails it.  Outcomes (mail/smtp.h):
 *   sent            done;
 *   temporary       retried with the queue's backoff (jobs/jobs.h), and
 *                   never given up: past JOBS_MAX_ATTEMPTS - 1 attempts
 *                   it waits at the longest backoff without spending more;
 *   server down     (no SMTP reply, 421, or our login refused) the same,
 *                   and this worker defers its other mail for a while
 *                   (MAIL_DOWN_FIRST .. MAIL_DOWN_MAX seconds, doubling)
 *                   instead of trying each one: one log line when that
 *                   starts, one when mail flows again;
 *   permanent       (a 5xx to the message) failed, with the reply.
 * /metrics shows cadence_mail_queued, _retrying, _oldest_seconds and
 * _failed (pages/metrics.c).
 */
#ifndef CADENCE_JOBS_MAIL_SEND_H
#define CADENCE_JOBS_MAIL_SEND_H

#include <jansson.h>

#include "core/config.h"

#define MAIL_SEND_KIND		"mail.send"
#define MAIL_DOWN_FIRST		5	/* seconds mail waits after an outage */
#define MAIL_DOWN_MAX		300	/* ... doubling up to this */
#define MAIL_UNCONFIGURED_WAIT	300	/* no usable SMTP_* yet: look again */

struct db;

/*
 * Registers every mail kind (mail.send, the account mails, notifications
 * and data exports): jobs_register() calls it.
 */
void	mail_jobs_register(void);
/*
 * A job worker starts: checks SMTP_URL, SMTP_USER/SMTP_PASSWORD and
 * SMTP_FROM (mail_smtp_init) and loads templates/mail.  A problem is
 * logged naming the variable, and mail then stays queued.
 */
void	mail_worker_start(const struct config *);

/* The mail a job asks for. */
struct mail_request {
	const char	*user_id;	/* the runner it is about, or NULL */
	const char	*template;	/* templates/mail/NAME.* */
	const char	*to_addr;
	const char	*to_name;	/* NULL or "": none */
	json_t		*data;		/* the template's data (stolen; NULL) */
	json_t		*sealed;	/* {name: text} sealed into data (stolen) */
	const char	*unsubscribe_url;	/* notifications only */
	const char	*dedup_key;	/* NULL: none */
};

/* Queues one mail (joins the caller's transaction).  1, 0 (dedup), -1. */
int	mail_enqueue(struct db *, const struct config *,
	    const struct mail_request *);

#endif
