/*
 * Uploading runs from files (POST /activities/upload, issue 17) through
 * nginx and the pool: FIT, GPX and TCX files stored as activities with
 * laps and a route, matched to the plan like Strava's runs; bad files
 * refused with a message naming the problem, storing nothing; CSRF; one
 * run from several sources stored once (a file twice, a file after
 * Strava, Strava after a file).
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/buf.h"
#include "files/activity_file.h"
#include "files/fit.h"
#include "strava_helpers.h"
#include "web/router.h"

#define LAT0		48.85
#define LON0		2.35
#define M_PER_DEG	111195.0	/* metres per degree of latitude */
#define PACE_S_KM	300		/* 5:00/km */

static struct client *c;

struct runner {
	char	email[128];
	char	user[64];
	char	plan[64];
};

static void
setup(void)
{
	c = client_new();
}

static void
teardown(void)
{
	client_free(c);
}

TestSuite(upload, .init = setup, .fini = teardown, .timeout = 240);

/* A runner with a half-marathon plan that started 21 days ago. */
static void
runner_plan(const char *prefix, struct runner *rn)
{
	struct http_resp	r;
	char			form[1024], race[16];

	client_signup(c, prefix, rn->email);
	snprintf(rn->user, sizeof(rn->user), "%s", db_value("SELECT id FROM"
	    " users WHERE email = '%s'", rn->email));
	/* db_value's buffer is static: one call per string. */
	snprintf(race, sizeof(race), "%s", db_value("SELECT (current_date +"
	    " 58)::text"));
	snprintf(form, sizeof(form), "name=Mine&race_name=Half&race_distance="
	    "21097&race_date=%s&start_date=%s&runs_per_week=4&long_run_day=sun"
	    "&weekly_distance=40&longest_run=14&recent_race_distance=10000"
	    "&recent_race_time=50:00", race,
	    db_value("SELECT (current_date - 21)::text"));
	cr_assert_eq(client_post(c, "/plans/new", form, &r), 303,
	    "plan: %ld %.300s", r.status, strstr(buf_cstr(&r.body),
	    "field-error\"") ? strstr(buf_cstr(&r.body), "field-error\"") : "");
	resp_done(&r);
	snprintf(rn->plan, sizeof(rn->plan), "%s", db_value("SELECT id FROM"
	    " training_plans WHERE user_id = '%s'", rn->user));
	cr_assert_eq(strlen(rn->plan), 36);
}

struct workout {
	char	id[64];
	int	distance_m;
	int64_t	start;		/* 07:00 on its day, the runner's time */
};

/* The k-th newest past workout of the plan (0: the newest). */
static void
past_workout(const struct runner *rn, int k, struct workout *w)
{
	snprintf(w->id, sizeof(w->id), "%s", db_value("SELECT id FROM workouts"
	    " WHERE training_plan_id = '%s' AND scheduled_date < current_date"
	    " - 1 ORDER BY scheduled_date DESC OFFSET %d LIMIT 1", rn->plan, k));
	cr_assert_eq(strlen(w->id), 36, "no past workout %d", k);
	w->distance_m = atoi(db_value("SELECT distance FROM workouts WHERE"
	    " id = '%s'", w->id));
	w->start = strtoll(db_value("SELECT extract(epoch FROM"
	    " (w.scheduled_date + time '07:00') AT TIME ZONE"
	    " COALESCE((SELECT timezone FROM athlete_profiles WHERE user_id ="
	    " '%s'), 'UTC'))::bigint FROM workouts w WHERE w.id = '%s'",
	    rn->user, w->id), NULL, 10);
}

/* Point i of npts along a meridian covering metres from start. */
static void
at(int i, int npts, int metres, int64_t start, double *lat, int64_t *t)
{
	double d = (double)metres * i / (npts - 1);

	*lat = LAT0 + d / M_PER_DEG;
	*t = start + (int64_t)llround(d * PACE_S_KM / 1000.0);
}

static void
make_gpx(buf_t *b, int64_t start, int metres, int npts)
{
	char	ts[40];
	double	lat;
	int64_t	t;
	int	i;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx "
	    "version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com"
	    "/GPX/1/1\"><trk><type>running</type><trkseg>\n");
	for (i = 0; i < npts; i++) {
		at(i, npts, metres, start, &lat, &t);
		af_format_time(ts, sizeof(ts), t);
		/* One 60 m hill, up and down again. */
		buf_printf(b, "<trkpt lat=\"%.7f\" lon=\"%.7f\"><ele>%.1f</ele>"
		    "<time>%s</time></trkpt>\n", lat, LON0,
		    50 + 60 * sin(M_PI * i / (npts - 1)), ts);
	}
	buf_puts(b, "</trkseg></trk></gpx>\n");
}

/* Two laps, each half the distance. */
static void
make_tcx(buf_t *b, int64_t start, int metres, int npts)
{
	char	ts[40];
	double	lat;
	int64_t	t;
	int	i, lap;

	buf_puts(b, "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns="
	    "\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">"
	    "<Activities><Activity Sport=\"Running\">");
	af_format_time(ts, sizeof(ts), start);
	buf_printf(b, "<Id>%s</Id>", ts);
	for (lap = 0; lap < 2; lap++) {
		at(lap * (npts / 2), npts, metres, start, &lat, &t);
		af_format_time(ts, sizeof(ts), t);
		buf_printf(b, "<Lap StartTime=\"%s\"><TotalTimeSeconds>%d"
		    "</TotalTimeSeconds><DistanceMeters>%d</DistanceMeters>"
		    "<Track>", ts, metres / 2 * PACE_S_KM / 1000, metres / 2);
		for (i = lap * (npts / 2); i < (lap + 1) * (npts / 2); i++) {
			at(i, npts, metres, start, &lat, &t);
			af_format_time(ts, sizeof(ts), t);
			buf_printf(b, "<Trackpoint><Time>%s</Time><Position>"
			    "<LatitudeDegrees>%.7f</LatitudeDegrees>"
			    "<LongitudeDegrees>%.7f</LongitudeDegrees></Position>"
			    "</Trackpoint>", ts, lat, LON0);
		}
		buf_puts(b, "</Track></Lap>");
	}
	buf_puts(b, "</Activity></Activities></TrainingCenterDatabase>\n");
}

static void
p8(buf_t *b, unsigned v)
{
	buf_putc(b, (int)(v & 0xFF));
}

static void
p16(buf_t *b, unsigned v)
{
	p8(b, v);
	p8(b, v >> 8);
}

static void
p32(buf_t *b, uint32_t v)
{
	p16(b, v & 0xFFFF);
	p16(b, v >> 16);
}

/* file_id (activity) and records: time, position. */
static void
make_fit(buf_t *out, int64_t start, int metres, int npts)
{
	buf_t	r = BUF_INIT;
	double	lat;
	int64_t	t;
	int	i;

	p8(&r, 0x40); p8(&r, 0); p8(&r, 0); p16(&r, 0); p8(&r, 2);
	p8(&r, 0); p8(&r, 1); p8(&r, 0x00);
	p8(&r, 4); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 0x00); p8(&r, FIT_FILE_ACTIVITY);
	p32(&r, (uint32_t)(start - FIT_EPOCH));
	p8(&r, 0x41); p8(&r, 0); p8(&r, 0); p16(&r, 20); p8(&r, 3);
	p8(&r, 253); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 0); p8(&r, 4); p8(&r, 0x85);
	p8(&r, 1); p8(&r, 4); p8(&r, 0x85);
	for (i = 0; i < npts; i++) {
		at(i, npts, metres, start, &lat, &t);
		p8(&r, 0x01);
		p32(&r, (uint32_t)(t - FIT_EPOCH));
		p32(&r, (uint32_t)(int32_t)lround(lat * 2147483648.0 / 180));
		p32(&r, (uint32_t)(int32_t)lround(LON0 * 2147483648.0 / 180));
	}
	p8(out, 14); p8(out, 0x20); p16(out, 2100); p32(out, (uint32_t)r.len);
	buf_add(out, ".FIT", 4);
	p16(out, fit_crc16(0, out->data, 12));
	buf_add(out, r.data, r.len);
	p16(out, fit_crc16(0, out->data, out->len));
	buf_free(&r);
}

static long
activities_of(const struct runner *rn)
{
	return atol(db_value("SELECT count(*) FROM strava_activities WHERE"
	    " user_id = '%s'", rn->user));
}

/* Uploads n files from a fresh page (and its CSRF token). */
static long
upload(const struct upload_part *parts, size_t n, struct http_resp *r)
{
	struct http_resp g;

	cr_assert_eq(client_get(c, "/activities/upload", &g), 200);
	resp_done(&g);
	return client_post_files(c, "/activities/upload", parts, n, NULL, r);
}

static bool
completes(const char *workout, const char *activity_where)
{
	return strcmp(db_value("SELECT EXISTS (SELECT 1 FROM"
	    " workout_completions c JOIN strava_activities a ON"
	    " a.id = c.strava_activity_id WHERE c.workout_id = '%s' AND %s)",
	    workout, activity_where), "t") == 0;
}

Test(upload, fit_gpx_and_tcx_are_stored_with_laps_and_route_and_matched)
{
	struct runner		rn;
	struct workout		w[3];
	buf_t			gpx = BUF_INIT, fit = BUF_INIT, tcx = BUF_INIT;
	struct http_resp	r;
	char			where[256];
	int			i;

	runner_plan("upload", &rn);
	for (i = 0; i < 3; i++)
		past_workout(&rn, i, &w[i]);
	make_gpx(&gpx, w[0].start, w[0].distance_m, 600);
	make_fit(&fit, w[1].start, w[1].distance_m, 600);
	make_tcx(&tcx, w[2].start, w[2].distance_m, 600);
	{
		struct upload_part parts[] = {
			{ "morning.gpx", gpx.data, gpx.len },
			{ "watch.fit", fit.data, fit.len },
			{ "laps.tcx", tcx.data, tcx.len },
		};

		cr_assert_eq(upload(parts, 3, &r), 200, "%ld %.2000s",
		    r.status, buf_cstr(&r.body));
	}
	cr_assert(resp_has(&r, "data-verdict=\"stored\""));
	resp_done(&r);
	cr_assert_eq(activities_of(&rn), 3);
	cr_assert_str_eq(db_value("SELECT string_agg(file_name || ':' ||"
	    " sport_type, ',' ORDER BY file_name) FROM strava_activities"
	    " WHERE user_id = '%s' AND source = 'file'"
	    " AND strava_activity_id < 0", rn.user),
	    "laps.tcx:Run,morning.gpx:Run,watch.fit:Run");
	/* Each completes its workout, as a Strava run of that day would. */
	for (i = 0; i < 3; i++) {
		snprintf(where, sizeof(where), "a.file_name = '%s'",
		    i == 0 ? "morning.gpx" : i == 1 ? "watch.fit" : "laps.tcx");
		cr_assert(completes(w[i].id, where), "workout %d not matched", i);
		/* Distance within a metre or two of the plan's. */
		cr_assert_lt(abs(atoi(db_value("SELECT distance FROM"
		    " strava_activities WHERE user_id = '%s' AND %s", rn.user,
		    where + 2)) - w[i].distance_m), 3);
	}
	cr_assert_str_eq(db_value("SELECT count(*) FROM activity_laps l JOIN"
	    " strava_activities a ON a.id = l.strava_activity_id WHERE"
	    " a.user_id = '%s' AND a.file_name = 'laps.tcx'", rn.user), "2");
	/* Splits per km and per mile from the points, laps or not. */
	cr_assert_str_eq(db_value("SELECT string_agg(file_name || ':' ||"
	    " (jsonb_array_length(splits -> 'metric') = CASE WHEN distance"
	    " %% 1000 >= 10 THEN ceil(distance / 1000.0) ELSE"
	    " floor(distance / 1000.0) END AND jsonb_array_length(splits ->"
	    " 'standard') >= 1), ',' ORDER BY file_name) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user),
	    "laps.tcx:true,morning.gpx:true,watch.fit:true");
	/* The climb from the GPX's elevations; the test FIT has none. */
	cr_assert_str_eq(db_value("SELECT string_agg(file_name || ':' ||"
	    " COALESCE((total_elevation_gain BETWEEN 57 AND 60)::text,"
	    " 'none'), ',' ORDER BY file_name) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user),
	    "laps.tcx:none,morning.gpx:true,watch.fit:none");
	cr_assert_str_eq(db_value("SELECT bool_and(summary_polyline <> '')"
	    " FROM strava_activities WHERE user_id = '%s'", rn.user), "t");
	/* Its page shows where it came from. */
	cr_assert_eq(client_get(c, db_value("SELECT '/activities/' || id FROM"
	    " strava_activities WHERE user_id = '%s' AND file_name ="
	    " 'watch.fit'", rn.user), &r), 200);
	cr_assert(resp_has(&r, "watch.fit"), "%.3000s", buf_cstr(&r.body));
	resp_done(&r);
	buf_free(&gpx);
	buf_free(&fit);
	buf_free(&tcx);
}

#define LAUGHS	"<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [" \
	"<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">" \
	"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><gpx version=\"1.1\">" \
	"<trk><name>&c;</name></trk></gpx>"

static void
refused(const struct runner *rn, const char *name, const void *data,
    size_t len, long status, const char *message)
{
	struct upload_part	part = { name, data, len };
	struct http_resp	r;

	cr_assert_eq(upload(&part, 1, &r), status, "%s: %ld %.1500s", name,
	    r.status, buf_cstr(&r.body));
	cr_assert(resp_has(&r, name), "%s: not named", name);
	cr_assert(resp_has(&r, message), "%s: no \"%s\" in %.3000s", name,
	    message, buf_cstr(&r.body));
	cr_assert(resp_has(&r, "Nothing was stored"));
	resp_done(&r);
	cr_assert_eq(activities_of(rn), 0, "%s stored something", name);
}

Test(upload, bad_files_are_refused_by_name_and_change_nothing)
{
	struct runner		rn;
	struct workout		w;
	buf_t			b = BUF_INIT, good = BUF_INIT;
	struct http_resp	r;
	char			*big;
	int			i;

	runner_plan("badfiles", &rn);
	past_workout(&rn, 0, &w);
	make_fit(&b, w.start, w.distance_m, 100);
	refused(&rn, "cut.fit", b.data, b.len - 40, 400, "truncated");
	b.data[60] ^= 0x10;
	refused(&rn, "flipped.fit", b.data, b.len, 400, "CRC mismatch");
	refused(&rn, "notes.txt", "just some text\n", 15, 415,
	    "not a FIT, GPX or TCX file");
	refused(&rn, "laughs.gpx", LAUGHS, strlen(LAUGHS), 400, "GPX");
	buf_reset(&b);
	make_gpx(&b, 253402257600LL, 5000, 20);		/* 9999-12-31 */
	refused(&rn, "future.gpx", b.data, b.len, 400, "out of range");
	buf_reset(&b);
	make_gpx(&b, w.start, 100000, AF_MAX_POINTS + 1);
	refused(&rn, "huge.gpx", b.data, b.len, 400, "points");
	/* A good file next to a bad one is not stored either. */
	make_gpx(&good, w.start, w.distance_m, 300);
	{
		struct upload_part parts[] = {
			{ "good.gpx", good.data, good.len },
			{ "bad.fit", "\x0e\x10", 2 },
		};

		cr_assert_eq(upload(parts, 2, &r), 415);
		cr_assert(resp_has(&r, "data-verdict=\"not_stored\""));
		resp_done(&r);
	}
	cr_assert_eq(activities_of(&rn), 0);
	/* Over the per-file limit: 413, named. */
	big = malloc(UPLOAD_MAX_FILE + 1);
	for (i = 0; i < UPLOAD_MAX_FILE + 1; i++)
		big[i] = ' ';
	refused(&rn, "big.gpx", big, UPLOAD_MAX_FILE + 1, 413,
	    "at most");
	free(big);
	buf_free(&b);
	buf_free(&good);
}

Test(upload, a_forged_csrf_token_is_403_and_stores_nothing)
{
	struct runner		rn;
	struct workout		w;
	buf_t			b = BUF_INIT;
	struct http_resp	r;
	struct upload_part	part;

	runner_plan("uploadcsrf", &rn);
	past_workout(&rn, 0, &w);
	make_gpx(&b, w.start, w.distance_m, 100);
	part = (struct upload_part){ "run.gpx", b.data, b.len };
	cr_assert_eq(client_post_files(c, "/activities/upload", &part, 1,
	    "forged", &r), 403);
	resp_done(&r);
	cr_assert_eq(activities_of(&rn), 0);
	buf_free(&b);
}

/* The 10,000-point GPX of a 10 km run: stored, and how long it took. */
Test(upload, a_10000_point_gpx)
{
	struct runner		rn;
	struct workout		w;
	buf_t			b = BUF_INIT;
	struct http_resp	r;
	struct upload_part	part;

	runner_plan("upload10k", &rn);
	past_workout(&rn, 0, &w);
	make_gpx(&b, w.start, 10000, 10000);
	part = (struct upload_part){ "10k.gpx", b.data, b.len };
	cr_assert_eq(upload(&part, 1, &r), 200);
	fprintf(stderr, "upload: a 10,000-point GPX (%zu bytes) answered in "
	    "%.0f ms\n", b.len, r.seconds * 1000);
	resp_done(&r);
	cr_assert_eq(activities_of(&rn), 1);
	buf_free(&b);
}

Test(upload, the_same_file_twice_is_one_activity)
{
	struct runner		rn;
	struct workout		w;
	buf_t			b = BUF_INIT;
	struct http_resp	r;
	struct upload_part	part;

	runner_plan("uploadtwice", &rn);
	past_workout(&rn, 0, &w);
	make_gpx(&b, w.start, w.distance_m, 300);
	part = (struct upload_part){ "once.gpx", b.data, b.len };
	cr_assert_eq(upload(&part, 1, &r), 200);
	resp_done(&r);
	part.filename = "again.gpx";
	cr_assert_eq(upload(&part, 1, &r), 200);
	cr_assert(resp_has(&r, "data-verdict=\"same_run\""));
	resp_done(&r);
	cr_assert_eq(activities_of(&rn), 1);
	cr_assert_str_eq(db_value("SELECT s.detail FROM activity_sources s JOIN"
	    " strava_activities a ON a.id = s.activity_id WHERE a.user_id ="
	    " '%s'", rn.user), "again.gpx");
	buf_free(&b);
}

/*
 * A run Strava delivered, then uploaded from the watch's file (started
 * 40 s later, 2 % longer): still one activity, from Strava, the file
 * listed as another source on its page.
 */
Test(upload, a_file_after_strava_is_one_activity)
{
	struct runner		rn;
	struct http_resp	r;
	struct upload_part	part;
	buf_t			b = BUF_INIT;
	long long		athlete;
	char			id[64];
	long			before;
	int64_t			start;
	int			dist;

	athlete = sb_new_athlete(c, "Filer");
	(void)sb_quiet_activity(c, athlete);
	snprintf(rn.user, sizeof(rn.user), "%s", sb_connect_runner(c,
	    athlete));
	before = activities_of(&rn);
	cr_assert_gt(before, 0);
	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM"
	    " strava_activities WHERE user_id = '%s' AND source = 'strava'"
	    " AND start_date IS NOT NULL AND distance > 1000"
	    " ORDER BY start_date DESC LIMIT 1", rn.user));
	cr_assert_eq(strlen(id), 36);
	start = strtoll(db_value("SELECT extract(epoch FROM start_date AT TIME"
	    " ZONE 'UTC')::bigint FROM strava_activities WHERE id = '%s'", id),
	    NULL, 10);
	dist = atoi(db_value("SELECT distance FROM strava_activities WHERE"
	    " id = '%s'", id));
	make_gpx(&b, start + 40, dist * 102 / 100, 300);
	part = (struct upload_part){ "watch.gpx", b.data, b.len };
	cr_assert_eq(upload(&part, 1, &r), 200, "%.2000s", buf_cstr(&r.body));
	cr_assert(resp_has(&r, "already here from Strava"));
	resp_done(&r);
	cr_assert_eq(activities_of(&rn), before);
	cr_assert_str_eq(db_value("SELECT source || ':' || detail FROM"
	    " activity_sources WHERE activity_id = '%s'", id),
	    "file:watch.gpx");
	cr_assert_eq(client_get(c, db_value("SELECT '/activities/%s'", id),
	    &r), 200);
	cr_assert(resp_has(&r, "watch.gpx"));
	resp_done(&r);
	buf_free(&b);
}

/*
 * A run uploaded first, then stored from Strava (as the importer and the
 * webhook fetch store runs): the Strava row takes its place, keeps its
 * workout, and lists the file.
 */
Test(upload, strava_after_a_file_folds_the_file_in)
{
	struct runner		rn;
	struct workout		w;
	buf_t			b = BUF_INIT;
	struct http_resp	r;
	struct upload_part	part;
	char			id[64];

	runner_plan("uploadfold", &rn);
	past_workout(&rn, 0, &w);
	make_gpx(&b, w.start, w.distance_m, 300);
	part = (struct upload_part){ "first.gpx", b.data, b.len };
	cr_assert_eq(upload(&part, 1, &r), 200);
	resp_done(&r);
	cr_assert(completes(w.id, "a.source = 'file'"));
	snprintf(id, sizeof(id), "%s", db_value("INSERT INTO strava_activities"
	    " (user_id, strava_activity_id, name, sport_type, distance,"
	    "  moving_time, elapsed_time, start_date_local, start_date)"
	    " SELECT user_id, 700000000000 + (random() * 1e10)::bigint,"
	    "  'Morning Run', 'Run', distance + 50, moving_time, elapsed_time,"
	    "  start_date_local + interval '1 minute',"
	    "  start_date + interval '1 minute'"
	    " FROM strava_activities WHERE user_id = '%s' RETURNING id",
	    rn.user));
	cr_assert_eq(strlen(id), 36);
	cr_assert_eq(activities_of(&rn), 1);
	cr_assert_str_eq(db_value("SELECT source FROM strava_activities WHERE"
	    " user_id = '%s'", rn.user), "strava");
	cr_assert(completes(w.id, "a.source = 'strava'"));
	cr_assert_str_eq(db_value("SELECT detail FROM activity_sources WHERE"
	    " activity_id = '%s'", id), "first.gpx");
	buf_free(&b);
}

/*
 * A runner connected to a new sandbox athlete uploads file (10.1 km from
 * 00:05:30 UTC today), then records 10 km from 00:05 in the Strava
 * sandbox, whose webhook event the job worker fetches and stores: the
 * Strava activity's id, once it is there; today's date out.
 */
static long long
file_then_strava_run(const char *athlete_name, const char *file,
    struct runner *rn, char today[16])
{
	struct http_resp	r;
	struct upload_part	part;
	buf_t			b = BUF_INIT;
	long long		athlete, act;
	char			body[256];
	long			st;
	json_t			*j;

	athlete = sb_new_athlete(c, athlete_name);
	snprintf(rn->user, sizeof(rn->user), "%s", sb_connect_runner(c,
	    athlete));
	snprintf(today, 16, "%s", db_value("SELECT (now() AT TIME"
	    " ZONE 'UTC')::date::text"));
	make_gpx(&b, strtoll(db_value("SELECT extract(epoch FROM"
	    " '%s 00:05:30+00'::timestamptz)::bigint", today), NULL, 10),
	    10100, 300);
	part = (struct upload_part){ file, b.data, b.len };
	cr_assert_eq(upload(&part, 1, &r), 200, "%.2000s", buf_cstr(&r.body));
	resp_done(&r);
	buf_free(&b);
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s' AND source = 'file'", rn->user), 1);
	test_subscribe();
	snprintf(body, sizeof(body), "athlete_id=%lld&date=%s&time=00:05"
	    "&timezone=UTC&distance_km=10&duration=52:00&name=Watch%%20run",
	    athlete, today);
	j = sb_call(c, "POST", "/_sandbox/activities", body, false, &st);
	cr_assert_eq(st, 201);
	act = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	cr_assert(wait_true(60, "EXISTS (SELECT 1 FROM strava_activities WHERE"
	    " strava_activity_id = %lld)", act), "the webhook run never came");
	return act;
}

/*
 * The same through the real parts: a run uploaded from the watch's file,
 * then recorded in the Strava sandbox (30 s earlier, 1 % shorter), whose
 * webhook event the job worker fetches and stores: one activity, from
 * Strava, the file listed as its other source.
 */
Test(upload, a_file_then_the_strava_webhook_is_one_activity)
{
	struct runner		rn;
	struct http_resp	r;
	char			today[16];
	long long		act;

	act = file_then_strava_run("Twice", "watch.gpx", &rn, today);
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s' AND start_date::date = '%s'", rn.user,
	    today), 1);
	cr_assert_str_eq(db_value("SELECT s.source || ':' || s.detail FROM"
	    " activity_sources s JOIN strava_activities a ON a.id ="
	    " s.activity_id WHERE a.strava_activity_id = %lld", act),
	    "file:watch.gpx");
	/* Strava goes; the runner's uploaded file does not go with it. */
	cr_assert_eq(client_post(c, "/strava/disconnect", "", &r), 303);
	resp_done(&r);
	cr_assert_str_eq(db_value("SELECT count(*) || ' ' || min(source) ||"
	    " ' ' || min(file_name) || ' ' || bool_and(strava_activity_id < 0)"
	    " FROM strava_activities WHERE user_id = '%s'", rn.user),
	    "1 file watch.gpx true", "the file run is back, under its name");
	cr_assert_eq(db_long_value("SELECT count(*) FROM activity_sources s"
	    " JOIN strava_activities a ON a.id = s.activity_id"
	    " WHERE a.user_id = '%s'", rn.user), 0);
}

/* Posts the run's "Use ...'s record" form for (source, detail). */
static long
use_source(const char *act_id, const char *source, const char *detail)
{
	struct http_resp	r;
	char			path[96], form[512];
	long			st;

	snprintf(path, sizeof(path), "/activities/%s", act_id);
	cr_assert_eq(client_get(c, path, &r), 200);
	resp_done(&r);
	snprintf(path, sizeof(path), "/activities/%s/source", act_id);
	snprintf(form, sizeof(form), "source=%s&detail=%s", source,
	    urlenc(detail));
	st = client_post(c, path, form, &r);
	resp_done(&r);
	return st;
}

/*
 * Issue 17.3: the runner sees which record a run uses and switches it.
 * A watch file uploaded, the same run from Strava's webhook: one run from
 * Strava.  Switched to the file, it stays the file's when Strava sends an
 * edit (the edit lands in Strava's copy), switches back with the edit,
 * and when Strava deletes the run, the file's record stays.  The row, its
 * id and its workout pair never change.
 */
Test(upload, the_runner_switches_the_record_a_run_uses)
{
	struct runner		rn;
	struct http_resp	r;
	long long		act;
	char			today[16], id[64], sid[32], path[96];
	long			st;

	act = file_then_strava_run("Chooser", "my watch.gpx", &rn, today);
	snprintf(sid, sizeof(sid), "%lld", act);
	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM"
	    " strava_activities WHERE strava_activity_id = %lld", act));

	/* The page names both and offers the file's record. */
	snprintf(path, sizeof(path), "/activities/%s", id);
	cr_assert_eq(client_get(c, path, &r), 200);
	cr_assert(resp_has(&r, "Use Uploaded file instead"),
	    "%.1500s", strstr(buf_cstr(&r.body), "sources-title"));
	cr_assert(!resp_has(&r, "Use Strava instead"));
	resp_done(&r);

	/* Nonsense and other runners change nothing. */
	cr_assert_eq(use_source(id, "file", "not-a-copy.gpx"), 404);
	cr_assert_eq(use_source(id, "dropbox", "my watch.gpx"), 400);
	cr_assert_str_eq(db_value("SELECT source FROM strava_activities WHERE"
	    " id = '%s'", id), "strava");

	cr_assert_eq(use_source(id, "file", "my watch.gpx"), 303);
	cr_assert_str_eq(db_value("SELECT source || ' ' || file_name || ' ' ||"
	    " distance || ' ' || source_chosen || ' ' || (strava_activity_id < 0)"
	    " FROM strava_activities WHERE id = '%s'", id),
	    "file my watch.gpx 10100 true true");
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), 1);
	cr_assert_eq(client_get(c, path, &r), 200);
	cr_assert(resp_has(&r, "Use Strava instead"), "the way back is offered");
	resp_done(&r);

	/* Strava edits the run, even its distance by 6 % (so it no longer
	 * looks like the file's run): the edit lands in Strava's copy, and
	 * no second row appears (the review found one: then neither the
	 * switch back nor a disconnect could succeed). */
	snprintf(path, sizeof(path), "/_sandbox/activities/%lld", act);
	json_decref(sb_call(c, "PUT", path, "name=Renamed%20on%20Strava"
	    "&distance_km=10.6", false, &st));
	cr_assert_eq(st, 200);
	cr_assert(wait_true(60, "EXISTS (SELECT 1 FROM activity_sources"
	    " WHERE activity_id = '%s' AND source = 'strava' AND detail = '%s'"
	    " AND snapshot -> 'row' ->> 'name' = 'Renamed on Strava'"
	    " AND snapshot -> 'row' ->> 'distance' = '10600')", id, sid),
	    "Strava's edit never reached its copy");
	cr_assert_str_eq(db_value("SELECT count(*) || ' ' || min(source)"
	    " FROM strava_activities WHERE user_id = '%s'", rn.user),
	    "1 file", "the runner's choice held");

	/* Back to Strava's record, with the edit. */
	cr_assert_eq(use_source(id, "strava", sid), 303);
	cr_assert_str_eq(db_value("SELECT source || ' ' || name || ' ' ||"
	    " distance || ' ' || (strava_activity_id = %lld) FROM"
	    " strava_activities WHERE id = '%s'", act, id),
	    "strava Renamed on Strava 10600 true");
	cr_assert_eq(db_long_value("SELECT count(*) FROM strava_activities"
	    " WHERE user_id = '%s'", rn.user), 1);

	/* Strava deletes it: the run stays, from the file. */
	json_decref(sb_call(c, "DELETE", path, NULL, false, &st));
	cr_assert_eq(st, 204);
	cr_assert(wait_true(60, "NOT EXISTS (SELECT 1 FROM strava_activities"
	    " WHERE strava_activity_id = %lld)", act),
	    "Strava's delete never came");
	cr_assert_str_eq(db_value("SELECT id || ' ' || source || ' ' ||"
	    " file_name FROM strava_activities WHERE user_id = '%s'", rn.user),
	    db_value("SELECT '%s my watch.gpx'", id));
	cr_assert_eq(db_long_value("SELECT count(*) FROM activity_sources"
	    " WHERE activity_id = '%s'", id), 0);
}

/* Over the request's limit (nginx's client_max_body_size): 413 too. */
Test(upload, a_request_over_24_mb_is_413)
{
	struct runner		rn;
	struct http_resp	r;
	struct upload_part	parts[3];
	size_t			n = 9 * 1024 * 1024;
	char			*big = malloc(n);
	int			i;
	long			st;

	runner_plan("uploadbig", &rn);
	memset(big, ' ', n);
	for (i = 0; i < 3; i++)
		parts[i] = (struct upload_part){ "part.gpx", big, n };
	st = upload(parts, 3, &r);
	resp_done(&r);
	cr_assert_eq(st, 413, "%ld", st);
	cr_assert_eq(activities_of(&rn), 0);
	free(big);
}
