/*
 * verdict: how a run compares with each target of its workout (issue
 * 15.5): distance, duration and pace, each "in range", under or over.
 * Pure; units and words are the page's.
 *
 *   distance  in range within MATCH_TOLERANCE_PCT (+-10 %) of the plan,
 *             the rule that completes a workout (domain/match.h)
 *   duration  in range within VERDICT_TIME_PCT of the estimate (the
 *             estimate comes from the pace range, so it is looser)
 *   pace      in range from the fast end less VERDICT_PACE_SLACK_S to the
 *             slow end plus it (s/km): GPS pace wobbles by a few seconds
 */
#ifndef CADENCE_VERDICT_H
#define CADENCE_VERDICT_H

#include <stdint.h>

#define VERDICT_TIME_PCT	15
#define VERDICT_PACE_SLACK_S	5

enum verdict {
	VERDICT_NONE,		/* nothing to compare (no target, no run) */
	VERDICT_IN_RANGE,
	VERDICT_UNDER,		/* short, quicker, or faster than the range */
	VERDICT_OVER,		/* long, longer, or slower than the range */
};

enum verdict	verdict_distance(int64_t run_m, int64_t planned_m);
enum verdict	verdict_duration(int64_t run_s, int64_t planned_s);
/* pace and the range in s/km; fast <= slow (either 0: the other alone). */
enum verdict	verdict_pace(int pace, int fast, int slow);
/* Seconds per km of a run, rounded; 0 when either is 0. */
int		verdict_run_pace(int64_t metres, int64_t seconds);

#endif
