/*
 * splits: laps or splits cut again into per-km or per-mile splits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/splits.h"

#define EPS_M	1e-6

/* What a split gathers before it becomes a struct split. */
struct acc {
	double		 start, dist, time, hr_time, hr_sum, elev;
	bool		 no_elev;	/* a part of it had no elevation */
};

static bool
valid(const struct split_input *s)
{
	return isfinite(s->distance_m) && s->distance_m >= 0 &&
	    s->moving_s >= 0 && (s->distance_m == 0 || s->moving_s > 0) &&
	    isfinite(s->average_hr) && s->average_hr >= 0 &&
	    (!s->has_elevation || isfinite(s->elevation_m));
}

/* Adds the share frac of segment s to a. */
static void
take(struct acc *a, const struct split_input *s, double frac)
{
	double t = s->moving_s * frac;

	a->dist += s->distance_m * frac;
	a->time += t;
	if (s->average_hr > 0) {
		a->hr_time += t;
		a->hr_sum += s->average_hr * t;
	}
	if (s->has_elevation)
		a->elev += s->elevation_m * frac;
	else
		a->no_elev = true;
}

static void
merge(struct acc *into, const struct acc *a)
{
	into->dist += a->dist;
	into->time += a->time;
	into->hr_time += a->hr_time;
	into->hr_sum += a->hr_sum;
	into->elev += a->elev;
	into->no_elev |= a->no_elev;
}

static void
finish(struct split *out, const struct acc *a, int index)
{
	out->index = index;
	out->start_m = a->start;
	out->distance_m = a->dist;
	out->moving_s = a->time;
	out->pace_s_per_km = a->time / (a->dist / 1000.0);
	out->average_hr = a->hr_time >= a->time * SPLITS_HR_COVER &&
	    a->hr_time > 0 ? a->hr_sum / a->hr_time : 0;
	out->has_elevation = !a->no_elev;
	out->elevation_m = out->has_elevation ? a->elev : 0;
}

/* Total distance, or -1 when a segment is unusable. */
static double
total_distance(const struct split_input *in, size_t n)
{
	double	 sum = 0;
	size_t	 i;

	if (n > SPLITS_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (!valid(&in[i]))
			return -1;
		sum += in[i].distance_m;
	}
	return sum;
}

/*
 * The engine: length > 0 cuts every length metres, length 0 keeps each
 * segment whole.  Returns the number of accumulators filled in a.
 */
static size_t
cut(const struct split_input *in, size_t n, double length, struct acc *a)
{
	size_t	 i, k = 0;
	double	 left, room, part, done = 0;

	memset(&a[0], 0, sizeof(a[0]));
	for (i = 0; i < n; i++) {
		for (left = in[i].distance_m; left > EPS_M; left -= part) {
			room = length > 0 ? length - a[k].dist : left;
			part = left < room ? left : room;
			take(&a[k], &in[i], part / in[i].distance_m);
			done += part;
			if (length > 0 && a[k].dist < length - EPS_M)
				continue;
			if (length == 0 && part < left)
				continue;
			memset(&a[++k], 0, sizeof(a[k]));
			a[k].start = done;
		}
	}
	if (a[k].dist > EPS_M)
		k++;
	/* A crumb at the end (GPS rounding) joins the split before it. */
	if (k >= 2 && a[k - 1].dist < SPLITS_MIN_LAST_M) {
		merge(&a[k - 2], &a[k - 1]);
		k--;
	}
	return k;
}

static struct split *
build(const struct split_input *in, size_t n, double length, size_t *nout)
{
	struct acc	*a;
	struct split	*out;
	double		 total = total_distance(in, n);
	size_t		 cap, k, i;

	*nout = 0;
	if (!(total > EPS_M))
		return NULL;
	cap = length > 0 ? (size_t)ceil(total / length) + 2 : n + 2;
	if (cap > SPLITS_MAX + 2)
		return NULL;
	if ((a = calloc(cap, sizeof(*a))) == NULL ||
	    (out = calloc(cap, sizeof(*out))) == NULL)
		abort();
	k = cut(in, n, length, a);
	for (i = 0; i < k; i++)
		finish(&out[i], &a[i], (int)i + 1);
	free(a);
	if (k == 0) {
		free(out);
		return NULL;
	}
	*nout = k;
	return out;
}

struct split *
splits_resample(const struct split_input *in, size_t n, double length_m,
    size_t *nout)
{
	*nout = 0;
	if (!(length_m >= 100) || !isfinite(length_m))
		return NULL;
	return build(in, n, length_m, nout);
}

struct split *
splits_convert(const struct split_input *in, size_t n, size_t *nout)
{
	return build(in, n, 0, nout);
}

void
splits_extremes(const struct split *s, size_t n, size_t *fastest,
    size_t *slowest)
{
	double	 longest = 0;
	size_t	 i;

	*fastest = *slowest = 0;
	if (n == 0)
		return;
	for (i = 0; i + 1 < n; i++)
		if (s[i].distance_m > longest)
			longest = s[i].distance_m;
	/* A last split under half the longest other is a remainder. */
	if (n > 1 && s[n - 1].distance_m < longest / 2)
		n--;
	for (i = 1; i < n; i++) {
		if (s[i].pace_s_per_km < s[*fastest].pace_s_per_km)
			*fastest = i;
		if (s[i].pace_s_per_km > s[*slowest].pace_s_per_km)
			*slowest = i;
	}
}

void
run_splits_free(struct run_splits *s)
{
	free(s->laps);
	free(s->metric);
	free(s->standard);
	memset(s, 0, sizeof(*s));
}
