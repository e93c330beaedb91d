/*
 * xml_walk: a hardened streaming walk over an uploaded XML file (GPX,
 * TCX) with libxml2's xmlTextReader, for parsers that only need element
 * names, a few attributes and leaf text.
 *
 * Safe against hostile files: a DOCTYPE (hence any entity, internal or
 * external: billion laughs, XXE) is refused before and during parsing,
 * entities are never substituted, the network is never used
 * (XML_PARSE_NONET), only UTF-8 (or ASCII) input is taken, nesting and
 * text are bounded, and streaming keeps memory flat however many points
 * the file holds.  libxml2's own errors come back as the message, with
 * the line.
 */
#ifndef CADENCE_XML_WALK_H
#define CADENCE_XML_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XW_MAX_DEPTH	32	/* GPX and TCX need 8 */
#define XW_NAME_MAX	40	/* longer names are cut (none we read is) */
#define XW_TEXT_MAX	128	/* leaf text we read: a number or a time */

struct xw_node {
	const char	*name;		/* local name, no prefix */
	int		 depth;		/* 1 for the root */
	const char	*path[XW_MAX_DEPTH];	/* names from the root, path[depth-1] = name */
	void		*reader;	/* for xw_attr() in start */
};

struct xw_handler {
	void	*ctx;
	/* An element opens.  Return 0, or -1 with err set to stop. */
	int	(*start)(void *ctx, const struct xw_node *, char *err, size_t errlen);
	/* It closes; text is its own text ("" when none, NULL when too long). */
	int	(*end)(void *ctx, const struct xw_node *, const char *text,
		    char *err, size_t errlen);
};

/* what ("GPX", "TCX") prefixes messages. */
int	 xw_walk(const char *what, const void *data, size_t len,
	    const struct xw_handler *, char *err, size_t errlen);
/* An attribute of the element being opened, copied into buf. */
bool	 xw_attr(const struct xw_node *, const char *name, char *buf, size_t n);
/* True when the element's parent (depth - 2) is named parent. */
bool	 xw_parent_is(const struct xw_node *, const char *parent);

/* A whole decimal number (leading/trailing blanks allowed), finite. */
bool	 xw_number(const char *s, double *out);
/*
 * An ISO 8601 / XML Schema dateTime: YYYY-MM-DDThh:mm:ss[.fff][Z|+hh:mm]
 * (no zone: UTC, as GPX and TCX say).  Unix seconds, fractions dropped.
 */
bool	 xw_time(const char *s, int64_t *out);

#endif
