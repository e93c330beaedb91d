/*
 * runner: the signed-in runner as every page sees them: who they are and
 * the preferences pages format with.  Loaded with the session
 * (web/session.c), one query per request.
 */
#ifndef CADENCE_RUNNER_H
#define CADENCE_RUNNER_H

#include <stdbool.h>

struct runner {
	const char	*id;
	const char	*email;
	const char	*name;
	const char	*units;		/* "km" or "mi" */
	const char	*first_day;	/* "mon" or "sun" */
	const char	*timezone;	/* IANA name */
	const char	*today;		/* YYYY-MM-DD in the runner's zone */
	long		 weekly_distance;	/* metres, 0 = unknown */
	long		 recent_race_distance;	/* metres, 0 = none */
	long		 recent_race_time;	/* seconds, 0 = none */
	long		 strava_athlete_id;	/* 0 = not connected */
	long long	 data_version;	/* moves on any change (page cache) */
	/* The company they belong to (a club, or their personal one) and
	 * their role in it: what db/access.c decides with. */
	const char	*company_id;
	const char	*company_role;	/* "owner", "coach" or "athlete" */
	const char	*company_name;
	const char	*company_slug;
	bool		 company_personal;
};

#endif
