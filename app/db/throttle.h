/*
 * throttle: the counters of password guesses (login_throttle,
 * sql/011_login_throttle.sql); the rules live in pages/login_throttle.h.
 * An attempt is counted in one transaction that first locks the live
 * counters of its keys, so parallel attempts are counted one after the
 * other and none slips past a limit.
 */
#ifndef CADENCE_DB_THROTTLE_H
#define CADENCE_DB_THROTTLE_H

#include <stddef.h>

#include "core/arena.h"

struct db;

enum throttle_key { TK_PAIR, TK_ACCT, TK_ADDR, TK__MAX };

/* The live counter of one key (in a window that has not ended). */
struct throttle_count {
	long	 prior;		/* attempts so far in the window */
	double	 age;		/* seconds since the last one */
	int	 present;	/* 0: no live counter for this key */
};

/* Windows in seconds, per key. */
struct throttle_windows {
	int	 seconds[TK__MAX];
};

/*
 * Counts one attempt on keys (pair, account, address; user_id the
 * account's, or NULL) unless refuse() says to wait: it gets the live
 * counters and returns the seconds to wait first (0: count it).  Returns
 * that wait (nothing counted), 0 when counted, -1 on a database error.
 * Rows whose window ended are purged along the way (a few per attempt).
 */
int	throttle_count_attempt(struct db *, const char *const keys[TK__MAX],
	    const char *user_id, const struct throttle_windows *,
	    int (*refuse)(const struct throttle_count[TK__MAX], void *),
	    void *arg);
/* The password was right: the pair is forgotten, the attempt taken back. */
int	throttle_take_back(struct db *, const char *const keys[TK__MAX]);
/* Deletes every row naming the account (by user id, or its email's hash). */
int	throttle_forget(struct db *, const char *user_id, const char *email);

#endif
