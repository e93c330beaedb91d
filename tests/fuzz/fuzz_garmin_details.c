/*
 * libFuzzer driver for garmin/details: the input is one Activity Details
 * record as Garmin's pull might answer it.  A record read must hold what
 * garmin/details.h promises (times in order and in range, positions on
 * Earth, heart rates and distances possible), and its route, laps,
 * splits and climb must come out finite and sane.  Any difference aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "domain/polyline.h"
#include "files/activity_route.h"
#include "garmin/details.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_points(const struct af_activity *a)
{
	size_t i;

	if (a->npoints == 0 || a->npoints > AF_MAX_POINTS ||
	    a->nlaps > AF_MAX_LAPS)
		abort();
	for (i = 0; i < a->npoints; i++) {
		const struct af_point *p = &a->points[i];

		if (p->time < AF_MIN_TIME || p->time >= AF_MAX_TIME ||
		    (i > 0 && p->time < a->points[i - 1].time))
			abort();
		if (p->has_pos && !(fabs(p->lat) <= 90 && fabs(p->lon) <= 180))
			abort();
		if (p->hr < 0 || p->hr > AF_MAX_HR || p->distance_m >
		    GARMIN_DETAILS_MAX_M || (p->has_ele && !(fabs(p->ele) <=
		    20000)))
			abort();
	}
	if (!(a->distance_m >= 0 && a->distance_m <= GARMIN_DETAILS_MAX_M) ||
	    !(a->elapsed_s >= 0 && a->elapsed_s <= AF_MAX_SPAN_S))
		abort();
}

static void
check_splits(const struct split_input *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(s[i].distance_m >= 0 && s[i].distance_m <= 2e6) ||
		    s[i].moving_s < 0 || s[i].moving_s > AF_MAX_SPAN_S ||
		    !(s[i].average_hr >= 0 && s[i].average_hr <= AF_MAX_HR) ||
		    (s[i].has_elevation && !isfinite(s[i].elevation_m)))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct garmin_details	 g;
	struct run_splits	*sp;
	struct geo_point	*pts;
	json_t			*j;
	arena_t			 ar;
	const char		*line;
	char			 err[AF_ERR_MAX];
	double			 climb;
	size_t			 n;

	j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (j == NULL)
		return 0;
	if (garmin_details_read(j, &g, err, sizeof(err)) == 0) {
		if (g.summary_id[0] == '\0')
			abort();
		check_points(&g.act);
		climb = af_climb_m(&g.act);
		if (!(climb == -1 || (climb >= 0 && climb <= 2e9)))
			abort();
		arena_init(&ar);
		sp = af_run_splits(&ar, &g.act);
		check_splits(sp->laps, sp->nlaps);
		check_splits(sp->metric, sp->nmetric);
		check_splits(sp->standard, sp->nstandard);
		if ((line = af_route_polyline(&ar, &g.act)) != NULL) {
			if (!polyline_decode(line, strlen(line), &pts, &n) ||
			    n < 2 || n > AF_ROUTE_POINTS_MAX + 1)
				abort();
			free(pts);
		}
		arena_free(&ar);
	} else if (err[0] == '\0') {
		abort();	/* a refusal always says why */
	}
	garmin_details_free(&g);
	json_decref(j);
	return 0;
}
