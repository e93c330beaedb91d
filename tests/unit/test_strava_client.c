/*
 * Tests for the pure parts of the Strava client: how answers are
 * classified (a REST 400 is no authorization problem), and the
 * missing-scope 401 body as Strava sends it.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "strava/client.h"

Test(strava_client, a_rest_400_is_a_bad_request_not_unauthorized)
{
	cr_expect_eq(strava_classify(400, false), STRAVA_BAD_REQUEST);
	/* Only OAuth's 400 means a refused code or refresh token. */
	cr_expect_eq(strava_classify(400, true), STRAVA_UNAUTHORIZED);
	cr_expect_eq(strava_classify(401, false), STRAVA_UNAUTHORIZED);
	cr_expect_eq(strava_classify(404, false), STRAVA_NOT_FOUND);
	cr_expect_eq(strava_classify(429, false), STRAVA_RATE_LIMITED);
	cr_expect_eq(strava_classify(503, false), STRAVA_SERVER_ERROR);
	cr_expect_eq(strava_classify(201, false), STRAVA_OK);
	cr_expect_eq(strava_classify(418, false), STRAVA_BAD_RESPONSE);
	cr_expect_str_eq(strava_status_name(STRAVA_BAD_REQUEST), "bad request");
	cr_expect_not(strava_retryable(STRAVA_BAD_REQUEST));
}

static bool
missing(const char *body, char *out, size_t len)
{
	return strava_missing_scope(body, strlen(body), out, len);
}

Test(strava_client, missing_scope_as_strava_words_it)
{
	char scope[64];

	cr_assert(missing("{\"message\":\"Authorization Error\",\"errors\":"
	    "[{\"resource\":\"AccessToken\",\"field\":\"activity:read_permission\","
	    "\"code\":\"missing\"}]}", scope, sizeof(scope)));
	cr_expect_str_eq(scope, "activity:read");
	/* Another error first; the missing one is found. */
	cr_assert(missing("{\"errors\":[{\"field\":\"x\",\"code\":\"invalid\"},"
	    "{\"field\":\"profile:read_all_permission\",\"code\":\"missing\"}]}",
	    scope, sizeof(scope)));
	cr_expect_str_eq(scope, "profile:read_all");
}

Test(strava_client, other_401_bodies_are_no_missing_scope)
{
	static const char *const bodies[] = {
	    /* An invalid or revoked token: refresh, not re-authorise. */
	    "{\"message\":\"Authorization Error\",\"errors\":[{\"resource\":"
	    "\"Athlete\",\"field\":\"access_token\",\"code\":\"invalid\"}]}",
	    "{\"errors\":[{\"field\":\"activity:read_permission\",\"code\":"
	    "\"invalid\"}]}",
	    "{\"errors\":[{\"field\":\"_permission\",\"code\":\"missing\"}]}",
	    "{\"errors\":{\"field\":\"a_permission\",\"code\":\"missing\"}}",
	    "{\"errors\":[{\"field\":7,\"code\":\"missing\"}]}",
	    "[]", "not json", "" };
	char scope[64] = "stale";
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		cr_expect_not(missing(bodies[i], scope, sizeof(scope)), "%s",
		    bodies[i]);
		cr_expect_str_eq(scope, "", "%s", bodies[i]);
	}
	cr_expect_not(strava_missing_scope(NULL, 0, scope, sizeof(scope)));
	/* A scope too long for the buffer is not cut. */
	cr_expect_not(missing("{\"errors\":[{\"field\":\"abcdefgh_permission\","
	    "\"code\":\"missing\"}]}", scope, 8));
}
