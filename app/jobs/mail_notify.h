/*
 * mail_notify: the notifications a runner chooses in settings, each off
 * (the default) or on, each mail with a one-click unsubscribe (RFC 8058:
 * List-Unsubscribe and List-Unsubscribe-Post, a signed URL that works
 * without a session).  Only verified addresses get them.
 *
 *   weekly_summary    mail.weekly: last week planned against done and the
 *                     coming week's key workouts, at 06:00 local on the
 *                     first day of the runner's week.  Each run queues the
 *                     next (dedup key "<user>:<week start>"), so one chain
 *                     per runner; turning the summary on starts it.
 *   strava_reconnect  mail.strava_reconnect: queued by the database when
 *                     the Strava code marks the connection broken
 *                     (sql/019), once per breakage.
 *   plan_proposals,   mail_notify(): for the features that will send them
 *   coach_comments    (not offered in settings until they exist).
 */
#ifndef CADENCE_JOBS_MAIL_NOTIFY_H
#define CADENCE_JOBS_MAIL_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/config.h"

#define NOTIFY_WEEKLY_HOUR	6	/* local time the summary is sent */
#define NOTIFY_LEDGER_DAYS	90	/* once-per-period notes kept */

struct db;

struct notify_kind {
	const char	*key;		/* notification_settings.kind */
	const char	*label;		/* settings and unsubscribe pages */
	const char	*hint;
	bool		 offered;	/* shown in settings */
};

/* The kinds, in settings order. */
const struct notify_kind *notify_kinds(size_t *n);
/* The kind named key, or NULL. */
const struct notify_kind *notify_kind(const char *key);

void	mail_notify_register(void);

/*
 * Asks for a notification of kind to user_id: queued, and mailed if the
 * runner has kind on and a verified address when it is sent.  data
 * (stolen) goes to templates/mail/notify_<kind>: "title", "text" and
 * "url" (a path on this site).  1 queued, -1 on error.
 */
int	mail_notify(struct db *, const char *user_id, const char *kind,
	    json_t *data);

/*
 * Turns kind on or off for user_id (turning the weekly summary on
 * schedules it).  1 changed, 0 no change, -1.
 */
int	notify_set(struct db *, const char *user_id, const char *kind, bool on);
/*
 * Queues user_id's weekly summary: the next one, or (now) one for the
 * current week at once, whatever the time.  1, 0 (one waits already), -1.
 */
int	notify_weekly_schedule(struct db *, const char *user_id, bool now);

/* The signed one-click unsubscribe URL of (user_id, kind), in the arena. */
const char *notify_unsubscribe_url(const struct config *, arena_t *,
	    const char *user_id, const char *kind);
/* True when sig is (user_id, kind)'s signature. */
bool	notify_unsubscribe_ok(const struct config *, const char *user_id,
	    const char *kind, const char *sig);

#endif
