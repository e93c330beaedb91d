/*
 * One activity (GET /activities/{id}): its figures, its route drawn as SVG
 * from Strava's summary polyline (no map tiles), its splits per km or
 * mile (the runner's unit) and the pace (and heart rate) profile, from
 * Strava's splits of that unit when it sent them, else its laps (or the
 * other unit's splits) cut again per unit; its laps; its training load;
 * the workout it completes.  Another runner's activity is a 404.
 * Cost: the session + 1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/activity_detail.h"
#include "db/activity_files.h"
#include "db/db.h"
#include "db/workouts.h"
#include "domain/polyline.h"
#include "domain/splits.h"
#include "domain/units.h"
#include "pages/pages.h"
#include "strava/sync.h"
#include "view/plan_format.h"
#include "view/route_svg.h"
#include "view/split_chart.h"
#include "view/view.h"
#include "web/session.h"


/* The splits per unit u: Strava's own, else cut from what there is. */
static struct split *
splits_of(const struct run_splits *s, enum unit u, size_t *n)
{
	const struct split_input *own = u == UNIT_MI ? s->standard : s->metric;
	const struct split_input *other = u == UNIT_MI ? s->metric : s->standard;
	size_t nown = u == UNIT_MI ? s->nstandard : s->nmetric;
	size_t nother = u == UNIT_MI ? s->nmetric : s->nstandard;
	double len = u == UNIT_MI ? METRES_PER_MILE : 1000;

	*n = 0;
	if (nown > 0)
		return splits_convert(own, nown, n);
	if (s->nlaps > 0)
		return splits_resample(s->laps, s->nlaps, len, n);
	if (nother > 0)
		return splits_resample(other, nother, len, n);
	return NULL;
}

static json_t *
split_rows(arena_t *a, const struct split *sp, size_t n, enum unit u)
{
	json_t	*list = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:i, s:s, s:s, s:o, s:o}",
		    "index", sp[i].index, "distance_label", pf_distance(a,
		    (int)lround(sp[i].distance_m), u), "pace_label",
		    pf_activity_pace(a, 1000, (int)lround(sp[i].pace_s_per_km),
		    u), "heartrate_label", sp[i].average_hr > 0 ?
		    json_string(arena_printf(a, "%ld bpm",
		    lround(sp[i].average_hr))) : json_null(), "elevation_label",
		    sp[i].has_elevation ? json_string(arena_printf(a, "%+ld m",
		    lround(sp[i].elevation_m))) : json_null()));
	return list;
}

static json_t *
lap_rows(arena_t *a, const struct run_splits *s, enum unit u)
{
	json_t	*list = json_array();
	char	 t[32];
	size_t	 i;

	for (i = 0; i < s->nlaps; i++) {
		const struct split_input *l = &s->laps[i];

		units_format_duration(t, sizeof(t), l->moving_s);
		json_array_append_new(list, json_pack("{s:i, s:s, s:s, s:o, s:o}",
		    "index", (int)i + 1, "distance_label", pf_distance(a,
		    (int)lround(l->distance_m), u), "time_label", t,
		    "pace_label", pf_str(pf_activity_pace(a,
		    (int)lround(l->distance_m), l->moving_s, u)),
		    "heartrate_label", l->average_hr > 0 ?
		    json_string(arena_printf(a, "%ld bpm",
		    lround(l->average_hr))) : json_null()));
	}
	return list;
}

/* The route's SVG from the summary polyline, or NULL. */
static const char *
route(arena_t *a, const struct activity_detail *d, enum unit u)
{
	struct route_svg	 r;
	struct geo_point	*pts;
	buf_t			 b = BUF_INIT;
	const char		*svg = NULL;
	size_t			 n;

	if (d->polyline == NULL || !polyline_decode(d->polyline,
	    strlen(d->polyline), &pts, &n))
		return NULL;
	memset(&r, 0, sizeof(r));
	r.points = pts;
	r.n = n;
	r.unit = u;
	r.id = "route";
	r.title = arena_printf(a, "Route of %s", *d->name ? d->name :
	    "this run");
	if (route_svg(&b, &r))
		svg = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	free(pts);
	return svg;
}

static json_t *
load_json(arena_t *a, const struct activity_detail *d)
{
	const char *how;

	if (d->tss < 0 || d->load_method == NULL)
		return json_null();
	how = strcmp(d->load_method, "pace") == 0 ? "from your pace against "
	    "your threshold pace" : strcmp(d->load_method, "hr") == 0 ?
	    "from your heart rate against your threshold heart rate" :
	    strcmp(d->load_method, "estimate") == 0 ? "estimated from its "
	    "duration and type" : "not counted (not a run)";
	return json_pack("{s:i, s:s, s:s}", "tss", (int)lround(d->tss),
	    "intensity", arena_printf(a, "%.2f", d->intensity), "how", how);
}

static json_t *
detail_json(struct request *req, const struct activity_detail *d,
    enum unit u)
{
	arena_t	*a = req->arena;
	char	 t[32];

	units_format_duration(t, sizeof(t), d->moving_s);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
	    "name", *d->name ? d->name : "Untitled activity", "date_label",
	    d->date ? pf_date(a, d->date, DS_FULL) : "", "sport_type",
	    d->sport_type, "distance_label", pf_distance(a, d->distance_m, u),
	    "moving_time_label", t, "pace_label", pf_str(d->is_run ?
	    pf_activity_pace(a, d->distance_m, d->moving_s, u) : NULL),
	    "heartrate_label", d->average_hr > 0 ? json_string(arena_printf(a,
	    "%ld bpm", lround(d->average_hr))) : json_null(),
	    "elevation_label", d->elevation_m >= 0 ? json_string(arena_printf(a,
	    "%ld m", lround(d->elevation_m))) : json_null(), "workout",
	    d->workout_id ? json_pack("{s:s, s:s}", "url", arena_printf(a,
	    "/workouts/%s", d->workout_id), "label", arena_printf(a,
	    "%s %s, %s", plan_view_type_name(plan_view_type_key(
	    d->workout_type)), pf_distance(a, d->workout_distance_m, u),
	    pf_date(a, d->workout_date, DS_DAY))) : json_null(),
	    "strava_url", pf_str(pf_strava_url(a, req->cfg, d->strava_id)));
}

static const char *
source_label(const char *source)
{
	return strcmp(source, "strava") == 0 ? "Strava" :
	    strcmp(source, "garmin") == 0 ? "Garmin" : "Uploaded file";
}

/*
 * Where the run came from: the source it uses first, then the others
 * that delivered the same run (docs/activity-files.md); NULL on error.
 */
static json_t *
sources_json(struct request *req)
{
	struct activity_source	*s;
	json_t			*list;
	int			 i, n;

	if ((n = activity_sources_list(req->db, req->arena, req->runner->id,
	    req->cap[0], &s)) < 0)
		return NULL;
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b,"
		    " s:b}", "label", source_label(s[i].source), "source",
		    s[i].source, "detail", s[i].detail, "used", i == 0,
		    "switchable", i > 0 && s[i].switchable));
	return list;
}

int
page_activity(struct request *req, struct response *res)
{
	struct activity_detail	 d;
	struct split_chart	 c;
	struct split		*sp;
	enum unit		 u = pf_unit(req->runner);
	buf_t			 svg = BUF_INIT, text = BUF_INIT;
	json_t			*data, *sources;
	size_t			 n;
	int			 rc;

	if ((rc = activities_load_detail(req->db, req->arena, req->runner->id,
	    req->cap[0], &d)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	if ((sources = sources_json(req)) == NULL)
		return -1;
	sp = splits_of(&d.splits, u, &n);
	memset(&c, 0, sizeof(c));
	c.splits = sp;
	c.n = n;
	c.unit = u;
	c.id = "splits";
	split_chart_svg(&svg, &c);
	split_chart_summary(&text, &c);
	data = json_pack("{s:{s:b}, s:o, s:o, s:b, s:o, s:s, s:b, s:o, s:o,"
	    " s:s}", "nav", "activities", 1, "activity", detail_json(req, &d,
	    u), "splits", split_rows(req->arena, sp, n, u), "has_splits", n > 0,
	    "laps", lap_rows(req->arena, &d.splits, u), "splits_summary",
	    buf_cstr(&text), "has_laps", d.splits.nlaps > 1, "load",
	    load_json(req->arena, &d), "has_route", json_boolean(d.polyline !=
	    NULL), "unit_label", unit_key(u));
	json_object_set_new(data, "sources", sources);
	json_object_set_new(data, "activity_id", json_string(req->cap[0]));
	json_object_set_new(data, "from_strava", json_boolean(d.strava_id > 0));
	free(sp);
	{
		struct view_markup m[2] = {
			{ "route", route(req->arena, &d, u) },
			{ "splits", n > 0 ? arena_strdup(req->arena,
			    buf_cstr(&svg)) : NULL },
		};

		json_object_set_new(data, "has_route", json_boolean(m[0].html));
		buf_free(&svg);
		buf_free(&text);
		return view_page_markup(req, res, 200, "activity", data, m, 2);
	}
}

/*
 * POST /activities/{id}/source: the run uses the copy the runner picked
 * (source, detail) from now on, kept when the others deliver it again;
 * the days it was and is on are matched again.
 */
int
page_activity_source(struct request *req, struct response *res)
{
	const char	*src = req_form(req, "source");
	const char	*detail = req_form(req, "detail");
	date_t		 was, is;
	int		 rc;

	if (src == NULL || detail == NULL || *detail == '\0' ||
	    strlen(detail) > 255 || (strcmp(src, "strava") != 0 &&
	    strcmp(src, "garmin") != 0 && strcmp(src, "file") != 0)) {
		view_error(req, res, 400, "Choose one of the sources listed "
		    "on the run's page.");
		return 0;
	}
	if (db_begin(req->db) == -1)
		return -1;
	rc = activity_use_source(req->db, req->runner->id, req->cap[0], src,
	    detail, &was, &is);
	/* Pairs that stay keep a completion time from the old record. */
	if (rc == 1 && (sync_rematch(req->db, req->runner->id, was, was,
	    NULL) == -1 || (is != was && sync_rematch(req->db,
	    req->runner->id, is, is, NULL) == -1) ||
	    workouts_refresh_state_for_activity(req->db, req->cap[0]) == -1))
		rc = -1;
	if (rc != 1 || db_commit(req->db) == -1) {
		db_rollback(req->db);
		if (rc == 0)
			view_error(req, res, 404, "This run has no such source "
			    "to switch to: it may have been switched or removed "
			    "meanwhile. Open the run again.");
		return rc == 0 ? 0 : -1;
	}
	view_flash(req, res, "source_switched");
	resp_redirect(req, res, arena_printf(req->arena, "/activities/%s",
	    req->cap[0]));
	return 0;
}
