/*
 * fitness_chart: the fitness (CTL), fatigue (ATL) and form (TSB) chart
 * as an SVG string, in a large size (the /fitness page) and a small one
 * (the dashboard), plus its text alternative and the ramp warnings.
 *
 * Done days are drawn solid, planned days dashed; today and race day are
 * marked; weeks whose ramp rate is past FITNESS_RAMP_HIGH are shaded
 * (each shade has a <title> with its warning).  The <svg> has role="img"
 * with a <title> and a <desc> holding the figures (fitness_chart_summary),
 * its width is 100% of the container with the height from the viewBox,
 * and the viewBoxes are sized so that 13/12-unit labels stay about 11 px
 * on a 390 px wide phone.  Every text is escaped.  Pure string building.
 */
#ifndef CADENCE_FITNESS_CHART_H
#define CADENCE_FITNESS_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "domain/date.h"
#include "domain/fitness.h"

enum fitness_chart_size { FITNESS_CHART_LARGE, FITNESS_CHART_SMALL };

#define FITNESS_CHART_LARGE_W		380
#define FITNESS_CHART_LARGE_H		250
#define FITNESS_CHART_SMALL_W		300
#define FITNESS_CHART_SMALL_H		150
#define FITNESS_CHART_LARGE_WEEKS	26	/* history shown by default */
#define FITNESS_CHART_SMALL_WEEKS	8

struct fitness_chart {
	const struct fitness_series *series;
	date_t		 from;		/* first day shown (clamped to the series
					   and to today); see default_from */
	bool		 has_race;
	date_t		 race_date;	/* marked when within the series */
	const char	*race_name;	/* NULL: "Race" */
	const char	*id;		/* prefix of element ids */
	enum weekday	 first_day;	/* weeks of the ramp rate */
	enum fitness_chart_size size;
};

/* Today minus the default history of the size (never before the series). */
date_t	 fitness_chart_default_from(const struct fitness_series *,
	    enum fitness_chart_size);
/* Appends the chart's <svg>; nothing when the series is empty. */
void	 fitness_chart_svg(buf_t *, const struct fitness_chart *);
/*
 * Appends the chart's figures as plain text (not escaped): the window,
 * today's fitness, fatigue, form and ramp, race day's, and the warnings.
 */
void	 fitness_chart_summary(buf_t *, const struct fitness_chart *);
/*
 * Appends a plain-text warning for a week past the safe ramp ("Week of
 * 3 Mar 2027 (planned): fitness +9.4 a week, above the 8 most runners
 * absorb."); nothing for a week within it.  Returns whether it wrote.
 */
bool	 fitness_ramp_message(buf_t *, const struct fitness_week *);

#endif
