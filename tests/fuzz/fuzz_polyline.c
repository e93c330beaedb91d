/*
 * libFuzzer driver for domain/polyline and view/route_svg: the input is a
 * summary_polyline as Strava might send it.  A decoded route must lie on
 * the globe, re-encode to a string that decodes to the same points, and
 * draw as an SVG whose route stays inside its viewBox.  Any
 * difference aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/polyline.h"
#include "view/route_svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_round_trip(const struct geo_point *p, size_t n)
{
	struct geo_point	*q;
	buf_t			 b = BUF_INIT;
	size_t			 m, i;

	polyline_encode(&b, p, n);
	if (!polyline_decode(buf_cstr(&b), b.len, &q, &m) || m != n)
		abort();
	for (i = 0; i < n; i++)
		if (fabs(q[i].lat - p[i].lat) > 1e-9 ||
		    fabs(q[i].lon - p[i].lon) > 1e-9)
			abort();
	free(q);
	buf_free(&b);
}

/* Every point of the route's polyline lies within the viewBox. */
static void
check_inside(const char *svg)
{
	const char	*p = strstr(svg, "points=\"");
	char		*end;
	double		 x, y;

	if (p == NULL)
		abort();
	for (p += 8; *p != '"'; p = end + (*end == ' ')) {
		x = strtod(p, &end);
		if (end == p || *end != ',')
			abort();
		y = strtod(end + 1, &end);
		if (x < 0 || x > ROUTE_SVG_W || y < 0 || y > ROUTE_SVG_H)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_point	*p;
	struct route_svg	 r = { 0 };
	buf_t			 b = BUF_INIT;
	size_t			 n, i;

	if (!polyline_decode((const char *)data, size, &p, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (!(fabs(p[i].lat) <= 90) || !(fabs(p[i].lon) <= 180))
			abort();
	check_round_trip(p, n);
	r.points = p;
	r.n = n;
	r.id = "fuzz";
	if (route_svg(&b, &r) != (n > 0))
		abort();
	if (n > 0)
		check_inside(buf_cstr(&b));
	buf_free(&b);
	free(p);
	return 0;
}
