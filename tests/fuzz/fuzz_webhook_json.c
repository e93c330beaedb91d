/*
 * libFuzzer driver for strava/webhook_event: any body either parses into
 * an event that satisfies the documented invariants or is refused with a
 * message; never a crash, leak or undefined behaviour.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strava/webhook_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];
	const char *auth;
	size_t i;

	if (!webhook_event_parse((const char *)data, size, &ev, err)) {
		if (err[0] == '\0' || ev.updates != NULL)
			abort();
		return 0;
	}
	if (ev.object_id <= 0 || ev.owner_id <= 0 ||
	    ev.subscription_id <= 0 || ev.event_time <= 0 ||
	    ev.nupdates > WEBHOOK_MAX_UPDATES)
		abort();
	for (i = 0; i < ev.nupdates; i++)
		if (ev.updates[i].key == NULL || ev.updates[i].value == NULL)
			abort();
	auth = webhook_event_update(&ev, "authorized");
	if (ev.deauthorized != (ev.object_type == WEBHOOK_ATHLETE &&
	    auth != NULL && strcmp(auth, "false") == 0))
		abort();
	webhook_event_free(&ev);
	return 0;
}
