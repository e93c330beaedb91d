/*
 * Tests for domain/ical, with a validator for the RFC 5545 wire rules
 * that every produced calendar is run through.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/ical.h"

#define MAX_NEST	8

/*
 * Checks the wire rules: CRLF only, physical lines <= 75 octets and each
 * valid UTF-8 on its own (so no sequence was split), continuation lines
 * starting with a space, logical lines "NAME[;params]:value", balanced
 * BEGIN/END starting and ending with VCALENDAR, and UID, DTSTAMP and
 * DTSTART in every VEVENT.  Returns NULL or what is wrong.
 */
static const char *
ical_validate(const char *s, size_t len)
{
	char stack[MAX_NEST][32], logical[4096];
	size_t i = 0, llen = 0;
	int depth = 0, seen = 0, props = 0;

	while (i < len) {
		const char *eol = memchr(s + i, '\r', len - i);
		size_t n;

		if (eol == NULL || (size_t)(eol - s) + 1 >= len || eol[1] != '\n')
			return "line without CRLF";
		n = (size_t)(eol - s) - i;
		if (memchr(s + i, '\n', n) != NULL)
			return "bare LF";
		if (n > ICAL_LINE_MAX)
			return "line longer than 75 octets";
		if (!utf8_text_ok(s + i, n, false))
			return "line not valid UTF-8 on its own";
		if (n > 0 && s[i] == ' ') {
			if (llen == 0)
				return "continuation without a line";
			if (llen + n - 1 >= sizeof(logical))
				return "logical line too long for the test";
			memcpy(logical + llen, s + i + 1, n - 1);
			llen += n - 1;
		} else {
			if (llen + n >= sizeof(logical))
				return "logical line too long for the test";
			memcpy(logical, s + i, n);
			llen = n;
		}
		i += n + 2;
		/* Look ahead: the logical line is complete unless folded. */
		if (i < len && s[i] == ' ')
			continue;
		logical[llen] = '\0';
		if (strcspn(logical, ":;") == 0 ||
		    logical[strspn(logical,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")] == '\0' ||
		    strchr(":;", logical[strspn(logical,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")]) == NULL)
			return "bad property name";
		if (strncmp(logical, "BEGIN:", 6) == 0) {
			if (depth == MAX_NEST)
				return "nested too deep";
			if (depth == 0 && (seen++ > 0 ||
			    strcmp(logical + 6, "VCALENDAR") != 0))
				return "not one VCALENDAR";
			if (strlen(logical + 6) >= sizeof(stack[0]))
				return "component name too long";
			strcpy(stack[depth++], logical + 6);
			props = 0;
		} else if (strncmp(logical, "END:", 4) == 0) {
			if (depth == 0 || strcmp(stack[depth - 1], logical + 4))
				return "END without matching BEGIN";
			if (strcmp(logical + 4, "VEVENT") == 0 && props != 7)
				return "VEVENT without UID, DTSTAMP, DTSTART";
			depth--;
		} else if (strncmp(logical, "UID:", 4) == 0) {
			props |= 1;
		} else if (strncmp(logical, "DTSTAMP:", 8) == 0) {
			props |= 2;
		} else if (strncmp(logical, "DTSTART", 7) == 0) {
			props |= 4;
		}
		llen = 0;
	}
	if (depth != 0 || seen != 1)
		return "unbalanced BEGIN/END";
	return NULL;
}

/* Undoes folding. */
static char *
unfold(const char *s)
{
	buf_t b = BUF_INIT;

	for (; *s; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		buf_putc(&b, *s);
	}
	buf_puts(&b, "");
	return b.data;
}

static struct ical_event
sample_event(void)
{
	struct ical_event ev = { 0 };

	ev.id = "3f2b9c1e-8d4a-4c6b-9e7f-1a2b3c4d5e6f";
	ev.date = date_from_ymd(2024, 5, 14);
	ev.summary = "Tempo 8 km";
	ev.description = "2 km easy, 4 km at tempo; 2 km easy";
	ev.pace = "4:45/km";
	ev.url = "https://cadence.example/plan/workouts/3f2b9c1e";
	ev.updated = 1700000000;	/* 2023-11-14T22:13:20Z */
	return ev;
}

Test(ical, whole_calendar_exact)
{
	struct ical_event ev = sample_event();
	buf_t b = BUF_INIT;
	const char *want =
	    "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//Cadence//Training Plan//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "X-WR-CALNAME:Cadence\\, spring plan\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:3f2b9c1e-8d4a-4c6b-9e7f-1a2b3c4d5e6f@cadence\r\n"
	    "DTSTAMP:20240501T060000Z\r\n"
	    "DTSTART;VALUE=DATE:20240514\r\n"
	    "DTEND;VALUE=DATE:20240515\r\n"
	    "SUMMARY:Tempo 8 km\r\n"
	    "DESCRIPTION:2 km easy\\, 4 km at tempo\\; 2 km easy\\nPace: 4:45/km\r\n"
	    "URL:https://cadence.example/plan/workouts/3f2b9c1e\r\n"
	    "LAST-MODIFIED:20231114T221320Z\r\n"
	    "SEQUENCE:122163200\r\n"
	    "TRANSP:TRANSPARENT\r\n"
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n";

	ical_begin(&b, "Cadence, spring plan");
	ical_event(&b, &ev, 1714543200);	/* 2024-05-01T06:00:00Z */
	ical_end(&b);
	cr_expect_str_eq(buf_cstr(&b), want);
	cr_expect_null(ical_validate(b.data, b.len));
	buf_free(&b);
}

Test(ical, escaping_text)
{
	buf_t b = BUF_INIT;
	const char in[] = "a\\b;c,d\ne\r\nf\rg\th\x01i\x7fj\xc2\x88k";

	ical_escape_text(&b, in, sizeof(in) - 1);
	/* C0, DEL and C1 (U+0088) controls are dropped, TAB kept. */
	cr_expect_str_eq(buf_cstr(&b), "a\\\\b\\;c\\,d\\ne\\nf\\ng\thijk");
	buf_free(&b);
}

Test(ical, invalid_utf8_replaced)
{
	buf_t b = BUF_INIT;
	const char in[] = "caf\xc3\xa9 \xff \xc3 \xed\xa0\x80 \xf0\x9f\x8f\x83";

	ical_escape_text(&b, in, sizeof(in) - 1);
	/* é and the runner stay; a stray byte, a cut sequence and a
	 * surrogate each become U+FFFD (the surrogate's three bytes each). */
	cr_expect_str_eq(buf_cstr(&b), "caf\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd "
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x8f\x83");
	buf_free(&b);
}

Test(ical, fold_ascii_boundaries)
{
	char line[200];
	buf_t b = BUF_INIT;

	memset(line, 'x', sizeof(line));
	ical_fold(&b, line, 75);
	cr_expect_eq(b.len, 77);
	cr_expect_null(memchr(b.data, ' ', b.len));

	buf_reset(&b);
	ical_fold(&b, line, 76);
	cr_expect_eq(b.len, 75 + 3 + 1 + 2);
	cr_expect_eq(memcmp(b.data + 75, "\r\n x\r\n", 6), 0);

	/* 75 + 74 fits two lines exactly; one more byte makes a third. */
	buf_reset(&b);
	ical_fold(&b, line, 149);
	cr_expect_eq(b.len, 75 + 3 + 74 + 2);
	buf_reset(&b);
	ical_fold(&b, line, 150);
	cr_expect_eq(b.len, 75 + 3 + 74 + 3 + 1 + 2);
	buf_free(&b);
}

/* Every multi-byte width at every offset around both fold points. */
Test(ical, fold_never_splits_utf8)
{
	static const char *chars[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8f\x83"
	};
	buf_t line = BUF_INIT, out = BUF_INIT;
	size_t c, prefix, reps;
	char *back;

	for (c = 0; c < NELEM(chars); c++) {
		for (prefix = 60; prefix <= 160; prefix++) {
			buf_reset(&line);
			buf_puts(&line, "SUMMARY:");
			while (line.len < prefix)
				buf_putc(&line, 'a');
			for (reps = 0; reps < 40; reps++)
				buf_puts(&line, chars[c]);
			buf_reset(&out);
			buf_puts(&out, "BEGIN:VCALENDAR\r\n");
			ical_fold(&out, line.data, line.len);
			buf_puts(&out, "END:VCALENDAR\r\n");
			cr_assert_null(ical_validate(out.data, out.len),
			    "width %zu prefix %zu: %s", c + 2, prefix,
			    ical_validate(out.data, out.len));
			back = unfold(out.data);
			cr_assert(strstr(back, line.data) != NULL);
			free(back);
		}
	}
	buf_free(&line);
	buf_free(&out);
}

Test(ical, fold_uses_full_width_when_possible)
{
	buf_t line = BUF_INIT, out = BUF_INIT;
	int i;

	/* 74 ASCII + "é": the 2-byte char cannot end line one, so it
	 * moves whole to the continuation line. */
	for (i = 0; i < 74; i++)
		buf_putc(&line, 'a');
	buf_puts(&line, "\xc3\xa9");
	ical_fold(&out, line.data, line.len);
	cr_expect_eq(memcmp(out.data + 74, "\r\n \xc3\xa9\r\n", 7), 0);
	buf_free(&line);
	buf_free(&out);
}

Test(ical, dtend_is_next_day_across_year_end)
{
	struct ical_event ev = sample_event();
	buf_t b = BUF_INIT;

	ev.date = date_from_ymd(2024, 12, 31);
	ical_event(&b, &ev, 0);
	cr_expect(strstr(b.data, "DTSTART;VALUE=DATE:20241231\r\n") != NULL);
	cr_expect(strstr(b.data, "DTEND;VALUE=DATE:20250101\r\n") != NULL);
	cr_expect(strstr(b.data, "DTSTAMP:19700101T000000Z\r\n") != NULL);
	buf_free(&b);
}

Test(ical, optional_fields)
{
	struct ical_event ev = sample_event();
	buf_t b = BUF_INIT;

	ev.description = NULL;
	ev.pace = "";
	ev.url = "javascript:alert(1)";
	ev.updated = 0;
	ical_event(&b, &ev, 1714543200);
	cr_expect_null(strstr(b.data, "DESCRIPTION"));
	cr_expect_null(strstr(b.data, "URL"));
	cr_expect_null(strstr(b.data, "LAST-MODIFIED"));
	cr_expect(strstr(b.data, "SEQUENCE:0\r\n") != NULL);

	buf_reset(&b);
	ev.url = "https://x.example/a b";	/* space: not a URI */
	ev.pace = "5:30/km";
	ical_event(&b, &ev, 1714543200);
	cr_expect_null(strstr(b.data, "URL"));
	cr_expect(strstr(b.data, "DESCRIPTION:Pace: 5:30/km\r\n") != NULL);
	buf_free(&b);
}

Test(ical, sequence_grows_with_updates)
{
	struct ical_event ev = sample_event();
	buf_t a = BUF_INIT, b = BUF_INIT;
	long sa, sb;

	ical_event(&a, &ev, 0);
	ev.updated += 60;
	ical_event(&b, &ev, 0);
	cr_assert(sscanf(strstr(a.data, "SEQUENCE:"), "SEQUENCE:%ld", &sa) == 1);
	cr_assert(sscanf(strstr(b.data, "SEQUENCE:"), "SEQUENCE:%ld", &sb) == 1);
	cr_expect_eq(sb - sa, 60);
	buf_free(&a);
	buf_free(&b);
}

Test(ical, format_utc)
{
	char out[17];

	ical_format_utc(0, out);
	cr_expect_str_eq(out, "19700101T000000Z");
	ical_format_utc(951868799, out);
	cr_expect_str_eq(out, "20000229T235959Z");
	ical_format_utc(-5, out);		/* clamped, never garbage */
	cr_expect_str_eq(out, "19700101T000000Z");
}

Test(ical, summary_text)
{
	buf_t b = BUF_INIT;

	ical_summary(&b, "Tempo", 8000);
	cr_expect_str_eq(buf_cstr(&b), "Tempo 8 km");
	buf_reset(&b);
	ical_summary(&b, "Long run", 21097);
	cr_expect_str_eq(buf_cstr(&b), "Long run 21.1 km");
	buf_reset(&b);
	ical_summary(&b, "Rest", 0);
	cr_expect_str_eq(buf_cstr(&b), "Rest");
	buf_free(&b);
}

Test(ical, big_multilingual_calendar_validates)
{
	struct ical_event ev = sample_event();
	buf_t b = BUF_INIT, desc = BUF_INIT;
	char *back;
	int i;

	for (i = 0; i < 30; i++)
		buf_puts(&desc, "Séance: 6×800 m à 3'20\", récup 400 m 🏃; "
		    "Интервалы, 間隔走\n");
	ev.description = desc.data;
	ical_begin(&b, "Plan d'entraînement — marathon de Paris 2024 🏃🏃🏃🏃");
	for (i = 0; i < 50; i++) {
		ev.date = date_from_ymd(2024, 3, 1) + i;
		ical_event(&b, &ev, 1714543200);
	}
	ical_end(&b);
	cr_expect_null(ical_validate(b.data, b.len), "%s",
	    ical_validate(b.data, b.len));
	back = unfold(b.data);
	cr_expect(strstr(back, "Séance: 6×800 m à 3'20\"\\, récup 400 m 🏃\\; "
	    "Интервалы\\, 間隔走\\nSéance") != NULL);
	free(back);
	buf_free(&b);
	buf_free(&desc);
}

Test(ical, validator_catches_bad_output)
{
	const char *bare_lf = "BEGIN:VCALENDAR\nEND:VCALENDAR\r\n";
	const char *unbalanced = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	const char *split = "BEGIN:VCALENDAR\r\nSUMMARY:\xc3\r\n \xa9\r\n"
	    "END:VCALENDAR\r\n";
	char longline[128];

	cr_expect_not_null(ical_validate(bare_lf, strlen(bare_lf)));
	cr_expect_not_null(ical_validate(unbalanced, strlen(unbalanced)));
	cr_expect_not_null(ical_validate(split, strlen(split)));
	snprintf(longline, sizeof(longline), "BEGIN:VCALENDAR\r\nX-A:%072d\r\n"
	    "END:VCALENDAR\r\n", 0);
	cr_expect_not_null(ical_validate(longline, strlen(longline)));
}
