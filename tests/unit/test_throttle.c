/*
 * The pure parts of sign-in throttling (app/pages/login_throttle.c): the
 * backoff, the account's hold, how client addresses are counted.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "pages/login_throttle.h"

Test(throttle, backoff_doubles_after_the_free_tries_up_to_15_minutes)
{
	cr_assert_eq(throttle_backoff(0, 5), 0);
	cr_assert_eq(throttle_backoff(4, 5), 0);
	cr_assert_eq(throttle_backoff(5, 5), 1);
	cr_assert_eq(throttle_backoff(6, 5), 2);
	cr_assert_eq(throttle_backoff(7, 5), 4);
	cr_assert_eq(throttle_backoff(14, 5), 512);
	cr_assert_eq(throttle_backoff(15, 5), THROTTLE_WAIT_MAX);
	cr_assert_eq(throttle_backoff(1000000, 5), THROTTLE_WAIT_MAX);
	cr_assert_eq(throttle_backoff(49, THROTTLE_ADDR_FREE), 0);
	cr_assert_eq(throttle_backoff(50, THROTTLE_ADDR_FREE), 1);
}

Test(throttle, account_delay_grows_to_a_small_ceiling)
{
	cr_assert_eq(throttle_account_delay(0), 0);
	cr_assert_eq(throttle_account_delay(THROTTLE_ACCT_FREE - 1), 0);
	cr_assert_eq(throttle_account_delay(THROTTLE_ACCT_FREE), 1);
	cr_assert_eq(throttle_account_delay(THROTTLE_ACCT_FREE + 1), 2);
	cr_assert_eq(throttle_account_delay(THROTTLE_ACCT_FREE + 2),
	    THROTTLE_ACCT_DELAY_MAX);
	cr_assert_eq(throttle_account_delay(100000), THROTTLE_ACCT_DELAY_MAX);
}

static const char *
addr(const char *remote)
{
	static char out[64];

	throttle_addr(remote, out, sizeof(out));
	return out;
}

Test(throttle, addresses_are_counted_per_ipv4_and_per_ipv6_64)
{
	cr_assert_str_eq(addr("203.0.113.7"), "203.0.113.7");
	cr_assert_str_eq(addr("::ffff:203.0.113.7"), "203.0.113.7");
	cr_assert_str_eq(addr("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
	    "2001:db8:1:2::/64");
	/* Every address of one /64 is one client. */
	cr_assert_str_eq(addr("2001:db8:1:2::1"), addr("2001:db8:1:2:ffff::9"));
	cr_assert_str_neq(addr("2001:db8:1:2::1"), "2001:db8:1:3::/64");
	cr_assert_str_eq(addr("::1"), "::/64");
	cr_assert_str_eq(addr(NULL), "unknown");
	cr_assert_str_eq(addr(""), "unknown");
}
