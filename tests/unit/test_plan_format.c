/*
 * Tests for view/plan_format: labels that pages and exports share.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "view/plan_format.h"

/* Issue 15.12: strava.com with real credentials, the sandbox's page else. */
Test(plan_format, strava_url_follows_the_oauth_base)
{
	struct config	 cfg;
	arena_t		 a;

	arena_init(&a);
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.strava_oauth_base, sizeof(cfg.strava_oauth_base), "%s",
	    "https://www.strava.com");
	cr_expect_str_eq(pf_strava_url(&a, &cfg, 123),
	    "https://www.strava.com/activities/123");
	snprintf(cfg.strava_oauth_base, sizeof(cfg.strava_oauth_base), "%s",
	    "http://127.0.0.1:8901");
	cr_expect_str_eq(pf_strava_url(&a, &cfg, 9),
	    "http://127.0.0.1:8901/activities/9");
	cr_expect_str_eq(pf_strava_url(&a, NULL, 9),
	    "https://www.strava.com/activities/9");
	cr_expect_null(pf_strava_url(&a, &cfg, 0));
	arena_free(&a);
}
