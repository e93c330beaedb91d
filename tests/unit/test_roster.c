/*
 * Tests for domain/roster: the week so far, missed workouts, Strava
 * reasons, and the attention order a coach reads the roster in.
 */
#include <criterion/criterion.h>

#include "domain/roster.h"

/* Wednesday 2024-05-15; the athlete's weeks start on Monday the 13th. */
#define TODAY	date_from_ymd(2024, 5, 15)

static struct roster_input
athlete(const struct roster_workout *w, size_t nw, const struct roster_run *r,
    size_t nr)
{
	struct roster_input in = { 0 };

	in.today = TODAY;
	in.first_day = WD_MON;
	in.has_plan = true;
	in.strava_connected = true;
	in.days_since_run = 1;
	in.workouts = w;
	in.nworkouts = nw;
	in.runs = r;
	in.nruns = nr;
	return in;
}

static struct roster_workout
workout(int day, bool key, int planned, int ran)
{
	struct roster_workout w = { TODAY + day, key, planned, ran, ran > 0,
	    false, false };

	return w;
}

Test(roster, week_so_far_counts_what_was_due)
{
	/* Mon run in full, Tue missed, today not yet run, Sat ahead. */
	const struct roster_workout w[] = { workout(-2, false, 8000, 8000),
	    workout(-1, true, 10000, 0), workout(0, false, 6000, 0),
	    workout(3, true, 20000, 0) };
	struct roster_input in = athlete(w, 4, NULL, 0);
	struct roster_status st;

	roster_evaluate(&in, &st);
	cr_expect_eq(st.week_planned_m, 44000);
	cr_expect_eq(st.week_done_m, 8000);
	cr_expect_eq(st.week_workouts, 4);
	cr_expect_eq(st.week_done, 1);
	cr_expect_eq(st.due_percent, 44);	/* 8 of 18 km due */
	cr_expect_eq(st.colour, CC_ORANGE);
	cr_expect_eq(st.missed_key, 1);
	cr_expect_eq(st.missed, 0);
	cr_expect(st.reasons & (1u << RR_BEHIND));
	cr_expect(st.reasons & (1u << RR_MISSED_KEY));
}

Test(roster, a_fresh_week_is_not_behind)
{
	/* Monday morning: today's workout not run yet, nothing due. */
	const struct roster_workout w[] = { workout(-2, false, 8000, 0) };
	struct roster_input in = athlete(w, 1, NULL, 0);
	struct roster_status st;

	in.today = TODAY - 2;		/* Monday, the workout's day */
	roster_evaluate(&in, &st);
	cr_expect_eq(st.due_percent, -1);
	cr_expect_eq(st.colour, CC_NONE);
	cr_expect_eq(st.reasons, 0);
	cr_expect_eq(st.score, 0);
}

Test(roster, unplanned_runs_count_and_over_plan_is_not_behind)
{
	const struct roster_workout w[] = { workout(-2, false, 5000, 0) };
	const struct roster_run r[] = { { TODAY - 1, 12000 },
	    { TODAY - 9, 5000 } /* last week: not this week's */ };
	struct roster_input in = athlete(w, 1, r, 2);
	struct roster_status st;

	roster_evaluate(&in, &st);
	cr_expect_eq(st.week_done_m, 12000);
	cr_expect_eq(st.due_percent, 240);
	cr_expect_eq(st.reasons & (1u << RR_BEHIND), 0);
	/* The planned workout itself was still missed. */
	cr_expect_eq(st.missed, 1);
}

Test(roster, missed_workouts_only_in_the_lookback)
{
	const struct roster_workout w[] = {
	    workout(-ROSTER_LOOKBACK_DAYS - 1, true, 10000, 0),	/* too old */
	    workout(-ROSTER_LOOKBACK_DAYS, true, 10000, 0),
	    workout(-5, false, 8000, 0),
	    workout(-4, false, 8000, 7000),			/* partly done */
	};
	struct roster_input in = athlete(w, 4, NULL, 0);
	struct roster_status st;

	roster_evaluate(&in, &st);
	cr_expect_eq(st.missed_key, 1);
	cr_expect_eq(st.missed, 1);
}

/* Marked done without a recording: what was planned counts as run. */
Test(roster, done_by_hand_counts_its_distance)
{
	struct roster_workout w[] = { workout(-1, true, 10000, 0),
	    workout(1, false, 6000, 0) };
	struct roster_input in;
	struct roster_status st;

	w[0].done_by_hand = true;
	in = athlete(w, 2, NULL, 0);
	roster_evaluate(&in, &st);
	cr_expect_eq(st.week_done_m, 10000);
	cr_expect_eq(st.due_percent, 100);
	cr_expect_eq(st.reasons, 0);
}

Test(roster, skipped_and_done_by_hand_are_not_missed)
{
	struct roster_workout w[] = { workout(-3, true, 10000, 0),
	    workout(-4, true, 10000, 0) };
	struct roster_input in;
	struct roster_status st;

	w[0].skipped = true;
	w[1].done_by_hand = true;
	in = athlete(w, 2, NULL, 0);
	roster_evaluate(&in, &st);
	cr_expect_eq(st.missed_key + st.missed, 0);
}

Test(roster, strava_reasons)
{
	struct roster_input in = athlete(NULL, 0, NULL, 0);
	struct roster_status st;

	in.days_since_run = ROSTER_QUIET_DAYS;
	roster_evaluate(&in, &st);
	cr_expect_eq(st.reasons, 1u << RR_QUIET);
	in.days_since_run = ROSTER_QUIET_DAYS - 1;
	roster_evaluate(&in, &st);
	cr_expect_eq(st.reasons, 0);
	in.strava_connected = false;
	roster_evaluate(&in, &st);
	cr_expect_eq(st.reasons, 1u << RR_NO_STRAVA);
	in.strava_needs_reconnect = true;
	roster_evaluate(&in, &st);
	cr_expect_eq(st.reasons, 1u << RR_RECONNECT);
	in.has_plan = false;
	roster_evaluate(&in, &st);
	cr_expect_eq(st.reasons, (1u << RR_RECONNECT) | (1u << RR_NO_PLAN));
	cr_expect_str_eq(roster_reason_text(RR_NO_PLAN), "No active plan");
}

/* Who comes first: a missed key session before a plan-less athlete,
 * both before a quiet watch, and an athlete on track last. */
Test(roster, attention_order)
{
	const struct roster_workout missed_key[] = {
	    workout(-2, true, 12000, 0), workout(-9, false, 8000, 8000) };
	const struct roster_workout on_track[] = {
	    workout(-2, true, 12000, 12500) };
	struct roster_input a = athlete(missed_key, 2, NULL, 0);
	struct roster_input b = athlete(NULL, 0, NULL, 0);
	struct roster_input c = athlete(on_track, 1, NULL, 0);
	struct roster_input d = athlete(on_track, 1, NULL, 0);
	struct roster_status sa, sb, sc, sd;

	b.has_plan = false;
	c.days_since_run = ROSTER_QUIET_DAYS + 3;
	roster_evaluate(&a, &sa);
	roster_evaluate(&b, &sb);
	roster_evaluate(&c, &sc);
	roster_evaluate(&d, &sd);
	cr_expect_gt(sa.score, sb.score);
	cr_expect_gt(sb.score, sc.score);
	cr_expect_gt(sc.score, sd.score);
	cr_expect_eq(sd.reasons, 0);
	cr_expect_eq(sd.colour, CC_GREEN);
}
