/*
 * load: training-stress scores (rTSS, hrTSS, estimates) for one run.
 * The formulas and their sources are in docs/training-load.md.
 */
#include <math.h>

#include "domain/load.h"
#include "domain/vdot.h"

/* Daniels & Gilbert's curves hold from middle distance to the marathon. */
#define RACE_MIN_S	(5 * 60)
#define RACE_MAX_S	(4 * 3600)

double
load_tss(double seconds, double intensity)
{
	if (!(seconds > 0) || !(intensity > 0))
		return 0;
	return seconds / 3600.0 * intensity * intensity * 100.0;
}

double
load_threshold_pace(double vdot)
{
	int p[PACE__MAX][2];

	if (!(vdot >= VDOT_MIN && vdot <= VDOT_MAX))
		return 0;
	vdot_paces(vdot, p);
	return (p[PACE_T][0] + p[PACE_T][1]) / 2.0;
}

int
load_threshold_hr(const struct load_athlete *a)
{
	if (a->threshold_hr >= LOAD_HR_MIN && a->threshold_hr <= LOAD_HR_MAX)
		return a->threshold_hr;
	if (a->max_hr >= LOAD_HR_MIN && a->max_hr <= LOAD_HR_MAX)
		return (int)lround(a->max_hr * LOAD_LTHR_OF_MAX);
	return 0;
}

/* Intensity of running metres in seconds against a threshold pace. */
static double
pace_intensity(double seconds, double metres, double threshold_s_per_km)
{
	if (!(seconds > 0) || !(metres > 0) || !(threshold_s_per_km > 0))
		return 0;
	return threshold_s_per_km / (seconds / (metres / 1000.0));
}

double
load_rtss(double seconds, double metres, double threshold_s_per_km)
{
	return load_tss(seconds,
	    pace_intensity(seconds, metres, threshold_s_per_km));
}

double
load_hrtss(double seconds, double average_hr, double threshold_hr)
{
	if (!(threshold_hr > 0))
		return 0;
	return load_tss(seconds, average_hr / threshold_hr);
}

/* Daniels & Gilbert: the share of VO2max sustainable for t minutes. */
static double
vo2max_fraction(double minutes)
{
	return 0.8 + 0.1894393 * exp(-0.012778 * minutes) +
	    0.2989558 * exp(-0.1932605 * minutes);
}

double
load_race_intensity(double seconds)
{
	if (seconds < RACE_MIN_S)
		seconds = RACE_MIN_S;
	if (seconds > RACE_MAX_S)
		seconds = RACE_MAX_S;
	/* Threshold is what can be held for an hour. */
	return vo2max_fraction(seconds / 60.0) / vo2max_fraction(60.0);
}

double
load_rpe_intensity(int rpe)
{
	/*
	 * Anchored so that 8 (very hard, held for an hour) is threshold,
	 * 10 a 5K race, 3-4 easy running at E pace; see the doc.
	 */
	static const double intensity[11] = {
		0, 0.65, 0.72, 0.78, 0.83, 0.88, 0.93, 0.97, 1.00, 1.04, 1.08
	};

	return rpe >= 1 && rpe <= 10 ? intensity[rpe] : 0;
}

int
load_rpe_from_feel(int feel)
{
	/*
	 * feel: 1 very hard, 2 hard, 3 moderate, 4 easy, 5 very easy; the
	 * RPE with the same words, as migration 017_rpe.sql converted them.
	 */
	static const int rpe[6] = { 0, 8, 7, 4, 2, 1 };

	return feel >= 1 && feel <= 5 ? rpe[feel] : 0;
}

static double
type_intensity(int type, double seconds)
{
	switch (type) {
	case WORKOUT_RECOVERY:	return LOAD_IF_RECOVERY;
	case WORKOUT_LONG:	return LOAD_IF_LONG;
	case WORKOUT_TEMPO:	return LOAD_IF_TEMPO;
	case WORKOUT_INTERVALS:	return LOAD_IF_INTERVALS;
	case WORKOUT_RACE:	return load_race_intensity(seconds);
	default:		return LOAD_IF_EASY;	/* most running is easy */
	}
}

double
load_planned(enum workout_type type, int duration_s)
{
	if (duration_s < LOAD_MIN_SECONDS)
		return 0;
	if (duration_s > LOAD_MAX_SECONDS)
		duration_s = LOAD_MAX_SECONDS;
	return load_tss(duration_s, type_intensity((int)type, duration_s));
}

/*
 * rTSS as the sum over laps, or -1 when the laps are unusable: one without
 * distance or time, an implausible pace, or not covering the run.
 */
static double
segments_rtss(const struct load_run *r, double threshold)
{
	double	 tss = 0, seconds = 0, f;
	size_t	 i;

	if (r->segments == NULL || r->nsegments == 0)
		return -1;
	for (i = 0; i < r->nsegments; i++) {
		const struct load_segment *s = &r->segments[i];

		f = pace_intensity(s->moving_s, s->distance_m, threshold);
		if (!(f > 0) || f > LOAD_IF_MAX)
			return -1;
		tss += load_tss(s->moving_s, f);
		seconds += s->moving_s;
	}
	if (seconds < r->moving_s * LOAD_SEGMENT_COVER ||
	    seconds > r->moving_s * (2 - LOAD_SEGMENT_COVER))
		return -1;
	/* Scaled to the run's moving time, the laps' sum may differ a little. */
	return tss * r->moving_s / seconds;
}

struct load_thresholds
load_thresholds(const struct load_athlete *a)
{
	struct load_thresholds t;

	t.pace_s_per_km = load_threshold_pace(a->vdot);
	t.hr = load_threshold_hr(a);
	return t;
}

static int
pace_score(const struct load_thresholds *th, const struct load_run *r,
    struct load_score *out)
{
	double threshold = th->pace_s_per_km, f, tss;

	if (!(threshold > 0) || !(r->distance_m >= LOAD_MIN_METRES))
		return 0;
	f = pace_intensity(r->moving_s, r->distance_m, threshold);
	if (f > LOAD_IF_MAX)
		return 0;
	if ((tss = segments_rtss(r, threshold)) < 0)
		tss = load_tss(r->moving_s, f);
	out->tss = tss;
	/* The session's effective IF: what gives its TSS over its duration. */
	out->intensity = sqrt(tss / load_tss(r->moving_s, 1.0));
	out->method = LOAD_PACE;
	return 1;
}

static int
hr_score(const struct load_thresholds *th, const struct load_run *r,
    struct load_score *out)
{
	int	 lthr = th->hr;
	double	 f;

	if (lthr < LOAD_HR_MIN || lthr > LOAD_HR_MAX ||
	    !(r->average_hr >= LOAD_HR_MIN) || r->average_hr > LOAD_HR_MAX)
		return 0;
	f = r->average_hr / lthr;
	if (f > LOAD_HR_IF_MAX)
		return 0;
	out->tss = load_tss(r->moving_s, f);
	out->intensity = f;
	out->method = LOAD_HR;
	return 1;
}

struct load_score
load_run(const struct load_thresholds *t, const struct load_run *in)
{
	struct load_score	 s = { 0, 0, LOAD_NONE };
	struct load_run		 r = *in;

	if (r.moving_s < LOAD_MIN_SECONDS)
		return s;
	if (r.moving_s > LOAD_MAX_SECONDS) {
		/* The first 48 hours, at the run's average pace. */
		r.distance_m = r.distance_m * LOAD_MAX_SECONDS / r.moving_s;
		r.moving_s = LOAD_MAX_SECONDS;
		r.segments = NULL;
	}
	if (pace_score(t, &r, &s) || hr_score(t, &r, &s))
		return s;
	s.intensity = load_rpe_intensity(r.rpe);
	if (s.intensity == 0)
		s.intensity = type_intensity(r.type, r.moving_s);
	s.tss = load_tss(r.moving_s, s.intensity);
	s.method = LOAD_ESTIMATE;
	return s;
}

const char *
load_method_name(enum load_method m)
{
	static const char *const names[LOAD__MAX] = {
		"none", "pace", "heart rate", "estimate"
	};

	return (unsigned)m < LOAD__MAX ? names[m] : "none";
}
