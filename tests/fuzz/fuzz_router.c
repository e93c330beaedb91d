/*
 * fuzz_router: libFuzzer driver for web/router over the real route table.
 * Input: a method, a NUL, then a path.  A match must come with validated
 * captures (UUIDs canonical, numbers in range); no input may crash or run
 * past the PCRE2 match limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "server/routes.h"
#include "web/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	char			 err[256], allow[64];
	const char		*cap[ROUTE_MAX_CAPS], *method, *path;
	long			 cap_int[ROUTE_MAX_CAPS];
	const struct route	*r;
	const char		*nul;
	arena_t			 a;
	size_t			 i;

	if (!ready) {
		if (router_init(routes, nroutes, err, sizeof(err)) == -1)
			abort();
		ready = 1;
	}
	arena_init(&a);
	nul = memchr(data, '\0', size);
	if (nul == NULL) {
		method = "GET";
		path = arena_strndup(&a, (const char *)data, size);
	} else {
		method = arena_strndup(&a, (const char *)data,
		    (size_t)(nul - (const char *)data));
		path = arena_strndup(&a, nul + 1,
		    size - (size_t)(nul - (const char *)data) - 1);
	}
	if (router_match(&a, method, path, &r, cap, cap_int, allow,
	    sizeof(allow)) == ROUTER_FOUND) {
		for (i = 0; i < ROUTE_MAX_CAPS; i++) {
			if (r->caps[i] == CAP_UUID && strlen(cap[i]) != 36)
				abort();
			if (r->caps[i] == CAP_INT &&
			    (cap_int[i] < 1 || cap_int[i] > 100000))
				abort();
		}
	}
	arena_free(&a);
	return 0;
}
