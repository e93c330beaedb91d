/*
 * tz: EU and US daylight-saving rules, enough for the sandbox's zones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "core/util.h"
#include "sandbox/tz.h"

#define DAY	86400
#define HOUR	3600

enum dst_rule { DST_NONE, DST_EU, DST_US };

struct zone {
	const char	*name;
	int		 std_offset;	/* seconds east of UTC */
	enum dst_rule	 rule;
};

static const struct zone zones[] = {
	{ "Europe/Paris",	  1 * HOUR, DST_EU },
	{ "Europe/London",	  0,	    DST_EU },
	{ "Europe/Berlin",	  1 * HOUR, DST_EU },
	{ "America/New_York",	 -5 * HOUR, DST_US },
	{ "America/Sao_Paulo",	 -3 * HOUR, DST_NONE },
	{ "Asia/Tokyo",		  9 * HOUR, DST_NONE },
	{ "UTC",		  0,	    DST_NONE },
};

static const struct zone *
find_zone(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(zones); i++)
		if (strcmp(zones[i].name, name) == 0)
			return &zones[i];
	return &zones[0];
}

bool
sb_tz_known(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(zones); i++)
		if (strcmp(zones[i].name, name) == 0)
			return true;
	return false;
}

/* The day of the nth (1-based; 5 = last) Sunday of a month. */
static date_t
nth_sunday(int y, int m, int nth)
{
	date_t	d;

	if (nth == 5) {
		d = (m == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, m + 1, 1)) - 1;
		while (date_weekday(d) != WD_SUN)
			d--;
		return d;
	}
	d = date_from_ymd(y, m, 1);
	while (date_weekday(d) != WD_SUN)
		d++;
	return d + 7 * (nth - 1);
}

int
sb_tz_offset(const char *name, int64_t t)
{
	const struct zone	*z = find_zone(name);
	int64_t			 start, end;
	int			 y, m, d;

	date_to_ymd((date_t)((t - (t % DAY + DAY) % DAY) / DAY), &y, &m, &d);
	switch (z->rule) {
	case DST_EU:	/* last Sunday of March to last of October, 01:00 UTC */
		start = (int64_t)nth_sunday(y, 3, 5) * DAY + HOUR;
		end = (int64_t)nth_sunday(y, 10, 5) * DAY + HOUR;
		break;
	case DST_US:	/* second Sunday of March to first of November, 02:00 local */
		start = (int64_t)nth_sunday(y, 3, 2) * DAY + 2 * HOUR - z->std_offset;
		end = (int64_t)nth_sunday(y, 11, 1) * DAY + 2 * HOUR - z->std_offset - HOUR;
		break;
	default:
		return z->std_offset;
	}
	return z->std_offset + (t >= start && t < end ? HOUR : 0);
}

void
sb_tz_label(const char *name, char *out, size_t size)
{
	const struct zone	*z = find_zone(name);
	int			 off = abs(z->std_offset);

	snprintf(out, size, "(GMT%c%02d:%02d) %s", z->std_offset < 0 ? '-' : '+',
	    off / HOUR, off % HOUR / 60, z->name);
}

int64_t
sb_tz_to_utc(const char *name, int64_t local)
{
	/* Guess with the offset a few hours earlier, then correct once:
	 * right everywhere but inside the skipped or repeated hour. */
	int64_t utc = local - sb_tz_offset(name, local - 12 * HOUR);

	return local - sb_tz_offset(name, utc);
}

void
sb_iso8601(int64_t t, char out[21])
{
	int64_t	 day = (t - (t % DAY + DAY) % DAY) / DAY, sec = t - day * DAY;
	char	 tmp[64];
	int	 y, m, d;

	date_to_ymd((date_t)day, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
	    (int)(sec / HOUR), (int)(sec % HOUR / 60), (int)(sec % 60));
	snprintf(out, 21, "%.20s", tmp);
}

bool
sb_parse_wall(const char *date, const char *time, int64_t *out)
{
	date_t	d;
	int	h, mi, s = 0, n = 0;

	if (!date_parse(date, &d))
		return false;
	if (sscanf(time, "%2d:%2d%n:%2d%n", &h, &mi, &n, &s, &n) < 2 ||
	    time[n] != '\0' || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
		return false;
	*out = (int64_t)d * DAY + h * HOUR + mi * 60 + s;
	return true;
}
