#include "server/respawn.h"

void
respawn_init(struct respawn *r)
{
	*r = (struct respawn){ .last_floor_spawn = -1e9 };
}

int
respawn_floor(int want)
{
	if (want <= 0)
		return 0;
	return want / 2 > 1 ? want / 2 : 1;
}

bool
respawn_throttled(const struct respawn *r, double now)
{
	return now < r->throttled_until;
}

bool
respawn_note_death(struct respawn *r, bool ready, double now)
{
	double oldest;

	if (ready)
		return false;	/* killed from outside: not a loop */
	r->crashes[r->ncrash++ % RESPAWN_CRASH_LIMIT] = now;
	if (r->ncrash < RESPAWN_CRASH_LIMIT)
		return false;
	oldest = r->crashes[r->ncrash % RESPAWN_CRASH_LIMIT];
	if (now - oldest >= RESPAWN_CRASH_WINDOW) {
		r->backoff = 0;
		return false;
	}
	r->backoff = r->backoff > 0 ? r->backoff * 2 : 1;
	if (r->backoff > RESPAWN_BACKOFF_MAX)
		r->backoff = RESPAWN_BACKOFF_MAX;
	r->throttled_until = now + r->backoff;
	return true;
}

int
respawn_count(struct respawn *r, int live, int want, double now)
{
	int floor = respawn_floor(want);

	if (live >= want)
		return 0;
	if (!respawn_throttled(r, now))
		return want - live;
	if (live >= floor || now - r->last_floor_spawn < RESPAWN_FLOOR_INTERVAL)
		return 0;
	r->last_floor_spawn = now;
	return floor - live;
}
