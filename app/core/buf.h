/*
 * buf: a growable byte buffer, always NUL-terminated.
 *
 * Used for response bodies, rendered templates and SQL results.  Memory
 * comes from the heap; out of memory aborts the process (workers are
 * supervised and respawned, see server/pool.c), so no call here can fail.
 */
#ifndef CADENCE_BUF_H
#define CADENCE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char	*data;	/* NUL-terminated; NULL until the first append */
	size_t	 len;	/* bytes used, excluding the terminating NUL */
	size_t	 cap;	/* bytes allocated */
} buf_t;

#define BUF_INIT { NULL, 0, 0 }

void	buf_init(buf_t *);
void	buf_free(buf_t *);
void	buf_reset(buf_t *);		/* len = 0, keeps the memory */
void	buf_reserve(buf_t *, size_t extra);
void	buf_add(buf_t *, const void *, size_t);
void	buf_puts(buf_t *, const char *);
void	buf_putc(buf_t *, int);
void	buf_printf(buf_t *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_vprintf(buf_t *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Appends s with & < > " ' replaced by their HTML entities. */
void	buf_html(buf_t *, const char *s, size_t len);
/* Appends s percent-encoded for a URL or form (RFC 3986 unreserved kept). */
void	buf_urlenc(buf_t *, const char *s);
/* The contents as a C string ("" when empty); owned by the buffer. */
const char *buf_cstr(const buf_t *);

#endif
