#include <string.h>

#include "core/util.h"
#include "web/form.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum form_status
form_decode(arena_t *a, const char *s, size_t len, bool plus, char **out,
    size_t *outlen)
{
	char	*d = arena_alloc(a, len + 1);
	size_t	 i, n = 0;
	int	 hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return FORM_BAD_ESCAPE;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return FORM_BAD_ESCAPE;
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == 0 || c == 0x7f ||
		    (c < 0x20 && c != '\t' && c != '\r' && c != '\n'))
			return FORM_BAD_CHAR;
		d[n++] = (char)c;
	}
	d[n] = '\0';
	if (!utf8_text_ok(d, n, true))
		return FORM_BAD_UTF8;
	*out = d;
	*outlen = n;
	return FORM_OK;
}

static enum form_status
add_pair(arena_t *a, struct params *out, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	struct param		*p;
	char			*dn, *dv;
	size_t			 dnl, dvl;
	enum form_status	 st;

	if (out->n >= FORM_MAX_FIELDS)
		return FORM_TOO_MANY;
	if ((st = form_decode(a, name, nlen, true, &dn, &dnl)) != FORM_OK ||
	    (st = form_decode(a, value, vlen, true, &dv, &dvl)) != FORM_OK)
		return st;
	if (dnl > FORM_MAX_NAME || dvl > FORM_MAX_VALUE)
		return FORM_TOO_LONG;
	p = &out->v[out->n++];
	p->name = dn;
	p->value = dv;
	p->len = dvl;
	return FORM_OK;
}

enum form_status
form_parse_urlencoded(arena_t *a, const char *s, size_t len, struct params *out)
{
	size_t			 i = 0, start, eq, end;
	enum form_status	 st;

	out->n = 0;
	out->v = arena_alloc(a, FORM_MAX_FIELDS * sizeof(struct param));
	while (i < len) {
		start = i;
		while (i < len && s[i] != '&')
			i++;
		end = i++;
		if (end == start)
			continue;			/* "a=1&&b=2" */
		for (eq = start; eq < end && s[eq] != '='; eq++)
			;
		if (eq - start > 3 * FORM_MAX_NAME ||
		    (eq < end && end - eq - 1 > 3 * (size_t)FORM_MAX_VALUE))
			return FORM_TOO_LONG;
		st = add_pair(a, out, s + start, eq - start,
		    eq < end ? s + eq + 1 : "", eq < end ? end - eq - 1 : 0);
		if (st != FORM_OK)
			return st;
	}
	return FORM_OK;
}

/*
 * A garbled cookie is not an error: the pair is dropped, so a client with
 * junk in its cookie jar is simply treated as signed out.
 */
void
form_parse_cookies(arena_t *a, const char *s, struct params *out)
{
	const char	*p = s, *name, *eq, *end;
	size_t		 vlen, nlen;
	struct param	*c;

	out->n = 0;
	out->v = arena_alloc(a, COOKIE_MAX_COUNT * sizeof(struct param));
	while (p != NULL && *p != '\0' && out->n < COOKIE_MAX_COUNT) {
		while (*p == ' ' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		name = p;
		end = p + strcspn(p, ";");
		p = end;
		eq = memchr(name, '=', (size_t)(end - name));
		if (eq == NULL || eq == name)
			continue;
		nlen = (size_t)(eq - name);
		vlen = (size_t)(end - eq - 1);
		while (vlen > 0 && eq[vlen] == ' ')
			vlen--;
		if (nlen > FORM_MAX_NAME || vlen > COOKIE_MAX_VALUE ||
		    !utf8_text_ok(name, nlen, false) ||
		    !utf8_text_ok(eq + 1, vlen, false))
			continue;
		c = &out->v[out->n++];
		c->name = arena_strndup(a, name, nlen);
		c->value = arena_strndup(a, eq + 1, vlen);
		c->len = vlen;
	}
}

const char *
form_status_str(enum form_status st)
{
	switch (st) {
	case FORM_OK:		return "ok";
	case FORM_TOO_MANY:	return "too many fields";
	case FORM_TOO_LONG:	return "a field is too long";
	case FORM_BAD_ESCAPE:	return "malformed percent-encoding";
	case FORM_BAD_CHAR:	return "control characters are not allowed";
	case FORM_BAD_UTF8:	return "text must be valid UTF-8";
	}
	return "invalid input";
}

const char *
params_get(const struct params *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return ps->v[i].value;
	return NULL;
}

size_t
params_count(const struct params *ps, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			n++;
	return n;
}
