#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "view/page_cache.h"
#include "view/shared_cache.h"
#include "domain/runner.h"

struct entry {
	char		*key;
	char		*body;
	size_t		 len;
	unsigned long	 used;		/* for least-recently-used eviction */
};

/* Per worker process: each worker fills its own after fork. */
static struct entry	entries[PAGE_CACHE_ENTRIES];
static size_t		total_bytes;
static unsigned long	clock_ticks;

const char *
page_cache_key(struct request *req, const char *page)
{
	const struct runner *r = req->runner, *s = req->subject;

	if (r == NULL || req->session_id == NULL || req->flash != NULL)
		return NULL;
	if (s == NULL)
		s = r;
	/* A coach's view of an athlete: the athlete's data and days. */
	return arena_printf(req->arena, "%s|%s|%lld|%s|%s|%lld|%s|%s", page,
	    req->session_id, (long long)r->data_version, s->id, s->today,
	    (long long)s->data_version, s->units, s->first_day);
}

static struct entry *
find(const char *key)
{
	size_t i;

	for (i = 0; i < PAGE_CACHE_ENTRIES; i++)
		if (entries[i].key != NULL && strcmp(entries[i].key, key) == 0)
			return &entries[i];
	return NULL;
}

bool
page_cache_get(const char *key, struct response *res)
{
	struct entry *e;

	if (key == NULL)
		return false;
	buf_reset(&res->body);
	if ((e = find(key)) != NULL) {
		e->used = ++clock_ticks;
		buf_add(&res->body, e->body, e->len);
	} else if (!shared_cache_get(key, &res->body))
		return false;
	res->status = 200;
	res->html = true;
	res->no_store = true;
	res->content_type = "text/html; charset=utf-8";
	return true;
}

static void
drop(struct entry *e)
{
	total_bytes -= e->len;
	free(e->key);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

/* The least recently used entry, or NULL when the cache is empty. */
static struct entry *
lru(void)
{
	struct entry	*v = NULL;
	size_t		 i;

	for (i = 0; i < PAGE_CACHE_ENTRIES; i++)
		if (entries[i].key != NULL && (v == NULL ||
		    entries[i].used < v->used))
			v = &entries[i];
	return v;
}

/* An empty entry, making one from the least recently used if need be. */
static struct entry *
free_entry(void)
{
	struct entry	*e;
	size_t		 i;

	for (i = 0; i < PAGE_CACHE_ENTRIES; i++)
		if (entries[i].key == NULL)
			return &entries[i];
	e = lru();
	drop(e);
	return e;
}

void
page_cache_put(const char *key, const struct response *res)
{
	struct entry	*e;
	size_t		 len = res->body.len;

	if (key == NULL || res->status != 200 || !res->html ||
	    len > PAGE_CACHE_MAX_PAGE)
		return;
	shared_cache_put(key, res->body.data, len);
	if ((e = find(key)) != NULL)
		drop(e);
	/* Terminates: each turn empties an entry, and the page fits alone. */
	while (total_bytes + len > PAGE_CACHE_MAX_BYTES && (e = lru()) != NULL)
		drop(e);
	e = free_entry();
	e->key = xstrdup(key);
	e->body = xmalloc(len > 0 ? len : 1);
	memcpy(e->body, res->body.data, len);
	e->len = len;
	e->used = ++clock_ticks;
	total_bytes += len;
}

size_t
page_cache_bytes(void)
{
	return total_bytes;
}

size_t
page_cache_count(void)
{
	size_t i, n = 0;

	for (i = 0; i < PAGE_CACHE_ENTRIES; i++)
		n += entries[i].key != NULL;
	return n;
}

void
page_cache_clear(void)
{
	size_t i;

	for (i = 0; i < PAGE_CACHE_ENTRIES; i++)
		if (entries[i].key != NULL)
			drop(&entries[i]);
}
