/*
 * splits: a run's splits per kilometre or mile, from Strava's laps or
 * splits (splits_metric / splits_standard of a detailed activity).
 *
 * The input is the run as consecutive segments (Strava's laps or splits,
 * in order), each with its distance, moving time and, when known, average
 * heart rate and elevation change.  splits_resample() cuts it again into
 * splits of a fixed length (the last one shorter), assuming an even pace
 * within each segment: time, heart rate (time-weighted) and elevation are
 * shared out by distance.  Segments without distance (a standing rest
 * lap) are left out.  Pure: no I/O.
 */
#ifndef CADENCE_SPLITS_H
#define CADENCE_SPLITS_H

#include <stdbool.h>
#include <stddef.h>

#define SPLITS_MAX		2000	/* splits (or segments) taken at most */
#define SPLITS_MIN_LAST_M	10.0	/* a shorter last piece joins the one
					   before it */
#define SPLITS_HR_COVER		0.5	/* HR shown when half the time has one */

/* A lap or split as Strava gives it. */
struct split_input {
	double		 distance_m;
	int		 moving_s;
	double		 average_hr;	/* bpm; 0: none */
	bool		 has_elevation;
	double		 elevation_m;	/* elevation_difference (or gain - loss) */
};

/* A run's laps and splits as Strava sends them (a detailed activity). */
struct run_splits {
	struct split_input	*laps;		/* laps, in order */
	size_t			 nlaps;
	struct split_input	*metric;	/* splits_metric: per km */
	size_t			 nmetric;
	struct split_input	*standard;	/* splits_standard: per mile */
	size_t			 nstandard;
};

/* Frees the arrays (free()d) and empties s. */
void	 run_splits_free(struct run_splits *);

struct split {
	int		 index;		/* 1-based */
	double		 start_m;	/* distance at its start */
	double		 distance_m;	/* its length; the last may be shorter */
	double		 moving_s;
	double		 pace_s_per_km;	/* moving pace */
	double		 average_hr;	/* 0: unknown */
	bool		 has_elevation;
	double		 elevation_m;
};

/*
 * Cuts the segments into splits of length_m metres (1000, or
 * METRES_PER_MILE): a malloc'ed array of *n splits (free() it; NULL when
 * there is nothing to show).  Segments with a negative or non-finite
 * figure, or without time, make the whole input unusable (NULL).
 */
struct split *splits_resample(const struct split_input *, size_t n,
	    double length_m, size_t *nout);
/* Strava's splits as they are (one split per segment), same rules. */
struct split *splits_convert(const struct split_input *, size_t n,
	    size_t *nout);
/*
 * Indices of the fastest and the slowest split (the first on ties); a
 * last split shorter than half the longest other one is left out.
 */
void	 splits_extremes(const struct split *, size_t n, size_t *fastest,
	    size_t *slowest);

#endif
