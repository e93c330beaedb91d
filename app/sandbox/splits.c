/*
 * splits: see splits.h.
 */
#include <math.h>
#include <string.h>

#include "sandbox/splits.h"

#define MILE_M		1609.344
#define MAX_PIECES	400
#define REPS		5

struct piece {
	double	 m;		/* distance */
	double	 weight;	/* relative seconds a metre */
};

/* Splits of length len, a steady pace with a small wave and drift. */
static int
steady(const struct sb_activity *a, double len, struct piece *p)
{
	int	 n = 0;
	double	 left = a->distance;

	while (left > 0.5 && n < MAX_PIECES) {
		p[n].m = left > len ? len : left;
		p[n].weight = 1 + 0.025 * sin(n * 1.7 + (double)(a->id % 7)) +
		    0.004 * n;
		left -= p[n].m;
		n++;
	}
	return n;
}

/* A workout's laps: warm-up, reps and jogs, cool-down. */
static int
workout(const struct sb_activity *a, struct piece *p)
{
	double	 d = a->distance, rep = d * 0.08, jog = d * 0.04;
	int	 n = 0, i;

	p[n++] = (struct piece){ d * 0.22, 1.12 };
	for (i = 0; i < REPS; i++) {
		p[n++] = (struct piece){ rep, 0.82 };
		if (i + 1 < REPS)
			p[n++] = (struct piece){ jog, 1.35 };
	}
	p[n++] = (struct piece){ d - d * 0.22 - REPS * rep - (REPS - 1) * jog,
	    1.15 };
	return n;
}

/* Seconds of each piece: shares of the moving time by weight x metres. */
static void
times(const struct sb_activity *a, const struct piece *p, int n, double *t)
{
	double	 sum = 0;
	int	 i;

	for (i = 0; i < n; i++)
		sum += p[i].m * p[i].weight;
	for (i = 0; i < n; i++)
		t[i] = sum > 0 ? a->moving_time * p[i].m * p[i].weight / sum : 0;
}

static json_t *
entry(const struct sb_activity *a, const struct piece *p, double t, int i,
    bool lap)
{
	double	 speed = t > 0 ? p->m / t : 0;
	double	 hr = a->avg_hr + 6 * (1 / p->weight - 1) * 10 + 0.3 * i;
	json_t	*j = json_pack("{s:f, s:i, s:i, s:f, s:i, s:i}", "distance",
	    round(p->m * 10) / 10, "moving_time", (int)lround(t),
	    "elapsed_time", (int)lround(t) + (lap ? 2 : 0), "average_speed",
	    round(speed * 100) / 100, "split", i + 1, "pace_zone",
	    p->weight < 0.9 ? 4 : 2);

	if (lap) {
		json_object_set_new(j, "name", json_sprintf("Lap %d", i + 1));
		json_object_set_new(j, "lap_index", json_integer(i + 1));
		json_object_set_new(j, "total_elevation_gain",
		    json_real(round(a->elev_gain / 10 * 10) / 10));
		json_object_set_new(j, "resource_state", json_integer(2));
	} else {
		json_object_set_new(j, "elevation_difference",
		    json_real(i % 2 ? -1.5 : 2.0));
		json_object_set_new(j, "average_grade_adjusted_speed",
		    json_real(round(speed * 100) / 100));
	}
	if (a->has_hr)
		json_object_set_new(j, "average_heartrate",
		    json_real(round(hr * 10) / 10));
	return j;
}

static json_t *
list(const struct sb_activity *a, const struct piece *p, int n, bool lap)
{
	double	 t[MAX_PIECES];
	json_t	*arr = json_array();
	int	 i;

	times(a, p, n, t);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, entry(a, &p[i], t[i], i, lap));
	return arr;
}

void
sb_activity_add_splits(json_t *j, const struct sb_activity *a)
{
	struct piece	 p[MAX_PIECES];
	int		 n;

	if (a->manual || a->distance <= 0 || a->moving_time <= 0) {
		json_object_set_new(j, "laps", json_array());
		return;
	}
	n = a->workout_type == 3 ? workout(a, p) : steady(a, 1000, p);
	json_object_set_new(j, "laps", list(a, p, n, true));
	n = steady(a, 1000, p);
	json_object_set_new(j, "splits_metric", list(a, p, n, false));
	n = steady(a, MILE_M, p);
	json_object_set_new(j, "splits_standard", list(a, p, n, false));
}
