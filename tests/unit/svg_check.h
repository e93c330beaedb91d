/*
 * svg_check: a small XML checker for the SVG the views build, so that the
 * unit tests can tell a well-formed drawing (tags balanced, attributes
 * quoted, every '&' an entity, no '<' in text) from a broken one, and
 * look inside it.
 */
#ifndef CADENCE_TEST_SVG_CHECK_H
#define CADENCE_TEST_SVG_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is one well-formed element; else false and a reason. */
bool	 svg_wellformed(const char *s, char *err, size_t errlen);
/* How many elements named tag s holds. */
int	 svg_count(const char *s, const char *tag);
/*
 * Calls fn for every number in every x/y-like attribute (x, y, x1, x2, y1,
 * y2, cx, cy, points) with whether it is an x (true) or a y.
 */
void	 svg_coords(const char *s, void (*fn)(bool is_x, double v, void *),
	    void *arg);
/* The viewBox width and height of the root element (0 when absent). */
void	 svg_viewbox(const char *s, double *w, double *h);

#endif
