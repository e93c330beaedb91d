/*
 * svg_check: just enough of XML to check the views' SVG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg_check.h"

#define DEPTH_MAX	64

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
}

/* An entity at s ('&' first): &amp; &lt; &gt; &quot; &#39; &#NNN; */
static size_t
entity(const char *s)
{
	static const char *const names[] = { "&amp;", "&lt;", "&gt;",
	    "&quot;", "&apos;" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return strlen(names[i]);
	if (s[1] == '#') {
		for (i = 2; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i > 2 && s[i] == ';')
			return i + 1;
	}
	return 0;
}

static bool
fail(char *err, size_t n, const char *why, const char *at)
{
	snprintf(err, n, "%s at \"%.30s\"", why, at);
	return false;
}

/* Text content up to the next '<'. */
static bool
text(const char **p, char *err, size_t n)
{
	size_t k;

	for (; **p && **p != '<'; (*p)++) {
		if (**p == '&') {
			if ((k = entity(*p)) == 0)
				return fail(err, n, "bare &", *p);
			*p += k - 1;
		} else if ((unsigned char)**p < 0x20 && **p != '\n' &&
		    **p != '\t')
			return fail(err, n, "control character", *p);
	}
	return true;
}

/* Attributes of an open tag, up to '>' or '/>'. */
static bool
attributes(const char **p, char *err, size_t n)
{
	char	 q;
	size_t	 k;

	for (;;) {
		while (**p == ' ' || **p == '\n')
			(*p)++;
		if (**p == '>' || (**p == '/' && (*p)[1] == '>'))
			return true;
		if (!name_char(**p))
			return fail(err, n, "bad attribute name", *p);
		while (name_char(**p))
			(*p)++;
		if (**p != '=' || ((*p)[1] != '"' && (*p)[1] != '\''))
			return fail(err, n, "unquoted attribute", *p);
		q = (*p)[1];
		for (*p += 2; **p && **p != q; (*p)++) {
			if (**p == '<')
				return fail(err, n, "< in attribute", *p);
			if (**p == '&') {
				if ((k = entity(*p)) == 0)
					return fail(err, n, "bare & in attribute",
					    *p);
				*p += k - 1;
			}
		}
		if (**p != q)
			return fail(err, n, "unterminated attribute", *p);
		(*p)++;
	}
}

bool
svg_wellformed(const char *s, char *err, size_t n)
{
	const char	*stack[DEPTH_MAX], *p = s, *name;
	size_t		 len[DEPTH_MAX], depth = 0, l;
	bool		 root_seen = false;

	while (*p) {
		if (!text(&p, err, n))
			return false;
		if (*p == '\0')
			break;
		if (p[1] == '/') {
			name = p + 2;
			for (l = 0; name_char(name[l]); l++)
				;
			if (depth == 0 || l != len[depth - 1] ||
			    strncmp(name, stack[depth - 1], l) != 0 ||
			    name[l] != '>')
				return fail(err, n, "mismatched close tag", p);
			depth--;
			p = name + l + 1;
			continue;
		}
		if (depth == 0 && root_seen)
			return fail(err, n, "second root", p);
		name = ++p;
		for (l = 0; name_char(name[l]); l++)
			;
		if (l == 0)
			return fail(err, n, "bad tag name", p);
		p += l;
		if (!attributes(&p, err, n))
			return false;
		root_seen = true;
		if (*p == '/') {
			p += 2;
			continue;
		}
		if (depth == DEPTH_MAX)
			return fail(err, n, "too deep", p);
		stack[depth] = name;
		len[depth++] = l;
		p++;
	}
	if (depth != 0 || !root_seen)
		return fail(err, n, "unclosed or empty", p);
	return true;
}

int
svg_count(const char *s, const char *tag)
{
	size_t	 l = strlen(tag);
	int	 count = 0;

	for (; (s = strchr(s, '<')) != NULL; s++)
		if (strncmp(s + 1, tag, l) == 0 && !name_char(s[1 + l]))
			count++;
	return count;
}

static bool
is_x_attr(const char *a, size_t l, bool *is_x, bool *points)
{
	static const char *const xs[] = { "x", "x1", "x2", "cx" };
	static const char *const ys[] = { "y", "y1", "y2", "cy" };
	size_t i;

	*points = l == 6 && strncmp(a, "points", 6) == 0;
	for (i = 0; i < 4; i++) {
		if (strlen(xs[i]) == l && strncmp(a, xs[i], l) == 0)
			return *is_x = true;
		if (strlen(ys[i]) == l && strncmp(a, ys[i], l) == 0) {
			*is_x = false;
			return true;
		}
	}
	return *points;
}

void
svg_coords(const char *s, void (*fn)(bool, double, void *), void *arg)
{
	const char	*a, *v;
	char		*end;
	bool		 is_x = false, points = false;
	size_t		 l;

	for (a = s; (a = strstr(a, "=\"")) != NULL; a = v) {
		for (l = 0; a - l > s && name_char(a[-(long)l - 1]); l++)
			;
		v = a + 2;
		if (a[-(long)l - 1] != ' ' ||
		    !is_x_attr(a - l, l, &is_x, &points))
			continue;
		if (!points) {
			fn(is_x, strtod(v, NULL), arg);
			continue;
		}
		for (is_x = true; *v != '"'; is_x = !is_x) {
			fn(is_x, strtod(v, &end), arg);
			if (end == v)
				break;
			v = end + (*end == ',' || *end == ' ');
		}
	}
}

void
svg_viewbox(const char *s, double *w, double *h)
{
	const char *v = strstr(s, "viewBox=\"");

	*w = *h = 0;
	if (v != NULL)
		sscanf(v, "viewBox=\"0 0 %lf %lf\"", w, h);
}
