/*
 * The host-shared page cache (view/shared_cache.c): what one process puts,
 * another reads; a reader never gets a page torn by a concurrent writer
 * or another key's page; pages too large for a slot are not kept; a slot
 * left by a writer killed mid-put is taken over.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "view/shared_cache.h"

static void setup(void) { cr_assert_eq(shared_cache_create(4), 0); }
static void teardown(void) { shared_cache_destroy(); }

TestSuite(shared_cache, .init = setup, .fini = teardown);

/* A page whose every byte says which key and which version it is. */
static size_t
page_of(int key, int version, char *out, size_t cap)
{
	size_t	len = 1000 + (size_t)(key * 7919 + version * 104729) % (cap - 1000);
	size_t	i;

	for (i = 0; i < len; i++)
		out[i] = (char)('a' + (key + version + (int)(i / 64)) % 26);
	snprintf(out, 32, "%08d:%08d:", key, version);
	return len;
}

static bool
page_is_consistent(const buf_t *b, int key)
{
	static char	want[SHARED_CACHE_SLOT_MAX];
	int		k, v;

	if (b->len < 18 || sscanf(b->data, "%8d:%8d:", &k, &v) != 2 || k != key)
		return false;
	return page_of(k, v, want, sizeof(want) - 1024) == b->len &&
	    memcmp(want + 18, b->data + 18, b->len - 18) == 0;
}

Test(shared_cache, a_child_reads_what_the_parent_put_and_back)
{
	buf_t	b;
	pid_t	pid;
	int	st;

	buf_init(&b);
	shared_cache_put("calendar/1|s1", "<p>one</p>", 10);
	pid = fork();
	if (pid == 0) {
		if (!shared_cache_get("calendar/1|s1", &b) ||
		    strcmp(b.data, "<p>one</p>") != 0)
			_exit(1);
		shared_cache_put("calendar/2|s1", "<p>two</p>", 10);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert(shared_cache_get("calendar/2|s1", &b));
	cr_assert_str_eq(b.data, "<p>two</p>");
	buf_reset(&b);
	cr_assert_not(shared_cache_get("calendar/2|s2", &b), "another key");
	cr_assert_eq(b.len, 0);
	buf_free(&b);
}

Test(shared_cache, too_large_pages_and_keys_are_not_kept)
{
	static char	big[SHARED_CACHE_SLOT_MAX];
	char		key[SHARED_CACHE_KEY_MAX + 2];
	buf_t		b;

	buf_init(&b);
	memset(big, 'x', sizeof(big));
	shared_cache_put("big", big, sizeof(big));
	cr_assert_not(shared_cache_get("big", &b));
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	shared_cache_put(key, "x", 1);
	cr_assert_not(shared_cache_get(key, &b));
	buf_free(&b);
}

/* Many more keys than slots: each get is the key's latest page or a miss. */
Test(shared_cache, readers_never_see_a_torn_or_foreign_page, .timeout = 60)
{
	static char	page[SHARED_CACHE_SLOT_MAX];
	struct shared_cache_stats st;
	pid_t		writers[2];
	buf_t		b;
	int		w, i, bad = 0, hits = 0, status;

	for (w = 0; w < 2; w++) {
		if ((writers[w] = fork()) == 0) {
			for (i = 0; i < 40000; i++) {
				char	key[32];
				int	k = (i * 31 + w) % 300;

				snprintf(key, sizeof(key), "page/%d", k);
				shared_cache_put(key, page,
				    page_of(k, i, page, sizeof(page) - 1024));
			}
			_exit(0);
		}
	}
	buf_init(&b);
	for (i = 0; i < 60000; i++) {
		char	key[32];
		int	k = (i * 17) % 300;

		snprintf(key, sizeof(key), "page/%d", k);
		buf_reset(&b);
		if (shared_cache_get(key, &b)) {
			hits++;
			bad += !page_is_consistent(&b, k);
		}
	}
	for (w = 0; w < 2; w++) {
		waitpid(writers[w], &status, 0);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	shared_cache_stats(&st);
	cr_log_info("shared cache: %d hits of 60000, %lu puts, %lu skipped, %zu of %zu slots used",
	    hits, st.puts, st.skipped, st.used, st.slots);
	cr_assert_eq(bad, 0, "%d torn or foreign pages", bad);
	cr_assert_gt(hits, 0);
	cr_assert_gt(st.puts, 0);
	buf_free(&b);
}

/* A writer killed between taking a slot and releasing it. */
Test(shared_cache, a_slot_held_by_a_dead_writer_is_taken_over)
{
	buf_t	b;
	pid_t	pid;
	int	st;

	buf_init(&b);
	shared_cache_put("k", "old", 3);
	pid = fork();
	if (pid == 0) {
		/* Begins a put of "k" the way a writer does, then dies. */
		shared_cache_begin_put_for_test("k");
		kill(getpid(), SIGKILL);
	}
	waitpid(pid, &st, 0);
	cr_assert(WIFSIGNALED(st));
	cr_assert_not(shared_cache_get("k", &b), "mid-put: a miss, not a torn page");
	shared_cache_put("k", "new", 3);
	cr_assert(shared_cache_get("k", &b));
	cr_assert_str_eq(b.data, "new");
	buf_free(&b);
}
