/* chart: geometry and texts of the weekly distance chart. */
#include <stdio.h>

#include "core/buf.h"
#include "view/chart.h"

/* Whole units of a distance, rounded. */
static int64_t
in_units(int64_t metres, enum unit u)
{
	double per = u == UNIT_MI ? METRES_PER_MILE : 1000.0;

	return (int64_t)(metres / per + 0.5);
}

/* A round tick step giving at most CHART_MAX_TICKS steps up to max. */
static int64_t
tick_step(int64_t max)
{
	static const int64_t steps[] = { 5, 10, 20, 25, 50, 100, 200, 500 };
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (max <= steps[i] * CHART_MAX_TICKS)
			return steps[i];
	return (max + CHART_MAX_TICKS - 1) / CHART_MAX_TICKS;
}

/* y of value v (metres) on a scale whose top is top_m. */
static int
scale_y(int64_t v, int64_t top_m)
{
	int64_t h = CHART_BOTTOM - CHART_TOP;

	if (v <= 0 || top_m <= 0)
		return CHART_BOTTOM;
	if (v > top_m)
		v = top_m;
	return CHART_BOTTOM - (int)((v * h + top_m / 2) / top_m);
}

static void
distance_text(buf_t *b, int64_t metres, enum unit u)
{
	char s[32];

	units_format_distance(s, sizeof(s), metres > 1000000000 ? 1000000000 :
	    (int)metres, u);
	buf_puts(b, s);
}

json_t *
chart_json(const struct chart_week *w, int n, enum unit u)
{
	json_t	*bars, *ticks, *c;
	buf_t	 desc = BUF_INIT, label = BUF_INIT;
	int64_t	 max_m = 0, step, top, t;
	double	 per = u == UNIT_MI ? METRES_PER_MILE : 1000.0;
	int	 i, x, py, ay, slot, bar, run_bar;

	if (n <= 0)
		return json_null();
	for (i = 0; i < n; i++) {
		if (w[i].planned_m > max_m)
			max_m = w[i].planned_m;
		if (w[i].actual_m > max_m)
			max_m = w[i].actual_m;
	}
	step = tick_step(in_units(max_m, u) > 0 ? in_units(max_m, u) : 1);
	top = (in_units(max_m, u) + step - 1) / step * step;
	if (top == 0)
		top = step;
	ticks = json_array();
	for (t = 0; t <= top; t += step) {
		char s[24];

		/* The unit on the axis itself: "20 km", "10 mi". */
		snprintf(s, sizeof(s), "%lld %s", (long long)t, unit_key(u));
		json_array_append_new(ticks, json_pack("{s:i, s:s}", "y",
		    scale_y((int64_t)(t * per + 0.5), (int64_t)(top * per + 0.5)),
		    "label", s));
	}
	bars = json_array();
	buf_printf(&desc, "Planned and run distance per week, in %s. ",
	    unit_key(u));
	slot = (CHART_WIDTH - CHART_LEFT) / n;
	bar = slot * 7 / 10 > 1 ? slot * 7 / 10 : 1;
	run_bar = bar / 2 > 1 ? bar / 2 : 1;
	for (i = 0; i < n; i++) {
		x = CHART_LEFT + i * slot + (slot - bar) / 2;
		py = scale_y(w[i].planned_m, (int64_t)(top * per + 0.5));
		ay = scale_y(w[i].actual_m, (int64_t)(top * per + 0.5));
		buf_reset(&label);
		buf_printf(&label, "Week %d: ", w[i].number);
		distance_text(&label, w[i].actual_m, u);
		buf_puts(&label, " run of ");
		distance_text(&label, w[i].planned_m, u);
		buf_puts(&label, " planned");
		buf_printf(&desc, "%s%s", buf_cstr(&label), i + 1 < n ? "; " : ".");
		json_array_append_new(bars, json_pack("{s:o, s:s, s:i, s:i, s:i,"
		    " s:i, s:i, s:i, s:i}", "week", slot >= CHART_LABEL_MIN ||
		    w[i].number % 2 == 1 ? json_integer(w[i].number) :
		    json_null(), "label", buf_cstr(&label), "x", x,
		    "planned_y", py, "planned_h", CHART_BOTTOM - py,
		    "actual_x", x + (bar - run_bar) / 2,
		    "actual_y", ay, "actual_h", CHART_BOTTOM - ay,
		    "label_x", x + bar / 2));
	}
	c = json_pack("{s:i, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:o, s:o}",
	    "width", CHART_WIDTH, "height", CHART_HEIGHT,
	    "title", unit_key(u)[0] == 'm' ?
	    "Weekly distance in miles: planned and run" :
	    "Weekly distance in kilometres: planned and run",
	    "desc", buf_cstr(&desc), "bar_width", bar,
	    "actual_width", run_bar, "axis_left", CHART_LEFT,
	    "tick_label_x", CHART_LEFT - 6, "label_y", CHART_HEIGHT - 8,
	    "y_ticks", ticks, "bars", bars);
	buf_free(&desc);
	buf_free(&label);
	return c;
}
