/*
 * fuzz_multipart: libFuzzer driver for web/multipart.  The input is a
 * Content-Type header value, a NUL byte, then the body.  Checks what the
 * parser promises: on success every field's name and value is valid
 * UTF-8 text within the named limits, every file lies inside the body
 * and has a base name, and the counts stay within their limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *body, size_t len, const struct params *fields,
    const struct uploads *files)
{
	size_t i;

	if (fields->n > MULTIPART_MAX_PARTS || files->n > MULTIPART_MAX_FILES)
		abort();
	for (i = 0; i < fields->n; i++)
		if (strlen(fields->v[i].value) != fields->v[i].len ||
		    fields->v[i].len > FORM_MAX_VALUE ||
		    strlen(fields->v[i].name) > FORM_MAX_NAME ||
		    !utf8_text_ok(fields->v[i].value, fields->v[i].len, true))
			abort();
	for (i = 0; i < files->n; i++) {
		const struct upload_file *f = &files->v[i];

		if (f->data < body || f->data + f->len > body + len ||
		    strchr(f->filename, '/') != NULL ||
		    strlen(f->filename) > MULTIPART_MAX_FILENAME ||
		    !utf8_text_ok(f->filename, strlen(f->filename), false))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena_t		 a;
	struct params	 fields;
	struct uploads	 files;
	const uint8_t	*nul = memchr(data, 0, size);
	char		*ct, *body;
	size_t		 len;

	if (nul == NULL)
		return 0;
	arena_init(&a);
	ct = arena_strndup(&a, (const char *)data, (size_t)(nul - data));
	len = size - (size_t)(nul - data) - 1;
	/* A copy of exactly len bytes, so ASan sees any read past it. */
	body = malloc(len + 1);
	memcpy(body, nul + 1, len);
	if (multipart_parse(&a, ct, body, len, &fields, &files) ==
	    MULTIPART_OK)
		check(body, len, &fields, &files);
	free(body);
	arena_free(&a);
	return 0;
}
