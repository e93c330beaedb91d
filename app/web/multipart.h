/*
 * multipart: a strict, bounded parser of multipart/form-data bodies
 * (RFC 7578), for the routes that take files (ROUTE_UPLOAD).
 *
 * Pure, over the raw body libfcgi gives: no copy of file contents (each
 * file points into the body), text fields decoded into struct params
 * like a urlencoded form, so CSRF and req_form() work unchanged.  Every
 * limit a client could push on is named here; a malformed body, a field
 * or header over its limit, a control character or invalid UTF-8 in a
 * name, value or file name makes the whole body invalid (400), so a
 * handler never sees half a form.  Runs in time linear in the body.
 */
#ifndef CADENCE_MULTIPART_H
#define CADENCE_MULTIPART_H

#include <stddef.h>

#include "core/arena.h"
#include "web/form.h"

#define MULTIPART_MAX_PARTS	32	/* fields and files together */
#define MULTIPART_MAX_FILES	10	/* files in one request */
#define MULTIPART_MAX_BOUNDARY	70	/* RFC 2046 */
#define MULTIPART_MAX_HEADERS	2048	/* bytes of one part's header block */
#define MULTIPART_MAX_FILENAME	255	/* bytes of a file's name */

struct upload_file {
	const char	*field;		/* the form field's name */
	const char	*filename;	/* base name, "" for none */
	const char	*content_type;	/* as sent, "" for none */
	const char	*data;		/* into the body: not NUL-terminated */
	size_t		 len;
};

struct uploads {
	struct upload_file	*v;
	size_t			 n;
};

enum multipart_status {
	MULTIPART_OK = 0,
	MULTIPART_NOT_MULTIPART,	/* not multipart/form-data */
	MULTIPART_BAD_BOUNDARY,		/* missing, empty, too long, bad chars */
	MULTIPART_MALFORMED,		/* delimiters, headers, no end */
	MULTIPART_TOO_MANY,		/* parts or files over the limits */
	MULTIPART_TOO_LONG,		/* a header block, name or value */
	MULTIPART_BAD_TEXT,		/* control character or invalid UTF-8 */
};

/*
 * Parses body (len bytes) sent with content_type into fields (text parts)
 * and files (parts with a filename parameter).  Allocates from the arena;
 * files point into body, which must outlive them.
 */
enum multipart_status multipart_parse(arena_t *, const char *content_type,
		    const char *body, size_t len, struct params *fields,
		    struct uploads *files);
const char	*multipart_status_str(enum multipart_status);
/* True if content_type says multipart/form-data. */
int		 multipart_is(const char *content_type);

#endif
