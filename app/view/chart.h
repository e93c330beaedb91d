/*
 * chart: the geometry of the calendar page's SVG bar chart of weekly
 * planned against run distance (docs/templates.md, plan_calendar.chart).
 * The template draws it; this computes every coordinate in integer SVG
 * user units (y grows downwards) and the texts that make it accessible:
 * a <title>, a <desc> with all the figures, a label per bar.
 */
#ifndef CADENCE_CHART_H
#define CADENCE_CHART_H

#include <jansson.h>
#include <stdint.h>

#include "domain/units.h"

/*
 * The width is fixed, whatever the number of weeks: a 30-week plan used
 * to be 1244 units wide, so at a phone's 340 px its 11-unit labels were
 * 3 px tall.  Now one unit is about one CSS pixel on a phone (a little
 * more on a desktop), and the labels' 13 units stay legible (issue 15.11).
 */
#define CHART_WIDTH	360
#define CHART_LEFT	50	/* x where the plot starts (tick labels left) */
#define CHART_TOP	14
#define CHART_BOTTOM	170	/* y of the zero line */
#define CHART_HEIGHT	196
#define CHART_MAX_TICKS	5
#define CHART_LABEL_MIN	22	/* a slot narrower than this labels every other week */

struct chart_week {
	int	 number;
	int64_t	 planned_m;
	int64_t	 actual_m;
};

/* The chart object for n weeks, or JSON null when n is 0. */
json_t	*chart_json(const struct chart_week *, int n, enum unit);

#endif
