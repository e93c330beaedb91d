/*
 * plan_text: description templates render in km and miles; anything
 * that is not a well-formed token stays as it was typed.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/plan_text.h"

static const char *
render(const char *t, enum unit u)
{
	static char b[256];

	plan_text_render(b, sizeof(b), t, u);
	return b;
}

Test(plan_text, distances_and_paces_in_each_unit)
{
	const char *t = "{d:8000} easy at {p:351:394}";

	cr_assert_str_eq(render(t, UNIT_KM), "8 km easy at 5:51-6:34/km");
	cr_assert_str_eq(render(t, UNIT_MI), "5 mi easy at 9:25-10:34/mi");
	cr_assert_str_eq(render("Target 3:11:00 ({P:272})", UNIT_MI),
	    "Target 3:11:00 (7:18/mi)");
}

Test(plan_text, reps_of_the_unit_read_as_a_pace)
{
	cr_assert_str_eq(render("{R:5:1000:230:240}", UNIT_KM),
	    "5 x 1 km at 3:50-4:00/km");
	cr_assert_str_eq(render("{R:4:1609:230:240}", UNIT_MI),
	    "4 x 1 mile at 6:10-6:26/mi");
}

Test(plan_text, other_reps_give_their_time_and_the_pace)
{
	/* A mile runner on 1 km reps gets the per-km target as a rep time. */
	cr_assert_str_eq(render("{R:5:1000:230:240}", UNIT_MI),
	    "5 x 1000 m in 3:50-4:00 (6:10-6:26/mi)");
	/* Never a "km" in a mile runner's text (issue 15.2). */
	cr_assert_str_eq(render("{R:3:2000:250:260}", UNIT_MI),
	    "3 x 2000 m in 8:20-8:40 (6:42-6:58/mi)");
	cr_assert_str_eq(render("{R:6:800:230:240}", UNIT_KM),
	    "6 x 800 m in 3:04-3:12 (3:50-4:00/km)");
	cr_assert_str_eq(render("{R:8:400:216:223}", UNIT_KM),
	    "8 x 400 m in 86-89 s (3:36-3:43/km)");
	cr_assert_str_eq(render("{R:3:1200:230:240}", UNIT_MI),
	    "3 x 1200 m in 4:36-4:48 (6:10-6:26/mi)");
}

Test(plan_text, hand_text_and_broken_tokens_stay)
{
	const char *odd[] = { "My own run {with braces}", "{d:}", "{d:12",
	    "{q:5}", "{d:1:2}", "{R:5:0:230:240}", "{p:-3:4}", "{", "}{d" };
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		cr_assert_str_eq(render(odd[i], UNIT_MI), odd[i], "%s", odd[i]);
	cr_assert_str_eq(render("a {d:1000} b {x} c", UNIT_KM),
	    "a 1 km b {x} c");
}

Test(plan_text, truncates_safely_and_says_how_long)
{
	char b[8];
	size_t n = plan_text_render(b, sizeof(b), "{d:8000} easy", UNIT_KM);

	cr_assert_eq(n, strlen("8 km easy"));
	cr_assert_str_eq(b, "8 km ea");
	cr_assert_eq(plan_text_render(b, 1, "{d:8000}", UNIT_KM), 4);
	cr_assert_str_eq(b, "");
}

Test(plan_text, rep_names)
{
	char b[16];

	plan_text_rep(b, sizeof(b), 400);
	cr_assert_str_eq(b, "400 m");
	plan_text_rep(b, sizeof(b), 1200);
	cr_assert_str_eq(b, "1200 m");
	plan_text_rep(b, sizeof(b), 2000);
	cr_assert_str_eq(b, "2 km");
	plan_text_rep(b, sizeof(b), 1609);
	cr_assert_str_eq(b, "1 mile");
}
