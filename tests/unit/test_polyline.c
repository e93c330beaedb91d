/*
 * Encoded polylines: Google's documented examples, round trips, and every
 * way a hostile or truncated string can be malformed.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/polyline.h"

static size_t
decode(const char *s, struct geo_point **p)
{
	size_t n;

	cr_assert(polyline_decode(s, strlen(s), p, &n), "rejected %s", s);
	return n;
}

static bool
rejects(const char *s, size_t len)
{
	struct geo_point	*p = (struct geo_point *)1;
	size_t			 n = 99;
	bool			 ok = polyline_decode(s, len, &p, &n);

	cr_assert(ok || (p == NULL && n == 0));
	free(p);
	return !ok;
}

Test(polyline, google_documented_example)
{
	struct geo_point	*p;
	size_t			 n = decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", &p);

	cr_assert_eq(n, 3);
	cr_assert_float_eq(p[0].lat, 38.5, 1e-9);
	cr_assert_float_eq(p[0].lon, -120.2, 1e-9);
	cr_assert_float_eq(p[1].lat, 40.7, 1e-9);
	cr_assert_float_eq(p[1].lon, -120.95, 1e-9);
	cr_assert_float_eq(p[2].lat, 43.252, 1e-9);
	cr_assert_float_eq(p[2].lon, -126.453, 1e-9);
	free(p);
}

Test(polyline, google_single_value_example)
{
	/* Google's steps encode -179.9832104 as "`~oia@"; '?' is a zero. */
	struct geo_point	 q = { 0, -179.9832104 }, *p;
	buf_t			 b = BUF_INIT;

	polyline_encode(&b, &q, 1);
	cr_assert_str_eq(buf_cstr(&b), "?`~oia@");
	cr_assert_eq(decode(buf_cstr(&b), &p), 1);
	cr_assert_float_eq(p[0].lon, -179.98321, 1e-9);
	free(p);
	buf_free(&b);
}

Test(polyline, encodes_the_documented_example)
{
	struct geo_point q[] = {
		{ 38.5, -120.2 }, { 40.7, -120.95 }, { 43.252, -126.453 }
	};
	buf_t b = BUF_INIT;

	polyline_encode(&b, q, 3);
	cr_assert_str_eq(buf_cstr(&b), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
	buf_free(&b);
}

Test(polyline, round_trips_to_the_fifth_decimal)
{
	struct geo_point	 q[500], *p;
	buf_t			 b = BUF_INIT;
	size_t			 i, n;

	srand(16);
	for (int round = 0; round < 20; round++) {
		for (i = 0; i < 500; i++) {
			q[i].lat = (rand() / (double)RAND_MAX - 0.5) * 180;
			q[i].lon = (rand() / (double)RAND_MAX - 0.5) * 360;
		}
		buf_reset(&b);
		polyline_encode(&b, q, 500);
		n = decode(buf_cstr(&b), &p);
		cr_assert_eq(n, 500);
		for (i = 0; i < n; i++) {
			cr_assert(fabs(p[i].lat - q[i].lat) <= 0.5e-5 + 1e-12);
			cr_assert(fabs(p[i].lon - q[i].lon) <= 0.5e-5 + 1e-12);
		}
		free(p);
	}
	buf_free(&b);
}

Test(polyline, empty_is_no_point)
{
	struct geo_point	*p = (struct geo_point *)1;
	size_t			 n = 7;

	cr_assert(polyline_decode("", 0, &p, &n));
	cr_assert_null(p);
	cr_assert_eq(n, 0);
}

Test(polyline, malformed_strings_are_rejected)
{
	cr_assert(rejects("_p~iF~ps|U_ulLnnqC_mqNvxq`", 26));	/* cut short */
	cr_assert(rejects("_p~iF", 5));			/* no longitude */
	cr_assert(rejects("_p~iF ps|U", 10));			/* below '?' */
	cr_assert(rejects("_p~iF\x7fps|U", 10));		/* above '~' */
	cr_assert(rejects("_p~i\0~ps|U", 10));		/* a NUL inside */
	cr_assert(rejects("~~~~~~~~?", 9));			/* 8 chunks */
	/* 100 degrees north is off the globe, as is 200 east. */
	struct geo_point	 off[2] = { { 80, 0 }, { 80, 170 } };
	buf_t			 b = BUF_INIT;

	off[1].lat = 100;
	polyline_encode(&b, off, 2);
	cr_assert(rejects(buf_cstr(&b), b.len));
	buf_reset(&b);
	off[1].lat = 80;
	off[1].lon = 200;
	polyline_encode(&b, off, 2);
	cr_assert(rejects(buf_cstr(&b), b.len));
	buf_free(&b);
}

Test(polyline, random_bytes_never_break_it)
{
	char			 s[64];
	struct geo_point	*p;
	size_t			 n, i, k;

	srand(1607);
	for (k = 0; k < 20000; k++) {
		size_t len = (size_t)rand() % sizeof(s);

		for (i = 0; i < len; i++)
			s[i] = (char)(k % 2 ? 63 + rand() % 64 : rand() % 256);
		if (!polyline_decode(s, len, &p, &n))
			continue;
		cr_assert_leq(n, len / 2);
		for (i = 0; i < n; i++)
			cr_assert(fabs(p[i].lat) <= 90 && fabs(p[i].lon) <= 180);
		free(p);
	}
}
