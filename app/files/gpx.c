/*
 * gpx: a recorded track (GPX 1.0 or 1.1) into struct af_activity.
 *
 * Read: every <trk>/<trkseg>/<trkpt lat lon> with its <ele>, <time> and
 * a heart rate from the extensions (Garmin's TrackPointExtension <hr>,
 * or <heartrate>), and <trk><type> as the sport.  Routes and waypoints
 * are plans, not runs, and are ignored.  GPX states no totals: distance,
 * elapsed and moving time are measured from the points (af_finish), a
 * new segment marking a pause.  Names are matched without namespace, so
 * GPX 1.0, 1.1 and extension prefixes all work.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "files/activity_file.h"
#include "files/xml_walk.h"

#define COORD_MAX	48	/* an attribute longer than this is not a number */

struct gpx {
	struct af_activity	*a;
	struct af_point		*cur;	/* the open <trkpt>, or NULL */
	bool			 seg_start;
	bool			 root_seen;
};

static int
start_point(struct gpx *g, const struct xw_node *n, char *err, size_t errlen)
{
	char lat[COORD_MAX], lon[COORD_MAX];
	struct af_point *p = af_add_point(g->a);

	if (p == NULL)
		return af_fail(err, errlen, "GPX: more than %d points", AF_MAX_POINTS);
	if (!xw_attr(n, "lat", lat, sizeof(lat)) || !xw_attr(n, "lon", lon, sizeof(lon)))
		return af_fail(err, errlen, "GPX: point %zu has no lat or lon",
		    g->a->npoints);
	if (!xw_number(lat, &p->lat) || !xw_number(lon, &p->lon))
		return af_fail(err, errlen, "GPX: point %zu: lat \"%s\" or lon \"%s\" "
		    "is not a number", g->a->npoints, lat, lon);
	p->has_pos = true;
	p->seg_start = g->seg_start;
	g->seg_start = false;
	g->cur = p;
	return 0;
}

static int
gpx_start(void *ctx, const struct xw_node *n, char *err, size_t errlen)
{
	struct gpx *g = ctx;

	if (n->depth == 1) {
		if (strcmp(n->name, "gpx") != 0)
			return af_fail(err, errlen, "GPX: the root element is <%s>, "
			    "not <gpx>", n->name);
		g->root_seen = true;
		return 0;
	}
	if (strcmp(n->name, "trkseg") == 0)
		g->seg_start = true;
	else if (strcmp(n->name, "trkpt") == 0 && xw_parent_is(n, "trkseg"))
		return start_point(g, n, err, errlen);
	return 0;
}

static int
point_value(struct gpx *g, const struct xw_node *n, const char *text, char *err,
    size_t errlen)
{
	struct af_point *p = g->cur;
	size_t i = (size_t)(p - g->a->points) + 1;
	double v;

	if (strcmp(n->name, "time") == 0 && xw_parent_is(n, "trkpt")) {
		if (text == NULL || !xw_time(text, &p->time))
			return af_fail(err, errlen, "GPX: point %zu: time \"%.40s\" is not "
			    "an ISO 8601 time", i, text ? text : "(too long)");
		if (p->time == 0)
			p->time = -1;	/* the epoch itself: out of range, not "none" */
	} else if (strcmp(n->name, "ele") == 0 && xw_parent_is(n, "trkpt")) {
		if (text == NULL || !xw_number(text, &p->ele))
			return af_fail(err, errlen, "GPX: point %zu: elevation is not a "
			    "number", i);
		p->has_ele = true;
	} else if (strcmp(n->name, "hr") == 0 || strcmp(n->name, "heartrate") == 0) {
		if (text == NULL || !xw_number(text, &v) || v != floor(v) ||
		    v < 0 || v > AF_MAX_HR)
			return af_fail(err, errlen, "GPX: point %zu: heart rate \"%.40s\" "
			    "is impossible", i, text ? text : "(too long)");
		p->hr = (int)v;
	}
	return 0;
}

static void
set_sport(struct af_activity *a, const char *text)
{
	size_t i;

	if (text == NULL || a->sport[0] != '\0')
		return;
	for (i = 0; text[i] != '\0' && i + 1 < sizeof(a->sport); i++)
		a->sport[i] = (char)tolower((unsigned char)text[i]);
	a->sport[i] = '\0';
}

static int
gpx_end(void *ctx, const struct xw_node *n, const char *text, char *err,
    size_t errlen)
{
	struct gpx *g = ctx;

	if (strcmp(n->name, "trkpt") == 0 && g->cur != NULL) {
		g->cur = NULL;
		return 0;
	}
	if (g->cur != NULL)
		return point_value(g, n, text, err, errlen);
	if (strcmp(n->name, "type") == 0 && xw_parent_is(n, "trk"))
		set_sport(g->a, text);
	return 0;
}

int
af_parse_gpx(const void *data, size_t len, struct af_activity *out, char *err,
    size_t errlen)
{
	struct gpx g = { out, NULL, false, false };
	struct xw_handler h = { &g, gpx_start, gpx_end };

	memset(out, 0, sizeof(*out));
	out->format = AF_GPX;
	if (xw_walk("GPX", data, len, &h, err, errlen) != 0)
		goto bad;
	if (out->npoints == 0) {
		af_fail(err, errlen, "GPX: no track points (routes and waypoints "
		    "are not a recorded run)");
		goto bad;
	}
	if (af_finish(out, err, errlen) != 0)
		goto bad;
	return 0;
bad:
	af_free(out);
	return -1;
}
