/*
 * plan_rules: every rule of docs/training-plan-rules.md as a check on a
 * generated plan, with the document's own figures (kept apart from the
 * generator's tables on purpose).  check_plan() is the property the
 * generator's sweeps (test_plan_gen.c) and the re-plans (test_adapt.c)
 * must keep.
 */
#ifndef CADENCE_TEST_PLAN_RULES_H
#define CADENCE_TEST_PLAN_RULES_H

#include <stddef.h>

#include "domain/plan_gen.h"

#define KM		1000
#define MAXW		PLAN_MAX_WEEKS

/* The rules document's figures (5K, 10K, half, marathon). */
struct plan_doc {
	double	 min_weeks, taper_days, last_long_days;
	double	 long_lo, long_hi, long_min, share_max;
	double	 ready_week, ready_long, peak_lo, peak_cap;
};

/* A figure of the document for any distance: log-interpolated. */
double	 plan_doc_figure(int metres, size_t off);
#define DOC(d, f)	plan_doc_figure(d, offsetof(struct plan_doc, f))

/* The view of a plan the rules look at. */
struct view {
	const struct plan_input	*in;
	const struct plan	*p;
	date_t			 w1;
	int			 taper_days, last_long_days;
	int			 vol[MAXW + 2], runs[MAXW + 2];
	int			 longm[MAXW + 2], other_max[MAXW + 2];
	int			 full[MAXW + 2];	/* whole week shown */
	int			 pre[MAXW + 2];		/* wholly pre-taper */
};

/* The first broken rule, in words. */
extern char plan_why[1024];

/* 0 when plan p of in keeps every rule, else -1 with plan_why set. */
int	 check_plan(const struct plan_input *in, const struct plan *p);
/* A refusal must say what to do, never in the generator's jargon. */
int	 check_refusal(const struct plan_input *in, const struct plan_errors *e);
/* The view of p the rules read (volumes, long runs, weeks). */
void	 make_view(const struct plan_input *in, const struct plan *p,
	    struct view *v);

#endif
