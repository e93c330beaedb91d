/*
 * mustache_impl: the compiled form of templates, shared by the compiler
 * (mustache.c) and the renderer (mustache_render.c).  Not for other
 * modules: they use view/mustache.h.
 *
 * A template is one flat array of nodes.  A node that has children
 * (section, inverted section, parent, block) is followed directly by
 * them, and its `end` is the index just past its last child, so a walk
 * is a loop over an index range.  Strings are pointers into the
 * template's own copy of its source, which never moves.
 */
#ifndef CADENCE_MUSTACHE_IMPL_H
#define CADENCE_MUSTACHE_IMPL_H

#include <stdint.h>

#include "view/mustache.h"

enum mnode_type {
	MN_TEXT,	/* literal text, at most one line (ends at '\n') */
	MN_VAR,		/* {{name}}: escaped */
	MN_RAW,		/* {{{name}}} or {{&name}} */
	MN_SECTION,	/* {{#name}} ... {{/name}} */
	MN_INVERTED,	/* {{^name}} ... {{/name}} */
	MN_PARTIAL,	/* {{>name}} */
	MN_PARENT,	/* {{<name}} ... {{/name}}: children are blocks */
	MN_BLOCK	/* {{$name}} default {{/name}} */
};

#define MN_STANDALONE	0x01	/* the tag's line was standalone */
#define MN_LEAD		0x02	/* only whitespace before it on its line */
#define MN_ARG		0x04	/* a block passed to a parent */

/* A part of a dotted name: "a.b.c" is three. */
struct mpart {
	const char	*s;
	uint32_t	 len;
};

struct mnode {
	uint8_t		 type;
	uint8_t		 flags;
	uint16_t	 nparts;	/* name parts; 0 for "." */
	uint32_t	 end;		/* index past the last child */
	uint32_t	 parts;		/* index of the first name part */
	uint32_t	 line, col;	/* of the tag, for errors */
	const char	*str;		/* text, or the whole name */
	uint32_t	 len;
	uint32_t	 ind_len;
	const char	*ind;		/* partial/parent: indentation;
					   block: indentation of overrides */
};

struct mtemplate {
	char		*name;
	char		*filename;
	char		*src;		/* NUL-terminated copy */
	struct mnode	*nodes;
	uint32_t	 nnodes;
	struct mpart	*parts;
	uint32_t	 nparts;
};

struct mustache_set {
	struct mtemplate **v;		/* sorted by name */
	size_t		  n, cap;
};

/* The template named by the len bytes at s, or NULL. */
const struct mtemplate *mustache_find(const mustache_set *, const char *s,
	    size_t len);
/* Formats err->where for a node of t, and err->msg. */
void	mustache_node_err(mustache_err *, const struct mtemplate *,
	    const struct mnode *, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
