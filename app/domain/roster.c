/* roster: see roster.h. */
#include <string.h>

#include "domain/roster.h"

/* Weights of the attention score: a coach acts on a plan and a missed
 * key session before a quiet watch. */
#define W_NO_PLAN	40
#define W_MISSED_KEY	30	/* each */
#define W_MISSED	10	/* each */
#define W_BEHIND_RED	25	/* nothing run of what was due */
#define W_BEHIND_ORANGE	20
#define W_BEHIND_YELLOW	8
#define W_RECONNECT	25
#define W_NO_STRAVA	15
#define W_QUIET		15

static const char *const reason_texts[RR__MAX] = {
	"No active plan", "Missed key workouts", "Missed workouts",
	"Behind this week", "Strava needs reconnecting", "No Strava link",
	"No run for a week",
};

const char *
roster_reason_text(enum roster_reason r)
{
	return (unsigned)r < RR__MAX ? reason_texts[r] : "";
}

static struct compliance
judge(const struct roster_workout *w, date_t today)
{
	struct compliance_input in;

	memset(&in, 0, sizeof(in));
	in.date = w->date;
	in.today = today;
	in.planned_m = w->distance_m;
	in.actual_m = w->actual_m;
	in.nmatched = w->nmatched;
	in.done_by_hand = w->done_by_hand;
	in.skipped = w->skipped;
	return compliance_eval(&in);
}

/* This week's totals and what was due so far, into st. */
static void
week(const struct roster_input *in, struct roster_status *st)
{
	date_t		 ws = date_week_start(in->today, in->first_day);
	int64_t		 due_m = 0, done_due_m = 0, done;
	size_t		 i;

	for (i = 0; i < in->nworkouts; i++) {
		const struct roster_workout	*w = &in->workouts[i];
		struct compliance		 c;

		if (w->date < ws || w->date >= ws + 7)
			continue;
		c = judge(w, in->today);
		/* Done by hand without a recording: the runner's word for it. */
		done = w->actual_m > 0 || !w->done_by_hand ? w->actual_m :
		    w->distance_m;
		st->week_workouts++;
		st->week_planned_m += w->distance_m;
		st->week_done_m += done;
		st->week_done += c.state == CS_DONE;
		if (w->date < in->today || done > 0) {
			due_m += w->distance_m;
			done_due_m += done;
		}
	}
	for (i = 0; i < in->nruns; i++)
		if (in->runs[i].date >= ws && in->runs[i].date <= in->today) {
			st->week_done_m += in->runs[i].distance_m;
			done_due_m += in->runs[i].distance_m;
		}
	st->due_percent = compliance_percent(done_due_m, due_m);
	st->colour = compliance_colour_for(st->due_percent);
	if (st->due_percent == 0)
		st->colour = CC_RED;
}

/* Workouts missed in the lookback window, key ones apart. */
static void
missed(const struct roster_input *in, struct roster_status *st)
{
	size_t i;

	for (i = 0; i < in->nworkouts; i++) {
		const struct roster_workout *w = &in->workouts[i];

		if (w->date < in->today - ROSTER_LOOKBACK_DAYS ||
		    w->date >= in->today ||
		    judge(w, in->today).state != CS_MISSED)
			continue;
		if (w->key)
			st->missed_key++;
		else
			st->missed++;
	}
}

static void
reason(struct roster_status *st, enum roster_reason r, int weight)
{
	st->reasons |= 1u << r;
	st->score += weight;
}

/* Under plan so far: nothing run, under half, or under done (a nudge). */
static int
behind_weight(int due_percent)
{
	if (due_percent < 0)
		return 0;
	if (due_percent == 0)
		return W_BEHIND_RED;
	if (due_percent < COMPLIANCE_YELLOW_MIN_PCT)
		return W_BEHIND_ORANGE;
	return due_percent < COMPLIANCE_DONE_PCT ? W_BEHIND_YELLOW : 0;
}

void
roster_evaluate(const struct roster_input *in, struct roster_status *st)
{
	memset(st, 0, sizeof(*st));
	week(in, st);
	missed(in, st);
	if (!in->has_plan)
		reason(st, RR_NO_PLAN, W_NO_PLAN);
	if (st->missed_key > 0)
		reason(st, RR_MISSED_KEY, W_MISSED_KEY * st->missed_key);
	if (st->missed > 0)
		reason(st, RR_MISSED, W_MISSED * st->missed);
	if (in->has_plan && st->due_percent >= 0 &&
	    st->due_percent < COMPLIANCE_YELLOW_MIN_PCT)
		reason(st, RR_BEHIND, behind_weight(st->due_percent));
	else if (in->has_plan)	/* a little under: a nudge, not a reason */
		st->score += behind_weight(st->due_percent);
	if (in->strava_needs_reconnect)
		reason(st, RR_RECONNECT, W_RECONNECT);
	else if (!in->strava_connected)
		reason(st, RR_NO_STRAVA, W_NO_STRAVA);
	else if (in->has_plan && (in->days_since_run < 0 ||
	    in->days_since_run >= ROSTER_QUIET_DAYS))
		reason(st, RR_QUIET, W_QUIET);
}
