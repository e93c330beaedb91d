/*
 * polyline: Google's Encoded Polyline Algorithm Format, as Strava sends a
 * route in map.summary_polyline.
 *
 * Each value is a latitude or longitude in degrees times 1e5, rounded,
 * stored as the difference from the previous point's; the signed delta is
 * shifted left one bit (inverted when negative), cut into 5-bit chunks from
 * the low end, each chunk but the last OR'ed with 0x20, and 63 added to
 * make a printable character ('?'..'~').  Points alternate latitude and
 * longitude.  Documented at
 * https://developers.google.com/maps/documentation/utilities/polylinealgorithm
 * Pure: no I/O.
 */
#ifndef CADENCE_POLYLINE_H
#define CADENCE_POLYLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define POLYLINE_SCALE		1e5
#define POLYLINE_MAX_CHUNKS	7	/* 35 bits: a 32-bit value needs 7 */

struct geo_point {
	double	 lat;		/* degrees, -90..90 */
	double	 lon;		/* degrees, -180..180 */
};

/*
 * Decodes len bytes into a malloc'ed array of *n points (free() it; NULL
 * when there are none).  False, with *out NULL and *n 0, on anything
 * malformed: a character outside '?'..'~', a value cut short or longer
 * than POLYLINE_MAX_CHUNKS, a latitude without its longitude, or a point
 * outside the globe.
 */
bool	 polyline_decode(const char *s, size_t len, struct geo_point **out,
	    size_t *n);
/* Appends the encoding of n points (rounded to 1e-5 degree). */
void	 polyline_encode(buf_t *, const struct geo_point *, size_t n);

#endif
