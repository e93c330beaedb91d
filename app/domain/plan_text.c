/*
 * plan_text: renders description templates in a unit (see plan_text.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan_text.h"

#define TOKEN_MAX_ARGS	5
#define MILE_M		1609	/* a mile rep, as the generator writes it */

/* A growing write position into a fixed buffer. */
struct out {
	char	*buf;
	size_t	 n, len;
};

static void
put(struct out *o, const char *s, size_t len)
{
	if (o->len < o->n) {
		size_t room = o->n - o->len - 1;

		memcpy(o->buf + o->len, s, len < room ? len : room);
		o->buf[o->len + (len < room ? len : room)] = '\0';
	}
	o->len += len;
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

void
plan_text_rep(char *out, size_t n, int m)
{
	if (m == MILE_M)
		snprintf(out, n, "1 mile");
	else if (m >= 1000 && m % 1000 == 0)
		snprintf(out, n, "%d km", m / 1000);
	else if (m < 2000)
		snprintf(out, n, "%d m", m);	/* "1200 m": three laps */
	else
		snprintf(out, n, "%d.%d km", m / 1000, m % 1000 / 100);
}

/* "86-89 s" under two minutes, else "3:04-3:12". */
static void
rep_time(char *out, size_t n, int lo, int hi)
{
	if (hi < 120)
		snprintf(out, n, lo == hi ? "%d s" : "%d-%d s", lo, hi);
	else if (lo / 60 == hi / 60 && lo % 60 == hi % 60)
		snprintf(out, n, "%d:%02d", lo / 60, lo % 60);
	else
		snprintf(out, n, "%d:%02d-%d:%02d", lo / 60, lo % 60, hi / 60,
		    hi % 60);
}

/* True when a rep of m metres is exactly one of the unit. */
static int
one_unit(int m, enum unit u)
{
	return u == UNIT_MI ? m == MILE_M : m == 1000;
}

static void
render_reps(struct out *o, const long *a, enum unit u)
{
	char rep[24], t[32], p[40], s[128];
	int m = (int)a[1];

	/* A km rep read by a mile runner: its metres, as a track has them. */
	if (u == UNIT_MI && m != MILE_M && m >= 1000)
		snprintf(rep, sizeof(rep), "%d m", m);
	else
		plan_text_rep(rep, sizeof(rep), m);
	units_format_pace_range(p, sizeof(p), (int)a[2], (int)a[3], u);
	if (one_unit(m, u))
		snprintf(s, sizeof(s), "%ld x %s at %s", a[0], rep, p);
	else {
		rep_time(t, sizeof(t), (int)((a[2] * m + 500) / 1000),
		    (int)((a[3] * m + 500) / 1000));
		snprintf(s, sizeof(s), "%ld x %s in %s (%s)", a[0], rep, t, p);
	}
	puts_(o, s);
}

/* Renders one token with its arguments; 0 when it is not one. */
static int
render_token(struct out *o, char kind, const long *a, int na, enum unit u)
{
	char s[64];

	switch (kind) {
	case 'd':
		if (na != 1)
			return 0;
		units_format_distance(s, sizeof(s), (int)a[0], u);
		break;
	case 'p':
		if (na != 2)
			return 0;
		units_format_pace_range(s, sizeof(s), (int)a[0], (int)a[1], u);
		break;
	case 'P':
		if (na != 1)
			return 0;
		units_format_pace(s, sizeof(s), (int)a[0], u);
		break;
	case 'R':
		if (na != 4 || a[1] <= 0)
			return 0;
		render_reps(o, a, u);
		return 1;
	default:
		return 0;
	}
	puts_(o, s);
	return 1;
}

/*
 * Parses "{k:1:2}" at t; returns its length, or 0 when t does not start a
 * well-formed token (non-negative integers, at most TOKEN_MAX_ARGS).
 */
static size_t
parse_token(const char *t, char *kind, long *a, int *na)
{
	const char *s = t + 2;
	char *end;

	if (t[0] != '{' || t[1] == '\0' || t[2] != ':')
		return 0;
	*kind = t[1];
	*na = 0;
	while (*s == ':' && *na < TOKEN_MAX_ARGS) {
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

size_t
plan_text_render(char *out, size_t n, const char *t, enum unit u)
{
	struct out o = { out, n, 0 };
	long a[TOKEN_MAX_ARGS];
	size_t len;
	char kind;
	int na;

	if (n > 0)
		out[0] = '\0';
	while (*t != '\0') {
		const char *brace = strchr(t, '{');

		if (brace == NULL) {
			puts_(&o, t);
			break;
		}
		put(&o, t, (size_t)(brace - t));
		t = brace;
		if ((len = parse_token(t, &kind, a, &na)) > 0 &&
		    render_token(&o, kind, a, na, u)) {
			t += len;
			continue;
		}
		put(&o, t++, 1);	/* not a token: the brace is text */
	}
	return o.len;
}
