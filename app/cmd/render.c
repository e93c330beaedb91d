/*
 * cadence render TEMPLATE_FILE [DATA.json] [--partials DIR]
 *
 * Renders one template to stdout, for checking templates by hand.  The
 * data comes from DATA.json or standard input; partials and parents
 * named x are read from DIR/x.mustache.  A bad template or bad JSON is
 * reported as "file:line:column: message" with exit status 1; a usage
 * error exits 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "core/buf.h"
#include "core/util.h"
#include "view/mustache.h"

#define EXT ".mustache"

static int
usage(void)
{
	fprintf(stderr, "usage: cadence render TEMPLATE_FILE [DATA.json] "
	    "[--partials DIR]\n");
	return 2;
}

/* "dir/home.mustache" -> "home" */
static char *
template_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > strlen(EXT) && strcmp(base + len - strlen(EXT), EXT) == 0)
		len -= strlen(EXT);
	return xstrndup(base, len);
}

static json_t *
load_data(const char *path)
{
	json_error_t jerr;
	json_t *data;

	if (path != NULL)
		data = json_load_file(path, JSON_DECODE_ANY, &jerr);
	else
		data = json_loadf(stdin, JSON_DECODE_ANY, &jerr);
	if (data == NULL)
		fprintf(stderr, "%s:%d:%d: %s\n", path ? path : "<stdin>",
		    jerr.line, jerr.column, jerr.text);
	return data;
}

int
cmd_render(int argc, char **argv)
{
	const char *tmpl = NULL, *data_path = NULL, *partials = NULL;
	mustache_set *set = NULL;
	mustache_err err;
	json_t *data = NULL;
	buf_t out = BUF_INIT;
	char *name = NULL;
	int i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--partials") == 0) {
			if (++i == argc || partials != NULL)
				return usage();
			partials = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage();
		else if (tmpl == NULL)
			tmpl = argv[i];
		else if (data_path == NULL)
			data_path = argv[i];
		else
			return usage();
	}
	if (tmpl == NULL)
		return usage();

	set = mustache_set_new();
	name = template_name(tmpl);
	if ((partials != NULL && mustache_set_load_dir(set, partials, &err)) ||
	    mustache_set_add_file(set, name, tmpl, &err)) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		goto out;
	}
	if ((data = load_data(data_path)) == NULL)
		goto out;
	if (mustache_render(set, name, data, &out, &err)) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		perror("cadence render: stdout");
		goto out;
	}
	rc = 0;
out:
	buf_free(&out);
	json_decref(data);
	free(name);
	mustache_set_free(set);
	return rc;
}
