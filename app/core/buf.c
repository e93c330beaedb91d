#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"

void
buf_init(buf_t *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_free(buf_t *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(buf_t *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_reserve(buf_t *b, size_t extra)
{
	size_t need, cap;

	if (extra > SIZE_MAX / 2 - b->len)
		fatal_oom();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_add(buf_t *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(buf_t *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(buf_t *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	int	 n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(buf_t *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_html(buf_t *b, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *rep;

	buf_reserve(b, len);
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':  rep = "&amp;";  break;
		case '<':  rep = "&lt;";   break;
		case '>':  rep = "&gt;";   break;
		case '"':  rep = "&quot;"; break;
		case '\'': rep = "&#39;";  break;
		default:   continue;
		}
		buf_add(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, len - start);
}

const char *
buf_cstr(const buf_t *b)
{
	return b->data ? b->data : "";
}

void
buf_urlenc(buf_t *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf_putc(out, *p);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		}
	}
}
