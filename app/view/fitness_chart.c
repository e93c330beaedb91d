/*
 * fitness_chart: geometry, drawing and texts of the CTL/ATL/TSB chart.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/fitness_chart.h"
#include "view/svg.h"

#define COLOUR_CTL	"#1d4ed8"
#define COLOUR_ATL	"#c2185b"
#define COLOUR_TSB	"#b45309"
#define COLOUR_TEXT	"#4b5563"
#define COLOUR_GRID	"#e2e5ea"
#define COLOUR_AXIS	"#6b7280"
#define COLOUR_RACE	"#111827"
#define DASH		"5 4"

enum field { F_CTL, F_ATL, F_TSB, F__MAX };

static const struct {
	const char	*name, *short_name, *colour, *cls;
} fields[F__MAX] = {
	{ "Fitness (CTL)", "Fitness", COLOUR_CTL, "ctl" },
	{ "Fatigue (ATL)", "Fatigue", COLOUR_ATL, "atl" },
	{ "Form (TSB)", "Form", COLOUR_TSB, "tsb" },
};

/* Where everything goes, in SVG units, for one size. */
struct geom {
	int		 w, h, font, yticks, month_gap;
	double		 stroke, left, right, top, bottom;
	date_t		 d0, d1;	/* first and last day shown */
	int		 i0, i1;	/* their indices in the series */
	double		 lo, hi, step;	/* value axis */
};

static double
value(const struct fitness_day *d, enum field f)
{
	return f == F_CTL ? d->ctl : f == F_ATL ? d->atl : d->tsb;
}

static date_t
today_of(const struct fitness_series *s)
{
	return s->first + s->today;
}

static date_t
last_of(const struct fitness_series *s)
{
	return s->first + s->ndays - 1;
}

date_t
fitness_chart_default_from(const struct fitness_series *s,
    enum fitness_chart_size size)
{
	date_t from = today_of(s) - 7 * (size == FITNESS_CHART_SMALL ?
	    FITNESS_CHART_SMALL_WEEKS : FITNESS_CHART_LARGE_WEEKS);

	return from < s->first ? s->first : from;
}

/* "12 Nov 2026" */
static void
put_date(buf_t *b, date_t d)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	buf_printf(b, "%d %s %d", dd, month_short(m), y);
}

/* A figure as a runner reads it: whole, with a sign when asked. */
static void
put_figure(buf_t *b, double v, int sign)
{
	long r = lround(v);

	buf_printf(b, sign && r > 0 ? "+%ld" : "%ld", r);
}

static void
sizes(struct geom *g, enum fitness_chart_size size)
{
	if (size == FITNESS_CHART_SMALL) {
		g->w = FITNESS_CHART_SMALL_W;
		g->h = FITNESS_CHART_SMALL_H;
		g->font = 12;
		g->yticks = 3;
		g->month_gap = 34;
		g->stroke = 1.75;
		g->top = 34;
		g->left = 30;
	} else {
		g->w = FITNESS_CHART_LARGE_W;
		g->h = FITNESS_CHART_LARGE_H;
		g->font = 13;
		g->yticks = 5;
		g->month_gap = 38;
		g->stroke = 2;
		g->top = 40;
		g->left = 36;
	}
	g->right = g->w - 14;
	g->bottom = g->h - g->font - 12;
}

/* The value axis: round ticks around everything shown, 0 included. */
static void
value_axis(struct geom *g, const struct fitness_series *s)
{
	double	 lo = 0, hi = 10, v;
	int	 i, f;

	for (i = g->i0; i <= g->i1; i++)
		for (f = 0; f < F__MAX; f++) {
			v = value(&s->days[i], (enum field)f);
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
	g->step = svg_nice_step(hi - lo, g->yticks);
	g->lo = floor(lo / g->step) * g->step;
	g->hi = ceil(hi / g->step) * g->step;
}

static void
layout(struct geom *g, const struct fitness_chart *c)
{
	const struct fitness_series *s = c->series;

	sizes(g, c->size);
	g->d0 = c->from < s->first ? s->first : c->from;
	if (g->d0 > today_of(s))
		g->d0 = today_of(s);
	g->d1 = last_of(s);
	g->i0 = g->d0 - s->first;
	g->i1 = g->d1 - s->first;
	value_axis(g, s);
}

static double
xof(const struct geom *g, double d)
{
	if (g->d1 == g->d0)
		return (g->left + g->right) / 2;
	return g->left + (d - g->d0) * (g->right - g->left) / (g->d1 - g->d0);
}

static double
yof(const struct geom *g, double v)
{
	return g->bottom - (v - g->lo) * (g->bottom - g->top) / (g->hi - g->lo);
}

static void
value_ticks(buf_t *b, const struct geom *g)
{
	char	 s[32];
	double	 v, y;
	int	 k, n = (int)lround((g->hi - g->lo) / g->step);

	buf_puts(b, "<g class=\"grid\">");
	for (k = 0; k <= n; k++) {
		v = g->lo + k * g->step;
		y = yof(g, v);
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>", g->left,
		    g->right, y, y, fabs(v) < 1e-9 ? COLOUR_AXIS : COLOUR_GRID);
		snprintf(s, sizeof(s), "%g", fabs(v) < 1e-9 ? 0 : v);
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" "
		    "text-anchor=\"end\">%s</text>", g->left - 5, y, s);
	}
	buf_puts(b, "</g>");
}

/* Months between labels so that they stay month_gap units apart. */
static int
month_step(const struct geom *g)
{
	static const int steps[] = { 1, 2, 3, 6, 12 };
	double	 per_month = (g->right - g->left) /
	    ((g->d1 - g->d0 + 1) / 30.44);
	size_t	 i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (per_month * steps[i] >= g->month_gap)
			return steps[i];
	return 12 * (int)ceil(g->month_gap / (per_month * 12));
}

static void
next_month(int *y, int *m)
{
	if (++*m > 12) {
		*m = 1;
		++*y;
	}
}

/* Month starts along the time axis; January shows its year. */
static void
month_ticks(buf_t *b, const struct geom *g)
{
	int	 y, m, d, step = month_step(g);
	date_t	 t;
	double	 x;

	date_to_ymd(g->d0, &y, &m, &d);
	if (d != 1)
		next_month(&y, &m);
	buf_puts(b, "<g class=\"months\">");
	for (; (t = date_from_ymd(y, m, 1)) <= g->d1; next_month(&y, &m)) {
		/* Months counted from year 0 keep January on every step. */
		if ((y * 12 + m - 1) % step != 0)
			continue;
		x = xof(g, t);
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/>", x, x, g->top, g->bottom,
		    COLOUR_GRID);
		if (m == 1)
			buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%d</text>", x,
			    g->bottom + g->font + 4, y);
		else
			buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%s</text>", x,
			    g->bottom + g->font + 4, month_short(m));
	}
	buf_puts(b, "</g>");
}

/* One series from index a to b, points closer than a unit merged. */
static void
polyline(buf_t *b, const struct geom *g, const struct fitness_series *s,
    enum field f, int a, int z, int dashed)
{
	double	 x, last = -1e9;
	int	 i;

	if (z <= a)
		return;
	buf_printf(b, "<polyline class=\"%s%s\" fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"%.2f\" stroke-linejoin=\"round\"%s points=\"",
	    fields[f].cls, dashed ? " planned" : "", fields[f].colour,
	    g->stroke, dashed ? " stroke-dasharray=\"" DASH "\"" : "");
	for (i = a; i <= z; i++) {
		x = xof(g, s->first + i);
		if (x - last < 1.0 && i != z)
			continue;
		if (i != a)
			buf_putc(b, ' ');
		svg_point(b, x, yof(g, value(&s->days[i], f)));
		last = x;
	}
	buf_puts(b, "\"/>");
}

static void
lines(buf_t *b, const struct geom *g, const struct fitness_series *s)
{
	int f, t = s->today;

	/* Form first, so that fitness and fatigue are drawn over it. */
	for (f = F__MAX - 1; f >= 0; f--) {
		polyline(b, g, s, (enum field)f, g->i0, t < g->i1 ? t : g->i1,
		    0);
		polyline(b, g, s, (enum field)f, t > g->i0 ? t : g->i0, g->i1,
		    1);
	}
}

static void
ramp_bands(buf_t *b, const struct geom *g, const struct fitness_chart *c)
{
	struct fitness_week	*w;
	buf_t			 msg = BUF_INIT;
	size_t			 n, k;
	double			 x0, x1, half;

	if ((w = fitness_weeks(c->series, c->first_day, &n)) == NULL)
		return;
	half = (xof(g, g->d0 + 1) - xof(g, g->d0)) / 2;
	buf_puts(b, "<g class=\"ramp-warnings\">");
	for (k = 0; k < n; k++) {
		if (w[k].level == RAMP_OK || w[k].start + 6 < g->d0 ||
		    w[k].start > g->d1)
			continue;
		x0 = fmax(xof(g, w[k].start) - half, g->left);
		x1 = fmin(xof(g, w[k].start + 6) + half, g->right);
		buf_reset(&msg);
		fitness_ramp_message(&msg, &w[k]);
		buf_printf(b, "<rect class=\"ramp-%s\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
		    "fill-opacity=\"0.16\"><title>",
		    w[k].level == RAMP_HIGH ? "high" : "too-fast", x0, g->top,
		    fmax(x1 - x0, 2), g->bottom - g->top,
		    w[k].level == RAMP_HIGH ? "#f59e0b" : "#dc2626");
		svg_text(b, buf_cstr(&msg));
		buf_puts(b, "</title></rect>");
	}
	buf_puts(b, "</g>");
	buf_free(&msg);
	free(w);
}

/* A vertical marker (race day solid, today dotted), labelled at the top. */
static void
marker(buf_t *b, const struct geom *g, date_t d, bool race, int row)
{
	double	 x = xof(g, d), y = g->top + g->font + row * (g->font + 3);
	const char *label = race ? "Race day" : "Today";

	buf_printf(b, "<g class=\"%s\"><line x1=\"%.1f\" x2=\"%.1f\" "
	    "y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
	    race ? "race" : "today", x, x, g->top, g->bottom,
	    race ? COLOUR_RACE : COLOUR_AXIS,
	    race ? "1.5" : "1", race ? "" : " stroke-dasharray=\"2 3\"");
	/*
	 * Labels sit right of the line unless it is near the right edge, on
	 * a white halo so that they stay readable over the lines.
	 */
	buf_puts(b, "<g stroke=\"#fff\" stroke-width=\"3\" "
	    "paint-order=\"stroke\" fill=\"" COLOUR_RACE "\">");
	if (x > g->right - 70)
		svg_label(b, x - 4, y, "end", NULL, label);
	else
		svg_label(b, x + 4, y, "start", NULL, label);
	buf_puts(b, "</g></g>");
}

/* Where marker() puts a label of n characters at day d: [*x0, *x1]. */
static void
label_span(const struct geom *g, date_t d, size_t n, double *x0, double *x1)
{
	double x = xof(g, d), w = n * g->font * 0.6;

	*x0 = x > g->right - 70 ? x - 4 - w : x + 4;
	*x1 = *x0 + w;
}

static void
markers(buf_t *b, const struct geom *g, const struct fitness_chart *c)
{
	date_t	 today = today_of(c->series);
	int	 race_row = 0;

	/* Today is not marked when it ends the chart: nothing is planned. */
	if (today >= g->d0 && today < g->d1)
		marker(b, g, today, false, 0);
	if (!c->has_race || c->race_date < g->d0 || c->race_date > g->d1)
		return;
	/* Two labels that would overlap go on two rows. */
	if (today < g->d1) {
		double t0, t1, r0, r1;

		label_span(g, today, strlen("Today"), &t0, &t1);
		label_span(g, c->race_date, strlen("Race day"), &r0, &r1);
		if (r0 < t1 + 6 && t0 < r1 + 6)
			race_row = 1;
	}
	marker(b, g, c->race_date, true, race_row);
}

static void
legend(buf_t *b, const struct geom *g, enum fitness_chart_size size)
{
	double	 x = g->left - 30, y1 = g->font, y2 = 2 * g->font + 4;
	double	 step = size == FITNESS_CHART_SMALL ? 82 : 118;
	int	 f;

	if (x < 2)
		x = 2;
	buf_puts(b, "<g class=\"legend\">");
	for (f = 0; f < F__MAX; f++, x += step) {
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>", x, x + 16,
		    y1 - g->font * 0.35, y1 - g->font * 0.35, fields[f].colour);
		svg_label(b, x + 20, y1, "start", NULL,
		    size == FITNESS_CHART_SMALL ? fields[f].short_name :
		    fields[f].name);
	}
	svg_label(b, 2, y2, "start", "unit", "TSS/day");
	/* Right-aligned: "planned", its dashed key, "done", its solid key. */
	x = g->w - 2;
	svg_label(b, x, y2, "end", NULL, "planned");
	buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"" DASH "\"/>",
	    x - 74, x - 54, y2 - g->font * 0.35, y2 - g->font * 0.35,
	    COLOUR_AXIS);
	svg_label(b, x - 80, y2, "end", NULL, "done");
	buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"2\"/>", x - 134, x - 114,
	    y2 - g->font * 0.35, y2 - g->font * 0.35, COLOUR_AXIS);
	buf_puts(b, "</g>");
}

static void
title(buf_t *b, const struct fitness_chart *c)
{
	buf_puts(b, "Fitness, fatigue and form");
	if (c->has_race) {
		buf_puts(b, " up to ");
		buf_puts(b, c->race_name ? c->race_name : "race day");
	}
}

void
fitness_chart_svg(buf_t *b, const struct fitness_chart *c)
{
	struct geom	 g;
	buf_t		 t = BUF_INIT, d = BUF_INIT;

	if (c->series == NULL || c->series->days == NULL ||
	    c->series->ndays <= 0)
		return;
	layout(&g, c);
	title(&t, c);
	fitness_chart_summary(&d, c);
	svg_open(b, c->size == FITNESS_CHART_SMALL ? "fitness-chart small" :
	    "fitness-chart", g.w, g.h, c->id, buf_cstr(&t), buf_cstr(&d));
	buf_printf(b, "<g font-size=\"%d\" fill=\"%s\">", g.font, COLOUR_TEXT);
	legend(b, &g, c->size);
	ramp_bands(b, &g, c);
	value_ticks(b, &g);
	month_ticks(b, &g);
	lines(b, &g, c->series);
	markers(b, &g, c);
	buf_puts(b, "</g>");
	svg_close(b);
	buf_free(&t);
	buf_free(&d);
}

static void
put_day(buf_t *b, const struct fitness_series *s, date_t d)
{
	const struct fitness_day *day = fitness_at(s, d);

	buf_puts(b, "fitness ");
	put_figure(b, day->ctl, 0);
	buf_puts(b, ", fatigue ");
	put_figure(b, day->atl, 0);
	buf_puts(b, ", form ");
	put_figure(b, day->tsb, 1);
}

bool
fitness_ramp_message(buf_t *b, const struct fitness_week *w)
{
	if (w->level == RAMP_OK)
		return false;
	buf_puts(b, "Week of ");
	put_date(b, w->start);
	buf_printf(b, "%s: fitness %+.1f a week, ", w->projected ?
	    " (planned)" : "", w->ramp);
	if (w->level == RAMP_TOO_FAST)
		buf_printf(b, "faster than %.0f a week, the safe limit.",
		    FITNESS_RAMP_TOO_FAST);
	else
		buf_printf(b, "above the %.0f a week most runners absorb.",
		    FITNESS_RAMP_HIGH);
	return true;
}

static void
summary_warnings(buf_t *b, const struct fitness_chart *c, date_t d0)
{
	struct fitness_week	*w;
	size_t			 n, k;

	if ((w = fitness_weeks(c->series, c->first_day, &n)) == NULL)
		return;
	for (k = 0; k < n; k++)
		if (w[k].level != RAMP_OK && w[k].start + 6 >= d0) {
			buf_putc(b, ' ');
			fitness_ramp_message(b, &w[k]);
		}
	free(w);
}

void
fitness_chart_summary(buf_t *b, const struct fitness_chart *c)
{
	const struct fitness_series *s = c->series;
	struct geom	 g;
	date_t		 today;

	if (s == NULL || s->days == NULL || s->ndays <= 0)
		return;
	layout(&g, c);
	today = today_of(s);
	buf_puts(b, "Fitness (CTL), fatigue (ATL) and form (TSB) in TSS per "
	    "day, from ");
	put_date(b, g.d0);
	buf_puts(b, " to ");
	put_date(b, g.d1);
	buf_puts(b, today < g.d1 ? "; solid: done, dashed: planned. Today, " :
	    ". Today, ");
	put_date(b, today);
	buf_puts(b, ": ");
	put_day(b, s, today);
	buf_printf(b, "; fitness %+.1f over the last 7 days.",
	    fitness_ramp(s, today));
	if (c->has_race && fitness_at(s, c->race_date) != NULL) {
		buf_puts(b, " Race day");
		if (c->race_name != NULL) {
			buf_puts(b, " (");
			buf_puts(b, c->race_name);
			buf_putc(b, ')');
		}
		buf_puts(b, ", ");
		put_date(b, c->race_date);
		buf_puts(b, c->race_date > today ? ", as planned: " : ": ");
		put_day(b, s, c->race_date);
		buf_putc(b, '.');
	}
	summary_warnings(b, c, g.d0);
}
