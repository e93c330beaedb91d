/*
 * template: see template.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mail/template.h"

mustache_set *
mail_templates_load(const char *dir, char *err, size_t errlen)
{
	mustache_set	*set = mustache_set_new();
	mustache_err	 merr;

	if (mustache_set_load_dir(set, dir, &merr) ||
	    mustache_set_check(set, &merr)) {
		snprintf(err, errlen, "%s: %s", merr.where, merr.msg);
		mustache_set_free(set);
		return NULL;
	}
	return set;
}

/* Names are set keys, but keep them plain so logs and jobs stay readable. */
static bool
name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > MAIL_TEMPLATE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	return true;
}

static int
render_one(const mustache_set *set, const char *name, const char *part,
    bool html, const json_t *ctx, buf_t *out, char *err, size_t errlen)
{
	char		 tpl[MAIL_TEMPLATE_NAME_MAX + 16];
	mustache_err	 merr;
	int		 rc;

	snprintf(tpl, sizeof(tpl), "%s.%s", name, part);
	rc = html ? mustache_render(set, tpl, ctx, out, &merr) :
	    mustache_render_text(set, tpl, ctx, out, &merr);
	if (rc != 0) {
		snprintf(err, errlen, "mail %s: %s: %s", name, merr.where,
		    merr.msg);
		return -1;
	}
	/* JSON strings may hold NUL; a C string would end there unseen. */
	if (strlen(buf_cstr(out)) != out->len) {
		snprintf(err, errlen, "mail %s: the %s has a NUL byte", name,
		    part);
		return -1;
	}
	return 0;
}

/*
 * The subject template ends with a newline like any file; what is left
 * must be one line (a line break from the data would be refused later
 * anyway, but this names the template).
 */
static int
render_subject(const mustache_set *set, const char *name, const json_t *ctx,
    buf_t *out, char *err, size_t errlen)
{
	if (render_one(set, name, "subject", false, ctx, out, err, errlen))
		return -1;
	while (out->len > 0 && strchr(" \t\r\n", out->data[out->len - 1]))
		out->data[--out->len] = '\0';
	if (strpbrk(buf_cstr(out), "\r\n") != NULL) {
		snprintf(err, errlen, "mail %s: the subject is more than one "
		    "line", name);
		return -1;
	}
	return 0;
}

/* The caller's data plus what every mail template may use. */
static json_t *
context(const struct mail_sender *s, const struct mail_addr *to,
    const json_t *data, const char *unsubscribe_url)
{
	json_t *ctx = json_object();

	if (json_is_object(data))
		json_object_update(ctx, (json_t *)(uintptr_t)data);
	json_object_set_new(ctx, "site_url", json_string(s->site_url));
	json_object_set_new(ctx, "to_address", json_string(to->addr));
	if (to->name != NULL && to->name[0] != '\0')
		json_object_set_new(ctx, "to_name", json_string(to->name));
	if (unsubscribe_url != NULL)
		json_object_set_new(ctx, "unsubscribe_url",
		    json_string(unsubscribe_url));
	return ctx;
}

static int
build(const struct mail_sender *s, const char *name,
    const struct mail_addr *to, const json_t *data,
    const char *unsubscribe_url, const char *message_id,
    struct mail_out *out, char *err, size_t errlen)
{
	buf_t		 subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
	char		 tpl[MAIL_TEMPLATE_NAME_MAX + 16];
	json_t		*ctx = NULL;
	struct mail_msg	 m;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if (!name_ok(name)) {
		snprintf(err, errlen, "mail template name must be 1-%d of "
		    "a-z, 0-9, _", MAIL_TEMPLATE_NAME_MAX);
		return -1;
	}
	/* Rendering a bad address into the body first would be wasted. */
	if (to->addr == NULL || !mail_addr_valid(to->addr)) {
		snprintf(err, errlen, "to: not a valid email address");
		return -1;
	}
	ctx = context(s, to, data, unsubscribe_url);
	snprintf(tpl, sizeof(tpl), "%s.html", name);
	if (render_subject(s->templates, name, ctx, &subject, err, errlen) ||
	    render_one(s->templates, name, "text", false, ctx, &text, err,
	    errlen) || (mustache_set_has(s->templates, tpl) &&
	    render_one(s->templates, name, "html", true, ctx, &html, err,
	    errlen)))
		goto out;
	m = (struct mail_msg){
		.from = s->from, .to = *to, .subject = buf_cstr(&subject),
		.text = buf_cstr(&text),
		.html = mustache_set_has(s->templates, tpl) ? buf_cstr(&html) :
		    NULL,
		.unsubscribe_url = unsubscribe_url, .message_id = message_id,
	};
	rc = mail_compose(&m, out, err, errlen);
out:
	json_decref(ctx);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	return rc;
}

int
mail_build(const struct mail_sender *s, const char *name,
    const struct mail_addr *to, const json_t *data,
    const char *unsubscribe_url, struct mail_out *out, char *err,
    size_t errlen)
{
	return build(s, name, to, data, unsubscribe_url, NULL, out, err,
	    errlen);
}

/* The string at key (NULL when absent and optional); -1 on a bad one. */
static int
json_str(const json_t *obj, const char *key, bool required, const char **out,
    char *err, size_t errlen)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL && !required)
		return 0;
	if (!json_is_string(v)) {
		snprintf(err, errlen, "mail job: \"%s\" must be a string", key);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(err, errlen, "mail job: \"%s\" contains a NUL byte",
		    key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int
mail_build_json(const struct mail_sender *s, const json_t *job,
    struct mail_out *out, char *err, size_t errlen)
{
	const json_t		*to = json_object_get(job, "to");
	const json_t		*data = json_object_get(job, "data");
	const char		*name, *unsub, *msgid;
	struct mail_addr	 rcpt;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(job) || !json_is_object(to) ||
	    (data != NULL && !json_is_object(data))) {
		snprintf(err, errlen, "mail job: expected {\"template\", "
		    "\"to\": {...}, \"data\": {...}}");
		return -1;
	}
	if (json_str(job, "template", true, &name, err, errlen) ||
	    json_str(job, "unsubscribe_url", false, &unsub, err, errlen) ||
	    json_str(job, "message_id", false, &msgid, err, errlen) ||
	    json_str(to, "address", true, &rcpt.addr, err, errlen) ||
	    json_str(to, "name", false, &rcpt.name, err, errlen))
		return -1;
	return build(s, name, &rcpt, data, unsub, msgid, out, err, errlen);
}
