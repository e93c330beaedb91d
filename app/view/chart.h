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

#define CHART_SLOT	40	/* horizontal units per week */
#define CHART_BAR	28	/* planned bar width */
#define CHART_RUN_BAR	14	/* run bar width, centred on the planned one */
#define CHART_LEFT	44	/* x where the plot starts (tick labels left) */
#define CHART_TOP	10
#define CHART_BOTTOM	170	/* y of the zero line */
#define CHART_HEIGHT	196
#define CHART_MAX_TICKS	5

struct chart_week {
	int	 number;
	int64_t	 planned_m;
	int64_t	 actual_m;
};

/* The chart object for n weeks, or JSON null when n is 0. */
json_t	*chart_json(const struct chart_week *, int n, enum unit);

#endif
