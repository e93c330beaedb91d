/*
 * garmin/workout_json: steps into the Training API's workout JSON.
 */
#include <string.h>

#include "garmin/workout_json.h"

/* Cuts s to at most max characters (code points), on a boundary. */
static json_t *
utf8_cut(const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	if (s == NULL)
		return json_string("");
	while (s[i] != '\0' && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return json_stringn(s, i);
}

static const char *
intensity(enum ws_intensity i)
{
	switch (i) {
	case WS_WARMUP:
		return "WARMUP";
	case WS_COOLDOWN:
		return "COOLDOWN";
	case WS_INTERVAL:
		return "INTERVAL";
	case WS_REST:
		return "RECOVERY";
	default:
		return "ACTIVE";
	}
}

static const char *
effort_text(const struct ws_step *s)
{
	if (s->target != WS_TGT_EFFORT)
		return s->uphill && s->intensity == WS_REST ? "Jog back down" : NULL;
	if (s->effort == WS_EFFORT_STRIDE)
		return "Stride: fast but relaxed";
	return s->uphill ? "Uphill, hard effort" : s->effort == WS_EFFORT_HARD ?
	    "Hard effort" : "Easy effort";
}

static json_t *
step_json(const struct ws_step *s, int order)
{
	const char *note = effort_text(s);
	json_t *o = json_pack("{s:s, s:i, s:s}", "type", "WorkoutStep",
	    "stepOrder", order, "intensity", intensity(s->intensity));

	json_object_set_new(o, "description", note ? json_string(note) : json_null());
	if (s->duration == WS_DUR_DISTANCE) {
		json_object_set_new(o, "durationType", json_string("DISTANCE"));
		json_object_set_new(o, "durationValue", json_real(s->value));
		json_object_set_new(o, "durationValueType", json_string("METER"));
	} else if (s->duration == WS_DUR_TIME) {
		json_object_set_new(o, "durationType", json_string("TIME"));
		json_object_set_new(o, "durationValue", json_real(s->value));
	} else
		json_object_set_new(o, "durationType", json_string("OPEN"));
	if (s->target == WS_TGT_PACE) {
		/* Speeds: the slow end of the pace range is the low value. */
		json_object_set_new(o, "targetType", json_string("PACE"));
		json_object_set_new(o, "targetValueLow", json_real(1000.0 / s->pace_slow_s));
		json_object_set_new(o, "targetValueHigh", json_real(1000.0 / s->pace_fast_s));
	} else
		json_object_set_new(o, "targetType", json_string("OPEN"));
	return o;
}

/* Appends block b's steps to list; returns the next stepOrder. */
static int
add_block(json_t *list, const struct ws_block *b, int order)
{
	json_t *r, *inner;

	if (b->reps == 0) {
		json_array_append_new(list, step_json(&b->work, order));
		return order + 1;
	}
	inner = json_array();
	r = json_pack("{s:s, s:i, s:s, s:f, s:b, s:o}", "type", "WorkoutRepeatStep",
	    "stepOrder", order, "repeatType", "REPEAT_UNTIL_STEPS_CMPLT",
	    "repeatValue", (double)b->reps, "skipLastRestStep", 0, "steps", inner);
	json_array_append_new(inner, step_json(&b->work, order + 1));
	json_array_append_new(inner, step_json(&b->recovery, order + 2));
	json_array_append_new(list, r);
	return order + 3;
}

json_t *
garmin_workout_json(const struct ws_workout *w, const char *name,
    const char *description, int64_t owner_id)
{
	json_t *steps, *o;
	int i, order = 1;

	if (w->nblocks <= 0)
		return NULL;
	steps = json_array();
	for (i = 0; i < w->nblocks; i++)
		order = add_block(steps, &w->blocks[i], order);
	o = json_pack("{s:o, s:o, s:s, s:s, s:s, s:b, s:[{s:i, s:s, s:o}]}",
	    "workoutName", utf8_cut(name, GARMIN_WORKOUT_NAME_MAX),
	    "description", utf8_cut(description, GARMIN_WORKOUT_DESC_MAX),
	    "sport", "RUNNING", "workoutProvider", GARMIN_WORKOUT_PROVIDER,
	    "workoutSourceId", GARMIN_WORKOUT_PROVIDER,
	    "isSessionTransitionEnabled", 0,
	    "segments", "segmentOrder", 1, "sport", "RUNNING", "steps", steps);
	if (owner_id > 0)
		json_object_set_new(o, "ownerId", json_integer(owner_id));
	return o;
}
