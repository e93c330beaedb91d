/*
 * pace_update: see pace_update.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/pace_update.h"
#include "domain/vdot.h"

#define WEEK_STEPS	3	/* the plan's VDOT + 0, 1, 2 */
#define TOKEN_ARGS	5

static void
add(struct pace_map *m, int f0, int s0, int f1, int s1)
{
	struct pace_pair p = { f0, s0 };

	if (m->n >= PACE_MAP_MAX || pace_map_find(m, &p))
		return;		/* the first meaning of a pair wins */
	m->from[m->n] = (struct pace_pair){ f0, s0 };
	m->to[m->n++] = (struct pace_pair){ f1, s1 };
}

void
pace_map_build(double v, double delta, struct pace_map *m)
{
	int	 a[PACE__MAX][2], b[PACE__MAX][2], k, z;
	double	 w;

	memset(m, 0, sizeof(*m));
	for (k = 0; k < WEEK_STEPS; k++) {
		w = v + k;
		if (w < VDOT_MIN || w > VDOT_MAX || w + delta < VDOT_MIN ||
		    w + delta > VDOT_MAX)
			continue;
		vdot_paces(w, a);
		vdot_paces(w + delta, b);
		for (z = 0; z < PACE__MAX; z++)
			add(m, a[z][0], a[z][1], b[z][0], b[z][1]);
		add(m, a[PACE_E][1], a[PACE_E][1] + PACE_RECOVERY_S,
		    b[PACE_E][1], b[PACE_E][1] + PACE_RECOVERY_S);
	}
}

double
pace_vdot_of_easy(int fast, int slow)
{
	int	 lo = (int)(VDOT_MIN * 10), hi = (int)(VDOT_MAX * 10), mid;
	int	 p[PACE__MAX][2];

	/* E's fast end gets faster as VDOT grows: the first tenth with it. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		vdot_paces(mid / 10.0, p);
		if (p[PACE_E][0] > fast)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo <= (int)(VDOT_MAX * 10); lo++) {
		vdot_paces(lo / 10.0, p);
		if (p[PACE_E][0] != fast)
			break;
		if (p[PACE_E][1] == slow)
			return lo / 10.0;
	}
	return 0;
}

bool
pace_map_find(const struct pace_map *m, struct pace_pair *p)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->from[i].fast == p->fast && m->from[i].slow == p->slow) {
			*p = m->to[i];
			return true;
		}
	return false;
}

/* "{k:1:2}" at t: its length, or 0 when t does not start a token. */
static size_t
token(const char *t, char *kind, long *a, int *na)
{
	const char	*s = t + 2;
	char		*end;

	if (t[0] != '{' || t[1] == '\0' || t[2] != ':')
		return 0;
	*kind = t[1];
	*na = 0;
	while (*s == ':' && *na < TOKEN_ARGS) {
		s++;
		if (*s < '0' || *s > '9')
			return 0;
		a[(*na)++] = strtol(s, &end, 10);
		if (end - s > 7)
			return 0;
		s = end;
	}
	return *s == '}' ? (size_t)(s - t + 1) : 0;
}

/* Writes token kind/a with its pace pair (at a[at], a[at + 1]) moved. */
static bool
move_token(buf_t *b, const struct pace_map *m, char kind, long *a, int na,
    int at)
{
	struct pace_pair p;
	int i;

	if (na != at + 2)
		return false;
	p = (struct pace_pair){ (int)a[at], (int)a[at + 1] };
	if (!pace_map_find(m, &p))
		return false;
	a[at] = p.fast;
	a[at + 1] = p.slow;
	buf_printf(b, "{%c", kind);
	for (i = 0; i < na; i++)
		buf_printf(b, ":%ld", a[i]);
	buf_putc(b, '}');
	return true;
}

bool
pace_update(const struct pace_map *m, int *fast, int *slow, char *desc,
    size_t descsz)
{
	struct pace_pair p = { *fast, *slow };
	buf_t		 b = BUF_INIT;
	const char	*t = desc;
	bool		 changed = false;
	long		 a[TOKEN_ARGS];
	size_t		 len;
	char		 kind;
	int		 na;

	if (pace_map_find(m, &p)) {
		changed = p.fast != *fast || p.slow != *slow;
		*fast = p.fast;
		*slow = p.slow;
	}
	while (desc != NULL && *t != '\0') {
		if (*t == '{' && (len = token(t, &kind, a, &na)) > 0 &&
		    ((kind == 'p' && move_token(&b, m, kind, a, na, 0)) ||
		    (kind == 'R' && move_token(&b, m, kind, a, na, 2)))) {
			t += len;
			continue;
		}
		buf_putc(&b, *t++);
	}
	if (desc != NULL && b.len < descsz && strcmp(buf_cstr(&b), desc)) {
		memcpy(desc, buf_cstr(&b), b.len + 1);
		changed = true;
	}
	buf_free(&b);
	return changed;
}
