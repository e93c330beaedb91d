/*
 * login_throttle: how many password guesses an account and a client get,
 * for sign-in, /settings/password, /settings/delete (and email changes,
 * which would otherwise tell whether an address is registered).
 *
 * Three counters (rows of login_throttle, sql/011_login_throttle.sql),
 * each over a window that starts with its first attempt:
 *
 *   pair  one account from one client address: after PAIR_FREE attempts
 *         in a day that client waits 1 s, 2 s, 4 s ... up to 15 minutes
 *         between attempts, and is refused (429) meanwhile;
 *   addr  one client address, every account: the same after ADDR_FREE
 *         attempts in a day, so one address cannot spray many accounts;
 *   acct  one account from everywhere: past ACCT_FREE attempts in an hour
 *         every check of it is held 1 to 3 s before the password is
 *         looked at.  It slows a guessing attack spread over many
 *         addresses and refuses no one.
 *
 * So other clients' failures never refuse the owner: the right password
 * from an address that has not failed gets in, at most ACCT_DELAY_MAX
 * seconds late.  An attempt is counted before its password is checked (so
 * parallel requests cannot slip past a limit) and taken back when the
 * password was right.
 */
#ifndef CADENCE_LOGIN_THROTTLE_H
#define CADENCE_LOGIN_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>

#include "web/http.h"

#define THROTTLE_PAIR_FREE	5
#define THROTTLE_PAIR_WINDOW	86400	/* seconds */
#define THROTTLE_ADDR_FREE	50
#define THROTTLE_ADDR_WINDOW	86400
#define THROTTLE_ACCT_FREE	10
#define THROTTLE_ACCT_WINDOW	3600
#define THROTTLE_ACCT_DELAY_MAX	3	/* seconds a check is held */
#define THROTTLE_WAIT_MAX	900	/* longest refusal, seconds */

/* Who is guessing what. */
struct throttle {
	const char	*subject;	/* user id, or "e:" + hash of an email */
	const char	*user_id;	/* NULL for an email no account has */
	const char	*addr;		/* the client's address, normalised */
};

/* t for subject (user_id: the account, or NULL) from req's client. */
void	throttle_init(struct request *, struct throttle *t,
	    const char *subject, const char *user_id);
/*
 * Counts one attempt before the password is checked.  Returns 0 when it
 * may be checked (after holding the account's delay, if any), the seconds
 * this client must wait first (nothing counted), or -1 on error.
 */
int	throttle_attempt(struct request *, const struct throttle *);
/* The password was right: the attempt is taken back, the pair forgotten. */
int	throttle_passed(struct request *, const struct throttle *);

/* Seconds attempt number prior+1 waits after the last one (0: free). */
int	throttle_backoff(long prior, long free_tries);
/* Seconds a check of an account with prior attempts this hour is held. */
int	throttle_account_delay(long prior);
/*
 * The counted form of a client address: IPv4 as is, IPv4-mapped IPv6 as
 * IPv4, other IPv6 cut to its /64 (one subscriber holds a whole /64).
 */
void	throttle_addr(const char *remote, char *out, size_t len);

#endif
