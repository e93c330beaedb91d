/*
 * Fitness (GET /fitness): fitness, fatigue and form (CTL, ATL, TSB) over
 * the weeks shown (?weeks=12, 26 or 52; 26 by default) from the runner's
 * whole history, projected through the active plan to race day, as an
 * SVG chart with its text alternative, today's and race day's figures,
 * the ramp per week with its warnings, the fitness the runs show (VDOT
 * with its evidence) and the pending proposal to adapt the plan.  The
 * dashboard's small chart is fitness_card().
 * Cost: the session, training_fitness_load()'s 2 (4 when runs came in
 * since the job worker stored the series), 1 for the runs of the VDOT
 * estimate, 1 for the pending proposal.
 */
#include <math.h>
#include <string.h>

#include "core/util.h"
#include "db/activities.h"
#include "db/adjustments.h"
#include "domain/adapt.h"
#include "domain/vdot.h"
#include "pages/fitness.h"
#include "pages/pages.h"
#include "training/series.h"
#include "view/fitness_chart.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define WEEKS_DEFAULT	26
#define WEEKS_TABLE_DONE 6	/* weeks of history in the ramp table */

static const int ranges[] = { 12, 26, 52 };

/* Friel's words on form (docs/training-load.md). */
static const char *
form_words(double tsb)
{
	if (tsb > 25)
		return "very fresh: fitness fades if this lasts";
	if (tsb >= 5)
		return "fresh: ready to race";
	if (tsb >= -10)
		return "neutral: training as usual";
	if (tsb >= -30)
		return "tired: hard training, recover well";
	return "very tired: rest before going on";
}

static json_t *
day_json(arena_t *a, const struct fitness_series *s, date_t d)
{
	const struct fitness_day *x = fitness_at(s, d);

	if (x == NULL)
		return json_null();
	return json_pack("{s:i, s:i, s:s, s:s, s:s}", "fitness",
	    (int)lround(x->ctl), "fatigue", (int)lround(x->atl), "form",
	    arena_printf(a, "%+d", (int)lround(x->tsb)), "form_words",
	    form_words(x->tsb), "date_label", pf_date(a, d, DS_FULL));
}

static const char *
level_class(enum fitness_ramp_level l)
{
	return l == RAMP_TOO_FAST ? "c-red" : l == RAMP_HIGH ? "c-yellow" :
	    "c-green";
}

/* The ramp table: the last weeks done and every planned one. */
static json_t *
weeks_json(arena_t *a, const struct training_fitness *t, json_t *warnings)
{
	json_t	*list = json_array();
	buf_t	 b = BUF_INIT;
	size_t	 k, done = 0;

	for (k = 0; k < t->nweeks; k++)
		done += !t->weeks[k].projected;
	for (k = 0; k < t->nweeks; k++) {
		const struct fitness_week *w = &t->weeks[k];

		if (!w->projected && k + WEEKS_TABLE_DONE < done)
			continue;
		buf_reset(&b);
		if (fitness_ramp_message(&b, w))
			json_array_append_new(warnings,
			    json_string(buf_cstr(&b)));
		json_array_append_new(list, json_pack("{s:s, s:i, s:i, s:s, s:s,"
		    " s:b, s:o}", "week_label", pf_date(a, w->start, DS_SHORT),
		    "load", (int)lround(w->load), "fitness",
		    (int)lround(w->ctl_end), "ramp", arena_printf(a, "%+.1f",
		    w->ramp), "ramp_class", level_class(w->level), "projected",
		    w->projected, "warning", w->level == RAMP_OK ? json_null() :
		    json_string(w->level == RAMP_TOO_FAST ? "too fast" :
		    "high")));
	}
	buf_free(&b);
	return list;
}

/* The fitness the runs show, with its evidence, next to the plan's. */
static json_t *
vdot_json(struct request *req, const struct training_fitness *t,
    enum unit u)
{
	const struct run_sample	*r;
	char			 ev[96];
	double			 v;
	size_t			 n;
	int			 best;

	if (activities_recent_runs(req->db, req->arena, req->runner->id,
	    t->today, ESTIMATE_WINDOW_DAYS, &r, &n) < 0)
		return NULL;
	if ((best = vdot_best_run(r, n, t->today, &v)) < 0)
		return json_null();
	adapt_evidence(ev, sizeof(ev), &r[best], u);
	return json_pack("{s:s, s:s, s:o}", "value", arena_printf(req->arena,
	    "%.1f", v), "evidence", ev, "plan", t->ahead.vdot > 0 ?
	    json_string(arena_printf(req->arena, "%.1f", t->ahead.vdot)) :
	    json_null());
}

/* The pending proposal of the active plan, or null; NULL on error. */
json_t *
fitness_pending_json(struct request *req, const char *plan_id)
{
	struct adjustment	 x;
	int			 rc;

	if ((rc = adjustments_pending(req->db, req->arena, req->runner->id,
	    plan_id, &x)) != 1)
		return rc == 0 ? json_null() : NULL;
	return json_pack("{s:s, s:s, s:s, s:b}", "url", arena_printf(
	    req->arena, "/adjustments/%s", x.id), "summary", x.summary,
	    "title", strcmp(x.kind, "paces") == 0 ? "New training paces for "
	    "you" : "Cadence suggests adjusting your plan", "paces",
	    strcmp(x.kind, "paces") == 0);
}

static json_t *
ranges_json(arena_t *a, int weeks)
{
	json_t	*list = json_array();
	size_t	 i;

	for (i = 0; i < NELEM(ranges); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "label",
		    ranges[i] == 52 ? "1 year" : arena_printf(a, "%d weeks",
		    ranges[i]), "href", arena_printf(a, "/fitness?weeks=%d",
		    ranges[i]), "current", ranges[i] == weeks));
	return list;
}

/* The chart (svg) and its text (summary) for t from day from. */
static void
chart(arena_t *a, const struct training_fitness *t, date_t from,
    enum weekday first, enum fitness_chart_size size, const char **svg,
    const char **summary)
{
	struct fitness_chart	 c;
	buf_t			 b = BUF_INIT;

	memset(&c, 0, sizeof(c));
	c.series = &t->series;
	c.from = from;
	c.has_race = t->has_race;
	c.race_date = t->ahead.race_date;
	c.race_name = t->ahead.race_name;
	c.id = size == FITNESS_CHART_SMALL ? "fitness-small" : "fitness";
	c.first_day = first;
	c.size = size;
	fitness_chart_svg(&b, &c);
	*svg = arena_strdup(a, buf_cstr(&b));
	buf_reset(&b);
	fitness_chart_summary(&b, &c);
	*summary = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
}

/* ?weeks=: one of ranges, the default when absent; 0 when bad. */
static int
weeks_of(struct request *req)
{
	const char	*v = req_query(req, "weeks");
	size_t		 i;

	if (*v == '\0')
		return WEEKS_DEFAULT;
	for (i = 0; i < NELEM(ranges); i++)
		if (atoi(v) == ranges[i] && strspn(v, "0123456789") == strlen(v))
			return ranges[i];
	return 0;
}

static json_t *
page_json(struct request *req, const struct training_fitness *t, int weeks,
    const char *summary, enum unit u)
{
	json_t	*warnings = json_array(), *vdot, *pending;

	if ((vdot = vdot_json(req, t, u)) == NULL)
		return NULL;
	if ((pending = fitness_pending_json(req, NULL)) == NULL) {
		json_decref(vdot);
		return NULL;
	}
	return json_pack("{s:{s:b}, s:b, s:o, s:o, s:o, s:o, s:o, s:b, s:o,"
	    " s:o, s:o, s:o}", "nav", "fitness", 1, "has_runs",
	    t->series.ndays > 0 && fitness_at(&t->series, t->today)->ctl > 0.05,
	    "summary", pf_str(*summary ? summary : NULL), "today", day_json(req->arena, &t->series,
	    t->today), "race", t->has_race ? json_pack("{s:s, s:i, s:o}",
	    "name", t->ahead.race_name, "days_to_go", t->ahead.race_date -
	    t->today, "day", day_json(req->arena, &t->series,
	    t->ahead.race_date)) : json_null(), "weeks", weeks_json(req->arena,
	    t, warnings), "warnings", warnings, "has_warnings", false,
	    "ranges", ranges_json(req->arena, weeks), "vdot", vdot,
	    "pending", pending, "plan", t->ahead.plan_id ? json_pack("{s:s,"
	    " s:s}", "id", t->ahead.plan_id, "name", t->ahead.plan_name) :
	    json_null());
}

int
page_fitness(struct request *req, struct response *res)
{
	struct training_fitness	 t;
	enum unit		 u = pf_unit(req->runner);
	enum weekday		 first = pf_first_day(req->runner);
	date_t			 today = pf_today(req->runner), from;
	const char		*svg, *summary;
	json_t			*data;
	int			 weeks, rc;

	if ((weeks = weeks_of(req)) == 0) {
		view_error(req, res, 400, "Choose 12, 26 or 52 weeks.");
		return 0;
	}
	from = today - 7 * weeks + 1;
	if (training_fitness_load(req->db, req->arena, req->runner->id, today,
	    from, first, &t) == -1)
		return -1;
	chart(req->arena, &t, from, first, FITNESS_CHART_LARGE, &svg, &summary);
	data = page_json(req, &t, weeks, summary, u);
	training_fitness_free(&t);
	if (data == NULL)
		return -1;
	json_object_set_new(data, "has_warnings", json_boolean(
	    json_array_size(json_object_get(data, "warnings")) > 0));
	json_object_set_new(data, "has_weeks", json_boolean(
	    json_array_size(json_object_get(data, "weeks")) > 0));
	rc = view_page_markup(req, res, 200, "fitness", data,
	    &(struct view_markup){ "fitness-chart", svg }, 1);
	return rc;
}

int
fitness_card(struct request *req, json_t *data, const char **svg)
{
	struct training_fitness	 t;
	enum weekday		 first = pf_first_day(req->runner);
	date_t			 today = pf_today(req->runner), from;
	const char		*summary;

	from = today - 7 * FITNESS_CHART_SMALL_WEEKS + 1;
	*svg = NULL;
	if (training_fitness_load(req->db, req->arena, req->runner->id, today,
	    from, first, &t) == -1)
		return -1;
	if (t.series.ndays > 0 && fitness_at(&t.series, today)->ctl > 0.05) {
		chart(req->arena, &t, from, first, FITNESS_CHART_SMALL, svg,
		    &summary);
		json_object_set_new(data, "fitness", json_pack("{s:o, s:s}",
		    "today", day_json(req->arena, &t.series, today), "summary",
		    summary));
	} else
		json_object_set_new(data, "fitness", json_null());
	training_fitness_free(&t);
	return 0;
}
