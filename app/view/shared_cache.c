#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "view/shared_cache.h"

struct slot {
	_Atomic uint32_t seq;		/* odd while being written */
	_Atomic int32_t	 writer;	/* pid of the writer, 0 when free */
	uint64_t	 stamp;		/* when put, for replacing the older */
	uint64_t	 hash;
	uint32_t	 keylen, len;	/* len 0: empty */
	char		 key[SHARED_CACHE_KEY_MAX];
	char		 body[];
};

/*
 * Three classes of slot, so a week page does not take a calendar's room:
 * a quarter of the memory in 16 KiB slots, half in 64 KiB, a quarter in
 * 256 KiB.  A page goes to the smallest class it fits.
 */
static const size_t class_bytes[] = { 16 * 1024, 64 * 1024, 256 * 1024 };
static const size_t class_share[] = { 1, 2, 1 };	/* quarters */
#define NCLASS	(sizeof(class_bytes) / sizeof(class_bytes[0]))

struct class {
	char	*base;
	size_t	 slot_bytes, nslots;
};

struct region {
	_Atomic uint64_t	clock;
	_Atomic unsigned long	hits, misses, puts, skipped;
	struct class		class[NCLASS];
};

static struct region	*region;	/* NULL: no shared cache */
static size_t		 region_bytes;

static size_t
body_max(const struct class *c)
{
	return c->slot_bytes - sizeof(struct slot);
}

int
shared_cache_create(int megabytes)
{
	size_t	 bytes = (size_t)megabytes * 1024 * 1024, at, i;
	void	*p;

	shared_cache_destroy();
	if (megabytes <= 0 || bytes < 4 * 2 * class_bytes[NCLASS - 1])
		return 0;
	/* Untouched pages cost nothing until a page is put in them. */
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	region = p;
	region_bytes = bytes;
	at = class_bytes[NCLASS - 1];		/* the header's room */
	for (i = 0; i < NCLASS; i++) {
		struct class *c = &region->class[i];

		c->slot_bytes = class_bytes[i];
		c->nslots = (bytes - class_bytes[NCLASS - 1]) / 4 *
		    class_share[i] / c->slot_bytes;
		c->base = (char *)p + at;
		at += c->nslots * c->slot_bytes;
	}
	return 0;
}

void
shared_cache_destroy(void)
{
	if (region != NULL)
		munmap(region, region_bytes);
	region = NULL;
	region_bytes = 0;
}

static struct slot *
slot_at(const struct class *c, size_t i)
{
	return (struct slot *)(c->base + i * c->slot_bytes);
}

/* FNV-1a: keys are short and already unpredictable (a session id). */
static uint64_t
hash_key(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	while (len-- > 0) {
		h ^= (unsigned char)*key++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The two slots a key may live in, in class c. */
static void
candidates(const struct class *c, uint64_t h, struct slot *s[2])
{
	s[0] = slot_at(c, h % c->nslots);
	s[1] = slot_at(c, (h >> 32) * 2654435761ULL % c->nslots);
}

/* Copies s's page to out if it holds key, unchanged while copied. */
static bool
read_slot(const struct class *c, struct slot *s, uint64_t h, const char *key,
    size_t klen, buf_t *out)
{
	size_t		start = out->len, len;
	uint32_t	seq;

	seq = atomic_load_explicit(&s->seq, memory_order_acquire);
	if (seq & 1)
		return false;
	len = s->len;
	if (len == 0 || len > body_max(c) || s->hash != h || s->keylen != klen ||
	    memcmp(s->key, key, klen) != 0)
		return false;
	buf_add(out, s->body, len);
	/* Whatever was read counts only if no writer came in meanwhile. */
	atomic_thread_fence(memory_order_acquire);
	if (atomic_load_explicit(&s->seq, memory_order_relaxed) != seq) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		return false;
	}
	return true;
}

bool
shared_cache_get(const char *key, buf_t *out)
{
	struct slot	*s[2];
	size_t		 klen, i;
	uint64_t	 h;

	if (region == NULL || key == NULL ||
	    (klen = strlen(key)) > SHARED_CACHE_KEY_MAX)
		return false;
	h = hash_key(key, klen);
	for (i = 0; i < NCLASS; i++) {
		const struct class *c = &region->class[i];

		candidates(c, h, s);
		if (read_slot(c, s[0], h, key, klen, out) ||
		    (s[1] != s[0] && read_slot(c, s[1], h, key, klen, out))) {
			atomic_fetch_add_explicit(&region->hits, 1,
			    memory_order_relaxed);
			return true;
		}
	}
	atomic_fetch_add_explicit(&region->misses, 1, memory_order_relaxed);
	return false;
}

/* Takes s for this process; a writer that died (SIGKILL mid-put) loses it. */
static bool
lock_slot(struct slot *s)
{
	int32_t	me = (int32_t)getpid(), held = 0;

	if (atomic_compare_exchange_strong(&s->writer, &held, me))
		return true;
	if (held == me || kill(held, 0) == 0 || errno != ESRCH)
		return false;
	return atomic_compare_exchange_strong(&s->writer, &held, me);
}

/* The slot already holding the key, else an empty one, else the older. */
static struct slot *
victim(const struct class *c, uint64_t h)
{
	struct slot *s[2];

	candidates(c, h, s);
	if (s[1]->hash == h && s[1]->len != 0)
		return s[1];
	if (s[0]->hash == h || s[0]->len == 0)
		return s[0];
	return s[1]->len == 0 || s[1]->stamp < s[0]->stamp ? s[1] : s[0];
}

/* Takes the slot and makes its number odd; 0 if another writer has it. */
static uint32_t
begin_write(struct slot *v)
{
	uint32_t seq;

	if (!lock_slot(v)) {
		atomic_fetch_add_explicit(&region->skipped, 1,
		    memory_order_relaxed);
		return 0;
	}
	/* Odd (already, if a writer died mid-put) while the slot changes. */
	seq = atomic_load_explicit(&v->seq, memory_order_relaxed) | 1;
	atomic_store_explicit(&v->seq, seq, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	return seq;
}

void
shared_cache_begin_put_for_test(const char *key)
{
	if (region != NULL)
		(void)begin_write(victim(&region->class[0],
		    hash_key(key, strlen(key))));
}

/* The smallest class whose slots hold len bytes, or NULL. */
static const struct class *
class_for(size_t len)
{
	size_t i;

	for (i = 0; i < NCLASS; i++)
		if (len <= body_max(&region->class[i]))
			return &region->class[i];
	return NULL;
}

void
shared_cache_put(const char *key, const char *body, size_t len)
{
	const struct class *c;
	struct slot	*v;
	size_t		 klen;
	uint32_t	 seq;
	uint64_t	 h;

	if (region == NULL || key == NULL || len == 0 ||
	    (c = class_for(len)) == NULL ||
	    (klen = strlen(key)) > SHARED_CACHE_KEY_MAX)
		return;
	h = hash_key(key, klen);
	v = victim(c, h);
	if ((seq = begin_write(v)) == 0)
		return;
	v->hash = h;
	v->keylen = (uint32_t)klen;
	memcpy(v->key, key, klen);
	memcpy(v->body, body, len);
	v->len = (uint32_t)len;
	v->stamp = atomic_fetch_add_explicit(&region->clock, 1,
	    memory_order_relaxed) + 1;
	atomic_store_explicit(&v->seq, seq + 1, memory_order_release);
	atomic_store_explicit(&v->writer, 0, memory_order_release);
	atomic_fetch_add_explicit(&region->puts, 1, memory_order_relaxed);
}

void
shared_cache_stats(struct shared_cache_stats *st)
{
	size_t c, i;

	memset(st, 0, sizeof(*st));
	if (region == NULL)
		return;
	st->hits = atomic_load(&region->hits);
	st->misses = atomic_load(&region->misses);
	st->puts = atomic_load(&region->puts);
	st->skipped = atomic_load(&region->skipped);
	for (c = 0; c < NCLASS; c++) {
		const struct class *k = &region->class[c];

		st->slots += k->nslots;
		for (i = 0; i < k->nslots; i++)
			st->used += slot_at(k, i)->len != 0;
	}
}
