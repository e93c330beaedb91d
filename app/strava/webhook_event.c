/*
 * webhook_event: see webhook_event.h.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "strava/webhook_event.h"

static const char *const object_names[] = { "activity", "athlete" };
static const char *const aspect_names[] = { "create", "update", "delete" };

static bool
fail(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, WEBHOOK_ERR_MAX, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * Deepest nesting of arrays and objects in a JSON text, counted before
 * Jansson parses it so a hostile body cannot make it recurse deeply.
 * Brackets inside strings do not count.
 */
static int
json_depth(const char *s, size_t len)
{
	bool in_str = false, esc = false;
	int depth = 0, max = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return max;
}

/* Parses s as one of names[]; -1 if it is none of them. */
static int
enum_index(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static bool
get_enum(json_t *root, const char *key, const char *const *names, size_t n,
    int *out, char *err)
{
	json_t *v = json_object_get(root, key);

	if (v == NULL)
		return fail(err, "%s: missing", key);
	if (!json_is_string(v) ||
	    (*out = enum_index(json_string_value(v), names, n)) < 0)
		return fail(err, "%s: must be %s", key, n == 2 ?
		    "\"activity\" or \"athlete\"" :
		    "\"create\", \"update\" or \"delete\"");
	return true;
}

/*
 * A positive id as a JSON integer or, as Strava has sent subscription_id
 * ("subscription_id":"120475"), as a string of decimal digits.  Floats
 * (Jansson keeps 1.0 a real) and anything else are refused.
 */
static bool
get_id(json_t *root, const char *key, int64_t *out, char *err)
{
	json_t		*v = json_object_get(root, key);
	const char	*s;
	long long	 n;
	char		*end;

	if (v == NULL)
		return fail(err, "%s: missing", key);
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		errno = 0;
		n = strtoll(s, &end, 10);
		if (*s >= '0' && *s <= '9' && *end == '\0' && errno == 0 &&
		    n > 0) {
			*out = n;
			return true;
		}
	}
	return fail(err, "%s: must be a positive integer", key);
}

/*
 * One "updates" member as text: strings as they are, booleans as
 * "true"/"false" (Strava documents {"private":"true"} but clients have
 * seen {"private":true}), integers in decimal.  NULL: a value of no use
 * to us (null, a real, an array or object), skipped like an unknown key.
 */
static char *
update_text(const json_t *v)
{
	char *s;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_boolean(v))
		return xstrdup(json_is_true(v) ? "true" : "false");
	if (json_is_integer(v)) {
		if (asprintf(&s, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v)) < 0)
			fatal_oom();
		return s;
	}
	return NULL;
}

/* An absent or null "updates" is {}: an update then means "fetch again". */
static bool
get_updates(json_t *root, struct webhook_event *ev, char *err)
{
	json_t *u = json_object_get(root, "updates"), *v;
	const char *key;
	char *text;
	size_t n;

	if (u == NULL || json_is_null(u))
		return true;
	if (!json_is_object(u))
		return fail(err, "updates: must be an object");
	if ((n = json_object_size(u)) > WEBHOOK_MAX_UPDATES)
		return fail(err, "updates: more than %d keys",
		    WEBHOOK_MAX_UPDATES);
	ev->updates = xcalloc(n, sizeof(*ev->updates));
	json_object_foreach(u, key, v) {
		if ((text = update_text(v)) == NULL)
			continue;
		ev->updates[ev->nupdates].key = xstrdup(key);
		ev->updates[ev->nupdates].value = text;
		ev->nupdates++;
	}
	return true;
}

static bool
parse_root(json_t *root, struct webhook_event *ev, char *err)
{
	int obj, asp;
	const char *auth;

	if (!json_is_object(root))
		return fail(err, "body: must be a JSON object");
	if (!get_enum(root, "object_type", object_names,
	    NELEM(object_names), &obj, err) ||
	    !get_enum(root, "aspect_type", aspect_names,
	    NELEM(aspect_names), &asp, err))
		return false;
	ev->object_type = (enum webhook_object)obj;
	ev->aspect_type = (enum webhook_aspect)asp;
	if (!get_id(root, "object_id", &ev->object_id, err) ||
	    !get_id(root, "owner_id", &ev->owner_id, err) ||
	    !get_id(root, "subscription_id", &ev->subscription_id, err) ||
	    !get_id(root, "event_time", &ev->event_time, err) ||
	    !get_updates(root, ev, err))
		return false;
	auth = webhook_event_update(ev, "authorized");
	ev->deauthorized = ev->object_type == WEBHOOK_ATHLETE &&
	    auth != NULL && strcmp(auth, "false") == 0;
	return true;
}

bool
webhook_event_parse(const char *body, size_t len, struct webhook_event *ev,
    char err[WEBHOOK_ERR_MAX])
{
	json_error_t	 jerr;
	json_t		*root;
	bool		 ok;

	memset(ev, 0, sizeof(*ev));
	err[0] = '\0';
	if (len > WEBHOOK_MAX_BODY)
		return fail(err, "body: larger than %d bytes",
		    WEBHOOK_MAX_BODY);
	if (json_depth(body, len) > WEBHOOK_MAX_DEPTH)
		return fail(err, "body: nested deeper than %d",
		    WEBHOOK_MAX_DEPTH);
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return fail(err, "body: invalid JSON (%.60s)", jerr.text);
	ok = parse_root(root, ev, err);
	json_decref(root);
	if (!ok)
		webhook_event_free(ev);
	return ok;
}

void
webhook_event_free(struct webhook_event *ev)
{
	size_t i;

	for (i = 0; i < ev->nupdates; i++) {
		free(ev->updates[i].key);
		free(ev->updates[i].value);
	}
	free(ev->updates);
	memset(ev, 0, sizeof(*ev));
}

const char *
webhook_event_update(const struct webhook_event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->nupdates; i++)
		if (strcmp(ev->updates[i].key, key) == 0)
			return ev->updates[i].value;
	return NULL;
}

const char *
webhook_object_name(enum webhook_object o)
{
	return (unsigned)o < NELEM(object_names) ? object_names[o] : "";
}

const char *
webhook_aspect_name(enum webhook_aspect a)
{
	return (unsigned)a < NELEM(aspect_names) ? aspect_names[a] : "";
}
