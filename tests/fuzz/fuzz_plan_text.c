/*
 * libFuzzer driver for domain/plan_text: every description a page shows
 * goes through plan_text_render, hand-typed text included.  The input is
 * rendered in both units into buffers of every size up to the full
 * length: each result must be NUL-terminated, a prefix of the full
 * rendering, and report the same wanted length; text without a brace
 * renders unchanged.  Any difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/plan_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_unit(const char *t, enum unit u)
{
	size_t want = plan_text_render(NULL, 0, t, u), n, got;
	char *full = xmalloc(want + 1), *part;

	if (plan_text_render(full, want + 1, t, u) != want ||
	    strlen(full) != want)
		abort();
	if (strchr(t, '{') == NULL && strcmp(full, t) != 0)
		abort();
	for (n = 1; n <= want && n <= 64; n++) {
		part = xmalloc(n);
		got = plan_text_render(part, n, t, u);
		if (got != want || strlen(part) != n - 1 ||
		    memcmp(part, full, n - 1) != 0)
			abort();
		free(part);
	}
	free(full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = xstrndup((const char *)data, size);

	check_unit(t, UNIT_KM);
	check_unit(t, UNIT_MI);
	free(t);
	return 0;
}
