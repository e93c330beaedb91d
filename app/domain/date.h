/*
 * date: civil (proleptic Gregorian) calendar dates as a day count.
 *
 * A date is the number of days since 1970-01-01, so arithmetic is plain
 * integer arithmetic and comparisons are exact.  Pure: no time zones, no
 * clock; callers that need "today" ask the database for the runner's
 * local date (see db/).
 */
#ifndef CADENCE_DATE_H
#define CADENCE_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t date_t;

/* Weekdays, ISO numbering minus one: Monday is 0, Sunday is 6. */
enum weekday { WD_MON, WD_TUE, WD_WED, WD_THU, WD_FRI, WD_SAT, WD_SUN, WD__MAX };

date_t	 date_from_ymd(int y, int m, int d);
void	 date_to_ymd(date_t, int *y, int *m, int *d);
enum weekday date_weekday(date_t);
/* Parses exactly YYYY-MM-DD of a real date (years 1900-2999). */
bool	 date_parse(const char *, date_t *);
/* Writes YYYY-MM-DD and a NUL into out (at least 11 bytes). */
void	 date_format(date_t, char out[11]);
/* The first day (on or before d) of d's week, weeks starting on first. */
date_t	 date_week_start(date_t d, enum weekday first);
/* "mon".."sun" and back; -1 / NULL for anything else. */
int	 weekday_parse(const char *);
const char *weekday_key(enum weekday);
const char *weekday_name(enum weekday);		/* "Monday" */
const char *weekday_short(enum weekday);	/* "Mon" */
const char *month_short(int m);			/* 1..12: "Jan" */

#endif
