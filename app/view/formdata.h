/*
 * formdata: builds the `form` object templates expect (docs/templates.md):
 * form.FIELD = {value, error} for inputs and {options, error} for selects.
 * Handlers call these while validating, so a re-shown form keeps what was
 * typed and shows each error next to its field.
 */
#ifndef CADENCE_FORMDATA_H
#define CADENCE_FORMDATA_H

#include <jansson.h>
#include <stdbool.h>

struct option {
	const char	*value;
	const char	*label;
};

/* Sets form.field.value (NULL or "" become null). */
void	fd_value(json_t *form, const char *field, const char *value);
/* Sets form.field.error; the first error of a field wins. */
void	fd_error(json_t *form, const char *field, const char *message);
/* Sets form.field.options with the option equal to selected marked. */
void	fd_options(json_t *form, const char *field, const struct option *,
	    size_t n, const char *selected);
bool	fd_has_errors(const json_t *form);

#endif
