/* verdict: see verdict.h. */
#include "domain/match.h"
#include "domain/verdict.h"

/* run within +-pct of planned, in integers (exact at the bounds). */
static enum verdict
around(int64_t run, int64_t planned, int pct)
{
	if (planned <= 0 || run <= 0)
		return VERDICT_NONE;
	if (100 * run < (100 - pct) * planned)
		return VERDICT_UNDER;
	if (100 * run > (100 + pct) * planned)
		return VERDICT_OVER;
	return VERDICT_IN_RANGE;
}

enum verdict
verdict_distance(int64_t run_m, int64_t planned_m)
{
	return around(run_m, planned_m, MATCH_TOLERANCE_PCT);
}

enum verdict
verdict_duration(int64_t run_s, int64_t planned_s)
{
	return around(run_s, planned_s, VERDICT_TIME_PCT);
}

enum verdict
verdict_pace(int pace, int fast, int slow)
{
	if (fast <= 0)
		fast = slow;
	if (slow <= 0)
		slow = fast;
	if (pace <= 0 || fast <= 0)
		return VERDICT_NONE;
	if (pace < fast - VERDICT_PACE_SLACK_S)
		return VERDICT_UNDER;
	if (pace > slow + VERDICT_PACE_SLACK_S)
		return VERDICT_OVER;
	return VERDICT_IN_RANGE;
}

int
verdict_run_pace(int64_t metres, int64_t seconds)
{
	if (metres <= 0 || seconds <= 0)
		return 0;
	return (int)((seconds * 1000 + metres / 2) / metres);
}
