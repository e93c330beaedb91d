/*
 * Tests for domain/compliance: states, colour bands at their edges, the
 * rounding rule and week totals.
 */
#include <criterion/criterion.h>

#include "domain/compliance.h"

static struct compliance_input
input(int day_offset, int64_t planned, int64_t actual, int nmatched)
{
	struct compliance_input in = { 0 };

	in.today = date_from_ymd(2024, 5, 15);
	in.date = in.today + day_offset;
	in.planned_m = planned;
	in.actual_m = actual;
	in.nmatched = nmatched;
	return in;
}

static struct compliance
eval(int day_offset, int64_t planned, int64_t actual, int nmatched)
{
	struct compliance_input in = input(day_offset, planned, actual, nmatched);

	return compliance_eval(&in);
}

Test(compliance, percent_rounds_half_up)
{
	cr_expect_eq(compliance_percent(10000, 10000), 100);
	cr_expect_eq(compliance_percent(795, 1000), 80);	/* 79.5 */
	cr_expect_eq(compliance_percent(794, 1000), 79);	/* 79.4 */
	cr_expect_eq(compliance_percent(1205, 1000), 121);	/* 120.5 */
	cr_expect_eq(compliance_percent(1, 3), 33);
	cr_expect_eq(compliance_percent(2, 3), 67);
	cr_expect_eq(compliance_percent(0, 5000), 0);
	cr_expect_eq(compliance_percent(5000, 0), -1);
	cr_expect_eq(compliance_percent(-7, 100), 0);
}

Test(compliance, colour_band_edges)
{
	cr_expect_eq(compliance_colour_for(-1), CC_NONE);
	cr_expect_eq(compliance_colour_for(0), CC_ORANGE);
	cr_expect_eq(compliance_colour_for(49), CC_ORANGE);
	cr_expect_eq(compliance_colour_for(50), CC_YELLOW);
	cr_expect_eq(compliance_colour_for(79), CC_YELLOW);
	cr_expect_eq(compliance_colour_for(80), CC_GREEN);
	cr_expect_eq(compliance_colour_for(120), CC_GREEN);
	cr_expect_eq(compliance_colour_for(121), CC_YELLOW);
	cr_expect_eq(compliance_colour_for(150), CC_YELLOW);
	cr_expect_eq(compliance_colour_for(151), CC_ORANGE);
}

Test(compliance, done_and_partly_done)
{
	struct compliance c = eval(-1, 10000, 10000, 1);

	cr_expect_eq(c.state, CS_DONE);
	cr_expect_eq(c.colour, CC_GREEN);
	cr_expect_eq(c.percent, 100);

	c = eval(-1, 10000, 7000, 1);
	cr_expect_eq(c.state, CS_PARTLY_DONE);
	cr_expect_eq(c.colour, CC_YELLOW);
	cr_expect_eq(c.percent, 70);

	c = eval(-1, 10000, 3000, 1);
	cr_expect_eq(c.state, CS_PARTLY_DONE);
	cr_expect_eq(c.colour, CC_ORANGE);

	/* Outside the matcher's +-10 %: partly done, yet in the green band. */
	c = eval(-1, 10000, 8500, 1);
	cr_expect_eq(c.state, CS_PARTLY_DONE);
	cr_expect_eq(c.colour, CC_GREEN);
	c = eval(-1, 10000, 8940, 1);		/* 89.4 -> 89 % */
	cr_expect_eq(c.state, CS_PARTLY_DONE);
	c = eval(-1, 10000, 9000, 1);
	cr_expect_eq(c.state, CS_DONE);

	c = eval(-2, 10000, 16000, 2);		/* far too much: done, orange */
	cr_expect_eq(c.state, CS_DONE);
	cr_expect_eq(c.colour, CC_ORANGE);

	c = eval(-2, 10000, 13000, 1);
	cr_expect_eq(c.colour, CC_YELLOW);

	c = eval(0, 10000, 10000, 1);		/* run today already */
	cr_expect_eq(c.state, CS_DONE);
}

Test(compliance, nothing_done_depends_on_date)
{
	struct compliance c = eval(-1, 10000, 0, 0);

	cr_expect_eq(c.state, CS_MISSED);
	cr_expect_eq(c.colour, CC_RED);
	cr_expect_eq(c.percent, 0);

	c = eval(0, 10000, 0, 0);
	cr_expect_eq(c.state, CS_TODAY);
	cr_expect_eq(c.colour, CC_NONE);

	c = eval(3, 10000, 0, 0);
	cr_expect_eq(c.state, CS_UPCOMING);
	cr_expect_eq(c.colour, CC_NONE);
	cr_expect_eq(c.percent, -1);
}

Test(compliance, by_hand_marks_win)
{
	struct compliance_input in = input(-1, 10000, 0, 0);
	struct compliance c;

	in.skipped = true;
	c = compliance_eval(&in);
	cr_expect_eq(c.state, CS_SKIPPED);
	cr_expect_eq(c.colour, CC_NONE);

	in.skipped = false;
	in.done_by_hand = true;
	c = compliance_eval(&in);
	cr_expect_eq(c.state, CS_DONE);
	cr_expect_eq(c.colour, CC_GREEN);

	/* Done by hand with a short recording: done, coloured by the data. */
	in.actual_m = 6000;
	in.nmatched = 1;
	c = compliance_eval(&in);
	cr_expect_eq(c.state, CS_DONE);
	cr_expect_eq(c.colour, CC_YELLOW);
}

Test(compliance, workout_without_distance)
{
	struct compliance c = eval(-1, 0, 4000, 1);

	cr_expect_eq(c.state, CS_DONE);
	cr_expect_eq(c.colour, CC_GREEN);
	cr_expect_eq(c.percent, -1);
	c = eval(-1, 0, 0, 0);
	cr_expect_eq(c.state, CS_MISSED);
	cr_expect_eq(c.percent, -1);
}

Test(compliance, keys)
{
	cr_expect_str_eq(compliance_state_key(CS_PARTLY_DONE), "partly_done");
	cr_expect_str_eq(compliance_state_key(CS_SKIPPED), "skipped");
	cr_expect_str_eq(compliance_colour_key(CC_GREY), "grey");
	cr_expect_str_eq(compliance_colour_key(CC_RED), "red");
	cr_expect_str_eq(compliance_colour_key((enum compliance_colour)99),
	    "none");
}

Test(compliance, week_totals)
{
	struct week_totals t;
	struct compliance_input in[4];
	struct compliance c;
	int i;

	in[0] = input(-3, 10000, 10000, 1);	/* done */
	in[1] = input(-2, 8000, 4000, 1);	/* partly */
	in[2] = input(-1, 6000, 0, 0);		/* missed */
	in[3] = input(1, 12000, 0, 0);		/* upcoming */
	for (i = 0; i < 4; i++)
		in[i].planned_s = 3600;
	in[0].actual_s = 3000;
	in[1].actual_s = 1500;
	week_totals_init(&t);
	cr_expect_eq(week_totals_percent(&t), -1);
	for (i = 0; i < 4; i++) {
		c = compliance_eval(&in[i]);
		week_totals_add(&t, &in[i], &c);
	}
	week_totals_add_unplanned(&t, 5000, 1800);
	cr_expect_eq(t.workouts, 4);
	/* Time adds up like distance (issue 15.5). */
	cr_expect_eq(t.planned_s, 4 * 3600);
	cr_expect_eq(t.matched_s, 3000 + 1500);
	cr_expect_eq(t.unplanned_s, 1800);
	cr_expect_eq(t.planned_m, 36000);
	cr_expect_eq(t.matched_m, 14000);
	cr_expect_eq(t.unplanned_m, 5000);
	cr_expect_eq(t.unplanned_runs, 1);
	cr_expect_eq(t.done, 1);
	cr_expect_eq(t.partly_done, 1);
	cr_expect_eq(t.missed, 1);
	cr_expect_eq(t.skipped, 0);
	cr_expect_eq(week_totals_percent(&t), 53);	/* 19000 / 36000 */
}
