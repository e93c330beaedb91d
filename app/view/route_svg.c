/*
 * route_svg: projection, scaling and drawing of a route.
 */
#include <math.h>
#include <stdio.h>

#include "view/route_svg.h"
#include "view/svg.h"

#define DEG	(M_PI / 180.0)

/* The route in metres east and north of its first point. */
struct frame {
	double		 lat0, coslat;
	double		 minx, maxx, miny, maxy;
	double		 scale, offx, offy;	/* metres -> units */
	int		 w, h;
};

/* Longitude of p relative to ref, unwrapped across the antimeridian. */
static double
dlon(double lon, double ref)
{
	double d = lon - ref;

	while (d > 180)
		d -= 360;
	while (d < -180)
		d += 360;
	return d;
}

static void
metres(const struct frame *f, const struct geo_point *p0,
    const struct geo_point *p, double *x, double *y)
{
	*x = ROUTE_EARTH_RADIUS_M * f->coslat * dlon(p->lon, p0->lon) * DEG;
	*y = ROUTE_EARTH_RADIUS_M * (p->lat - p0->lat) * DEG;
}

static void
bounds(struct frame *f, const struct geo_point *p, size_t n)
{
	double	 lo = p[0].lat, hi = p[0].lat, x, y;
	size_t	 i;

	for (i = 1; i < n; i++) {
		lo = fmin(lo, p[i].lat);
		hi = fmax(hi, p[i].lat);
	}
	f->lat0 = (lo + hi) / 2;
	f->coslat = cos(f->lat0 * DEG);
	f->minx = f->maxx = f->miny = f->maxy = 0;
	for (i = 1; i < n; i++) {
		metres(f, &p[0], &p[i], &x, &y);
		f->minx = fmin(f->minx, x);
		f->maxx = fmax(f->maxx, x);
		f->miny = fmin(f->miny, y);
		f->maxy = fmax(f->maxy, y);
	}
}

void
route_extent(const struct geo_point *p, size_t n, double *width_m,
    double *height_m)
{
	struct frame f;

	*width_m = *height_m = 0;
	if (n == 0)
		return;
	bounds(&f, p, n);
	*width_m = f.maxx - f.minx;
	*height_m = f.maxy - f.miny;
}

/* Fits the bounds into the box minus its padding, centred. */
static void
fit(struct frame *f)
{
	double	 bw = f->w - 2.0 * ROUTE_SVG_PAD, bh = f->h - 2.0 * ROUTE_SVG_PAD;
	double	 dx = f->maxx - f->minx, dy = f->maxy - f->miny;

	if (dx < 1 && dy < 1)
		f->scale = 1;	/* a point: drawn in the middle */
	else
		f->scale = fmin(dx > 0 ? bw / dx : INFINITY,
		    dy > 0 ? bh / dy : INFINITY);
	f->offx = (f->w - dx * f->scale) / 2 - f->minx * f->scale;
	/* y grows downwards in SVG: north is up. */
	f->offy = (f->h + dy * f->scale) / 2 + f->miny * f->scale;
}

static void
project(const struct frame *f, const struct geo_point *p0,
    const struct geo_point *p, double *x, double *y)
{
	metres(f, p0, p, x, y);
	*x = f->offx + *x * f->scale;
	*y = f->offy - *y * f->scale;
}

static void
path(buf_t *b, const struct frame *f, const struct geo_point *p, size_t n)
{
	double	 x, y, lx = 0, ly = 0;
	size_t	 i;

	buf_puts(b, "<polyline class=\"route\" fill=\"none\" stroke=\"#1d4ed8\""
	    " stroke-width=\"3\" stroke-linejoin=\"round\" "
	    "stroke-linecap=\"round\" points=\"");
	for (i = 0; i < n; i++) {
		project(f, &p[0], &p[i], &x, &y);
		/* Points closer than half a unit add bytes, not detail. */
		if (i > 0 && i + 1 < n && fabs(x - lx) < 0.5 &&
		    fabs(y - ly) < 0.5)
			continue;
		if (i > 0)
			buf_putc(b, ' ');
		svg_point(b, x, y);
		lx = x;
		ly = y;
	}
	buf_puts(b, "\"/>");
}

static void
ends(buf_t *b, const struct frame *f, const struct geo_point *p, size_t n)
{
	double x, y;

	project(f, &p[0], &p[n - 1], &x, &y);
	buf_printf(b, "<circle class=\"finish\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\""
	    " fill=\"#111827\" stroke=\"#fff\" stroke-width=\"2\">"
	    "<title>Finish</title></circle>", x, y);
	project(f, &p[0], &p[0], &x, &y);
	buf_printf(b, "<circle class=\"start\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\""
	    " fill=\"#15803d\" stroke=\"#fff\" stroke-width=\"2\">"
	    "<title>Start</title></circle>", x, y);
}

/* A bar of a round distance about a quarter of the box wide. */
static void
scale_bar(buf_t *b, const struct frame *f, enum unit u)
{
	double	 per = u == UNIT_MI ? METRES_PER_MILE : 1000.0;
	double	 want = f->w / 4.0 / f->scale / per, len, x0, y;
	char	 label[32];

	if (f->maxx - f->minx < 1 && f->maxy - f->miny < 1)
		return;
	len = svg_nice_step(want, 1);
	if (len > want * 1.6)
		len = svg_nice_step(want / 2, 1);
	if (u == UNIT_KM && len < 1)
		snprintf(label, sizeof(label), "%.0f m", len * per);
	else
		snprintf(label, sizeof(label), "%g %s", len, unit_key(u));
	x0 = 6;
	y = f->h - 6;
	buf_printf(b, "<g class=\"scale\" fill=\"#4b5563\" font-size=\"12\">"
	    "<path d=\"M%.1f %.1fv4h%.1fv-4\" fill=\"none\" stroke=\"#4b5563\""
	    " stroke-width=\"1.5\"/>", x0, y - 4, len * per * f->scale);
	svg_label(b, x0 + len * per * f->scale + 4, y, "start", NULL, label);
	buf_puts(b, "</g>");
}

static void
describe(buf_t *d, const struct frame *f, enum unit u)
{
	double	 per = u == UNIT_MI ? METRES_PER_MILE : 1000.0;

	buf_printf(d, "Map of the route, north up, without streets: the start "
	    "is the green dot, the finish the black one. It spans %.1f %s "
	    "east to west and %.1f %s north to south.",
	    (f->maxx - f->minx) / per, unit_key(u),
	    (f->maxy - f->miny) / per, unit_key(u));
}

bool
route_svg(buf_t *b, const struct route_svg *r)
{
	struct frame	 f;
	buf_t		 desc = BUF_INIT;

	if (r->points == NULL || r->n == 0)
		return false;
	/* A box too small for its padding gets the default. */
	f.w = r->width >= 4 * ROUTE_SVG_PAD ? r->width : ROUTE_SVG_W;
	f.h = r->height >= 4 * ROUTE_SVG_PAD ? r->height : ROUTE_SVG_H;
	bounds(&f, r->points, r->n);
	fit(&f);
	describe(&desc, &f, r->unit);
	svg_open(b, "route-map", f.w, f.h, r->id,
	    r->title ? r->title : "Route", buf_cstr(&desc));
	path(b, &f, r->points, r->n);
	ends(b, &f, r->points, r->n);
	scale_bar(b, &f, r->unit);
	svg_close(b);
	buf_free(&desc);
	return true;
}
