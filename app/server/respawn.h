/*
 * respawn: when the master may start a child, as a pure policy (no clock,
 * no fork) so every case is unit-tested (tests/unit/test_respawn.c).
 *
 * A child that died before it was ready (before its accept loop: bad
 * configuration, a missing library, a database it cannot reach at start)
 * is a start-up crash; several in a short window are a crash loop, and
 * respawns above the floor are held back with a doubling delay.  A child
 * that was ready and died later (kill -9 by an operator, the OOM killer,
 * its own request deadline) is replaced at once, as php-fpm and systemd
 * distinguish.  Below the floor (half the wanted children, at least one)
 * a child is started even while throttled, at most once per
 * RESPAWN_FLOOR_INTERVAL, so a pool never stays empty.
 */
#ifndef CADENCE_RESPAWN_H
#define CADENCE_RESPAWN_H

#include <stdbool.h>
#include <stddef.h>

#define RESPAWN_CRASH_WINDOW	10.0	/* seconds */
#define RESPAWN_CRASH_LIMIT	5	/* start-up crashes in the window */
#define RESPAWN_BACKOFF_MAX	30.0	/* seconds between throttled spawns */
#define RESPAWN_FLOOR_INTERVAL	1.0	/* seconds between floor spawns */

struct respawn {
	double	 crashes[RESPAWN_CRASH_LIMIT];	/* ring of times */
	size_t	 ncrash;
	double	 throttled_until;
	double	 backoff;
	double	 last_floor_spawn;
};

void	respawn_init(struct respawn *);
/* A child died at `now`; `ready` if it had reached its accept loop.
 * Returns true when this death starts or extends a throttle. */
bool	respawn_note_death(struct respawn *, bool ready, double now);
/* Children to start now, given `live` of `want`. */
int	respawn_count(struct respawn *, int live, int want, double now);
/* The fewest children kept alive whatever happens. */
int	respawn_floor(int want);
bool	respawn_throttled(const struct respawn *, double now);

#endif
