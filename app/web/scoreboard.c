#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "core/util.h"
#include "web/scoreboard.h"

/* Set once per process, before any request (see scoreboard.h). */
static struct scoreboard *current;

const double metric_bucket_ms[METRIC_BUCKETS] = {
	1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 1e300
};

struct scoreboard *
scoreboard_create(void)
{
	void *p = mmap(NULL, sizeof(struct scoreboard), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fatal_oom();
	memset(p, 0, sizeof(struct scoreboard));
	return p;
}

double
monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
scoreboard_set_current(struct scoreboard *sb)
{
	current = sb;
}

struct scoreboard *
scoreboard_current(void)
{
	return current;
}
