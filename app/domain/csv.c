/*
 * csv: see csv.h.
 */
#include <inttypes.h>
#include <string.h>

#include "domain/csv.h"

#define CSV_SCALE_MAX	9

void
csv_init(csv_t *c, buf_t *out)
{
	c->out = out;
	c->nfields = 0;
}

static void
separator(csv_t *c)
{
	if (c->nfields++ > 0)
		buf_putc(c->out, ',');
}

/* Characters a spreadsheet may take as the start of a formula. */
static bool
formula_start(unsigned char ch)
{
	return ch == '=' || ch == '+' || ch == '-' || ch == '@' ||
	    ch == '\t' || ch == '\r';
}

void
csv_field_textn(csv_t *c, const char *s, size_t len)
{
	bool quote = false, defend;
	size_t i;

	separator(c);
	if (s == NULL)
		return;
	defend = len > 0 && formula_start((unsigned char)s[0]);
	for (i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n';
	if (quote)
		buf_putc(c->out, '"');
	if (defend)
		buf_putc(c->out, '\'');
	if (!quote) {
		buf_add(c->out, s, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(c->out, '"');
		buf_putc(c->out, (unsigned char)s[i]);
	}
	buf_putc(c->out, '"');
}

void
csv_field_text(csv_t *c, const char *s)
{
	csv_field_textn(c, s, s ? strlen(s) : 0);
}

static bool
digits(const char **p)
{
	const char *s = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > s;
}

bool
csv_is_number(const char *s)
{
	const char *p = s;

	if (s == NULL || strlen(s) > CSV_NUMBER_MAX)
		return false;
	if (*p == '-')
		p++;
	if (!digits(&p))
		return false;
	if (*p == '.') {
		p++;
		if (!digits(&p))
			return false;
	}
	return *p == '\0';
}

void
csv_field_number(csv_t *c, const char *num)
{
	if (!csv_is_number(num)) {
		csv_field_text(c, num);
		return;
	}
	separator(c);
	buf_puts(c->out, num);
}

void
csv_field_int(csv_t *c, int64_t v)
{
	separator(c);
	buf_printf(c->out, "%" PRId64, v);
}

void
csv_field_fixed(csv_t *c, int64_t value, int scale)
{
	uint64_t mag, div = 1;
	int i;

	if (scale < 0)
		scale = 0;
	if (scale > CSV_SCALE_MAX)
		scale = CSV_SCALE_MAX;
	for (i = 0; i < scale; i++)
		div *= 10;
	separator(c);
	/* Magnitude in unsigned arithmetic so INT64_MIN is fine too. */
	mag = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
	if (value < 0)
		buf_putc(c->out, '-');
	buf_printf(c->out, "%" PRIu64, mag / div);
	if (scale > 0)
		buf_printf(c->out, ".%0*" PRIu64, scale, mag % div);
}

void
csv_end_row(csv_t *c)
{
	buf_add(c->out, "\r\n", 2);
	c->nfields = 0;
}
