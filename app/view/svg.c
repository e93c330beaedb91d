/*
 * svg: escaping, ids, the <svg> element and round axis steps.
 */
#include <math.h>
#include <string.h>

#include "view/svg.h"

void
svg_text(buf_t *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		switch (*p) {
		case '&':  buf_puts(b, "&amp;");  break;
		case '<':  buf_puts(b, "&lt;");   break;
		case '>':  buf_puts(b, "&gt;");   break;
		case '"':  buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;");  break;
		default:
			/* XML 1.0 has no place for C0 controls but tab/newline. */
			if (*p < 0x20 && *p != '\t' && *p != '\n')
				continue;
			if (*p == 0x7f)
				continue;
			buf_putc(b, *p);
		}
	}
}

void
svg_id(char out[SVG_ID_MAX + 1], const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0')
		s = "chart";
	for (i = 0; s[i] != '\0' && i < SVG_ID_MAX; i++) {
		char c = s[i];

		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' ? c : '-';
	}
	out[i] = '\0';
}

void
svg_open(buf_t *b, const char *cls, int w, int h, const char *id,
    const char *title, const char *desc)
{
	char sid[SVG_ID_MAX + 1];

	svg_id(sid, id);
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"");
	svg_text(b, cls);
	buf_printf(b, "\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\""
	    " aria-labelledby=\"%s-title %s-desc\" font-family=\"%s\">",
	    w, h, sid, sid, SVG_FONT);
	buf_printf(b, "<title id=\"%s-title\">", sid);
	svg_text(b, title);
	buf_printf(b, "</title><desc id=\"%s-desc\">", sid);
	svg_text(b, desc);
	buf_puts(b, "</desc>");
}

void
svg_close(buf_t *b)
{
	buf_puts(b, "</svg>");
}

void
svg_label(buf_t *b, double x, double y, const char *anchor, const char *cls,
    const char *text)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y,
	    anchor);
	if (cls != NULL) {
		buf_puts(b, " class=\"");
		svg_text(b, cls);
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	svg_text(b, text);
	buf_puts(b, "</text>");
}

/* One number with one decimal; beyond +-1e9 it is clamped (not drawable). */
static void
put_tenths(buf_t *b, double v)
{
	char		 s[16], *p = s + sizeof(s);
	long long	 t;
	int		 neg;

	if (!(v > -1e9))
		v = -1e9;
	if (!(v < 1e9))
		v = 1e9;
	t = llround(v * 10);
	neg = t < 0;
	if (neg)
		t = -t;
	*--p = (char)('0' + t % 10);
	*--p = '.';
	t /= 10;
	do {
		*--p = (char)('0' + t % 10);
		t /= 10;
	} while (t > 0);
	if (neg)
		*--p = '-';
	buf_add(b, p, (size_t)(s + sizeof(s) - p));
}

void
svg_point(buf_t *b, double x, double y)
{
	put_tenths(b, x);
	buf_putc(b, ',');
	put_tenths(b, y);
}

double
svg_nice_step(double range, int max_ticks)
{
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	double	 raw, mag;
	size_t	 i;

	if (!(range > 0) || max_ticks < 1)
		return 1;
	raw = range / max_ticks;
	mag = pow(10, floor(log10(raw)));
	for (i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (mult[i] * mag >= raw)
			return mult[i] * mag;
	return 10 * mag;
}
