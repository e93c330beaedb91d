/*
 * Tests for domain/csv: quoting, CRLF records, numbers and the formula
 * injection defence.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "domain/csv.h"

/* Writes one record of text fields and returns the output. */
static char *
row(const char *const *fields, size_t n)
{
	buf_t b = BUF_INIT;
	csv_t c;
	size_t i;

	csv_init(&c, &b);
	for (i = 0; i < n; i++)
		csv_field_text(&c, fields[i]);
	csv_end_row(&c);
	return b.data;
}

static void
expect_field(const char *in, const char *want)
{
	const char *f[1] = { in };
	char *got = row(f, 1);

	cr_expect_str_eq(got, want, "field [%s]", in ? in : "(null)");
	free(got);
}

Test(csv, plain_fields_unquoted)
{
	const char *f[] = { "2024-05-14", "Tempo run", "8 km", "" };
	char *got = row(f, 4);

	cr_expect_str_eq(got, "2024-05-14,Tempo run,8 km,\r\n");
	free(got);
	expect_field(NULL, "\r\n");
	expect_field("Café ☕", "Café ☕\r\n");
}

Test(csv, quoting_when_needed)
{
	expect_field("a,b", "\"a,b\"\r\n");
	expect_field("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
	expect_field("line1\nline2", "\"line1\nline2\"\r\n");
	expect_field("line1\r\nline2", "\"line1\r\nline2\"\r\n");
	expect_field("\"", "\"\"\"\"\r\n");
}

Test(csv, formula_injection_defended)
{
	expect_field("=HYPERLINK(\"http://x\")",
	    "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n");
	expect_field("+1", "'+1\r\n");
	expect_field("-3", "'-3\r\n");	/* as text it is defended */
	expect_field("@SUM(A1)", "'@SUM(A1)\r\n");
	expect_field("\tx", "'\tx\r\n");
	expect_field("\rx", "\"'\rx\"\r\n");
	expect_field("a=b", "a=b\r\n");	/* only the first character */
}

Test(csv, numbers_verbatim)
{
	buf_t b = BUF_INIT;
	csv_t c;

	csv_init(&c, &b);
	csv_field_number(&c, "-3");
	csv_field_number(&c, "12.5");
	csv_field_number(&c, "0");
	csv_field_number(&c, "-1+2");	/* not a number: defended text */
	csv_field_number(&c, "1e5");
	csv_field_number(&c, ".5");
	csv_field_int(&c, INT64_MIN);
	csv_field_fixed(&c, -1234, 2);
	csv_field_fixed(&c, 5, 3);
	csv_field_fixed(&c, 42, 0);
	csv_end_row(&c);
	cr_expect_str_eq(buf_cstr(&b), "-3,12.5,0,'-1+2,1e5,.5,"
	    "-9223372036854775808,-12.34,0.005,42\r\n");
	buf_free(&b);

	cr_expect(csv_is_number("-0.25"));
	cr_expect(!csv_is_number("-"));
	cr_expect(!csv_is_number("1."));
	cr_expect(!csv_is_number(""));
	cr_expect(!csv_is_number(NULL));
	cr_expect(!csv_is_number(" 1"));
}

Test(csv, records_and_separators)
{
	buf_t b = BUF_INIT;
	csv_t c;

	csv_init(&c, &b);
	csv_field_text(&c, "date");
	csv_field_text(&c, "km");
	csv_end_row(&c);
	csv_field_text(&c, "2024-05-14");
	csv_field_fixed(&c, 8000, 3);
	csv_end_row(&c);
	cr_expect_str_eq(buf_cstr(&b),
	    "date,km\r\n2024-05-14,8.000\r\n");
	buf_free(&b);
}
