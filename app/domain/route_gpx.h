/*
 * route_gpx: a run's route as a GPX 1.1 document (one track of points,
 * no times: Strava's summary polyline has none), for "download my data".
 */
#ifndef CADENCE_ROUTE_GPX_H
#define CADENCE_ROUTE_GPX_H

#include <stdbool.h>

#include "core/buf.h"

/*
 * Decodes polyline (Google's encoding, as Strava sends it) and writes the
 * GPX of name (text, escaped here) starting at time_iso (UTC, "" for
 * none) into out.  False when the polyline is empty or not valid.
 */
bool	route_gpx_from_polyline(buf_t *out, const char *name,
	    const char *time_iso, const char *polyline);

#endif
