/*
 * pages: the sandbox's own HTML - a home page listing athletes and their
 * recent activities, and forms to record, edit and delete a run as an
 * athlete would on Strava.  The forms post to the control API with
 * html=1, which answers with a redirect back here.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "sandbox/app.h"
#include "sandbox/tz.h"

#define RECENT_PER_ATHLETE	15

static const char *const form_types[] = {
	"Run", "TrailRun", "VirtualRun", "Walk", "Hike", "Ride", "Swim", "Workout",
};

static void
html(buf_t *b, const char *s)
{
	buf_html(b, s, strlen(s));
}

static void
page_start(struct sb_response *res, const char *title)
{
	res->content_type = "text/html; charset=utf-8";
	buf_printf(&res->body, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\"><title>%s - Strava sandbox"
	    "</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;"
	    "padding:0 1rem;color:#222}h1{color:#fc4c02}table{border-collapse:collapse;width:100%%}"
	    "td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left;"
	    "font-size:.9rem}form.inline{display:inline}label{display:inline-block;margin:.3rem "
	    ".8rem .3rem 0}fieldset{margin:1rem 0}.muted{color:#777}</style></head><body>"
	    "<h1>%s</h1>\n", title, title);
}

static void
page_end(struct sb_response *res)
{
	buf_puts(&res->body, "</body></html>\n");
}

/* The record / edit form; a == NULL records a new run. */
static void
activity_form(struct sb_app *app, buf_t *b, const struct sb_activity *a)
{
	struct sb_store	*s = &app->store;
	char		 local[21], dur[16];
	int64_t		 t = a ? a->start : sb_now() - 3600;
	size_t		 i;
	int		 mt = a ? a->moving_time : 3000;

	sb_iso8601(t + sb_tz_offset(a ? a->tz : SB_DEFAULT_TZ, t), local);
	snprintf(dur, sizeof(dur), "%d:%02d:%02d", mt / 3600, mt / 60 % 60, mt % 60);
	if (a)
		buf_printf(b, "<form method=\"post\" action=\"/_sandbox/activities/%lld\">",
		    (long long)a->id);
	else
		buf_puts(b, "<form method=\"post\" action=\"/_sandbox/activities\">");
	buf_printf(b, "<fieldset><legend>%s</legend><input type=\"hidden\" name=\"html\" "
	    "value=\"1\">", a ? "Edit activity" : "Record a run");
	if (!a) {
		buf_puts(b, "<label>Athlete <select name=\"athlete_id\">");
		for (i = 0; i < s->nathletes; i++) {
			buf_printf(b, "<option value=\"%lld\">", (long long)s->athletes[i].id);
			html(b, s->athletes[i].firstname);
			buf_putc(b, ' ');
			html(b, s->athletes[i].lastname);
			buf_puts(b, "</option>");
		}
		buf_puts(b, "</select></label>");
	}
	buf_printf(b, "<label>Date <input type=\"date\" name=\"date\" value=\"%.10s\" required>"
	    "</label><label>Start (local) <input type=\"time\" name=\"time\" value=\"%.5s\" "
	    "required></label><label>Time zone <input name=\"timezone\" value=\"", local, local + 11);
	html(b, a ? a->tz : SB_DEFAULT_TZ);
	buf_printf(b, "\" size=\"16\"></label><br><label>Distance (km) <input name=\"distance_km\" "
	    "value=\"%.2f\" size=\"6\" required></label><label>Moving time <input name=\"duration\""
	    " value=\"%s\" size=\"8\" placeholder=\"h:mm:ss\" required></label><label>Type "
	    "<select name=\"sport_type\">", a ? a->distance / 1000 : 10.0, dur);
	for (i = 0; i < NELEM(form_types); i++)
		buf_printf(b, "<option%s>%s</option>", a && strcmp(a->sport_type,
		    form_types[i]) == 0 ? " selected" : "", form_types[i]);
	buf_puts(b, "</select></label><br><label>Name <input name=\"name\" size=\"30\" value=\"");
	html(b, a ? a->name : "");
	buf_puts(b, "\" placeholder=\"Afternoon Run\"></label><label>Avg HR <input "
	    "name=\"average_heartrate\" size=\"4\" value=\"");
	if (a && a->has_hr)
		buf_printf(b, "%.0f", a->avg_hr);
	buf_puts(b, "\"></label><label>Max HR <input name=\"max_heartrate\" size=\"4\" value=\"");
	if (a && a->has_hr)
		buf_printf(b, "%.0f", a->max_hr);
	buf_printf(b, "\"></label><label><input type=\"checkbox\" name=\"private\" value=\"true\"%s>"
	    " Only me (private)</label>", a && a->private_ ? " checked" : "");
	if (!a)
		buf_puts(b, "<label><input type=\"checkbox\" name=\"manual\" value=\"true\"> "
		    "Manual entry</label>");
	buf_printf(b, "<br><button>%s</button></fieldset></form>\n", a ? "Save" : "Record");
}

static int
newest_first(const void *x, const void *y)
{
	const struct sb_activity *a = x, *b = y;

	return a->start < b->start ? 1 : (a->start > b->start ? -1 : 0);
}

static void
athlete_section(struct sb_app *app, buf_t *b, const struct sb_athlete *ath)
{
	struct sb_store	*s = &app->store;
	char		 local[21];
	size_t		 i, shown = 0, total = 0;

	for (i = 0; i < s->nacts; i++)
		total += s->acts[i].athlete_id == ath->id;
	buf_puts(b, "<h2>");
	html(b, ath->firstname);
	buf_putc(b, ' ');
	html(b, ath->lastname);
	buf_printf(b, " <span class=\"muted\">#%lld, %zu activities, app %s</span></h2>\n"
	    "<table><tr><th>Local start</th><th>Name</th><th>Type</th><th>km</th>"
	    "<th>Time</th><th>Pace</th><th>HR</th><th></th></tr>\n", (long long)ath->id, total,
	    sb_athlete_authorized(s, ath->id, NULL) ? "authorized" : "not authorized");
	for (i = 0; i < s->nacts && shown < RECENT_PER_ATHLETE; i++) {
		const struct sb_activity *a = &s->acts[i];
		double pace = a->distance > 0 ? a->moving_time / (a->distance / 1000) : 0;

		if (a->athlete_id != ath->id)
			continue;
		shown++;
		sb_iso8601(a->start + sb_tz_offset(a->tz, a->start), local);
		buf_printf(b, "<tr><td>%.10s %.5s</td><td>", local, local + 11);
		html(b, a->name);
		buf_printf(b, "%s%s</td><td>%s</td><td>%.2f</td><td>%d:%02d:%02d</td>"
		    "<td>%d:%02d/km</td><td>", a->private_ ? " <span class=\"muted\">(private)</span>" : "",
		    a->manual ? " <span class=\"muted\">(manual)</span>" : "", a->sport_type,
		    a->distance / 1000, a->moving_time / 3600, a->moving_time / 60 % 60,
		    a->moving_time % 60, (int)pace / 60, (int)pace % 60);
		if (a->has_hr)
			buf_printf(b, "%.0f", a->avg_hr);
		buf_printf(b, "</td><td><a href=\"/_sandbox/activities/%lld/edit\">Edit</a> "
		    "<form class=\"inline\" method=\"post\" action=\"/_sandbox/activities/%lld/delete\">"
		    "<input type=\"hidden\" name=\"html\" value=\"1\"><button>Delete</button></form>"
		    "</td></tr>\n", (long long)a->id, (long long)a->id);
	}
	buf_puts(b, "</table>\n");
}

static void
home(struct sb_app *app, struct sb_response *res)
{
	struct sb_store	*s = &app->store;
	buf_t		*b = &res->body;
	size_t		 i;

	qsort(s->acts, s->nacts, sizeof(*s->acts), newest_first);
	page_start(res, "Strava sandbox");
	buf_printf(b, "<p class=\"muted\">A local stand-in for Strava. Client id <code>%lld</code>. "
	    "Webhook subscription: ", (long long)s->client_id);
	if (s->has_sub) {
		buf_printf(b, "#%lld to <code>", (long long)s->sub.id);
		html(b, s->sub.callback_url);
		buf_puts(b, "</code>");
	} else
		buf_puts(b, "none");
	buf_puts(b, ". <a href=\"/_sandbox/deliveries\">Webhook deliveries</a> &middot; "
	    "<a href=\"/_sandbox/config\">Config</a></p>\n");
	activity_form(app, b, NULL);
	for (i = 0; i < s->nathletes; i++)
		athlete_section(app, b, &s->athletes[i]);
	page_end(res);
}

/*
 * GET /activities/ID: the activity's own page, at the address Strava's
 * web site has it (www.strava.com/activities/ID), so Cadence's "View on
 * Strava" links work the same against the sandbox.
 */
static void
activity_page(struct sb_app *app, struct sb_response *res,
    const struct sb_activity *a)
{
	buf_t		*b = &res->body;
	char		 local[21];
	int		 mt = a->moving_time;

	(void)app;
	sb_iso8601(a->start + sb_tz_offset(a->tz, a->start), local);
	page_start(res, "Activity");
	buf_puts(b, "<h2>");
	html(b, a->name);
	buf_puts(b, "</h2><table><tr><th>Sport</th><td>");
	html(b, a->sport_type);
	buf_printf(b, "</td></tr><tr><th>Start (local)</th><td>%.16s ", local);
	html(b, a->tz);
	buf_printf(b, "</td></tr><tr><th>Distance</th><td>%.2f km</td></tr>"
	    "<tr><th>Moving time</th><td>%d:%02d:%02d</td></tr>",
	    a->distance / 1000, mt / 3600, mt / 60 % 60, mt % 60);
	if (a->has_hr)
		buf_printf(b, "<tr><th>Average heart rate</th><td>%.0f bpm"
		    "</td></tr>", a->avg_hr);
	buf_printf(b, "<tr><th>Elevation gain</th><td>%.0f m</td></tr></table>"
	    "<p><a href=\"/_sandbox/activities/%lld/edit\">Edit</a> &middot; "
	    "<a href=\"/\">All activities</a></p>", a->elev_gain,
	    (long long)a->id);
	page_end(res);
}

/* The activity id of "/activities/ID", or 0. */
static int64_t
activity_path_id(const char *p)
{
	int64_t id;

	if (!str_has_prefix(p, "/activities/") ||
	    !parse_int64(p + 12, 1, INT64_MAX, &id))
		return 0;
	return id;
}

bool
sb_pages_route(struct sb_app *app, struct sb_request *req, struct sb_response *res)
{
	const char		*p = req->path, *suffix;
	struct sb_activity	*a;
	char			 idstr[32];
	int64_t			 id;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return false;
	if (strcmp(p, "/") == 0) {
		home(app, res);
		return true;
	}
	if ((id = activity_path_id(p)) > 0) {
		if ((a = sb_activity_find(&app->store, id)) == NULL)
			sb_error(res, 404, "Record Not Found", "Activity", "id",
			    "invalid");
		else
			activity_page(app, res, a);
		return true;
	}
	if (!str_has_prefix(p, "/_sandbox/activities/") ||
	    (suffix = strchr(p + 21, '/')) == NULL || strcmp(suffix, "/edit") != 0)
		return false;
	if (suffix - (p + 21) >= (ptrdiff_t)sizeof(idstr))
		return false;
	snprintf(idstr, sizeof(idstr), "%.*s", (int)(suffix - (p + 21)), p + 21);
	if (!parse_int64(idstr, 1, INT64_MAX, &id) ||
	    (a = sb_activity_find(&app->store, id)) == NULL) {
		sb_error(res, 404, "Record Not Found", "Activity", "id", "invalid");
		return true;
	}
	page_start(res, "Edit activity");
	activity_form(app, &res->body, a);
	buf_puts(&res->body, "<p><a href=\"/\">Back</a></p>");
	page_end(res);
	return true;
}
