/*
 * split_chart: a run's pace profile (and heart rate, when known) as an SVG
 * bar chart of its splits (domain/splits.h).
 *
 * Each split is a bar as wide as its distance, on a pace axis that runs
 * from a round slow pace at the bottom to a round fast one at the top, so
 * that a faster split stands higher; labels are pace per unit ("4:30").
 * Splits with a heart rate get a line and dots on a bpm axis at the
 * right.  The distance axis counts units; every bar has a <title> with
 * its figures and the <desc> lists them all (split_chart_summary).
 * Texts are escaped.  Pure string building.
 */
#ifndef CADENCE_SPLIT_CHART_H
#define CADENCE_SPLIT_CHART_H

#include <stddef.h>

#include "core/buf.h"
#include "domain/splits.h"
#include "domain/units.h"

#define SPLIT_CHART_W	380
#define SPLIT_CHART_H	220

struct split_chart {
	const struct split *splits;
	size_t		 n;
	enum unit	 unit;
	const char	*id;		/* prefix of element ids */
	const char	*title;		/* NULL: "Pace per km" (or mi) */
};

/* Appends the <svg>; nothing when there is no split. */
void	 split_chart_svg(buf_t *, const struct split_chart *);
/*
 * Appends the splits as plain text (not escaped): "Split 1, 1 km: 4:32/km,
 * 151 bpm, +12 m. ..." with the fastest and the slowest named.
 */
void	 split_chart_summary(buf_t *, const struct split_chart *);
/* One split's figures as plain text ("Split 3, 1 km: 4:32/km, 152 bpm"). */
void	 split_label(buf_t *, const struct split *, enum unit);

#endif
