/*
 * polyline: decoder and encoder of Google's encoded polylines.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/polyline.h"

#define LAT_MAX	(90 * 100000LL)
#define LON_MAX	(180 * 100000LL)

/*
 * Reads one value at *pos; false when the text is malformed.  Every
 * character is checked, so a hostile string cannot shift past 35 bits.
 */
static bool
read_value(const char *s, size_t len, size_t *pos, int64_t *value)
{
	uint64_t	 acc = 0;
	int		 chunk, shift = 0, i;

	for (i = 0; i < POLYLINE_MAX_CHUNKS; i++) {
		if (*pos >= len)
			return false;
		chunk = (unsigned char)s[(*pos)++] - 63;
		if (chunk < 0 || chunk > 63)
			return false;
		acc |= (uint64_t)(chunk & 0x1f) << shift;
		shift += 5;
		if ((chunk & 0x20) == 0) {
			/* Low bit: sign; the rest, inverted when negative. */
			*value = (acc & 1) ? -(int64_t)(acc >> 1) - 1 :
			    (int64_t)(acc >> 1);
			return true;
		}
	}
	return false;
}

bool
polyline_decode(const char *s, size_t len, struct geo_point **out,
    size_t *n)
{
	struct geo_point	*p = NULL;
	int64_t			 lat = 0, lon = 0, dlat, dlon;
	size_t			 pos = 0, k = 0;

	*out = NULL;
	*n = 0;
	if (len == 0)
		return true;
	/* Each value takes at least one character: at most len / 2 points. */
	if ((p = malloc((len / 2 + 1) * sizeof(*p))) == NULL)
		abort();
	while (pos < len) {
		if (!read_value(s, len, &pos, &dlat) ||
		    !read_value(s, len, &pos, &dlon))
			goto bad;
		lat += dlat;
		lon += dlon;
		if (llabs(lat) > LAT_MAX || llabs(lon) > LON_MAX)
			goto bad;
		p[k].lat = lat / POLYLINE_SCALE;
		p[k].lon = lon / POLYLINE_SCALE;
		k++;
	}
	*out = p;
	*n = k;
	return true;
bad:
	free(p);
	return false;
}

static void
write_value(buf_t *b, int64_t v)
{
	uint64_t u = v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1;

	while (u >= 0x20) {
		buf_putc(b, (int)((0x20 | (u & 0x1f)) + 63));
		u >>= 5;
	}
	buf_putc(b, (int)(u + 63));
}

void
polyline_encode(buf_t *b, const struct geo_point *p, size_t n)
{
	int64_t	 plat = 0, plon = 0, lat, lon;
	size_t	 i;

	for (i = 0; i < n; i++) {
		lat = llround(p[i].lat * POLYLINE_SCALE);
		lon = llround(p[i].lon * POLYLINE_SCALE);
		write_value(b, lat - plat);
		write_value(b, lon - plon);
		plat = lat;
		plon = lon;
	}
}
