/*
 * webhook: Strava's outgoing HTTP - event deliveries on a background
 * thread (so a slow callback never stalls the API) and the synchronous
 * subscription validation GET.
 *
 * Every delivery attempt is logged for tests (GET /_sandbox/deliveries).
 */
#ifndef SANDBOX_WEBHOOK_H
#define SANDBOX_WEBHOOK_H

#include <stddef.h>

#include <jansson.h>

#define SB_WEBHOOK_LOG_MAX	10000

struct sb_webhook;

struct sb_delivery_opts {
	int	 timeout_ms;		/* an attempt not answered 200 in time fails */
	int	 attempts;		/* in total */
	int	 retry_delay_ms;
};

struct sb_webhook *sb_webhook_start(void);
/* Stops the thread; queued deliveries are dropped. */
void	 sb_webhook_stop(struct sb_webhook *);
/* Queues a POST of event (a JSON object; the reference is taken) to url. */
void	 sb_webhook_send(struct sb_webhook *, const char *url, json_t *event,
	    const struct sb_delivery_opts *);
/* A copy of the attempt log, oldest first. */
json_t	*sb_webhook_log(struct sb_webhook *);
void	 sb_webhook_log_clear(struct sb_webhook *);
/* Deliveries queued or in progress. */
size_t	 sb_webhook_pending(struct sb_webhook *);

/*
 * Strava's subscription check: GET url?hub.mode=subscribe&hub.challenge=X
 * &hub.verify_token=T must answer 200 with {"hub.challenge":"X"} in time.
 * Returns 0, or -1 with a reason in err.
 */
int	 sb_webhook_validate(const char *url, const char *verify_token,
	    int timeout_ms, char *err, size_t errlen);

#endif
