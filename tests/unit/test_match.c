/*
 * Tests for domain/match: tolerance bounds, closest wins, double runs,
 * manual decisions, sport types, and independence from input order.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "domain/match.h"

#define MAXN	32

/* One scenario: inputs plus the arrays they point into. */
struct scen {
	struct match_workout	w[MAXN];
	struct match_activity	a[MAXN];
	struct match_pair	manual[MAXN], unmatched[MAXN], current[MAXN];
	struct match_input	in;
};

static date_t
day(int d)
{
	return date_from_ymd(2024, 5, d);
}

static void
scen_init(struct scen *s)
{
	memset(s, 0, sizeof(*s));
	s->in.workouts = s->w;
	s->in.activities = s->a;
	s->in.manual = s->manual;
	s->in.unmatched = s->unmatched;
	s->in.current = s->current;
}

static struct match_workout *
add_w(struct scen *s, const char *id, int d, int64_t planned)
{
	struct match_workout *w = &s->w[s->in.nworkouts++];

	w->id = id;
	w->date = day(d);
	w->planned_m = planned;
	w->type = "easy";
	return w;
}

static void
add_a(struct scen *s, const char *id, int d, const char *sport, int64_t dist)
{
	struct match_activity *a = &s->a[s->in.nactivities++];

	a->id = id;
	a->date = day(d);
	a->sport_type = sport;
	a->distance_m = dist;
	a->moving_s = dist / 3;
}

static void
add_pair(struct match_pair *arr, size_t *n, const char *w, const char *a)
{
	arr[*n].workout_id = w;
	arr[*n].activity_id = a;
	(*n)++;
}

/* "w:a w:a | completed... | unplanned..." for one-line comparisons. */
static char *
run(const struct scen *s)
{
	struct match_result r;
	buf_t b = BUF_INIT;
	size_t i;

	match_run(&s->in, &r);
	for (i = 0; i < r.npairs; i++)
		buf_printf(&b, "%s%s:%s", i ? " " : "",
		    r.pairs[i].workout_id, r.pairs[i].activity_id);
	buf_puts(&b, " |");
	for (i = 0; i < r.ncompleted; i++)
		buf_printf(&b, " %s", r.completed[i]);
	buf_puts(&b, " |");
	for (i = 0; i < r.nunplanned; i++)
		buf_printf(&b, " %s", r.unplanned[i]);
	match_result_free(&r);
	buf_puts(&b, "");
	return b.data;
}

static void
expect(const struct scen *s, const char *want)
{
	char *got = run(s);

	cr_expect_str_eq(got, want);
	free(got);
}

Test(match, within_bounds_integer_exact)
{
	cr_expect(match_within(9000, 10000));
	cr_expect(match_within(11000, 10000));
	cr_expect(!match_within(8999, 10000));
	cr_expect(!match_within(11001, 10000));
	cr_expect(match_within(4500, 5000));	/* 90 % of an odd split */
	cr_expect(!match_within(4499, 5000));
	cr_expect(match_within(9, 10));
	cr_expect(!match_within(0, 0));
	cr_expect(!match_within(100, -5));
	cr_expect(!match_within(-1, 1));
}

Test(match, exactly_90_and_110_percent_match)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_w(&s, "w2", 7, 10000);
	add_a(&s, "a1", 6, "Run", 9000);
	add_a(&s, "a2", 7, "Run", 11000);
	expect(&s, "w1:a1 w2:a2 | w1 w2 |");
}

/* Outside the tolerance a same-day run is linked, but does not complete. */
Test(match, just_outside_tolerance_is_partial_not_complete)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_w(&s, "w2", 7, 10000);
	add_a(&s, "a1", 6, "Run", 8990);	/* 89.9 % */
	add_a(&s, "a2", 7, "Run", 11010);	/* 110.1 % */
	expect(&s, "w1:a1 w2:a2 | |");
}

/* Issue 15's case: 6.7 km on the day of a 9.5 km easy run. */
Test(match, same_day_short_run_is_partial)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 9500);
	add_a(&s, "a1", 6, "Run", 6700);
	add_a(&s, "a2", 7, "Run", 6700);	/* no workout that day */
	add_a(&s, "a3", 6, "Ride", 30000);	/* not the same sport */
	expect(&s, "w1:a1 | | a2");
}

Test(match, partial_takes_every_free_run_of_the_day)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 20000);
	add_a(&s, "a1", 6, "Run", 5000);
	add_a(&s, "a2", 6, "Run", 6000);
	expect(&s, "w1:a1 w1:a2 | |");
}

Test(match, partial_never_undoes_an_unmatch)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 9500);
	add_a(&s, "a1", 6, "Run", 6700);
	add_pair(s.unmatched, &s.in.nunmatched, "w1", "a1");
	expect(&s, " | | a1");
}

/* A run that fits one workout goes there; the other workout stays open. */
Test(match, partial_only_after_full_matches)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_w(&s, "w2", 6, 5000);
	add_a(&s, "a1", 6, "Run", 5100);
	expect(&s, "w2:a1 | w2 |");
}

Test(match, partial_leaves_locked_workouts_alone)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000)->skipped_by_hand = true;
	add_w(&s, "w2", 7, 10000)->done_by_hand = true;
	add_a(&s, "a1", 6, "Run", 3000);
	add_a(&s, "a2", 7, "Run", 3000);
	expect(&s, " | w2 | a1 a2");
}

Test(match, other_day_does_not_match)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 7, "Run", 10000);
	expect(&s, " | | a1");
}

Test(match, closest_distance_wins)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Run", 9500);
	add_a(&s, "a2", 6, "Run", 10100);
	expect(&s, "w1:a2 | w1 | a1");

	/* Two workouts: the activity goes to the nearer plan. */
	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_w(&s, "w2", 6, 10500);
	add_a(&s, "a1", 6, "Run", 10400);
	expect(&s, "w2:a1 | w2 |");

	/* And each of two activities finds its own. */
	add_a(&s, "a2", 6, "TrailRun", 9950);
	expect(&s, "w1:a2 w2:a1 | w1 w2 |");
}

Test(match, tie_goes_to_smaller_workout_id)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w-b", 6, 10000);
	add_w(&s, "w-a", 6, 10000);
	add_a(&s, "a1", 6, "Run", 10000);
	expect(&s, "w-a:a1 | w-a |");
}

Test(match, one_activity_completes_one_workout)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 8000);
	add_w(&s, "w2", 6, 8000);
	add_a(&s, "a1", 6, "VirtualRun", 8000);
	expect(&s, "w1:a1 | w1 |");
}

Test(match, double_run_completes_one_workout)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "am", 6, "Run", 5000);
	add_a(&s, "pm", 6, "Run", 5000);
	expect(&s, "w1:am w1:pm | w1 |");
}

Test(match, single_run_preferred_over_combination)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Run", 5000);
	add_a(&s, "a2", 6, "Run", 5200);
	add_a(&s, "a3", 6, "Run", 9300);
	expect(&s, "w1:a3 | w1 | a1 a2");
}

Test(match, combination_picks_closest_sum)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 12000);
	add_a(&s, "a1", 6, "Run", 3000);
	add_a(&s, "a2", 6, "Run", 6000);
	add_a(&s, "a3", 6, "Run", 6100);
	/* Only 6000 + 6100 = 12100 lands within 10 % of 12000. */
	expect(&s, "w1:a2 w1:a3 | w1 | a1");
}

Test(match, combination_with_non_run_ignored)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Run", 5000);
	add_a(&s, "r1", 6, "Ride", 5000);
	/* Half the distance: linked as partial, the ride left out. */
	expect(&s, "w1:a1 | |");
}

Test(match, non_run_sport_types_ignored)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Ride", 10000);
	add_a(&s, "a2", 6, "Walk", 10000);
	add_a(&s, "a3", 6, "run", 10000);	/* case matters */
	expect(&s, " | |");
	cr_expect(match_is_run("Run") && match_is_run("TrailRun") &&
	    match_is_run("VirtualRun"));
	cr_expect(!match_is_run("Hike") && !match_is_run(NULL) &&
	    !match_is_run(""));
}

Test(match, workout_without_distance_not_matched)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 0);
	add_a(&s, "a1", 6, "Run", 0);
	expect(&s, " | | a1");
}

Test(match, done_or_skipped_by_hand_left_alone)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000)->done_by_hand = true;
	add_w(&s, "w2", 7, 10000)->skipped_by_hand = true;
	add_a(&s, "a1", 6, "Run", 10000);
	add_a(&s, "a2", 7, "Run", 10000);
	expect(&s, " | w1 | a1 a2");
}

Test(match, manual_pair_locks_workout_and_activity)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_w(&s, "w2", 6, 10000);
	add_a(&s, "a1", 6, "Run", 10000);
	add_a(&s, "a2", 6, "Run", 10000);
	/* The runner paired a2 with w2 by hand: a1 may only go to w1. */
	add_pair(s.manual, &s.in.nmanual, "w2", "a2");
	expect(&s, "w1:a1 | w1 w2 |");

	/* A manual pair with a short run keeps its workout closed. */
	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Run", 3000);
	add_a(&s, "a2", 6, "Run", 10000);
	add_pair(s.manual, &s.in.nmanual, "w1", "a1");
	expect(&s, " | w1 | a2");
}

Test(match, unmatched_by_hand_never_recreated)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Run", 10000);
	add_pair(s.unmatched, &s.in.nunmatched, "w1", "a1");
	expect(&s, " | | a1");

	/* The activity may still complete another workout. */
	add_w(&s, "w2", 6, 9500);
	expect(&s, "w2:a1 | w2 |");
}

Test(match, unmatched_by_hand_blocks_combination)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_a(&s, "a1", 6, "Run", 5000);
	add_a(&s, "a2", 6, "Run", 5000);
	add_pair(s.unmatched, &s.in.nunmatched, "w1", "a2");
	/* No combination; a1 alone is a partial run, a2 stays unlinked. */
	expect(&s, "w1:a1 | | a2");
}

Test(match, locked_workout_keeps_its_stored_auto_pairs)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000)->done_by_hand = true;
	add_w(&s, "w2", 7, 10000);
	add_a(&s, "a1", 6, "Run", 4000);	/* would not fit any more */
	add_a(&s, "a2", 7, "Run", 4000);
	add_pair(s.current, &s.in.ncurrent, "w1", "a1");
	add_pair(s.current, &s.in.ncurrent, "w2", "a2");
	/* w1 is locked: kept.  w2 is not: re-decided, as a partial run. */
	expect(&s, "w1:a1 w2:a2 | w1 |");
}

Test(match, stored_pair_dropped_when_activity_manually_elsewhere)
{
	struct scen s;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000)->done_by_hand = true;
	add_w(&s, "w2", 6, 10000);
	add_a(&s, "a1", 6, "Run", 10000);
	add_pair(s.current, &s.in.ncurrent, "w1", "a1");
	add_pair(s.manual, &s.in.nmanual, "w2", "a1");
	expect(&s, " | w1 w2 |");
}

static char *
diff_str(const struct match_pair *cur, size_t nc, const struct match_pair *des,
    size_t nd)
{
	struct match_diff d;
	buf_t b = BUF_INIT;
	size_t i;

	match_diff(cur, nc, des, nd, &d);
	buf_puts(&b, "+");
	for (i = 0; i < d.nadd; i++)
		buf_printf(&b, " %s:%s", d.add[i].workout_id,
		    d.add[i].activity_id);
	buf_puts(&b, " -");
	for (i = 0; i < d.nremove; i++)
		buf_printf(&b, " %s:%s", d.remove[i].workout_id,
		    d.remove[i].activity_id);
	match_diff_free(&d);
	return b.data;
}

Test(match, diff_adds_and_removes)
{
	struct match_pair cur[] = {
		{ "w2", "a2" }, { "w1", "a1" }, { "w1", "a1" }
	};
	struct match_pair des[] = {
		{ "w3", "a3" }, { "w2", "a2" }, { "w1", "a9" }
	};
	char *s = diff_str(cur, 3, des, 3);

	cr_expect_str_eq(s, "+ w1:a9 w3:a3 - w1:a1");
	free(s);
	s = diff_str(NULL, 0, NULL, 0);
	cr_expect_str_eq(s, "+ -");
	free(s);
	s = diff_str(des, 3, des, 3);
	cr_expect_str_eq(s, "+ -");
	free(s);
}

Test(match, diff_applied_to_current_gives_desired)
{
	struct scen s;
	struct match_result r;
	struct match_diff d;

	scen_init(&s);
	add_w(&s, "w1", 6, 10000);
	add_w(&s, "w2", 7, 8000);
	add_a(&s, "a1", 6, "Run", 10000);
	add_a(&s, "a2", 7, "Run", 8000);
	add_a(&s, "a3", 7, "Run", 3000);
	add_pair(s.current, &s.in.ncurrent, "w1", "a1");
	add_pair(s.current, &s.in.ncurrent, "w2", "a3");
	match_run(&s.in, &r);
	match_diff(s.current, s.in.ncurrent, r.pairs, r.npairs, &d);
	cr_assert_eq(d.nadd, 1);
	cr_expect_str_eq(d.add[0].workout_id, "w2");
	cr_expect_str_eq(d.add[0].activity_id, "a2");
	cr_assert_eq(d.nremove, 1);
	cr_expect_str_eq(d.remove[0].activity_id, "a3");
	match_diff_free(&d);
	match_result_free(&r);
}

/* A deterministic generator so a failure can be replayed. */
static uint32_t
lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

#define SHUFFLE(arr, n, st) do {					\
	size_t i_;							\
	for (i_ = (n); i_ > 1; i_--) {					\
		size_t j_ = lcg(st) % i_;				\
		__typeof__((arr)[0]) t_ = (arr)[i_ - 1];		\
		(arr)[i_ - 1] = (arr)[j_];				\
		(arr)[j_] = t_;						\
	}								\
} while (0)

Test(match, result_independent_of_input_order)
{
	static const char *wid[] = {
		"0b1e4c4e-0000-4000-8000-000000000001",
		"0b1e4c4e-0000-4000-8000-000000000002",
		"0b1e4c4e-0000-4000-8000-000000000003",
		"0b1e4c4e-0000-4000-8000-000000000004",
		"0b1e4c4e-0000-4000-8000-000000000005",
		"0b1e4c4e-0000-4000-8000-000000000006",
		"0b1e4c4e-0000-4000-8000-000000000007",
		"0b1e4c4e-0000-4000-8000-000000000008",
	};
	struct scen s;
	char *want, *got;
	uint32_t st = 12345;
	int round;

	scen_init(&s);
	add_w(&s, wid[0], 6, 10000);		/* tie on day 6 */
	add_w(&s, wid[1], 6, 10000);
	add_w(&s, wid[2], 7, 12000);		/* double run */
	add_w(&s, wid[3], 8, 8000)->done_by_hand = true;
	add_w(&s, wid[4], 9, 15000);		/* closest of three */
	add_w(&s, wid[5], 10, 6000);		/* unmatched by hand */
	add_w(&s, wid[6], 11, 20000);		/* triple run */
	add_w(&s, wid[7], 12, 5000);		/* manual */
	add_a(&s, "1001", 6, "Run", 10000);
	add_a(&s, "1002", 6, "Run", 10050);
	add_a(&s, "1003", 6, "Run", 9990);
	add_a(&s, "1004", 7, "Run", 6000);
	add_a(&s, "1005", 7, "TrailRun", 6000);
	add_a(&s, "1006", 7, "Ride", 12000);
	add_a(&s, "1007", 8, "Run", 8000);
	add_a(&s, "1008", 9, "Run", 14000);
	add_a(&s, "1009", 9, "Run", 15500);
	add_a(&s, "1010", 9, "Run", 16400);
	add_a(&s, "1011", 10, "Run", 6000);
	add_a(&s, "1012", 11, "Run", 7000);
	add_a(&s, "1013", 11, "Run", 7000);
	add_a(&s, "1014", 11, "Run", 6000);
	add_a(&s, "1015", 12, "Run", 5000);
	add_pair(s.unmatched, &s.in.nunmatched, wid[5], "1011");
	add_pair(s.manual, &s.in.nmanual, wid[7], "1015");
	add_pair(s.current, &s.in.ncurrent, wid[3], "1007");
	add_pair(s.current, &s.in.ncurrent, wid[0], "1002");

	want = run(&s);
	/* Spot checks that the scenario exercises what it claims. */
	cr_expect(strstr(want, "0001:1001 ") != NULL);
	cr_expect(strstr(want, "0002:1003 ") != NULL);
	cr_expect(strstr(want, "0003:1004 ") != NULL);
	cr_expect(strstr(want, "0003:1005 ") != NULL);
	cr_expect(strstr(want, "0004:1007 ") != NULL);
	cr_expect(strstr(want, "0005:1009 ") != NULL);
	cr_expect(strstr(want, "0007:1012 ") != NULL &&
	    strstr(want, "0007:1013 ") != NULL &&
	    strstr(want, "0007:1014 ") != NULL);
	cr_expect(strstr(want, "| 1002 1008 1010 1011") != NULL, "%s", want);

	for (round = 0; round < 300; round++) {
		SHUFFLE(s.w, s.in.nworkouts, &st);
		SHUFFLE(s.a, s.in.nactivities, &st);
		SHUFFLE(s.current, s.in.ncurrent, &st);
		got = run(&s);
		cr_assert_str_eq(got, want, "round %d", round);
		free(got);
	}
	free(want);
}
