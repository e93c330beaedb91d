/*
 * plan_internal: what the parts of the generator share.  plan_profile.c
 * shapes the plan for the race distance, plan_schedule.c sets each
 * week's volume and long run, plan_week.c lays out the days of each
 * week, plan_taper.c the days before the race, plan_describe.c picks the
 * sessions and writes each workout.  Not for use outside app/domain/
 * (and the unit tests).
 */
#ifndef CADENCE_PLAN_INTERNAL_H
#define CADENCE_PLAN_INTERNAL_H

#include "domain/plan_gen.h"

#define PLAN_MIN_RUN_M		3000	/* shorter runs are dropped */
#define PLAN_MIN_HARD_M		5000	/* room for warm-up + reps + cool-down */
#define PLAN_ROUND_M		500	/* workout distances are multiples */
#define PLAN_SHAKEOUT_M		3000	/* the race's eve, 6-7 runs a week */
#define PLAN_SHAKEOUT2_M	4000	/* two days out, 4+ runs a week */
#define PLAN_SHARPEN_MIN_M	4500	/* the race-week sharpener at least */
#define LONG_STEP_M		2000	/* long run growth a week at most */
#define TAPER_RUN_SHARE		0.20	/* of peak, per run in the last 7 days */
#define LONG_30K_M		30000	/* long runs this long: 21+ days out */
#define LONG_30K_DAYS		21

/* The session menus: a distance takes its nearest class's. */
enum race_class { RC_5K, RC_10K, RC_HALF, RC_MARATHON, RC__MAX };

/*
 * Everything that depends on the race distance, interpolated between
 * the four classes on a log scale (a 15K sits between 10K and half).
 */
struct race_profile {
	int	 distance_m;
	double	 exact_m;		/* 21097.5 for the half */
	enum race_class rc;
	int	 min_weeks;
	int	 taper_days;		/* the taper: days before the race */
	int	 last_long_days;	/* no long run closer than this */
	int	 long_lo_m, long_hi_m;	/* published peak long-run range */
	int	 long_time_s;		/* long runs at most this long */
	double	 long_share;		/* target share of the peak week */
	double	 long_share_max;	/* of any week */
	int	 peak_lo_m;		/* peak week aimed at, at least */
	int	 peak_cap_m;		/* growth stops here */
	int	 ready_week_m;		/* readiness: peak week at least */
	int	 ready_long_m;		/* readiness: peak long run at least */
	int	 race_finish;		/* long runs end at race pace */
};

void	 plan_profile(int race_distance, struct race_profile *);
/* Today's fitness: in->vdot when given, else vdot_estimate(). */
void	 plan_fitness(const struct plan_input *, struct vdot_fitness *);
/* "marathon", "10K", "15 km race": for messages. */
void	 plan_profile_name(const struct race_profile *, enum unit, char *,
	    size_t);
double	 plan_exact_distance(int metres);

/* Each week's volume and long run (plan_schedule.c). */
struct schedule {
	date_t	 w1;			/* first day of week 1 */
	date_t	 start;			/* first day with workouts */
	int	 nweeks;
	date_t	 taper_start;		/* race - taper_days: days_out <= T */
	int	 full_pre;		/* weeks wholly before the taper */
	int	 taper_weeks;		/* weeks labelled Taper */
	int	 v1;			/* the first week's volume */
	int	 l0;			/* the first long run */
	int	 l_target;		/* the peak long run aimed at */
	int	 vref[PLAN_MAX_WEEKS];	/* what a full week holds */
	int	 longm[PLAN_MAX_WEEKS];	/* long-run target (pre-taper) */
	unsigned char cutback[PLAN_MAX_WEEKS];
	int	 v_peak, l_peak;	/* reached */
};

/* Fills s for in (valid calendar) at fitness vdot; 0, or -1 if too short. */
int	 plan_schedule(const struct plan_input *, const struct race_profile *,
	    double vdot, struct schedule *);
/* Distance covered in the profile's long-run time at easy pace. */
int	 plan_long_time_cap(const struct race_profile *, double vdot);
/* First day of week 1: from the number of weeks, or the start date. */
date_t	 plan_first_week(const struct plan_input *);

/* The quality workouts and their easy stand-ins (plan_describe.c). */
enum sess {
	S_EASY, S_STRIDES, S_HILLS, S_FARTLEK, S_VO2_1K, S_VO2_800, S_VO2_600,
	S_CRUISE, S_TEMPO, S_R400, S_I1200, S_MPACE, S_SHARP_R, S_SHARP_T,
	S__MAX
};

enum style { ST_EASY, ST_REPS, ST_HILLS, ST_CONT };

struct session_def {
	enum style	 style;
	enum workout_type type;
	enum pace_zone	 zone;
	int		 rep_m[UNIT__MAX];	/* 0: continuous */
	int		 jog_m;
	int		 min_reps[UNIT__MAX];	/* continuous: metres */
	int		 max_reps[UNIT__MAX];
	double		 budget;		/* share of the week ... */
	int		 budget_max_m;		/* ... up to this */
	const char	*label;
};

#define PLAN_WARMUP_M		1000	/* warm-up and cool-down each at least */
#define PLAN_STRIDES		"6 x 20 s strides"

extern const struct session_def plan_sessions[S__MAX];
/* The race-week sharpener: 200 m at R up to 10K, T reps beyond. */
enum sess plan_sharpener(const struct race_profile *);
/* Smallest distance session s fits in with warm-ups of warmup metres. */
int	 plan_sess_min_m(enum sess, enum unit, int warmup);

enum role { ROLE_LONG, ROLE_RECOVERY, ROLE_HARD_A, ROLE_HARD_B, ROLE_EASY };

enum slot_kind {
	SK_NORMAL,		/* before the taper */
	SK_TAPER,		/* in the taper: scaled down */
	SK_LONG_TAPER,		/* a shortened long run in the taper */
	SK_STEADY,		/* the long-run day, too close for a long run */
	SK_SHARPEN,		/* the race-week sharpener */
	SK_SHAKEOUT		/* the last two days */
};

/* One training day of the plan. */
struct slot {
	date_t		 date;
	int		 week;		/* 1-based */
	int		 days_out;	/* race_date - date */
	enum role	 role;
	enum slot_kind	 kind;
	enum sess	 sess;
	double		 weight;	/* share of the week, by role */
	int		 dist;		/* metres; 0: rest */
	int		 cap;		/* when sharing: at most this, 0: none */
	int		 shown;		/* on or after the start date */
};

/* Everything the layout passes share. */
struct layout {
	const struct plan_input	*in;
	const struct race_profile *prof;
	const struct schedule	*sch;
	struct plan		*plan;
	struct slot		*slots;		/* by date */
	int			 nslots;
};

/*
 * Shares rest (a multiple of PLAN_ROUND_M) among the slots of weight > 0
 * by weight, each within [lo, its cap or cap], dropping runs (recovery,
 * easy, B, A) while there is not enough for all; the others end at 0.
 */
void	 plan_share(struct slot *, int n, int rest, int lo, int cap);
/* Creates the slots of every week, by date, and their distances. */
void	 plan_lay_weeks(struct layout *);
/* Reshapes the slots inside the taper window. */
void	 plan_lay_taper(struct layout *);
/* Picks sessions for the weeks before the taper (rotating systems). */
void	 plan_pick_sessions(struct layout *);
/* Demotes a quality day next to another hard day to an easy run. */
void	 plan_space_hard_days(struct layout *);
/* Writes the plan's workouts and the race from the slots. */
void	 plan_write(struct layout *);
int	 plan_sess_is_hard(enum sess);
/* Phase and 1-based week within it. */
enum phase_kind plan_phase_of(const struct plan *, int week, int *phase_week);

/* Rounds to PLAN_ROUND_M: down, up, nearest. */
int	 round_down_m(double);
int	 round_up_m(double);
int	 round_near_m(double);

#endif
