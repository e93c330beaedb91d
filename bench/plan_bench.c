/*
 * plan_bench: how many plans the generator makes per second.
 *
 * Generates an 18-week marathon plan (5 runs a week, 20:00 5K) over and
 * over for about a second and prints plans/s, plus a 12-week 10K plan
 * in miles for comparison.
 */
#include <stdio.h>
#include <time.h>

#include "domain/plan_gen.h"

#define BENCH_SECONDS	1.0

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
run(const char *name, const struct plan_input *in)
{
	struct plan p;
	double t0 = now(), t;
	long n = 0;
	size_t workouts = 0;

	do {
		if (plan_generate(in, &p) != 0) {
			fprintf(stderr, "plan_bench: %s: invalid input\n", name);
			return 1;
		}
		workouts = p.nworkouts;
		plan_free(&p);
		n++;
	} while ((t = now() - t0) < BENCH_SECONDS);
	printf("plan: %s: %.0f plans/s (%zu workouts each, %.1f us/plan)\n",
	    name, n / t, workouts, t / n * 1e6);
	return 0;
}

int
main(void)
{
	struct plan_input in = {
		.race_distance = 42195,
		.race_date = date_from_ymd(2027, 4, 25),
		.weeks = 18,
		.runs_per_week = 5,
		.long_run_day = WD_SUN,
		.first_day = WD_MON,
		.weekly_distance_m = 40000,
		.longest_run_m = 16000,
		.recent_race_distance = 5000,
		.recent_race_time_s = 20 * 60,
		.unit = UNIT_KM,
		.today = date_from_ymd(2026, 12, 1),
	};
	int rc = run("18-week marathon", &in);

	in.race_distance = 10000;
	in.weeks = 12;
	in.unit = UNIT_MI;
	return rc | run("12-week 10K (mi)", &in);
}
