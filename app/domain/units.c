/*
 * units: formatting and parsing of distances, paces and durations.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/units.h"

static const char *const unit_keys[UNIT__MAX] = { "km", "mi" };

int
unit_parse(const char *s)
{
	int u;

	if (s == NULL)
		return -1;
	for (u = 0; u < UNIT__MAX; u++)
		if (strcmp(s, unit_keys[u]) == 0)
			return u;
	return -1;
}

const char *
unit_key(enum unit u)
{
	return (unsigned)u < UNIT__MAX ? unit_keys[u] : "km";
}

static double
metres_per_unit(enum unit u)
{
	return u == UNIT_MI ? METRES_PER_MILE : 1000.0;
}

int
units_format_distance(char *out, size_t n, int metres, enum unit u)
{
	/* Tenths of the unit, rounded half up; whole numbers lose the ".0". */
	long tenths = lround(metres * 10.0 / metres_per_unit(u));

	if (tenths % 10 == 0)
		return snprintf(out, n, "%ld %s", tenths / 10, unit_key(u));
	return snprintf(out, n, "%ld.%ld %s", tenths / 10, tenths % 10,
	    unit_key(u));
}

int
units_pace_in(int sec_per_km, enum unit u)
{
	return (int)lround(sec_per_km * metres_per_unit(u) / 1000.0);
}

int
units_format_pace(char *out, size_t n, int sec_per_km, enum unit u)
{
	int s = units_pace_in(sec_per_km, u);

	return snprintf(out, n, "%d:%02d/%s", s / 60, s % 60, unit_key(u));
}

int
units_format_pace_range(char *out, size_t n, int fast, int slow,
    enum unit u)
{
	int f = units_pace_in(fast, u), s = units_pace_in(slow, u);

	if (f == s)
		return units_format_pace(out, n, fast, u);
	return snprintf(out, n, "%d:%02d-%d:%02d/%s", f / 60, f % 60,
	    s / 60, s % 60, unit_key(u));
}

int
units_format_duration(char *out, size_t n, int seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds >= 3600)
		return snprintf(out, n, "%d:%02d:%02d", seconds / 3600,
		    seconds / 60 % 60, seconds % 60);
	return snprintf(out, n, "%d:%02d", seconds / 60, seconds % 60);
}

/* Reads 1..maxdig digits at *sp into *v; advances *sp. */
static bool
read_digits(const char **sp, int mindig, int maxdig, int *v)
{
	const char *s = *sp;
	int n = 0;

	*v = 0;
	while (*s >= '0' && *s <= '9') {
		if (++n > maxdig)
			return false;
		*v = *v * 10 + (*s++ - '0');
	}
	if (n < mindig)
		return false;
	*sp = s;
	return true;
}

bool
units_parse_duration(const char *s, int *seconds)
{
	int f[3], nf = 0, total;

	if (s == NULL || *s == '\0')
		return false;
	/* The first field has one or two digits, the others exactly two. */
	if (!read_digits(&s, 1, 2, &f[nf++]))
		return false;
	while (*s == ':' && nf < 3) {
		s++;
		if (!read_digits(&s, 2, 2, &f[nf++]))
			return false;
	}
	if (*s != '\0' || nf < 2)
		return false;
	if (nf == 2) {		/* mm:ss */
		if (f[0] >= 60 || f[1] >= 60)
			return false;
		total = f[0] * 60 + f[1];
	} else {		/* h:mm:ss */
		if (f[1] >= 60 || f[2] >= 60)
			return false;
		total = f[0] * 3600 + f[1] * 60 + f[2];
	}
	if (total <= 0)
		return false;
	*seconds = total;
	return true;
}

bool
units_parse_distance(const char *s, enum unit u, int max_m, int *metres)
{
	long whole = 0, frac = 0, scale = 1;
	int nwhole = 0, nfrac = 0;
	double m;

	if (s == NULL)
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++nwhole > 6)
			return false;
		whole = whole * 10 + (*s - '0');
	}
	if (nwhole == 0)
		return false;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++nfrac > 2)
				return false;
			frac = frac * 10 + (*s - '0');
			scale *= 10;
		}
		if (nfrac == 0)
			return false;
	}
	if (*s != '\0')
		return false;
	m = ((double)whole + (double)frac / scale) * metres_per_unit(u);
	if (m > max_m)
		return false;
	*metres = (int)lround(m);
	return true;
}
