/*
 * activity_file: format sniffing, the shared checks and the totals a file
 * did not state.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "files/activity_file.h"

#define EARTH_RADIUS_M	6371008.8
#define SNIFF_BYTES	4096	/* the XML root is within the first 4 KiB */
#define DEG2RAD		(M_PI / 180.0)

static const char *const format_names[AF_FORMAT__MAX] = { "FIT", "GPX", "TCX" };

const char *
af_format_name(enum af_format f)
{
	return (unsigned)f < AF_FORMAT__MAX ? format_names[f] : "?";
}

int
af_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void
af_format_time(char *buf, size_t n, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, n, "%lld", (long long)t);
	else
		strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
af_free(struct af_activity *a)
{
	free(a->laps);
	free(a->points);
	memset(a, 0, sizeof(*a));
}

struct af_point *
af_add_point(struct af_activity *a)
{
	struct af_point *p;

	if (a->npoints >= AF_MAX_POINTS)
		return NULL;
	/* Grow by doubling; the cap keeps this under 6 MB. */
	if ((a->npoints & (a->npoints - 1)) == 0)
		a->points = xrealloc(a->points, (a->npoints ? a->npoints * 2 : 64) *
		    sizeof(*a->points));
	p = &a->points[a->npoints++];
	memset(p, 0, sizeof(*p));
	p->distance_m = -1;
	return p;
}

struct af_lap *
af_add_lap(struct af_activity *a)
{
	struct af_lap *l;

	if (a->nlaps >= AF_MAX_LAPS)
		return NULL;
	if ((a->nlaps & (a->nlaps - 1)) == 0)
		a->laps = xrealloc(a->laps, (a->nlaps ? a->nlaps * 2 : 16) *
		    sizeof(*a->laps));
	l = &a->laps[a->nlaps++];
	memset(l, 0, sizeof(*l));
	return l;
}

double
af_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG2RAD, dlon = (lon2 - lon1) * DEG2RAD;
	double h = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * DEG2RAD) *
	    cos(lat2 * DEG2RAD) * sin(dlon / 2) * sin(dlon / 2);

	if (h > 1)
		h = 1;
	return 2 * EARTH_RADIUS_M * asin(sqrt(h));
}

static bool
time_ok(int64_t t)
{
	return t >= AF_MIN_TIME && t < AF_MAX_TIME;
}

static int
bad_time(char *err, size_t errlen, const char *what, int64_t t)
{
	char ts[40];

	if (t > -100000000000LL && t < 300000000000LL)
		af_format_time(ts, sizeof(ts), t);
	else
		snprintf(ts, sizeof(ts), "%lld s", (long long)t);
	return af_fail(err, errlen, "%s: time %s is out of range (1990 to 2099)",
	    what, ts);
}

/* Each point's time, position and heart rate make sense. */
static int
check_points(const struct af_activity *a, char *err, size_t errlen)
{
	char what[48];
	size_t i;

	for (i = 0; i < a->npoints; i++) {
		const struct af_point *p = &a->points[i];

		snprintf(what, sizeof(what), "point %zu", i + 1);
		if (p->time != 0 && !time_ok(p->time))
			return bad_time(err, errlen, what, p->time);
		if (p->has_pos && (!isfinite(p->lat) || !isfinite(p->lon) ||
		    fabs(p->lat) > 90 || fabs(p->lon) > 180))
			return af_fail(err, errlen, "%s: position %g, %g is not on Earth",
			    what, p->lat, p->lon);
		if (p->hr < 0 || p->hr > AF_MAX_HR)
			return af_fail(err, errlen, "%s: heart rate %d is impossible",
			    what, p->hr);
		if (p->has_ele && (!isfinite(p->ele) || fabs(p->ele) > 20000))
			return af_fail(err, errlen, "%s: elevation %g m is impossible",
			    what, p->ele);
	}
	return 0;
}

static int
check_laps(const struct af_activity *a, char *err, size_t errlen)
{
	char what[48];
	size_t i;

	for (i = 0; i < a->nlaps; i++) {
		const struct af_lap *l = &a->laps[i];

		snprintf(what, sizeof(what), "lap %zu", i + 1);
		if (l->start != 0 && !time_ok(l->start))
			return bad_time(err, errlen, what, l->start);
		if (!isfinite(l->distance_m) || l->distance_m < 0 ||
		    !isfinite(l->elapsed_s) || l->elapsed_s < 0 ||
		    l->elapsed_s > AF_MAX_SPAN_S || !isfinite(l->timer_s) ||
		    l->timer_s < 0 || l->timer_s > AF_MAX_SPAN_S)
			return af_fail(err, errlen, "%s: negative or impossible totals", what);
		if (l->avg_hr < 0 || l->avg_hr > AF_MAX_HR || l->max_hr < 0 ||
		    l->max_hr > AF_MAX_HR)
			return af_fail(err, errlen, "%s: heart rate %d bpm is "
			    "impossible", what, l->max_hr > AF_MAX_HR ||
			    l->max_hr < 0 ? l->max_hr : l->avg_hr);
	}
	/* A file's own totals (FIT's session) are checked like its laps. */
	if (a->avg_hr < 0 || a->avg_hr > AF_MAX_HR || a->max_hr < 0 ||
	    a->max_hr > AF_MAX_HR)
		return af_fail(err, errlen, "heart rate %d bpm is impossible",
		    a->max_hr > AF_MAX_HR || a->max_hr < 0 ? a->max_hr : a->avg_hr);
	return 0;
}

static int64_t
first_time(const struct af_activity *a)
{
	size_t i;

	for (i = 0; i < a->nlaps; i++)
		if (a->laps[i].start != 0)
			return a->laps[i].start;
	for (i = 0; i < a->npoints; i++)
		if (a->points[i].time != 0)
			return a->points[i].time;
	return 0;
}

static int64_t
last_time(const struct af_activity *a)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < a->npoints; i++)
		if (a->points[i].time > t)
			t = a->points[i].time;
	return t;
}

/* Metres between two consecutive points; < 0 when unknown. */
static double
step_m(const struct af_point *p, const struct af_point *q)
{
	if (p->distance_m >= 0 && q->distance_m >= 0)
		return q->distance_m - p->distance_m;
	if (p->has_pos && q->has_pos)
		return af_distance_m(p->lat, p->lon, q->lat, q->lon);
	return -1;
}

static double
points_distance(const struct af_activity *a)
{
	double d = 0, maxcum = -1;
	size_t i;

	for (i = 0; i < a->npoints; i++)
		if (a->points[i].distance_m > maxcum)
			maxcum = a->points[i].distance_m;
	if (maxcum >= 0)
		return maxcum;
	/* A new segment starts after a pause: the gap is not run. */
	for (i = 1; i < a->npoints; i++) {
		const struct af_point *p = &a->points[i - 1], *q = &a->points[i];

		if (!q->seg_start && p->has_pos && q->has_pos)
			d += af_distance_m(p->lat, p->lon, q->lat, q->lon);
	}
	return d;
}

/* Time between points that are close in time and far enough apart. */
static double
points_moving(const struct af_activity *a)
{
	double t = 0;
	size_t i;

	for (i = 1; i < a->npoints; i++) {
		const struct af_point *p = &a->points[i - 1], *q = &a->points[i];
		int64_t dt = q->time - p->time;
		double m;

		if (p->time == 0 || q->time == 0 || dt <= 0 ||
		    dt > AF_PAUSE_GAP_S || q->seg_start)
			continue;
		m = step_m(p, q);
		if (m < 0 || m / (double)dt >= AF_MOVING_MIN_MPS)
			t += (double)dt;
	}
	return t;
}

static void
heart_rates(struct af_activity *a)
{
	double sum = 0;
	size_t i, n = 0;

	if (a->avg_hr > 0)
		return;
	for (i = 0; i < a->npoints; i++)
		if (a->points[i].hr > 0) {
			sum += a->points[i].hr;
			n++;
			if (a->points[i].hr > a->max_hr)
				a->max_hr = a->points[i].hr;
		}
	if (n > 0)
		a->avg_hr = (int)lround(sum / (double)n);
}

/* The sum over the laps of one of their double fields, named by offset. */
static double
laps_sum(const struct af_activity *a, size_t off)
{
	double s = 0;
	size_t i;

	for (i = 0; i < a->nlaps; i++)
		s += *(const double *)(const void *)((const char *)&a->laps[i] + off);
	return s;
}

int
af_finish(struct af_activity *a, char *err, size_t errlen)
{
	int64_t last;

	if (check_points(a, err, errlen) != 0 || check_laps(a, err, errlen) != 0)
		return -1;
	if (a->start_time == 0)
		a->start_time = first_time(a);
	if (a->start_time == 0)
		return af_fail(err, errlen, "no time anywhere in the file: cannot "
		    "tell when the run was");
	if (!time_ok(a->start_time))
		return bad_time(err, errlen, "start", a->start_time);
	last = last_time(a);
	if (last - a->start_time > AF_MAX_SPAN_S)
		return af_fail(err, errlen, "the points span %lld hours: an activity "
		    "lasts less than a week", (long long)(last - a->start_time) / 3600);
	if (!a->has_distance)
		a->distance_m = a->nlaps > 0 && laps_sum(a, offsetof(struct af_lap,
		    distance_m)) > 0 ? laps_sum(a, offsetof(struct af_lap,
		    distance_m)) : points_distance(a);
	if (!a->has_elapsed)
		a->elapsed_s = last > a->start_time ? (double)(last - a->start_time) :
		    laps_sum(a, offsetof(struct af_lap, elapsed_s));
	if (!a->has_moving)
		a->moving_s = a->nlaps > 0 && laps_sum(a, offsetof(struct af_lap,
		    timer_s)) > 0 ? laps_sum(a, offsetof(struct af_lap, timer_s)) :
		    a->npoints > 1 ? points_moving(a) : a->elapsed_s;
	heart_rates(a);
	if (!isfinite(a->distance_m) || a->distance_m < 0 ||
	    a->distance_m > AF_MAX_DISTANCE_M ||
	    !isfinite(a->elapsed_s) || a->elapsed_s < 0 || a->elapsed_s > AF_MAX_SPAN_S ||
	    !isfinite(a->moving_s) || a->moving_s < 0 || a->moving_s > AF_MAX_SPAN_S)
		return af_fail(err, errlen, "the totals are impossible (distance %g m, "
		    "time %g s)", a->distance_m, a->elapsed_s);
	return 0;
}

/* The XML root element's name, if one of ours appears early. */
static int
sniff_xml(const char *s, size_t len)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	const char *gpx = memmem(s, n, "<gpx", 4);
	const char *tcx = memmem(s, n, "<TrainingCenterDatabase", 23);

	if (gpx != NULL && (tcx == NULL || gpx < tcx))
		return AF_GPX;
	if (tcx != NULL)
		return AF_TCX;
	return -1;
}

int
af_sniff(const void *data, size_t len)
{
	const unsigned char *b = data;

	if (len >= 12 && memcmp(b + 8, ".FIT", 4) == 0)
		return AF_FIT;
	return sniff_xml(data, len);
}

int
af_parse(const void *data, size_t len, struct af_activity *out, char *err,
    size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len > AF_MAX_BYTES)
		return af_fail(err, errlen, "the file is %zu bytes: at most %d are "
		    "accepted", len, AF_MAX_BYTES);
	switch (af_sniff(data, len)) {
	case AF_FIT:
		return af_parse_fit(data, len, out, err, errlen);
	case AF_GPX:
		return af_parse_gpx(data, len, out, err, errlen);
	case AF_TCX:
		return af_parse_tcx(data, len, out, err, errlen);
	default:
		return af_fail(err, errlen, "not a FIT, GPX or TCX file");
	}
}

double
af_climb_m(const struct af_activity *a)
{
	double	 ref = 0, gain = 0;
	size_t	 i, n = 0;

	for (i = 0; i < a->npoints; i++) {
		double e = a->points[i].ele;

		if (!a->points[i].has_ele)
			continue;
		if (n++ == 0 || e < ref - AF_CLIMB_STEP_M)
			ref = e;	/* going down: climbs count from here */
		else if (e > ref + AF_CLIMB_STEP_M) {
			gain += e - ref;
			ref = e;
		}
	}
	return n < 2 || gain > AF_MAX_CLIMB_M ? -1 : gain;
}

/* A split being filled: what af_splits() adds up between boundaries. */
struct split_acc {
	double	 dist, moving, hr_time, hr_sum, ele_start, ele_end;
	int	 hr_max;
	bool	 has_start_ele, has_end_ele;
};

static void
acc_add(struct split_acc *c, double dist, double moving, int hr)
{
	c->dist += dist;
	c->moving += moving;
	if (hr > 0) {
		c->hr_time += moving;
		c->hr_sum += moving * hr;
		if (hr > c->hr_max)
			c->hr_max = hr;
	}
}

static void
acc_emit(struct split_acc *c, struct split_input *out)
{
	memset(out, 0, sizeof(*out));
	out->distance_m = c->dist;
	out->moving_s = (int)lround(c->moving);
	/* fmin: the sum of tiny shares can round past the highest. */
	if (c->hr_time >= SPLITS_HR_COVER * c->moving && c->hr_time > 0)
		out->average_hr = fmin(c->hr_sum / c->hr_time, c->hr_max);
	out->has_elevation = c->has_start_ele && c->has_end_ele;
	if (out->has_elevation)
		out->elevation_m = c->ele_end - c->ele_start;
	c->dist = c->moving = c->hr_time = c->hr_sum = 0;
	c->hr_max = 0;
	c->ele_start = c->ele_end;
	c->has_start_ele = c->has_end_ele;
}

size_t
af_splits(const struct af_activity *a, double length_m,
    struct split_input *out, size_t max)
{
	struct split_acc	 c;
	double			 cum = 0, next = length_m;
	size_t			 i, n = 0;

	memset(&c, 0, sizeof(c));
	if (length_m <= 0 || max == 0)
		return 0;
	for (i = 1; i < a->npoints; i++) {
		const struct af_point *p = &a->points[i - 1], *q = &a->points[i];
		int64_t	 dt = q->time - p->time;
		double	 d = q->seg_start ? 0 : step_m(p, q), mv = 0, f;

		if (i == 1) {
			c.has_start_ele = c.has_end_ele = p->has_ele;
			c.ele_start = c.ele_end = p->ele;
		}
		if (d < 0 || !isfinite(d))
			d = 0;
		if (p->time > 0 && q->time > 0 && dt > 0 && dt <= AF_PAUSE_GAP_S &&
		    !q->seg_start && d / (double)dt >= AF_MOVING_MIN_MPS)
			mv = (double)dt;
		/* Each boundary inside this step closes a split there. */
		while (d > 0 && cum + d >= next) {
			f = (next - cum) / d;
			acc_add(&c, next - cum, mv * f, q->hr);
			c.has_end_ele = p->has_ele && q->has_ele;
			c.ele_end = p->ele + (q->ele - p->ele) * f;
			if (out != NULL && n < max)
				acc_emit(&c, &out[n]);
			else
				memset(&c, 0, sizeof(c));
			if (++n > max)
				return max;	/* no room for the rest */
			d -= next - cum;
			mv -= mv * f;
			cum = next;
			next += length_m;
		}
		acc_add(&c, d, mv, q->hr);
		cum += d;
		c.has_end_ele = q->has_ele;
		c.ele_end = q->ele;
	}
	if (c.dist >= SPLITS_MIN_LAST_M) {
		if (n >= max)
			return max;
		if (out != NULL)
			acc_emit(&c, &out[n]);
		n++;
	} else if (c.dist > 0 && n > 0 && out != NULL) {
		/* A sliver left: it joins the last split. */
		out[n - 1].distance_m += c.dist;
		out[n - 1].moving_s += (int)lround(c.moving);
	}
	return n;
}
