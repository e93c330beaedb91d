/*
 * csv: writes RFC 4180 CSV for the training-log export.
 *
 * Fields are quoted only when needed (comma, double quote, CR or LF;
 * quotes doubled) and records end in CRLF.  Text fields are defended
 * against spreadsheet formula injection: one starting with = + - @ TAB or
 * CR gets a leading apostrophe, so "=HYPERLINK(...)" shows as text.
 * Numbers go through csv_field_number()/_int() and are written verbatim,
 * so -3 stays a number.
 *
 *	csv_t c;
 *	csv_init(&c, &out);
 *	csv_field_text(&c, "Date"); csv_field_text(&c, "km"); csv_end_row(&c);
 *	csv_field_text(&c, "2024-05-01"); csv_field_number(&c, "12.5");
 *	csv_end_row(&c);
 */
#ifndef CADENCE_CSV_H
#define CADENCE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define CSV_NUMBER_MAX	64	/* longer "numbers" are written as text */

typedef struct csv {
	buf_t	*out;
	size_t	 nfields;	/* fields written in the current record */
} csv_t;

void	 csv_init(csv_t *, buf_t *out);
/* Text: quoted when needed, formula-defended.  NULL is an empty field. */
void	 csv_field_text(csv_t *, const char *s);
void	 csv_field_textn(csv_t *, const char *s, size_t len);
/* A plain decimal number (-?digits[.digits]) verbatim, else as text. */
void	 csv_field_number(csv_t *, const char *num);
void	 csv_field_int(csv_t *, int64_t);
/* value / 10^scale with exactly scale decimals: (1234, 2) -> 12.34. */
void	 csv_field_fixed(csv_t *, int64_t value, int scale);
void	 csv_end_row(csv_t *);
/* True for what csv_field_number() writes verbatim. */
bool	 csv_is_number(const char *s);

#endif
