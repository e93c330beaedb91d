/*
 * units: distances, paces and durations as a runner reads and types them.
 *
 * Everything inside Cadence is metric: distances in metres, paces in
 * seconds per kilometre, durations in seconds.  This module converts at
 * the edges: it formats for the runner's unit (km or mi) and parses what
 * a runner types.  Formatters write into a caller buffer of the given
 * size (always NUL-terminated, truncated if too small) and return the
 * length they wanted, like snprintf.  Pure: no I/O, no globals.
 */
#ifndef CADENCE_UNITS_H
#define CADENCE_UNITS_H

#include <stdbool.h>
#include <stddef.h>

enum unit { UNIT_KM, UNIT_MI, UNIT__MAX };

#define METRES_PER_MILE		1609.344
#define UNITS_MAX_DURATION_S	(99 * 3600 + 59 * 60 + 59)	/* 99:59:59 */

/* "km" / "mi" and back; -1 for anything else. */
int	 unit_parse(const char *);
const char *unit_key(enum unit);

/* "8.5 km", "8 km", "5.3 mi": one decimal, a trailing ".0" dropped. */
int	 units_format_distance(char *, size_t, int metres, enum unit);
/* "4:10/km", "6:42/mi" from seconds per kilometre. */
int	 units_format_pace(char *, size_t, int sec_per_km, enum unit);
/* "4:10-4:15/km"; a single pace when fast == slow. */
int	 units_format_pace_range(char *, size_t, int fast_s_per_km,
	    int slow_s_per_km, enum unit);
/* "1:05:30" from an hour up, "45:10" below. */
int	 units_format_duration(char *, size_t, int seconds);
/* Seconds per kilometre as seconds per unit (rounded). */
int	 units_pace_in(int sec_per_km, enum unit);

/*
 * Parses "h:mm:ss" or "mm:ss" strictly: digits only, minutes and seconds
 * after a colon are exactly two digits below 60, a leading minutes field
 * (mm:ss) is below 60 too (write 1:05:00, not 65:00), hours at most 99,
 * total above zero.  Returns false on anything else.
 */
bool	 units_parse_duration(const char *, int *seconds);
/*
 * Parses a distance typed in the unit ("40", "40.5", "12.25") into
 * metres, rounded to the metre.  At most two decimals, no sign, no
 * exponent; the result must lie within [0, max_m].
 */
bool	 units_parse_distance(const char *, enum unit, int max_m, int *metres);

#endif
