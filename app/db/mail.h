/*
 * db/mail: the tables of mail to runners (sql/019_mail.sql): one-time
 * links (email_tokens: only SHA-256 hashes of tokens), verified
 * addresses, the notifications a runner turned on, the once-per-period
 * ledger, data exports, and what /metrics shows of queued mail.
 *
 * Tokens are passed in as the hex SHA-256 of the token (64 digits); the
 * token itself never reaches this module.  Functions that take a user_id
 * touch only that runner's rows.  Unless said otherwise they return 1
 * (done, found), 0 (nothing: no such row, not valid) or -1 (error).
 */
#ifndef CADENCE_DB_MAIL_H
#define CADENCE_DB_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/date.h"
#include "domain/runner.h"

struct db;

/* What a mail to a runner needs of them; strings in the arena. */
struct mail_user {
	struct runner	 r;		/* id, email, name, units, first_day,
					 * timezone, today */
	bool		 verified;	/* email_verified_at is set */
};
int	db_mail_user(struct db *, arena_t *, const char *user_id,
	    struct mail_user *);

/* ---- one-time links ------------------------------------------------------ */

enum mail_token_state {
	MAIL_TOKEN_ERROR = -1,	/* database error */
	MAIL_TOKEN_UNKNOWN,	/* never issued (forged, or long purged) */
	MAIL_TOKEN_VALID,
	MAIL_TOKEN_USED,
	MAIL_TOKEN_EXPIRED,
	MAIL_TOKEN_STALE,	/* verify: the account's email changed since */
};

/* A new link for purpose ("verify", "reset") to email, valid ttl_s. */
int	db_mail_token_add(struct db *, const char *user_id,
	    const char *purpose, const char *hash_hex, const char *email,
	    int ttl_s);
/* What a link is, without using it; *email the address it was sent to. */
enum mail_token_state db_mail_token_state(struct db *, arena_t *,
	    const char *purpose, const char *hash_hex, const char **email);
/*
 * Uses a verification link: the address is verified and the link used,
 * in one transaction, only while the link is valid and the address still
 * the account's.  1 verified, 0 not valid (nothing changed), -1.
 */
int	db_mail_token_verify(struct db *, arena_t *, const char *hash_hex,
	    const char **user_id);
/*
 * Uses a reset link, in one transaction: the new password hash, every
 * session of the runner ended, every reset link of theirs used, and the
 * address verified when the link went to the current one.  1 done
 * (*user_id set), 0 not valid (nothing changed), -1.
 */
int	db_mail_token_reset(struct db *, arena_t *, const char *hash_hex,
	    const char *password_hash, const char **user_id);

/* ---- notifications ---------------------------------------------------------- */

/* The kinds user_id turned on, as a NULL-ended array in the arena. */
int	db_mail_notify_kinds(struct db *, arena_t *, const char *user_id,
	    const char ***kinds);
/* Turns kind on or off; 1 when that changed something, 0 when not. */
int	db_mail_notify_set(struct db *, const char *user_id, const char *kind,
	    bool on);
/* 1 when user_id has kind on. */
int	db_mail_notify_on(struct db *, const char *user_id, const char *kind);
/* 1 the first time (user, kind, period) is noted, 0 after, -1. */
int	db_mail_ledger_once(struct db *, const char *user_id, const char *kind,
	    const char *period);
/* Forgets user_id's ledger rows older than days. */
int	db_mail_ledger_purge(struct db *, const char *user_id, int days);
/* 1 while user_id's Strava connection is marked as needing a reconnect. */
int	db_mail_strava_broken(struct db *, const char *user_id);

/*
 * The next time the runner's week starts (their first day of week) at
 * hour:00 local: seconds from now into *delay, that date into *day.
 * this_week: the start of the current week instead (now, delay 0).
 */
int	db_mail_week_start(struct db *, const char *user_id, int hour,
	    bool this_week, int *delay, date_t *day);
/* Ids of runners who have kind on (at most max), into the arena. */
int	db_mail_users_with(struct db *, arena_t *, const char *kind,
	    const char *only_email, const char ***ids);

/* ---- data exports ------------------------------------------------------------- */

struct data_export {
	const char	*id;
	const char	*status;	/* pending, ready, failed */
	long long	 size_bytes;
	long long	 expires_epoch;
	const char	*created;	/* "YYYY-MM-DD HH:MM" UTC */
};

/*
 * A new pending export of user_id (*id); 0 when one is pending already or
 * EXPORTS_PER_DAY were asked for in the last day.
 */
#define DB_MAIL_EXPORTS_PER_DAY	5
int	db_mail_export_add(struct db *, arena_t *, const char *user_id,
	    int ttl_s, const char **id);
/* user_id's export id (0: none of theirs). */
int	db_mail_export_get(struct db *, arena_t *, const char *user_id,
	    const char *id, struct data_export *);
/* user_id's newest export (0: none). */
int	db_mail_export_latest(struct db *, arena_t *, const char *user_id,
	    struct data_export *);
int	db_mail_export_finish(struct db *, const char *id, bool ok,
	    long long size_bytes);
/* Ids of every export of user_id (NULL-ended, arena): their files go too. */
int	db_mail_export_ids(struct db *, arena_t *, const char *user_id,
	    const char ***ids);
/* Deletes up to max expired exports; their ids into *ids (arena). */
int	db_mail_export_expire(struct db *, arena_t *, int max,
	    const char ***ids);
/*
 * One part of a runner's data as a JSON array of objects (text in the
 * arena): "profile", "plans", "workouts", "feedback", "activities".
 */
int	db_mail_export_part(struct db *, arena_t *, const char *user_id,
	    const char *part, const char **json);

/* ---- metrics ---------------------------------------------------------------- */

struct mail_queue_stats {
	long	 waiting;		/* mail.send jobs not sent yet */
	long	 retrying;		/* of those, tried and not sent */
	double	 oldest_s;		/* age of the oldest, seconds */
	long	 failed;		/* refused for good */
};
int	db_mail_queue_stats(struct db *, struct mail_queue_stats *);

#endif
