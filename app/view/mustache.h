/*
 * mustache: the server-side template engine.
 *
 * Templates are compiled once into flat node arrays held by a
 * mustache_set (one set per process, built at start-up); rendering walks
 * those arrays with a Jansson value as the context and appends to a
 * buf_t.  The whole official Mustache spec is implemented: interpolation,
 * sections, inverted sections, comments, partials, set-delimiter tags and
 * inheritance (parents {{<layout}} with blocks {{$name}}), standalone-line
 * and indentation rules included.  Lambdas do not exist in JSON data.
 *
 * Ownership: the set owns everything it compiles and copies every string
 * handed to it.  Rendering never mutates the set, so one set built before
 * fork() is shared read-only by every worker.  The context value is only
 * read.  Errors are reported as "file:line:col" plus a message.
 *
 * Hostile input is bounded by the limits below: compiling or rendering
 * anything past them fails with an error instead of using unbounded
 * memory or time.
 */
#ifndef CADENCE_MUSTACHE_H
#define CADENCE_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"

#define MUSTACHE_MAX_TEMPLATE_SIZE	(1024 * 1024)	/* bytes of source */
#define MUSTACHE_MAX_NESTING		64	/* open sections/blocks */
#define MUSTACHE_MAX_DELIM		16	/* bytes of a custom delimiter */
#define MUSTACHE_MAX_PARTIAL_DEPTH	32	/* partials/parents/blocks */
#define MUSTACHE_MAX_CONTEXT_DEPTH	64	/* pushed section values */
#define MUSTACHE_MAX_INDENT		4096	/* bytes of partial indent */
#define MUSTACHE_MAX_OUTPUT		(32 * 1024 * 1024) /* per render */
#define MUSTACHE_MAX_STEPS		(1UL << 25) /* nodes visited per render */

typedef struct mustache_set mustache_set;	/* named compiled templates */

typedef struct mustache_err {
	char	where[512];	/* "file:line:col" */
	char	msg[256];
} mustache_err;

mustache_set	*mustache_set_new(void);
void		 mustache_set_free(mustache_set *);

/*
 * Compiles len bytes of src under `name` (the name partial and parent
 * tags use); `filename` (or `name` when NULL) is used in error messages.
 * A template already present under that name is replaced.  The set keeps
 * its own copies of src, name and filename.
 */
int	mustache_set_add(mustache_set *, const char *name, const char *src,
	    size_t len, const char *filename, mustache_err *);

/* Compiles the file at path under `name`; errors name the path. */
int	mustache_set_add_file(mustache_set *, const char *name,
	    const char *path, mustache_err *);

/* Compiles every DIR/NAME.mustache (not recursive) under NAME. */
int	mustache_set_load_dir(mustache_set *, const char *dir, mustache_err *);

/*
 * Strict check for start-up: every partial and parent referenced by any
 * template exists in the set.  (Rendering treats a missing one as empty,
 * as the spec demands.)
 */
int	mustache_set_check(const mustache_set *, mustache_err *);

bool	mustache_set_has(const mustache_set *, const char *name);

/*
 * Renders template `name` against ctx (NULL renders as an empty context),
 * appending to out.  On error out may hold partial output: callers
 * discard it.  Returns 0 or -1.
 */
int	mustache_render(const mustache_set *, const char *name,
	    const json_t *ctx, buf_t *out, mustache_err *);

/*
 * Same, for text that is not HTML (mail subjects and text/plain parts):
 * {{name}} is not escaped, so "O'Brien & Co" stays as written.
 */
int	mustache_render_text(const mustache_set *, const char *name,
	    const json_t *ctx, buf_t *out, mustache_err *);

/* Appends a JSON number the way templates show it: 3, 3.5, 1.21, -2. */
void	mustache_put_number(buf_t *, const json_t *);

#endif
