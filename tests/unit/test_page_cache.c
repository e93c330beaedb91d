/*
 * The per-worker page cache (view/page_cache.c): whatever the sizes and
 * keys, putting a page terminates, the cache stays within its byte budget
 * and its entry count, and what it serves is what was put.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "view/page_cache.h"
#include "web/http.h"

static void
put_page(const char *key, size_t len, char fill)
{
	static char	block[3 * 1024 * 1024];
	struct response res;

	cr_assert_leq(len, sizeof(block));
	memset(block, fill, len);
	resp_init(&res);
	res.status = 200;
	res.html = true;
	buf_reset(&res.body);
	buf_add(&res.body, block, len);
	page_cache_put(key, &res);
	resp_free(&res);
}

static size_t
rand_size(unsigned *seed)
{
	switch (rand_r(seed) % 4) {
	case 0:	return (size_t)rand_r(seed) % 1024;
	case 1:	return 200 * 1024 + (size_t)rand_r(seed) % (200 * 1024);
	case 2:	return PAGE_CACHE_MAX_PAGE - 1024 + (size_t)rand_r(seed) % 2048;
	default: return (size_t)rand_r(seed) % (3 * 1024 * 1024);
	}
}

/* Pages averaging over MAX_BYTES / ENTRIES once looped forever. */
Test(page_cache, random_puts_terminate_and_stay_in_budget, .timeout = 60)
{
	unsigned	seed = 12345;
	char		key[32];
	int		i;

	page_cache_clear();
	for (i = 0; i < 3000; i++) {
		size_t len = rand_size(&seed);

		snprintf(key, sizeof(key), "k%d", rand_r(&seed) % 80);
		put_page(key, len, (char)('a' + i % 26));
		cr_assert_leq(page_cache_bytes(), PAGE_CACHE_MAX_BYTES,
		    "put %d: %zu bytes", i, page_cache_bytes());
		cr_assert_leq(page_cache_count(), PAGE_CACHE_ENTRIES);
	}
	page_cache_clear();
	cr_assert_eq(page_cache_bytes(), 0);
}

Test(page_cache, a_page_larger_than_the_limit_is_never_kept)
{
	struct response res;

	page_cache_clear();
	put_page("small", 100, 's');
	put_page("huge", PAGE_CACHE_MAX_PAGE + 1, 'h');
	resp_init(&res);
	cr_assert_not(page_cache_get("huge", &res));
	cr_assert(page_cache_get("small", &res));
	cr_assert_eq(res.body.len, 100);
	resp_free(&res);
	page_cache_clear();
}

/* The cache serves what was put under a key, and the newest version. */
Test(page_cache, serves_the_last_page_put_under_a_key)
{
	struct response	res;
	int		i;

	page_cache_clear();
	for (i = 0; i < PAGE_CACHE_ENTRIES * 3; i++) {
		char key[16];

		snprintf(key, sizeof(key), "p%d", i % 5);
		put_page(key, 300 * 1024 + (size_t)i, (char)('a' + i % 26));
	}
	for (i = PAGE_CACHE_ENTRIES * 3 - 5; i < PAGE_CACHE_ENTRIES * 3; i++) {
		char key[16];

		snprintf(key, sizeof(key), "p%d", i % 5);
		resp_init(&res);
		cr_assert(page_cache_get(key, &res), "%s evicted", key);
		cr_assert_eq(res.body.len, 300 * 1024 + (size_t)i);
		cr_assert_eq(res.body.data[0], (char)('a' + i % 26));
		resp_free(&res);
	}
	page_cache_clear();
}
