/* workout_spec: see workout_spec.h. */
#include <stdio.h>
#include <string.h>

#include "domain/workout_spec.h"

#define TOKENS_MAX	8	/* {d:...} or {p:...} tokens read */
#define STRIDES		6	/* plan_internal.h's PLAN_STRIDES */

/* The description's tokens, in order. */
struct tokens {
	int	d[TOKENS_MAX];		/* {d:M} */
	int	nd;
	int	p[TOKENS_MAX][2];	/* {p:F:S}, {P:S} as S..S */
	int	np;
	int	r[4];			/* {R:N:M:F:S} */
	bool	has_r;
};

static void
scan(const char *s, struct tokens *t)
{
	int a, b, c, d;

	memset(t, 0, sizeof(*t));
	for (; (s = strchr(s, '{')) != NULL; s++) {
		if (sscanf(s, "{d:%d}", &a) == 1 && t->nd < TOKENS_MAX)
			t->d[t->nd++] = a;
		else if (sscanf(s, "{p:%d:%d}", &a, &b) == 2 &&
		    t->np < TOKENS_MAX) {
			t->p[t->np][0] = a;
			t->p[t->np++][1] = b;
		} else if (sscanf(s, "{P:%d}", &a) == 1 && t->np < TOKENS_MAX) {
			t->p[t->np][0] = t->p[t->np][1] = a;
			t->np++;
		} else if (!t->has_r && sscanf(s, "{R:%d:%d:%d:%d}", &a, &b, &c,
		    &d) == 4) {
			t->r[0] = a, t->r[1] = b, t->r[2] = c, t->r[3] = d;
			t->has_r = true;
		}
	}
}

static enum ws_session
session_of(const char *type_key)
{
	static const char *const keys[WS_SESSION__MAX] = {
		[WS_EASY] = "easy", [WS_LONG] = "long",
		[WS_INTERVALS] = "intervals", [WS_TEMPO] = "tempo",
		[WS_RECOVERY_RUN] = "recovery", [WS_RACE] = "race",
	};
	int i;

	for (i = 0; i < WS_SESSION__MAX; i++)
		if (strcmp(type_key, keys[i]) == 0)
			return (enum ws_session)i;
	return WS_EASY;
}

static void
set_pace(int *fast, int *slow, int f, int s)
{
	*fast = f;
	*slow = s;
}

/* Reps: "{d:WU} easy, {R:N:M:F:S} with ... jog, {d:CD} easy". */
static void
spec_reps(const struct tokens *t, struct ws_spec *sp)
{
	int rest = sp->distance_m - t->r[0] * t->r[1];

	sp->reps = t->r[0];
	sp->rep_m = t->r[1];
	set_pace(&sp->pace_fast_s, &sp->pace_slow_s, t->r[2], t->r[3]);
	if (t->nd == 2)
		rest -= t->d[0] + t->d[1];
	sp->recovery_m = sp->reps > 1 && rest > 0 ? rest / (sp->reps - 1) :
	    sp->rep_m / 2;
}

void
workout_spec_from(const char *type_key, int distance_m, int pace_fast_s,
    int pace_slow_s, const char *desc, struct ws_spec *sp)
{
	struct tokens	 t;
	const char	*after;
	int		 hills, n = 0;

	memset(sp, 0, sizeof(*sp));
	sp->session = session_of(type_key);
	sp->distance_m = distance_m;
	if (pace_fast_s > 0 && pace_slow_s >= pace_fast_s)
		set_pace(&sp->pace_fast_s, &sp->pace_slow_s, pace_fast_s,
		    pace_slow_s);
	else
		set_pace(&sp->pace_fast_s, &sp->pace_slow_s,
		    WSPEC_DEFAULT_FAST_S, WSPEC_DEFAULT_SLOW_S);
	if (desc == NULL)
		return;
	scan(desc, &t);
	after = strstr(desc, "} easy, ");
	if (t.has_r)
		spec_reps(&t, sp);
	else if (after != NULL && sscanf(after, "} easy, %d x 200 m uphill%n",
	    &hills, &n) == 1 && n > 0) {
		sp->reps = hills;
		sp->rep_m = sp->recovery_m = 200;
		sp->hills = true;
	} else if (sp->session == WS_LONG && t.nd == 3 && t.np == 2 &&
	    strstr(desc, "then the last") != NULL) {
		sp->block_m = t.d[2];
		set_pace(&sp->easy_fast_s, &sp->easy_slow_s, t.p[0][0],
		    t.p[0][1]);
		set_pace(&sp->pace_fast_s, &sp->pace_slow_s, t.p[1][0],
		    t.p[1][1]);
	} else if (after != NULL && strncmp(after, "} easy, {d:", 11) == 0 &&
	    t.nd == 3 && t.np == 1) {
		sp->block_m = t.d[1];
		set_pace(&sp->pace_fast_s, &sp->pace_slow_s, t.p[0][0],
		    t.p[0][1]);
	} else if (strstr(desc, "strides") != NULL && sp->session == WS_EASY)
		sp->strides = STRIDES;
}

int
workout_steps_of(const char *type_key, int distance_m, int pace_fast_s,
    int pace_slow_s, const char *desc, struct ws_workout *out, char *err,
    size_t errlen)
{
	struct ws_spec sp;

	workout_spec_from(type_key, distance_m, pace_fast_s, pace_slow_s, desc,
	    &sp);
	if (ws_build(&sp, out, NULL, 0) == 0)
		return 0;
	workout_spec_from(type_key, distance_m, pace_fast_s, pace_slow_s, NULL,
	    &sp);
	return ws_build(&sp, out, err, errlen);
}
