/* WAL positions as PostgreSQL writes them (db/replica.c's cookie). */
#include <criterion/criterion.h>

#include "db/db.h"

Test(lsn, round_trip)
{
	static const char *const ok[] = { "0/0", "16/B374D848", "FFFFFFFF/FFFFFFFF",
	    "0/1", "1/0" };
	char	 out[32];
	uint64_t v;
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert(db_lsn_parse(ok[i], &v), "%s", ok[i]);
		db_lsn_format(v, out);
		cr_assert_str_eq(out, ok[i]);
	}
	cr_assert(db_lsn_parse("16/B374D848", &v));
	cr_assert_eq(v, (uint64_t)0x16 << 32 | 0xB374D848u);
}

Test(lsn, order_follows_the_wal)
{
	uint64_t a, b;

	cr_assert(db_lsn_parse("1/FFFFFFFF", &a));
	cr_assert(db_lsn_parse("2/0", &b));
	cr_assert_lt(a, b);
}

Test(lsn, garbage_is_refused)
{
	static const char *const bad[] = { "", "16", "16/", "/5", "x/1",
	    "1/2/3", "1/2 ", " 1/2", "123456789/1", "1/123456789", "-1/2" };
	uint64_t v = 7;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(db_lsn_parse(bad[i], &v), "'%s' accepted", bad[i]);
		cr_assert_eq(v, 0);
	}
	cr_assert_not(db_lsn_parse(NULL, &v));
}
