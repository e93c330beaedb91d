/*
 * Tests for the pure parts of the Strava client and the job's not-found
 * window: how answers are classified (a REST 400 is no authorization
 * problem), the missing-scope 401 body as Strava sends it, and how many
 * times a 404 may be asked again.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "strava/client.h"
#include "strava/fetch.h"

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

Test(strava_client, not_found_window_allows_three_calls)
{
	int delay = 0;

	/* 60 s: asked at 0, 10 and 40 s, never after. */
	cr_assert(fetch_retry_within(60, 1, 0, &delay));
	cr_expect_eq(delay, 10);
	cr_assert(fetch_retry_within(60, 2, 11, &delay));
	cr_expect_eq(delay, 30);
	cr_expect_not(fetch_retry_within(60, 3, 42, &delay));
	/* An event that waited in the queue gets fewer. */
	cr_expect_not(fetch_retry_within(60, 1, 55, &delay));
	cr_expect_not(fetch_retry_within(60, 2, 31, &delay));
	/* A small window still spaces the calls; 0 turns retries off. */
	cr_assert(fetch_retry_within(5, 1, 0, &delay));
	cr_expect_eq(delay, 1);
	cr_assert(fetch_retry_within(5, 2, 1, &delay));
	cr_expect_eq(delay, 3);
	cr_expect_not(fetch_retry_within(5, 3, 4, &delay));
	cr_expect_not(fetch_retry_within(0, 1, 0, &delay));
}

Test(strava_client, not_found_window_never_exceeds_three_calls)
{
	int	window, attempts, delay;
	int64_t	age;

	for (window = 0; window <= 100000; window += window < 100 ? 1 : 997) {
		age = 0;
		for (attempts = 1; fetch_retry_within(window, attempts, age,
		    &delay); attempts++) {
			cr_assert_gt(delay, 0);
			age += delay;
			cr_assert_leq(age, window);
		}
		cr_assert_leq(attempts, 3, "window %d: %d calls", window,
		    attempts);
	}
}
