/*
 * access: the one authorisation function of Cadence (issue 18).
 *
 * "May viewer V do action A on runner R's training data, or on company
 * C?" is answered by access_allows() from who V and R are: their company
 * and their role in it (owner, coach, athlete).  Nothing else decides it.
 *
 * It is asked once per request, by the dispatcher, before the handler
 * runs: every route declares what its captures name and which action it
 * is (server/routes.c; a route with an id that declares nothing is a
 * start-up error).  access_resolve() loads the subject (the runner who
 * owns the plan or workout of the URL, or the club of the slug) in one
 * query and asks access_allows(); a refusal and a missing id are the same
 * 404.  The handler then gets the subject runner (req->subject) and
 * reads or writes through db/ functions scoped to that runner's id, so a
 * page cannot reach data the grant did not name.
 *
 * The rule:
 *	a runner may do anything with their own data;
 *	the owner and coaches of a club may read an athlete of that club's
 *	training, comment on it, adjust its workouts and plan for them;
 *	athletes see nobody's data but their own, coaches' own data is
 *	theirs alone, and a personal company shares nothing;
 *	any member may open their club's page; owner and coaches its roster
 *	and members; the owner alone manages invitations and members.
 * What only the runner does (ACCESS_OWN: settings, Strava and its
 * tokens, notes, matching runs, marks, deleting) is never granted to
 * anyone else.
 */
#ifndef CADENCE_DB_ACCESS_H
#define CADENCE_DB_ACCESS_H

#include <stdbool.h>

#include "core/arena.h"

struct db;
struct runner;			/* domain/runner.h */

enum access_action {
	ACCESS_OWN = 0,		/* the runner alone */
	ACCESS_READ,		/* plans, weeks, workouts, runs, notes */
	ACCESS_COMMENT,		/* comment on a workout */
	ACCESS_ADJUST,		/* move, resize, re-describe a workout */
	ACCESS_PLAN,		/* create or re-plan with the generator */
	/* On a company (the target is a club, not a runner): */
	ACCESS_CLUB,		/* any member: the club page, leaving */
	ACCESS_ROSTER,		/* owner and coaches: roster, members */
	ACCESS_MANAGE,		/* the owner: invitations, removing members */
	ACCESS__MAX
};

/* What a route's captures name (server/routes.c declares it). */
enum access_of {
	ACCESS_OF_SELF = 0,	/* nothing: the signed-in runner's own */
	ACCESS_OF_PLAN,		/* cap[0]: a plan id */
	ACCESS_OF_WORKOUT,	/* cap[0]: a workout id */
	ACCESS_OF_CLUB,		/* cap[0]: a club's slug */
	ACCESS_OF_MEMBER,	/* cap[0]: a club's slug, cap[1]: a member */
	ACCESS_OF_ACTIVITY,	/* cap[0]: an activity (strava_activities) id */
	ACCESS_OF_ADJUSTMENT,	/* cap[0]: a plan adjustment proposal id */
	ACCESS_OF__MAX
};

enum company_role { ROLE_OWNER, ROLE_COACH, ROLE_ATHLETE, ROLE__MAX };

/* One side of the question: a runner, or a company (user_id NULL). */
struct access_party {
	const char		*user_id;
	const char		*company_id;
	enum company_role	 role;		/* a runner's, in company_id */
	bool			 personal;	/* company_id is a personal one */
};

/* The rule above, without I/O. */
bool	access_allows(const struct access_party *viewer, enum access_action,
	    const struct access_party *target);

/* "owner" ... -> ROLE_*; anything else is ROLE_ATHLETE (the least). */
enum company_role access_role(const char *);
const char	*access_role_key(enum company_role);

struct company {
	const char	*id;
	const char	*name;
	const char	*slug;
	bool		 personal;
};

/* What the dispatcher granted, for the handler (req->access). */
struct access {
	enum access_action	 action;
	const struct runner	*viewer;	/* the signed-in runner */
	const struct runner	*subject;	/* whose data: viewer or athlete */
	bool			 self;		/* subject == viewer */
	struct company		 company;	/* the URL's club, or the subject's */
};

/*
 * Resolves the captures cap (as `of` says) and asks access_allows() for
 * viewer and action: 1 with *out (in the arena) when granted; 0 when
 * refused or when there is no such plan, workout, club or member (the
 * caller answers 404 either way); -1 on a database error.  One query
 * (none for ACCESS_OF_SELF, nor for the viewer's own plan, workout, run or
 * proposal once this process has seen it at the viewer's data version).
 */
int	access_resolve(struct db *, arena_t *, const struct runner *viewer,
	    enum access_of, enum access_action, const char *const cap[],
	    const struct access **out);

#endif
