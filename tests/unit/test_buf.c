/*
 * core/buf.c's encoders: what goes into URLs and forms sent to Strava and
 * Garmin (buf_urlenc) keeps exactly RFC 3986's unreserved characters.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"

Test(buf, urlenc_keeps_unreserved_and_encodes_the_rest)
{
	buf_t	b = BUF_INIT;
	char	in[2] = "", want[4];
	int	c;

	buf_urlenc(&b, "a-Z_0.9~ /?&=+%é");
	cr_assert_str_eq(buf_cstr(&b),
	    "a-Z_0.9~%20%2F%3F%26%3D%2B%25%C3%A9");
	/* Every byte: itself when unreserved, else %XX in upper case. */
	for (c = 1; c < 256; c++) {
		buf_reset(&b);
		in[0] = (char)c;
		buf_urlenc(&b, in);
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL)
			cr_assert_str_eq(buf_cstr(&b), in);
		else {
			snprintf(want, sizeof(want), "%%%02X", c);
			cr_assert_str_eq(buf_cstr(&b), want, "byte %d", c);
		}
	}
	buf_free(&b);
}
