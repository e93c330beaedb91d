/*
 * shared_cache: rendered pages shared by every worker of a host.
 *
 * A per-worker cache misses whenever the next request of a runner lands
 * on another worker, which with many runners is nearly always.  This one
 * lives in one shared anonymous mapping made by the master before it
 * forks, so a page rendered by any worker serves the next request for it
 * on all of them.  Keys are page_cache_key()'s (session, data versions,
 * day, units: never stale, see page_cache.h); it is only ever reached
 * through page_cache_get/put.
 *
 * Fixed slots in three sizes (16, 64 and 256 KiB with their key), two
 * possible slots per key in the smallest size the page fits, the older of
 * the two replaced.  Readers take no lock: a
 * sequence number, odd while a slot is written, tells them to retry or
 * miss (a seqlock).  A writer takes a slot by compare-and-swap of its pid
 * and skips the slot if another writer holds it; a slot held by a writer
 * that died is taken over.  A page or key larger than a slot is simply
 * not shared.
 */
#ifndef CADENCE_SHARED_CACHE_H
#define CADENCE_SHARED_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define SHARED_CACHE_SLOT_MAX	(256 * 1024)
#define SHARED_CACHE_KEY_MAX	400

struct shared_cache_stats {
	unsigned long	hits, misses, puts, skipped;
	size_t		slots, used;
};

/*
 * Maps megabytes of shared memory (0, or under 2 MiB: no shared cache) and makes it this
 * process's; children forked after inherit it.  -1 if it cannot be mapped.
 */
int	shared_cache_create(int megabytes);
/* Unmaps it (tests); the process has none afterwards. */
void	shared_cache_destroy(void);

/* Appends the page kept under key to out; false on a miss. */
bool	shared_cache_get(const char *key, buf_t *out);
/* Keeps a copy of body under key, if it fits a slot and the slot is free. */
void	shared_cache_put(const char *key, const char *body, size_t len);
void	shared_cache_stats(struct shared_cache_stats *);
/* Takes key's slot and marks it mid-write, as a writer killed there would. */
void	shared_cache_begin_put_for_test(const char *key);

#endif
