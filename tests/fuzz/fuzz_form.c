/*
 * fuzz_form: libFuzzer driver for web/form: urlencoded bodies and query
 * strings, and the Cookie header.  The first byte picks the parser.
 * Checks what the parsers promise: on success every name and value is
 * valid UTF-8 with no NUL or control characters but tab/CR/LF, within the
 * named limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct params *ps, bool decoded)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (strlen(ps->v[i].value) != ps->v[i].len)
			abort();
		if (!utf8_text_ok(ps->v[i].value, ps->v[i].len, decoded) ||
		    !utf8_text_ok(ps->v[i].name, strlen(ps->v[i].name), decoded))
			abort();
		if (strlen(ps->v[i].name) > FORM_MAX_NAME)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena_t		 a;
	struct params	 ps;
	char		*s;

	if (size < 1)
		return 0;
	arena_init(&a);
	s = arena_strndup(&a, (const char *)data + 1, size - 1);
	if (data[0] & 1) {
		form_parse_cookies(&a, s, &ps);
		check(&ps, false);
		if (ps.n > COOKIE_MAX_COUNT)
			abort();
	} else if (form_parse_urlencoded(&a, s, strlen(s), &ps) == FORM_OK) {
		check(&ps, true);
		if (ps.n > FORM_MAX_FIELDS)
			abort();
		(void)params_get(&ps, "csrf_token");
	}
	arena_free(&a);
	return 0;
}
