/*
 * activity: the one definition of a run.  sport_is_run() and the SQL list
 * SPORT_RUN_SQL come from the same X-macro; these tests read the SQL list
 * back and check that C and SQL agree, type by type, and that the older
 * match_is_run() is the same test.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/activity.h"
#include "domain/match.h"

#define NAME_(type)	#type,
static const char *const runs[] = { RUN_SPORT_TYPES(NAME_, ) };

/* Sport types Strava sends that are not runs, and near misses. */
static const char *const not_runs[] = {
	"Ride", "Walk", "Hike", "Swim", "VirtualRide", "Workout", "run",
	"RUN", "Run ", " Run", "Trail Run", "TrailRunning", "",
};

#define SQL_NAMES_MAX	16

/* The quoted names of SPORT_RUN_SQL, "('A', 'B')", into names[]. */
static size_t
sql_names(char names[SQL_NAMES_MAX][32])
{
	const char	*p = SPORT_RUN_SQL;
	size_t		 n = 0, len;

	cr_assert_eq(*p, '(', "an SQL list starts with (");
	p++;
	for (;;) {
		const char *end;

		cr_assert_eq(*p, '\'', "each name is quoted: %s", p);
		end = strchr(p + 1, '\'');
		cr_assert_not_null(end);
		len = (size_t)(end - p - 1);
		cr_assert(len > 0 && len < 32 && n < SQL_NAMES_MAX);
		memcpy(names[n], p + 1, len);
		names[n++][len] = '\0';
		p = end + 1;
		if (*p == ')')
			break;
		cr_assert(strncmp(p, ", ", 2) == 0, "names are separated by "
		    "\", \": %s", p);
		p += 2;
	}
	cr_assert_eq(p[1], '\0', "nothing after the list");
	return n;
}

Test(activity, sql_list_is_the_c_list)
{
	char	names[SQL_NAMES_MAX][32];
	size_t	n = sql_names(names), i;

	cr_assert_eq(n, NELEM(runs));
	for (i = 0; i < n; i++) {
		cr_expect_str_eq(names[i], runs[i]);
		cr_expect(sport_is_run(names[i]), "%s is a run in SQL, not in C",
		    names[i]);
	}
}

Test(activity, sql_text_is_stable)
{
	/* The text of prepared statements that use it (db/workouts.c,
	 * db/activities.c): changing the list changes them too. */
	cr_expect_str_eq(SPORT_RUN_SQL, "('Run', 'TrailRun', 'VirtualRun')");
}

Test(activity, runs_and_not_runs)
{
	char	names[SQL_NAMES_MAX][32];
	size_t	n = sql_names(names), i, k;

	for (i = 0; i < NELEM(runs); i++) {
		cr_expect(sport_is_run(runs[i]), "%s", runs[i]);
		cr_expect(match_is_run(runs[i]), "%s", runs[i]);
	}
	for (i = 0; i < NELEM(not_runs); i++) {
		cr_expect(!sport_is_run(not_runs[i]), "'%s'", not_runs[i]);
		cr_expect(!match_is_run(not_runs[i]), "'%s'", not_runs[i]);
		for (k = 0; k < n; k++)
			cr_expect_str_neq(names[k], not_runs[i]);
	}
	cr_expect(!sport_is_run(NULL) && !match_is_run(NULL));
}
