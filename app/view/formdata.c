#include <string.h>

#include "view/formdata.h"

static json_t *
field(json_t *form, const char *name)
{
	json_t *f = json_object_get(form, name);

	if (f == NULL) {
		f = json_pack("{s:n, s:n}", "value", "error");
		json_object_set_new(form, name, f);
	}
	return f;
}

void
fd_value(json_t *form, const char *name, const char *value)
{
	json_object_set_new(field(form, name), "value",
	    value != NULL && *value != '\0' ? json_string(value) : json_null());
}

void
fd_error(json_t *form, const char *name, const char *message)
{
	json_t *f = field(form, name);

	if (json_is_null(json_object_get(f, "error")))
		json_object_set_new(f, "error", json_string(message));
	json_object_set_new(form, "_errors", json_true());
}

void
fd_options(json_t *form, const char *name, const struct option *opts,
    size_t n, const char *selected)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		    "value", opts[i].value, "label", opts[i].label,
		    "selected", selected != NULL &&
		    strcmp(selected, opts[i].value) == 0));
	json_object_set_new(field(form, name), "options", arr);
}

bool
fd_has_errors(const json_t *form)
{
	return json_is_true(json_object_get(form, "_errors"));
}
