/*
 * page_cache: a worker's small cache of rendered pages.
 *
 * The key names everything the page depends on: the page and its ids,
 * the session (its CSRF token is in the page), the runner's local date
 * ("today" is highlighted) and the runner's data version, a counter that
 * database triggers move on every change to anything of theirs
 * (sql/007_data_versions.sql).  So an entry is never stale: a change
 * makes a new key, and old entries simply age out.  Pages with a flash
 * message are never cached.  Per process, bounded in entries and bytes,
 * in front of the host's shared cache (view/shared_cache.h), which every
 * worker of the host reads and fills.
 */
#ifndef CADENCE_PAGE_CACHE_H
#define CADENCE_PAGE_CACHE_H

#include <stdbool.h>

#include "web/http.h"

#define PAGE_CACHE_ENTRIES	32
#define PAGE_CACHE_MAX_BYTES	(8 * 1024 * 1024)
/* A larger page is served, never kept: it would crowd out the rest. */
#define PAGE_CACHE_MAX_PAGE	(PAGE_CACHE_MAX_BYTES / 4)

/*
 * The key for page (e.g. "calendar/<plan id>") as the signed-in runner
 * sees it: of req->subject's data (their own, or an athlete's when a
 * coach looks), so both runners' versions are in it.
 */
const char	*page_cache_key(struct request *, const char *page);
/* Fills res from the cache; false on a miss (or when key is NULL). */
bool		 page_cache_get(const char *key, struct response *res);
/* Keeps a copy of a successful (200) HTML response under key. */
void		 page_cache_put(const char *key, const struct response *res);
/* What the cache holds now, and emptying it (for tests). */
size_t		 page_cache_bytes(void);
size_t		 page_cache_count(void);
void		 page_cache_clear(void);

#endif
