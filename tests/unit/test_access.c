/*
 * Tests for db/access.c's rule, access_allows(): every action against
 * every relation a viewer can have to a runner or a company, written out
 * as a table here rather than derived from the rule, so a change to the
 * rule that was not meant fails.  (The integration suite "ownership"
 * checks the same through nginx, route by route.)
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/util.h"
#include "db/access.h"

#define A1	"11111111-1111-4111-8111-111111111111"
#define A2	"22222222-2222-4222-8222-222222222222"
#define CLUB_A	"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define CLUB_B	"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define SOLO_1	"cccccccc-cccc-4ccc-8ccc-cccccccccccc"

static struct access_party
runner(const char *id, const char *company, enum company_role r,
    bool personal)
{
	struct access_party p = { id, company, r, personal };

	return p;
}

static struct access_party
company(const char *id, bool personal)
{
	struct access_party p = { NULL, id, ROLE_ATHLETE, personal };

	return p;
}

/* Expected answers for OWN, READ, COMMENT, ADJUST, PLAN, in that order. */
struct runner_case {
	const char		*what;
	struct access_party	 viewer, target;
	bool			 allowed[5];
};

Test(access, runner_data_by_relation)
{
	const struct runner_case cases[] = {
	    { "a lone runner, their own data",
	      runner(A1, SOLO_1, ROLE_OWNER, true),
	      runner(A1, SOLO_1, ROLE_OWNER, true), { 1, 1, 1, 1, 1 } },
	    { "an athlete, their own data",
	      runner(A1, CLUB_A, ROLE_ATHLETE, false),
	      runner(A1, CLUB_A, ROLE_ATHLETE, false), { 1, 1, 1, 1, 1 } },
	    { "a coach, their own data",
	      runner(A1, CLUB_A, ROLE_COACH, false),
	      runner(A1, CLUB_A, ROLE_COACH, false), { 1, 1, 1, 1, 1 } },
	    { "the owner, an athlete of the club",
	      runner(A1, CLUB_A, ROLE_OWNER, false),
	      runner(A2, CLUB_A, ROLE_ATHLETE, false), { 0, 1, 1, 1, 1 } },
	    { "a coach, an athlete of the club",
	      runner(A1, CLUB_A, ROLE_COACH, false),
	      runner(A2, CLUB_A, ROLE_ATHLETE, false), { 0, 1, 1, 1, 1 } },
	    { "a coach, another coach of the club",
	      runner(A1, CLUB_A, ROLE_COACH, false),
	      runner(A2, CLUB_A, ROLE_COACH, false), { 0, 0, 0, 0, 0 } },
	    { "a coach, the club's owner",
	      runner(A1, CLUB_A, ROLE_COACH, false),
	      runner(A2, CLUB_A, ROLE_OWNER, false), { 0, 0, 0, 0, 0 } },
	    { "the owner, a coach of the club",
	      runner(A1, CLUB_A, ROLE_OWNER, false),
	      runner(A2, CLUB_A, ROLE_COACH, false), { 0, 0, 0, 0, 0 } },
	    { "an athlete, another athlete of the club",
	      runner(A1, CLUB_A, ROLE_ATHLETE, false),
	      runner(A2, CLUB_A, ROLE_ATHLETE, false), { 0, 0, 0, 0, 0 } },
	    { "an athlete, their coach",
	      runner(A1, CLUB_A, ROLE_ATHLETE, false),
	      runner(A2, CLUB_A, ROLE_COACH, false), { 0, 0, 0, 0, 0 } },
	    { "a coach, an athlete of another club",
	      runner(A1, CLUB_A, ROLE_COACH, false),
	      runner(A2, CLUB_B, ROLE_ATHLETE, false), { 0, 0, 0, 0, 0 } },
	    { "the owner, an athlete of another club",
	      runner(A1, CLUB_A, ROLE_OWNER, false),
	      runner(A2, CLUB_B, ROLE_ATHLETE, false), { 0, 0, 0, 0, 0 } },
	    { "a coach, a lone runner",
	      runner(A1, CLUB_A, ROLE_COACH, false),
	      runner(A2, SOLO_1, ROLE_OWNER, true), { 0, 0, 0, 0, 0 } },
	    /* Defensive: two runners can never share a personal company. */
	    { "an 'owner' of a personal company, another runner in it",
	      runner(A1, SOLO_1, ROLE_OWNER, true),
	      runner(A2, SOLO_1, ROLE_ATHLETE, true), { 0, 0, 0, 0, 0 } },
	    { "no company known",
	      runner(A1, NULL, ROLE_OWNER, false),
	      runner(A2, NULL, ROLE_ATHLETE, false), { 0, 0, 0, 0, 0 } },
	};
	const enum access_action acts[] = { ACCESS_OWN, ACCESS_READ,
	    ACCESS_COMMENT, ACCESS_ADJUST, ACCESS_PLAN };
	size_t i, k;

	for (i = 0; i < NELEM(cases); i++)
		for (k = 0; k < NELEM(acts); k++)
			cr_expect_eq(access_allows(&cases[i].viewer, acts[k],
			    &cases[i].target), cases[i].allowed[k],
			    "%s, action %d", cases[i].what, (int)acts[k]);
}

/* Expected answers for CLUB, ROSTER, MANAGE. */
struct company_case {
	const char		*what;
	struct access_party	 viewer, target;
	bool			 allowed[3];
};

Test(access, company_pages_by_role)
{
	const struct company_case cases[] = {
	    { "its owner", runner(A1, CLUB_A, ROLE_OWNER, false),
	      company(CLUB_A, false), { 1, 1, 1 } },
	    { "a coach", runner(A1, CLUB_A, ROLE_COACH, false),
	      company(CLUB_A, false), { 1, 1, 0 } },
	    { "an athlete", runner(A1, CLUB_A, ROLE_ATHLETE, false),
	      company(CLUB_A, false), { 1, 0, 0 } },
	    { "another club's owner", runner(A1, CLUB_B, ROLE_OWNER, false),
	      company(CLUB_A, false), { 0, 0, 0 } },
	    { "a lone runner", runner(A1, SOLO_1, ROLE_OWNER, true),
	      company(CLUB_A, false), { 0, 0, 0 } },
	    /* A personal company has no pages, even for its runner. */
	    { "one's own personal company",
	      runner(A1, SOLO_1, ROLE_OWNER, true), company(SOLO_1, true),
	      { 0, 0, 0 } },
	};
	const enum access_action acts[] = { ACCESS_CLUB, ACCESS_ROSTER,
	    ACCESS_MANAGE };
	size_t i, k;

	for (i = 0; i < NELEM(cases); i++)
		for (k = 0; k < NELEM(acts); k++)
			cr_expect_eq(access_allows(&cases[i].viewer, acts[k],
			    &cases[i].target), cases[i].allowed[k],
			    "%s, action %d", cases[i].what, (int)acts[k]);
}

/* A route that names a runner but declares a company action (or the
 * other way round) is refused, not granted by accident. */
Test(access, actions_of_the_wrong_kind_are_refused)
{
	struct access_party owner = runner(A1, CLUB_A, ROLE_OWNER, false);
	struct access_party athlete = runner(A2, CLUB_A, ROLE_ATHLETE, false);
	struct access_party club = company(CLUB_A, false);
	enum access_action a;

	for (a = ACCESS_CLUB; a <= ACCESS_MANAGE; a++)
		cr_expect(!access_allows(&owner, a, &athlete), "%d", (int)a);
	for (a = ACCESS_OWN; a <= ACCESS_PLAN; a++)
		cr_expect(!access_allows(&owner, a, &club), "%d", (int)a);
	cr_expect(!access_allows(&owner, ACCESS__MAX, &athlete));
}

Test(access, roles_read_from_the_database)
{
	cr_expect_eq(access_role("owner"), ROLE_OWNER);
	cr_expect_eq(access_role("coach"), ROLE_COACH);
	cr_expect_eq(access_role("athlete"), ROLE_ATHLETE);
	/* Anything else is the least role, never a leading one. */
	cr_expect_eq(access_role("Owner"), ROLE_ATHLETE);
	cr_expect_eq(access_role(""), ROLE_ATHLETE);
	cr_expect_eq(access_role(NULL), ROLE_ATHLETE);
	cr_expect_str_eq(access_role_key(ROLE_COACH), "coach");
}

Test(access, club_slugs)
{
	cr_expect(slug_valid("harbour-runners"));
	cr_expect(slug_valid("abc"));
	cr_expect(slug_valid("r2-d2"));
	cr_expect(slug_valid("a234567890123456789012345678901234567890"));
	cr_expect(!slug_valid("a2345678901234567890123456789012345678901"));
	cr_expect(!slug_valid("ab"));
	cr_expect(!slug_valid("-abc"));
	cr_expect(!slug_valid("abc-"));
	cr_expect(!slug_valid("a--b"));
	cr_expect(!slug_valid("Harbour"));
	cr_expect(!slug_valid("a b c"));
	cr_expect(!slug_valid("caf\xc3\xa9"));
	cr_expect(!slug_valid("../x"));
}
