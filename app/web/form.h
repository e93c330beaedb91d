/*
 * form: parsers for what a client sends as name/value pairs: the query
 * string, application/x-www-form-urlencoded bodies and the Cookie header.
 *
 * Pure functions over a string, allocating from the request arena.  Every
 * limit a client could push on is a named constant; input beyond a limit,
 * a bad percent escape, %00 or another control character, or invalid
 * UTF-8 makes the whole input invalid (the caller answers 400), so a
 * handler never sees half-parsed data.
 *
 * Repeated fields: all occurrences are kept in order.  params_get()
 * returns the FIRST one; forms that take several values (none yet) use
 * params_count()/params_at().
 */
#ifndef CADENCE_FORM_H
#define CADENCE_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

#define FORM_MAX_FIELDS		128	/* name=value pairs per input */
#define FORM_MAX_NAME		64	/* bytes of a decoded name */
#define FORM_MAX_VALUE		(64 * 1024)	/* bytes of a decoded value */
#define COOKIE_MAX_COUNT	32	/* cookies in one header */
#define COOKIE_MAX_VALUE	4096

struct param {
	const char	*name;
	const char	*value;		/* NUL-terminated, decoded */
	size_t		 len;		/* strlen(value) */
};

struct params {
	struct param	*v;
	size_t		 n;
};

enum form_status {
	FORM_OK = 0,
	FORM_TOO_MANY,		/* more than FORM_MAX_FIELDS / COOKIE_MAX_COUNT */
	FORM_TOO_LONG,		/* a name or value over its limit */
	FORM_BAD_ESCAPE,	/* % not followed by two hex digits */
	FORM_BAD_CHAR,		/* NUL or a control character */
	FORM_BAD_UTF8,
};

/* Query strings and urlencoded bodies ('+' means space). */
enum form_status form_parse_urlencoded(arena_t *, const char *s, size_t len,
		    struct params *out);
/*
 * The Cookie header: "a=1; b=2".  Values are not percent-decoded; a
 * malformed pair is dropped rather than failing the request.
 */
void		 form_parse_cookies(arena_t *, const char *s, struct params *out);
const char	*form_status_str(enum form_status);

/* The first value named name, or NULL. */
const char	*params_get(const struct params *, const char *name);
size_t		 params_count(const struct params *, const char *name);

/*
 * Percent-decodes s[0..len) into a new arena string.  Rejects %00 and
 * control characters other than tab, CR and LF (form text areas).
 */
enum form_status form_decode(arena_t *, const char *s, size_t len, bool plus,
		    char **out, size_t *outlen);

#endif
