/*
 * mail_account: the mails about an account, each a job kind whose handler
 * makes what the mail needs (a one-time link) and queues it (mail.send):
 *
 *   mail.verify            a verification link (7 days) to the account's
 *                          address; queued by the database at sign-up
 *                          (sql/019) and by "send the link again";
 *   mail.signup_taken      "someone tried to sign up with your address",
 *                          at most one a day (sql/019, from sign-up);
 *   mail.email_changed     a verification link to the new address and a
 *                          notice to the old one (sql/019);
 *   mail.password_reset    a reset link (30 minutes); queued by the
 *                          forgot-password page whether or not the address
 *                          has an account (no account: nothing is sent);
 *   mail.password_changed  "your password was changed".
 *
 * Links carry a 256-bit random token; the database keeps only its SHA-256
 * (db/mail.h) and the queued mail holds it sealed (jobs/mail_send.h).
 */
#ifndef CADENCE_JOBS_MAIL_ACCOUNT_H
#define CADENCE_JOBS_MAIL_ACCOUNT_H

#include <stdbool.h>

#define MAIL_TOKEN_HEX		64	/* a link's token: 32 bytes as hex */
#define MAIL_VERIFY_TTL		(7 * 86400)
#define MAIL_RESET_TTL		(30 * 60)

struct db;

void	mail_account_register(void);

/* A password reset for user_id (NULL: the address has no account). */
int	mail_request_reset(struct db *, const char *user_id);
/* A verification link for user_id's address (again). */
int	mail_request_verify(struct db *, const char *user_id);
/* "Your password was changed" (how: "reset" or "settings"). */
int	mail_password_changed(struct db *, const char *user_id,
	    const char *how);

/* True for a token's shape (64 lower-case hex digits). */
bool	mail_token_ok(const char *token);
/* The SHA-256 of a token as hex, what db/mail.h takes. */
void	mail_token_hash(const char *token, char out[MAIL_TOKEN_HEX + 1]);

#endif
