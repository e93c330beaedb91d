/* activity_route: see activity_route.h. */
#include "core/buf.h"
#include "domain/polyline.h"
#include "domain/units.h"
#include "files/activity_route.h"

const char *
af_route_polyline(arena_t *ar, const struct af_activity *a)
{
	struct geo_point	*pts;
	size_t			 i, n = 0, npos = 0, step;
	buf_t			 b = BUF_INIT;
	const char		*s;

	for (i = 0; i < a->npoints; i++)
		npos += a->points[i].has_pos;
	if (npos < 2)
		return NULL;
	step = npos / AF_ROUTE_POINTS_MAX + 1;
	pts = arena_alloc(ar, (npos / step + 2) * sizeof(*pts));
	for (i = 0, npos = 0; i < a->npoints; i++) {
		if (!a->points[i].has_pos || npos++ % step != 0)
			continue;
		pts[n].lat = a->points[i].lat;
		pts[n++].lon = a->points[i].lon;
	}
	polyline_encode(&b, pts, n);
	s = arena_strdup(ar, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* Room for a's splits of length_m, counted on the points themselves. */
static size_t
split_count(const struct af_activity *a, double length_m)
{
	return af_splits(a, length_m, NULL, SPLITS_MAX);
}

struct run_splits *
af_run_splits(arena_t *ar, const struct af_activity *a)
{
	struct run_splits	*s = arena_alloc(ar, sizeof(*s));
	size_t			 i;

	s->laps = arena_alloc(ar, (a->nlaps + 1) * sizeof(*s->laps));
	for (i = 0; i < a->nlaps; i++) {
		s->laps[i].distance_m = a->laps[i].distance_m;
		s->laps[i].moving_s = (int)(a->laps[i].timer_s > 0 ?
		    a->laps[i].timer_s : a->laps[i].elapsed_s);
		s->laps[i].average_hr = a->laps[i].avg_hr;
	}
	s->nlaps = a->nlaps;
	/* Per km and per mile from the points, as Strava's splits come. */
	s->nmetric = split_count(a, 1000);
	s->metric = arena_alloc(ar, (s->nmetric + 1) * sizeof(*s->metric));
	s->nmetric = af_splits(a, 1000, s->metric, s->nmetric);
	s->nstandard = split_count(a, METRES_PER_MILE);
	s->standard = arena_alloc(ar, (s->nstandard + 1) *
	    sizeof(*s->standard));
	s->nstandard = af_splits(a, METRES_PER_MILE, s->standard, s->nstandard);
	return s;
}
