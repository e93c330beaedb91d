/*
 * util: allocation wrappers with the project's out-of-memory policy, and
 * small string and number helpers shared by every layer.
 *
 * Out of memory aborts: a worker is supervised and respawned by the pool,
 * and a half-handled allocation failure is worse than a clean restart.
 */
#ifndef CADENCE_UTIL_H
#define CADENCE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

__attribute__((noreturn)) void fatal_oom(void);
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/*
 * Parses a whole decimal integer within [min, max]; no sign-less garbage,
 * no trailing characters, no overflow.  Returns false on any problem.
 */
bool	 parse_int64(const char *, int64_t min, int64_t max, int64_t *out);
/* Same for an int. */
bool	 parse_int(const char *, int min, int max, int *out);
/* Constant-time comparison of two NUL-terminated strings. */
bool	 str_equal_ct(const char *, const char *);
bool	 str_has_prefix(const char *, const char *);
/* True for a canonical lower-case UUID (36 characters, dashes at 8-13-18-23). */
bool	 uuid_valid(const char *);
/*
 * True for a club's URL name: SLUG_MIN..SLUG_MAX characters of a-z and
 * 0-9 in words joined by single hyphens ("harbour-runners").
 */
#define SLUG_MIN	3
#define SLUG_MAX	40
bool	 slug_valid(const char *);
/* True if s is valid UTF-8 of len bytes with no C0 controls but \t \n \r. */
bool	 utf8_text_ok(const char *s, size_t len, bool allow_newlines);

#endif
