/*
 * Password-guess throttling: see login_throttle.h for the rules.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/throttle.h"
#include "pages/login_throttle.h"

int
throttle_backoff(long prior, long free_tries)
{
	if (prior < free_tries)
		return 0;
	if (prior - free_tries >= 10)		/* 2^10 s > the longest wait */
		return THROTTLE_WAIT_MAX;
	return (int)((1L << (prior - free_tries)) < THROTTLE_WAIT_MAX ?
	    1L << (prior - free_tries) : THROTTLE_WAIT_MAX);
}

int
throttle_account_delay(long prior)
{
	if (prior < THROTTLE_ACCT_FREE)
		return 0;
	if (prior - THROTTLE_ACCT_FREE + 1 >= THROTTLE_ACCT_DELAY_MAX)
		return THROTTLE_ACCT_DELAY_MAX;
	return (int)(prior - THROTTLE_ACCT_FREE + 1);
}

void
throttle_addr(const char *remote, char *out, size_t len)
{
	struct in6_addr	 a6;
	unsigned char	*a = a6.s6_addr;

	if (remote == NULL || *remote == '\0') {
		snprintf(out, len, "unknown");
		return;
	}
	if (inet_pton(AF_INET6, remote, &a6) != 1) {
		snprintf(out, len, "%.64s", remote);	/* IPv4, or as given */
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		snprintf(out, len, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
		return;
	}
	memset(a + 8, 0, 8);
	if (inet_ntop(AF_INET6, &a6, out, (socklen_t)len) == NULL)
		snprintf(out, len, "unknown");
	else
		snprintf(out + strlen(out), len - strlen(out), "/64");
}

void
throttle_init(struct request *req, struct throttle *t, const char *subject,
    const char *user_id)
{
	char addr[INET6_ADDRSTRLEN + 8];

	throttle_addr(req->remote_addr, addr, sizeof(addr));
	t->subject = subject;
	t->user_id = user_id;
	t->addr = arena_strdup(req->arena, addr);
}

static void
keys(struct request *req, const struct throttle *t, const char *k[TK__MAX])
{
	k[TK_PAIR] = arena_printf(req->arena, "pair:%s|%s", t->subject, t->addr);
	k[TK_ACCT] = arena_printf(req->arena, "acct:%s", t->subject);
	k[TK_ADDR] = arena_printf(req->arena, "addr:%s", t->addr);
}

/*
 * From the locked counters: the seconds this client must still wait (the
 * pair's and the address's backoff); the account's hold goes to *arg.
 */
static int
refusal(const struct throttle_count c[TK__MAX], void *arg)
{
	int	*hold = arg, wait = 0, w, k;
	double	 need;

	*hold = c[TK_ACCT].present ? throttle_account_delay(c[TK_ACCT].prior) : 0;
	for (k = 0; k < TK__MAX; k++) {
		if (k == TK_ACCT || !c[k].present)
			continue;
		need = throttle_backoff(c[k].prior, k == TK_PAIR ?
		    THROTTLE_PAIR_FREE : THROTTLE_ADDR_FREE);
		w = need > c[k].age ? (int)ceil(need - c[k].age) : 0;
		if (w > wait)
			wait = w;
	}
	return wait;
}

/* Sleeps s seconds, signals or not: the hold is the point. */
static void
hold_for(int s)
{
	struct timespec ts = { .tv_sec = s, .tv_nsec = 0 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
throttle_attempt(struct request *req, const struct throttle *t)
{
	static const struct throttle_windows windows = { {
		[TK_PAIR] = THROTTLE_PAIR_WINDOW, [TK_ACCT] = THROTTLE_ACCT_WINDOW,
		[TK_ADDR] = THROTTLE_ADDR_WINDOW } };
	const char	*k[TK__MAX];
	int		 wait, hold = 0;

	keys(req, t, k);
	wait = throttle_count_attempt(req->db, k, t->user_id, &windows,
	    refusal, &hold);
	if (wait > 0)
		log_info("password attempt refused for %d s", wait);
	else if (wait == 0 && hold > 0) {
		log_info("password check held %d s: account under attack", hold);
		hold_for(hold);
	}
	return wait;
}

int
throttle_passed(struct request *req, const struct throttle *t)
{
	const char *k[TK__MAX];

	keys(req, t, k);
	return throttle_take_back(req->db, k);
}
