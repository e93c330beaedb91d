/*
 * access: see access.h.  The rule is access_allows(); the rest loads
 * the two parties it compares.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "db/access.h"
#include "db/db.h"
#include "db/runner_row.h"

static const char *const role_keys[ROLE__MAX] = {
	"owner", "coach", "athlete",
};

enum company_role
access_role(const char *key)
{
	int i;

	for (i = 0; i < ROLE__MAX; i++)
		if (key != NULL && strcmp(key, role_keys[i]) == 0)
			return (enum company_role)i;
	return ROLE_ATHLETE;
}

const char *
access_role_key(enum company_role r)
{
	return r < ROLE__MAX ? role_keys[r] : "athlete";
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Both in one club (never in a personal company: it has nobody else). */
static bool
same_club(const struct access_party *v, const struct access_party *t)
{
	return !t->personal && !v->personal && same(v->company_id,
	    t->company_id);
}

static bool
leads(const struct access_party *v)
{
	return v->role == ROLE_OWNER || v->role == ROLE_COACH;
}

bool
access_allows(const struct access_party *v, enum access_action a,
    const struct access_party *t)
{
	bool runner = t->user_id != NULL, self = same(v->user_id, t->user_id);

	switch (a) {
	case ACCESS_OWN:
		return runner && self;
	case ACCESS_READ:
	case ACCESS_COMMENT:
	case ACCESS_ADJUST:
	case ACCESS_PLAN:
		return runner && (self || (same_club(v, t) && leads(v) &&
		    t->role == ROLE_ATHLETE));
	case ACCESS_CLUB:
		return !runner && same_club(v, t);
	case ACCESS_ROSTER:
		return !runner && same_club(v, t) && leads(v);
	case ACCESS_MANAGE:
		return !runner && same_club(v, t) && v->role == ROLE_OWNER;
	default:
		return false;
	}
}

/* ---- loading the parties ------------------------------------------------- */

/*
 * Read from the primary, never a replica (db.h's DB_READ): a runner who
 * has just left a club, or been removed, must be out of sight of its
 * coaches at once, not once the replica has caught up.
 */

static const struct db_stmt q_plan = DB_STMT("access_plan",
    "SELECT " RUNNER_COLUMNS
    "  FROM training_plans t JOIN users u ON u.id = t.user_id" RUNNER_JOINS
    " WHERE t.id = $1");
static const struct db_stmt q_workout = DB_STMT("access_workout",
    "SELECT " RUNNER_COLUMNS
    "  FROM workouts w JOIN training_plans t ON t.id = w.training_plan_id"
    "  JOIN users u ON u.id = t.user_id" RUNNER_JOINS
    " WHERE w.id = $1");
static const struct db_stmt q_activity = DB_STMT("access_activity",
    "SELECT " RUNNER_COLUMNS
    "  FROM strava_activities t JOIN users u ON u.id = t.user_id" RUNNER_JOINS
    " WHERE t.id = $1");
static const struct db_stmt q_adjustment = DB_STMT("access_adjustment",
    "SELECT " RUNNER_COLUMNS
    "  FROM plan_adjustments t JOIN users u ON u.id = t.user_id" RUNNER_JOINS
    " WHERE t.id = $1");
/* A member of the club of the slug (cap[0], cap[1]). */
static const struct db_stmt q_member = DB_STMT("access_member",
    "SELECT " RUNNER_COLUMNS
    "  FROM users u" RUNNER_JOINS
    " WHERE rc.slug = $1 AND u.id = $2");
static const struct db_stmt q_club = DB_STMT("access_club",
    "SELECT id, name, slug, personal FROM companies WHERE slug = $1");
enum { CL_ID, CL_NAME, CL_SLUG, CL_PERSONAL, CL__MAX };

static struct access_party
runner_party(const struct runner *r)
{
	struct access_party p = {
		.user_id = r->id, .company_id = r->company_id,
		.role = access_role(r->company_role),
		.personal = r->company_personal,
	};

	return p;
}

static void
company_of(const struct runner *r, struct company *c)
{
	c->id = r->company_id;
	c->name = r->company_name;
	c->slug = r->company_slug;
	c->personal = r->company_personal;
}

/* The runner the statement finds (0: none) as the grant's subject. */
static int
load_subject(struct db *db, arena_t *a, const struct db_stmt *st,
    int nparams, const char *const *params, struct access *g)
{
	PGresult	*r = db_exec(db, st, nparams, params);
	int		 found;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1))
		g->subject = runner_row_read(a, r, 0, 0);
	PQclear(r);
	if (found && strcmp(g->subject->id, g->viewer->id) == 0)
		g->subject = g->viewer;	/* one runner: one struct */
	return found;
}

static int
load_club(struct db *db, arena_t *a, const char *slug, struct access *g)
{
	PGresult	*r = db_exec(db, &q_club, 1, &slug);
	int		 found;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		g->company.id = db_strdup(a, r, 0, CL_ID);
		g->company.name = db_strdup(a, r, 0, CL_NAME);
		g->company.slug = db_strdup(a, r, 0, CL_SLUG);
		g->company.personal = db_bool(r, 0, CL_PERSONAL);
	}
	PQclear(r);
	return found;
}

/*
 * Whose plan, workout, run or proposal an id is never changes (no
 * statement moves one to another runner), so that it is the viewer's own
 * is remembered per process, keyed with the viewer's data version too
 * (it moves when they delete anything): a page-cache hit then costs the
 * session lookup alone.  A slot holds the last id hashed to it.  Only
 * ownership is remembered; access_allows() still decides every request.
 */
#define MEMO_SLOTS	1024
#define UUID_LEN	36

struct own_memo {
	char		 viewer[UUID_LEN + 1];
	char		 id[UUID_LEN + 1];
	long long	 version;
	int		 of;
};
static struct own_memo	memo[MEMO_SLOTS];

static struct own_memo *
memo_slot(const struct runner *viewer, enum access_of of, const char *id)
{
	uint32_t	 h = 2166136261u ^ (uint32_t)of;	/* FNV-1a */
	const char	*p;

	for (p = viewer->id; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &memo[h % MEMO_SLOTS];
}

static bool
memo_memorable(const struct runner *viewer, enum access_of of,
    const char *const cap[])
{
	return (of == ACCESS_OF_PLAN || of == ACCESS_OF_WORKOUT ||
	    of == ACCESS_OF_ACTIVITY || of == ACCESS_OF_ADJUSTMENT) &&
	    strlen(cap[0]) == UUID_LEN && strlen(viewer->id) == UUID_LEN;
}

static bool
memo_owned(const struct runner *viewer, enum access_of of, const char *id)
{
	const struct own_memo *m = memo_slot(viewer, of, id);

	return m->of == (int)of && m->version == viewer->data_version &&
	    strcmp(m->id, id) == 0 && strcmp(m->viewer, viewer->id) == 0;
}

static void
memo_remember(const struct runner *viewer, enum access_of of, const char *id)
{
	struct own_memo *m = memo_slot(viewer, of, id);

	memcpy(m->viewer, viewer->id, UUID_LEN + 1);
	memcpy(m->id, id, UUID_LEN + 1);
	m->version = viewer->data_version;
	m->of = (int)of;
}

/* Loads what `of` names into g: 1, 0 (nothing of that id), -1. */
static int
load_target(struct db *db, arena_t *a, enum access_of of,
    const char *const cap[], struct access *g)
{
	switch (of) {
	case ACCESS_OF_SELF:
		g->subject = g->viewer;
		return 1;
	case ACCESS_OF_PLAN:
		return load_subject(db, a, &q_plan, 1, cap, g);
	case ACCESS_OF_WORKOUT:
		return load_subject(db, a, &q_workout, 1, cap, g);
	case ACCESS_OF_MEMBER:
		return load_subject(db, a, &q_member, 2, cap, g);
	case ACCESS_OF_ACTIVITY:
		return load_subject(db, a, &q_activity, 1, cap, g);
	case ACCESS_OF_ADJUSTMENT:
		return load_subject(db, a, &q_adjustment, 1, cap, g);
	case ACCESS_OF_CLUB:
		g->subject = g->viewer;
		return load_club(db, a, cap[0], g);
	default:
		return 0;
	}
}

int
access_resolve(struct db *db, arena_t *a, const struct runner *viewer,
    enum access_of of, enum access_action action, const char *const cap[],
    const struct access **out)
{
	struct access		*g = arena_alloc(a, sizeof(*g));
	struct access_party	 v = runner_party(viewer), t;
	int			 rc;

	memset(g, 0, sizeof(*g));
	g->action = action;
	g->viewer = viewer;
	*out = NULL;
	if (memo_memorable(viewer, of, cap) && memo_owned(viewer, of, cap[0]))
		g->subject = viewer;
	else if ((rc = load_target(db, a, of, cap, g)) != 1)
		return rc;
	else if (g->subject == viewer && memo_memorable(viewer, of, cap))
		memo_remember(viewer, of, cap[0]);
	if (of == ACCESS_OF_CLUB) {
		memset(&t, 0, sizeof(t));
		t.company_id = g->company.id;
		t.personal = g->company.personal;
	} else {
		t = runner_party(g->subject);
		company_of(g->subject, &g->company);
	}
	if (!access_allows(&v, action, &t))
		return 0;
	g->self = g->subject == viewer;
	*out = g;
	return 1;
}
