/*
 * The route table's start-up invariants (server/dispatch.c): the routes
 * Cadence runs pass them, and each kind of broken route is refused, so a
 * route that forgets its CSRF flag or what its id names never starts.
 */
#include <criterion/criterion.h>

#include "server/dispatch.h"
#include "server/routes.h"
#include "web/router.h"

static int h(struct request *req, struct response *res) { return 0; }

#define SELF		{ ACCESS_OF_SELF, ACCESS_OWN }
#define OF_PLAN_READ	{ ACCESS_OF_PLAN, ACCESS_READ }

static bool
passes(const struct route *r)
{
	char err[256];

	return dispatch_check_route(r, err, sizeof(err)) == 0;
}

Test(route_table, the_routes_cadence_runs_pass)
{
	char err[256] = "";

	cr_assert_eq(dispatch_check_routes(err, sizeof(err)), 0, "%s", err);
}

Test(route_table, an_id_must_say_what_it_names)
{
	const struct route undeclared = { "GET", "/plans/" ROUTE_UUID, h,
	    ROUTE_AUTH, "x", { CAP_UUID }, SELF };
	const struct route slug = { "GET", "/c/" ROUTE_SLUG "/", h,
	    ROUTE_AUTH, "x", { CAP_SLUG }, SELF };
	const struct route declared = { "GET", "/plans/" ROUTE_UUID, h,
	    ROUTE_AUTH, "x", { CAP_UUID }, OF_PLAN_READ };
	const struct route by_token = { "GET", "/c/" ROUTE_SLUG "/join", h,
	    ROUTE_BY_TOKEN, "x", { CAP_SLUG }, SELF };
	const struct route number = { "GET", "/n/" ROUTE_NUMBER, h,
	    ROUTE_AUTH, "x", { CAP_INT }, SELF };

	cr_expect(!passes(&undeclared));
	cr_expect(!passes(&slug));
	cr_expect(passes(&declared));
	cr_expect(passes(&by_token));
	cr_expect(passes(&number), "a number names nobody's data");
}

Test(route_table, a_subject_needs_sign_in_and_state_needs_csrf)
{
	const struct route open_subject = { "GET", "/plans/" ROUTE_UUID, h,
	    0, "x", { CAP_UUID }, OF_PLAN_READ };
	const struct route post_no_csrf = { "POST", "/x", h, ROUTE_AUTH, "x",
	    {0}, SELF };
	const struct route get_csrf = { "GET", "/x", h, ROUTE_AUTH |
	    ROUTE_CSRF, "x", {0}, SELF };

	cr_expect(!passes(&open_subject));
	cr_expect(!passes(&post_no_csrf));
	cr_expect(!passes(&get_csrf));
}
