/*
 * garmin/details: one of Garmin's Activity Details records (summary type
 * activityDetails, Health/Activity API) read into a struct af_activity,
 * so a Garmin run gets its route, laps, splits and climb as a file run
 * does (files/activity_route.h).  Pure: no I/O, unit-tested and fuzzed
 * (tests/fuzz/fuzz_garmin_details.c).
 *
 * A record: {"summaryId": "<activity summaryId>-detail", "activityId",
 * "summary": {the activity summary's fields}, "samples": [{
 * "startTimeInSeconds", "latitudeInDegree", "longitudeInDegree",
 * "elevationInMeters", "heartRate", "totalDistanceInMeters", ...}],
 * "laps": [{"startTimeInSeconds"}]}; a sample's field is absent when the
 * device has no such sensor.
 *
 * Nothing in it is trusted even though it was pulled from Garmin with the
 * runner's token: every sample passes af_finish's checks (times 1990 to
 * 2099 within a week, positions on Earth, heart rates up to AF_MAX_HR,
 * elevations within 20 km) and these: times never go backwards, the
 * cumulative distance stays within GARMIN_DETAILS_MAX_M and never
 * shrinks, at most AF_MAX_POINTS samples and AF_MAX_LAPS laps, lap
 * starts increase.  Anything else refuses the whole record with a
 * message; the job logs it and leaves the run as it was.
 */
#ifndef CADENCE_GARMIN_DETAILS_H
#define CADENCE_GARMIN_DETAILS_H

#include <jansson.h>

#include "files/activity_file.h"

#define GARMIN_DETAILS_ID_MAX	64		/* a summary id, NUL included */
#define GARMIN_DETAILS_MAX_M	1000000.0	/* as a summary's distance */
#define GARMIN_DETAILS_SUFFIX	"-detail"

struct garmin_details {
	/* The activity summary it details: the run's garmin_summary_id. */
	char			summary_id[GARMIN_DETAILS_ID_MAX];
	/* summary.totalElevationGainInMeters; < 0 when absent. */
	double			elevation_gain;
	struct af_activity	act;	/* points and laps, af_finish'ed */
};

/*
 * Reads one record into out (free with garmin_details_free, also after a
 * failure).  0, or -1 with err naming the problem.
 */
int	garmin_details_read(const json_t *detail, struct garmin_details *out,
	    char *err, size_t errlen);
void	garmin_details_free(struct garmin_details *);
/*
 * The activity summary id a record names: its summaryId without the
 * "-detail" Garmin appends, else summary.summaryId.  NULL if neither is
 * a usable id.  buf has GARMIN_DETAILS_ID_MAX bytes.
 */
const char *garmin_details_summary_id(const json_t *detail, char *buf);

#endif
