/*
 * fitness_bench: how long the fitness page's computations take for a
 * runner with 2,000 runs over 5 years and an 18-week plan ahead.
 *
 * Times, repeated for BENCH_SECONDS in all (default 1) and reported per
 * call: scoring the 2,000 runs (the runner's thresholds, then load_run
 * for each, with laps for a third of them), the CTL/ATL/TSB series
 * (fitness_compute) from their loads and the plan's, the weekly ramp
 * rates (fitness_weeks), and the large and the small chart's SVG, in CPU
 * milliseconds; then the job worker's path (all of it) and the page's
 * (going on from the stored series of the days shown).  The database's
 * side, through the pool: bench/fitness_page.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "domain/fitness.h"
#include "domain/load.h"
#include "view/fitness_chart.h"

#define RUNS		2000
#define YEARS		5
#define PLAN_DAYS	(18 * 7)
#define LAPS		12
#define MEASURES	7	/* timed() calls in main() */

static struct load_run		 runs[RUNS];
static struct load_segment	 laps[LAPS];
static struct fitness_load	 done[RUNS], plan[PLAN_DAYS];
static size_t			 nplan;
static date_t			 today;

static double
now(void)
{
	struct timespec ts;

	/* CPU time: the machine is shared; wall time would count waits. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* BENCH_SECONDS (default 1) is shared by the measurements. */
static double
bench_seconds(void)
{
	const char	*s = getenv("BENCH_SECONDS");
	double		 v = s ? atof(s) : 0;

	return (v > 0 ? v : 1.0) / MEASURES;
}

/* 2,000 runs spread over 5 years, easy most days, some with laps. */
static void
make_runs(void)
{
	int i;

	srand(2000);
	today = date_from_ymd(2026, 11, 20);
	for (i = 0; i < LAPS; i++)
		laps[i] = (struct load_segment){ 1000, 240 + 10 * (i % 4) };
	for (i = 0; i < RUNS; i++) {
		struct load_run *r = &runs[i];

		done[i].date = today - (date_t)((long)i * YEARS * 365 / RUNS);
		r->moving_s = 1800 + rand() % 5400;
		r->distance_m = r->moving_s * (2.6 + (rand() % 100) / 100.0);
		r->average_hr = i % 5 ? 150 : 0;
		r->type = LOAD_TYPE_UNKNOWN;
		if (i % 3 == 0) {
			r->moving_s = 240 * LAPS + 10 * 6 * LAPS / 4;
			r->distance_m = 1000 * LAPS;
			r->segments = laps;
			r->nsegments = LAPS;
		}
	}
	for (i = 1; i <= PLAN_DAYS; i++)
		if (i % 7 != 3) {
			plan[nplan].date = today + i;
			plan[nplan++].tss = load_planned(i % 7 == 6 ?
			    WORKOUT_LONG : WORKOUT_EASY, 3000 + 30 * i);
		}
}

static void
score(void)
{
	struct load_athlete	 a = { 50, 168, 0 };
	struct load_thresholds	 t = load_thresholds(&a);
	int			 i;

	for (i = 0; i < RUNS; i++)
		done[i].tss = load_run(&t, &runs[i]).tss;
}

static void
series(struct fitness_series *s)
{
	struct fitness_input in = { done, RUNS, plan, nplan, today,
	    today + PLAN_DAYS, FITNESS_SEED_WARM, 0, 0, 0 };

	if (fitness_compute(&in, s) != 0)
		abort();
}

/* Runs fn for about the bench time; returns milliseconds per call. */
static double
timed(void (*fn)(void *), void *arg, long *calls)
{
	double	 t0 = now(), t, limit = bench_seconds();
	long	 n = 0;

	do {
		fn(arg);
		n++;
	} while ((t = now() - t0) < limit);
	*calls = n;
	return t / n * 1e3;
}

static void
do_score(void *arg)
{
	(void)arg;
	score();
}

static void
do_series(void *arg)
{
	struct fitness_series s;

	(void)arg;
	series(&s);
	fitness_free(&s);
}

static void
do_weeks(void *arg)
{
	size_t n;

	free(fitness_weeks(arg, WD_MON, &n));
}

struct chart_arg {
	struct fitness_chart	 c;
	buf_t			 b;
};

static void
do_chart(void *arg)
{
	struct chart_arg *a = arg;

	buf_reset(&a->b);
	fitness_chart_svg(&a->b, &a->c);
}

static void
do_page(void *arg)
{
	struct chart_arg	*a = arg;
	struct fitness_series	 s;

	score();
	series(&s);
	a->c.series = &s;
	a->c.from = fitness_chart_default_from(&s, a->c.size);
	buf_reset(&a->b);
	fitness_chart_svg(&a->b, &a->c);
	fitness_free(&s);
}

/*
 * The page's own path since the job worker stores the series
 * (training/series.c): the stored days of the 26 weeks shown (and a
 * week for their ramps) gone on from the day before, the plan ahead,
 * the weekly ramps and the large chart.
 */
struct stored_arg {
	struct chart_arg	*ch;
	const struct fitness_series *whole;
	struct fitness_load	 loads[FITNESS_CHART_LARGE_WEEKS * 7 + 8];
};

static void
do_stored_page(void *arg)
{
	struct stored_arg	*a = arg;
	struct fitness_input	 in = { 0 };
	struct fitness_series	 s;
	const struct fitness_day *seed;
	date_t			 from = today - 7 * FITNESS_CHART_LARGE_WEEKS - 7;
	size_t			 n = 0, nw;
	date_t			 d;

	seed = fitness_at(a->whole, from - 1);
	for (d = from; d <= today; d++)
		a->loads[n++] = (struct fitness_load){ d,
		    fitness_at(a->whole, d)->load };
	in.done = a->loads;
	in.ndone = n;
	in.planned = plan;
	in.nplanned = nplan;
	in.today = today;
	in.end = today + PLAN_DAYS;
	in.seed = FITNESS_SEED_GIVEN;
	in.start = from;
	in.ctl0 = seed->ctl;
	in.atl0 = seed->atl;
	if (fitness_compute(&in, &s) != 0)
		abort();
	free(fitness_weeks(&s, WD_MON, &nw));
	a->ch->c.series = &s;
	a->ch->c.from = fitness_chart_default_from(&s, FITNESS_CHART_LARGE);
	buf_reset(&a->ch->b);
	fitness_chart_svg(&a->ch->b, &a->ch->c);
	fitness_free(&s);
}

int
main(void)
{
	struct fitness_series	 s;
	struct chart_arg	 ch = { { 0 }, BUF_INIT };
	double			 ms;
	long			 n;

	make_runs();
	score();
	series(&s);
	printf("fitness: %d runs over %d years, %d days to race day "
	    "(%d days in the series)\n", RUNS, YEARS, PLAN_DAYS, s.ndays);
	ms = timed(do_score, NULL, &n);
	printf("fitness: score %d runs (load_run): %.3f ms\n", RUNS, ms);
	ms = timed(do_series, NULL, &n);
	printf("fitness: CTL/ATL/TSB series (fitness_compute): %.3f ms\n", ms);
	ms = timed(do_weeks, &s, &n);
	printf("fitness: weekly ramp rates (fitness_weeks): %.3f ms\n", ms);
	ch.c = (struct fitness_chart){ &s, 0, true, today + PLAN_DAYS,
	    "Marathon", "fit", WD_MON, FITNESS_CHART_LARGE };
	ch.c.from = fitness_chart_default_from(&s, ch.c.size);
	ms = timed(do_chart, &ch, &n);
	printf("fitness: large chart SVG (26 weeks + plan): %.3f ms, %zu bytes\n",
	    ms, ch.b.len);
	ch.c.size = FITNESS_CHART_SMALL;
	ch.c.from = fitness_chart_default_from(&s, ch.c.size);
	ms = timed(do_chart, &ch, &n);
	printf("fitness: small chart SVG (8 weeks + plan): %.3f ms, %zu bytes\n",
	    ms, ch.b.len);
	ch.c.size = FITNESS_CHART_LARGE;
	ms = timed(do_page, &ch, &n);
	printf("fitness: the job's whole-history path (score, series): "
	    "see the first two lines; all of it at once with the large chart: "
	    "%.3f ms\n", ms);
	{
		static struct stored_arg sa;

		sa.ch = &ch;
		sa.whole = &s;
		ms = timed(do_stored_page, &sa, &n);
		printf("fitness: the page from the stored series (26 weeks + 1 "
		    "read, plan ahead, ramps, large chart): %.3f ms\n", ms);
	}
	buf_free(&ch.b);
	fitness_free(&s);
	return 0;
}
