/*
 * subscription: Cadence's Strava push subscription (webhooks).
 *
 * Strava allows one subscription per application.  Creating it makes
 * Strava (or the sandbox) send a validation GET to our callback
 * ({CADENCE_BASE_URL}/strava/webhook, answered by pages/webhook.c), so the
 * pool must be running.  The id Strava returns is kept in
 * strava_webhook_subscription (sql/003): from then on events that carry
 * another subscription_id are refused (strava/webhook_queue.h).
 */
#ifndef CADENCE_STRAVA_SUBSCRIPTION_H
#define CADENCE_STRAVA_SUBSCRIPTION_H

#include <stddef.h>
#include <stdint.h>

#define SUB_CALLBACK_PATH	"/strava/webhook"
#define SUB_URL_MAX		1024
#define SUB_ERR_MAX		512

struct config;
struct db;

struct strava_sub {
	int64_t	id;				/* 0: none */
	char	callback_url[SUB_URL_MAX];
};

/* {CADENCE_BASE_URL}/strava/webhook into out. */
void	sub_callback_url(const struct config *, char *out, size_t outlen);

/* Strava's side.  Each returns 0, or -1 with err set. */
/* The application's subscription at Strava (s->id 0 when none). */
int	sub_remote_get(const struct config *, struct strava_sub *s,
	    char *err, size_t errlen);
/* Creates it (Strava validates the callback first); *id on success. */
int	sub_remote_create(const struct config *, const char *callback_url,
	    int64_t *id, char *err, size_t errlen);
/* Deletes subscription id; an id Strava does not know counts as done. */
int	sub_remote_delete(const struct config *, int64_t id, char *err,
	    size_t errlen);

/* Our side: the one row of strava_webhook_subscription. */
int	sub_local_get(struct db *, struct strava_sub *s);	/* 0 / -1 */
/* Replaces whatever row there was by (id, callback_url). */
int	sub_local_set(struct db *, const struct strava_sub *s);
int	sub_local_clear(struct db *);

#endif
