#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"

#define ARENA_BLOCK_SIZE	(64 * 1024)
#define ARENA_ALIGN		16
#define ARENA_MAX_SPARE		16	/* blocks kept across resets: 1 MiB */

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* usable bytes in data[] */
	size_t			 off;	/* next free byte */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static struct arena_block *
block_new(size_t size, struct arena_block *next)
{
	struct arena_block *b;

	b = xmalloc(sizeof(*b) + size);
	b->next = next;
	b->size = size;
	b->off = 0;
	return b;
}

void
arena_init(arena_t *a)
{
	a->head = NULL;
	a->spare = NULL;
	a->nspare = 0;
	a->used = 0;
}

void
arena_reset(arena_t *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b->size == ARENA_BLOCK_SIZE && a->nspare < ARENA_MAX_SPARE) {
			b->next = a->spare;
			a->spare = b;
			a->nspare++;
		} else
			free(b);
	}
	a->head = NULL;
	a->used = 0;
}

void
arena_free(arena_t *a)
{
	struct arena_block *b, *next;

	arena_reset(a);
	for (b = a->spare; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	arena_init(a);
}

void *
arena_alloc(arena_t *a, size_t n)
{
	void *p = arena_alloc_uninit(a, n);

	memset(p, 0, n);
	return p;
}

void *
arena_alloc_uninit(arena_t *a, size_t n)
{
	struct arena_block	*b = a->head;
	size_t			 need, size;
	void			*p;

	if (n > SIZE_MAX / 2)
		fatal_oom();
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	if (b == NULL || b->size - b->off < need) {
		size = need > ARENA_BLOCK_SIZE ? need : ARENA_BLOCK_SIZE;
		if (size == ARENA_BLOCK_SIZE && a->spare != NULL) {
			b = a->spare;
			a->spare = b->next;
			a->nspare--;
			b->off = 0;
			b->next = a->head;
		} else
			b = block_new(size, a->head);
		a->head = b;
	}
	p = b->data + b->off;
	b->off += need;
	a->used += need;
	return p;
}

char *
arena_strndup(arena_t *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(arena_t *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/*
 * Formats straight into the free end of the newest block when it fits
 * (one pass, the common case: pages format many short labels), else
 * measures and allocates.
 */
char *
arena_printf(arena_t *a, const char *fmt, ...)
{
	struct arena_block	*b = a->head;
	va_list			 ap;
	size_t			 avail, need;
	int			 n;
	char			*p;

	if (b != NULL && (avail = b->size - b->off) > 1) {
		p = (char *)b->data + b->off;
		va_start(ap, fmt);
		n = vsnprintf(p, avail, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < avail) {
			need = ((size_t)n + 1 + ARENA_ALIGN - 1) &
			    ~(size_t)(ARENA_ALIGN - 1);
			need = need < avail ? need : avail;
			b->off += need;
			a->used += need;
			return p;
		}
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc_uninit(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
