/*
 * tcx: a Training Center (TCX v2) activity into struct af_activity.
 *
 * Read: the one <Activity Sport> (a file with several is refused: upload
 * them one by one), its <Id> (the start time), each <Lap StartTime> with
 * TotalTimeSeconds (timer time), DistanceMeters and the average and
 * maximum heart rate, and each <Trackpoint> with Time, Position,
 * AltitudeMeters, DistanceMeters (cumulative) and HeartRateBpm.  The
 * laps' sums are the totals; a new <Track> marks a pause.  A course file
 * (no <Activities>) is refused: it is a plan, not a run.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "files/activity_file.h"
#include "files/xml_walk.h"

#define ATTR_MAX	64

struct tcx {
	struct af_activity	*a;
	struct af_point		*cur;		/* the open <Trackpoint> */
	bool			 lat_set, lon_set;
	long			 lap;		/* index of the open <Lap>, -1 */
	int			 activities;
	bool			 track_start;
};

static int
bad_value(const char *what, size_t i, const char *text, char *err, size_t errlen)
{
	return af_fail(err, errlen, "TCX: %s %zu: \"%.40s\" is not valid", what, i,
	    text ? text : "(too long)");
}

static int
start_activity(struct tcx *t, const struct xw_node *n, char *err, size_t errlen)
{
	char sport[ATTR_MAX];
	size_t i;

	if (++t->activities > 1)
		return af_fail(err, errlen, "TCX: the file holds several activities: "
		    "upload them one at a time");
	if (xw_attr(n, "Sport", sport, sizeof(sport))) {
		for (i = 0; sport[i] != '\0' && i + 1 < sizeof(t->a->sport); i++)
			t->a->sport[i] = (char)tolower((unsigned char)sport[i]);
		t->a->sport[i] = '\0';
	}
	return 0;
}

static int
start_lap(struct tcx *t, const struct xw_node *n, char *err, size_t errlen)
{
	char st[ATTR_MAX];
	struct af_lap *l = af_add_lap(t->a);

	if (l == NULL)
		return af_fail(err, errlen, "TCX: more than %d laps", AF_MAX_LAPS);
	t->lap = (long)t->a->nlaps - 1;
	if (xw_attr(n, "StartTime", st, sizeof(st)) && !xw_time(st, &l->start))
		return bad_value("lap start time of lap", t->a->nlaps, st, err, errlen);
	return 0;
}

static int
tcx_start(void *ctx, const struct xw_node *n, char *err, size_t errlen)
{
	struct tcx *t = ctx;

	if (n->depth == 1 && strcmp(n->name, "TrainingCenterDatabase") != 0)
		return af_fail(err, errlen, "TCX: the root element is <%s>, not "
		    "<TrainingCenterDatabase>", n->name);
	if (strcmp(n->name, "Activity") == 0 && xw_parent_is(n, "Activities"))
		return start_activity(t, n, err, errlen);
	if (t->activities != 1)
		return 0;
	if (strcmp(n->name, "Lap") == 0 && xw_parent_is(n, "Activity"))
		return start_lap(t, n, err, errlen);
	if (strcmp(n->name, "Track") == 0)
		t->track_start = true;
	else if (strcmp(n->name, "Trackpoint") == 0 && xw_parent_is(n, "Track")) {
		if ((t->cur = af_add_point(t->a)) == NULL)
			return af_fail(err, errlen, "TCX: more than %d points", AF_MAX_POINTS);
		t->cur->seg_start = t->track_start;
		t->track_start = false;
		t->lat_set = t->lon_set = false;
	}
	return 0;
}

static int
point_value(struct tcx *t, const struct xw_node *n, const char *text, char *err,
    size_t errlen)
{
	struct af_point *p = t->cur;
	size_t i = (size_t)(p - t->a->points) + 1;
	double v;

	if (strcmp(n->name, "Time") == 0) {
		if (text == NULL || !xw_time(text, &p->time))
			return bad_value("time of point", i, text, err, errlen);
		if (p->time == 0)
			p->time = -1;	/* the epoch: out of range, not "none" */
		return 0;
	}
	if (strcmp(n->name, "Value") == 0 && xw_parent_is(n, "HeartRateBpm")) {
		if (text == NULL || !xw_number(text, &v) || v != floor(v) || v < 0 ||
		    v > AF_MAX_HR)
			return bad_value("heart rate of point", i, text, err, errlen);
		p->hr = (int)v;
		return 0;
	}
	if (strcmp(n->name, "LatitudeDegrees") != 0 &&
	    strcmp(n->name, "LongitudeDegrees") != 0 &&
	    strcmp(n->name, "AltitudeMeters") != 0 &&
	    !(strcmp(n->name, "DistanceMeters") == 0 && xw_parent_is(n, "Trackpoint")))
		return 0;
	if (text == NULL || !xw_number(text, &v))
		return bad_value(n->name, i, text, err, errlen);
	if (n->name[0] == 'L' && n->name[1] == 'a') {
		p->lat = v;
		t->lat_set = true;
	} else if (n->name[0] == 'L') {
		p->lon = v;
		t->lon_set = true;
	} else if (n->name[0] == 'A') {
		p->ele = v;
		p->has_ele = true;
	} else if (v < 0)
		return bad_value("distance of point", i, text, err, errlen);
	else
		p->distance_m = v;
	return 0;
}

static int
end_point(struct tcx *t, char *err, size_t errlen)
{
	if (t->lat_set != t->lon_set)
		return af_fail(err, errlen, "TCX: point %zu has a latitude or a "
		    "longitude but not both", t->a->npoints);
	t->cur->has_pos = t->lat_set;
	t->cur = NULL;
	return 0;
}

static int
lap_value(struct tcx *t, const struct xw_node *n, const char *text, char *err,
    size_t errlen)
{
	struct af_lap *l = &t->a->laps[t->lap];
	double v;
	bool total = strcmp(n->name, "TotalTimeSeconds") == 0 ||
	    strcmp(n->name, "DistanceMeters") == 0;
	bool hr = strcmp(n->name, "Value") == 0 &&
	    (xw_parent_is(n, "AverageHeartRateBpm") || xw_parent_is(n, "MaximumHeartRateBpm"));

	if ((!total || !xw_parent_is(n, "Lap")) && !hr)
		return 0;
	if (text == NULL || !xw_number(text, &v) || v < 0)
		return bad_value(n->name, (size_t)t->lap + 1, text, err, errlen);
	if (n->name[0] == 'T')
		l->timer_s = l->elapsed_s = v;
	else if (n->name[0] == 'D')
		l->distance_m = v;
	else if (v > AF_MAX_HR || v != floor(v))
		return bad_value("heart rate of lap", (size_t)t->lap + 1, text, err, errlen);
	else if (xw_parent_is(n, "AverageHeartRateBpm"))
		l->avg_hr = (int)v;
	else
		l->max_hr = (int)v;
	return 0;
}

static int
tcx_end(void *ctx, const struct xw_node *n, const char *text, char *err,
    size_t errlen)
{
	struct tcx *t = ctx;

	if (t->activities != 1)
		return 0;
	if (t->cur != NULL)
		return strcmp(n->name, "Trackpoint") == 0 ? end_point(t, err, errlen) :
		    point_value(t, n, text, err, errlen);
	if (strcmp(n->name, "Lap") == 0)
		t->lap = -1;
	else if (t->lap >= 0)
		return lap_value(t, n, text, err, errlen);
	else if (strcmp(n->name, "Id") == 0 && xw_parent_is(n, "Activity") &&
	    (text == NULL || !xw_time(text, &t->a->start_time)))
		return bad_value("activity", 1, text, err, errlen);
	return 0;
}

/* Laps state heart rates; the activity's are their weighted mean and max. */
static void
lap_heart_rates(struct af_activity *a)
{
	double sum = 0, w = 0;
	size_t i;

	for (i = 0; i < a->nlaps; i++) {
		if (a->laps[i].avg_hr > 0) {
			sum += a->laps[i].avg_hr * a->laps[i].timer_s;
			w += a->laps[i].timer_s;
		}
		if (a->laps[i].max_hr > a->max_hr)
			a->max_hr = a->laps[i].max_hr;
	}
	if (w > 0)
		a->avg_hr = (int)lround(sum / w);
}

int
af_parse_tcx(const void *data, size_t len, struct af_activity *out, char *err,
    size_t errlen)
{
	struct tcx t = { out, NULL, false, false, -1, 0, false };
	struct xw_handler h = { &t, tcx_start, tcx_end };

	memset(out, 0, sizeof(*out));
	out->format = AF_TCX;
	if (xw_walk("TCX", data, len, &h, err, errlen) != 0)
		goto bad;
	if (t.activities == 0) {
		af_fail(err, errlen, "TCX: no activity (a course is not a recorded run)");
		goto bad;
	}
	if (out->nlaps == 0 && out->npoints == 0) {
		af_fail(err, errlen, "TCX: the activity has no lap and no point");
		goto bad;
	}
	lap_heart_rates(out);
	if (af_finish(out, err, errlen) != 0)
		goto bad;
	return 0;
bad:
	af_free(out);
	return -1;
}
