/*
 * fuzz_template: libFuzzer driver for view/mustache.
 *
 * The input is a template, a NUL byte, then JSON for the context (no NUL:
 * the whole input is the template and the context is empty).  The
 * template is compiled under "main" and "self" next to a few fixed
 * partials and parents that call back into it, so recursion, blocks and
 * indentation all get exercised; then it is rendered and everything is
 * freed.  Errors are fine; crashes, leaks and sanitizer reports are not.
 *
 * Build with clang -fsanitize=fuzzer,address,undefined (see the build
 * line in tests/fuzz/template.dict) and run as
 *   ./fuzz_template -dict=tests/fuzz/template.dict tests/fuzz/corpus/template
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "view/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name, *src;
} fixed[] = {
	{ "layout", "<h>{{$title}}T{{/title}}</h>\n  {{$body}}\n  b\n"
	    "  {{/body}}\n{{>self}}" },
	{ "item", "  <li>{{name}}{{#kids}}\n    {{>item}}\n{{/kids}}</li>\n" },
	{ "wrap", "{{<layout}}{{$body}}\n{{>main}}\n{{/body}}{{/layout}}" },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	mustache_set *set = mustache_set_new();
	mustache_err err;
	json_t *ctx = NULL;
	buf_t out = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		mustache_set_add(set, fixed[i].name, fixed[i].src,
		    strlen(fixed[i].src), NULL, &err);
	if (nul != NULL)
		ctx = json_loadb(src + tlen + 1, size - tlen - 1,
		    JSON_DECODE_ANY, NULL);
	if (mustache_set_add(set, "main", src, tlen, "main.mustache",
	    &err) == 0 && mustache_set_add(set, "self", src, tlen, NULL,
	    &err) == 0) {
		mustache_set_check(set, &err);
		mustache_render(set, "main", ctx, &out, &err);
		buf_reset(&out);
		mustache_render(set, "wrap", ctx, &out, &err);
	}
	buf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
	return 0;
}
