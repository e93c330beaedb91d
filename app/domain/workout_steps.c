/*
 * workout_steps: building generated workouts as steps and describing them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/workout_steps.h"

#define DEFAULT_EST_PACE_S	360	/* 6:00/km when nothing better is known */
#define ROUND_WARMUP_M		100	/* warm-up distances are multiples */
#define MILE_TOLERANCE_M	2	/* 1609 or 1610 m is "1 mile" */

static const char *const session_names[WS_SESSION__MAX] = {
	"Easy", "Long", "Intervals", "Tempo", "Recovery", "Race"
};

static const char *const intensity_names[WS_INTENSITY__MAX] = {
	"warm-up", "run", "interval", "recovery", "cool-down"
};

const char *
ws_session_name(enum ws_session s)
{
	return (unsigned)s < WS_SESSION__MAX ? session_names[s] : "Run";
}

const char *
ws_intensity_name(enum ws_intensity i)
{
	return (unsigned)i < WS_INTENSITY__MAX ? intensity_names[i] : "run";
}

/* ---- building ---- */

static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool
pace_ok(int fast, int slow)
{
	return fast >= WS_MIN_PACE_S && slow <= WS_MAX_PACE_S && fast <= slow;
}

static struct ws_step
distance_step(enum ws_intensity in, int m)
{
	struct ws_step s;

	memset(&s, 0, sizeof(s));
	s.intensity = in;
	s.duration = WS_DUR_DISTANCE;
	s.value = m;
	s.target = WS_TGT_NONE;
	s.effort = WS_EFFORT_EASY;
	return s;
}

static void
with_pace(struct ws_step *s, int fast, int slow, enum ws_effort e)
{
	if (fast <= 0)
		return;		/* no pace known: the step has no target */
	s->target = WS_TGT_PACE;
	s->pace_fast_s = fast;
	s->pace_slow_s = slow;
	s->effort = e;
}

static struct ws_block *
add_block(struct ws_workout *w)
{
	struct ws_block *b = &w->blocks[w->nblocks++];

	memset(b, 0, sizeof(*b));
	return b;
}

/* An easy single step (warm-up, cool-down, steady) when m > 0. */
static void
add_easy(struct ws_workout *w, const struct ws_spec *sp, enum ws_intensity in,
    int m)
{
	struct ws_block *b;

	if (m <= 0)
		return;
	b = add_block(w);
	b->work = distance_step(in, m);
	with_pace(&b->work, sp->easy_fast_s, sp->easy_slow_s, WS_EFFORT_EASY);
}

static int
check_spec(const struct ws_spec *sp, char *err, size_t errlen)
{
	if ((unsigned)sp->session >= WS_SESSION__MAX)
		return fail(err, errlen, "unknown workout type");
	if (sp->distance_m < WS_MIN_STEP_M || sp->distance_m > WS_MAX_DISTANCE_M)
		return fail(err, errlen, "distance %d m is out of range", sp->distance_m);
	if (!pace_ok(sp->pace_fast_s, sp->pace_slow_s))
		return fail(err, errlen, "pace range %d-%d s/km is out of range",
		    sp->pace_fast_s, sp->pace_slow_s);
	if (sp->easy_fast_s != 0 && !pace_ok(sp->easy_fast_s, sp->easy_slow_s))
		return fail(err, errlen, "easy pace range %d-%d s/km is out of range",
		    sp->easy_fast_s, sp->easy_slow_s);
	if (sp->reps < 0 || sp->reps > WS_MAX_REPS)
		return fail(err, errlen, "%d reps: at most %d", sp->reps, WS_MAX_REPS);
	if (sp->strides < 0 || sp->strides > WS_MAX_REPS)
		return fail(err, errlen, "%d strides: at most %d", sp->strides, WS_MAX_REPS);
	if (sp->reps > 0 && sp->block_m > 0)
		return fail(err, errlen, "reps and a continuous block at once");
	if (sp->reps > 0 && (sp->rep_m < WS_MIN_STEP_M || sp->recovery_m < WS_MIN_STEP_M))
		return fail(err, errlen, "reps of %d m with %d m recovery are too short",
		    sp->rep_m, sp->recovery_m);
	if (sp->block_m < 0 || (sp->block_m > 0 && sp->block_m < WS_MIN_STEP_M))
		return fail(err, errlen, "block of %d m is too short", sp->block_m);
	return 0;
}

/* Warm-up, reps x (work, jog), cool-down. */
static int
build_reps(const struct ws_spec *sp, struct ws_workout *w, char *err,
    size_t errlen)
{
	long main = (long)sp->reps * (sp->rep_m + sp->recovery_m);
	int rest, wu;
	struct ws_block *b;

	if (main > sp->distance_m)
		return fail(err, errlen, "the main set (%ld m) is longer than the "
		    "workout (%d m)", main, sp->distance_m);
	rest = sp->distance_m - (int)main;
	wu = rest / 2 / ROUND_WARMUP_M * ROUND_WARMUP_M;
	add_easy(w, sp, WS_WARMUP, wu);
	b = add_block(w);
	b->reps = sp->reps;
	b->work = distance_step(WS_INTERVAL, sp->rep_m);
	if (sp->hills) {
		b->work.target = WS_TGT_EFFORT;
		b->work.effort = WS_EFFORT_HARD;
		b->work.uphill = true;
	} else
		with_pace(&b->work, sp->pace_fast_s, sp->pace_slow_s, WS_EFFORT_HARD);
	b->recovery = distance_step(WS_REST, sp->recovery_m);
	b->recovery.uphill = sp->hills;		/* i.e. back down */
	add_easy(w, sp, WS_COOLDOWN, rest - wu);
	return 0;
}

/* A continuous block at pace: after an easy start (long run) or between
 * warm-up and cool-down. */
static int
build_block(const struct ws_spec *sp, struct ws_workout *w, char *err,
    size_t errlen)
{
	int rest = sp->distance_m - sp->block_m, wu;
	struct ws_block *b;

	if (rest < 0)
		return fail(err, errlen, "the block (%d m) is longer than the "
		    "workout (%d m)", sp->block_m, sp->distance_m);
	wu = sp->session == WS_LONG ? rest :
	    rest / 2 / ROUND_WARMUP_M * ROUND_WARMUP_M;
	add_easy(w, sp, sp->session == WS_LONG ? WS_ACTIVE : WS_WARMUP, wu);
	b = add_block(w);
	b->work = distance_step(WS_ACTIVE, sp->block_m);
	with_pace(&b->work, sp->pace_fast_s, sp->pace_slow_s, WS_EFFORT_HARD);
	if (sp->session != WS_LONG)
		add_easy(w, sp, WS_COOLDOWN, rest - wu);
	return 0;
}

static void
build_steady(const struct ws_spec *sp, struct ws_workout *w)
{
	struct ws_block *b = add_block(w);
	bool easy = sp->session == WS_EASY || sp->session == WS_LONG ||
	    sp->session == WS_RECOVERY_RUN;

	b->work = distance_step(WS_ACTIVE, sp->distance_m);
	with_pace(&b->work, sp->pace_fast_s, sp->pace_slow_s,
	    easy ? WS_EFFORT_EASY : WS_EFFORT_HARD);
}

static void
build_strides(const struct ws_spec *sp, struct ws_workout *w)
{
	struct ws_block *b = add_block(w);

	b->reps = sp->strides;
	memset(&b->work, 0, sizeof(b->work));
	b->work.intensity = WS_INTERVAL;
	b->work.duration = WS_DUR_TIME;
	b->work.value = WS_STRIDE_S;
	b->work.target = WS_TGT_EFFORT;
	b->work.effort = WS_EFFORT_STRIDE;
	b->recovery = b->work;
	b->recovery.intensity = WS_REST;
	b->recovery.value = WS_STRIDE_RECOVERY_S;
	b->recovery.target = WS_TGT_NONE;
	b->recovery.effort = WS_EFFORT_EASY;
}

int
ws_build(const struct ws_spec *sp, struct ws_workout *w, char *err,
    size_t errlen)
{
	int rc = 0;

	memset(w, 0, sizeof(*w));
	if (check_spec(sp, err, errlen) != 0)
		return -1;
	w->session = sp->session;
	w->est_pace_s = sp->easy_fast_s > 0 ?
	    (sp->easy_fast_s + sp->easy_slow_s) / 2 : DEFAULT_EST_PACE_S;
	if (sp->reps > 0)
		rc = build_reps(sp, w, err, errlen);
	else if (sp->block_m > 0)
		rc = build_block(sp, w, err, errlen);
	else
		build_steady(sp, w);
	if (rc == 0 && sp->strides > 0)
		build_strides(sp, w);
	if (rc != 0)
		memset(w, 0, sizeof(*w));
	return rc;
}

/* ---- totals ---- */

int
ws_step_count(const struct ws_workout *w)
{
	int i, n = 0;

	for (i = 0; i < w->nblocks; i++)
		n += w->blocks[i].reps > 0 ? 2 : 1;
	return n;
}

static double
mid_pace(const struct ws_workout *w, const struct ws_step *s)
{
	if (s->target == WS_TGT_PACE)
		return (s->pace_fast_s + s->pace_slow_s) / 2.0;
	return w->est_pace_s;
}

static double
step_metres(const struct ws_workout *w, const struct ws_step *s)
{
	if (s->duration == WS_DUR_DISTANCE)
		return s->value;
	if (s->duration == WS_DUR_TIME)
		return s->value * 1000.0 / mid_pace(w, s);
	return 0;
}

static double
step_seconds(const struct ws_workout *w, const struct ws_step *s)
{
	if (s->duration == WS_DUR_TIME)
		return s->value;
	if (s->duration == WS_DUR_DISTANCE)
		return s->value / 1000.0 * mid_pace(w, s);
	return 0;
}

int
ws_distance_m(const struct ws_workout *w)
{
	double m = 0;
	int i;

	for (i = 0; i < w->nblocks; i++) {
		const struct ws_block *b = &w->blocks[i];

		if (b->reps > 0)
			m += b->reps * (step_metres(w, &b->work) +
			    step_metres(w, &b->recovery));
		else
			m += step_metres(w, &b->work);
	}
	return (int)lround(m);
}

int
ws_duration_s(const struct ws_workout *w)
{
	double t = 0;
	int i;

	for (i = 0; i < w->nblocks; i++) {
		const struct ws_block *b = &w->blocks[i];

		if (b->reps > 0)
			t += b->reps * (step_seconds(w, &b->work) +
			    step_seconds(w, &b->recovery));
		else
			t += step_seconds(w, &b->work);
	}
	return (int)lround(t);
}

/* ---- rendering ---- */

/* A small appender over a caller buffer that remembers the wanted length. */
struct out {
	char	*p;
	size_t	 n;
	int	 len;
};

static void
put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list	ap;
	size_t	at = (size_t)o->len < o->n ? (size_t)o->len : o->n;
	int	k;

	va_start(ap, fmt);
	k = vsnprintf(o->p ? o->p + at : NULL, o->n - at, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += k;
}

static bool
is_miles(int m)
{
	int k = (int)lround(m / METRES_PER_MILE);

	return k >= 1 && abs(m - (int)lround(k * METRES_PER_MILE)) <= MILE_TOLERANCE_M;
}

/* Reps are track distances: "400 m", "1 km", "1.2 km", "1 mi". */
static void
fmt_rep(char *b, size_t n, int m)
{
	if (is_miles(m))
		snprintf(b, n, "%ld mi", lround(m / METRES_PER_MILE));
	else if (m >= 1000 && m % 1000 == 0)
		snprintf(b, n, "%d km", m / 1000);
	else if (m >= 1000)
		snprintf(b, n, "%d.%d km", m / 1000, m % 1000 / 100);
	else
		snprintf(b, n, "%d m", m);
}

/* "20 s", "10 min", "1:05:00". */
static void
fmt_time(char *b, size_t n, int s)
{
	if (s < 60)
		snprintf(b, n, "%d s", s);
	else if (s % 60 == 0 && s < 3600)
		snprintf(b, n, "%d min", s / 60);
	else
		units_format_duration(b, n, s);
}

static void
fmt_duration(char *b, size_t n, const struct ws_step *s, enum unit u, bool track)
{
	if (s->duration == WS_DUR_TIME)
		fmt_time(b, n, s->value);
	else if (s->duration == WS_DUR_OPEN)
		snprintf(b, n, "as long as you need");
	else if (track)
		fmt_rep(b, n, s->value);
	else
		units_format_distance(b, n, s->value, u);
}

/* "3:20-3:24": the time one rep of m metres takes at the pace range. */
static void
fmt_rep_time(char *b, size_t n, int m, int fast, int slow)
{
	char f[16], s[16];
	int tf = (int)lround(m * fast / 1000.0), ts = (int)lround(m * slow / 1000.0);

	units_format_duration(f, sizeof(f), tf);
	units_format_duration(s, sizeof(s), ts);
	if (tf == ts)
		snprintf(b, n, "%s", f);
	else
		snprintf(b, n, "%s-%s", f, s);
}

/* A pace-targeted rep: the pace in the unit that suits the rep. */
static void
put_rep_pace(struct out *o, const struct ws_step *s, enum unit u)
{
	char p[40], t[40];

	if (s->duration != WS_DUR_DISTANCE) {
		units_format_pace_range(p, sizeof(p), s->pace_fast_s, s->pace_slow_s, u);
		put(o, " at %s", p);
		return;
	}
	fmt_rep_time(t, sizeof(t), s->value, s->pace_fast_s, s->pace_slow_s);
	if (is_miles(s->value) && u == UNIT_MI) {
		units_format_pace_range(p, sizeof(p), s->pace_fast_s,
		    s->pace_slow_s, UNIT_MI);
		put(o, " at %s", p);
	} else if (u == UNIT_MI) {
		/* A mile pace for a 400 m rep is no use on a track. */
		units_format_pace_range(p, sizeof(p), s->pace_fast_s,
		    s->pace_slow_s, UNIT_KM);
		put(o, " in %s (%s)", t, p);
	} else {
		units_format_pace_range(p, sizeof(p), s->pace_fast_s,
		    s->pace_slow_s, UNIT_KM);
		put(o, " at %s (%s each)", p, t);
	}
}

static void
put_effort(struct out *o, const struct ws_step *s)
{
	if (s->effort == WS_EFFORT_STRIDE)
		put(o, " strides, fast but relaxed");
	else if (s->uphill)
		put(o, " uphill at hard effort (or on the flat)");
	else
		put(o, " at %s effort", s->effort == WS_EFFORT_HARD ? "hard" : "easy");
}

static void
put_step(struct out *o, const struct ws_step *s, enum unit u)
{
	bool track = s->intensity == WS_INTERVAL || s->intensity == WS_REST;
	char d[32], p[40];

	fmt_duration(d, sizeof(d), s, u, track);
	put(o, "%s", d);
	switch (s->intensity) {
	case WS_WARMUP:
	case WS_COOLDOWN:
		put(o, " %s", ws_intensity_name(s->intensity));
		break;
	case WS_REST:
		put(o, s->uphill ? " jog back down" :
		    s->duration == WS_DUR_TIME ? " easy" : " jog");
		return;
	default:
		if (s->target == WS_TGT_PACE && s->effort == WS_EFFORT_EASY)
			put(o, " easy");
		break;
	}
	if (s->target == WS_TGT_EFFORT)
		put_effort(o, s);
	else if (s->target == WS_TGT_PACE && s->intensity == WS_INTERVAL)
		put_rep_pace(o, s, u);
	else if (s->target == WS_TGT_PACE) {
		units_format_pace_range(p, sizeof(p), s->pace_fast_s,
		    s->pace_slow_s, u);
		put(o, " at %s", p);
	}
}

int
ws_render_step(char *buf, size_t n, const struct ws_step *s, enum unit u)
{
	struct out o = { buf, n, 0 };

	if (buf != NULL && n > 0)
		buf[0] = '\0';
	put_step(&o, s, u);
	return o.len;
}

static void
put_block(struct out *o, const struct ws_block *b, enum unit u)
{
	if (b->reps == 0) {
		put_step(o, &b->work, u);
		return;
	}
	put(o, "%d x ", b->reps);
	put_step(o, &b->work, u);
	if (b->work.effort == WS_EFFORT_STRIDE) {
		put(o, " (");
		put_step(o, &b->recovery, u);
		put(o, " between)");
		return;
	}
	put(o, b->recovery.uphill ? ", " : " with ");
	put_step(o, &b->recovery, u);
}

int
ws_render(char *buf, size_t n, const struct ws_workout *w, enum unit u)
{
	struct out o = { buf, n, 0 };
	int i;

	if (buf != NULL && n > 0)
		buf[0] = '\0';
	for (i = 0; i < w->nblocks; i++) {
		if (i > 0)
			put(&o, w->blocks[i].work.effort == WS_EFFORT_STRIDE ?
			    ", then " : ", ");
		put_block(&o, &w->blocks[i], u);
	}
	return o.len;
}
