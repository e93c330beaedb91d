/* multipart: see multipart.h. */
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "web/multipart.h"

/* The parameters of one part's Content-Disposition. */
struct disposition {
	const char	*name;
	const char	*filename;	/* NULL: a text field */
	const char	*content_type;
};

int
multipart_is(const char *ct)
{
	return ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

/* RFC 2046's bchars (a space only inside). */
static int
bchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL;
}

/* The boundary parameter of ct into out ("--" prefixed). */
static enum multipart_status
boundary_of(const char *ct, char *out, size_t *outlen)
{
	const char	*p = strcasestr(ct, "boundary=");
	size_t		 n = 0;
	char		 stop = ';';

	if (p == NULL || (p > ct && strchr("; \t", p[-1]) == NULL))
		return MULTIPART_BAD_BOUNDARY;
	p += 9;
	if (*p == '"') {
		stop = '"';
		p++;
	}
	memcpy(out, "--", 2);
	while (p[n] != '\0' && p[n] != stop && (stop == '"' || p[n] != ' ')) {
		if (n >= MULTIPART_MAX_BOUNDARY || !bchar((unsigned char)p[n]))
			return MULTIPART_BAD_BOUNDARY;
		out[2 + n] = p[n];
		n++;
	}
	if (n == 0 || p[n - 1] == ' ' || (stop == '"' && p[n] != '"'))
		return MULTIPART_BAD_BOUNDARY;
	*outlen = n + 2;
	return MULTIPART_OK;
}

/*
 * One parameter value at *pp: a quoted string (backslash escapes the
 * next byte) or a token; an arena copy, advancing *pp past it.
 */
static char *
param_value(arena_t *a, const char **pp, const char *end)
{
	const char	*p = *pp;
	char		*v = arena_alloc(a, (size_t)(end - p) + 1);
	size_t		 n = 0;

	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			v[n++] = *p;
		}
		if (p >= end)
			return NULL;
		p++;
	} else
		while (p < end && *p != ';' && *p != ' ' && *p != '\t')
			v[n++] = *p++;
	v[n] = '\0';
	*pp = p;
	return v;
}

/* "form-data; name=...; filename=..." (line without its name). */
static enum multipart_status
parse_disposition(arena_t *a, const char *p, const char *end,
    struct disposition *d)
{
	const char	*key;
	char		*v;
	size_t		 klen;

	if ((size_t)(end - p) < 9 || strncasecmp(p, "form-data", 9) != 0)
		return MULTIPART_MALFORMED;
	for (p += 9;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		if (*p++ != ';')
			return MULTIPART_MALFORMED;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (key = p; p < end && *p != '='; p++)
			;
		if (p == end)
			return MULTIPART_MALFORMED;
		klen = (size_t)(p++ - key);
		if ((v = param_value(a, &p, end)) == NULL)
			return MULTIPART_MALFORMED;
		if (klen == 4 && strncasecmp(key, "name", 4) == 0)
			d->name = v;
		else if (klen == 8 && strncasecmp(key, "filename", 8) == 0)
			d->filename = v;
	}
	return d->name != NULL ? MULTIPART_OK : MULTIPART_MALFORMED;
}

/* A part's header block (CRLF-separated lines, no final CRLF). */
static enum multipart_status
parse_headers(arena_t *a, const char *h, size_t len, struct disposition *d)
{
	const char		*end = h + len, *eol, *colon;
	enum multipart_status	 st;

	memset(d, 0, sizeof(*d));
	for (; h < end; h = eol + 2) {
		if ((eol = memmem(h, (size_t)(end - h), "\r\n", 2)) == NULL)
			eol = end;
		/* No control character (a lone CR or LF either) in a line. */
		if (!utf8_text_ok(h, (size_t)(eol - h), false))
			return MULTIPART_BAD_TEXT;
		if ((colon = memchr(h, ':', (size_t)(eol - h))) == NULL)
			return MULTIPART_MALFORMED;
		for (colon++; colon < eol && *colon == ' '; colon++)
			;
		if ((size_t)(eol - h) > 20 &&
		    strncasecmp(h, "Content-Disposition:", 20) == 0) {
			if ((st = parse_disposition(a, colon, eol, d)) !=
			    MULTIPART_OK)
				return st;
		} else if ((size_t)(eol - h) > 13 &&
		    strncasecmp(h, "Content-Type:", 13) == 0)
			d->content_type = arena_strndup(a, colon,
			    (size_t)(eol - colon));
		if (eol == end)
			break;
	}
	return d->name != NULL ? MULTIPART_OK : MULTIPART_MALFORMED;
}

/* What follows the last '/' or '\' (old browsers send whole paths). */
static const char *
base_name(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	return s;
}

static enum multipart_status
add_part(arena_t *a, const struct disposition *d, const char *data,
    size_t len, struct params *fields, struct uploads *files)
{
	struct upload_file	*f;
	struct param		*p;
	const char		*fn;

	if (strlen(d->name) > FORM_MAX_NAME)
		return MULTIPART_TOO_LONG;
	if (!utf8_text_ok(d->name, strlen(d->name), false))
		return MULTIPART_BAD_TEXT;
	if (d->filename != NULL) {
		fn = base_name(d->filename);
		if (*fn == '\0' && len == 0)
			return MULTIPART_OK;	/* an empty file input */
		if (strlen(fn) > MULTIPART_MAX_FILENAME)
			return MULTIPART_TOO_LONG;
		if (files->n >= MULTIPART_MAX_FILES)
			return MULTIPART_TOO_MANY;
		f = &files->v[files->n++];
		f->field = d->name;
		f->filename = fn;
		f->content_type = d->content_type ? d->content_type : "";
		f->data = data;
		f->len = len;
		return MULTIPART_OK;
	}
	if (len > FORM_MAX_VALUE)
		return MULTIPART_TOO_LONG;
	if (memchr(data, '\0', len) != NULL || !utf8_text_ok(data, len, true))
		return MULTIPART_BAD_TEXT;
	p = &fields->v[fields->n++];
	p->name = d->name;
	p->value = arena_strndup(a, data, len);
	p->len = len;
	return MULTIPART_OK;
}

/*
 * The header block at p (up to "\r\n\r\n", or an empty one): its length
 * in *hlen and where the content starts, or NULL with *st set.
 */
static const char *
header_block(const char *p, const char *end, size_t *hlen,
    enum multipart_status *st)
{
	const char	*q;
	size_t		 room = (size_t)(end - p);

	if (room >= 2 && p[0] == '\r' && p[1] == '\n') {
		*hlen = 0;
		return p + 2;
	}
	if (room > MULTIPART_MAX_HEADERS + 4)
		room = MULTIPART_MAX_HEADERS + 4;
	if ((q = memmem(p, room, "\r\n\r\n", 4)) == NULL) {
		*st = (size_t)(end - p) > MULTIPART_MAX_HEADERS ?
		    MULTIPART_TOO_LONG : MULTIPART_MALFORMED;
		return NULL;
	}
	*hlen = (size_t)(q - p);
	return q + 4;
}

/* The parts after the first delimiter, p just past it. */
static enum multipart_status
parse_parts(arena_t *a, const char *p, const char *end, const char *delim,
    size_t dlen, struct params *fields, struct uploads *files)
{
	const char		*content, *q;
	size_t			 hlen, nparts = 0;
	struct disposition	 d;
	enum multipart_status	 st = MULTIPART_MALFORMED;

	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return MULTIPART_OK;	/* the close delimiter */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return MULTIPART_MALFORMED;
		p += 2;
		if (++nparts > MULTIPART_MAX_PARTS)
			return MULTIPART_TOO_MANY;
		if ((content = header_block(p, end, &hlen, &st)) == NULL)
			return st;
		/* delim is "\r\n--boundary" here. */
		q = memmem(content, (size_t)(end - content), delim, dlen);
		if (q == NULL)
			return MULTIPART_MALFORMED;
		if ((st = parse_headers(a, p, hlen, &d)) != MULTIPART_OK ||
		    (st = add_part(a, &d, content, (size_t)(q - content),
		    fields, files)) != MULTIPART_OK)
			return st;
		p = q + dlen;
	}
}

enum multipart_status
multipart_parse(arena_t *a, const char *ct, const char *body, size_t len,
    struct params *fields, struct uploads *files)
{
	char			 delim[MULTIPART_MAX_BOUNDARY + 5];
	size_t			 blen;
	const char		*end = body + len, *p;
	enum multipart_status	 st;

	fields->n = files->n = 0;
	fields->v = arena_alloc(a, MULTIPART_MAX_PARTS * sizeof(*fields->v));
	files->v = arena_alloc(a, MULTIPART_MAX_FILES * sizeof(*files->v));
	if (!multipart_is(ct))
		return MULTIPART_NOT_MULTIPART;
	delim[0] = '\r';
	delim[1] = '\n';
	if ((st = boundary_of(ct, delim + 2, &blen)) != MULTIPART_OK)
		return st;
	/* The first delimiter opens the body, or follows a preamble. */
	if (len >= blen && memcmp(body, delim + 2, blen) == 0)
		p = body + blen;
	else if ((p = memmem(body, len, delim, blen + 2)) != NULL)
		p += blen + 2;
	else
		return MULTIPART_MALFORMED;
	return parse_parts(a, p, end, delim, blen + 2, fields, files);
}

const char *
multipart_status_str(enum multipart_status st)
{
	switch (st) {
	case MULTIPART_OK:		return "ok";
	case MULTIPART_NOT_MULTIPART:	return "not multipart/form-data";
	case MULTIPART_BAD_BOUNDARY:	return "bad or missing boundary";
	case MULTIPART_MALFORMED:	return "malformed multipart body";
	case MULTIPART_TOO_MANY:	return "too many parts or files";
	case MULTIPART_TOO_LONG:	return "a part header, name or value is "
					    "too long";
	case MULTIPART_BAD_TEXT:	return "invalid characters";
	}
	return "?";
}
