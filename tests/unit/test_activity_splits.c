/*
 * db/activity_detail's stored laps and splits (strava_activities.splits):
 * what is written reads back the same, and a stored value that is not
 * what Cadence writes reads as nothing.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "db/activity_detail.h"

Test(activity_splits, written_then_read_back)
{
	struct split_input laps[2] = {
		{ 2000.04, 600, 140.52, true, 3.21 },
		{ 2100, 540, 0, false, 0 },
	}, km[1] = { { 1000, 295, 150, true, -1.5 } };
	struct run_splits s = { laps, 2, km, 1, NULL, 0 }, back;
	arena_t a;
	char *json = activity_splits_json(&s);

	cr_assert_not_null(json);
	cr_assert_str_eq(json, "{\"laps\":[[2000.0,600,140.5,3.2],[2100.0,540,"
	    "null,null]],\"metric\":[[1000.0,295,150.0,-1.5]]}");
	arena_init(&a);
	cr_assert(activity_splits_parse(&a, json, &back));
	cr_assert_eq(back.nlaps, 2);
	cr_assert_eq(back.nmetric, 1);
	cr_assert_eq(back.nstandard, 0);
	cr_expect_float_eq(back.laps[0].average_hr, 140.5, 1e-9);
	cr_expect(back.laps[0].has_elevation);
	cr_expect_not(back.laps[1].has_elevation);
	cr_expect_eq(back.metric[0].moving_s, 295);
	free(json);
	s.nlaps = s.nmetric = 0;
	cr_expect_null(activity_splits_json(&s), "nothing: NULL");
	cr_assert(activity_splits_parse(&a, NULL, &back));
	cr_expect_eq(back.nlaps, 0);
	cr_expect_not(activity_splits_parse(&a, "[1]", &back));
	cr_expect_not(activity_splits_parse(&a, "{\"laps\":[[1,2]]}", &back));
	cr_expect_not(activity_splits_parse(&a, "{\"laps\":[[1,\"x\",null,"
	    "null]]}", &back));
	cr_expect_eq(back.nlaps, 0);
	arena_free(&a);
}
