/*
 * Tests for strava/webhook_event: Strava's documented bodies parse, and
 * every kind of malformed body is refused with a message naming the field.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/buf.h"
#include "strava/webhook_event.h"

static bool
parse(const char *body, struct webhook_event *ev, char *err)
{
	return webhook_event_parse(body, strlen(body), ev, err);
}

/* Expects a failure whose message contains want. */
static void
refused(const char *body, const char *want)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	cr_expect(!parse(body, &ev, err), "accepted: %s", body);
	cr_expect(strstr(err, want) != NULL, "error [%s] lacks [%s] for %s",
	    err, want, body);
	webhook_event_free(&ev);
}

Test(webhook_event, activity_update_from_docs)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	cr_assert(parse("{\"aspect_type\":\"update\",\"event_time\":1516126040,"
	    "\"object_id\":1360128428,\"object_type\":\"activity\","
	    "\"owner_id\":134815,\"subscription_id\":120475,"
	    "\"updates\":{\"title\":\"Messy\",\"type\":\"Run\"}}", &ev, err),
	    "%s", err);
	cr_expect_eq(ev.object_type, WEBHOOK_ACTIVITY);
	cr_expect_eq(ev.aspect_type, WEBHOOK_UPDATE);
	cr_expect_eq(ev.object_id, 1360128428);
	cr_expect_eq(ev.owner_id, 134815);
	cr_expect_eq(ev.subscription_id, 120475);
	cr_expect_eq(ev.event_time, 1516126040);
	cr_expect_eq(ev.nupdates, 2);
	cr_expect_str_eq(webhook_event_update(&ev, "title"), "Messy");
	cr_expect_str_eq(webhook_event_update(&ev, "type"), "Run");
	cr_expect_null(webhook_event_update(&ev, "private"));
	cr_expect(!ev.deauthorized);
	webhook_event_free(&ev);
}

Test(webhook_event, create_without_updates_and_extra_keys)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	cr_assert(parse("{\"object_type\":\"activity\",\"object_id\":9876543210,"
	    "\"aspect_type\":\"create\",\"owner_id\":1,\"subscription_id\":2,"
	    "\"event_time\":3,\"something_new\":[1,{\"x\":null}]}", &ev, err),
	    "%s", err);
	cr_expect_eq(ev.aspect_type, WEBHOOK_CREATE);
	cr_expect_eq(ev.object_id, 9876543210LL);
	cr_expect_eq(ev.nupdates, 0);
	webhook_event_free(&ev);

	cr_assert(parse("{\"object_type\":\"activity\",\"object_id\":5,"
	    "\"aspect_type\":\"delete\",\"owner_id\":1,\"subscription_id\":2,"
	    "\"event_time\":3,\"updates\":{}}", &ev, err), "%s", err);
	cr_expect_eq(ev.aspect_type, WEBHOOK_DELETE);
	webhook_event_free(&ev);
}

Test(webhook_event, athlete_deauthorization)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	cr_assert(parse("{\"aspect_type\":\"update\",\"event_time\":1516126040,"
	    "\"object_id\":134815,\"object_type\":\"athlete\","
	    "\"owner_id\":134815,\"subscription_id\":120475,"
	    "\"updates\":{\"authorized\":\"false\"}}", &ev, err), "%s", err);
	cr_expect_eq(ev.object_type, WEBHOOK_ATHLETE);
	cr_expect(ev.deauthorized);
	webhook_event_free(&ev);

	/* The same update on an activity is not a deauthorization. */
	cr_assert(parse("{\"aspect_type\":\"update\",\"event_time\":1,"
	    "\"object_id\":2,\"object_type\":\"activity\",\"owner_id\":3,"
	    "\"subscription_id\":4,\"updates\":{\"authorized\":\"false\"}}",
	    &ev, err), "%s", err);
	cr_expect(!ev.deauthorized);
	webhook_event_free(&ev);

	cr_assert(parse("{\"aspect_type\":\"update\",\"event_time\":1,"
	    "\"object_id\":2,\"object_type\":\"athlete\",\"owner_id\":3,"
	    "\"subscription_id\":4,\"updates\":{\"authorized\":\"true\"}}",
	    &ev, err), "%s", err);
	cr_expect(!ev.deauthorized);
	webhook_event_free(&ev);
}


/* A valid body with one member replaced (or dropped when value is NULL). */
static char *
body_with(const char *key, const char *value)
{
	static const char *keys[] = {
		"object_type", "object_id", "aspect_type", "updates",
		"owner_id", "subscription_id", "event_time"
	};
	static const char *vals[] = {
		"\"activity\"", "42", "\"update\"", "{\"title\":\"x\"}",
		"7", "8", "1700000000"
	};
	buf_t b = BUF_INIT;
	size_t i;
	int n = 0;

	buf_putc(&b, '{');
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = strcmp(keys[i], key) == 0 ? value : vals[i];

		if (v == NULL)
			continue;
		buf_printf(&b, "%s\"%s\":%s", n++ ? "," : "", keys[i], v);
	}
	buf_putc(&b, '}');
	return b.data;
}

static void
refused_with(const char *key, const char *value, const char *want)
{
	char *body = body_with(key, value);

	refused(body, want);
	free(body);
}

Test(webhook_event, baseline_body_is_valid)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];
	char *body = body_with("", NULL);

	cr_expect(parse(body, &ev, err), "%s", err);
	webhook_event_free(&ev);
	free(body);
}

Test(webhook_event, missing_fields)
{
	refused_with("object_type", NULL, "object_type: missing");
	refused_with("object_id", NULL, "object_id: missing");
	refused_with("aspect_type", NULL, "aspect_type: missing");
	refused_with("owner_id", NULL, "owner_id: missing");
	refused_with("subscription_id", NULL, "subscription_id: missing");
	refused_with("event_time", NULL, "event_time: missing");
}

Test(webhook_event, wrong_types_and_values)
{
	refused_with("object_id", "42.0", "object_id: must be a positive");
	refused_with("object_id", "\"42.0\"", "object_id");
	refused_with("object_id", "0", "object_id");
	refused_with("object_id", "\"0\"", "object_id");
	refused_with("object_id", "\"\"", "object_id");
	refused_with("object_id", "\"-42\"", "object_id");
	refused_with("object_id", "\" 42\"", "object_id");
	refused_with("object_id", "\"+42\"", "object_id");
	refused_with("object_id", "\"42x\"", "object_id");
	refused_with("owner_id", "\"99999999999999999999\"", "owner_id");
	refused_with("subscription_id", "[8]", "subscription_id");
	refused_with("owner_id", "-7", "owner_id");
	refused_with("subscription_id", "true", "subscription_id");
	refused_with("event_time", "1.7e9", "event_time");
	refused_with("event_time", "null", "event_time");
	refused_with("object_id", "99999999999999999999", "invalid JSON");
	refused_with("object_type", "\"segment\"", "object_type: must be");
	refused_with("object_type", "\"Activity\"", "object_type");
	refused_with("aspect_type", "\"remove\"", "aspect_type: must be");
	refused_with("aspect_type", "1", "aspect_type");
	refused_with("updates", "[]", "updates: must be an object");
	refused_with("updates", "\"title\"", "updates: must be an object");
}

Test(webhook_event, malformed_bodies)
{
	refused("", "invalid JSON");
	refused("[1,2]", "must be a JSON object");
	refused("{\"object_type\":\"activity\"", "invalid JSON");
	refused("{\"a\":1,\"a\":2}", "invalid JSON");	/* duplicate keys */
	refused("{\"x\":\"\\u0000\"}", "invalid JSON");
	refused("{\"x\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}", "nested deeper");
	/* Brackets inside strings do not count as nesting. */
	refused("{\"x\":\"[[[[[[\",\"object_type\":1}", "object_type");
}

Test(webhook_event, body_size_limit)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];
	buf_t b = BUF_INIT;
	char *base = body_with("", NULL);

	/* Padding in an extra key, up to exactly the limit: accepted. */
	buf_puts(&b, base);
	b.len--;			/* drop the closing brace */
	buf_puts(&b, ",\"pad\":\"");
	while (b.len < WEBHOOK_MAX_BODY - 2)
		buf_putc(&b, 'x');
	buf_puts(&b, "\"}");
	cr_assert_eq(b.len, WEBHOOK_MAX_BODY);
	cr_expect(webhook_event_parse(b.data, b.len, &ev, err), "%s", err);
	webhook_event_free(&ev);
	buf_putc(&b, ' ');
	cr_expect(!webhook_event_parse(b.data, b.len, &ev, err));
	cr_expect(strstr(err, "larger than") != NULL);
	buf_free(&b);
	free(base);
}

Test(webhook_event, too_many_updates)
{
	buf_t u = BUF_INIT;
	int i;

	buf_putc(&u, '{');
	for (i = 0; i <= WEBHOOK_MAX_UPDATES; i++)
		buf_printf(&u, "%s\"k%d\":\"v\"", i ? "," : "", i);
	buf_putc(&u, '}');
	refused_with("updates", u.data, "updates: more than");
	buf_free(&u);
}

Test(webhook_event, names)
{
	cr_expect_str_eq(webhook_object_name(WEBHOOK_ATHLETE), "athlete");
	cr_expect_str_eq(webhook_aspect_name(WEBHOOK_DELETE), "delete");
}

/* ---- leniency: what Strava has been seen to send ------------------------ */

Test(webhook_event, ids_as_strings)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	/* Strava's own example of 2017 quotes subscription_id. */
	cr_assert(parse("{\"subscription_id\":\"120475\",\"owner_id\":"
	    "\"134815\",\"object_id\":\"12000000001\",\"object_type\":"
	    "\"activity\",\"aspect_type\":\"create\",\"event_time\":"
	    "\"1516126040\"}", &ev, err), "%s", err);
	cr_expect_eq(ev.subscription_id, 120475);
	cr_expect_eq(ev.owner_id, 134815);
	cr_expect_eq(ev.object_id, 12000000001LL);
	cr_expect_eq(ev.event_time, 1516126040);
	webhook_event_free(&ev);
}

Test(webhook_event, update_values_as_booleans_and_numbers)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	cr_assert(parse("{\"aspect_type\":\"update\",\"event_time\":1,"
	    "\"object_id\":2,\"object_type\":\"activity\",\"owner_id\":3,"
	    "\"subscription_id\":4,\"updates\":{\"private\":true,"
	    "\"commute\":false,\"title\":\"Hills\",\"gear\":7,"
	    "\"photos\":{\"count\":2},\"tags\":[1],\"x\":null,"
	    "\"ratio\":0.5}}", &ev, err), "%s", err);
	cr_expect_str_eq(webhook_event_update(&ev, "private"), "true");
	cr_expect_str_eq(webhook_event_update(&ev, "commute"), "false");
	cr_expect_str_eq(webhook_event_update(&ev, "title"), "Hills");
	cr_expect_str_eq(webhook_event_update(&ev, "gear"), "7");
	/* Values of no use are skipped like unknown keys. */
	cr_expect_null(webhook_event_update(&ev, "photos"));
	cr_expect_null(webhook_event_update(&ev, "tags"));
	cr_expect_null(webhook_event_update(&ev, "x"));
	cr_expect_null(webhook_event_update(&ev, "ratio"));
	cr_expect_eq(ev.nupdates, 4);
	webhook_event_free(&ev);

	/* A boolean "authorized": false still deauthorizes. */
	cr_assert(parse("{\"aspect_type\":\"update\",\"event_time\":1,"
	    "\"object_id\":3,\"object_type\":\"athlete\",\"owner_id\":3,"
	    "\"subscription_id\":4,\"updates\":{\"authorized\":false}}",
	    &ev, err), "%s", err);
	cr_expect(ev.deauthorized);
	webhook_event_free(&ev);
}

Test(webhook_event, update_without_updates_means_fetch_again)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];
	char *body = body_with("updates", NULL);

	cr_assert(parse(body, &ev, err), "%s", err);
	cr_expect_eq(ev.aspect_type, WEBHOOK_UPDATE);
	cr_expect_eq(ev.nupdates, 0);
	webhook_event_free(&ev);
	free(body);
	body = body_with("updates", "null");
	cr_assert(parse(body, &ev, err), "%s", err);
	cr_expect_eq(ev.nupdates, 0);
	webhook_event_free(&ev);
	free(body);
}

Test(webhook_event, unknown_fields_are_ignored_also_nested)
{
	struct webhook_event ev;
	char err[WEBHOOK_ERR_MAX];

	cr_assert(parse("{\"aspect_type\":\"create\",\"event_time\":1,"
	    "\"object_id\":2,\"object_type\":\"activity\",\"owner_id\":3,"
	    "\"subscription_id\":4,\"meta\":{\"trace\":{\"hops\":[[1,2],"
	    "{\"a\":{\"b\":[true]}}]}},\"sport_type\":\"Run\","
	    "\"n\":1.5e3}", &ev, err), "%s", err);
	cr_expect_eq(ev.object_id, 2);
	webhook_event_free(&ev);
}
