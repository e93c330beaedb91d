#include "core/buf.h"
#include "core/json_text.h"
#include "core/util.h"

static int
dump_to_buf(const char *s, size_t n, void *arg)
{
	buf_add(arg, s, n);
	return 0;
}

char *
json_text(const json_t *j, size_t flags)
{
	buf_t	 b = BUF_INIT;
	char	*s;

	json_dump_callback(j, dump_to_buf, &b, flags);
	s = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}
