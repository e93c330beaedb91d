/*
 * arena: a per-request memory pool.  Everything a request allocates comes
 * from here and is released at once by arena_reset() after the response
 * is sent, so nothing from one request survives into the next and no
 * handler has to free anything.  Out of memory aborts (see core/util.h).
 */
#ifndef CADENCE_ARENA_H
#define CADENCE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

typedef struct arena {
	struct arena_block	*head;	/* newest block first */
	struct arena_block	*spare;	/* standard blocks kept for reuse */
	size_t			 nspare;
	size_t			 used;	/* bytes handed out since reset */
} arena_t;

void	 arena_init(arena_t *);
/*
 * Forgets everything allocated; standard-size blocks (up to a bound) are
 * kept for the next request, so a steady worker stops calling malloc.
 */
void	 arena_reset(arena_t *);
void	 arena_free(arena_t *);
/* Memory aligned for any type, zero-filled. */
void	*arena_alloc(arena_t *, size_t);
/* The same, not zeroed (for callers that fill it all, e.g. Jansson). */
void	*arena_alloc_uninit(arena_t *, size_t);
char	*arena_strdup(arena_t *, const char *);
char	*arena_strndup(arena_t *, const char *, size_t);
char	*arena_printf(arena_t *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
