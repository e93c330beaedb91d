/*
 * workout_steps: a workout as the steps a runner (or a watch) follows.
 *
 * A workout is a list of blocks; a block is one step (warm-up, a steady
 * run, cool-down) or a repeat of (work, recovery).  Every step has a
 * duration (a distance in metres, a time in seconds, or open) and a
 * target (a pace range in seconds per kilometre, an effort, or none).
 *
 * ws_build() makes the steps of a generated workout from a small spec
 * (struct ws_spec) that the plan generator, or anything else, fills in:
 * it deliberately does not read plan_gen's structs, so the generator can
 * change without this module.  ws_render() writes a description in the
 * runner's unit.  Pure: no I/O, no globals, no clock.
 */
#ifndef CADENCE_WORKOUT_STEPS_H
#define CADENCE_WORKOUT_STEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/units.h"

#define WS_MAX_BLOCKS		8	/* wu, strides, main, ... cd: 5 at most today */
#define WS_MAX_REPS		40	/* 40 x 200 m is already a track session */
#define WS_MIN_STEP_M		100	/* a distance step shorter is a typo */
#define WS_MAX_DISTANCE_M	100000	/* the plan's longest race */
#define WS_MAX_STEP_S		(6 * 3600)
#define WS_MIN_PACE_S		120	/* 2:00/km: faster is not a runner */
#define WS_MAX_PACE_S		1200	/* 20:00/km: slower is walking */
#define WS_STRIDE_S		20	/* the generator's "6 x 20 s strides" */
#define WS_STRIDE_RECOVERY_S	60	/* walk or jog back between strides */
#define WS_RENDER_MAX		512

/* What the generator calls the workout (mirrors plan_gen's names). */
enum ws_session {
	WS_EASY, WS_LONG, WS_INTERVALS, WS_TEMPO, WS_RECOVERY_RUN, WS_RACE,
	WS_SESSION__MAX
};

enum ws_intensity {
	WS_WARMUP, WS_ACTIVE, WS_INTERVAL, WS_REST, WS_COOLDOWN, WS_INTENSITY__MAX
};

enum ws_duration { WS_DUR_DISTANCE, WS_DUR_TIME, WS_DUR_OPEN };

enum ws_target { WS_TGT_NONE, WS_TGT_PACE, WS_TGT_EFFORT };

/* Efforts for steps a pace does not fit: hills, strides. */
enum ws_effort { WS_EFFORT_EASY, WS_EFFORT_HARD, WS_EFFORT_STRIDE };

struct ws_step {
	enum ws_intensity intensity;
	enum ws_duration  duration;
	int		  value;		/* metres or seconds */
	enum ws_target	  target;
	int		  pace_fast_s, pace_slow_s;	/* per km, WS_TGT_PACE */
	enum ws_effort	  effort;		/* how it feels; with WS_TGT_EFFORT the target */
	bool		  uphill;		/* a hill rep */
};

struct ws_block {
	int		 reps;		/* 0: a single step (work only) */
	struct ws_step	 work;
	struct ws_step	 recovery;	/* when reps > 0 */
};

struct ws_workout {
	enum ws_session	 session;
	struct ws_block	 blocks[WS_MAX_BLOCKS];
	int		 nblocks;
	int		 est_pace_s;	/* per km, for steps without a pace */
};

/*
 * What a generated workout is, in the generator's terms.  Paces are
 * seconds per kilometre, fast <= slow.  The main set is one of:
 *   reps > 0            reps x (rep_m at pace, recovery_m jog), with
 *                       warm-up and cool-down around it (hills: uphill
 *                       at hard effort, jog back down);
 *   block_m > 0         a continuous block at pace: tempo or marathon
 *                       pace (with warm-up and cool-down), or the
 *                       marathon-pace finish of a long run;
 *   neither             one steady run of distance_m at pace.
 * strides > 0 adds strides x (WS_STRIDE_S fast, WS_STRIDE_RECOVERY_S
 * easy) after an easy run.
 */
struct ws_spec {
	enum ws_session	 session;
	int		 distance_m;		/* the whole workout */
	int		 pace_fast_s, pace_slow_s;	/* main set */
	int		 easy_fast_s, easy_slow_s;	/* wu, cd, long-run start; 0: none */
	int		 reps, rep_m, recovery_m;
	int		 block_m;
	bool		 hills;
	int		 strides;
};

/*
 * Builds the steps.  Returns 0, or -1 with a message in err when the spec
 * does not hold together (main set longer than the workout, paces out of
 * range, too many reps...): callers then keep the text description.
 */
int	 ws_build(const struct ws_spec *, struct ws_workout *out, char *err,
	    size_t errlen);

/* Steps the workout expands to (a repeat counts work + recovery once). */
int	 ws_step_count(const struct ws_workout *);
/* Planned distance, time steps counted at their pace (or not at all). */
int	 ws_distance_m(const struct ws_workout *);
/* Estimated time, distance steps at the middle of their pace range. */
int	 ws_duration_s(const struct ws_workout *);

/*
 * One step as a runner reads it: "2 km warm-up at 5:30-6:00/km",
 * "800 m at 4:10-4:15/km (3:20-3:24 each)".  Like snprintf.
 */
int	 ws_render_step(char *, size_t, const struct ws_step *, enum unit);
/*
 * The whole workout, blocks joined by ", ": "2 km warm-up at ...,
 * 6 x 800 m at 4:10-4:15/km (3:20-3:24 each) with 400 m jog, 1.6 km
 * cool-down at ...".  Mile users see track reps in metres with the rep
 * time first and the per-km pace after it, and whole-mile reps per mile.
 */
int	 ws_render(char *, size_t, const struct ws_workout *, enum unit);

const char *ws_session_name(enum ws_session);		/* "Easy" ... */
const char *ws_intensity_name(enum ws_intensity);	/* "warm-up" ... */

#endif
