/*
 * compliance: see compliance.h for the bands and the rounding rule.
 */
#include <limits.h>
#include <string.h>

#include "domain/compliance.h"

static const char *const state_keys[CS__MAX] = {
	"upcoming", "today", "done", "partly_done", "missed", "skipped"
};

static const char *const colour_keys[CC__MAX] = {
	"none", "green", "yellow", "orange", "red", "grey"
};

static int64_t
clamp_distance(int64_t m)
{
	if (m < 0)
		return 0;
	return m > COMPLIANCE_DISTANCE_MAX ? COMPLIANCE_DISTANCE_MAX : m;
}

int
compliance_percent(int64_t actual_m, int64_t planned_m)
{
	int64_t a = clamp_distance(actual_m), p = clamp_distance(planned_m);

	if (p <= 0)
		return -1;
	/* round(100a/p), halves up: floor((200a + p) / 2p). */
	return (int)((200 * a + p) / (2 * p));
}

enum compliance_colour
compliance_colour_for(int percent)
{
	if (percent < 0)
		return CC_NONE;
	if (percent < COMPLIANCE_YELLOW_MIN_PCT)
		return CC_ORANGE;
	if (percent < COMPLIANCE_GREEN_MIN_PCT)
		return CC_YELLOW;
	if (percent <= COMPLIANCE_GREEN_MAX_PCT)
		return CC_GREEN;
	if (percent <= COMPLIANCE_YELLOW_MAX_PCT)
		return CC_YELLOW;
	return CC_ORANGE;
}

static struct compliance
make(enum compliance_state s, enum compliance_colour c, int percent)
{
	struct compliance r;

	r.state = s;
	r.colour = c;
	r.percent = percent;
	return r;
}

struct compliance
compliance_eval(const struct compliance_input *in)
{
	bool ran = in->nmatched > 0 || in->actual_m > 0;
	int pct;

	if (in->skipped)
		return make(CS_SKIPPED, CC_NONE, -1);
	if (ran) {
		pct = compliance_percent(in->actual_m, in->planned_m);
		if (pct < 0)	/* nothing to measure against: done is done */
			return make(CS_DONE, CC_GREEN, -1);
		return make(pct >= COMPLIANCE_DONE_PCT || in->done_by_hand ?
		    CS_DONE : CS_PARTLY_DONE, compliance_colour_for(pct), pct);
	}
	if (in->done_by_hand)	/* the runner's word, without a recording */
		return make(CS_DONE, CC_GREEN, -1);
	if (in->date < in->today)
		return make(CS_MISSED, CC_RED, in->planned_m > 0 ? 0 : -1);
	if (in->date == in->today)
		return make(CS_TODAY, CC_NONE, -1);
	return make(CS_UPCOMING, CC_NONE, -1);
}

const char *
compliance_state_key(enum compliance_state s)
{
	return (unsigned)s < CS__MAX ? state_keys[s] : "upcoming";
}

const char *
compliance_colour_key(enum compliance_colour c)
{
	return (unsigned)c < CC__MAX ? colour_keys[c] : "none";
}

void
week_totals_init(struct week_totals *t)
{
	memset(t, 0, sizeof(*t));
}

void
week_totals_add(struct week_totals *t, const struct compliance_input *in,
    const struct compliance *c)
{
	t->workouts++;
	t->planned_m += clamp_distance(in->planned_m);
	t->matched_m += clamp_distance(in->actual_m);
	t->planned_s += in->planned_s > 0 ? in->planned_s : 0;
	t->matched_s += in->actual_s > 0 ? in->actual_s : 0;
	switch (c->state) {
	case CS_DONE:
		t->done++;
		break;
	case CS_PARTLY_DONE:
		t->partly_done++;
		break;
	case CS_MISSED:
		t->missed++;
		break;
	case CS_SKIPPED:
		t->skipped++;
		break;
	default:
		break;
	}
}

void
week_totals_add_unplanned(struct week_totals *t, int64_t distance_m,
    int64_t moving_s)
{
	t->unplanned_runs++;
	t->unplanned_m += clamp_distance(distance_m);
	t->unplanned_s += moving_s > 0 ? moving_s : 0;
}

int
week_totals_percent(const struct week_totals *t)
{
	int64_t a = t->matched_m + t->unplanned_m, p = t->planned_m, r;

	if (p <= 0)
		return -1;
	if (a < 0)
		a = 0;
	if (a > INT64_MAX / 400)	/* only absurd totals get here */
		a = INT64_MAX / 400;
	r = (200 * a + p) / (2 * p);
	return r > INT_MAX ? INT_MAX : (int)r;
}
