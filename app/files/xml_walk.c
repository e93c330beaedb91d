/*
 * xml_walk: the hardened xmlTextReader loop shared by GPX and TCX.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "files/activity_file.h"
#include "files/xml_walk.h"

/* No entity substitution (no XML_PARSE_NOENT), no DTD loading, no network;
 * libxml2's default limits stay (no XML_PARSE_HUGE). */
#define XW_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

struct walk {
	const char		*what;
	const struct xw_handler	*h;
	struct xw_node		 node;
	char			 names[XW_MAX_DEPTH][XW_NAME_MAX];
	char			 text[XW_TEXT_MAX];
	size_t			 text_len;
	bool			 text_long;
	char			 xml_err[160];	/* libxml2's first error */
	int			 xml_line;
};

static void
on_xml_error(void *arg, const char *msg, xmlParserSeverities sev,
    xmlTextReaderLocatorPtr loc)
{
	struct walk *w = arg;
	size_t n;

	if (w->xml_err[0] != '\0' || msg == NULL)
		return;
	snprintf(w->xml_err, sizeof(w->xml_err), "%s", msg);
	n = strlen(w->xml_err);
	while (n > 0 && isspace((unsigned char)w->xml_err[n - 1]))
		w->xml_err[--n] = '\0';
	w->xml_line = loc != NULL ? xmlTextReaderLocatorLineNumber(loc) : 0;
}

/* UTF-8 (an optional BOM, then ASCII '<' after blanks) and no DOCTYPE. */
static int
precheck(const char *what, const unsigned char *s, size_t len, char *err,
    size_t errlen)
{
	size_t i = 0;

	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i >= len)
		return af_fail(err, errlen, "%s: the file is empty", what);
	if (s[i] != '<')
		return af_fail(err, errlen, "%s: not UTF-8 XML", what);
	if (memmem(s, len, "<!DOCTYPE", 9) != NULL || memmem(s, len, "<!ENTITY", 8) != NULL)
		return af_fail(err, errlen, "%s: the file declares a DTD or entities, "
		    "which are not accepted", what);
	return 0;
}

static void
copy_name(struct walk *w, int depth, const char *name)
{
	snprintf(w->names[depth - 1], XW_NAME_MAX, "%s", name);
	w->node.path[depth - 1] = w->names[depth - 1];
	w->node.name = w->names[depth - 1];
	w->node.depth = depth;
}

static int
close_element(struct walk *w, int depth, char *err, size_t errlen)
{
	w->node.depth = depth;
	w->node.name = w->names[depth - 1];
	w->text[w->text_len] = '\0';
	if (w->h->end != NULL &&
	    w->h->end(w->h->ctx, &w->node, w->text_long ? NULL : w->text, err, errlen) != 0)
		return -1;
	w->text_len = 0;
	w->text_long = false;
	return 0;
}

static int
open_element(struct walk *w, xmlTextReaderPtr r, char *err, size_t errlen)
{
	int depth = xmlTextReaderDepth(r) + 1;
	const char *name = (const char *)xmlTextReaderConstLocalName(r);

	if (depth > XW_MAX_DEPTH)
		return af_fail(err, errlen, "%s: elements nested more than %d deep",
		    w->what, XW_MAX_DEPTH);
	copy_name(w, depth, name ? name : "");
	w->node.reader = r;
	w->text_len = 0;
	w->text_long = false;
	if (w->h->start != NULL && w->h->start(w->h->ctx, &w->node, err, errlen) != 0)
		return -1;
	if (xmlTextReaderIsEmptyElement(r))
		return close_element(w, depth, err, errlen);
	return 0;
}

static void
add_text(struct walk *w, xmlTextReaderPtr r)
{
	const char *t = (const char *)xmlTextReaderConstValue(r);
	size_t n = t ? strlen(t) : 0;

	if (w->text_long || w->text_len + n >= XW_TEXT_MAX) {
		w->text_long = true;
		return;
	}
	memcpy(w->text + w->text_len, t, n);
	w->text_len += n;
}

static int
step(struct walk *w, xmlTextReaderPtr r, char *err, size_t errlen)
{
	switch (xmlTextReaderNodeType(r)) {
	case XML_READER_TYPE_ELEMENT:
		return open_element(w, r, err, errlen);
	case XML_READER_TYPE_END_ELEMENT:
		return close_element(w, xmlTextReaderDepth(r) + 1, err, errlen);
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
		add_text(w, r);
		return 0;
	case XML_READER_TYPE_DOCUMENT_TYPE:
	case XML_READER_TYPE_ENTITY_REFERENCE:
	case XML_READER_TYPE_ENTITY:
		return af_fail(err, errlen, "%s: DTDs and entities are not accepted",
		    w->what);
	default:
		return 0;
	}
}

int
xw_walk(const char *what, const void *data, size_t len,
    const struct xw_handler *h, char *err, size_t errlen)
{
	xmlTextReaderPtr r;
	struct walk *w;
	int rc = 0, more;

	if (len > AF_MAX_BYTES || len > INT32_MAX)
		return af_fail(err, errlen, "the file is %zu bytes: at most %d are "
		    "accepted", len, AF_MAX_BYTES);
	if (precheck(what, data, len, err, errlen) != 0)
		return -1;
	r = xmlReaderForMemory(data, (int)len, NULL, "UTF-8", XW_OPTIONS);
	if (r == NULL)
		return af_fail(err, errlen, "%s: cannot read the XML", what);
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		xmlFreeTextReader(r);
		return af_fail(err, errlen, "%s: out of memory", what);
	}
	w->what = what;
	w->h = h;
	xmlTextReaderSetErrorHandler(r, on_xml_error, w);
	while (rc == 0 && (more = xmlTextReaderRead(r)) == 1)
		rc = step(w, r, err, errlen);
	if (rc == 0 && (more < 0 || w->xml_err[0] != '\0'))
		rc = af_fail(err, errlen, "%s: the XML is malformed at line %d: %s",
		    what, w->xml_line, w->xml_err[0] ? w->xml_err : "parse error");
	xmlFreeTextReader(r);
	free(w);
	return rc;
}

bool
xw_attr(const struct xw_node *n, const char *name, char *buf, size_t size)
{
	xmlChar *v = xmlTextReaderGetAttribute(n->reader, (const xmlChar *)name);

	if (v == NULL)
		return false;
	snprintf(buf, size, "%s", (const char *)v);
	xmlFree(v);
	return true;
}

bool
xw_parent_is(const struct xw_node *n, const char *parent)
{
	return n->depth >= 2 && strcmp(n->path[n->depth - 2], parent) == 0;
}

bool
xw_number(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return false;
	v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* Reads exactly n digits. */
static bool
digits(const char **sp, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*sp)[i]))
			return false;
		*v = *v * 10 + ((*sp)[i] - '0');
	}
	*sp += n;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
zone(const char *s, int *offset_s)
{
	int hh, mm;

	*offset_s = 0;
	if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0'))
		return true;
	if ((*s != '+' && *s != '-') || strlen(s) != 6 || s[3] != ':')
		return false;
	{
		const char *p = s + 1;

		if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm) ||
		    hh > 14 || mm > 59)
			return false;
	}
	*offset_s = (hh * 3600 + mm * 60) * (*s == '-' ? -1 : 1);
	return true;
}

bool
xw_time(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char buf[XW_TEXT_MAX];
	size_t n;
	int y, mo, d, h, mi, sec, off;

	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	/* Trailing blanks too: work on a trimmed copy. */
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	s = buf;
	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || *s++ != 'T' ||
	    !digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) ||
	    *s++ != ':' || !digits(&s, 2, &sec))
		return false;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))) ||
	    h > 23 ||
	    mi > 59 || sec > 60 || !zone(s, &off))
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return true;
}
