#include <string.h>

#include "domain/date.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
date_t
date_from_ymd(int y, int m, int d)
{
	int		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (date_t)(era * 146097 + (int)doe - 719468);
}

void
date_to_ymd(date_t z0, int *y, int *m, int *d)
{
	int		 z = z0 + 719468, era;
	unsigned	 doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

enum weekday
date_weekday(date_t d)
{
	/* 1970-01-01 was a Thursday (3). */
	int w = (int)((d % 7 + 7 + 3) % 7);

	return (enum weekday)w;
}

static bool
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
date_parse(const char *s, date_t *out)
{
	int	 y, m, d, yy, mm, dd;
	date_t	 v;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !is_digits(s, 4) || !is_digits(s + 5, 2) || !is_digits(s + 8, 2))
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	v = date_from_ymd(y, m, d);
	date_to_ymd(v, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)	/* e.g. 2026-02-30 */
		return false;
	*out = v;
	return true;
}

void
date_format(date_t v, char out[11])
{
	int y, m, d;

	date_to_ymd(v, &y, &m, &d);
	y = ((y % 10000) + 10000) % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

date_t
date_week_start(date_t d, enum weekday first)
{
	int back = ((int)date_weekday(d) - (int)first + 7) % 7;

	return d - back;
}

static const char *const wd_keys[WD__MAX] =
    { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char *const wd_names[WD__MAX] = { "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
static const char *const wd_short[WD__MAX] =
    { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

int
weekday_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < WD__MAX; i++)
		if (strcmp(s, wd_keys[i]) == 0)
			return i;
	return -1;
}

const char *
weekday_key(enum weekday w)
{
	return (unsigned)w < WD__MAX ? wd_keys[w] : NULL;
}

const char *
weekday_name(enum weekday w)
{
	return (unsigned)w < WD__MAX ? wd_names[w] : NULL;
}

const char *
weekday_short(enum weekday w)
{
	return (unsigned)w < WD__MAX ? wd_short[w] : NULL;
}

const char *
month_short(int m)
{
	return m >= 1 && m <= 12 ? months[m - 1] : NULL;
}
