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

/* What the upload derives from a parsed run: the climb and the splits. */
static void
fuzz_check_derived(const struct af_activity *a)
{
	struct split_input	s[64];
	double			climb = af_climb_m(a), sum = 0;
	size_t			i, n;

	if (!isfinite(climb) || climb < -1 || climb > AF_MAX_CLIMB_M)
		abort();
	n = af_splits(a, 1000, s, 64);
	if (n > 64)
		abort();
	for (i = 0; i < n; i++) {
		if (!isfinite(s[i].distance_m) || s[i].distance_m < 0 ||
		    s[i].moving_s < 0 || s[i].moving_s > AF_MAX_SPAN_S ||
		    s[i].average_hr < 0 || s[i].average_hr > AF_MAX_HR ||
		    (s[i].has_elevation && !isfinite(s[i].elevation_m)))
			abort();
		sum += s[i].moving_s;
	}
	/*
	 * Splits share out the moving time measured from the points, never
	 * more (rounding aside); a file's laps or stated time may say less.
	 */
	if (n > 0 && n < 64 && !a->has_moving && a->nlaps == 0 &&
	    sum > a->moving_s + (double)n + 1)
		abort();
}

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
	    a->distance_m > AF_MAX_DISTANCE_M ||
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
	fuzz_check_derived(a);
	af_free(a);
}

#endif
