/*
 * ical: see ical.h.  Each property is built into a scratch buffer as one
 * logical line, then folded into the output.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "domain/ical.h"

#define SECS_PER_DAY	86400
#define ICAL_DATE_MIN	0		/* 1970-01-01 */
#define ICAL_DATE_MAX	2932896		/* 9999-12-31 */

static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

/*
 * Length of the well-formed UTF-8 sequence starting at p (at most n
 * bytes), or 0 if it is not one: overlongs, surrogates and code points
 * beyond U+10FFFF are rejected.  The code point goes to *cpp.
 */
static size_t
utf8_seq(const unsigned char *p, size_t n, uint32_t *cpp)
{
	size_t len, k;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) { len = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { len = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { len = 4; cp = p[0] & 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cpp = cp;
	return len;
}

void
ical_escape_text(buf_t *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		unsigned char c = p[i];

		if (c >= 0x80) {
			if ((n = utf8_seq(p + i, len - i, &cp)) == 0) {
				buf_add(b, replacement, sizeof(replacement) - 1);
				i++;
			} else {
				/* C1 controls (U+0080-009F) are dropped too. */
				if (cp >= 0xa0)
					buf_add(b, p + i, n);
				i += n;
			}
			continue;
		}
		switch (c) {
		case '\\': case ';': case ',':
			buf_putc(b, '\\');
			buf_putc(b, c);
			break;
		case '\r':
			if (i + 1 < len && p[i + 1] == '\n')
				break;	/* CRLF is one newline */
			/* FALLTHROUGH */
		case '\n':
			buf_puts(b, "\\n");
			break;
		default:
			/* TEXT allows HTAB but no other control character. */
			if (c == '\t' || (c >= 0x20 && c != 0x7f))
				buf_putc(b, c);
			break;
		}
		i++;
	}
}

static bool
utf8_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

void
ical_fold(buf_t *b, const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t pos = 0, room = ICAL_LINE_MAX, cut;

	while (len - pos > room) {
		cut = pos + room;
		/* Step back so the next line does not start mid-character. */
		while (cut > pos && utf8_continuation(p[cut]))
			cut--;
		if (cut == pos)		/* not UTF-8 at all: cut anyway */
			cut = pos + room;
		buf_add(b, p + pos, cut - pos);
		buf_add(b, "\r\n ", 3);
		pos = cut;
		room = ICAL_LINE_MAX - 1;	/* the leading space counts */
	}
	buf_add(b, p + pos, len - pos);
	buf_add(b, "\r\n", 2);
}

/* Writes v as exactly n decimal digits (v < 10^n). */
static char *
put_digits(char *p, unsigned v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

static char *
put_ymd(char *p, date_t date)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	p = put_digits(p, (unsigned)y, 4);
	p = put_digits(p, (unsigned)m, 2);
	return put_digits(p, (unsigned)d, 2);
}

static date_t
clamp_date(date_t d)
{
	if (d < ICAL_DATE_MIN)
		return ICAL_DATE_MIN;
	return d > ICAL_DATE_MAX ? ICAL_DATE_MAX : d;
}

void
ical_format_utc(int64_t epoch, char out[17])
{
	int64_t secs;
	char *p;

	if (epoch < 0)
		epoch = 0;
	if (epoch > (int64_t)ICAL_DATE_MAX * SECS_PER_DAY + SECS_PER_DAY - 1)
		epoch = (int64_t)ICAL_DATE_MAX * SECS_PER_DAY + SECS_PER_DAY - 1;
	secs = epoch % SECS_PER_DAY;
	p = put_ymd(out, (date_t)(epoch / SECS_PER_DAY));
	*p++ = 'T';
	p = put_digits(p, (unsigned)(secs / 3600), 2);
	p = put_digits(p, (unsigned)(secs / 60 % 60), 2);
	p = put_digits(p, (unsigned)(secs % 60), 2);
	*p++ = 'Z';
	*p = '\0';
}

static void
format_date(date_t date, char out[9])
{
	*put_ymd(out, clamp_date(date)) = '\0';
}

/* Emits NAME:value with value already in wire form. */
static void
prop_raw(buf_t *out, buf_t *line, const char *name, const char *value)
{
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	buf_puts(line, value);
	ical_fold(out, line->data, line->len);
}

static void
prop_text(buf_t *out, buf_t *line, const char *name, const char *text)
{
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	ical_escape_text(line, text, strlen(text));
	ical_fold(out, line->data, line->len);
}

/* A URI value is not escaped, so accept only plain http(s) URLs. */
static bool
url_ok(const char *u)
{
	size_t i, n = strlen(u);

	if (n > ICAL_URL_MAX || (strncmp(u, "https://", 8) != 0 &&
	    strncmp(u, "http://", 7) != 0))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			return false;
	return true;
}

void
ical_begin(buf_t *out, const char *calname)
{
	buf_t line = BUF_INIT;

	prop_raw(out, &line, "BEGIN", "VCALENDAR");
	prop_raw(out, &line, "VERSION", "2.0");
	prop_raw(out, &line, "PRODID", ICAL_PRODID);
	prop_raw(out, &line, "CALSCALE", "GREGORIAN");
	prop_raw(out, &line, "METHOD", "PUBLISH");
	if (calname != NULL && *calname != '\0')
		prop_text(out, &line, "X-WR-CALNAME", calname);
	buf_free(&line);
}

static void
description(buf_t *out, buf_t *line, const struct ical_event *ev)
{
	bool has_desc = ev->description != NULL && *ev->description != '\0';
	bool has_pace = ev->pace != NULL && *ev->pace != '\0';

	if (!has_desc && !has_pace)
		return;
	buf_reset(line);
	buf_puts(line, "DESCRIPTION:");
	if (has_desc)
		ical_escape_text(line, ev->description,
		    strlen(ev->description));
	if (has_desc && has_pace)
		buf_puts(line, "\\n");
	if (has_pace) {
		buf_puts(line, "Pace: ");
		ical_escape_text(line, ev->pace, strlen(ev->pace));
	}
	ical_fold(out, line->data, line->len);
}

void
ical_event(buf_t *out, const struct ical_event *ev, int64_t dtstamp)
{
	buf_t line = BUF_INIT;
	char stamp[17], day[9];
	int64_t seq = 0;
	date_t date;

	prop_raw(out, &line, "BEGIN", "VEVENT");
	buf_reset(&line);
	buf_puts(&line, "UID:");
	ical_escape_text(&line, ev->id ? ev->id : "", ev->id ? strlen(ev->id) : 0);
	buf_puts(&line, "@" ICAL_UID_DOMAIN);
	ical_fold(out, line.data, line.len);

	ical_format_utc(dtstamp, stamp);
	prop_raw(out, &line, "DTSTAMP", stamp);
	date = clamp_date(ev->date);
	if (date == ICAL_DATE_MAX)	/* keep room for DTEND */
		date--;
	format_date(date, day);
	prop_raw(out, &line, "DTSTART;VALUE=DATE", day);
	format_date(date + 1, day);		/* DTEND is exclusive */
	prop_raw(out, &line, "DTEND;VALUE=DATE", day);
	prop_text(out, &line, "SUMMARY", ev->summary ? ev->summary : "");
	description(out, &line, ev);
	if (ev->url != NULL && url_ok(ev->url))
		prop_raw(out, &line, "URL", ev->url);
	if (ev->updated > 0) {
		ical_format_utc(ev->updated, stamp);
		prop_raw(out, &line, "LAST-MODIFIED", stamp);
		seq = ev->updated - ICAL_SEQUENCE_EPOCH;
		seq = seq < 0 ? 0 : seq > INT32_MAX ? INT32_MAX : seq;
	}
	buf_reset(&line);
	buf_printf(&line, "SEQUENCE:%" PRId64, seq);
	ical_fold(out, line.data, line.len);
	prop_raw(out, &line, "TRANSP", "TRANSPARENT");	/* not busy time */
	prop_raw(out, &line, "END", "VEVENT");
	buf_free(&line);
}

void
ical_end(buf_t *out)
{
	buf_add(out, "END:VCALENDAR\r\n", 15);
}

void
ical_summary(buf_t *b, const char *label, int64_t distance_m)
{
	int64_t tenths;

	buf_puts(b, label ? label : "");
	if (distance_m <= 0)
		return;
	tenths = (distance_m + 50) / 100;	/* km with one decimal */
	if (tenths % 10 == 0)
		buf_printf(b, " %" PRId64 " km", tenths / 10);
	else
		buf_printf(b, " %" PRId64 ".%" PRId64 " km", tenths / 10,
		    tenths % 10);
}
