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
#include "pages/login_throttle.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

/*
 * The live counters of one attempt's three keys, locked so that parallel
 * attempts are counted one after the other and none slips past a limit.
 */
static const struct db_stmt q_state = DB_STMT("throttle_state",
    "SELECT key, failures,"
    "       EXTRACT(EPOCH FROM NOW() - last_failure)::float8"
    "  FROM login_throttle"
    " WHERE key IN ($1, $2, $3) AND window_end > NOW()"
    "   FOR UPDATE");
/* One more attempt on each key; a key whose window is over starts anew. */
static const struct db_stmt q_count = DB_STMT("throttle_count",
    "INSERT INTO login_throttle AS t"
    "       (key, user_id, failures, last_failure, window_end)"
    " VALUES ($1, $4::uuid, 1, NOW(),"
    "         NOW() + make_interval(secs => " STR(THROTTLE_PAIR_WINDOW) ")),"
    "        ($2, $4::uuid, 1, NOW(),"
    "         NOW() + make_interval(secs => " STR(THROTTLE_ACCT_WINDOW) ")),"
    "        ($3, NULL, 1, NOW(),"
    "         NOW() + make_interval(secs => " STR(THROTTLE_ADDR_WINDOW) "))"
    " ON CONFLICT (key) DO UPDATE SET"
    "   failures = CASE WHEN t.window_end > NOW()"
    "                   THEN t.failures + 1 ELSE 1 END,"
    "   window_end = CASE WHEN t.window_end > NOW()"
    "                     THEN t.window_end ELSE EXCLUDED.window_end END,"
    "   last_failure = NOW(),"
    "   user_id = EXCLUDED.user_id");
/*
 * Rows whose window is over count for nothing: each attempt deletes a few
 * (rows another attempt holds are skipped), so the table never holds much
 * more than the attempts of the last day and no job is needed.
 */
static const struct db_stmt q_purge = DB_STMT("throttle_purge",
    "DELETE FROM login_throttle WHERE key IN"
    " (SELECT key FROM login_throttle WHERE window_end < NOW()"
    "   LIMIT " THROTTLE_PURGE_ROWS " FOR UPDATE SKIP LOCKED)");
static const struct db_stmt q_passed = DB_STMT("throttle_passed",
    "WITH pair AS (DELETE FROM login_throttle WHERE key = $1)"
    " UPDATE login_throttle SET failures = failures - 1"
    "  WHERE key IN ($2, $3) AND failures > 0 AND window_end > NOW()");
static const struct db_stmt q_forget = DB_STMT("throttle_forget",
    "WITH s AS (SELECT 'e:' || encode(sha256(convert_to(lower($2),"
    "                  'UTF8')), 'hex') AS subject)"
    " DELETE FROM login_throttle USING s"
    "  WHERE user_id = $1::uuid OR key = 'acct:' || s.subject"
    "     OR key LIKE 'pair:' || s.subject || '|%'");

enum { K_PAIR, K_ACCT, K_ADDR, K_N };

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
keys(struct request *req, const struct throttle *t, const char *k[K_N])
{
	k[K_PAIR] = arena_printf(req->arena, "pair:%s|%s", t->subject, t->addr);
	k[K_ACCT] = arena_printf(req->arena, "acct:%s", t->subject);
	k[K_ADDR] = arena_printf(req->arena, "addr:%s", t->addr);
}

/*
 * From the locked counters: the seconds this client must still wait (the
 * pair's and the address's backoff), and the account's hold in *hold.
 */
static int
refusal(const PGresult *r, const char *const k[K_N], int *hold)
{
	int	i, wait = 0, w;
	double	need, age;

	*hold = 0;
	for (i = 0; i < PQntuples(r); i++) {
		long prior = db_long(r, i, 1);

		age = strtod(db_val(r, i, 2), NULL);
		if (strcmp(db_val(r, i, 0), k[K_ACCT]) == 0) {
			*hold = throttle_account_delay(prior);
			continue;
		}
		need = throttle_backoff(prior, strcmp(db_val(r, i, 0),
		    k[K_PAIR]) == 0 ? THROTTLE_PAIR_FREE : THROTTLE_ADDR_FREE);
		w = need > age ? (int)ceil(need - age) : 0;
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
	const char	*k[K_N], *p[4];
	PGresult	*r;
	int		 wait, hold;

	keys(req, t, k);
	if (db_begin(req->db) == -1)
		return -1;
	if ((r = db_exec(req->db, &q_state, K_N, k)) == NULL)
		goto fail;
	wait = refusal(r, k, &hold);
	PQclear(r);
	if (wait > 0) {
		db_rollback(req->db);
		log_info("password attempt refused for %d s", wait);
		return wait;
	}
	memcpy(p, k, sizeof(k));
	p[3] = t->user_id;
	if (db_run(req->db, &q_count, 4, p) < 0 || db_commit(req->db) == -1)
		goto fail;
	if (db_run(req->db, &q_purge, 0, NULL) < 0)
		return -1;
	if (hold > 0) {
		log_info("password check held %d s: account under attack", hold);
		hold_for(hold);
	}
	return 0;
fail:
	db_rollback(req->db);
	return -1;
}

int
throttle_passed(struct request *req, const struct throttle *t)
{
	const char *k[K_N];

	keys(req, t, k);
	return db_run(req->db, &q_passed, K_N, k) < 0 ? -1 : 0;
}

int
throttle_forget(struct db *db, const char *user_id, const char *email)
{
	const char *p[2] = { user_id, email };

	return db_run(db, &q_forget, 2, p) < 0 ? -1 : 0;
}
