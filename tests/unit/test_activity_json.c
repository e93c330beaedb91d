/*
 * Tests for strava/activity_json: the stored columns from summary and
 * detailed activities, the start_date_local quirk, and validation.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/buf.h"
#include "strava/activity_json.h"

/* Shaped like Strava's documented SummaryActivity, upload_id included. */
static const char summary_json[] =
    "{\"resource_state\":2,\"athlete\":{\"id\":134815,\"resource_state\":1},"
    "\"name\":\"Evening Run\",\"distance\":10012.6,\"moving_time\":3011,"
    "\"elapsed_time\":3100,\"total_elevation_gain\":42.5,\"type\":\"Run\","
    "\"sport_type\":\"TrailRun\",\"workout_type\":null,"
    "\"id\":154504250376823,\"external_id\":\"garmin_push_123\","
    "\"upload_id\":987654321234567891234,"
    "\"start_date\":\"2024-05-15T05:30:00Z\","
    "\"start_date_local\":\"2024-05-14T22:30:00Z\","
    "\"timezone\":\"(GMT-07:00) America/Los_Angeles\",\"utc_offset\":-25200,"
    "\"start_latlng\":[37.8,-122.4],\"map\":{\"id\":\"a12345\","
    "\"summary_polyline\":\"ki{eFvqfiVqAWQ]\",\"resource_state\":2},"
    "\"trainer\":false,\"commute\":false,\"manual\":false,\"private\":true,"
    "\"flagged\":false,\"average_speed\":3.325,\"max_speed\":5.1,"
    "\"has_heartrate\":true,\"average_heartrate\":151.2}";

Test(activity_json, summary_columns)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];

	cr_assert(activity_parse(summary_json, sizeof(summary_json) - 1, &a,
	    err), "%s", err);
	cr_expect_eq(a.id, 154504250376823LL);
	cr_expect_str_eq(a.name, "Evening Run");
	cr_expect_str_eq(a.sport_type, "TrailRun");
	cr_expect_eq(a.distance_m, 10013);
	cr_expect_eq(a.moving_time_s, 3011);
	cr_expect_eq(a.elapsed_time_s, 3100);
	cr_expect_float_eq(a.average_speed, 3.325, 1e-9);
	cr_expect(a.has_heartrate);
	cr_expect_float_eq(a.average_heartrate, 151.2, 1e-9);
	cr_expect(a.has_elevation);
	cr_expect_float_eq(a.total_elevation_gain, 42.5, 1e-9);
	cr_expect_str_eq(a.timezone, "(GMT-07:00) America/Los_Angeles");
	cr_expect(!a.manual);
	cr_expect(a.is_private);
	cr_expect_str_eq(a.summary_polyline, "ki{eFvqfiVqAWQ]");
	activity_free(&a);
}

/* A 22:30 run in California is on the 14th locally, the 15th in UTC. */
Test(activity_json, late_evening_keeps_local_date)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];

	cr_assert(activity_parse(summary_json, sizeof(summary_json) - 1, &a,
	    err), "%s", err);
	cr_expect_eq(a.local_date, date_from_ymd(2024, 5, 14));
	cr_expect_str_eq(a.start_local, "2024-05-14 22:30:00");
	/* 2024-05-15T05:30:00Z */
	cr_expect_eq(a.start_epoch, 1715751000LL);
	cr_expect_eq(a.start_epoch / 86400, date_from_ymd(2024, 5, 15));
	activity_free(&a);
}

static bool
parse(const char *json, struct strava_activity *a, char *err)
{
	return activity_parse(json, strlen(json), a, err);
}

/* The minimal valid activity with one member replaced or added. */
static char *
minimal(const char *extra)
{
	buf_t b = BUF_INIT;

	buf_printf(&b, "{\"id\":12,\"name\":\"Run\",\"type\":\"Run\","
	    "\"distance\":5000,\"moving_time\":1500,\"elapsed_time\":1600,"
	    "\"start_date\":\"2024-01-01T07:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T08:00:00Z\"%s%s}",
	    extra ? "," : "", extra ? extra : "");
	return b.data;
}

static void
refused(const char *extra, const char *want)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];
	char *json = minimal(extra);

	cr_expect(!parse(json, &a, err), "accepted %s", json);
	cr_expect(strstr(err, want) != NULL, "error [%s] lacks [%s]", err,
	    want);
	cr_expect_null(a.summary_polyline);
	activity_free(&a);
	free(json);
}

Test(activity_json, minimal_defaults_and_type_fallback)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];
	char *json = minimal(NULL);

	cr_assert(parse(json, &a, err), "%s", err);
	cr_expect_str_eq(a.sport_type, "Run");	/* from "type" */
	cr_expect_eq(a.distance_m, 5000);
	cr_expect(!a.has_heartrate && !a.has_elevation);
	cr_expect_eq(a.average_speed, 0);
	cr_expect_str_eq(a.timezone, "");
	cr_expect_null(a.summary_polyline);
	cr_expect(!a.manual && !a.is_private);
	activity_free(&a);
	free(json);

	/* null is "absent" for the optional members. */
	json = minimal("\"average_heartrate\":null,\"map\":{\"summary_polyline\""
	    ":null},\"manual\":true,\"timezone\":null,\"sport_type\":null");
	cr_assert(parse(json, &a, err), "%s", err);
	cr_expect(!a.has_heartrate);
	cr_expect(a.manual);
	cr_expect_null(a.summary_polyline);
	cr_expect_str_eq(a.sport_type, "Run");
	activity_free(&a);
	free(json);

	json = minimal("\"name\":\"dup\"");	/* duplicate key */
	cr_expect(!parse(json, &a, err));
	free(json);
}

Test(activity_json, distance_rounding)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];
	const char *cases[][2] = {
		{ "{\"distance\":0.4}", "0" }, { "{\"distance\":0.5}", "1" },
		{ "{\"distance\":9999.5}", "10000" },
		{ "{\"distance\":12}", "12" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_t b = BUF_INIT;
		char *json;

		/* Build with the distance replaced. */
		buf_puts(&b, "{\"id\":1,\"type\":\"Run\",\"moving_time\":1,"
		    "\"elapsed_time\":1,\"start_date\":\"2024-01-01T00:00:00Z\","
		    "\"start_date_local\":\"2024-01-01T00:00:00Z\",");
		buf_puts(&b, cases[i][0] + 1);
		json = b.data;
		cr_assert(parse(json, &a, err), "%s: %s", json, err);
		cr_expect_eq(a.distance_m, atoll(cases[i][1]), "%s", json);
		activity_free(&a);
		free(json);
	}
}

Test(activity_json, name_truncated_on_utf8_boundary)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];
	buf_t name = BUF_INIT;
	char *json;
	int i;

	/* 254 ASCII bytes then "é": byte 255 would split the é. */
	for (i = 0; i < 254; i++)
		buf_putc(&name, 'n');
	buf_puts(&name, "\xc3\xa9xyz");
	json = minimal(NULL);
	/* Replace the short name by the long one. */
	{
		buf_t b = BUF_INIT;
		char *at = strstr(json, "\"name\":\"Run\"");

		buf_add(&b, json, (size_t)(at - json));
		buf_printf(&b, "\"name\":\"%s\"", name.data);
		buf_puts(&b, at + strlen("\"name\":\"Run\""));
		free(json);
		json = b.data;
	}
	cr_assert(parse(json, &a, err), "%s", err);
	cr_expect_eq(strlen(a.name), 254);
	cr_expect_eq(strspn(a.name, "n"), 254);
	activity_free(&a);
	free(json);
	buf_free(&name);
}

Test(activity_json, validation_errors)
{
	refused("\"sport_type\":5", "sport_type");
	refused("\"sport_type\":\"Run; DROP\"", "sport_type");
	refused("\"average_speed\":\"fast\"", "average_speed: must be a number");
	refused("\"average_speed\":-1", "average_speed: out of range");
	refused("\"average_heartrate\":1000", "average_heartrate");
	refused("\"total_elevation_gain\":-3", "total_elevation_gain");
	refused("\"manual\":\"yes\"", "manual");
	refused("\"private\":1", "private");
	refused("\"timezone\":7", "timezone");
	refused("\"map\":[]", "map");
	refused("\"map\":{\"summary_polyline\":\"ab\\ncd\"}",
	    "map.summary_polyline");
}

static void
refused_json(const char *json, const char *want)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];

	cr_expect(!parse(json, &a, err), "accepted %s", json);
	cr_expect(strstr(err, want) != NULL, "error [%s] lacks [%s]", err,
	    want);
	activity_free(&a);
}

Test(activity_json, required_fields_and_formats)
{
	const char *tail = "\"type\":\"Run\",\"distance\":1,\"moving_time\":1,"
	    "\"elapsed_time\":1,\"start_date\":\"2024-01-01T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T00:00:00Z\"}";
	buf_t b = BUF_INIT;

	buf_printf(&b, "{%s", tail);
	refused_json(b.data, "id: missing");
	buf_reset(&b);
	buf_printf(&b, "{\"id\":1.5,%s", tail);
	refused_json(b.data, "id: must be an integer");
	buf_reset(&b);
	buf_printf(&b, "{\"id\":-4,%s", tail);
	refused_json(b.data, "id: out of range");
	buf_free(&b);

	refused_json("{\"id\":1,\"distance\":1,\"moving_time\":1,"
	    "\"elapsed_time\":1,\"start_date\":\"2024-01-01T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T00:00:00Z\"}", "type");
	refused_json("{\"id\":1,\"type\":\"Run\",\"moving_time\":1,"
	    "\"elapsed_time\":1,\"start_date\":\"2024-01-01T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T00:00:00Z\"}",
	    "distance: missing");
	refused_json("{\"id\":1,\"type\":\"Run\",\"distance\":1,"
	    "\"moving_time\":1.5,\"elapsed_time\":1,"
	    "\"start_date\":\"2024-01-01T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T00:00:00Z\"}", "moving_time");
	refused_json("{\"id\":1,\"type\":\"Run\",\"distance\":1,"
	    "\"moving_time\":1,\"elapsed_time\":99999999,"
	    "\"start_date\":\"2024-01-01T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T00:00:00Z\"}", "elapsed_time");
	refused_json("{\"id\":1,\"type\":\"Run\",\"distance\":1,"
	    "\"moving_time\":1,\"elapsed_time\":1,"
	    "\"start_date\":\"2024-02-30T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01T00:00:00Z\"}", "start_date:");
	refused_json("{\"id\":1,\"type\":\"Run\",\"distance\":1,"
	    "\"moving_time\":1,\"elapsed_time\":1,"
	    "\"start_date\":\"2024-01-01T00:00:00Z\","
	    "\"start_date_local\":\"2024-01-01 24:00:00\"}",
	    "start_date_local");
	refused_json("[]", "must be a JSON object");
	refused_json("{", "invalid JSON");
}

Test(activity_json, parse_datetime)
{
	date_t d;
	int s;

	cr_expect(activity_parse_datetime("2024-02-29T23:59:59Z", &d, &s));
	cr_expect_eq(d, date_from_ymd(2024, 2, 29));
	cr_expect_eq(s, 86399);
	cr_expect(activity_parse_datetime("2024-02-29T00:00:00", &d, &s));
	cr_expect(!activity_parse_datetime("2024-02-29T00:00:00+01:00", &d, &s));
	cr_expect(!activity_parse_datetime("2024-02-29T00:60:00Z", &d, &s));
	cr_expect(!activity_parse_datetime("2024-02-29 00:00:00Z", &d, &s));
	cr_expect(!activity_parse_datetime("", &d, &s));
}

Test(activity_json, list_skips_bad_elements)
{
	struct activity_list l;
	char err[ACTIVITY_ERR_MAX];
	char *good = minimal(NULL);
	buf_t b = BUF_INIT;

	buf_printf(&b, "[%s,{\"id\":\"x\"},%s,7]", good, summary_json);
	cr_assert(activity_list_parse(b.data, b.len, &l, err), "%s", err);
	cr_expect_eq(l.n, 2);
	cr_expect_eq(l.nbad, 2);
	cr_expect(strstr(l.first_err, "id") != NULL);
	cr_expect_eq(l.items[0].id, 12);
	cr_expect_eq(l.items[1].id, 154504250376823LL);
	activity_list_free(&l);

	cr_expect(!activity_list_parse("{}", 2, &l, err));
	cr_expect(strstr(err, "array") != NULL);
	activity_list_free(&l);
	cr_expect(activity_list_parse("[]", 2, &l, err));
	cr_expect_eq(l.n, 0);
	activity_list_free(&l);
	buf_free(&b);
	free(good);
}

/* A detailed activity's laps and splits, shaped like Strava's DetailedActivity. */
static const char detailed_json[] =
    "{\"resource_state\":3,\"athlete\":{\"id\":1},\"name\":\"Track\","
    "\"distance\":4100.0,\"moving_time\":1140,\"elapsed_time\":1200,"
    "\"sport_type\":\"Run\",\"id\":77,\"start_date\":\"2024-05-15T05:30:00Z\","
    "\"start_date_local\":\"2024-05-15T07:30:00Z\",\"timezone\":\"\","
    "\"laps\":[{\"id\":1,\"name\":\"Lap 1\",\"distance\":2000.0,"
    "\"moving_time\":600,\"elapsed_time\":610,\"average_heartrate\":140.5,"
    "\"total_elevation_gain\":3.2,\"lap_index\":1},"
    "{\"id\":2,\"name\":\"Lap 2\",\"distance\":2100,\"moving_time\":540,"
    "\"elapsed_time\":590,\"lap_index\":2}],"
    "\"splits_metric\":[{\"distance\":1000.3,\"elapsed_time\":300,"
    "\"elevation_difference\":-1.5,\"moving_time\":295,\"split\":1,"
    "\"average_speed\":3.39,\"average_heartrate\":150.1,\"pace_zone\":2},"
    "{\"distance\":3099.7,\"elapsed_time\":900,\"elevation_difference\":2,"
    "\"moving_time\":845,\"split\":2}],"
    "\"splits_standard\":[{\"distance\":1609.3,\"moving_time\":480,"
    "\"split\":1},{\"distance\":\"a mile\",\"moving_time\":480}]}";

Test(activity_json, laps_and_splits_of_a_detailed_activity)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];

	cr_assert(activity_parse(detailed_json, sizeof(detailed_json) - 1, &a,
	    err), "%s", err);
	cr_assert_eq(a.splits.nlaps, 2);
	cr_expect_float_eq(a.splits.laps[0].distance_m, 2000, 1e-9);
	cr_expect_eq(a.splits.laps[0].moving_s, 600);
	cr_expect_float_eq(a.splits.laps[0].average_hr, 140.5, 1e-9);
	cr_expect(a.splits.laps[0].has_elevation);
	cr_expect_float_eq(a.splits.laps[0].elevation_m, 3.2, 1e-9);
	cr_expect_float_eq(a.splits.laps[1].average_hr, 0, 1e-9);
	cr_expect_not(a.splits.laps[1].has_elevation);
	cr_assert_eq(a.splits.nmetric, 2);
	cr_expect_float_eq(a.splits.metric[0].elevation_m, -1.5, 1e-9);
	cr_expect_eq(a.splits.metric[1].moving_s, 845);
	/* A malformed element leaves its array out, never the activity. */
	cr_expect_eq(a.splits.nstandard, 0);
	cr_expect_null(a.splits.standard);
	activity_free(&a);
	cr_expect_eq(a.splits.nlaps, 0);
	cr_expect_null(a.splits.laps);
}

Test(activity_json, a_summary_has_no_laps)
{
	struct strava_activity a;
	char err[ACTIVITY_ERR_MAX];

	cr_assert(activity_parse(summary_json, sizeof(summary_json) - 1, &a,
	    err), "%s", err);
	cr_expect_eq(a.splits.nlaps + a.splits.nmetric + a.splits.nstandard, 0);
	activity_free(&a);
}
