/*
 * comments: what a coach and their athlete say about a workout
 * (workout_comments), and the coach's mark on a workout they adjusted.
 *
 * Every call is scoped to the workout's runner (user_id: the subject the
 * access layer granted, db/access.h): another runner's workout is "none"
 * exactly like a missing one.  1 (found, done) / 0 (none) / -1 (error).
 */
#ifndef CADENCE_DB_COMMENTS_H
#define CADENCE_DB_COMMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define COMMENT_MAX_CHARS	2000	/* as workout_comments' CHECK */
#define COMMENTS_RECENT		5	/* on the runner's dashboard */
/* Comments a workout takes, so no page grows without bound. */
#define COMMENTS_MAX		200
#define COMMENTS_FULL		2	/* comments_add(): the workout has COMMENTS_MAX */

struct db;

struct workout_comment {
	const char	*id;
	const char	*workout_id;
	const char	*author;	/* name or email; NULL: account gone */
	bool		 by_runner;	/* the workout's own runner wrote it */
	const char	*body;
	int64_t		 created;	/* epoch */
};

/* A workout's conversation, oldest first, and who adjusted it. */
struct workout_talk {
	const char		*adjusted_by;	/* the coach's name, or NULL */
	struct workout_comment	*comments;
	size_t			 ncomments;
};

int	comments_load(struct db *, arena_t *, const char *user_id,
	    const char *workout_id, struct workout_talk *out);
/*
 * author_id says body (valid text: the caller checks) on workout_id: 1,
 * 0 (not the runner's workout), COMMENTS_FULL, or -1.
 */
int	comments_add(struct db *, const char *user_id, const char *workout_id,
	    const char *author_id, const char *body);
/*
 * The newest COMMENTS_RECENT comments others wrote on the workouts of
 * user_id's active plan, newest first; how many, or -1.
 */
int	comments_recent(struct db *, arena_t *, const char *user_id,
	    struct workout_comment **out);

#endif
