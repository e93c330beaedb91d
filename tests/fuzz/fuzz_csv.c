/*
 * libFuzzer driver for domain/csv: the input is cut into records at 0x1e
 * and fields at 0x1f (a leading 0x01 byte makes a field a "number"); the
 * CSV written must parse back, by a strict RFC 4180 reader here, into the
 * same fields, text fields that start like a formula getting exactly one
 * leading apostrophe.  Any difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Expected fields, each terminated by 0x1f; records by 0x1e. */
static void
expect_field(buf_t *want, const char *s, size_t n, bool number)
{
	if (number) {
		/* It went through a C string: up to the first NUL. */
		char *tmp = xstrndup(s, n);
		bool verbatim = csv_is_number(tmp);

		n = strlen(tmp);
		free(tmp);
		if (verbatim) {
			buf_add(want, s, n);
			buf_putc(want, 0x1f);
			return;
		}
	}
	if (n > 0 && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_putc(want, '\'');
	buf_add(want, s, n);
	buf_putc(want, 0x1f);
}

/* Strict reader: returns false on anything RFC 4180 does not allow. */
static bool
read_csv(const char *s, size_t len, buf_t *got)
{
	size_t i = 0;

	while (i < len) {
		for (;;) {		/* one field */
			if (i < len && s[i] == '"') {
				for (i++;; i++) {
					if (i >= len)
						return false;
					if (s[i] == '"') {
						if (i + 1 < len && s[i + 1] == '"') {
							buf_putc(got, '"');
							i++;
							continue;
						}
						i++;
						break;
					}
					buf_putc(got, s[i]);
				}
			} else {
				while (i < len && s[i] != ',' && s[i] != '\r') {
					if (s[i] == '"' || s[i] == '\n')
						return false;
					buf_putc(got, s[i++]);
				}
			}
			buf_putc(got, 0x1f);
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') {
				i += 2;
				break;
			}
			return false;
		}
		buf_putc(got, 0x1e);
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *f;
	buf_t out = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	csv_t c;

	csv_init(&c, &out);
	f = s;
	for (;;) {
		const char *q = f;
		bool number;

		while (q < end && *q != 0x1f && *q != 0x1e)
			q++;
		number = q > f && *f == 0x01;
		if (number) {
			char *tmp = xstrndup(f + 1, (size_t)(q - f - 1));

			csv_field_number(&c, tmp);
			expect_field(&want, f + 1, (size_t)(q - f - 1), true);
			free(tmp);
		} else {
			csv_field_textn(&c, f, (size_t)(q - f));
			expect_field(&want, f, (size_t)(q - f), false);
		}
		if (q == end || *q == 0x1e) {
			csv_end_row(&c);
			buf_putc(&want, 0x1e);
		}
		if (q == end)
			break;
		f = q + 1;
	}
	if (!read_csv(out.data, out.len, &got) || got.len != want.len ||
	    memcmp(got.data, want.data, got.len) != 0)
		abort();
	buf_free(&out);
	buf_free(&want);
	buf_free(&got);
	return 0;
}
