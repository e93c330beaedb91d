/*
 * libFuzzer driver for strava/activity_json: single objects and lists
 * parse or are refused; parsed values stay within the documented limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strava/activity_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct strava_activity *a)
{
	if (a->id <= 0 || strlen(a->name) > ACTIVITY_NAME_MAX ||
	    a->sport_type[0] == '\0' || a->distance_m < 0 ||
	    a->distance_m > ACTIVITY_DISTANCE_MAX || a->moving_time_s < 0 ||
	    a->elapsed_time_s < 0 || strlen(a->start_local) != 19 ||
	    a->start_local[10] != ' ')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strava_activity a;
	struct activity_list l;
	char err[ACTIVITY_ERR_MAX];
	size_t i;

	if (activity_parse((const char *)data, size, &a, err))
		check(&a);
	else if (err[0] == '\0' || a.summary_polyline != NULL)
		abort();
	activity_free(&a);
	if (activity_list_parse((const char *)data, size, &l, err)) {
		for (i = 0; i < l.n; i++)
			check(&l.items[i]);
		if (l.nbad > 0 && l.first_err[0] == '\0')
			abort();
	}
	activity_list_free(&l);
	return 0;
}
