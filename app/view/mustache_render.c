/*
 * mustache_render: walks compiled templates with a JSON context.
 *
 * All render state lives in one struct on the stack: the context stack,
 * the chain of parents whose blocks may override, the current
 * indentation.  Nothing is allocated but output, nothing in the set is
 * written, and every loop is bounded by the limits in view/mustache.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "view/mustache_impl.h"

/* A parent being expanded: its blocks override those of what it calls. */
struct frame {
	const struct mtemplate	*t;
	uint32_t		 node;
};

struct render {
	const mustache_set	*set;
	buf_t			*out;
	size_t			 out_start;
	mustache_err		*err;
	unsigned long		 steps;
	int			 depth;		/* partials, parents, blocks */
	bool			 bol;		/* output is at a line start */
	bool			 text;		/* not HTML: {{x}} unescaped */
	size_t			 nctx;
	const json_t		*ctx[MUSTACHE_MAX_CONTEXT_DEPTH];
	size_t			 nchain;
	struct frame		 chain[MUSTACHE_MAX_PARTIAL_DEPTH + 1];
	size_t			 indent_len;
	char			 indent[MUSTACHE_MAX_INDENT];
};

static int render_range(struct render *, const struct mtemplate *,
    uint32_t, uint32_t);

/* ---- output ---- */

/* Which bytes {{x}} replaces; the rest are copied in runs. */
static const char *const html_entity[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

static void
put_escaped(buf_t *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run;
	const char *rep;
	size_t n;

	buf_reserve(b, len);
	while (p < end) {
		for (run = p; p < end && html_entity[*p] == NULL; p++)
			;
		if (p > run) {
			n = (size_t)(p - run);
			memcpy(b->data + b->len, run, n);
			b->len += n;
		}
		if (p == end)
			break;
		rep = html_entity[*p++];
		n = strlen(rep);
		buf_reserve(b, n + (size_t)(end - p));
		memcpy(b->data + b->len, rep, n);
		b->len += n;
	}
	b->data[b->len] = '\0';
}

void
mustache_put_number(buf_t *b, const json_t *v)
{
	char tmp[40];
	double d;
	int n;

	if (json_is_integer(v)) {
		n = snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	} else {
		/* %.15g drops noise like 1.2100000000000002; keep exactness
		 * where 15 digits do not round-trip */
		d = json_real_value(v);
		n = snprintf(tmp, sizeof(tmp), "%.15g", d);
		if (strtod(tmp, NULL) != d)
			n = snprintf(tmp, sizeof(tmp), "%.17g", d);
	}
	if (n > 0)
		buf_add(b, tmp, (size_t)n);
}

static void
put_value(buf_t *b, const json_t *v, bool escape)
{
	const char *s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		if (escape)
			put_escaped(b, s, json_string_length(v));
		else
			buf_add(b, s, json_string_length(v));
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		mustache_put_number(b, v);
		break;
	case JSON_TRUE:
		buf_add(b, "true", 4);
		break;
	case JSON_FALSE:
		buf_add(b, "false", 5);
		break;
	default:	/* null, objects and arrays show nothing */
		break;
	}
}

/* Indentation of partials, written before the first output of a line. */
static void
put_indent(struct render *r)
{
	if (r->bol && r->indent_len > 0)
		buf_add(r->out, r->indent, r->indent_len);
	r->bol = false;
}

static int
push_indent(struct render *r, const struct mtemplate *t,
    const struct mnode *n, const char *s, size_t len)
{
	if (len > sizeof(r->indent) - r->indent_len) {
		mustache_node_err(r->err, t, n, "indentation deeper than %d",
		    MUSTACHE_MAX_INDENT);
		return -1;
	}
	memcpy(r->indent + r->indent_len, s, len);
	r->indent_len += len;
	return 0;
}

/* Every node visited and loop turn taken counts against the limit. */
static int
step(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	if (++r->steps <= MUSTACHE_MAX_STEPS)
		return 0;
	mustache_node_err(r->err, t, n, "render took more than %lu steps",
	    MUSTACHE_MAX_STEPS);
	return -1;
}

/* ---- context ---- */

/* Looking up counts as steps: a name may have thousands of parts. */
static const json_t *
lookup(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	const struct mpart *p;
	const json_t *v = NULL;
	size_t i;
	uint16_t k;

	r->steps += n->nparts;
	if (n->nparts == 0)
		return r->ctx[r->nctx - 1];
	p = &t->parts[n->parts];
	/* the first part is searched down the stack, the rest strictly */
	for (i = r->nctx; i-- > 0; ) {
		if (json_is_object(r->ctx[i]) && (v = json_object_getn(
		    r->ctx[i], p[0].s, p[0].len)) != NULL)
			break;
	}
	for (k = 1; v != NULL && k < n->nparts; k++)
		v = json_is_object(v) ?
		    json_object_getn(v, p[k].s, p[k].len) : NULL;
	return v;
}

static bool
truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return false;
	return !json_is_array(v) || json_array_size(v) > 0;
}

/* Renders the children of section n once with v pushed. */
static int
render_with(struct render *r, const struct mtemplate *t, uint32_t i,
    const json_t *v)
{
	const struct mnode *n = &t->nodes[i];
	int rc;

	if (step(r, t, n))
		return -1;
	if (r->nctx == MUSTACHE_MAX_CONTEXT_DEPTH) {
		mustache_node_err(r->err, t, n, "context deeper than %d",
		    MUSTACHE_MAX_CONTEXT_DEPTH);
		return -1;
	}
	r->ctx[r->nctx++] = v;
	rc = render_range(r, t, i + 1, n->end);
	r->nctx--;
	return rc;
}

static int
render_section(struct render *r, const struct mtemplate *t, uint32_t i)
{
	const json_t *v = lookup(r, t, &t->nodes[i]);
	size_t k;

	if (!truthy(v))
		return 0;
	if (!json_is_array(v))
		return render_with(r, t, i, v);
	for (k = 0; k < json_array_size(v); k++)
		if (render_with(r, t, i, json_array_get(v, k)))
			return -1;
	return 0;
}

/* ---- partials, parents and blocks ---- */

static int
enter(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	if (r->depth == MUSTACHE_MAX_PARTIAL_DEPTH) {
		mustache_node_err(r->err, t, n,
		    "partials nested deeper than %d (recursive \"%.*s\"?)",
		    MUSTACHE_MAX_PARTIAL_DEPTH, (int)n->len, n->str);
		return -1;
	}
	r->depth++;
	return 0;
}

/*
 * {{>name}} and {{<name}}: a standalone tag indents every line of what
 * it includes.  A missing template renders as nothing, as the spec says;
 * mustache_set_check() is where the application is strict.
 */
static int
render_include(struct render *r, const struct mtemplate *t, uint32_t i)
{
	const struct mnode *n = &t->nodes[i];
	const struct mtemplate *p;
	size_t saved = r->indent_len;
	int rc = -1;

	if ((p = mustache_find(r->set, n->str, n->len)) == NULL)
		return 0;
	if (enter(r, t, n))
		return -1;
	if ((n->flags & MN_STANDALONE) &&
	    push_indent(r, t, n, n->ind, n->ind_len))
		goto out;
	if (n->type == MN_PARENT) {
		r->chain[r->nchain].t = t;
		r->chain[r->nchain].node = i;
		r->nchain++;
	}
	rc = render_range(r, p, 0, p->nnodes);
	if (n->type == MN_PARENT)
		r->nchain--;
out:
	r->indent_len = saved;
	r->depth--;
	return rc;
}

/* The block passed to parent f under the name of n, or UINT32_MAX. */
static uint32_t
find_arg(struct render *r, const struct frame *f, const struct mnode *n)
{
	const struct mnode *parent = &f->t->nodes[f->node], *a;
	uint32_t j;

	for (j = f->node + 1; j < parent->end; j = a->end) {
		a = &f->t->nodes[j];
		r->steps++;
		if (a->type == MN_BLOCK && a->len == n->len &&
		    memcmp(a->str, n->str, n->len) == 0)
			return j;
	}
	return UINT32_MAX;
}

/*
 * {{$name}}: the outermost parent that passes this block wins ("top-level
 * substitutions take precedence"); otherwise the default content shows.
 */
static int
render_block(struct render *r, const struct mtemplate *t, uint32_t i)
{
	const struct mnode *n = &t->nodes[i], *a;
	const struct frame *f;
	size_t k, saved = r->indent_len;
	uint32_t j = UINT32_MAX;
	int rc;

	for (k = 0; k < r->nchain && j == UINT32_MAX; k++)
		j = find_arg(r, f = &r->chain[k], n);
	if (j == UINT32_MAX)
		return render_range(r, t, i + 1, n->end);
	if (enter(r, t, n))
		return -1;
	f = &r->chain[k - 1];
	a = &f->t->nodes[j];
	rc = push_indent(r, t, n, n->ind, n->ind_len);
	if (rc == 0)
		rc = render_range(r, f->t, j + 1, a->end);
	r->indent_len = saved;
	r->depth--;
	return rc;
}

/* ---- the walk ---- */

static int
render_text(struct render *r, const struct mnode *n)
{
	if (n->len == 0)
		return 0;
	if (r->bol && r->indent_len > 0 && !(n->str[0] == '\n' ||
	    (n->len > 1 && n->str[0] == '\r' && n->str[1] == '\n')))
		buf_add(r->out, r->indent, r->indent_len);
	buf_add(r->out, n->str, n->len);
	r->bol = n->str[n->len - 1] == '\n';
	return 0;
}

static int
render_range(struct render *r, const struct mtemplate *t, uint32_t i,
    uint32_t end)
{
	const struct mnode *n;
	const json_t *v;

	while (i < end) {
		n = &t->nodes[i];
		if (step(r, t, n))
			return -1;
		switch (n->type) {
		case MN_TEXT:
			render_text(r, n);
			break;
		case MN_VAR:
		case MN_RAW:
			put_indent(r);
			if ((v = lookup(r, t, n)) != NULL)
				put_value(r->out, v,
				    n->type == MN_VAR && !r->text);
			break;
		case MN_SECTION:
			if (render_section(r, t, i))
				return -1;
			break;
		case MN_INVERTED:
			if (!truthy(lookup(r, t, n)) &&
			    render_range(r, t, i + 1, n->end))
				return -1;
			break;
		case MN_PARTIAL:
		case MN_PARENT:
			if (render_include(r, t, i))
				return -1;
			break;
		case MN_BLOCK:
			if (render_block(r, t, i))
				return -1;
			break;
		}
		if (r->out->len - r->out_start > MUSTACHE_MAX_OUTPUT) {
			mustache_node_err(r->err, t, n,
			    "output larger than %d bytes", MUSTACHE_MAX_OUTPUT);
			return -1;
		}
		i = n->end > i + 1 ? n->end : i + 1;
	}
	return 0;
}

static int
render_top(const mustache_set *set, const char *name, const json_t *ctx,
    buf_t *out, mustache_err *err, bool text)
{
	const struct mtemplate *t;
	struct render state, *r;
	int rc;

	if ((t = mustache_find(set, name, strlen(name))) == NULL) {
		if (err != NULL) {
			snprintf(err->where, sizeof(err->where), "%s", name);
			snprintf(err->msg, sizeof(err->msg),
			    "no template named \"%s\"", name);
		}
		return -1;
	}
	r = &state;
	memset(r, 0, offsetof(struct render, indent));
	r->set = set;
	r->out = out;
	r->out_start = out->len;
	r->err = err;
	r->bol = true;
	r->text = text;
	r->ctx[r->nctx++] = ctx ? ctx : json_null();
	rc = render_range(r, t, 0, t->nnodes);
	/* make sure an empty render still yields a valid C string */
	buf_reserve(out, 0);
	out->data[out->len] = '\0';
	return rc;
}

int
mustache_render(const mustache_set *set, const char *name,
    const json_t *ctx, buf_t *out, mustache_err *err)
{
	return render_top(set, name, ctx, out, err, false);
}

int
mustache_render_text(const mustache_set *set, const char *name,
    const json_t *ctx, buf_t *out, mustache_err *err)
{
	return render_top(set, name, ctx, out, err, true);
}
