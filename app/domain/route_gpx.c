/*
 * route_gpx: see route_gpx.h.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/polyline.h"
#include "domain/route_gpx.h"

bool
route_gpx_from_polyline(buf_t *out, const char *name, const char *time_iso,
    const char *polyline)
{
	struct geo_point	*p = NULL;
	size_t			 n = 0, i;

	if (polyline == NULL || *polyline == '\0' ||
	    !polyline_decode(polyline, strlen(polyline), &p, &n) || n == 0) {
		free(p);
		return false;
	}
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<gpx version=\"1.1\" creator=\"Cadence\" "
	    "xmlns=\"http://www.topografix.com/GPX/1/1\">\n<metadata>"
	    "<name>");
	buf_html(out, name, strlen(name));
	buf_puts(out, "</name>");
	if (time_iso != NULL && *time_iso != '\0') {
		buf_puts(out, "<time>");
		buf_html(out, time_iso, strlen(time_iso));
		buf_puts(out, "</time>");
	}
	buf_puts(out, "</metadata>\n<trk><name>");
	buf_html(out, name, strlen(name));
	buf_puts(out, "</name><type>running</type><trkseg>\n");
	for (i = 0; i < n; i++)
		buf_printf(out, "<trkpt lat=\"%.5f\" lon=\"%.5f\"/>\n",
		    p[i].lat, p[i].lon);
	buf_puts(out, "</trkseg></trk>\n</gpx>\n");
	free(p);
	return true;
}
