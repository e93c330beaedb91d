/*
 * What every fuzz driver of an activity-file parser checks: a parse
 * either fails with a message and nothing allocated, or gives a record
 * within the documented limits.  Any breach aborts.
 */
#ifndef FUZZ_ACTIVITY_CHECK_H
#define FUZZ_ACTIVITY_CHECK_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "files/activity_file.h"

static void
fuzz_check_activity(int rc, struct af_activity *a, const char *err)
{
	size_t i;

	if (rc != 0) {
		if (err[0] == '\0' || a->points != NULL || a->laps != NULL)
			abort();
		return;
	}
	if (a->npoints > AF_MAX_POINTS || a->nlaps > AF_MAX_LAPS ||
	    a->start_time < AF_MIN_TIME || a->start_time >= AF_MAX_TIME ||
	    !isfinite(a->distance_m) || a->distance_m < 0 ||
	    !(a->elapsed_s >= 0 && a->elapsed_s <= AF_MAX_SPAN_S) ||
	    !(a->moving_s >= 0 && a->moving_s <= AF_MAX_SPAN_S) ||
	    a->avg_hr < 0 || a->max_hr < 0 || a->max_hr > 255 ||
	    strlen(a->sport) >= sizeof(a->sport))
		abort();
	for (i = 0; i < a->npoints; i++)
		if ((a->points[i].time != 0 && (a->points[i].time < AF_MIN_TIME ||
		    a->points[i].time >= AF_MAX_TIME)) || a->points[i].hr < 0 ||
		    a->points[i].hr > AF_MAX_HR ||
		    (a->points[i].has_pos && (fabs(a->points[i].lat) > 90 ||
		    fabs(a->points[i].lon) > 180)))
			abort();
	af_free(a);
}

#endif
