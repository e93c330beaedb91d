/*
 * The master's respawn policy (server/respawn.c): children killed from
 * outside are replaced at once however often it happens; a start-up crash
 * loop is throttled, but never below the floor.
 */
#include <criterion/criterion.h>

#include "server/respawn.h"

/* A child killed every `gap` seconds: what the faults suite does. */
Test(respawn, ready_children_killed_often_are_replaced_at_once)
{
	struct respawn	r;
	double		t;
	int		live = 5;

	respawn_init(&r);
	for (t = 0; t < 60; t += 0.1) {
		cr_assert_not(respawn_note_death(&r, true, t));
		live--;
		live += respawn_count(&r, live, 5, t);
		cr_assert_eq(live, 5, "at %.1f s the pool has %d of 5", t, live);
	}
}

Test(respawn, startup_crash_loop_is_throttled_with_doubling_delay)
{
	struct respawn	r;
	int		i;
	double		t = 0, last_backoff = 0;

	respawn_init(&r);
	for (i = 0; i < RESPAWN_CRASH_LIMIT - 1; i++)
		cr_assert_not(respawn_note_death(&r, false, t += 0.1));
	cr_assert(respawn_note_death(&r, false, t += 0.1));
	cr_assert(respawn_throttled(&r, t));
	cr_assert_float_eq(r.backoff, 1.0, 1e-9);
	for (i = 0; i < 10; i++) {
		last_backoff = r.backoff;
		cr_assert(respawn_note_death(&r, false, t += 0.1));
		cr_assert(r.backoff >= last_backoff);
	}
	cr_assert_float_eq(r.backoff, RESPAWN_BACKOFF_MAX, 1e-9);
	/* Throttled: nothing above the floor is started. */
	cr_assert_eq(respawn_count(&r, 3, 6, t), 0);
	cr_assert_eq(respawn_count(&r, 6, 6, t), 0);
	/* Once the delay is over, the whole pool is started again. */
	cr_assert_eq(respawn_count(&r, 0, 6, t + RESPAWN_BACKOFF_MAX), 6);
}

Test(respawn, crashes_spread_wider_than_the_window_are_not_a_loop)
{
	struct respawn	r;
	double		t;

	respawn_init(&r);
	for (t = 0; t < 600; t += RESPAWN_CRASH_WINDOW / (RESPAWN_CRASH_LIMIT - 1) + 0.01)
		cr_assert_not(respawn_note_death(&r, false, t), "at %.1f", t);
}

Test(respawn, floor_is_half_and_at_least_one)
{
	cr_assert_eq(respawn_floor(0), 0);
	cr_assert_eq(respawn_floor(1), 1);
	cr_assert_eq(respawn_floor(2), 1);
	cr_assert_eq(respawn_floor(5), 2);
	cr_assert_eq(respawn_floor(8), 4);
}

/*
 * Every wanted count, every live count, throttled or not, over time: the
 * pool never stays below the floor for longer than the floor interval,
 * and never grows past what is wanted.
 */
Test(respawn, never_below_the_floor_for_long)
{
	int want, live0;

	for (want = 0; want <= 16; want++) {
		for (live0 = 0; live0 <= want; live0++) {
			struct respawn	r;
			double		t, below_since = -1;
			int		live = live0, i;

			respawn_init(&r);
			for (i = 0; i < 40; i++)	/* a hard crash loop */
				respawn_note_death(&r, false, 0.01 * i);
			for (t = 0.5; t < 40; t += 0.2) {
				live += respawn_count(&r, live, want, t);
				cr_assert_leq(live, want);
				if (live < respawn_floor(want)) {
					if (below_since < 0)
						below_since = t;
					cr_assert_lt(t - below_since,
					    RESPAWN_FLOOR_INTERVAL + 0.2 + 1e-9,
					    "want %d: below the floor since %.1f",
					    want, below_since);
				} else
					below_since = -1;
				if (live > 0 && ((int)(t * 5) % 3) == 0) {
					live--;	/* the new child crashed too */
					respawn_note_death(&r, false, t);
				}
			}
		}
	}
}
