/*
 * Plans: the list of a runner's plans, the form that builds one from a
 * race and the runner's fitness (app/domain/plan_gen.h), changing a
 * plan's inputs (which re-generates only its future, unfinished,
 * untouched workouts), and activate / rename / delete.
 *
 * The same form serves /plans/new and /plans/{id}/edit (template
 * plan_new with `edit` set); validation is plan_validate()'s, with each
 * message next to the field it is about.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "db/activities.h"
#include "db/plans.h"
#include "domain/plan_gen.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"

/* What a new plan's form starts with. */
#define DEFAULT_DISTANCE_M	21097
#define DEFAULT_RUNS		5
#define DEFAULT_LONG_RUN_DAY	WD_SUN
/* Parse bounds well past the generator's, so its messages name the limit. */
#define PARSE_MAX_WEEKS		1000
#define PARSE_MAX_RUNS		100
#define PARSE_MAX_METRES	10000000

static const struct option distance_options[] = {
	{ "5000", "5K" }, { "10000", "10K" }, { "21097", "Half marathon" },
	{ "42195", "Marathon" }, { "custom", "Other distance" },
};
static const struct option recent_options[] = {
	{ "", "No recent race" }, { "5000", "5K" }, { "10000", "10K" },
	{ "21097", "Half marathon" }, { "42195", "Marathon" },
	{ "custom", "Other distance" },
};
static const struct option runs_options[] = {
	{ "3", "3 runs" }, { "4", "4 runs" }, { "5", "5 runs" },
	{ "6", "6 runs" }, { "7", "7 runs" },
};
static const struct option day_options[] = {
	{ "mon", "Monday" }, { "tue", "Tuesday" }, { "wed", "Wednesday" },
	{ "thu", "Thursday" }, { "fri", "Friday" }, { "sat", "Saturday" },
	{ "sun", "Sunday" },
};

/* The form's fields, in the order the form shows them. */
enum field {
	F_NAME, F_RACE_NAME, F_RACE_DISTANCE, F_RACE_DISTANCE_CUSTOM,
	F_RACE_DATE, F_RACE_LOCATION, F_RACE_URL, F_GOAL_TIME, F_START_DATE,
	F_WEEKS, F_RUNS, F_LONG_RUN_DAY, F_WEEKLY, F_LONGEST, F_RECENT_DISTANCE,
	F_RECENT_DISTANCE_CUSTOM, F_RECENT_TIME, F__MAX
};

static const char *const field_names[F__MAX] = {
	"name", "race_name", "race_distance", "race_distance_custom",
	"race_date", "race_location", "race_url", "goal_time", "start_date",
	"weeks", "runs_per_week", "long_run_day", "weekly_distance",
	"longest_run", "recent_race_distance", "recent_race_distance_custom",
	"recent_race_time",
};

/* The form as typed (v) and what it means (race, in). */
struct plan_form {
	const char		*v[F__MAX];
	struct plan_race	 race;
	struct plan_input	 in;
	const char		*edit_id;	/* NULL: a new plan */
	const char		*edit_name;
	bool			 goal_not_used;	/* the flash says why */
};

static enum unit
runner_unit(const struct request *req)
{
	return strcmp(req->subject->units, "mi") == 0 ? UNIT_MI : UNIT_KM;
}

static bool
standard_distance(const char *v)
{
	size_t i;

	for (i = 0; i + 1 < NELEM(distance_options); i++)
		if (strcmp(v, distance_options[i].value) == 0)
			return true;
	return false;
}

/* Characters (not bytes) of valid UTF-8 text on one line, within 0..max. */
static bool
line_ok(const char *s, size_t max)
{
	size_t n = 0;
	const char *p;

	if (!utf8_text_ok(s, strlen(s), false))
		return false;
	for (p = s; *p != '\0'; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	return n <= max;
}

/* An absolute http(s) address with a host and nothing a URL cannot hold. */
static bool
url_ok(const char *u)
{
	const char *host;

	if (strlen(u) > PLAN_URL_MAX || !utf8_text_ok(u, strlen(u), false) ||
	    strpbrk(u, " \t\"<>\\^`{|}") != NULL)
		return false;
	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return false;
	return *host != '\0' && strchr("/?#:@", *host) == NULL;
}

/* "40", "32.5", "26.22": a distance as the runner types it. */
static const char *
distance_value(arena_t *a, int metres, enum unit u)
{
	char	 s[32];
	size_t	 n;

	snprintf(s, sizeof(s), "%.2f",
	    metres / (u == UNIT_MI ? METRES_PER_MILE : 1000.0));
	n = strlen(s);
	while (s[n - 1] == '0')
		s[--n] = '\0';
	if (s[n - 1] == '.')
		s[--n] = '\0';
	return arena_strdup(a, s);
}

static const char *
duration_value(arena_t *a, int seconds)
{
	char s[16];

	if (seconds <= 0)
		return "";
	units_format_duration(s, sizeof(s), seconds);
	return arena_strdup(a, s);
}

/*
 * The browser's min and max of the distance inputs, in the unit: the
 * server's limits (plan_gen.h), so the two never disagree.
 */
static const char *
limit_value(arena_t *a, int metres, enum unit u)
{
	char	 s[32];
	size_t	 n;

	/* Three decimals: 42.195 km, 26.219 mi (parsed back to 42195 m). */
	snprintf(s, sizeof(s), "%.3f",
	    metres / (u == UNIT_MI ? METRES_PER_MILE : 1000.0));
	n = strlen(s);
	while (s[n - 1] == '0')
		s[--n] = '\0';
	if (s[n - 1] == '.')
		s[--n] = '\0';
	return arena_strdup(a, s);
}

static json_t *
limits_json(arena_t *a, enum unit u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
	    "race_min", limit_value(a, PLAN_MIN_RACE_M, u),
	    "race_max", limit_value(a, PLAN_MAX_RACE_M, u),
	    "recent_min", limit_value(a, PLAN_MIN_RECENT_M, u),
	    "recent_max", limit_value(a, PLAN_MAX_RECENT_M, u),
	    "weekly_max", limit_value(a, PLAN_MAX_WEEKLY_M, u),
	    "longest_max", limit_value(a, PLAN_MAX_LONGEST_M, u));
}

/* A distance in metres as select value + custom field in the unit. */
static void
distance_fields(arena_t *a, int metres, enum unit u, const char **sel,
    const char **custom)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", metres);
	if (standard_distance(s)) {
		*sel = arena_strdup(a, s);
		*custom = "";
	} else {
		*sel = "custom";
		*custom = distance_value(a, metres, u);
	}
}

/* Fills the fields from parsed values (prefill of new and edit forms). */
static void
form_from_input(struct request *req, struct plan_form *pf)
{
	arena_t			*a = req->arena;
	const struct plan_input	*in = &pf->in;
	char			 d[11];
	int			 f;

	for (f = 0; f < F__MAX; f++)
		if (pf->v[f] == NULL)
			pf->v[f] = "";
	if (in->race_distance > 0)
		distance_fields(a, in->race_distance, in->unit,
		    &pf->v[F_RACE_DISTANCE], &pf->v[F_RACE_DISTANCE_CUSTOM]);
	if (in->race_date > 0) {
		date_format(in->race_date, d);
		pf->v[F_RACE_DATE] = arena_strdup(a, d);
	}
	pf->v[F_RUNS] = arena_printf(a, "%d", in->runs_per_week);
	pf->v[F_LONG_RUN_DAY] = weekday_key(in->long_run_day);
	pf->v[F_WEEKLY] = distance_value(a, in->weekly_distance_m, in->unit);
	pf->v[F_LONGEST] = in->longest_run_m > 0 ?
	    distance_value(a, in->longest_run_m, in->unit) : "";
	if (in->recent_race_distance > 0 && in->recent_race_time_s > 0) {
		distance_fields(a, in->recent_race_distance, in->unit,
		    &pf->v[F_RECENT_DISTANCE], &pf->v[F_RECENT_DISTANCE_CUSTOM]);
		pf->v[F_RECENT_TIME] = duration_value(a, in->recent_race_time_s);
	}
	pf->v[F_GOAL_TIME] = duration_value(a, in->goal_time_s);
}

/* A select's value if it is one of its options, else def. */
static const char *
option_or(const char *v, const struct option *o, size_t n, const char *def)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v, o[i].value) == 0)
			return v;
	return def;
}

/* Renders plan_new with form (stolen) and what the form typed. */
static int
show_form(struct request *req, struct response *res, int status,
    json_t *form, const struct plan_form *pf)
{
	json_t	*edit = json_null();
	int	 f;

	for (f = 0; f < F__MAX; f++)
		if (f != F_RACE_DISTANCE && f != F_RECENT_DISTANCE &&
		    f != F_RUNS && f != F_LONG_RUN_DAY)
			fd_value(form, field_names[f], pf->v[f]);
	fd_options(form, "race_distance", distance_options,
	    NELEM(distance_options), option_or(pf->v[F_RACE_DISTANCE],
	    distance_options, NELEM(distance_options), "21097"));
	fd_options(form, "recent_race_distance", recent_options,
	    NELEM(recent_options), option_or(pf->v[F_RECENT_DISTANCE],
	    recent_options, NELEM(recent_options), ""));
	fd_options(form, "runs_per_week", runs_options, NELEM(runs_options),
	    option_or(pf->v[F_RUNS], runs_options, NELEM(runs_options),
	    "5"));
	fd_options(form, "long_run_day", day_options, NELEM(day_options),
	    option_or(pf->v[F_LONG_RUN_DAY], day_options, NELEM(day_options),
	    "sun"));
	if (pf->edit_id != NULL)
		edit = json_pack("{s:s, s:s}", "id", pf->edit_id, "name",
		    pf->edit_name);
	/* Posted back where it came from: a coach's form is under the club. */
	return view_page(req, res, status, "plan_new", json_pack(
	    "{s:s, s:o, s:o, s:s, s:o, s:o, s:{s:b}}", "action", req->path,
	    "form", form, "limits", limits_json(req->arena, runner_unit(req)),
	    "unit_label", unit_key(runner_unit(req)), "form_error",
	    fd_has_errors(form) ? json_string("Some fields need attention: "
	    "see the messages below them.") : json_null(), "edit", edit,
	    "nav", "plans", 1));
}

static void
read_fields(const struct request *req, struct plan_form *pf)
{
	int f;

	for (f = 0; f < F__MAX; f++)
		pf->v[f] = req_form(req, field_names[f]);
}

/*
 * A race distance from select + custom field (in the runner's unit, like
 * every distance the runner types) into *m; false on error.
 */
static bool
parse_race_distance(const char *sel, const char *custom, enum unit u, int *m)
{
	if (strcmp(sel, "custom") == 0)
		return units_parse_distance(custom, u, PARSE_MAX_METRES, m) &&
		    *m > 0;
	return standard_distance(sel) && parse_int(sel, 0, PARSE_MAX_METRES, m);
}

/* The race and the plan's name: text the generator does not check. */
static void
parse_race(struct plan_form *pf, json_t *form)
{
	struct plan_race *r = &pf->race;

	r->race_name = pf->v[F_RACE_NAME];
	if (*r->race_name == '\0' || !line_ok(r->race_name, PLAN_NAME_MAX))
		fd_error(form, "race_name", "Give the race a name (at most "
		    "255 characters, on one line).");
	r->plan_name = *pf->v[F_NAME] != '\0' ? pf->v[F_NAME] : r->race_name;
	if (!line_ok(pf->v[F_NAME], PLAN_NAME_MAX))
		fd_error(form, "name", "Use at most 255 characters, on one "
		    "line.");
	r->location = *pf->v[F_RACE_LOCATION] != '\0' ?
	    pf->v[F_RACE_LOCATION] : NULL;
	if (!line_ok(pf->v[F_RACE_LOCATION], PLAN_NAME_MAX))
		fd_error(form, "race_location", "Use at most 255 characters, "
		    "on one line.");
	r->url = *pf->v[F_RACE_URL] != '\0' ? pf->v[F_RACE_URL] : NULL;
	if (r->url != NULL && !url_ok(r->url))
		fd_error(form, "race_url", "Give a web address starting with "
		    "http:// or https://, or leave it empty.");
}

/* Where a generator message about field f goes on this form. */
static const char *
error_field(const struct plan_form *pf, enum plan_field f)
{
	switch (f) {
	case PF_RACE_DISTANCE:
		return strcmp(pf->v[F_RACE_DISTANCE], "custom") == 0 ?
		    "race_distance_custom" : "race_distance";
	case PF_RECENT_RACE_DISTANCE:
		return strcmp(pf->v[F_RECENT_DISTANCE], "custom") == 0 ?
		    "recent_race_distance_custom" : "recent_race_distance";
	case PF_START_DATE:
		/* Editing keeps the start: the race date is what moved. */
		if (pf->edit_id != NULL)
			return "race_date";
		/*
		 * A start date left empty gets no error: the problem is the
		 * number of weeks to race day, so it goes there.
		 */
		return *pf->v[F_START_DATE] != '\0' ? "start_date" : "weeks";
	default:
		return plan_field_name(f);
	}
}

/*
 * Parses the typed fields into pf->in (today, unit, first day and, when
 * editing, the start date are already set) and validates; every problem
 * becomes a message on its field.
 */
static void
parse_form(struct plan_form *pf, json_t *form)
{
	struct plan_input	*in = &pf->in;
	struct plan_errors	 errs;
	bool			 race_date_ok = true, distance_ok = true;
	int			 f, day, m;

	parse_race(pf, form);
	if (!parse_race_distance(pf->v[F_RACE_DISTANCE],
	    pf->v[F_RACE_DISTANCE_CUSTOM], in->unit, &in->race_distance)) {
		distance_ok = false;
		fd_error(form, strcmp(pf->v[F_RACE_DISTANCE], "custom") == 0 ?
		    "race_distance_custom" : "race_distance",
		    in->unit == UNIT_MI ? "Choose a distance, or give another "
		    "one in miles, like 15.5." : "Choose a distance, or give "
		    "another one in km, like 25.");
	}
	if (!date_parse(pf->v[F_RACE_DATE], &in->race_date)) {
		race_date_ok = false;
		fd_error(form, "race_date", "Give the race date as "
		    "YYYY-MM-DD.");
	}
	if (pf->edit_id == NULL) {
		in->weeks = 0;
		if (*pf->v[F_START_DATE] != '\0' && *pf->v[F_WEEKS] != '\0')
			fd_error(form, "weeks", "Give a start date or a number "
			    "of weeks, not both.");
		else if (*pf->v[F_WEEKS] != '\0') {
			if (!parse_int(pf->v[F_WEEKS], 1, PARSE_MAX_WEEKS,
			    &in->weeks))
				fd_error(form, "weeks", "Give a whole number of "
				    "weeks, 4 to 30.");
		} else if (*pf->v[F_START_DATE] != '\0') {
			if (!date_parse(pf->v[F_START_DATE], &in->start_date))
				fd_error(form, "start_date", "Give the start "
				    "date as YYYY-MM-DD.");
		} else	/* neither: the first day of next week */
			in->start_date = date_week_start(in->today,
			    in->first_day) + 7;
	}
	if (!parse_int(pf->v[F_RUNS], 0, PARSE_MAX_RUNS, &in->runs_per_week))
		in->runs_per_week = 0;	/* plan_validate says 3 to 7 */
	day = weekday_parse(pf->v[F_LONG_RUN_DAY]);
	in->long_run_day = day < 0 ? WD__MAX : (enum weekday)day;
	if (!units_parse_distance(pf->v[F_WEEKLY], in->unit, PARSE_MAX_METRES,
	    &in->weekly_distance_m))
		fd_error(form, "weekly_distance", in->unit == UNIT_MI ?
		    "Give what you run a week in miles, like 25 or 25.5 "
		    "(0 if nothing)." : "Give what you run a week in km, like "
		    "40 or 40.5 (0 if nothing).");
	in->longest_run_m = 0;
	if (*pf->v[F_LONGEST] != '\0' && !units_parse_distance(pf->v[F_LONGEST],
	    in->unit, PARSE_MAX_METRES, &in->longest_run_m))
		fd_error(form, "longest_run", "Give a distance like 12 or "
		    "12.5, or leave it empty.");
	/* A recent race needs its time; a distance alone says nothing. */
	in->recent_race_distance = in->recent_race_time_s = 0;
	if (*pf->v[F_RECENT_TIME] != '\0') {
		if (!units_parse_duration(pf->v[F_RECENT_TIME],
		    &in->recent_race_time_s))
			fd_error(form, "recent_race_time", "Give the time as "
			    "h:mm:ss or mm:ss, e.g. 45:30 or 1:45:30.");
		if (*pf->v[F_RECENT_DISTANCE] != '\0' && !parse_race_distance(
		    pf->v[F_RECENT_DISTANCE], pf->v[F_RECENT_DISTANCE_CUSTOM],
		    in->unit, &m))
			fd_error(form, error_field(pf, PF_RECENT_RACE_DISTANCE),
			    in->unit == UNIT_MI ? "Choose a distance, or give "
			    "another one in miles." : "Choose a distance, or "
			    "give another one in km.");
		else if (*pf->v[F_RECENT_DISTANCE] != '\0')
			in->recent_race_distance = m;
	}
	in->goal_time_s = 0;
	if (*pf->v[F_GOAL_TIME] != '\0' && !units_parse_duration(
	    pf->v[F_GOAL_TIME], &in->goal_time_s))
		fd_error(form, "goal_time", "Give the goal as h:mm:ss or "
		    "mm:ss, e.g. 3:45:00.");
	if (plan_validate(in, &errs) == 0)
		return;
	for (f = 0; f < PF__MAX; f++) {
		if (errs.msg[f][0] == '\0')
			continue;
		/* Messages that follow from a field we could not read. */
		if (!race_date_ok && f == PF_START_DATE)
			continue;
		if (!distance_ok && (f == PF_START_DATE || f == PF_GOAL_TIME))
			continue;
		fd_error(form, error_field(pf, (enum plan_field)f), errs.msg[f]);
	}
}

/* The runner's imported runs of the fitness window into in (arena). */
static int
recent_runs(struct request *req, struct plan_input *in)
{
	return activities_recent_runs(req->db, req->arena, req->subject->id,
	    in->today, ESTIMATE_WINDOW_DAYS, &in->runs, &in->nruns) < 0 ? -1 : 0;
}

/* today, unit, first weekday and recent runs of the signed-in runner. */
static int
runner_input(struct request *req, struct plan_input *in)
{
	memset(in, 0, sizeof(*in));
	in->unit = runner_unit(req);
	in->first_day = strcmp(req->subject->first_day, "sun") == 0 ?
	    WD_SUN : WD_MON;
	if (!date_parse(req->subject->today, &in->today))
		return -1;
	return recent_runs(req, in);
}

int
page_plan_new(struct request *req, struct response *res)
{
	struct plan_form	 pf;

	memset(&pf, 0, sizeof(pf));
	if (runner_input(req, &pf.in) == -1)
		return -1;
	if (plans_profile_longest_run(req->db, req->subject->id,
	    &pf.in.longest_run_m) == -1)
		return -1;
	pf.in.race_distance = DEFAULT_DISTANCE_M;
	pf.in.runs_per_week = DEFAULT_RUNS;
	pf.in.long_run_day = DEFAULT_LONG_RUN_DAY;
	pf.in.weekly_distance_m = (int)req->subject->weekly_distance;
	pf.in.recent_race_distance = (int)req->subject->recent_race_distance;
	pf.in.recent_race_time_s = (int)req->subject->recent_race_time;
	form_from_input(req, &pf);
	if (req->subject->weekly_distance == 0)
		pf.v[F_WEEKLY] = "";	/* unknown: let the runner say */
	return show_form(req, res, 200, json_object(), &pf);
}

/* Generates and stores the plan the valid form describes. */
static int
store_new(struct request *req, struct plan_form *pf, char id[PLAN_ID_LEN])
{
	struct plan	p;
	int		rc;

	if (plan_generate(&pf->in, &p) != 0)
		return -1;
	rc = plans_create(req->db, req->subject->id, &pf->race, &pf->in,
	    &p, id);
	/* A goal the training does not support: say why paces ignore it. */
	pf->goal_not_used = p.goal_vdot > 0 && !p.goal_realistic;
	plan_free(&p);
	return rc;
}

int
page_plan_new_post(struct request *req, struct response *res)
{
	struct plan_form	 pf;
	json_t			*form = json_object();
	char			 id[PLAN_ID_LEN];

	memset(&pf, 0, sizeof(pf));
	read_fields(req, &pf);
	if (runner_input(req, &pf.in) == -1)
		goto fail;
	parse_form(&pf, form);
	if (fd_has_errors(form))
		return show_form(req, res, 422, form, &pf);
	if (store_new(req, &pf, id) == -1) {
		if (!reply_if_limit(req, res))
			goto fail;
		json_decref(form);
		return 0;
	}
	json_decref(form);
	view_flash(req, res, pf.goal_not_used ? "plan_created_goal" :
	    "plan_created");
	resp_redirect(req, res, arena_printf(req->arena, "/plans/%s#this-week",
	    id));
	return 0;
fail:
	json_decref(form);
	return -1;
}

/* Loads plan cap[0]'s inputs into pf; 1, 0 (not the runner's), -1. */
static int
load_for_edit(struct request *req, struct plan_form *pf)
{
	struct plan_input	 now;
	int			 rc;

	memset(pf, 0, sizeof(*pf));
	if (runner_input(req, &now) == -1)
		return -1;
	pf->in.today = now.today;
	if ((rc = plans_load_inputs(req->db, req->arena, req->subject->id,
	    req->cap[0], &pf->race, &pf->in)) != 1)
		return rc;
	pf->in.unit = now.unit;		/* reps for today's unit */
	pf->in.runs = now.runs;		/* fitness re-estimated from runs */
	pf->in.nruns = now.nruns;
	pf->edit_id = req->cap[0];
	pf->edit_name = pf->race.plan_name != NULL ? pf->race.plan_name : "";
	return 1;
}

int
page_plan_edit(struct request *req, struct response *res)
{
	struct plan_form	 pf;
	int			 rc;

	if ((rc = load_for_edit(req, &pf)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	pf.v[F_NAME] = pf.race.plan_name;
	pf.v[F_RACE_NAME] = pf.race.race_name;
	pf.v[F_RACE_LOCATION] = pf.race.location;
	pf.v[F_RACE_URL] = pf.race.url;
	form_from_input(req, &pf);
	return show_form(req, res, 200, json_object(), &pf);
}

int
page_plan_edit_post(struct request *req, struct response *res)
{
	struct plan_form	 pf;
	struct plan		 p;
	json_t			*form;
	int			 rc;

	if ((rc = load_for_edit(req, &pf)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	form = json_object();
	read_fields(req, &pf);
	parse_form(&pf, form);
	if (fd_has_errors(form))
		return show_form(req, res, 422, form, &pf);
	json_decref(form);
	if (plan_generate(&pf.in, &p) != 0)
		return -1;
	rc = plans_replan(req->db, req->subject->id, pf.edit_id, &pf.race,
	    &pf.in, &p, pf.in.today);
	plan_free(&p);
	if (rc == -1)
		return reply_if_limit(req, res) ? 0 : -1;
	if (rc == 0) {
		view_error(req, res, 404, NULL);
		return 0;
	}
	view_flash(req, res, "plan_updated");
	resp_redirect(req, res, arena_printf(req->arena, "/plans/%s",
	    pf.edit_id));
	return 0;
}

/* "Marathon", "10K", or the distance in the runner's unit. */
static const char *
distance_label(struct request *req, int metres)
{
	char	s[32];
	size_t	i;

	snprintf(s, sizeof(s), "%d", metres);
	for (i = 0; i + 1 < NELEM(distance_options); i++)
		if (strcmp(s, distance_options[i].value) == 0)
			return distance_options[i].label;
	units_format_distance(s, sizeof(s), metres, runner_unit(req));
	return arena_strdup(req->arena, s);
}

/* "Dec 7, 2025". */
static const char *
date_label(struct request *req, date_t d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	return arena_printf(req->arena, "%s %d, %d", month_short(m), day, y);
}

int
page_plans(struct request *req, struct response *res)
{
	struct plan_summary	*list;
	json_t			*plans;
	int			 i, n;

	if ((n = plans_list(req->db, req->arena, req->runner->id,
	    &list)) < 0)
		return -1;
	plans = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(plans, json_pack(
		    "{s:s, s:s, s:o, s:s, s:s, s:i, s:b}",
		    "id", list[i].id, "name", list[i].name,
		    "race_name", list[i].race_name != NULL ?
		    json_string(list[i].race_name) : json_null(),
		    "race_date_label", date_label(req, list[i].race_date),
		    "distance_label", distance_label(req,
		    list[i].race_distance),
		    "weeks", list[i].total_weeks,
		    "active", list[i].active));
	return view_page(req, res, 200, "plans", json_pack(
	    "{s:b, s:o, s:{s:b}}", "has_plans", n > 0, "plans", plans,
	    "nav", "plans", 1));
}

int
page_plan_activate(struct request *req, struct response *res)
{
	int rc = plans_set_active(req->db, req->runner->id, req->cap[0]);

	if (rc == -1)
		return -1;
	if (rc == 0) {
		view_error(req, res, 404, NULL);
		return 0;
	}
	view_flash(req, res, "plan_activated");
	resp_redirect(req, res, "/plans");
	return 0;
}

/* 1 when plan cap[0] is the runner's, 0 (404 set) when not, -1 error. */
static int
own_plan(struct request *req, struct response *res)
{
	int rc = plans_exists(req->db, req->runner->id, req->cap[0]);

	if (rc == 0)
		view_error(req, res, 404, NULL);
	return rc;
}

int
page_plan_rename(struct request *req, struct response *res)
{
	const char	*name = req_form(req, "name");
	int		 own, rc;

	/* The owner check first: a stranger learns nothing from a 422. */
	if ((own = own_plan(req, res)) != 1)
		return own;
	if (*name == '\0' || !line_ok(name, PLAN_NAME_MAX)) {
		view_error(req, res, 422, "A plan name is 1 to 255 characters "
		    "on one line; the plan keeps its name.");
		return 0;
	}
	if ((rc = plans_rename(req->db, req->runner->id, req->cap[0],
	    name)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	view_flash(req, res, "plan_renamed");
	resp_redirect(req, res, "/plans");
	return 0;
}

int
page_plan_delete(struct request *req, struct response *res)
{
	int own;

	if ((own = own_plan(req, res)) != 1)
		return own;
	if (strcmp(req_form(req, "confirm"), "yes") != 0) {
		view_error(req, res, 422, "Tick the box to confirm: deleting "
		    "a plan also deletes its workouts. Nothing was deleted.");
		return 0;
	}
	if (plans_delete(req->db, req->runner->id, req->cap[0]) == -1)
		return -1;
	view_flash(req, res, "plan_deleted");
	resp_redirect(req, res, "/plans");
	return 0;
}
