/*
 * web/multipart: what browsers send is read (fields, several files,
 * quoted boundaries, Windows paths, empty file inputs, binary content
 * with CR LF and NUL bytes); everything else is refused whole, with the
 * reason, within the named limits.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "web/multipart.h"

#define CT	"multipart/form-data; boundary=----WebKitFormBoundaryQ1"
#define DELIM	"------WebKitFormBoundaryQ1"

static arena_t		a;
static struct params	fields;
static struct uploads	files;

static void setup(void) { arena_init(&a); }
static void teardown(void) { arena_free(&a); }

TestSuite(multipart, .init = setup, .fini = teardown);

static enum multipart_status
parse(const char *ct, const char *body, size_t len)
{
	return multipart_parse(&a, ct, body, len, &fields, &files);
}

#define PARSE(ct, s)	parse(ct, s, sizeof(s) - 1)

Test(multipart, reads_a_browser_form_with_two_files)
{
	static const char body[] =
	    DELIM "\r\n"
	    "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
	    "tok123\r\n"
	    DELIM "\r\n"
	    "Content-Disposition: form-data; name=\"files\"; "
	    "filename=\"run.fit\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\x0e\x10\r\n\0--x\r\n"
	    DELIM "\r\n"
	    "Content-Disposition: form-data; name=\"files\"; "
	    "filename=\"C:\\\\Users\\\\ana\\\\morning.gpx\"\r\n\r\n"
	    "<gpx/>\r\n"
	    DELIM "--\r\n";

	cr_assert_eq(PARSE(CT, body), MULTIPART_OK);
	cr_assert_eq(fields.n, 1);
	cr_assert_str_eq(params_get(&fields, "csrf_token"), "tok123");
	cr_assert_eq(files.n, 2);
	cr_assert_str_eq(files.v[0].filename, "run.fit");
	cr_assert_str_eq(files.v[0].content_type, "application/octet-stream");
	cr_assert_eq(files.v[0].len, 8);
	cr_assert_eq(memcmp(files.v[0].data, "\x0e\x10\r\n\0--x", 8), 0);
	cr_assert_str_eq(files.v[1].filename, "morning.gpx");
	cr_assert_eq(files.v[1].len, 6);
}

Test(multipart, quoted_boundary_preamble_and_an_empty_file_input)
{
	static const char body[] =
	    "ignored preamble\r\n--a'b c\r\n"
	    "Content-Disposition: form-data; name=\"files\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\r\n--a'b c--";

	cr_assert_eq(PARSE("multipart/form-data; boundary=\"a'b c\"", body),
	    MULTIPART_OK);
	cr_assert_eq(files.n, 0, "an empty file input is no file");
}

Test(multipart, refuses_what_is_not_a_good_body)
{
	cr_assert_eq(PARSE("application/x-www-form-urlencoded", "a=1"),
	    MULTIPART_NOT_MULTIPART);
	cr_assert_eq(PARSE("multipart/form-data", "x"),
	    MULTIPART_BAD_BOUNDARY);
	cr_assert_eq(PARSE("multipart/form-data; boundary=", "x"),
	    MULTIPART_BAD_BOUNDARY);
	cr_assert_eq(PARSE("multipart/form-data; boundary=a<b", "x"),
	    MULTIPART_BAD_BOUNDARY);
	cr_assert_eq(PARSE(CT, "no delimiter at all"), MULTIPART_MALFORMED);
	/* No close delimiter: the content never ends. */
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\nvalue"), MULTIPART_MALFORMED);
	/* No name. */
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: form-data"
	    "\r\n\r\nv\r\n" DELIM "--"), MULTIPART_MALFORMED);
	/* Not form-data. */
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: attachment; "
	    "name=\"a\"\r\n\r\nv\r\n" DELIM "--"), MULTIPART_MALFORMED);
	/* A control character in a field's value, or in a file's name. */
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n\r\nv\x01\r\n" DELIM "--"), MULTIPART_BAD_TEXT);
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"a\x7f\"\r\n\r\nv\r\n" DELIM "--"),
	    MULTIPART_BAD_TEXT);
	/* A lone LF inside a header line (found by fuzz_multipart). */
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=a\nb\r\n\r\nv\r\n" DELIM "--"),
	    MULTIPART_BAD_TEXT);
	/* An unterminated quoted parameter. */
	cr_assert_eq(PARSE(CT, DELIM "\r\nContent-Disposition: form-data; "
	    "name=\"a\r\n\r\nv\r\n" DELIM "--"), MULTIPART_MALFORMED);
}

Test(multipart, limits_parts_files_headers_and_values)
{
	buf_t	b = BUF_INIT;
	int	i;

	for (i = 0; i < MULTIPART_MAX_FILES + 1; i++)
		buf_printf(&b, DELIM "\r\nContent-Disposition: form-data; "
		    "name=\"files\"; filename=\"%d.gpx\"\r\n\r\nx\r\n", i);
	buf_printf(&b, DELIM "--");
	cr_assert_eq(parse(CT, b.data, b.len), MULTIPART_TOO_MANY);
	buf_reset(&b);
	for (i = 0; i < MULTIPART_MAX_PARTS + 1; i++)
		buf_printf(&b, DELIM "\r\nContent-Disposition: form-data; "
		    "name=\"f%d\"\r\n\r\nx\r\n", i);
	buf_printf(&b, DELIM "--");
	cr_assert_eq(parse(CT, b.data, b.len), MULTIPART_TOO_MANY);
	buf_reset(&b);
	buf_printf(&b, DELIM "\r\nContent-Disposition: form-data; name=\"a\""
	    "\r\nX-Pad: ");
	for (i = 0; i < MULTIPART_MAX_HEADERS; i++)
		buf_putc(&b, 'x');
	buf_printf(&b, "\r\n\r\nv\r\n" DELIM "--");
	cr_assert_eq(parse(CT, b.data, b.len), MULTIPART_TOO_LONG);
	buf_reset(&b);
	buf_printf(&b, DELIM "\r\nContent-Disposition: form-data; name=\"a\""
	    "\r\n\r\n");
	for (i = 0; i < FORM_MAX_VALUE + 1; i++)
		buf_putc(&b, 'v');
	buf_printf(&b, "\r\n" DELIM "--");
	cr_assert_eq(parse(CT, b.data, b.len), MULTIPART_TOO_LONG);
	buf_free(&b);
}
