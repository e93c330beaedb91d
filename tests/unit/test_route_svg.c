/*
 * The route drawing: inside its box, north up, proportions kept, start
 * and finish marked, texts escaped; a single point and a route across
 * the antimeridian.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg_check.h"
#include "view/route_svg.h"

struct bbox {
	double	 w, h;
	double	 minx, maxx, miny, maxy;
	int	 outside;
};

static void
extent(bool is_x, double v, void *arg)
{
	struct bbox *b = arg;

	if (v < 0 || v > (is_x ? b->w : b->h))
		b->outside++;
}

/* Bounding box of the route's polyline points only. */
static void
route_bbox(const char *svg, struct bbox *b)
{
	const char	*p = strstr(strstr(svg, "class=\"route\""), "points=\"");
	char		*end;
	double		 x, y;

	b->minx = b->miny = DBL_MAX;
	b->maxx = b->maxy = -DBL_MAX;
	for (p += 8; *p != '"'; p = end + (*end == ' ')) {
		x = strtod(p, &end);
		y = strtod(end + 1, &end);
		b->minx = fmin(b->minx, x);
		b->maxx = fmax(b->maxx, x);
		b->miny = fmin(b->miny, y);
		b->maxy = fmax(b->maxy, y);
	}
}

static char *
draw(const struct geo_point *p, size_t n, const char *title, enum unit u)
{
	struct route_svg	 r = { p, n, 0, 0, u, "route", title };
	buf_t			 b = BUF_INIT;
	char			 err[128];

	cr_assert(route_svg(&b, &r));
	cr_assert(svg_wellformed(buf_cstr(&b), err, sizeof(err)), "%s", err);
	return b.data;
}

Test(route_svg, google_example_fits_its_box)
{
	struct geo_point	*p;
	size_t			 n;
	struct bbox		 b = { 0 };
	char			*svg;
	const char		*s = "_p~iF~ps|U_ulLnnqC_mqNvxq`@";

	cr_assert(polyline_decode(s, strlen(s), &p, &n));
	svg = draw(p, n, "Route", UNIT_KM);
	svg_viewbox(svg, &b.w, &b.h);
	cr_assert_eq(b.w, ROUTE_SVG_W);
	svg_coords(svg, extent, &b);
	cr_assert_eq(b.outside, 0);
	route_bbox(svg, &b);
	/* It fills the box one way, within the padding. */
	cr_assert(fabs(b.maxy - b.miny - (ROUTE_SVG_H - 2 * ROUTE_SVG_PAD)) <
	    0.2 || fabs(b.maxx - b.minx - (ROUTE_SVG_W - 2 * ROUTE_SVG_PAD)) <
	    0.2);
	/* Northwards: the last point is above the first. */
	cr_assert_lt(b.miny, b.maxy);
	cr_assert_not_null(strstr(svg, "class=\"start\""));
	cr_assert_not_null(strstr(svg, "class=\"finish\""));
	cr_assert_not_null(strstr(svg, "role=\"img\""));
	free(svg);
	free(p);
}

Test(route_svg, north_up_and_proportions_kept)
{
	/* A route 2 km east then 1 km north, at 60 degrees north. */
	double			 dlat = 1000 / (ROUTE_EARTH_RADIUS_M * M_PI / 180);
	double			 dlon = 2 * dlat / cos(60 * M_PI / 180);
	struct geo_point	 p[3] = { { 60, 10 }, { 60, 10 + dlon },
	    { 60 + dlat, 10 + dlon } };
	struct bbox		 b = { 0 };
	double			 x0, y0, x2, y2, w, h;
	char			*svg, *q;

	svg = draw(p, 3, "Route", UNIT_KM);
	route_bbox(svg, &b);
	/* 2:1; starts bottom left, ends top right: east right, north up. */
	cr_assert_float_eq((b.maxx - b.minx) / (b.maxy - b.miny), 2.0, 0.02);
	q = strstr(svg, "points=\"") + 8;
	x0 = strtod(q, &q);
	y0 = strtod(q + 1, &q);
	q = strchr(q + 1, ' ');
	x2 = strtod(q + 1, &q);
	y2 = strtod(q + 1, &q);
	cr_assert_float_eq(x0, b.minx, 1e-9);
	cr_assert_float_eq(y0, b.maxy, 1e-9);
	cr_assert_float_eq(x2, b.maxx, 1e-9);
	cr_assert_float_eq(y2, b.miny, 1e-9);
	route_extent(p, 3, &w, &h);
	cr_assert_float_eq(w, 2000, 20);
	cr_assert_float_eq(h, 1000, 1);
	cr_assert_not_null(strstr(svg, "2.0 km east to west and 1.0 km north"));
	/* The scale bar: a round distance. */
	cr_assert_not_null(strstr(svg, ">500 m<"));
	free(svg);
	svg = draw(p, 3, "Route", UNIT_MI);
	cr_assert_not_null(strstr(svg, " mi<"));
	free(svg);
}

Test(route_svg, one_point_and_antimeridian)
{
	struct geo_point	 one = { 45, 7 };
	struct geo_point	 dateline[3] = { { -16.5, 179.99 },
	    { -16.5, -179.99 }, { -16.49, -179.98 } };
	struct bbox		 b = { 0 };
	double			 w, h;
	char			*svg;

	svg = draw(&one, 1, "Route", UNIT_KM);
	cr_assert_null(strstr(svg, "class=\"scale\""));
	free(svg);
	svg = draw(dateline, 3, "Route", UNIT_KM);
	svg_viewbox(svg, &b.w, &b.h);
	svg_coords(svg, extent, &b);
	cr_assert_eq(b.outside, 0);
	/* 0.03 degrees of longitude across, not the whole globe. */
	route_extent(dateline, 3, &w, &h);
	cr_assert_float_eq(w, 0.03 * M_PI / 180 * ROUTE_EARTH_RADIUS_M *
	    cos(16.495 * M_PI / 180), 1);
	cr_assert_not_null(strstr(svg, "It spans 3.2 km east to west"));
	free(svg);
}

Test(route_svg, nothing_to_draw_and_escaping)
{
	struct route_svg	 r = { NULL, 0, 0, 0, UNIT_KM, "r", NULL };
	struct geo_point	 p[2] = { { 1, 1 }, { 1.01, 1.01 } };
	buf_t			 b = BUF_INIT;
	char			*svg;

	cr_assert_not(route_svg(&b, &r));
	cr_assert_eq(b.len, 0);
	svg = draw(p, 2, "Route of <b>Tom & Jerry's</b> run", UNIT_KM);
	cr_assert_not_null(strstr(svg, "Route of &lt;b&gt;Tom &amp; "
	    "Jerry&#39;s&lt;/b&gt; run"));
	free(svg);
}
