/*
 * The fitness chart: well-formed SVG inside its viewBox, accessible
 * (role, title, desc with the figures), history solid and projection
 * dashed, race day and ramp warnings marked, every text escaped.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg_check.h"
#include "view/fitness_chart.h"
#include "view/svg.h"

#define TODAY	date_from_ymd(2026, 11, 20)
#define RACE	date_from_ymd(2027, 3, 14)

static struct fitness_series series;

/* A year of running, then the plan to race day; jump: a steep block. */
static void
make_series(date_t end, int jump)
{
	static struct fitness_load done[400], plan[200];
	struct fitness_input	 in = { 0 };
	size_t			 nd = 0, np = 0;
	date_t			 d;

	for (d = TODAY - 365; d <= TODAY; d++) {
		done[nd].date = d;
		done[nd++].tss = date_weekday(d) == WD_SUN ? 110 : 45;
	}
	for (d = TODAY + 1; d <= end && np < 200; d++) {
		plan[np].date = d;
		plan[np++].tss = jump && d < TODAY + 21 ? 160 : 55;
	}
	in.done = done;
	in.ndone = nd;
	in.planned = plan;
	in.nplanned = np;
	in.today = TODAY;
	in.end = end;
	in.seed = FITNESS_SEED_WARM;
	cr_assert_eq(fitness_compute(&in, &series), 0);
}

static void
teardown(void)
{
	fitness_free(&series);
}

static struct fitness_chart
chart(enum fitness_chart_size size)
{
	struct fitness_chart c = { 0 };

	c.series = &series;
	c.from = fitness_chart_default_from(&series, size);
	c.has_race = true;
	c.race_date = RACE;
	c.race_name = "Spring Marathon";
	c.id = "fit";
	c.first_day = WD_MON;
	c.size = size;
	return c;
}

static char *
render(const struct fitness_chart *c)
{
	buf_t	 b = BUF_INIT;
	char	 err[128];

	fitness_chart_svg(&b, c);
	cr_assert(svg_wellformed(buf_cstr(&b), err, sizeof(err)), "%s", err);
	return b.data;
}

struct box { double w, h; int outside; };

static void
inside(bool is_x, double v, void *arg)
{
	struct box *b = arg;

	if (v < 0 || v > (is_x ? b->w : b->h))
		b->outside++;
}

Test(fitness_chart, accessible_and_inside_its_box, .fini = teardown)
{
	for (int size = 0; size < 2; size++) {
		struct fitness_chart	 c;
		struct box		 box = { 0, 0, 0 };
		char			*svg;

		make_series(RACE, 0);
		c = chart((enum fitness_chart_size)size);
		svg = render(&c);
		svg_viewbox(svg, &box.w, &box.h);
		cr_assert_eq(box.w, size ? FITNESS_CHART_SMALL_W :
		    FITNESS_CHART_LARGE_W);
		svg_coords(svg, inside, &box);
		cr_assert_eq(box.outside, 0);
		cr_assert_not_null(strstr(svg, "role=\"img\""));
		cr_assert_not_null(strstr(svg,
		    "aria-labelledby=\"fit-title fit-desc\""));
		cr_assert_eq(svg_count(svg, "title"), 1 +
		    svg_count(svg, "rect"));	/* warnings have titles */
		cr_assert_eq(svg_count(svg, "desc"), 1);
		/* Axis unit, legend and the month labels. */
		cr_assert_not_null(strstr(svg, ">TSS/day<"));
		cr_assert_not_null(strstr(svg, size ? ">Fitness<" :
		    ">Fitness (CTL)<"));
		/* January is labelled with its year. */
		cr_assert_not_null(strstr(svg, ">Mar<"));
		cr_assert_not_null(strstr(svg, ">2027<"));
		cr_assert_null(strstr(svg, ">Jan<"));
		free(svg);
		fitness_free(&series);
	}
}

Test(fitness_chart, history_solid_projection_dashed, .fini = teardown)
{
	struct fitness_chart	 c;
	char			*svg;

	make_series(RACE, 0);
	c = chart(FITNESS_CHART_LARGE);
	svg = render(&c);
	/* CTL, ATL and TSB each once solid and once dashed. */
	cr_assert_eq(svg_count(svg, "polyline"), 6);
	cr_assert_not_null(strstr(svg, "class=\"ctl planned\""));
	cr_assert_not_null(strstr(svg, "class=\"ctl\""));
	cr_assert_not_null(strstr(svg, "class=\"race\""));
	cr_assert_not_null(strstr(svg, ">Race day<"));
	cr_assert_not_null(strstr(svg, ">Today<"));
	free(svg);
	fitness_free(&series);
	/* No plan: only history, no race marker outside the series. */
	make_series(TODAY, 0);
	c = chart(FITNESS_CHART_LARGE);
	svg = render(&c);
	cr_assert_eq(svg_count(svg, "polyline"), 3);
	cr_assert_null(strstr(svg, "planned\""));
	cr_assert_null(strstr(svg, "class=\"race\""));
	free(svg);
}

Test(fitness_chart, lines_follow_the_series, .fini = teardown)
{
	struct fitness_chart	 c;
	char			*svg, *p;
	double			 x, y, x2, y2;

	make_series(RACE, 0);
	c = chart(FITNESS_CHART_LARGE);
	svg = render(&c);
	/* The dashed CTL starts where the solid one ends: at today. */
	p = strstr(svg, "class=\"ctl\"");
	p = strstr(p, "points=\"");
	p = strchr(p, '"') + 1;
	p = strchr(p, '"');
	while (p[-1] != ' ' && p[-1] != '"')
		p--;
	cr_assert_eq(sscanf(p, "%lf,%lf", &x, &y), 2);
	p = strstr(svg, "class=\"ctl planned\"");
	p = strstr(p, "points=\"") + 8;
	cr_assert_eq(sscanf(p, "%lf,%lf", &x2, &y2), 2);
	cr_assert_float_eq(x, x2, 1e-9);
	cr_assert_float_eq(y, y2, 1e-9);
	free(svg);
}

Test(fitness_chart, summary_has_todays_and_race_days_figures,
    .fini = teardown)
{
	struct fitness_chart	 c;
	buf_t			 b = BUF_INIT;
	char			 want[160];
	const struct fitness_day *t, *r;

	make_series(RACE, 0);
	c = chart(FITNESS_CHART_LARGE);
	fitness_chart_summary(&b, &c);
	t = fitness_at(&series, TODAY);
	r = fitness_at(&series, RACE);
	snprintf(want, sizeof(want), "Today, 20 Nov 2026: fitness %ld, "
	    "fatigue %ld", lround(t->ctl), lround(t->atl));
	cr_assert_not_null(strstr(buf_cstr(&b), want), "%s", buf_cstr(&b));
	snprintf(want, sizeof(want), "(Spring Marathon), 14 Mar 2027, as "
	    "planned: fitness %ld, fatigue %ld, form %s%ld.", lround(r->ctl),
	    lround(r->atl), lround(r->tsb) > 0 ? "+" : "", lround(r->tsb));
	cr_assert_not_null(strstr(buf_cstr(&b), want), "%s", buf_cstr(&b));
	/* The same text is the chart's description. */
	buf_reset(&b);
	fitness_chart_svg(&b, &c);
	cr_assert_not_null(strstr(buf_cstr(&b), "as planned: fitness"));
	buf_free(&b);
}

Test(fitness_chart, steep_ramps_are_shaded_and_told, .fini = teardown)
{
	struct fitness_chart	 c;
	struct fitness_week	*w;
	buf_t			 b = BUF_INIT;
	size_t			 n, k, flagged = 0;
	char			*svg;

	make_series(RACE, 1);
	c = chart(FITNESS_CHART_LARGE);
	w = fitness_weeks(&series, WD_MON, &n);
	for (k = 0; k < n; k++)
		flagged += w[k].level != RAMP_OK && w[k].start + 6 >= c.from;
	cr_assert_gt(flagged, 0);
	svg = render(&c);
	cr_assert_eq((size_t)svg_count(svg, "rect"), flagged);
	cr_assert_not_null(strstr(svg, "(planned): fitness +"));
	fitness_chart_summary(&b, &c);
	for (k = 0; k < n; k++)
		if (w[k].level == RAMP_TOO_FAST) {
			buf_t m = BUF_INIT;

			cr_assert(fitness_ramp_message(&m, &w[k]));
			cr_assert_not_null(strstr(buf_cstr(&b), buf_cstr(&m)));
			cr_assert_not_null(strstr(buf_cstr(&m), "safe limit"));
			buf_free(&m);
		}
	cr_assert_not(fitness_ramp_message(&b, &(struct fitness_week){ 0 }));
	free(w);
	free(svg);
	buf_free(&b);
}

Test(fitness_chart, every_text_is_escaped, .fini = teardown)
{
	struct fitness_chart	 c;
	char			*svg;

	make_series(RACE, 0);
	c = chart(FITNESS_CHART_SMALL);
	c.race_name = "<script>alert(1)</script> & \"Co\" 'x'\x01\x1f";
	c.id = "x\" onload=\"alert(1)";
	svg = render(&c);
	cr_assert_null(strstr(svg, "<script"));
	cr_assert_null(strstr(svg, "onload=\""));
	cr_assert_null(strchr(svg, '\x01'));
	cr_assert_not_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&amp; &quot;Co&quot; &#39;x&#39;"));
	cr_assert_not_null(strstr(svg, "id=\"x--onload--alert-1--title\""));
	free(svg);
}

Test(fitness_chart, window_and_empty_series, .fini = teardown)
{
	struct fitness_chart	 c;
	struct fitness_series	 empty = { 0 };
	buf_t			 b = BUF_INIT;

	make_series(RACE, 0);
	cr_assert_eq(fitness_chart_default_from(&series, FITNESS_CHART_SMALL),
	    TODAY - 7 * FITNESS_CHART_SMALL_WEEKS);
	cr_assert_eq(fitness_chart_default_from(&series, FITNESS_CHART_LARGE),
	    TODAY - 7 * FITNESS_CHART_LARGE_WEEKS);
	c = chart(FITNESS_CHART_LARGE);
	c.from = 0;	/* long before: the whole history */
	fitness_chart_svg(&b, &c);
	cr_assert_not_null(strstr(buf_cstr(&b), "from 20 Nov 2025 to"));
	c.series = &empty;
	buf_reset(&b);
	fitness_chart_svg(&b, &c);
	fitness_chart_summary(&b, &c);
	cr_assert_eq(b.len, 0);
	buf_free(&b);
}

Test(fitness_chart, ids_and_steps)
{
	char id[SVG_ID_MAX + 1];

	svg_id(id, NULL);
	cr_assert_str_eq(id, "chart");
	svg_id(id, "dash-board_1");
	cr_assert_str_eq(id, "dash-board_1");
	cr_assert_eq(svg_nice_step(100, 5), 20);
	cr_assert_eq(svg_nice_step(12, 5), 2.5);
	cr_assert_eq(svg_nice_step(0.9, 3), 0.5);
	cr_assert_eq(svg_nice_step(0, 3), 1);
}

/* A marker's label: its row (y) and the x it spans, at 0.6 em a letter
 * (wider than system-ui's letters at the chart's 13 units). */
struct label { double y, x0, x1; };

static struct label
label_of(const char *svg, const char *cls)
{
	char		 want[64];
	const char	*g, *t, *end;
	struct label	 l;
	double		 x, w;

	snprintf(want, sizeof(want), "<g class=\"%s\">", cls);
	cr_assert_not_null(g = strstr(svg, want), "no %s marker", cls);
	cr_assert_not_null(t = strstr(g, "<text"));
	x = atof(strstr(t, " x=\"") + 4);
	l.y = atof(strstr(t, " y=\"") + 4);
	cr_assert_not_null(end = strstr(t, "</text>"));
	w = (double)(end - (strchr(t, '>') + 1)) * 13 * 0.6;
	l.x0 = strstr(t, "text-anchor=\"end\"") != NULL &&
	    strstr(t, "text-anchor=\"end\"") < end ? x - w : x;
	l.x1 = l.x0 + w;
	return l;
}

/* A race weeks ahead of 15 weeks shown: the labels never meet. */
Test(fitness_chart, today_and_race_day_labels_never_overlap, .fini = teardown)
{
	struct fitness_chart	 c;
	struct label		 t, r;
	char			*svg;
	int			 weeks, rows = 0;

	for (weeks = 1; weeks <= 16; weeks++) {
		make_series(TODAY + 7 * weeks, 0);
		c = chart(FITNESS_CHART_LARGE);
		c.from = TODAY - 7 * 15;
		c.race_date = TODAY + 7 * weeks;
		svg = render(&c);
		t = label_of(svg, "today");
		r = label_of(svg, "race");
		rows += t.y != r.y;
		cr_assert(t.y != r.y || r.x1 < t.x0 || t.x1 < r.x0, "race %d "
		    "weeks ahead: labels overlap on one row (%.0f-%.0f, "
		    "%.0f-%.0f)", weeks, t.x0, t.x1, r.x0, r.x1);
		free(svg);
		fitness_free(&series);
	}
	cr_assert_gt(rows, 0, "close labels go on two rows");
}
