/*
 * units: distance, pace and duration formatting and strict parsing.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/units.h"

Test(units, unit_keys)
{
	cr_assert_eq(unit_parse("km"), UNIT_KM);
	cr_assert_eq(unit_parse("mi"), UNIT_MI);
	cr_assert_eq(unit_parse("KM"), -1);
	cr_assert_eq(unit_parse(""), -1);
	cr_assert_eq(unit_parse(NULL), -1);
	cr_assert_str_eq(unit_key(UNIT_MI), "mi");
}

Test(units, format_distance)
{
	char b[32];

	units_format_distance(b, sizeof(b), 8500, UNIT_KM);
	cr_assert_str_eq(b, "8.5 km");
	units_format_distance(b, sizeof(b), 8000, UNIT_KM);
	cr_assert_str_eq(b, "8 km");
	units_format_distance(b, sizeof(b), 8530, UNIT_MI);
	cr_assert_str_eq(b, "5.3 mi");
	units_format_distance(b, sizeof(b), 42195, UNIT_KM);
	cr_assert_str_eq(b, "42.2 km");
	units_format_distance(b, sizeof(b), 42195, UNIT_MI);
	cr_assert_str_eq(b, "26.2 mi");
	units_format_distance(b, sizeof(b), 1609, UNIT_MI);
	cr_assert_str_eq(b, "1 mi");
	units_format_distance(b, sizeof(b), 0, UNIT_KM);
	cr_assert_str_eq(b, "0 km");
	units_format_distance(b, sizeof(b), 99, UNIT_KM);
	cr_assert_str_eq(b, "0.1 km");
}

Test(units, format_pace)
{
	char b[32];

	units_format_pace(b, sizeof(b), 250, UNIT_KM);
	cr_assert_str_eq(b, "4:10/km");
	units_format_pace(b, sizeof(b), 250, UNIT_MI);	/* 402.3 s */
	cr_assert_str_eq(b, "6:42/mi");
	units_format_pace(b, sizeof(b), 305, UNIT_KM);
	cr_assert_str_eq(b, "5:05/km");
	units_format_pace_range(b, sizeof(b), 250, 255, UNIT_KM);
	cr_assert_str_eq(b, "4:10-4:15/km");
	units_format_pace_range(b, sizeof(b), 250, 255, UNIT_MI);
	cr_assert_str_eq(b, "6:42-6:50/mi");
	units_format_pace_range(b, sizeof(b), 250, 250, UNIT_KM);
	cr_assert_str_eq(b, "4:10/km");
	cr_assert_eq(units_pace_in(300, UNIT_MI), 483);
}

Test(units, format_duration)
{
	char b[32];

	units_format_duration(b, sizeof(b), 3930);
	cr_assert_str_eq(b, "1:05:30");
	units_format_duration(b, sizeof(b), 2710);
	cr_assert_str_eq(b, "45:10");
	units_format_duration(b, sizeof(b), 3600);
	cr_assert_str_eq(b, "1:00:00");
	units_format_duration(b, sizeof(b), 59);
	cr_assert_str_eq(b, "0:59");
	units_format_duration(b, sizeof(b), -4);
	cr_assert_str_eq(b, "0:00");
}

Test(units, format_truncates_safely)
{
	char b[5];
	int n = units_format_duration(b, sizeof(b), 3930);

	cr_assert_eq(n, 7);		/* wanted "1:05:30" */
	cr_assert_str_eq(b, "1:05");
	memset(b, 'x', sizeof(b));
	units_format_distance(b, sizeof(b), 42195, UNIT_KM);
	cr_assert_eq(b[4], '\0');
}

Test(units, parse_duration_good)
{
	int s;

	cr_assert(units_parse_duration("20:00", &s));
	cr_assert_eq(s, 1200);
	cr_assert(units_parse_duration("3:10:49", &s));
	cr_assert_eq(s, 11449);
	cr_assert(units_parse_duration("1:05:00", &s));
	cr_assert_eq(s, 3900);
	cr_assert(units_parse_duration("0:59", &s));
	cr_assert_eq(s, 59);
	cr_assert(units_parse_duration("59:59", &s));
	cr_assert_eq(s, 3599);
	cr_assert(units_parse_duration("12:00:00", &s));
	cr_assert_eq(s, 43200);
	cr_assert(units_parse_duration("99:59:59", &s));
	cr_assert_eq(s, UNITS_MAX_DURATION_S);
}

Test(units, parse_duration_rejects)
{
	static const char *bad[] = {
		"", "20", "20:", ":20", "20:0", "20:000", "20:60", "60:00",
		"75:00", "1:60:00", "1:00:60", "1:5:00", "100:00:00",
		"0:00", "00:00:00", "20:00 ", " 20:00", "-20:00", "+20:00",
		"20.5:00", "2O:00", "1:00:00:00", "20::00", "a:bc",
	};
	size_t i;
	int s = 12345;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert(!units_parse_duration(bad[i], &s), "'%s'", bad[i]);
		cr_assert_eq(s, 12345, "'%s' wrote the output", bad[i]);
	}
	cr_assert(!units_parse_duration(NULL, &s));
}

Test(units, parse_distance)
{
	int m;

	cr_assert(units_parse_distance("40", UNIT_KM, 250000, &m));
	cr_assert_eq(m, 40000);
	cr_assert(units_parse_distance("40.5", UNIT_KM, 250000, &m));
	cr_assert_eq(m, 40500);
	cr_assert(units_parse_distance("12.25", UNIT_KM, 250000, &m));
	cr_assert_eq(m, 12250);
	cr_assert(units_parse_distance("25", UNIT_MI, 250000, &m));
	cr_assert_eq(m, 40234);
	cr_assert(units_parse_distance("0", UNIT_KM, 250000, &m));
	cr_assert_eq(m, 0);
	cr_assert(units_parse_distance("250", UNIT_KM, 250000, &m));
	cr_assert_eq(m, 250000);
}

Test(units, parse_distance_rejects)
{
	static const char *bad[] = {
		"", ".5", "40.", "40.123", "-4", "+4", "4e1", "40 ", " 40",
		"40km", "4,5", "1.2.3", "250.01", "1000000", "nan",
	};
	size_t i;
	int m = 7;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert(!units_parse_distance(bad[i], UNIT_KM, 250000, &m),
		    "'%s'", bad[i]);
		cr_assert_eq(m, 7);
	}
	cr_assert(!units_parse_distance("156", UNIT_MI, 250000, &m));
	cr_assert(!units_parse_distance(NULL, UNIT_KM, 250000, &m));
}
