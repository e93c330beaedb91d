/*
 * details: an activity's Activity Details record (summary type
 * activityDetails), as the Health/Activity API delivers it: summaryId
 * (the activity's with "-detail" appended, as Garmin's examples have it),
 * activityId, the summary, samples and laps.
 *
 * The sandbox makes the samples up from the summary unless a test gave
 * its own (POST /_sandbox/activities with "samples" and "laps"): one
 * every 5 to 15 seconds from the start to the end, along a straight line
 * north-east, totalDistanceInMeters growing evenly to the distance, one
 * hill of DETAIL_HILL_M in the middle, a heart rate drifting up, and the
 * timer, clock and moving durations; a lap starts at every kilometre.
 * A manual activity has no details.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "garmin_sandbox/gm.h"

#define DETAIL_LAT0		47.3769		/* where every run starts */
#define DETAIL_LON0		8.5417
#define DETAIL_ELE0		410.0		/* metres */
#define DETAIL_HILL_M		40.0		/* the hill's height */
#define DETAIL_LAP_M		1000.0
#define M_PER_DEG_LAT		111195.0

/* Seconds to the next sample: 5 to 15, varying. */
static int
gap(int k)
{
	return 5 + (k * 7) % 11;
}

static json_t *
sample(const struct gm_activity *a, int64_t t)
{
	double	 f = a->duration_s > 0 ? (double)(t - a->start) / a->duration_s : 1;
	double	 d = a->distance_m * f, north = d * cos(M_PI / 4), east = d * sin(M_PI / 4);
	int	 hr = a->avg_hr > 0 ? a->avg_hr - 8 + (int)lround(16 * f) :
		    128 + (int)lround(24 * f);
	int	 el = (int)(t - a->start);

	return json_pack("{s:I, s:f, s:f, s:f, s:i, s:f, s:f, s:i, s:i, s:i}",
	    "startTimeInSeconds", (json_int_t)t,
	    "latitudeInDegree", DETAIL_LAT0 + north / M_PER_DEG_LAT,
	    "longitudeInDegree", DETAIL_LON0 + east / (M_PER_DEG_LAT *
	    cos(DETAIL_LAT0 * M_PI / 180)),
	    "elevationInMeters", DETAIL_ELE0 + DETAIL_HILL_M * sin(M_PI * f),
	    "heartRate", hr,
	    "speedMetersPerSecond", a->duration_s > 0 ? a->distance_m /
	    a->duration_s : 0.0,
	    "totalDistanceInMeters", round(d * 10) / 10,
	    "timerDurationInSeconds", el, "clockDurationInSeconds", el,
	    "movingDurationInSeconds", el);
}

static json_t *
samples(const struct gm_activity *a)
{
	json_t	*l = json_array();
	int64_t	 t = a->start, end = a->start + a->duration_s;
	int	 k = 0;

	for (; t < end; t += gap(k++))
		json_array_append_new(l, sample(a, t));
	json_array_append_new(l, sample(a, end));
	return l;
}

static json_t *
laps(const struct gm_activity *a)
{
	json_t	*l = json_array();
	double	 m;

	for (m = 0; m == 0 || m < a->distance_m; m += DETAIL_LAP_M)
		json_array_append_new(l, json_pack("{s:I}", "startTimeInSeconds",
		    (json_int_t)(a->start + (a->distance_m > 0 ? (int64_t)(
		    a->duration_s * m / a->distance_m) : 0))));
	return l;
}

json_t *
gm_details_json(const struct gm_app *app, const struct gm_activity *a)
{
	json_t	*summary;
	char	 id[40];

	if (a->manual)
		return NULL;
	summary = gm_activity_json(app, a);
	json_object_del(summary, "userId");
	snprintf(id, sizeof(id), "%lld-detail", (long long)a->summary_id);
	return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o}",
	    "userId", app->users[a->user].id, "summaryId", id,
	    "activityId", (json_int_t)a->summary_id, "summary", summary,
	    "samples", a->samples != NULL ? json_incref(a->samples) : samples(a),
	    "laps", a->laps != NULL ? json_incref(a->laps) : laps(a));
}
