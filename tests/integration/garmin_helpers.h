/*
 * garmin_helpers: driving the Garmin sandbox (GARMIN_SANDBOX_URL, started
 * by scripts/env.sh) from the integration tests, and a runner connected
 * to it through Cadence's real pages.
 */
#ifndef CADENCE_TEST_GARMIN_HELPERS_H
#define CADENCE_TEST_GARMIN_HELPERS_H

#include <stdbool.h>

#include <jansson.h>

#include "client.h"

const char *gs_url(void);
/* method path on the sandbox with a form body (NULL: none); JSON back. */
json_t	*gs_call(struct client *, const char *method, const char *path,
	    const char *form, long *status);
/* method path on the sandbox with a JSON body; JSON back. */
json_t	*gs_json(struct client *, const char *method, const char *path,
	    const char *json, long *status);
/*
 * Records a run for user at the sandbox (start epoch, metres, seconds)
 * and returns its summary id (static).
 */
const char *gs_record(struct client *, const char *user, long long start,
	    int distance_m, int duration_s);
/* POST /_sandbox/config with a JSON object. */
void	 gs_config(struct client *, const char *json);
/* A new sandbox user (so tests never share one); its id, static. */
const char *gs_new_user(struct client *, const char *name);
/* The sandbox user's "registered" flag. */
bool	 gs_registered(struct client *, const char *user);
/*
 * Signs c up (prefix for the email) and goes through /garmin/connect as
 * user granting perms (comma list); returns the final status of the
 * callback (303 when connected) and the runner's id in runner (static).
 */
long	 gs_connect(struct client *, const char *prefix, const char *user,
	    const char *perms, const char **runner);
/* The query value name of url (static). */
const char *gs_qparam(const char *url, const char *name);

#endif
