/*
 * workout_spec: the steps of a stored workout (issue 17.1's "Download for
 * my watch"), read back from what the plan generator stored: its type,
 * distance, pace range and description template (domain/plan_text.h's
 * tokens: {R:N:M:F:S} reps, "{d:WU} easy, {d:L} at {p:F:S}" blocks, a
 * long run's "then the last {d:L} at ... ({p:F:S})" finish, hills and
 * strides).  A workout edited by hand, or one whose text says none of
 * these, is one steady run of its distance at its pace.  Pure: no I/O.
 */
#ifndef CADENCE_WORKOUT_SPEC_H
#define CADENCE_WORKOUT_SPEC_H

#include "domain/workout_steps.h"

/* The pace range used when a workout has none (s/km). */
#define WSPEC_DEFAULT_FAST_S	330
#define WSPEC_DEFAULT_SLOW_S	390

/*
 * The spec of a workout of type_key ("easy" ... "race"), distance_m,
 * pace range (0: none) and description (NULL: none).
 */
void	workout_spec_from(const char *type_key, int distance_m,
	    int pace_fast_s, int pace_slow_s, const char *description,
	    struct ws_spec *out);
/*
 * Builds the steps: the spec above, else (ws_build refused it) the
 * steady run.  0, or -1 with err set when even that does not hold.
 */
int	workout_steps_of(const char *type_key, int distance_m, int pace_fast_s,
	    int pace_slow_s, const char *description, struct ws_workout *out,
	    char *err, size_t errlen);

#endif
