/*
 * Redirects: the Location header is percent-encoded (app/web/response.c).
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <string.h>

#include "core/arena.h"
#include "web/http.h"

static const char *
loc(const char *path)
{
	static arena_t	a;
	static bool	init;

	if (!init) {
		arena_init(&a);
		init = true;
	}
	return http_location_encode(&a, path);
}

Test(location, non_ascii_and_unsafe_bytes_are_percent_encoded)
{
	cr_assert_str_eq(loc("/\xe3\x80\x80/x"), "/%E3%80%80/x");
	cr_assert_str_eq(loc("/caf\xc3\xa9?q=\xc3\xa9#\xc3\xa9"),
	    "/caf%C3%A9?q=%C3%A9#%C3%A9");
	cr_assert_str_eq(loc("/a b\t\x7f"), "/a%20b%09%7F");
	cr_assert_str_eq(loc("/a\"<>\\^`{|}"), "/a%22%3C%3E%5C%5E%60%7B%7C%7D");
	cr_assert_str_eq(loc("/\xff\x80"), "/%FF%80");
}

Test(location, url_structure_and_escapes_are_kept)
{
	cr_assert_str_eq(loc("/"), "/");
	cr_assert_str_eq(loc("/plans/abc/weeks/2?x=1&y=a:b@c!$'()*+,;=#f"),
	    "/plans/abc/weeks/2?x=1&y=a:b@c!$'()*+,;=#f");
	cr_assert_str_eq(loc("/x%41%2f%2F"), "/x%41%2f%2F");
	cr_assert_str_eq(loc("/100%"), "/100%25");
	cr_assert_str_eq(loc("/%4"), "/%254");
	cr_assert_str_eq(loc("/%zz"), "/%25zz");
	cr_assert_str_eq(loc(""), "");
}
