/*
 * route_svg: a run's route as an SVG drawing (no map tiles), from the
 * points of its decoded summary polyline (domain/polyline.h).
 *
 * The points are projected equirectangularly about the route's middle
 * latitude (x = R cos(lat0) dlon, y = R dlat: true to a fraction of a
 * percent over the few kilometres of a run), north up, scaled to fit the
 * box with its aspect kept, and drawn as one polyline; the start and the
 * finish are marked and a scale bar shows a round distance in the
 * runner's unit.  <title>/<desc> say what it shows; texts are escaped.
 * Pure string building.
 */
#ifndef CADENCE_ROUTE_SVG_H
#define CADENCE_ROUTE_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "domain/polyline.h"
#include "domain/units.h"

#define ROUTE_SVG_W		320	/* default viewBox */
#define ROUTE_SVG_H		240
#define ROUTE_SVG_PAD		14	/* room for the markers */
#define ROUTE_EARTH_RADIUS_M	6371008.8	/* mean radius (IUGG) */

struct route_svg {
	const struct geo_point *points;
	size_t		 n;
	int		 width, height;	/* viewBox; below 4 x ROUTE_SVG_PAD:
					   the defaults */
	enum unit	 unit;		/* of the scale bar */
	const char	*id;		/* prefix of element ids */
	const char	*title;		/* NULL: "Route" */
};

/* Appends the <svg>; false (nothing written) when there is no point. */
bool	 route_svg(buf_t *, const struct route_svg *);
/* East-west and north-south extent of the points in metres. */
void	 route_extent(const struct geo_point *, size_t n, double *width_m,
	    double *height_m);

#endif
