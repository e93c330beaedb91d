/*
 * garmin/workout_json: steps as a Training API V2 workout body.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "garmin/workout_json.h"

static json_t *
intervals(void)
{
	struct ws_spec sp = { .session = WS_INTERVALS, .distance_m = 10000,
	    .pace_fast_s = 250, .pace_slow_s = 255, .easy_fast_s = 330,
	    .easy_slow_s = 360, .reps = 6, .rep_m = 800, .recovery_m = 400 };
	struct ws_workout w;

	cr_assert_eq(ws_build(&sp, &w, NULL, 0), 0);
	return garmin_workout_json(&w, "Intervals 6 x 800 m", "desc", 0);
}

static json_t *
step_at(json_t *o, size_t i)
{
	return json_array_get(json_object_get(json_array_get(json_object_get(o,
	    "segments"), 0), "steps"), i);
}

Test(garmin_workout_json, steps_repeats_and_paces)
{
	json_t *o = intervals(), *wu = step_at(o, 0), *rep = step_at(o, 1),
	    *work = json_array_get(json_object_get(rep, "steps"), 0),
	    *jog = json_array_get(json_object_get(rep, "steps"), 1), *cd = step_at(o, 2);

	cr_assert_str_eq(json_string_value(json_object_get(o, "sport")), "RUNNING");
	cr_assert_null(json_object_get(o, "ownerId"));
	cr_assert_null(json_object_get(o, "workoutId"));
	cr_assert_str_eq(json_string_value(json_object_get(wu, "intensity")), "WARMUP");
	cr_assert_str_eq(json_string_value(json_object_get(wu, "durationType")), "DISTANCE");
	cr_assert_float_eq(json_real_value(json_object_get(wu, "durationValue")), 1400, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(wu, "targetType")), "PACE");
	/* 6:00/km = 2.778 m/s is the low end, 5:30/km = 3.030 m/s the high. */
	cr_assert_float_eq(json_real_value(json_object_get(wu, "targetValueLow")), 1000.0 / 360, 1e-9);
	cr_assert_float_eq(json_real_value(json_object_get(wu, "targetValueHigh")), 1000.0 / 330, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(rep, "type")), "WorkoutRepeatStep");
	cr_assert_str_eq(json_string_value(json_object_get(rep, "repeatType")),
	    "REPEAT_UNTIL_STEPS_CMPLT");
	cr_assert_float_eq(json_real_value(json_object_get(rep, "repeatValue")), 6, 1e-9);
	/* stepOrder runs through the repeat's children. */
	cr_assert_eq(json_integer_value(json_object_get(wu, "stepOrder")), 1);
	cr_assert_eq(json_integer_value(json_object_get(rep, "stepOrder")), 2);
	cr_assert_eq(json_integer_value(json_object_get(work, "stepOrder")), 3);
	cr_assert_eq(json_integer_value(json_object_get(jog, "stepOrder")), 4);
	cr_assert_eq(json_integer_value(json_object_get(cd, "stepOrder")), 5);
	cr_assert_str_eq(json_string_value(json_object_get(work, "intensity")), "INTERVAL");
	cr_assert_str_eq(json_string_value(json_object_get(jog, "intensity")), "RECOVERY");
	cr_assert_str_eq(json_string_value(json_object_get(jog, "targetType")), "OPEN");
	cr_assert_str_eq(json_string_value(json_object_get(cd, "intensity")), "COOLDOWN");
	json_decref(o);
}

Test(garmin_workout_json, strides_hills_names_and_owner)
{
	struct ws_spec sp = { .session = WS_EASY, .distance_m = 8000,
	    .pace_fast_s = 330, .pace_slow_s = 360, .strides = 6 };
	char name[200];
	struct ws_workout w;
	json_t *o, *rep, *stride;

	cr_assert_eq(ws_build(&sp, &w, NULL, 0), 0);
	memset(name, 'x', 100);
	strcpy(name + 100, "");
	o = garmin_workout_json(&w, name, NULL, 70000000);
	cr_assert_eq(json_string_length(json_object_get(o, "workoutName")), 80);
	cr_assert_eq(json_integer_value(json_object_get(o, "ownerId")), 70000000);
	rep = step_at(o, 1);
	stride = json_array_get(json_object_get(rep, "steps"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(stride, "durationType")), "TIME");
	cr_assert_float_eq(json_real_value(json_object_get(stride, "durationValue")), 20, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(stride, "description")),
	    "Stride: fast but relaxed");
	json_decref(o);
	/* Names are cut by characters, never inside one. */
	strcpy(name, "");
	for (int i = 0; i < 90; i++)
		strcat(name, "\xc3\xa9");
	cr_assert_eq(ws_build(&sp, &w, NULL, 0), 0);
	o = garmin_workout_json(&w, name, "", 0);
	cr_assert_eq(json_string_length(json_object_get(o, "workoutName")), 160);
	json_decref(o);
}
