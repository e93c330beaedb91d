/*
 * The pace profile: a bar per split as wide as its distance and as high
 * as its speed, heart rate only when known, figures in titles and desc.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg_check.h"
#include "view/split_chart.h"

struct bar { double x, y, w, h; };

static size_t
bars(const char *svg, struct bar *out, size_t max)
{
	const char	*p = svg;
	size_t		 n = 0;

	while (n < max && (p = strstr(p, "<rect class=\"split")) != NULL) {
		p = strstr(p, " x=\"");
		sscanf(p, " x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"",
		    &out[n].x, &out[n].y, &out[n].w, &out[n].h);
		n++;
	}
	return n;
}

static char *
draw(const struct split *s, size_t n, enum unit u)
{
	struct split_chart	 c = { s, n, u, "pace", NULL };
	buf_t			 b = BUF_INIT;
	char			 err[128];

	split_chart_svg(&b, &c);
	cr_assert(svg_wellformed(buf_cstr(&b), err, sizeof(err)), "%s", err);
	return b.data;
}

Test(split_chart, bars_by_distance_and_speed)
{
	struct split_input	 in[] = {
		{ 1000, 300, 0, false, 0 }, { 1000, 270, 0, false, 0 },
		{ 500, 160, 0, false, 0 },
	};
	struct split		*s;
	struct bar		 b[8];
	size_t			 n;
	char			*svg;
	double			 w, h;

	s = splits_convert(in, 3, &n);
	svg = draw(s, n, UNIT_KM);
	cr_assert_eq(bars(svg, b, 8), 3);
	/* The faster second split stands higher; the half split is half as wide. */
	cr_assert_lt(b[1].y, b[0].y);
	cr_assert_gt(b[1].h, b[0].h);
	cr_assert_gt(b[2].h, 0);
	cr_assert_float_eq((b[2].w + 1) / (b[0].w + 1), 0.5, 0.01);
	cr_assert_float_eq(b[0].y + b[0].h, b[2].y + b[2].h, 1e-9);
	/* No heart rate: no line and no bpm axis. */
	cr_assert_eq(svg_count(svg, "polyline"), 0);
	cr_assert_null(strstr(svg, "bpm"));
	cr_assert_not_null(strstr(svg, ">Pace per km<"));
	cr_assert_not_null(strstr(svg, "class=\"split fastest\""));
	svg_viewbox(svg, &w, &h);
	cr_assert_eq(w, SPLIT_CHART_W);
	free(svg);
	free(s);
}

Test(split_chart, heart_rate_and_texts)
{
	struct split_input	 in[] = {
		{ 1609.344, 480, 150, true, 5 }, { 1609.344, 470, 158, true, -3 },
	};
	struct split_chart	 c;
	struct split		*s;
	buf_t			 t = BUF_INIT;
	size_t			 n;
	char			*svg;

	s = splits_convert(in, 2, &n);
	svg = draw(s, n, UNIT_MI);
	cr_assert_eq(svg_count(svg, "polyline"), 1);
	cr_assert_eq(svg_count(svg, "circle"), 2);
	cr_assert_not_null(strstr(svg, ">Heart rate (bpm)<"));
	cr_assert_not_null(strstr(svg, ">Pace (min/mi)<"));
	/* Each bar's title and the desc carry the figures. */
	cr_assert_not_null(strstr(svg,
	    "<title>Split 2, 1 mi: 7:50/mi, 158 bpm, -3 m</title>"));
	c = (struct split_chart){ s, n, UNIT_MI, "p", NULL };
	split_chart_summary(&t, &c);
	cr_assert_str_eq(buf_cstr(&t), "Split 1, 1 mi: 8:00/mi, 150 bpm, "
	    "+5 m. Split 2, 1 mi: 7:50/mi, 158 bpm, -3 m. Fastest: split 2; "
	    "slowest: split 1.");
	buf_free(&t);
	free(svg);
	free(s);
}

Test(split_chart, nothing_and_escaped_title)
{
	struct split_input	 in[] = { { 1000, 300, 0, false, 0 } };
	struct split_chart	 c = { NULL, 0, UNIT_KM, "p", NULL };
	struct split		*s;
	buf_t			 b = BUF_INIT;
	size_t			 n;

	split_chart_svg(&b, &c);
	cr_assert_eq(b.len, 0);
	s = splits_convert(in, 1, &n);
	c = (struct split_chart){ s, n, UNIT_KM, "p", "Laps of \"Tuesday <3\"" };
	split_chart_svg(&b, &c);
	cr_assert_not_null(strstr(buf_cstr(&b),
	    "Laps of &quot;Tuesday &lt;3&quot;"));
	buf_free(&b);
	free(s);
}
