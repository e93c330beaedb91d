/*
 * cadence plan: generates a training plan from command-line options and
 * prints it as JSON (the same data the web form stores).
 *
 *   cadence plan --race-distance 42195 --race-date 2027-04-25 \
 *       --start-date 2027-01-04 --runs-per-week 5 --long-run-day sun \
 *       --weekly-distance 40 --recent-race-distance 5000 \
 *       --recent-race-time 20:00
 *
 * Distances typed by the runner (--weekly-distance, --longest-run) are in
 * --unit (km by default); race distances are in metres.  Bad options and
 * invalid plans exit 2 with a message naming the option or field.  This
 * layer alone may read the clock (for the default --today).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "commands.h"
#include "core/util.h"
#include "domain/plan_gen.h"
#include "domain/plan_text.h"

enum opt {
	O_RACE_DISTANCE, O_RACE_DATE, O_START_DATE, O_WEEKS, O_RUNS,
	O_LONG_DAY, O_WEEKLY, O_LONGEST, O_RECENT_DIST, O_RECENT_TIME,
	O_GOAL, O_UNIT, O_FIRST_DAY, O_TODAY, O__MAX
};

static const char *const opt_names[O__MAX] = {
	"race-distance", "race-date", "start-date", "weeks", "runs-per-week",
	"long-run-day", "weekly-distance", "longest-run",
	"recent-race-distance", "recent-race-time", "goal-time", "unit",
	"first-day", "today",
};

static int
usage(void)
{
	fprintf(stderr, "usage: cadence plan --race-distance M --race-date "
	    "YYYY-MM-DD (--start-date YYYY-MM-DD | --weeks N)\n"
	    "    --runs-per-week N --long-run-day mon..sun --weekly-distance D\n"
	    "    [--longest-run D] [--recent-race-distance M "
	    "--recent-race-time [h:]mm:ss]\n"
	    "    [--goal-time [h:]mm:ss] [--unit km|mi] [--first-day mon|sun] "
	    "[--today YYYY-MM-DD]\n");
	return 2;
}

static int
bad(enum opt o, const char *what)
{
	fprintf(stderr, "cadence plan: --%s: %s\n", opt_names[o], what);
	return 2;
}

static date_t
local_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Collects "--name value" / "--name=value" pairs into val[]. */
static int
collect(int argc, char **argv, const char *val[O__MAX])
{
	int i, o;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t len;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
		    strncmp(a, "--", 2) != 0) {
			if (strncmp(a, "--", 2) != 0)
				fprintf(stderr, "cadence plan: unexpected "
				    "argument '%s'\n", a);
			return usage();
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (o = 0; o < O__MAX; o++)
			if (strlen(opt_names[o]) == len &&
			    strncmp(a, opt_names[o], len) == 0)
				break;
		if (o == O__MAX) {
			fprintf(stderr, "cadence plan: unknown option "
			    "'%s'\n", argv[i]);
			return usage();
		}
		if (eq)
			val[o] = eq + 1;
		else if (i + 1 < argc)
			val[o] = argv[++i];
		else
			return bad((enum opt)o, "needs a value");
	}
	return 0;
}

static int
parse_date_opt(const char *const val[], enum opt o, date_t *d)
{
	if (val[o] != NULL && !date_parse(val[o], d))
		return bad(o, "expected a date YYYY-MM-DD");
	return 0;
}

static int
parse_time_opt(const char *const val[], enum opt o, int *s)
{
	if (val[o] != NULL && !units_parse_duration(val[o], s))
		return bad(o, "expected a time h:mm:ss or mm:ss");
	return 0;
}

static int
parse_int_opt(const char *const val[], enum opt o, int lo, int hi, int *v)
{
	char msg[64];

	if (val[o] != NULL && !parse_int(val[o], lo, hi, v)) {
		snprintf(msg, sizeof(msg), "expected a whole number %d..%d",
		    lo, hi);
		return bad(o, msg);
	}
	return 0;
}

static int
parse_day_opt(const char *const val[], enum opt o, enum weekday *d)
{
	int w;

	if (val[o] == NULL)
		return 0;
	if ((w = weekday_parse(val[o])) < 0)
		return bad(o, "expected mon, tue, wed, thu, fri, sat or sun");
	*d = (enum weekday)w;
	return 0;
}

static int
parse_dist_opt(const char *const val[], enum opt o, enum unit u, int max,
    int *m)
{
	if (val[o] != NULL && !units_parse_distance(val[o], u, max, m))
		return bad(o, u == UNIT_MI ? "expected a distance in miles, "
		    "like 25 or 25.5" : "expected a distance in km, like 40 "
		    "or 40.5");
	return 0;
}

static int
build_input(const char *const val[], struct plan_input *in)
{
	static const enum opt required[] = { O_RACE_DISTANCE, O_RACE_DATE,
	    O_RUNS, O_LONG_DAY, O_WEEKLY };
	size_t k;
	int u;

	for (k = 0; k < NELEM(required); k++)
		if (val[required[k]] == NULL)
			return bad(required[k], "is required");
	if (val[O_START_DATE] == NULL && val[O_WEEKS] == NULL)
		return bad(O_START_DATE, "give --start-date or --weeks");
	memset(in, 0, sizeof(*in));
	in->first_day = WD_MON;
	in->today = local_today();
	if (val[O_UNIT] != NULL) {
		if ((u = unit_parse(val[O_UNIT])) < 0)
			return bad(O_UNIT, "expected km or mi");
		in->unit = (enum unit)u;
	}
	if (val[O_FIRST_DAY] != NULL && strcmp(val[O_FIRST_DAY], "mon") != 0 &&
	    strcmp(val[O_FIRST_DAY], "sun") != 0)
		return bad(O_FIRST_DAY, "expected mon or sun");
	if (parse_int_opt(val, O_RACE_DISTANCE, 1, 1000000,
	    &in->race_distance) ||
	    parse_date_opt(val, O_RACE_DATE, &in->race_date) ||
	    parse_date_opt(val, O_START_DATE, &in->start_date) ||
	    parse_date_opt(val, O_TODAY, &in->today) ||
	    parse_int_opt(val, O_WEEKS, 1, 1000, &in->weeks) ||
	    parse_int_opt(val, O_RUNS, 0, 100, &in->runs_per_week) ||
	    parse_day_opt(val, O_LONG_DAY, &in->long_run_day) ||
	    parse_day_opt(val, O_FIRST_DAY, &in->first_day) ||
	    parse_dist_opt(val, O_WEEKLY, in->unit, 10 * PLAN_MAX_WEEKLY_M,
	    &in->weekly_distance_m) ||
	    parse_dist_opt(val, O_LONGEST, in->unit, 10 * PLAN_MAX_LONGEST_M,
	    &in->longest_run_m) ||
	    parse_int_opt(val, O_RECENT_DIST, 1, 1000000,
	    &in->recent_race_distance) ||
	    parse_time_opt(val, O_RECENT_TIME, &in->recent_race_time_s) ||
	    parse_time_opt(val, O_GOAL, &in->goal_time_s))
		return 2;
	return 0;
}

static json_t *
pair(int a, int b)
{
	return json_pack("[ii]", a, b);
}

/* Today's fitness, what training supports, the goal and the target. */
static void
fitness_json(json_t *root, const struct plan *p)
{
	json_object_set_new(root, "vdot", json_real(p->vdot));
	json_object_set_new(root, "vdot_source",
	    json_string(vdot_source_name(p->vdot_source)));
	json_object_set_new(root, "vdot_race_day", json_real(p->vdot_end));
	json_object_set_new(root, "race_time", json_integer(p->race_time_s));
	json_object_set_new(root, "goal_vdot", p->goal_vdot > 0 ?
	    json_real(p->goal_vdot) : json_null());
	json_object_set_new(root, "note", json_string(p->note));
	json_object_set_new(root, "peak_week", json_integer(p->peak_volume_m));
	json_object_set_new(root, "peak_long_run",
	    json_integer(p->peak_long_m));
}

static json_t *
plan_json(const struct plan *p, enum unit u)
{
	json_t *root = json_object(), *paces = json_object(),
	    *pred = json_object(), *phases = json_array(),
	    *workouts = json_array(), *weeks = json_array();
	char key[16], date[11], text[PLAN_DESC_MAX * 2];
	size_t i;
	int k;

	fitness_json(root, p);
	for (k = 0; k < PACE__MAX; k++)
		json_object_set_new(paces, pace_zone_key((enum pace_zone)k),
		    pair(p->paces[k][0], p->paces[k][1]));
	json_object_set_new(root, "paces", paces);
	for (k = 0; k < p->npredictions; k++) {
		snprintf(key, sizeof(key), "%d", p->predictions[k].distance_m);
		json_object_set_new(pred, key,
		    json_integer(p->predictions[k].time_s));
	}
	json_object_set_new(root, "predictions", pred);
	json_object_set_new(root, "total_weeks", json_integer(p->total_weeks));
	for (k = 0; k < p->nphases; k++)
		json_array_append_new(phases, json_pack("{s:s,s:i,s:i}",
		    "name", phase_name(p->phases[k].kind),
		    "start_week", p->phases[k].start_week,
		    "end_week", p->phases[k].end_week));
	json_object_set_new(root, "phases", phases);
	for (k = 0; k < p->total_weeks; k++)
		json_array_append_new(weeks, json_integer(p->week_volume_m[k]));
	json_object_set_new(root, "week_volumes", weeks);
	for (i = 0; i < p->nworkouts; i++) {
		const struct plan_workout *w = &p->workouts[i];

		date_format(w->date, date);
		plan_text_render(text, sizeof(text), w->description, u);
		json_array_append_new(workouts, json_pack(
		    "{s:s,s:i,s:s,s:i,s:i,s:o,s:s}", "date", date,
		    "week", w->week, "type", workout_type_name(w->type),
		    "distance", w->distance_m, "duration_estimate",
		    w->duration_min, "pace", pair(w->pace_fast_s,
		    w->pace_slow_s), "description", text));
	}
	json_object_set_new(root, "workouts", workouts);
	return root;
}

int
cmd_plan(int argc, char **argv)
{
	const char *val[O__MAX] = { NULL };
	struct plan_input in;
	struct plan_errors errs;
	struct plan p;
	json_t *j;
	int f, rc;

	if ((rc = collect(argc, argv, val)) != 0 ||
	    (rc = build_input(val, &in)) != 0)
		return rc;
	if (plan_validate(&in, &errs) != 0) {
		for (f = 0; f < PF__MAX; f++)
			if (errs.msg[f][0] != '\0')
				fprintf(stderr, "cadence plan: %s: %s\n",
				    plan_field_name((enum plan_field)f),
				    errs.msg[f]);
		return 2;
	}
	if (plan_generate(&in, &p) != 0)
		return 2;
	j = plan_json(&p, in.unit);
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6)) == 0 &&
	    fputc('\n', stdout) != EOF ? 0 : 1;
	json_decref(j);
	plan_free(&p);
	return rc;
}
