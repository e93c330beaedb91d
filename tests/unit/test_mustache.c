/*
 * Tests for view/mustache: the whole official spec (every JSON file in
 * $MUSTACHE_SPEC_DIR, default ../shared/mustache-spec), then Cadence's own
 * cases: escaping, numbers, limits, error positions, strict checks and a
 * layout built from a parent template.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "view/mustache.h"

#define SPEC_MAIN	"__spec_template__"

/* Renders src against the JSON text data; returns the output (or NULL
 * with *err filled). */
static char *
render_str(const char *src, const char *data, mustache_err *err)
{
	mustache_set *set = mustache_set_new();
	json_t *ctx = json_loads(data, JSON_DECODE_ANY, NULL);
	buf_t out = BUF_INIT;
	char *res = NULL;

	cr_assert_not_null(ctx, "bad test JSON: %s", data);
	if (mustache_set_add(set, "t", src, strlen(src), "t.mustache", err) ==
	    0 && mustache_render(set, "t", ctx, &out, err) == 0)
		res = xstrdup(buf_cstr(&out));
	buf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
	return res;
}

static void
expect_render(const char *src, const char *data, const char *want)
{
	mustache_err err;
	char *got = render_str(src, data, &err);

	cr_assert_not_null(got, "%s: %s: %s", src, err.where, err.msg);
	cr_expect_str_eq(got, want, "template %s", src);
	free(got);
}

/* Compiling src must fail with exactly this "where: msg". */
static void
expect_compile_error(const char *src, const char *want)
{
	mustache_set *set = mustache_set_new();
	mustache_err err;
	char got[800];

	cr_assert_eq(mustache_set_add(set, "t", src, strlen(src),
	    "templates/t.mustache", &err), -1, "compiled: %s", src);
	snprintf(got, sizeof(got), "%s: %s", err.where, err.msg);
	cr_expect_str_eq(got, want);
	mustache_set_free(set);
}

/* ---- the official spec ---- */

/* Runs one spec case; returns false (and says why) on a mismatch. */
static bool
run_spec_case(const char *file, json_t *tc)
{
	const char *name = json_string_value(json_object_get(tc, "name"));
	const char *tmpl = json_string_value(json_object_get(tc, "template"));
	const char *want = json_string_value(json_object_get(tc, "expected"));
	json_t *partials = json_object_get(tc, "partials"), *p;
	mustache_set *set = mustache_set_new();
	mustache_err err = { "", "" };
	buf_t out = BUF_INIT;
	const char *pname;
	bool ok = false;

	cr_assert(name && tmpl && want, "%s: malformed case", file);
	json_object_foreach(partials, pname, p) {
		if (mustache_set_add(set, pname, json_string_value(p),
		    json_string_length(p), pname, &err))
			goto out;
	}
	if (mustache_set_add(set, SPEC_MAIN, tmpl, strlen(tmpl), name, &err) ||
	    mustache_render(set, SPEC_MAIN, json_object_get(tc, "data"), &out,
	    &err))
		goto out;
	ok = strcmp(buf_cstr(&out), want) == 0;
out:
	if (!ok)
		cr_log_error("%s: \"%s\": got \"%s\", want \"%s\" %s %s", file,
		    name, buf_cstr(&out), want, err.where, err.msg);
	buf_free(&out);
	mustache_set_free(set);
	return ok;
}

Test(mustache, official_spec)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	struct dirent *de;
	json_error_t jerr;
	json_t *doc, *tc;
	char path[1024];
	size_t i, len, ran = 0, failed = 0, files = 0;
	DIR *d;

	if (dir == NULL || *dir == '\0')
		dir = "../shared/mustache-spec";
	d = opendir(dir);
	cr_assert_not_null(d, "mustache spec directory %s is missing "
	    "(set MUSTACHE_SPEC_DIR)", dir);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		doc = json_load_file(path, 0, &jerr);
		cr_assert_not_null(doc, "%s:%d: %s", path, jerr.line,
		    jerr.text);
		files++;
		json_array_foreach(json_object_get(doc, "tests"), i, tc) {
			ran++;
			failed += !run_spec_case(de->d_name, tc);
		}
		json_decref(doc);
	}
	closedir(d);
	cr_log_info("mustache spec: %zu cases from %zu files, %zu failed",
	    ran, files, failed);
	cr_expect_eq(failed, 0, "%zu of %zu spec cases failed", failed, ran);
	cr_expect_gt(ran, 100, "only %zu spec cases ran", ran);
}

/* ---- output ---- */

Test(mustache, escapes_all_five)
{
	expect_render("{{x}}", "{\"x\": \"a&b<c>d\\\"e'f\"}",
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	expect_render("[{{x}}]", "{\"x\": \"plain text, no entities\"}",
	    "[plain text, no entities]");
}

Test(mustache, raw_output)
{
	expect_render("{{{x}}}|{{&x}}", "{\"x\": \"<b>&'\\\"\"}",
	    "<b>&'\"|<b>&'\"");
}

Test(mustache, numbers)
{
	expect_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	    "{\"a\": 3, \"b\": 3.0, \"c\": 1.210, \"d\": -2, \"e\": 1e20,"
	    " \"f\": 0.1, \"g\": 12.5}",
	    "3 3 1.21 -2 1e+20 0.1 12.5");
}

Test(mustache, scalars_and_truthiness)
{
	expect_render("{{t}}/{{f}}/{{n}}/{{missing}}",
	    "{\"t\": true, \"f\": false, \"n\": null}", "true/false//");
	expect_render("{{#e}}E{{/e}}{{#z}}Z{{/z}}{{#l}}L{{/l}}{{^l}}!L{{/l}}"
	    "{{#n}}N{{/n}}{{^n}}!N{{/n}}",
	    "{\"e\": \"\", \"z\": 0, \"l\": [], \"n\": null}", "EZ!L!N");
}

Test(mustache, partial_indentation)
{
	mustache_set *set = mustache_set_new();
	buf_t out = BUF_INIT;
	mustache_err err;
	const char *row = "<tr>\n  <td>{{.}}</td>\n</tr>\n";
	const char *page = "<table>\n  {{#rows}}\n  {{>row}}\n  {{/rows}}\n"
	    "</table>\n";
	json_t *ctx = json_pack("{s:[i,i]}", "rows", 1, 2);

	cr_assert_eq(mustache_set_add(set, "row", row, strlen(row), NULL,
	    &err), 0);
	cr_assert_eq(mustache_set_add(set, "page", page, strlen(page), NULL,
	    &err), 0);
	cr_assert_eq(mustache_render(set, "page", ctx, &out, &err), 0);
	cr_expect_str_eq(buf_cstr(&out), "<table>\n  <tr>\n    <td>1</td>\n"
	    "  </tr>\n  <tr>\n    <td>2</td>\n  </tr>\n</table>\n");
	buf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
}

/* ---- layouts ---- */

Test(mustache, layout_parent_with_blocks)
{
	static const char layout[] =
	    "<!doctype html>\n"
	    "<html>\n"
	    "<head>\n"
	    "  <title>{{$title}}Cadence{{/title}}</title>\n"
	    "  {{$head}}{{/head}}\n"
	    "</head>\n"
	    "<body>\n"
	    "  {{$content}}\n"
	    "  <p>nothing here</p>\n"
	    "  {{/content}}\n"
	    "</body>\n"
	    "</html>\n";
	static const char page[] =
	    "{{<layout}}\n"
	    "{{$title}}{{name}} - Cadence{{/title}}\n"
	    "{{$content}}\n"
	    "<h1>Hello {{name}}</h1>\n"
	    "<p>{{#runs}}{{km}} km {{/runs}}</p>\n"
	    "{{/content}}\n"
	    "{{/layout}}\n";
	static const char bare[] = "{{<layout}}{{/layout}}";
	mustache_set *set = mustache_set_new();
	buf_t out = BUF_INIT;
	mustache_err err;
	json_t *ctx = json_pack("{s:s, s:[{s:i},{s:f}]}", "name", "Ann & Bo",
	    "runs", "km", 5, "km", 12.5);

	cr_assert_eq(mustache_set_add(set, "layout", layout,
	    strlen(layout), NULL, &err), 0, "%s: %s", err.where, err.msg);
	cr_assert_eq(mustache_set_add(set, "page", page, strlen(page), NULL,
	    &err), 0, "%s: %s", err.where, err.msg);
	cr_assert_eq(mustache_set_add(set, "bare", bare, strlen(bare), NULL,
	    &err), 0);
	cr_assert_eq(mustache_set_check(set, &err), 0);
	cr_assert_eq(mustache_render(set, "page", ctx, &out, &err), 0);
	cr_expect_str_eq(buf_cstr(&out),
	    "<!doctype html>\n"
	    "<html>\n"
	    "<head>\n"
	    "  <title>Ann &amp; Bo - Cadence</title>\n"
	    "  \n"
	    "</head>\n"
	    "<body>\n"
	    "  <h1>Hello Ann &amp; Bo</h1>\n"
	    "  <p>5 km 12.5 km </p>\n"
	    "</body>\n"
	    "</html>\n");
	buf_reset(&out);
	cr_assert_eq(mustache_render(set, "bare", ctx, &out, &err), 0);
	cr_expect_str_eq(buf_cstr(&out),
	    "<!doctype html>\n<html>\n<head>\n  <title>Cadence</title>\n"
	    "  \n</head>\n<body>\n  <p>nothing here</p>\n</body>\n</html>\n");
	buf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
}

/* ---- errors ---- */

Test(mustache, error_positions)
{
	expect_compile_error("<ul>\n  {{#items}}\n  <li>{{name}}</li>\n",
	    "templates/t.mustache:2:3: unclosed section \"items\"");
	expect_compile_error("{{#a}}\n{{#b}}\n x {{/a}}",
	    "templates/t.mustache:3:4: mismatched close \"a\": section \"b\" "
	    "opened at 2:1");
	expect_compile_error("ok\n\n    {{=<% %>}}",
	    "templates/t.mustache:3:5: unclosed tag");
	expect_compile_error("ok {{= <% =}}",
	    "templates/t.mustache:1:4: bad delimiter change");
	expect_compile_error("a\n{{=<% % %>=}}",
	    "templates/t.mustache:2:1: bad delimiter change");
	expect_compile_error("x {{ }}", "templates/t.mustache:1:3: empty tag");
	expect_compile_error("x\n {{a b}}",
	    "templates/t.mustache:2:2: bad tag \"a b\"");
	expect_compile_error("{{/x}}",
	    "templates/t.mustache:1:1: unexpected close \"x\"");
	expect_compile_error("{{<p}}{{$b}}{{/p}}",
	    "templates/t.mustache:1:13: mismatched close \"p\": block \"b\" "
	    "opened at 1:7");
	/* positions count lines after a delimiter change too */
	expect_compile_error("{{=[ ]=}}\n\n[#s]",
	    "templates/t.mustache:3:1: unclosed section \"s\"");
}

Test(mustache, strict_check_finds_missing_partial)
{
	mustache_set *set = mustache_set_new();
	mustache_err err;
	const char *home = "<main>\n  {{#x}}{{>card}}{{/x}}\n</main>\n";
	const char *card = "<div>{{<frame}}{{/frame}}</div>";
	const char *frame = "[{{$in}}{{/in}}]";

	cr_assert_eq(mustache_set_add(set, "home", home, strlen(home),
	    "templates/home.mustache", &err), 0);
	cr_assert_eq(mustache_set_check(set, &err), -1);
	cr_expect_str_eq(err.where, "templates/home.mustache:2:9");
	cr_expect_str_eq(err.msg, "partial \"card\" not found");
	cr_assert_eq(mustache_set_add(set, "card", card, strlen(card),
	    "templates/card.mustache", &err), 0);
	cr_assert_eq(mustache_set_check(set, &err), -1);
	cr_expect_str_eq(err.where, "templates/card.mustache:1:6");
	cr_expect_str_eq(err.msg, "parent \"frame\" not found");
	cr_assert_eq(mustache_set_add(set, "frame", frame, strlen(frame),
	    NULL, &err), 0);
	cr_expect_eq(mustache_set_check(set, &err), 0);
	cr_expect(mustache_set_has(set, "frame"));
	cr_expect(!mustache_set_has(set, "fram"));
	mustache_set_free(set);
}

Test(mustache, load_dir)
{
	char dir[] = "/tmp/cadence-mustache-XXXXXX", path[128];
	mustache_set *set = mustache_set_new();
	buf_t out = BUF_INIT;
	mustache_err err;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/home.mustache", dir);
	f = fopen(path, "w");
	fputs("A{{>part}}C\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/part.mustache", dir);
	f = fopen(path, "w");
	fputs("B", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	f = fopen(path, "w");
	fputs("{{#unclosed}}", f);
	fclose(f);
	cr_assert_eq(mustache_set_load_dir(set, dir, &err), 0, "%s: %s",
	    err.where, err.msg);
	cr_expect(!mustache_set_has(set, "notes"));
	cr_assert_eq(mustache_render(set, "home", NULL, &out, &err), 0);
	cr_expect_str_eq(buf_cstr(&out), "ABC\n");

	/* a broken file is reported by its path */
	snprintf(path, sizeof(path), "%s/bad.mustache", dir);
	f = fopen(path, "w");
	fputs("ok\n{{#x}}", f);
	fclose(f);
	cr_expect_eq(mustache_set_load_dir(set, dir, &err), -1);
	snprintf(path, sizeof(path), "%s/bad.mustache:2:1", dir);
	cr_expect_str_eq(err.where, path);
	unlink(path);
	buf_free(&out);
	mustache_set_free(set);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	cr_expect_eq(system(path), 0);
}

/* ---- limits ---- */

Test(mustache, limit_nesting)
{
	buf_t src = BUF_INIT;
	mustache_err err;
	int i;

	for (i = 0; i < MUSTACHE_MAX_NESTING + 1; i++)
		buf_printf(&src, "{{#s%d}}", i);
	cr_expect_null(render_str(src.data, "{}", &err));
	cr_expect_str_eq(err.msg, "sections nested deeper than 64");
	buf_free(&src);
}

Test(mustache, limit_context_depth)
{
	buf_t src = BUF_INIT;
	mustache_err err;
	int i;

	/* 64 nested sections over a 64-deep object: the root plus 64
	 * pushed values is one too many */
	for (i = 0; i < MUSTACHE_MAX_NESTING; i++)
		buf_puts(&src, "{{#a}}");
	for (i = 0; i < MUSTACHE_MAX_NESTING; i++)
		buf_puts(&src, "{{/a}}");
	cr_expect_null(render_str(src.data, "{\"a\": true}", &err));
	cr_expect(strstr(err.msg, "context deeper than") != NULL, "%s",
	    err.msg);
	buf_free(&src);
}

Test(mustache, limit_recursive_partial)
{
	mustache_set *set = mustache_set_new();
	buf_t out = BUF_INIT;
	mustache_err err;
	const char *loop = "x{{>loop}}", *par = "{{<par}}{{/par}}";
	const char *blk = "{{<p}}{{$b}}[{{$b}}{{/b}}]{{/b}}{{/p}}";

	cr_assert_eq(mustache_set_add(set, "loop", loop, strlen(loop),
	    "loop.mustache", &err), 0);
	cr_assert_eq(mustache_set_add(set, "par", par, strlen(par),
	    "par.mustache", &err), 0);
	cr_assert_eq(mustache_set_add(set, "blk", blk, strlen(blk),
	    "blk.mustache", &err), 0);
	cr_assert_eq(mustache_set_add(set, "p", "{{$b}}{{/b}}", 12,
	    "p.mustache", &err), 0);
	cr_expect_eq(mustache_render(set, "loop", NULL, &out, &err), -1);
	cr_expect_str_eq(err.where, "loop.mustache:1:2");
	cr_expect(strstr(err.msg, "deeper than 32") != NULL, "%s", err.msg);
	cr_expect_eq(mustache_render(set, "par", NULL, &out, &err), -1);
	/* a block whose override expands itself */
	cr_expect_eq(mustache_render(set, "blk", NULL, &out, &err), -1);
	cr_expect(strstr(err.msg, "deeper than 32") != NULL, "%s", err.msg);
	buf_free(&out);
	mustache_set_free(set);
}

Test(mustache, limit_template_size)
{
	size_t len = MUSTACHE_MAX_TEMPLATE_SIZE + 1;
	char *src = xmalloc(len);
	mustache_set *set = mustache_set_new();
	mustache_err err;

	memset(src, 'x', len);
	cr_expect_eq(mustache_set_add(set, "big", src, len, "big.mustache",
	    &err), -1);
	cr_expect_str_eq(err.where, "big.mustache");
	cr_expect_eq(mustache_set_add(set, "ok", src, len - 1, NULL, &err),
	    0);
	free(src);
	mustache_set_free(set);
}

Test(mustache, limit_output_and_steps)
{
	char *src;
	buf_t data = BUF_INIT;
	mustache_err err;
	int i;

	/* 1000^3 renders of 100 bytes: stopped by the output limit */
	buf_puts(&data, "{\"l\": [");
	for (i = 0; i < 1000; i++)
		buf_printf(&data, "%s%d", i ? "," : "", i);
	buf_puts(&data, "]}");
	cr_expect_null(render_str("{{#l}}{{#l}}{{#l}}"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "01234567890123456789{{/l}}{{/l}}{{/l}}", data.data, &err));
	cr_expect(strstr(err.msg, "output larger") != NULL, "%s", err.msg);
	/* the same loops with nothing to show: stopped by the step limit */
	src = "{{#l}}{{#l}}{{#l}}{{^l}}{{/l}}{{/l}}{{/l}}{{/l}}";
	cr_expect_null(render_str(src, data.data, &err));
	cr_expect(strstr(err.msg, "steps") != NULL, "%s", err.msg);
	buf_free(&data);
}
