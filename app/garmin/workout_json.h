/*
 * garmin/workout_json: structured steps as a Garmin Training API V2
 * workout, the JSON body of POST /workoutportal/workout/v2 and
 * PUT /training-api/workout/v2/{id}.
 *
 * One RUNNING segment; steps numbered by stepOrder through the repeat
 * children (1, 2 = the repeat, 3 and 4 inside it, 5 ...), as the
 * specification's examples number them; distance steps in metres, time
 * steps in seconds; pace targets as PACE in metres per second (low = the
 * slow end); hills and strides as open targets with the effort in the
 * step description.  Pure: builds JSON, sends nothing.
 */
#ifndef CADENCE_GARMIN_WORKOUT_JSON_H
#define CADENCE_GARMIN_WORKOUT_JSON_H

#include <stdint.h>

#include <jansson.h>

#include "domain/workout_steps.h"

#define GARMIN_WORKOUT_NAME_MAX		80	/* the API's limit, in characters */
#define GARMIN_WORKOUT_DESC_MAX		1024
#define GARMIN_WORKOUT_PROVIDER		"Cadence"	/* 20 characters at most */

/*
 * A new reference to the workout, or NULL when it has no steps.  name
 * and description are cut to the API's limits on a UTF-8 boundary;
 * owner_id 0 leaves ownerId out (create), else sets it (update).
 */
json_t	*garmin_workout_json(const struct ws_workout *, const char *name,
	    const char *description, int64_t owner_id);

#endif
