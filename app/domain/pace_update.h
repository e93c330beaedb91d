/*
 * pace_update: a planned workout's pace targets moved to a new fitness
 * (docs/plan-adaptation.md, "New paces").
 *
 * The generator gives each workout the paces of its week's VDOT, the
 * plan's plus 0, 1 or 2 (plan_gen.c's progression), in its pace_fast /
 * pace_slow and in its description's tokens ({p:F:S}, {R:N:M:F:S}, see
 * plan_text.h).  A map pairs every zone's paces at those VDOTs (and the
 * recovery pace, E's slow end + 20 s) with the same zone's at VDOT +
 * delta; a workout's pairs found in the map move, others (a race pace, a
 * pace typed by hand) stay.  Pure: no I/O.
 */
#ifndef CADENCE_PACE_UPDATE_H
#define CADENCE_PACE_UPDATE_H

#include <stdbool.h>
#include <stddef.h>

#define PACE_MAP_MAX	24	/* 3 week VDOTs x (5 zones + recovery) */
#define PACE_RECOVERY_S	20	/* plan_write.c: recovery = E slow + 20 s */

struct pace_pair {
	int	 fast, slow;	/* s/km */
};

struct pace_map {
	size_t		 n;
	struct pace_pair from[PACE_MAP_MAX];
	struct pace_pair to[PACE_MAP_MAX];
};

/*
 * The VDOT (to 0.1) whose easy pace is (fast, slow), as the generator
 * writes it: what a plan's current paces stand for.  0 when none is.
 */
double	 pace_vdot_of_easy(int fast, int slow);
/* The map from plan VDOT v's week paces to those at v + delta. */
void	 pace_map_build(double v, double delta, struct pace_map *);
/* Where pair p goes; false (and p unchanged) when it is not the plan's. */
bool	 pace_map_find(const struct pace_map *, struct pace_pair *p);
/*
 * Moves *fast, *slow and the pace numbers of desc (a template of at most
 * descsz - 1 bytes, rewritten in place) through the map.  Returns true
 * when anything changed; a description that would not fit stays as it
 * was.
 */
bool	 pace_update(const struct pace_map *, int *fast, int *slow, char *desc,
	    size_t descsz);

#endif
