/*
 * svg: small helpers for the server-rendered SVG charts (fitness chart,
 * route, pace profile).  Every text goes through svg_text(), which escapes
 * it for XML and drops control characters (invalid in XML 1.0), so names
 * typed by runners or sent by Strava cannot break out of the markup.
 * Coordinates are SVG user units, y downwards; the charts are drawn with
 * presentation attributes (no style attribute: the CSP forbids inline
 * styles), each element with a class a stylesheet may override.
 */
#ifndef CADENCE_SVG_H
#define CADENCE_SVG_H

#include <stddef.h>

#include "core/buf.h"

#define SVG_ID_MAX	48
#define SVG_FONT \
	"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

/* Appends s escaped for XML text and attribute values. */
void	 svg_text(buf_t *, const char *s);
/*
 * Writes an id made of s's letters, digits, '-' and '_' (others become
 * '-'), at most SVG_ID_MAX of them, "chart" when s is NULL or empty.
 */
void	 svg_id(char out[SVG_ID_MAX + 1], const char *s);
/*
 * Opens <svg> with a viewBox of w x h, the class, role="img" and
 * aria-labelledby pointing at its <title> and <desc> (ids id-title and
 * id-desc, so several charts can share a page).
 */
void	 svg_open(buf_t *, const char *cls, int w, int h, const char *id,
	    const char *title, const char *desc);
void	 svg_close(buf_t *);
/* <text> at x, y with a text-anchor ("start", "middle", "end"). */
void	 svg_label(buf_t *, double x, double y, const char *anchor,
	    const char *cls, const char *text);
/*
 * Appends "x,y" with one decimal each (no exponent, "-0.0" as "0.0").
 * Integer arithmetic: a chart's hundreds of points cost microseconds,
 * where printf's float formatting costs a few each.
 */
void	 svg_point(buf_t *, double x, double y);
/* A round step (1, 2, 2.5 or 5 x 10^k) giving at most max_ticks steps. */
double	 svg_nice_step(double range, int max_ticks);

#endif
