/*
 * strava_helpers: the Strava sandbox (SANDBOX_URL) and `cadence strava`
 * for the webhook integration tests: control API calls, a runner connected
 * through the real OAuth pages, the subscription, SQL polling.
 */
#ifndef CADENCE_TEST_STRAVA_HELPERS_H
#define CADENCE_TEST_STRAVA_HELPERS_H

#include <stdbool.h>

#include <jansson.h>

struct client;

const char *sandbox_url(void);
/* A sandbox call (path absolute on the sandbox); JSON answer or NULL. */
json_t	*sb_call(struct client *, const char *method, const char *path,
	    const char *body, bool json, long *status);
/* POST /_sandbox/config with a JSON object; asserts 200. */
void	 sb_config(struct client *, const char *json);
/* A fresh sandbox athlete; returns the id. */
long long sb_new_athlete(struct client *, const char *firstname);
/* The athlete's newest live access token (static), or "". */
const char *sb_access_token(struct client *, long long athlete);
/*
 * Signs c up as a new runner and connects athlete through /strava/connect
 * and the sandbox's consent; waits for the history import to finish.
 * Returns users.id (static).
 */
const char *sb_connect_runner(struct client *, long long athlete);
/* The same, granting scope (e.g. "read,activity:read"). */
const char *sb_connect_runner_scope(struct client *, long long athlete,
	    const char *scope);
/* API calls the sandbox counted today (its daily read usage). */
long	 sb_calls(struct client *);
/* One run of athlete at the sandbox, sending no webhook; its id. */
long long sb_quiet_activity(struct client *, long long athlete);
/* POSTs a webhook event body to Cadence; the status. */
long	 post_webhook(struct client *, const char *body);

/* Runs `$CADENCE_BIN args` (env: extra VAR=value words or ""). */
int	 cadence_cmd(char *out, size_t outlen, const char *env,
	    const char *args);
/* Subscribes with `cadence strava subscribe`; asserts success. */
void	 test_subscribe(void);
/* `cadence strava unsubscribe`; asserts success. */
void	 test_unsubscribe(void);

double	 mono_now(void);
/* Polls a boolean SQL expression until true or seconds pass. */
bool	 wait_true(double seconds, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
long	 db_long_value(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
