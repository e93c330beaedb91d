/*
 * libFuzzer driver for domain/ical: the input is cut at 0x1f bytes into
 * calendar name, summary, description, pace, URL and then a date and
 * update time, and the whole calendar must obey the wire rules: CRLF
 * only, lines <= 75 octets and valid UTF-8 each, continuation lines
 * starting with a space, BEGIN/END balanced.  Violations abort.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/ical.h"

#define NFIELDS	6

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
validate(const char *s, size_t len)
{
	size_t i = 0;
	int depth = 0;

	while (i < len) {
		const char *eol = memchr(s + i, '\r', len - i);
		size_t n;

		if (eol == NULL || (size_t)(eol - s) + 1 >= len || eol[1] != '\n')
			abort();
		n = (size_t)(eol - s) - i;
		if (n > ICAL_LINE_MAX || memchr(s + i, '\n', n) != NULL ||
		    !utf8_text_ok(s + i, n, false))
			abort();
		if (i == 0 && s[0] == ' ')
			abort();
		if (n >= 6 && memcmp(s + i, "BEGIN:", 6) == 0)
			depth++;
		else if (n >= 4 && memcmp(s + i, "END:", 4) == 0 && --depth < 0)
			abort();
		i += n + 2;
	}
	if (depth != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = xmalloc(size + 1), *field[NFIELDS], *p;
	struct ical_event ev = { 0 };
	buf_t out = BUF_INIT;
	int i;

	memcpy(copy, data, size);
	copy[size] = '\0';
	/* Embedded NULs end a field early, as C strings do. */
	for (i = 0, p = copy; i < NFIELDS; i++) {
		field[i] = p;
		if ((p = strchr(p, 0x1f)) == NULL)
			p = copy + strlen(copy);
		else
			*p++ = '\0';
	}
	ev.id = field[1];
	ev.summary = field[1];
	ev.description = field[2];
	ev.pace = field[3];
	ev.url = field[4];
	ev.date = (date_t)(size * 7919 % 40000);
	ev.updated = (int64_t)strtoll(field[5], NULL, 10);
	ical_begin(&out, field[0]);
	ical_event(&out, &ev, ev.updated ^ 0x5bd1e995);
	ical_event(&out, &ev, -ev.updated);
	ical_end(&out);
	validate(out.data, out.len);
	buf_free(&out);
	free(copy);
	return 0;
}
