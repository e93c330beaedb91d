/*
 * vdot: Jack Daniels' VDOT fitness index and what follows from it.
 *
 * Daniels & Gilbert fitted two curves to race data:
 *   oxygen cost at velocity v (m/min):  VO2 = -4.60 + 0.182258 v + 0.000104 v^2
 *   fraction of VO2max sustainable for t minutes:
 *       F = 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)
 * and VDOT = VO2 / F for a race of d metres run in t minutes (v = d / t).
 * Predictions invert this for t (bisection: VDOT falls as t grows);
 * training paces are the velocities at set fractions of VDOT (see
 * docs/training-plan-rules.md for the bands).  Pure arithmetic.
 */
#ifndef CADENCE_VDOT_H
#define CADENCE_VDOT_H

/* Training pace zones, fastest last; the order is the order of effort. */
enum pace_zone { PACE_E, PACE_M, PACE_T, PACE_I, PACE_R, PACE__MAX };

#define VDOT_MIN	20.0	/* below this the curves are not trusted */
#define VDOT_MAX	85.0	/* about the world's best */
#define HALF_MARATHON_M	21097.5	/* the exact distance; forms use 21097 */

/* VDOT of a race of metres run in seconds (> 0 both). */
double	 vdot_from_race(double metres, double seconds);
/* The time in seconds a runner of this VDOT would run metres in. */
double	 vdot_predict_time(double vdot, double metres);
/* Velocity in m/min at which the oxygen cost is pct (0..1.2) of VDOT. */
double	 vdot_velocity(double vdot, double pct);
/*
 * Training paces in seconds per km, [zone][0] the fast end and [zone][1]
 * the slow end.  Guarantees R < I < T < M < E at both ends.
 */
void	 vdot_paces(double vdot, int paces[PACE__MAX][2]);
/* "E", "M", "T", "I", "R". */
const char *pace_zone_key(enum pace_zone);

#endif
