/* comments: see comments.h. */
#include <stdio.h>
#include <string.h>

#include "db/comments.h"
#include "db/db.h"

/* One row per comment, or one row of NULLs for a workout without any. */
static const struct db_stmt q_talk = DB_READ("comments_talk",
    "SELECT (SELECT COALESCE(NULLIF(x.name, ''), x.email) FROM users x"
    "         WHERE x.id = w.adjusted_by),"
    "       c.id, COALESCE(NULLIF(a.name, ''), a.email),"
    "       c.author_id = p.user_id, c.body,"
    "       extract(epoch FROM c.created_at)::bigint"
    "  FROM workouts w"
    "  JOIN training_plans p ON p.id = w.training_plan_id"
    "  LEFT JOIN workout_comments c ON c.workout_id = w.id"
    "  LEFT JOIN users a ON a.id = c.author_id"
    " WHERE w.id = $1 AND p.user_id = $2"
    " ORDER BY c.created_at, c.id");
enum { TK_ADJUSTED_BY, TK_ID, TK_AUTHOR, TK_BY_RUNNER, TK_BODY, TK_CREATED,
	TK__MAX };

static void
read_comment(arena_t *a, const PGresult *r, int i, int col_id,
    struct workout_comment *c)
{
	c->id = db_strdup(a, r, i, col_id);
	c->author = db_strdup(a, r, i, col_id + 1);
	c->by_runner = db_bool(r, i, col_id + 2);
	c->body = db_strdup(a, r, i, col_id + 3);
	c->created = db_long(r, i, col_id + 4);
}

int
comments_load(struct db *db, arena_t *a, const char *user_id,
    const char *workout_id, struct workout_talk *out)
{
	const char	*p[2] = { workout_id, user_id };
	PGresult	*r = db_exec(db, &q_talk, 2, p);
	int		 i, n;

	memset(out, 0, sizeof(*out));
	if (r == NULL)
		return -1;
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return 0;
	}
	out->adjusted_by = db_strdup(a, r, 0, TK_ADJUSTED_BY);
	out->comments = arena_alloc(a, sizeof(*out->comments) * (size_t)n);
	for (i = 0; i < n; i++)
		if (!db_null(r, i, TK_ID)) {
			read_comment(a, r, i, TK_ID,
			    &out->comments[out->ncomments]);
			out->comments[out->ncomments++].workout_id = workout_id;
		}
	PQclear(r);
	return 1;
}

/*
 * The workout if it is the runner's, and the comment unless the workout
 * has COMMENTS_MAX already: found, then added.
 */
static const struct db_stmt q_add = DB_STMT("comments_add",
    "WITH w AS (SELECT w.id FROM workouts w"
    "             JOIN training_plans p ON p.id = w.training_plan_id"
    "            WHERE w.id = $1 AND p.user_id = $2),"
    "     i AS (INSERT INTO workout_comments (workout_id, author_id, body)"
    "           SELECT w.id, $3, $4 FROM w"
    "            WHERE (SELECT count(*) FROM workout_comments c"
    "                    WHERE c.workout_id = w.id) < $5::int"
    "           RETURNING id)"
    " SELECT (SELECT count(*) FROM w), (SELECT count(*) FROM i)");
enum { AD_FOUND, AD_ADDED, AD__MAX };

int
comments_add(struct db *db, const char *user_id, const char *workout_id,
    const char *author_id, const char *body)
{
	char		 max[16];
	const char	*p[5] = { workout_id, user_id, author_id, body, max };
	PGresult	*r;
	int		 rc;

	snprintf(max, sizeof(max), "%d", COMMENTS_MAX);
	if ((r = db_exec(db, &q_add, 5, p)) == NULL)
		return -1;
	rc = PQntuples(r) != 1 ? -1 : db_long(r, 0, AD_FOUND) == 0 ? 0 :
	    db_long(r, 0, AD_ADDED) == 1 ? 1 : COMMENTS_FULL;
	PQclear(r);
	return rc;
}

/*
 * Comments by someone else on the workouts of the runner's active plan
 * (each workout an index probe: the cost follows one plan, not all).
 */
static const struct db_stmt q_recent = DB_READ("comments_recent",
    "SELECT c.id, COALESCE(NULLIF(a.name, ''), a.email), false, c.body,"
    "       extract(epoch FROM c.created_at)::bigint, c.workout_id"
    "  FROM training_plans p"
    "  JOIN workouts w ON w.training_plan_id = p.id"
    "  JOIN workout_comments c ON c.workout_id = w.id"
    "  LEFT JOIN users a ON a.id = c.author_id"
    " WHERE p.user_id = $1 AND p.is_active"
    "   AND c.author_id IS DISTINCT FROM $1"
    " ORDER BY c.created_at DESC, c.id LIMIT $2::int");
enum { RC_ID, RC_AUTHOR, RC_BY_RUNNER, RC_BODY, RC_CREATED, RC_WORKOUT,
	RC__MAX };

int
comments_recent(struct db *db, arena_t *a, const char *user_id,
    struct workout_comment **out)
{
	char		 lim[16];
	const char	*p[2] = { user_id, lim };
	PGresult	*r;
	int		 i, n;

	snprintf(lim, sizeof(lim), "%d", COMMENTS_RECENT);
	if ((r = db_exec(db, &q_recent, 2, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		read_comment(a, r, i, RC_ID, &(*out)[i]);
		(*out)[i].workout_id = db_strdup(a, r, i, RC_WORKOUT);
	}
	PQclear(r);
	return n;
}
