/*
 * template_bench: how fast view/mustache renders a calendar page.
 *
 * The page is what the training calendar shows: a layout parent (head,
 * navigation, footer) and 16 week rows of 7 day cells, each cell with a
 * workout type label, a distance, a status class and a link.  The
 * templates are compiled once; the loop renders into a reused buffer
 * for about BENCH_SECONDS and reports renders/s and output MB/s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/buf.h"
#include "view/mustache.h"

#define BENCH_SECONDS	2.0
#define WEEKS		16
#define DAYS		7

static const char layout_src[] =
    "<!doctype html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "  <meta charset=\"utf-8\">\n"
    "  <meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "  <title>{{$title}}Cadence{{/title}}</title>\n"
    "  <link rel=\"stylesheet\" href=\"/static/app.css\">\n"
    "  {{$head}}{{/head}}\n"
    "</head>\n"
    "<body>\n"
    "  <header class=\"top\">\n"
    "    <a class=\"brand\" href=\"/\">Cadence</a>\n"
    "    <nav>\n"
    "      {{#nav}}\n"
    "      <a href=\"{{href}}\"{{#active}} class=\"active\"{{/active}}>"
    "{{label}}</a>\n"
    "      {{/nav}}\n"
    "    </nav>\n"
    "    <span class=\"user\">{{user.name}}</span>\n"
    "  </header>\n"
    "  <main>\n"
    "    {{$content}}{{/content}}\n"
    "  </main>\n"
    "  <footer>Cadence &middot; {{plan.name}}</footer>\n"
    "</body>\n"
    "</html>\n";

static const char calendar_src[] =
    "{{<layout}}\n"
    "{{$title}}{{plan.name}} &ndash; calendar{{/title}}\n"
    "{{$head}}<link rel=\"stylesheet\" href=\"/static/calendar.css\">"
    "{{/head}}\n"
    "{{$content}}\n"
    "<h1>{{plan.name}}</h1>\n"
    "<p class=\"race\">Race day: {{plan.race_date}} &middot; "
    "{{plan.race_km}} km</p>\n"
    "<table class=\"calendar\">\n"
    "  <thead>\n"
    "    <tr><th>Week</th>{{#weekdays}}<th>{{.}}</th>{{/weekdays}}"
    "<th>Total</th></tr>\n"
    "  </thead>\n"
    "  <tbody>\n"
    "    {{#weeks}}\n"
    "    <tr class=\"week{{#current}} current{{/current}}\">\n"
    "      <th scope=\"row\">{{number}}<small>{{start}}</small></th>\n"
    "      {{#days}}\n"
    "      <td class=\"day {{status}}\" data-date=\"{{date}}\">\n"
    "        <a href=\"/workouts/{{id}}\" title=\"{{title}}\">\n"
    "          <span class=\"type type-{{type}}\">{{label}}</span>\n"
    "          {{#km}}<span class=\"km\">{{km}} km</span>{{/km}}\n"
    "          {{^km}}<span class=\"rest\">rest</span>{{/km}}\n"
    "        </a>\n"
    "      </td>\n"
    "      {{/days}}\n"
    "      <td class=\"total\">{{total_km}} km</td>\n"
    "    </tr>\n"
    "    {{/weeks}}\n"
    "  </tbody>\n"
    "</table>\n"
    "{{/content}}\n"
    "{{/layout}}\n";

static json_t *
calendar_data(void)
{
	static const char *const types[] = {
		"easy", "tempo", "intervals", "long", "rest", "recovery", "race"
	};
	static const char *const labels[] = {
		"Easy run", "Tempo", "Intervals 6x800", "Long run", "Rest",
		"Recovery jog", "Race"
	};
	static const char *const statuses[] = {
		"done", "missed", "planned", "partial"
	};
	json_t *weeks = json_array(), *days, *day;
	double km, total;
	int w, d, id = 1000;
	char date[16], title[64];

	for (w = 0; w < WEEKS; w++) {
		days = json_array();
		total = 0;
		for (d = 0; d < DAYS; d++, id++) {
			int t = (w + d * 3) % 7;

			km = t == 4 ? 0 : 4.5 + (double)((w * 7 + d) % 19) * 0.75;
			total += km;
			snprintf(date, sizeof(date), "2025-%02d-%02d",
			    3 + (w * 7 + d) / 28, 1 + (w * 7 + d) % 28);
			snprintf(title, sizeof(title), "%s <%s> \"wk %d\"",
			    labels[t], date, w + 1);
			day = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}",
			    "id", id, "date", date, "type", types[t],
			    "label", labels[t], "status",
			    statuses[(w + d) % 4], "title", title);
			json_object_set_new(day, "km", km > 0 ?
			    json_real(km) : json_false());
			json_array_append_new(days, day);
		}
		json_array_append_new(weeks, json_pack(
		    "{s:i, s:s, s:b, s:o, s:f}", "number", w + 1, "start",
		    "Mon 3 Mar", "current", w == 5, "days", days, "total_km",
		    total));
	}
	return json_pack("{s:{s:s, s:s, s:i}, s:{s:s}, s:[s,s,s,s,s,s,s], "
	    "s:[{s:s,s:s,s:b},{s:s,s:s,s:b},{s:s,s:s,s:b}], s:o}",
	    "plan", "name", "Berlin Marathon <sub 3:30>", "race_date",
	    "2025-09-21", "race_km", 42,
	    "user", "name", "Ann O'Runner",
	    "weekdays", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
	    "nav", "href", "/", "label", "Today", "active", 0,
	    "href", "/calendar", "label", "Calendar", "active", 1,
	    "href", "/settings", "label", "Settings", "active", 0,
	    "weeks", weeks);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(void)
{
	mustache_set *set = mustache_set_new();
	mustache_err err;
	buf_t out = BUF_INIT;
	json_t *data = calendar_data();
	double start, elapsed;
	size_t page = 0, bytes = 0;
	long renders = 0;

	if (mustache_set_add(set, "layout", layout_src, strlen(layout_src),
	    "layout", &err) || mustache_set_add(set, "calendar", calendar_src,
	    strlen(calendar_src), "calendar", &err) ||
	    mustache_set_check(set, &err)) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		return 1;
	}
	start = now();
	do {
		buf_reset(&out);
		if (mustache_render(set, "calendar", data, &out, &err)) {
			fprintf(stderr, "%s: %s\n", err.where, err.msg);
			return 1;
		}
		page = out.len;
		bytes += out.len;
		renders++;
	} while ((renders & 63) != 0 || (elapsed = now() - start) <
	    BENCH_SECONDS);
	printf("template: calendar %dx%d: %.0f renders/s, %.1f MB/s "
	    "(%.1f KB/page)\n", WEEKS, DAYS, (double)renders / elapsed,
	    (double)bytes / elapsed / 1e6, (double)page / 1024);
	if (getenv("TEMPLATE_BENCH_DUMP") != NULL)
		fwrite(out.data, 1, out.len, stderr);
	buf_free(&out);
	json_decref(data);
	mustache_set_free(set);
	return 0;
}
