/*
 * split_chart: geometry, drawing and texts of the pace profile.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "view/split_chart.h"
#include "view/svg.h"

#define COLOUR_BAR	"#3b5bdb"
#define COLOUR_FAST	"#1e3a8a"
#define COLOUR_HR	"#c2185b"
#define COLOUR_TEXT	"#4b5563"
#define COLOUR_GRID	"#e2e5ea"
#define FONT		13

struct geom {
	double		 left, right, top, bottom;
	double		 per;		/* metres per unit */
	double		 total;		/* metres */
	double		 fast, slow;	/* pace axis ends, s per unit */
	double		 pstep;
	double		 hlo, hhi, hstep;	/* bpm axis; hhi 0: no HR */
};

static double
pace_in(const struct geom *g, double s_per_km)
{
	return s_per_km * g->per / 1000.0;
}

/* Pace axis: round paces around the fastest and slowest split. */
static void
pace_axis(struct geom *g, const struct split *s, size_t n)
{
	static const double steps[] = { 5, 10, 15, 20, 30, 60, 120, 300, 600 };
	double	 lo = INFINITY, hi = 0, p;
	size_t	 i;

	for (i = 0; i < n; i++) {
		p = pace_in(g, s[i].pace_s_per_km);
		lo = fmin(lo, p);
		hi = fmax(hi, p);
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if ((hi - lo) / steps[i] <= 4)
			break;
	g->pstep = steps[i < sizeof(steps) / sizeof(steps[0]) ? i : i - 1];
	g->fast = floor(lo / g->pstep) * g->pstep;
	/* One step more below the slowest, so that its bar shows. */
	g->slow = ceil(hi / g->pstep) * g->pstep + g->pstep;
	if (g->fast <= 0)
		g->fast = g->pstep;
}

static void
hr_axis(struct geom *g, const struct split *s, size_t n)
{
	double	 lo = INFINITY, hi = 0;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i].average_hr > 0) {
			lo = fmin(lo, s[i].average_hr);
			hi = fmax(hi, s[i].average_hr);
		}
	g->hhi = 0;
	if (hi == 0)
		return;
	g->hstep = hi - lo > 40 ? 20 : 10;
	g->hlo = floor(lo / g->hstep) * g->hstep - g->hstep;
	g->hhi = ceil(hi / g->hstep) * g->hstep;
	if (g->hhi <= lo)
		g->hhi += g->hstep;
}

static void
layout(struct geom *g, const struct split_chart *c)
{
	memset(g, 0, sizeof(*g));
	g->per = c->unit == UNIT_MI ? METRES_PER_MILE : 1000.0;
	g->total = c->splits[c->n - 1].start_m + c->splits[c->n - 1].distance_m;
	pace_axis(g, c->splits, c->n);
	hr_axis(g, c->splits, c->n);
	g->left = 44;
	g->right = SPLIT_CHART_W - (g->hhi > 0 ? 36 : 12);
	g->top = 30;
	g->bottom = SPLIT_CHART_H - 34;
}

static double
xof(const struct geom *g, double m)
{
	return g->left + m / g->total * (g->right - g->left);
}

/* Faster is higher: the pace axis runs from the slow end at the bottom. */
static double
yof_pace(const struct geom *g, double pace)
{
	return g->top + (pace - g->fast) / (g->slow - g->fast) *
	    (g->bottom - g->top);
}

static double
yof_hr(const struct geom *g, double hr)
{
	return g->bottom - (hr - g->hlo) / (g->hhi - g->hlo) *
	    (g->bottom - g->top);
}

static void
put_pace(buf_t *b, double s_per_unit)
{
	long s = lround(s_per_unit);

	buf_printf(b, "%ld:%02ld", s / 60, s % 60);
}

void
split_label(buf_t *b, const struct split *s, enum unit u)
{
	char	 dist[32], pace[32];

	units_format_distance(dist, sizeof(dist), (int)lround(s->distance_m),
	    u);
	units_format_pace(pace, sizeof(pace), (int)lround(s->pace_s_per_km),
	    u);
	buf_printf(b, "Split %d, %s: %s", s->index, dist, pace);
	if (s->average_hr > 0)
		buf_printf(b, ", %ld bpm", lround(s->average_hr));
	if (s->has_elevation)
		buf_printf(b, ", %+ld m", lround(s->elevation_m));
}

static void
pace_ticks(buf_t *b, const struct geom *g)
{
	double	 p, y;
	buf_t	 t = BUF_INIT;

	buf_puts(b, "<g class=\"grid\">");
	for (p = g->fast; p <= g->slow + 1e-9; p += g->pstep) {
		y = yof_pace(g, p);
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/>", g->left, g->right, y, y,
		    COLOUR_GRID);
		buf_reset(&t);
		put_pace(&t, p);
		svg_label(b, g->left - 5, y + FONT * 0.35, "end", NULL,
		    buf_cstr(&t));
	}
	buf_puts(b, "</g>");
	buf_free(&t);
}

static void
hr_ticks(buf_t *b, const struct geom *g)
{
	char	 s[16];
	double	 h;

	if (g->hhi == 0)
		return;
	buf_printf(b, "<g class=\"hr-axis\" fill=\"%s\">", COLOUR_HR);
	for (h = g->hlo; h <= g->hhi + 1e-9; h += g->hstep) {
		snprintf(s, sizeof(s), "%.0f", h);
		svg_label(b, g->right + 5, yof_hr(g, h) + FONT * 0.35, "start",
		    NULL, s);
	}
	buf_puts(b, "</g>");
}

/* Whole units along the distance axis, far enough apart to read. */
static void
distance_ticks(buf_t *b, const struct geom *g, enum unit u)
{
	double	 units = g->total / g->per, step, d, x;
	char	 s[16];

	/* Labels about 28 units apart at most; never between whole units. */
	step = svg_nice_step(units, (int)((g->right - g->left) / 28));
	if (step < 1)
		step = 1;
	buf_puts(b, "<g class=\"distance\">");
	for (d = step; d <= units + 1e-9; d += step) {
		x = xof(g, d * g->per);
		snprintf(s, sizeof(s), "%g", d);
		svg_label(b, x, g->bottom + FONT + 3, "middle", NULL, s);
	}
	svg_label(b, g->left - 5, g->bottom + FONT + 3, "end", "unit",
	    unit_key(u));
	buf_puts(b, "</g>");
}

static void
bars(buf_t *b, const struct geom *g, const struct split_chart *c)
{
	size_t	 i, fastest, slowest;
	double	 x0, x1, y;
	buf_t	 t = BUF_INIT;

	splits_extremes(c->splits, c->n, &fastest, &slowest);
	buf_puts(b, "<g class=\"splits\">");
	for (i = 0; i < c->n; i++) {
		const struct split *s = &c->splits[i];

		x0 = xof(g, s->start_m);
		x1 = xof(g, s->start_m + s->distance_m);
		y = yof_pace(g, pace_in(g, s->pace_s_per_km));
		/* A gap of a unit between bars, unless they are too thin. */
		buf_printf(b, "<rect class=\"split%s\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>",
		    i == fastest ? " fastest" : "", x0, y,
		    fmax(x1 - x0 - (x1 - x0 > 4 ? 1 : 0), 0.5), g->bottom - y,
		    i == fastest ? COLOUR_FAST : COLOUR_BAR);
		buf_reset(&t);
		split_label(&t, s, c->unit);
		svg_text(b, buf_cstr(&t));
		buf_puts(b, "</title></rect>");
	}
	buf_puts(b, "</g>");
	buf_free(&t);
}

static void
hr_line(buf_t *b, const struct geom *g, const struct split_chart *c)
{
	size_t	 i;
	int	 first = 1;
	double	 x;

	if (g->hhi == 0)
		return;
	buf_printf(b, "<g class=\"hr\" fill=\"%s\"><polyline fill=\"none\" "
	    "stroke=\"%s\" stroke-width=\"2\" points=\"", COLOUR_HR, COLOUR_HR);
	for (i = 0; i < c->n; i++) {
		const struct split *s = &c->splits[i];

		if (s->average_hr <= 0)
			continue;
		x = xof(g, s->start_m + s->distance_m / 2);
		if (!first)
			buf_putc(b, ' ');
		svg_point(b, x, yof_hr(g, s->average_hr));
		first = 0;
	}
	buf_puts(b, "\"/>");
	for (i = 0; i < c->n; i++)
		if (c->splits[i].average_hr > 0)
			buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>",
			    xof(g, c->splits[i].start_m +
			    c->splits[i].distance_m / 2),
			    yof_hr(g, c->splits[i].average_hr));
	buf_puts(b, "</g>");
}

static void
legend(buf_t *b, const struct geom *g, enum unit u)
{
	buf_t t = BUF_INIT;

	buf_printf(b, "<g class=\"legend\"><rect x=\"2\" y=\"6\" width=\"12\" "
	    "height=\"12\" fill=\"%s\"/>", COLOUR_BAR);
	buf_printf(&t, "Pace (min/%s)", unit_key(u));
	svg_label(b, 18, 16, "start", NULL, buf_cstr(&t));
	if (g->hhi > 0) {
		buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"12\" y2=\"12\" "
		    "stroke=\"%s\" stroke-width=\"2\"/>", SPLIT_CHART_W - 132,
		    SPLIT_CHART_W - 116, COLOUR_HR);
		svg_label(b, SPLIT_CHART_W - 2, 16, "end", NULL,
		    "Heart rate (bpm)");
	}
	buf_puts(b, "</g>");
	buf_free(&t);
}

void
split_chart_summary(buf_t *b, const struct split_chart *c)
{
	size_t i, fastest, slowest;

	if (c->splits == NULL || c->n == 0)
		return;
	for (i = 0; i < c->n; i++) {
		split_label(b, &c->splits[i], c->unit);
		buf_puts(b, ". ");
	}
	splits_extremes(c->splits, c->n, &fastest, &slowest);
	buf_printf(b, "Fastest: split %d; slowest: split %d.",
	    c->splits[fastest].index, c->splits[slowest].index);
}

void
split_chart_svg(buf_t *b, const struct split_chart *c)
{
	struct geom	 g;
	buf_t		 d = BUF_INIT;

	if (c->splits == NULL || c->n == 0)
		return;
	layout(&g, c);
	split_chart_summary(&d, c);
	svg_open(b, "split-chart", SPLIT_CHART_W, SPLIT_CHART_H, c->id,
	    c->title ? c->title : c->unit == UNIT_MI ? "Pace per mile" :
	    "Pace per km", buf_cstr(&d));
	buf_printf(b, "<g font-size=\"%d\" fill=\"%s\">", FONT, COLOUR_TEXT);
	legend(b, &g, c->unit);
	pace_ticks(b, &g);
	bars(b, &g, c);
	hr_line(b, &g, c);
	hr_ticks(b, &g);
	distance_ticks(b, &g, c->unit);
	buf_puts(b, "</g>");
	svg_close(b);
	buf_free(&d);
}
