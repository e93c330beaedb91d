/* plan_format: labels and JSON pieces shared by the plan pages. */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "domain/plan_text.h"
#include "view/plan_format.h"
#include "domain/runner.h"

#define LABEL_MAX	64

enum unit
pf_unit(const struct runner *r)
{
	return r != NULL && r->units != NULL && strcmp(r->units, "mi") == 0 ?
	    UNIT_MI : UNIT_KM;
}

enum weekday
pf_first_day(const struct runner *r)
{
	return r != NULL && r->first_day != NULL &&
	    strcmp(r->first_day, "sun") == 0 ? WD_SUN : WD_MON;
}

date_t
pf_today(const struct runner *r)
{
	date_t d;

	if (r == NULL || r->today == NULL || !date_parse(r->today, &d))
		return PV_NO_DATE;
	return d;
}

const char *
pf_distance(arena_t *a, int metres, enum unit u)
{
	char s[LABEL_MAX];

	units_format_distance(s, sizeof(s), metres, u);
	return arena_strdup(a, s);
}

const char *
pf_pace_range(arena_t *a, int fast, int slow, enum unit u)
{
	char s[LABEL_MAX];

	if (fast <= 0 && slow <= 0)
		return NULL;
	if (fast <= 0)
		fast = slow;
	if (slow <= 0)
		slow = fast;
	units_format_pace_range(s, sizeof(s), fast, slow, u);
	return arena_strdup(a, s);
}

const char *
pf_activity_pace(arena_t *a, int metres, int seconds, enum unit u)
{
	char s[LABEL_MAX];

	if (metres <= 0 || seconds <= 0)
		return NULL;
	units_format_pace(s, sizeof(s),
	    (int)((seconds * 1000LL + metres / 2) / metres), u);
	return arena_strdup(a, s);
}

const char *
pf_description(arena_t *a, const char *stored, enum unit u)
{
	char	*out;
	size_t	 n;

	if (stored == NULL)
		return NULL;
	n = plan_text_render(NULL, 0, stored, u) + 1;
	out = arena_alloc(a, n);
	plan_text_render(out, n, stored, u);
	return out;
}

const char *
pf_minutes(arena_t *a, int minutes)
{
	if (minutes <= 0)
		return NULL;
	if (minutes < 60)
		return arena_printf(a, "%d min", minutes);
	if (minutes % 60 == 0)
		return arena_printf(a, "%d h", minutes / 60);
	return arena_printf(a, "%d h %d min", minutes / 60, minutes % 60);
}

const char *
pf_time_total(arena_t *a, int64_t seconds)
{
	int m = (int)((seconds + 30) / 60);

	return m > 0 ? pf_minutes(a, m) : "0 min";
}

const char *
pf_date(arena_t *a, date_t d, enum date_style style)
{
	int y, m, day;

	if (d == PV_NO_DATE)
		return NULL;
	date_to_ymd(d, &y, &m, &day);
	switch (style) {
	case DS_SHORT:
		return arena_printf(a, "%s %d", month_short(m), day);
	case DS_DAY:
		return arena_printf(a, "%s, %s %d",
		    weekday_short(date_weekday(d)), month_short(m), day);
	default:
		return arena_printf(a, "%s, %s %d %d",
		    weekday_short(date_weekday(d)), month_short(m), day, y);
	}
}

const char *
pf_race_distance(arena_t *a, int metres, enum unit u)
{
	switch (metres) {
	case 5000:	return "5K";
	case 10000:	return "10K";
	case 21097:	return "Half marathon";
	case 21098:	return "Half marathon";
	case 42195:	return "Marathon";
	default:	return pf_distance(a, metres, u);
	}
}

static const char *const state_keys[CS__MAX] = {
	[CS_UPCOMING] = "upcoming", [CS_TODAY] = "today", [CS_DONE] = "done",
	[CS_PARTLY_DONE] = "partial", [CS_MISSED] = "missed",
	[CS_SKIPPED] = "skipped",
};
static const char *const state_labels[CS__MAX] = {
	[CS_UPCOMING] = "Upcoming", [CS_TODAY] = "Today", [CS_DONE] = "Done",
	[CS_PARTLY_DONE] = "Partly done", [CS_MISSED] = "Missed",
	[CS_SKIPPED] = "Skipped",
};
static const char *const colour_classes[CC__MAX] = {
	[CC_NONE] = NULL, [CC_GREEN] = "c-green", [CC_YELLOW] = "c-yellow",
	[CC_ORANGE] = "c-orange", [CC_RED] = "c-red", [CC_GREY] = "c-grey",
};

const char *
pf_state(enum compliance_state s)
{
	return (unsigned)s < CS__MAX ? state_keys[s] : "upcoming";
}

const char *
pf_state_label(enum compliance_state s)
{
	return (unsigned)s < CS__MAX ? state_labels[s] : "Upcoming";
}

const char *
pf_colour(enum compliance_colour c)
{
	return (unsigned)c < CC__MAX ? colour_classes[c] : NULL;
}

const char *
pf_type_class(arena_t *a, const char *type_key)
{
	return arena_printf(a, "t-%s", type_key);
}

const char *
pf_percent(arena_t *a, const struct pv_workout *w)
{
	if (w->comp.percent < 0 || w->nlinks == 0)
		return NULL;
	return arena_printf(a, "%d%%", w->comp.percent);
}

const char *
pf_percent_colour(int percent)
{
	return percent < 0 ? NULL : pf_colour(compliance_colour_for(percent));
}

json_t *
pf_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
pf_workout_card(arena_t *a, const struct pv_workout *w, enum unit u,
    bool with_date)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(w->id));
	json_object_set_new(j, "type", json_string(w->type_name));
	json_object_set_new(j, "type_class",
	    json_string(pf_type_class(a, w->type_key)));
	json_object_set_new(j, "state", json_string(pf_state(w->comp.state)));
	json_object_set_new(j, "state_label",
	    json_string(pf_state_label(w->comp.state)));
	json_object_set_new(j, "distance_label",
	    json_string(pf_distance(a, w->distance_m, u)));
	json_object_set_new(j, "date_label",
	    pf_str(with_date ? pf_date(a, w->date, DS_DAY) : NULL));
	json_object_set_new(j, "duration_label",
	    pf_str(pf_minutes(a, w->duration_min)));
	json_object_set_new(j, "pace_label",
	    pf_str(pf_pace_range(a, w->pace_fast, w->pace_slow, u)));
	json_object_set_new(j, "description",
	    pf_str(pf_description(a, w->description, u)));
	json_object_set_new(j, "compliance_class",
	    pf_str(pf_colour(w->comp.colour)));
	json_object_set_new(j, "percent_label", pf_str(pf_percent(a, w)));
	return j;
}

const char *
pf_strava_url(arena_t *a, const struct config *cfg, long long strava_id)
{
	if (strava_id <= 0)
		return NULL;
	return arena_printf(a, "%s/activities/%lld", cfg != NULL &&
	    cfg->strava_oauth_base[0] ? cfg->strava_oauth_base :
	    "https://www.strava.com", strava_id);
}
