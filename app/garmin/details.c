/* garmin/details: see details.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "garmin/details.h"

const char *
garmin_details_summary_id(const json_t *d, char *buf)
{
	const char	*top = json_string_value(json_object_get(d, "summaryId"));
	const char	*in = json_string_value(json_object_get(
			    json_object_get(d, "summary"), "summaryId"));
	size_t		 n, k = strlen(GARMIN_DETAILS_SUFFIX);

	/*
	 * Garmin's examples: the record's summaryId is the activity
	 * summary's with "-detail" appended, and its "summary" carries no
	 * summaryId; the sandbox's carries one too.  The suffix rule first.
	 */
	if (top != NULL && (n = strlen(top)) > k && n - k < GARMIN_DETAILS_ID_MAX &&
	    strcmp(top + n - k, GARMIN_DETAILS_SUFFIX) == 0) {
		snprintf(buf, GARMIN_DETAILS_ID_MAX, "%.*s", (int)(n - k), top);
		return buf;
	}
	if (in != NULL && *in != '\0' && strlen(in) < GARMIN_DETAILS_ID_MAX) {
		snprintf(buf, GARMIN_DETAILS_ID_MAX, "%s", in);
		return buf;
	}
	return NULL;
}

/* A number field of o within [lo, hi]: 1 with *v, 0 absent, -1 bad. */
static int
number(const json_t *o, const char *key, double lo, double hi, double *v)
{
	const json_t *j = json_object_get(o, key);

	if (j == NULL || json_is_null(j))
		return 0;
	if (!json_is_number(j))
		return -1;
	*v = json_number_value(j);
	return isfinite(*v) && *v >= lo && *v <= hi ? 1 : -1;
}

/* One sample into a point; prev_time/prev_dist keep the order. */
static int
sample(const json_t *s, size_t i, struct af_point *p, int64_t *prev_time,
    double *prev_dist, char *err, size_t errlen)
{
	double	 t, lat, lon, v;
	int	 hl, hn;

	if (!json_is_object(s))
		return af_fail(err, errlen, "sample %zu: not an object", i + 1);
	if (number(s, "startTimeInSeconds", AF_MIN_TIME, AF_MAX_TIME - 1,
	    &t) != 1 || t != floor(t))
		return af_fail(err, errlen, "sample %zu: no time, or a time out "
		    "of range (1990 to 2099)", i + 1);
	p->time = (int64_t)t;
	if (p->time < *prev_time)
		return af_fail(err, errlen, "sample %zu: the time goes back",
		    i + 1);
	*prev_time = p->time;
	hl = number(s, "latitudeInDegree", -90, 90, &lat);
	hn = number(s, "longitudeInDegree", -180, 180, &lon);
	if (hl < 0 || hn < 0)
		return af_fail(err, errlen, "sample %zu: a position that is not "
		    "on Earth", i + 1);
	if (hl == 1 && hn == 1) {
		p->has_pos = true;
		p->lat = lat;
		p->lon = lon;
	}
	switch (number(s, "elevationInMeters", -20000, 20000, &v)) {
	case -1:
		return af_fail(err, errlen, "sample %zu: an impossible "
		    "elevation", i + 1);
	case 1:
		p->has_ele = true;
		p->ele = v;
		break;
	}
	switch (number(s, "heartRate", 0, AF_MAX_HR, &v)) {
	case -1:
		return af_fail(err, errlen, "sample %zu: an impossible heart "
		    "rate", i + 1);
	case 1:
		p->hr = (int)lround(v);
		break;
	}
	switch (number(s, "totalDistanceInMeters", 0, GARMIN_DETAILS_MAX_M,
	    &v)) {
	case -1:
		return af_fail(err, errlen, "sample %zu: an impossible "
		    "distance", i + 1);
	case 1:
		if (v < *prev_dist)
			return af_fail(err, errlen, "sample %zu: the distance "
			    "goes back", i + 1);
		p->distance_m = *prev_dist = v;
		break;
	}
	return 0;
}

/* Metres from p to q, as af_splits counts them (0 when unknown). */
static double
step(const struct af_point *p, const struct af_point *q)
{
	double d = -1;

	if (p->distance_m >= 0 && q->distance_m >= 0)
		d = q->distance_m - p->distance_m;
	else if (p->has_pos && q->has_pos)
		d = af_distance_m(p->lat, p->lon, q->lat, q->lon);
	return d > 0 && isfinite(d) ? d : 0;
}

/* The cumulative distance at time t, between the points around it. */
static double
distance_at(const struct af_activity *a, const double *cum, int64_t t)
{
	size_t i;

	for (i = 1; i < a->npoints; i++)
		if (a->points[i].time > t) {
			const struct af_point *p = &a->points[i - 1];
			double f = (double)(t - p->time) /
			    (double)(a->points[i].time - p->time);

			return cum[i - 1] + (cum[i] - cum[i - 1]) * f;
		}
	return cum[a->npoints - 1];
}

/* One lap from s to e: distance, moving time, time-weighted heart rate. */
static void
lap_totals(const struct af_activity *a, const double *cum, struct af_lap *l,
    int64_t e)
{
	double	 hr_t = 0, hr_sum = 0;
	size_t	 i;

	l->distance_m = distance_at(a, cum, e) - distance_at(a, cum, l->start);
	l->elapsed_s = (double)(e - l->start);
	for (i = 1; i < a->npoints; i++) {
		const struct af_point *p = &a->points[i - 1], *q = &a->points[i];
		int64_t dt = q->time - p->time;

		if (p->time < l->start || p->time >= e || dt <= 0)
			continue;
		if (dt <= AF_PAUSE_GAP_S && cum[i] - cum[i - 1] >=
		    AF_MOVING_MIN_MPS * (double)dt)
			l->timer_s += (double)dt;
		if (q->hr > 0) {
			hr_t += (double)dt;
			hr_sum += (double)dt * q->hr;
		}
	}
	if (l->timer_s > l->elapsed_s)
		l->timer_s = l->elapsed_s;
	if (hr_t > 0)
		l->avg_hr = (int)lround(hr_sum / hr_t);
}

/* The laps' starts cut the samples; a lap before them starts with them. */
static int
laps(const json_t *list, struct af_activity *a, char *err, size_t errlen)
{
	int64_t	*starts, first, last, prev = 0;
	double	*cum, t;
	size_t	 i, n = 0;
	int	 rc = 0;

	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return af_fail(err, errlen, "laps: not a list");
	if (json_array_size(list) > AF_MAX_LAPS)
		return af_fail(err, errlen, "more than %d laps", AF_MAX_LAPS);
	if (a->npoints < 2 || json_array_size(list) == 0)
		return 0;
	first = a->points[0].time;
	last = a->points[a->npoints - 1].time;
	starts = xcalloc(json_array_size(list) + 1, sizeof(*starts));
	for (i = 0; i < json_array_size(list); i++) {
		if (number(json_array_get(list, i), "startTimeInSeconds",
		    AF_MIN_TIME, AF_MAX_TIME - 1, &t) != 1 || t != floor(t) ||
		    (i > 0 && (int64_t)t <= prev)) {
			rc = af_fail(err, errlen, "lap %zu: no start, a start "
			    "out of range, or not after the lap before", i + 1);
			goto out;
		}
		prev = (int64_t)t;
		if (prev >= last)
			break;	/* nothing of the samples is left for it */
		if (prev <= first)
			n = 0;	/* the laps so far end before the samples */
		starts[n++] = prev < first ? first : prev;
	}
	cum = xcalloc(a->npoints, sizeof(*cum));
	for (i = 1; i < a->npoints; i++)
		cum[i] = cum[i - 1] + step(&a->points[i - 1], &a->points[i]);
	for (i = 0; i < n; i++) {
		struct af_lap *l = af_add_lap(a);

		l->start = starts[i];
		lap_totals(a, cum, l, i + 1 < n ? starts[i + 1] : last);
	}
	free(cum);
out:
	free(starts);
	return rc;
}

/*
 * When some samples have a cumulative distance, the others take the one
 * before them (0 before the first): distances then come from one source,
 * never a mix of Garmin's figure and positions (the fuzzer's find: a
 * sample without a distance next to a position 3,000 km off counted the
 * jump in the splits while the total said 1 km).
 */
static void
fill_distances(struct af_activity *a)
{
	double	 last = 0;
	size_t	 i;
	bool	 any = false;

	for (i = 0; i < a->npoints && !any; i++)
		any = a->points[i].distance_m >= 0;
	for (i = 0; any && i < a->npoints; i++) {
		if (a->points[i].distance_m < 0)
			a->points[i].distance_m = last;
		last = a->points[i].distance_m;
	}
}

int
garmin_details_read(const json_t *d, struct garmin_details *out, char *err,
    size_t errlen)
{
	const json_t	*samples = json_object_get(d, "samples");
	int64_t		 prev_time = 0;
	double		 prev_dist = 0, v;
	size_t		 i;

	memset(out, 0, sizeof(*out));
	out->elevation_gain = -1;
	out->act.format = AF_FIT;	/* what the watch recorded */
	snprintf(out->act.sport, sizeof(out->act.sport), "running");
	if (!json_is_object(d))
		return af_fail(err, errlen, "not an object");
	if (garmin_details_summary_id(d, out->summary_id) == NULL)
		return af_fail(err, errlen, "no summary id");
	if (number(json_object_get(d, "summary"), "totalElevationGainInMeters",
	    0, 20000, &v) == 1)
		out->elevation_gain = v;
	if (!json_is_array(samples) || json_array_size(samples) == 0)
		return af_fail(err, errlen, "no samples");
	if (json_array_size(samples) > AF_MAX_POINTS)
		return af_fail(err, errlen, "more than %d samples", AF_MAX_POINTS);
	for (i = 0; i < json_array_size(samples); i++) {
		struct af_point *p = af_add_point(&out->act);

		if (p == NULL || sample(json_array_get(samples, i), i, p,
		    &prev_time, &prev_dist, err, errlen) == -1)
			return p == NULL ? af_fail(err, errlen, "too many "
			    "samples") : -1;
	}
	fill_distances(&out->act);
	/*
	 * The samples' own span and distance, whatever the laps say (a lap
	 * start would otherwise stand for the start: the fuzzer's find of
	 * samples 90 days and 2,600 km apart behind a 40-second lap).
	 */
	if (out->act.points[out->act.npoints - 1].time -
	    out->act.points[0].time > AF_MAX_SPAN_S)
		return af_fail(err, errlen, "the samples span more than a week");
	for (i = 1, v = 0; i < out->act.npoints; i++)
		v += step(&out->act.points[i - 1], &out->act.points[i]);
	if (v > GARMIN_DETAILS_MAX_M)
		return af_fail(err, errlen, "a distance of %.0f km is "
		    "impossible", v / 1000);
	out->act.distance_m = v;
	out->act.has_distance = true;
	if (laps(json_object_get(d, "laps"), &out->act, err, errlen) == -1 ||
	    af_finish(&out->act, err, errlen) == -1)
		return -1;
	return 0;
}

void
garmin_details_free(struct garmin_details *d)
{
	af_free(&d->act);
}
