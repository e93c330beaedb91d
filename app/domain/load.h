/*
 * load: a training-stress score for one run, on the TSS scale (one hour
 * at threshold = 100), from whatever is known about the run.
 *
 * In order of preference (docs/training-load.md has the sources):
 *   1. rTSS from pace, when the runner's VDOT is known: the threshold pace
 *      is the middle of Daniels' T pace band (vdot_paces()),
 *          IF = threshold pace / run pace  (= speed / threshold speed)
 *          rTSS = hours x IF^2 x 100
 *      summed over the run's laps or splits when those are given (an
 *      interval session is then not averaged flat).
 *   2. hrTSS from the average heart rate, when a threshold heart rate is
 *      given or can be estimated (LOAD_LTHR_OF_MAX x max heart rate):
 *          IF = average HR / threshold HR,  hrTSS = hours x IF^2 x 100
 *   3. An estimate from the duration and an intensity for the session:
 *      from the runner's RPE (1-10) when given, else from the workout type
 *      (LOAD_IF_* below), races from Daniels' sustainable fraction of VO2max
 *      for their duration.
 * A measure that is missing or implausible (a pace faster than
 * LOAD_IF_MAX x threshold, a heart rate outside LOAD_HR_MIN..LOAD_HR_MAX or
 * above LOAD_HR_IF_MAX x threshold) falls through to the next method.
 * Pure arithmetic: no I/O, no globals.
 */
#ifndef CADENCE_LOAD_H
#define CADENCE_LOAD_H

#include <stddef.h>

#include "domain/plan_gen.h"

#define LOAD_LTHR_OF_MAX	0.90	/* threshold HR as a share of max HR */
#define LOAD_IF_MAX		1.40	/* pace IF above this: a GPS error */
#define LOAD_HR_IF_MAX		1.15	/* average HR above this x LTHR: bogus */
#define LOAD_HR_MIN		60	/* bpm: a running average below is bogus */
#define LOAD_HR_MAX		230
#define LOAD_MIN_SECONDS	60	/* shorter runs score 0 */
#define LOAD_MAX_SECONDS	(48 * 3600)	/* longer is clamped */
#define LOAD_MIN_METRES		100	/* for pace: less is a treadmill or no GPS */
#define LOAD_SEGMENT_COVER	0.90	/* laps must cover 90-110 % of the run */

/* Intensity factor of a session by workout type when nothing is measured. */
#define LOAD_IF_RECOVERY	0.75
#define LOAD_IF_EASY		0.82
#define LOAD_IF_LONG		0.82
#define LOAD_IF_TEMPO		0.91
#define LOAD_IF_INTERVALS	0.93
#define LOAD_TYPE_UNKNOWN	(-1)	/* an unplanned run: scored as easy */

enum load_method {
	LOAD_NONE,		/* too short or no duration: tss 0 */
	LOAD_PACE,		/* rTSS */
	LOAD_HR,		/* hrTSS */
	LOAD_ESTIMATE,		/* duration x intensity of the type or RPE */
	LOAD__MAX
};

/* What is known about the runner; 0 is "unknown" everywhere. */
struct load_athlete {
	double		 vdot;		/* VDOT_MIN..VDOT_MAX, else unknown */
	int		 threshold_hr;	/* bpm, lactate-threshold heart rate */
	int		 max_hr;	/* bpm; gives an LTHR when none is given */
};

/* A lap or split of a run (Strava's laps or splits_metric). */
struct load_segment {
	double		 distance_m;
	int		 moving_s;
};

struct load_run {
	int		 moving_s;
	double		 distance_m;
	double		 average_hr;	/* bpm; 0: none */
	int		 rpe;		/* 1..10; 0: none */
	int		 type;		/* enum workout_type or LOAD_TYPE_UNKNOWN */
	const struct load_segment *segments;	/* NULL or laps/splits */
	size_t		 nsegments;
};

/* The thresholds runs are scored against. */
struct load_thresholds {
	double		 pace_s_per_km;	/* 0: unknown */
	int		 hr;		/* bpm; 0: unknown */
};

struct load_score {
	double		 tss;
	double		 intensity;	/* IF of the whole session */
	enum load_method method;
};

/*
 * A runner's thresholds: once per runner, not per run (the pace solves
 * Daniels' equations, a few microseconds).
 */
struct load_thresholds load_thresholds(const struct load_athlete *);
/* Scores a run (never fails; method says how, tss is >= 0). */
struct load_score load_run(const struct load_thresholds *,
	    const struct load_run *);
/*
 * The load a planned workout is expected to bring: its estimated
 * duration at the intensity of its type (a race: at the intensity a race
 * of that duration is run at).
 */
double	 load_planned(enum workout_type, int duration_s);

/* Threshold pace in seconds per km from VDOT (middle of the T band); 0 if
 * the VDOT is out of range. */
double	 load_threshold_pace(double vdot);
/* The threshold heart rate given, else estimated from max HR, else 0. */
int	 load_threshold_hr(const struct load_athlete *);

/* The formulas themselves, for tests and for callers with their own data. */
double	 load_tss(double seconds, double intensity);	/* h x IF^2 x 100 */
double	 load_rtss(double seconds, double metres, double threshold_s_per_km);
double	 load_hrtss(double seconds, double average_hr, double threshold_hr);
/* Intensity of a race lasting seconds: Daniels' %VO2max(t) / %VO2max(60). */
double	 load_race_intensity(double seconds);
/* Intensity for an RPE of 1..10 (Borg CR-10), 0 for anything else. */
double	 load_rpe_intensity(int rpe);
/*
 * Cadence's former workout "feel" (1 very hard .. 5 very easy) as an RPE,
 * or 0: the conversion of sql/017_rpe.sql (feedback is stored as RPE now).
 */
int	 load_rpe_from_feel(int feel);
const char *load_method_name(enum load_method);	/* "pace", "heart rate" ... */

#endif
