/*
 * libFuzzer driver for strava/activity_json: single objects and lists
 * parse or are refused; parsed values stay within the documented limits.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strava/activity_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Laps and splits: within SPLITS_MAX, every figure finite and in range. */
static void
check_splits(const struct split_input *s, size_t n)
{
	size_t i;

	if (n > SPLITS_MAX || (n > 0) != (s != NULL))
		abort();
	for (i = 0; i < n; i++)
		if (!(s[i].distance_m >= 0 && s[i].distance_m <=
		    ACTIVITY_DISTANCE_MAX) || s[i].moving_s < 0 ||
		    s[i].moving_s > ACTIVITY_TIME_MAX || !(s[i].average_hr >= 0 &&
		    s[i].average_hr <= ACTIVITY_HR_MAX) || !isfinite(s[i].elevation_m))
			abort();
}

static void
check(const struct strava_activity *a)
{
	if (a->id <= 0 || strlen(a->name) > ACTIVITY_NAME_MAX ||
	    a->sport_type[0] == '\0' || a->distance_m < 0 ||
	    a->distance_m > ACTIVITY_DISTANCE_MAX || a->moving_time_s < 0 ||
	    a->elapsed_time_s < 0 || strlen(a->start_local) != 19 ||
	    a->start_local[10] != ' ')
		abort();
	check_splits(a->splits.laps, a->splits.nlaps);
	check_splits(a->splits.metric, a->splits.nmetric);
	check_splits(a->splits.standard, a->splits.nstandard);
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
	else if (err[0] == '\0' || a.summary_polyline != NULL ||
	    a.splits.laps != NULL || a.splits.metric != NULL)
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
