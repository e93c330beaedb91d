/*
 * mustache: template sets and the compiler (see view/mustache.h).
 *
 * Compiling is three passes over the source:
 *   1. scan: split the source into tokens (text cut at each newline, and
 *      tags), following set-delimiter tags;
 *   2. standalone: a line holding only whitespace and non-output tags
 *      loses that whitespace and its newline (the spec's standalone rule);
 *   3. build: turn the tokens into the flat node array, checking that
 *      sections nest; then reindent inheritance blocks.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "view/mustache_impl.h"

enum tok_type {
	T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL,
	T_PARENT, T_BLOCK, T_COMMENT, T_DELIM
};

struct token {
	uint8_t		 type;
	uint8_t		 removed;	/* whitespace of a standalone line */
	uint8_t		 flags;		/* MN_STANDALONE, MN_LEAD */
	uint8_t		 closes;	/* T_CLOSE: the type it closes */
	uint8_t		 in_parent;	/* directly inside a parent tag */
	const char	*s;		/* text, or the trimmed tag content */
	uint32_t	 len;
	uint32_t	 line, col;
	const char	*lead;		/* whitespace before it on its line */
	uint32_t	 lead_len;
};

struct compiler {
	struct mtemplate *t;
	const char	*src, *end;
	const char	*line_start;	/* of the scan position */
	uint32_t	 line;
	struct token	*toks;
	size_t		 ntoks, captoks;
	size_t		 capnodes, capparts;
	mustache_err	*err;
};

/* ---- errors ---- */

static void
verr(mustache_err *, const char *, uint32_t, uint32_t, const char *, va_list)
    __attribute__((format(printf, 5, 0)));

static void
verr(mustache_err *err, const char *file, uint32_t line, uint32_t col,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	snprintf(err->where, sizeof(err->where), "%s:%u:%u", file, line, col);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

static int
cerr(struct compiler *c, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
cerr(struct compiler *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(c->err, c->t->filename, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void
mustache_node_err(mustache_err *err, const struct mtemplate *t,
    const struct mnode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(err, t->filename, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
}

static int
plain_err(mustache_err *err, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
plain_err(mustache_err *err, const char *where, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	snprintf(err->where, sizeof(err->where), "%s", where);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- pass 1: scan ---- */

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static struct token *
new_token(struct compiler *c, enum tok_type type, const char *at)
{
	struct token *tk;

	if (c->ntoks == c->captoks) {
		c->captoks = c->captoks ? c->captoks * 2 : 64;
		c->toks = xrealloc(c->toks, c->captoks * sizeof(*c->toks));
	}
	tk = &c->toks[c->ntoks++];
	memset(tk, 0, sizeof(*tk));
	tk->type = type;
	tk->line = c->line;
	tk->col = (uint32_t)(at - c->line_start) + 1;
	return tk;
}

/* Moves the line counter over [from, to). */
static void
advance(struct compiler *c, const char *from, const char *to)
{
	const char *nl;

	while ((nl = memchr(from, '\n', (size_t)(to - from))) != NULL) {
		c->line++;
		c->line_start = from = nl + 1;
	}
}

/* Text tokens end at each newline, so every line starts a new token. */
static void
scan_text(struct compiler *c, const char *p, const char *end)
{
	const char *nl, *stop;
	struct token *tk;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		stop = nl ? nl + 1 : end;
		tk = new_token(c, T_TEXT, p);
		tk->s = p;
		tk->len = (uint32_t)(stop - p);
		advance(c, p, stop);
		p = stop;
	}
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

/* {{=<% %>=}}: body is what lies between the two '='. */
static int
set_delims(struct compiler *c, const struct token *tk, const char *b,
    const char *e, char *otag, size_t *olen, char *ctag, size_t *clen)
{
	const char *o, *oe, *x;

	trim(&b, &e);
	for (o = b; b < e && !is_space(*b); b++)
		;
	oe = b;
	trim(&b, &e);
	for (x = b; x < e; x++)
		if (is_space(*x))
			break;
	if (oe == o || e == b || x != e ||
	    (size_t)(oe - o) > MUSTACHE_MAX_DELIM ||
	    (size_t)(e - b) > MUSTACHE_MAX_DELIM ||
	    memchr(o, '=', (size_t)(oe - o)) || memchr(b, '=', (size_t)(e - b)))
		return cerr(c, tk->line, tk->col, "bad delimiter change");
	*olen = (size_t)(oe - o);
	memcpy(otag, o, *olen);
	*clen = (size_t)(e - b);
	memcpy(ctag, b, *clen);
	return 0;
}

static enum tok_type
sigil_type(char ch)
{
	switch (ch) {
	case '{': case '&': return T_RAW;
	case '#': return T_SECTION;
	case '^': return T_INVERTED;
	case '/': return T_CLOSE;
	case '>': return T_PARTIAL;
	case '<': return T_PARENT;
	case '$': return T_BLOCK;
	case '!': return T_COMMENT;
	case '=': return T_DELIM;
	default:  return T_VAR;
	}
}

static int
scan(struct compiler *c)
{
	char otag[MUSTACHE_MAX_DELIM + 1] = "{{";
	char ctag[MUSTACHE_MAX_DELIM + 2] = "}}";	/* room for '}' or '=' */
	char close[MUSTACHE_MAX_DELIM + 2];
	size_t olen = 2, clen = 2, closelen;
	const char *p = c->src, *open, *b, *e;
	struct token *tk;
	enum tok_type type;
	char sigil;

	while (p < c->end) {
		open = memmem(p, (size_t)(c->end - p), otag, olen);
		if (open == NULL) {
			scan_text(c, p, c->end);
			break;
		}
		scan_text(c, p, open);
		b = open + olen;
		sigil = b < c->end ? *b : '\0';
		type = sigil_type(sigil);
		if (type != T_VAR)
			b++;
		/* {{{x}}} ends at "}}}", {{=a b=}} at "=}}" */
		closelen = 0;
		if (sigil == '{' || sigil == '=')
			close[closelen++] = sigil == '{' ? '}' : '=';
		memcpy(close + closelen, ctag, clen);
		closelen += clen;
		tk = new_token(c, type, open);
		e = b <= c->end ?
		    memmem(b, (size_t)(c->end - b), close, closelen) : NULL;
		if (e == NULL)
			return cerr(c, tk->line, tk->col, "unclosed tag");
		p = e + closelen;
		if (type == T_DELIM) {
			if (set_delims(c, tk, b, e, otag, &olen, ctag, &clen))
				return -1;
		} else if (type != T_COMMENT) {
			trim(&b, &e);
			if (b == e)
				return cerr(c, tk->line, tk->col, "empty tag");
			for (tk->s = b; b < e; b++)
				if (is_space(*b))
					return cerr(c, tk->line, tk->col,
					    "bad tag \"%.*s\"",
					    (int)(e - tk->s), tk->s);
			tk->len = (uint32_t)(e - tk->s);
		}
		advance(c, open, p);
	}
	return 0;
}

/* ---- pass 2: standalone lines ---- */

static bool
is_open(enum tok_type t)
{
	return t == T_SECTION || t == T_INVERTED || t == T_PARENT ||
	    t == T_BLOCK;
}

/* Marks which tags sit directly inside a parent, and what closes what. */
static void
mark_nesting(struct compiler *c)
{
	uint8_t stack[MUSTACHE_MAX_NESTING];
	size_t i, depth = 0, over = 0;
	struct token *tk;

	for (i = 0; i < c->ntoks; i++) {
		tk = &c->toks[i];
		tk->in_parent = depth > 0 && over == 0 &&
		    stack[depth - 1] == T_PARENT;
		if (is_open(tk->type)) {
			if (depth < MUSTACHE_MAX_NESTING)
				stack[depth++] = tk->type;
			else
				over++;	/* pass 3 reports it */
		} else if (tk->type == T_CLOSE) {
			if (over > 0)
				over--;
			else if (depth > 0) {
				tk->closes = stack[--depth];
				tk->in_parent = depth > 0 &&
				    stack[depth - 1] == T_PARENT;
			}
		}
	}
}

/* Spaces and tabs, then optionally "\n" or "\r\n". */
static bool
blank_text(const struct token *tk)
{
	uint32_t i, n = tk->len;

	if (n > 0 && tk->s[n - 1] == '\n')
		n -= (n > 1 && tk->s[n - 2] == '\r') ? 2 : 1;
	for (i = 0; i < n; i++)
		if (tk->s[i] != ' ' && tk->s[i] != '\t')
			return false;
	return true;
}

/*
 * Several tags may share a standalone line only when the text between
 * them is ignored anyway: parent tags and the blocks passed to a parent
 * ("{{<layout}}{{$title}}", "{{/title}}{{/layout}}").
 */
static bool
joinable(const struct token *tk)
{
	if (tk->type == T_PARENT || (tk->type == T_CLOSE &&
	    tk->closes == T_PARENT))
		return true;
	return (tk->type == T_BLOCK || (tk->type == T_CLOSE &&
	    tk->closes == T_BLOCK)) && tk->in_parent;
}

/* Handles the line of tokens [a, b). */
static void
standalone_line(struct compiler *c, size_t a, size_t b)
{
	struct token *first = &c->toks[a], *tk, *lead_tag = NULL;
	size_t i, ntags = 0, njoin = 0;
	bool blank = true;

	for (i = a; i < b; i++) {
		tk = &c->toks[i];
		if (tk->type == T_TEXT) {
			blank = blank && blank_text(tk);
			continue;
		}
		if (lead_tag == NULL && blank)
			lead_tag = tk;
		if (tk->type == T_VAR || tk->type == T_RAW)
			blank = false;
		ntags++;
		njoin += joinable(tk);
	}
	if (lead_tag != NULL) {
		lead_tag->flags |= MN_LEAD;
		if (first->type == T_TEXT) {
			lead_tag->lead = first->s;
			lead_tag->lead_len = first->len;
		}
	}
	if (!blank || ntags == 0 || (ntags > 1 && njoin != ntags))
		return;
	for (i = a; i < b; i++) {
		tk = &c->toks[i];
		if (tk->type == T_TEXT)
			tk->removed = 1;
		else
			tk->flags |= MN_STANDALONE;
	}
}

static void
standalone(struct compiler *c)
{
	size_t i, a = 0;
	const struct token *tk;

	mark_nesting(c);
	for (i = 0; i < c->ntoks; i++) {
		tk = &c->toks[i];
		if (tk->type == T_TEXT && tk->s[tk->len - 1] == '\n') {
			standalone_line(c, a, i + 1);
			a = i + 1;
		}
	}
	if (a < c->ntoks)
		standalone_line(c, a, c->ntoks);
}

/* ---- pass 3: build nodes ---- */

static struct mnode *
new_node(struct compiler *c, enum mnode_type type, const struct token *tk)
{
	struct mtemplate *t = c->t;
	struct mnode *n;

	if (t->nnodes == c->capnodes) {
		c->capnodes = c->capnodes ? c->capnodes * 2 : 64;
		t->nodes = xrealloc(t->nodes, c->capnodes * sizeof(*t->nodes));
	}
	n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = (uint8_t)type;
	n->flags = tk->flags;
	if (type == MN_BLOCK && tk->in_parent)
		n->flags |= MN_ARG;
	n->str = tk->s;
	n->len = tk->len;
	n->line = tk->line;
	n->col = tk->col;
	n->ind = tk->lead ? tk->lead : "";
	n->ind_len = tk->lead_len;
	n->end = t->nnodes;
	return n;
}

/* Splits "a.b.c" into parts; "." has none. */
static int
split_name(struct compiler *c, struct mnode *n)
{
	struct mtemplate *t = c->t;
	const char *s = n->str, *e = n->str + n->len, *dot;

	n->parts = t->nparts;
	if (n->len == 1 && s[0] == '.')
		return 0;
	for (;;) {
		dot = memchr(s, '.', (size_t)(e - s));
		if (dot == NULL)
			dot = e;
		if (dot == s || n->nparts == UINT16_MAX)
			return cerr(c, n->line, n->col, "bad name \"%.*s\"",
			    (int)n->len, n->str);
		if (t->nparts == c->capparts) {
			c->capparts = c->capparts ? c->capparts * 2 : 32;
			t->parts = xrealloc(t->parts,
			    c->capparts * sizeof(*t->parts));
		}
		t->parts[t->nparts].s = s;
		t->parts[t->nparts].len = (uint32_t)(dot - s);
		t->nparts++;
		n->nparts++;
		if (dot == e)
			return 0;
		s = dot + 1;
	}
}

static const char *
tag_word(enum mnode_type type)
{
	switch (type) {
	case MN_PARENT:	return "parent";
	case MN_BLOCK:	return "block";
	default:	return "section";
	}
}

static int
build(struct compiler *c)
{
	static const uint8_t map[] = {
		[T_TEXT] = MN_TEXT, [T_VAR] = MN_VAR, [T_RAW] = MN_RAW,
		[T_SECTION] = MN_SECTION, [T_INVERTED] = MN_INVERTED,
		[T_PARTIAL] = MN_PARTIAL, [T_PARENT] = MN_PARENT,
		[T_BLOCK] = MN_BLOCK,
	};
	uint32_t open[MUSTACHE_MAX_NESTING];
	size_t i, depth = 0;
	const struct token *tk;
	struct mnode *n, *o;

	for (i = 0; i < c->ntoks; i++) {
		tk = &c->toks[i];
		if (tk->removed || tk->type == T_COMMENT ||
		    tk->type == T_DELIM)
			continue;
		if (tk->type == T_CLOSE) {
			if (depth == 0)
				return cerr(c, tk->line, tk->col,
				    "unexpected close \"%.*s\"",
				    (int)tk->len, tk->s);
			o = &c->t->nodes[open[--depth]];
			if (o->len != tk->len || memcmp(o->str, tk->s, tk->len))
				return cerr(c, tk->line, tk->col,
				    "mismatched close \"%.*s\": %s \"%.*s\" "
				    "opened at %u:%u", (int)tk->len, tk->s,
				    tag_word(o->type), (int)o->len, o->str,
				    o->line, o->col);
			o->end = c->t->nnodes;
			continue;
		}
		n = new_node(c, map[tk->type], tk);
		if (n->type == MN_VAR || n->type == MN_RAW ||
		    n->type == MN_SECTION || n->type == MN_INVERTED)
			if (split_name(c, n))
				return -1;
		if (is_open(tk->type)) {
			if (depth == MUSTACHE_MAX_NESTING)
				return cerr(c, tk->line, tk->col,
				    "sections nested deeper than %d",
				    MUSTACHE_MAX_NESTING);
			open[depth++] = c->t->nnodes - 1;
		}
	}
	if (depth > 0) {
		o = &c->t->nodes[open[depth - 1]];
		return cerr(c, o->line, o->col, "unclosed %s \"%.*s\"",
		    tag_word(o->type), (int)o->len, o->str);
	}
	return 0;
}

/* ---- block reindentation ---- */

/*
 * The spec's inheritance indentation: a block passed to a parent whose
 * opening tag is standalone loses the indentation common to its lines
 * ("removed at the site of definition"); where a block is expanded its
 * overriding content gets the block's own indentation ("added at the
 * site of expansion"): the whitespace before the tag, or when a
 * standalone tag has none, that of its default content.
 */

static bool
empty_line(const char *s, uint32_t len)
{
	return (len >= 1 && s[0] == '\n') ||
	    (len >= 2 && s[0] == '\r' && s[1] == '\n');
}

static uint32_t
space_run(const char *s, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i;
}

/* Narrows (*ind, *ind_len) to its common prefix with (s, len). */
static void
common_prefix(const char **ind, int64_t *ind_len, const char *s,
    uint32_t len)
{
	uint32_t i;

	if (*ind_len < 0) {
		*ind = s;
		*ind_len = len;
		return;
	}
	for (i = 0; i < *ind_len && i < len && (*ind)[i] == s[i]; i++)
		;
	*ind_len = i;
}

/*
 * Walks the lines of nodes [a, b): measures their common indentation,
 * or, when strip is given, removes strip_len bytes of it.
 */
static void
walk_indent(struct mtemplate *t, uint32_t a, uint32_t b, const char **ind,
    int64_t *ind_len, uint32_t strip_len)
{
	bool bol = true;
	uint32_t i, k;
	struct mnode *n;

	for (i = a; i < b; i++) {
		n = &t->nodes[i];
		if (n->type == MN_TEXT) {
			if (bol && !empty_line(n->str, n->len)) {
				k = space_run(n->str, n->len);
				if (ind_len != NULL && k < n->len)
					common_prefix(ind, ind_len, n->str, k);
				else if (ind_len == NULL) {
					k = k < strip_len ? k : strip_len;
					n->str += k;
					n->len -= k;
				}
			}
			bol = n->len > 0 ? n->str[n->len - 1] == '\n' : bol;
		} else if (n->flags & MN_STANDALONE) {
			if (n->type == MN_PARTIAL || n->type == MN_PARENT ||
			    n->type == MN_BLOCK) {
				if (ind_len != NULL)
					common_prefix(ind, ind_len, n->ind,
					    n->ind_len);
				else {
					k = n->ind_len < strip_len ?
					    n->ind_len : strip_len;
					n->ind += k;
					n->ind_len -= k;
				}
			}
			bol = true;
		} else {
			if (bol && ind_len != NULL)
				common_prefix(ind, ind_len, "", 0);
			bol = false;
		}
	}
}

static void
reindent(struct mtemplate *t)
{
	const char *ind;
	int64_t ind_len;
	uint32_t i;
	struct mnode *n;

	/* Outer blocks first: what they strip applies to nested ones. */
	for (i = 0; i < t->nnodes; i++) {
		n = &t->nodes[i];
		if (n->type != MN_BLOCK || (n->flags & (MN_STANDALONE | MN_ARG))
		    != (MN_STANDALONE | MN_ARG))
			continue;
		ind = "";
		ind_len = -1;
		walk_indent(t, i + 1, n->end, &ind, &ind_len, 0);
		if (ind_len > 0)
			walk_indent(t, i + 1, n->end, NULL, NULL,
			    (uint32_t)ind_len);
	}
	/* Then where each block puts overriding content. */
	for (i = 0; i < t->nnodes; i++) {
		n = &t->nodes[i];
		if (n->type != MN_BLOCK)
			continue;
		if ((n->flags & MN_STANDALONE) && n->ind_len == 0) {
			ind = "";
			ind_len = -1;
			walk_indent(t, i + 1, n->end, &ind, &ind_len, 0);
			n->ind = ind;
			n->ind_len = ind_len > 0 ? (uint32_t)ind_len : 0;
		} else if (!(n->flags & (MN_STANDALONE | MN_LEAD)))
			n->ind_len = 0;
	}
}

/* ---- templates and sets ---- */

static void
template_free(struct mtemplate *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->filename);
	free(t->src);
	free(t->nodes);
	free(t->parts);
	free(t);
}

static struct mtemplate *
compile(const char *name, const char *src, size_t len, const char *filename,
    mustache_err *err)
{
	struct compiler c;
	struct mtemplate *t;

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->filename = xstrdup(filename ? filename : name);
	if (len > MUSTACHE_MAX_TEMPLATE_SIZE) {
		plain_err(err, t->filename, "template larger than %d bytes",
		    MUSTACHE_MAX_TEMPLATE_SIZE);
		template_free(t);
		return NULL;
	}
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.src = c.line_start = t->src;
	c.end = t->src + len;
	c.line = 1;
	c.err = err;
	if (scan(&c) == 0) {
		standalone(&c);
		if (build(&c) == 0) {
			reindent(t);
			free(c.toks);
			return t;
		}
	}
	free(c.toks);
	template_free(t);
	return NULL;
}

mustache_set *
mustache_set_new(void)
{
	return xcalloc(1, sizeof(mustache_set));
}

void
mustache_set_free(mustache_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		template_free(set->v[i]);
	free(set->v);
	free(set);
}

static int
name_cmp(const char *s, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	int r = memcmp(s, name, len < nlen ? len : nlen);

	if (r != 0)
		return r;
	return len < nlen ? -1 : len > nlen;
}

/* Index of the first template whose name is >= (s, len). */
static size_t
lower_bound(const mustache_set *set, const char *s, size_t len)
{
	size_t lo = 0, hi = set->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (name_cmp(s, len, set->v[mid]->name) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct mtemplate *
mustache_find(const mustache_set *set, const char *s, size_t len)
{
	size_t i = lower_bound(set, s, len);

	if (i < set->n && name_cmp(s, len, set->v[i]->name) == 0)
		return set->v[i];
	return NULL;
}

bool
mustache_set_has(const mustache_set *set, const char *name)
{
	return mustache_find(set, name, strlen(name)) != NULL;
}

int
mustache_set_add(mustache_set *set, const char *name, const char *src,
    size_t len, const char *filename, mustache_err *err)
{
	struct mtemplate *t;
	size_t i;

	t = compile(name, src, len, filename, err);
	if (t == NULL)
		return -1;
	i = lower_bound(set, name, strlen(name));
	if (i < set->n && strcmp(set->v[i]->name, name) == 0) {
		template_free(set->v[i]);
		set->v[i] = t;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
	}
	memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof(*set->v));
	set->v[i] = t;
	set->n++;
	return 0;
}

#define TEMPLATE_EXT	".mustache"

/* Reads a whole file of at most MUSTACHE_MAX_TEMPLATE_SIZE bytes. */
static char *
read_file(const char *path, size_t *len, mustache_err *err)
{
	FILE *f;
	char *data;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		plain_err(err, path, "%s", strerror(errno));
		return NULL;
	}
	data = xmalloc(MUSTACHE_MAX_TEMPLATE_SIZE + 1);
	n = fread(data, 1, MUSTACHE_MAX_TEMPLATE_SIZE + 1, f);
	if (ferror(f) || n > MUSTACHE_MAX_TEMPLATE_SIZE) {
		if (ferror(f))
			plain_err(err, path, "read error");
		else
			plain_err(err, path, "template larger than %d bytes",
			    MUSTACHE_MAX_TEMPLATE_SIZE);
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	*len = n;
	return data;
}

int
mustache_set_add_file(mustache_set *set, const char *name, const char *path,
    mustache_err *err)
{
	char *src;
	size_t len;
	int rc;

	if ((src = read_file(path, &len, err)) == NULL)
		return -1;
	rc = mustache_set_add(set, name, src, len, path, err);
	free(src);
	return rc;
}

int
mustache_set_load_dir(mustache_set *set, const char *dir, mustache_err *err)
{
	DIR *d;
	struct dirent *de;
	size_t nlen, elen = strlen(TEMPLATE_EXT);
	char *path, *name;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return plain_err(err, dir, "%s", strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		nlen = strlen(de->d_name);
		if (nlen <= elen || de->d_name[0] == '.' ||
		    strcmp(de->d_name + nlen - elen, TEMPLATE_EXT) != 0)
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			fatal_oom();
		name = xstrndup(de->d_name, nlen - elen);
		rc = mustache_set_add_file(set, name, path, err);
		free(name);
		free(path);
	}
	closedir(d);
	return rc;
}

int
mustache_set_check(const mustache_set *set, mustache_err *err)
{
	const struct mtemplate *t;
	const struct mnode *n;
	size_t i;
	uint32_t j;

	for (i = 0; i < set->n; i++) {
		t = set->v[i];
		for (j = 0; j < t->nnodes; j++) {
			n = &t->nodes[j];
			if ((n->type == MN_PARTIAL || n->type == MN_PARENT) &&
			    mustache_find(set, n->str, n->len) == NULL) {
				mustache_node_err(err, t, n,
				    "%s \"%.*s\" not found",
				    n->type == MN_PARENT ? "parent" : "partial",
				    (int)n->len, n->str);
				return -1;
			}
		}
	}
	return 0;
}
