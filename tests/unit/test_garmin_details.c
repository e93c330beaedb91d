/*
 * garmin/details: Activity Details records into points and laps, then the
 * route, splits and climb a Garmin run gets from them; bad records refused.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/polyline.h"
#include "files/activity_route.h"
#include "garmin/details.h"

#define T0	1764576000LL	/* 2025-12-01 08:00 UTC */

/*
 * A run of dist_m metres in dur_s seconds, a sample every 10 s along a
 * line north, a hill of 30 m, heart rate 140, a lap per km.
 */
static json_t *
record(double dist_m, int dur_s)
{
	json_t	*s = json_array(), *l = json_array();
	int	 t;
	double	 m;

	for (t = 0; t <= dur_s; t += 10) {
		double f = (double)t / dur_s;

		json_array_append_new(s, json_pack("{s:I, s:f, s:f, s:f, s:i,"
		    " s:f}", "startTimeInSeconds", (json_int_t)(T0 + t),
		    "latitudeInDegree", 47.0 + dist_m * f / 111195.0,
		    "longitudeInDegree", 8.0, "elevationInMeters", 400 + 30 *
		    sin(M_PI * f), "heartRate", 140, "totalDistanceInMeters",
		    dist_m * f));
	}
	for (m = 0; m < dist_m; m += 1000)
		json_array_append_new(l, json_pack("{s:I}", "startTimeInSeconds",
		    (json_int_t)(T0 + (int)(dur_s * m / dist_m))));
	return json_pack("{s:s, s:I, s:{s:s, s:I}, s:o, s:o}", "summaryId",
	    "21000000001-detail", "activityId", (json_int_t)21000000001LL,
	    "summary", "activityType", "RUNNING", "startTimeInSeconds",
	    (json_int_t)T0, "samples", s, "laps", l);
}

static json_t *
sample_of(json_t *rec, size_t i)
{
	return json_array_get(json_object_get(rec, "samples"), i);
}

/* Reads rec, expecting a refusal whose message has want. */
static void
refused(json_t *rec, const char *want)
{
	struct garmin_details	 g;
	char			 err[AF_ERR_MAX] = "";

	cr_assert_eq(garmin_details_read(rec, &g, err, sizeof(err)), -1,
	    "accepted, wanted \"%s\"", want);
	cr_assert(strstr(err, want) != NULL, "\"%s\" has no \"%s\"", err, want);
	garmin_details_free(&g);
	json_decref(rec);
}

Test(garmin_details, a_run_becomes_points_laps_route_splits_and_climb)
{
	json_t			*rec = record(5000, 1500);
	struct garmin_details	 g;
	struct run_splits	*sp;
	struct geo_point	*pts;
	char			 err[AF_ERR_MAX];
	arena_t			 ar;
	const char		*line;
	size_t			 n, i;

	cr_assert_eq(garmin_details_read(rec, &g, err, sizeof(err)), 0, "%s",
	    err);
	cr_assert_str_eq(g.summary_id, "21000000001");
	cr_assert_lt(g.elevation_gain, 0);
	cr_assert_eq(g.act.npoints, 151);
	cr_assert_eq(g.act.start_time, T0);
	cr_assert_float_eq(g.act.distance_m, 5000, 0.5);
	cr_assert_float_eq(g.act.elapsed_s, 1500, 0.5);
	cr_assert_eq(g.act.avg_hr, 140);
	cr_assert_eq(g.act.nlaps, 5);
	for (i = 0; i < 5; i++) {
		cr_assert_float_eq(g.act.laps[i].distance_m, 1000, 0.5, "lap %zu",
		    i);
		cr_assert_float_eq(g.act.laps[i].elapsed_s, 300, 0.5);
		cr_assert_eq(g.act.laps[i].avg_hr, 140);
	}
	/* The hill: 30 m up (hysteresis of 3 m keeps a little off). */
	cr_assert(af_climb_m(&g.act) > 26 && af_climb_m(&g.act) <= 30.01,
	    "%g", af_climb_m(&g.act));
	arena_init(&ar);
	sp = af_run_splits(&ar, &g.act);
	cr_assert_eq(sp->nlaps, 5);
	cr_assert_eq(sp->nmetric, 5);
	cr_assert_eq(sp->nstandard, 4);	/* 3 miles and 0.107 of one */
	cr_assert_eq(sp->metric[0].moving_s, 300);
	cr_assert_float_eq(sp->metric[0].average_hr, 140, 0.01);
	line = af_route_polyline(&ar, &g.act);
	cr_assert_not_null(line);
	cr_assert(polyline_decode(line, strlen(line), &pts, &n));
	cr_assert_eq(n, 151);
	cr_assert_float_eq(pts[0].lat, 47.0, 1e-5);
	free(pts);
	arena_free(&ar);
	garmin_details_free(&g);
	json_decref(rec);
}

Test(garmin_details, the_summary_id_and_its_climb)
{
	json_t			*rec = record(3000, 900);
	struct garmin_details	 g;
	char			 err[AF_ERR_MAX], buf[GARMIN_DETAILS_ID_MAX];

	/* No "-detail": summary.summaryId names the activity. */
	json_object_set_new(rec, "summaryId", json_string("abc"));
	cr_assert_null(garmin_details_summary_id(rec, buf));
	json_object_set_new(json_object_get(rec, "summary"), "summaryId",
	    json_string("777"));
	json_object_set_new(json_object_get(rec, "summary"),
	    "totalElevationGainInMeters", json_real(12.5));
	cr_assert_eq(garmin_details_read(rec, &g, err, sizeof(err)), 0, "%s",
	    err);
	cr_assert_str_eq(g.summary_id, "777");
	cr_assert_float_eq(g.elevation_gain, 12.5, 1e-9);
	garmin_details_free(&g);
	json_object_set_new(rec, "summaryId", json_string("-detail"));
	json_object_del(json_object_get(rec, "summary"), "summaryId");
	refused(rec, "no summary id");
}

Test(garmin_details, samples_without_sensors_and_laps_outside)
{
	json_t			*rec = record(2000, 600), *s;
	struct garmin_details	 g;
	char			 err[AF_ERR_MAX];
	size_t			 i;

	/* A treadmill: no position, no elevation; distance only. */
	json_array_foreach(json_object_get(rec, "samples"), i, s) {
		json_object_del(s, "latitudeInDegree");
		json_object_del(s, "longitudeInDegree");
		json_object_del(s, "elevationInMeters");
	}
	/* A lap before the samples and one after them. */
	json_array_insert_new(json_object_get(rec, "laps"), 0, json_pack(
	    "{s:I}", "startTimeInSeconds", (json_int_t)(T0 - 60)));
	json_array_append_new(json_object_get(rec, "laps"), json_pack("{s:I}",
	    "startTimeInSeconds", (json_int_t)(T0 + 3600)));
	cr_assert_eq(garmin_details_read(rec, &g, err, sizeof(err)), 0, "%s",
	    err);
	cr_assert_eq(g.act.nlaps, 2);
	cr_assert_eq(g.act.laps[0].start, T0);
	cr_assert_float_eq(g.act.distance_m, 2000, 0.5);
	cr_assert_lt(af_climb_m(&g.act), 0);
	{
		arena_t ar;

		arena_init(&ar);
		cr_assert_null(af_route_polyline(&ar, &g.act));
		cr_assert_eq(af_run_splits(&ar, &g.act)->nmetric, 2);
		arena_free(&ar);
	}
	garmin_details_free(&g);
	json_decref(rec);
}

Test(garmin_details, impossible_samples_are_refused)
{
	json_t *rec;

	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 5), "latitudeInDegree",
	    json_real(91));
	refused(rec, "not on Earth");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 5), "longitudeInDegree",
	    json_string("NaN"));
	refused(rec, "not on Earth");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 7), "startTimeInSeconds",
	    json_integer(T0));
	refused(rec, "the time goes back");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 7), "totalDistanceInMeters",
	    json_real(1e9));
	refused(rec, "impossible distance");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 7), "totalDistanceInMeters",
	    json_real(1.0));
	refused(rec, "the distance goes back");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 3), "heartRate", json_real(1e300));
	refused(rec, "heart rate");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 3), "elevationInMeters",
	    json_real(-1e12));
	refused(rec, "elevation");
	rec = record(3000, 900);
	json_object_set_new(sample_of(rec, 0), "startTimeInSeconds",
	    json_integer(253402300799LL));	/* 9999-12-31 */
	refused(rec, "out of range");
	rec = record(3000, 900);
	json_object_del(sample_of(rec, 4), "startTimeInSeconds");
	refused(rec, "no time");
	rec = record(3000, 900);
	json_array_append_new(json_object_get(rec, "samples"), json_pack(
	    "{s:I}", "startTimeInSeconds", (json_int_t)(T0 + 8 * 86400)));
	refused(rec, "more than a week");
	rec = record(3000, 900);
	json_object_set_new(rec, "samples", json_array());
	refused(rec, "no samples");
	rec = record(3000, 900);
	json_array_append_new(json_object_get(rec, "laps"), json_pack("{s:I}",
	    "startTimeInSeconds", (json_int_t)T0));
	refused(rec, "not after the lap before");
	rec = record(3000, 900);
	json_array_append_new(json_object_get(rec, "samples"), json_integer(3));
	refused(rec, "not an object");
	/* Positions far apart without a distance: the sum is impossible. */
	rec = json_pack("{s:s, s:[{s:I, s:f, s:f}, {s:I, s:f, s:f}, {s:I, s:f,"
	    " s:f}]}", "summaryId", "1-detail", "samples", "startTimeInSeconds",
	    (json_int_t)T0, "latitudeInDegree", 0.0, "longitudeInDegree", 0.0,
	    "startTimeInSeconds", (json_int_t)T0 + 1, "latitudeInDegree", 0.0,
	    "longitudeInDegree", 179.0, "startTimeInSeconds", (json_int_t)T0 + 2,
	    "latitudeInDegree", 0.0, "longitudeInDegree", -2.0);
	refused(rec, "impossible");
}

Test(garmin_details, distances_come_from_one_source)
{
	json_t			*rec = record(1000, 300);
	struct garmin_details	 g;
	struct split_input	 sp[4];
	char			 err[AF_ERR_MAX];

	/* A sample without a distance, its position 3,000 km off: the
	 * fuzzer's find.  It takes the distance before it. */
	json_object_del(sample_of(rec, 10), "totalDistanceInMeters");
	json_object_set_new(sample_of(rec, 10), "latitudeInDegree",
	    json_real(76.0));
	cr_assert_eq(garmin_details_read(rec, &g, err, sizeof(err)), 0, "%s",
	    err);
	cr_assert_float_eq(g.act.points[10].distance_m,
	    g.act.points[9].distance_m, 1e-9);
	cr_assert_eq(af_splits(&g.act, 1000, sp, 4), 1);
	cr_assert_float_eq(sp[0].distance_m, 1000, 0.5);
	garmin_details_free(&g);
	json_decref(rec);
}
