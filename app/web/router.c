#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "web/router.h"

/*
 * Compiled patterns, parallel to the table.  Written once before fork and
 * read-only afterwards, so every worker shares the pages copy-on-write.
 */
static const struct route	 *table;
static size_t			  ntable;
static pcre2_code		**codes;
static pcre2_match_context	 *mctx;
static pcre2_match_data		 *mdata;

void
router_free(void)
{
	size_t i;

	for (i = 0; codes != NULL && i < ntable; i++)
		pcre2_code_free(codes[i]);
	free(codes);
	codes = NULL;
	pcre2_match_context_free(mctx);
	mctx = NULL;
	pcre2_match_data_free(mdata);
	mdata = NULL;
	table = NULL;
	ntable = 0;
}

const struct route *
router_table(size_t *n)
{
	*n = ntable;
	return table;
}

int
router_init(const struct route *t, size_t n, char *err, size_t errlen)
{
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	int		 rc;
	size_t		 i;
	uint32_t	 ncap;

	router_free();
	codes = xcalloc(n, sizeof(*codes));
	table = t;
	ntable = n;
	for (i = 0; i < n; i++) {
		codes[i] = pcre2_compile((PCRE2_SPTR)t[i].pattern,
		    PCRE2_ZERO_TERMINATED, PCRE2_ANCHORED | PCRE2_ENDANCHORED,
		    &rc, &off, NULL);
		if (codes[i] == NULL) {
			pcre2_get_error_message(rc, msg, sizeof(msg));
			snprintf(err, errlen, "route %s %s: %s at %zu",
			    t[i].method, t[i].pattern, (char *)msg, (size_t)off);
			router_free();
			return -1;
		}
		pcre2_pattern_info(codes[i], PCRE2_INFO_CAPTURECOUNT, &ncap);
		if (ncap > ROUTE_MAX_CAPS) {
			snprintf(err, errlen, "route %s: more than %d captures",
			    t[i].pattern, ROUTE_MAX_CAPS);
			router_free();
			return -1;
		}
		/* JIT is an optimisation: without it matching still works. */
		(void)pcre2_jit_compile(codes[i], PCRE2_JIT_COMPLETE);
	}
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, ROUTER_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, ROUTER_DEPTH_LIMIT);
	mdata = pcre2_match_data_create(ROUTE_MAX_CAPS + 1, NULL);
	if (mctx == NULL || mdata == NULL)
		fatal_oom();
	return 0;
}

/* Validates and converts the captures of route r; false means 404. */
static bool
take_captures(arena_t *a, const struct route *r, const char *path,
    const char *cap[ROUTE_MAX_CAPS], long cap_int[ROUTE_MAX_CAPS])
{
	PCRE2_SIZE	*ov = pcre2_get_ovector_pointer(mdata);
	size_t		 i, len;
	int		 v;

	for (i = 0; i < ROUTE_MAX_CAPS; i++) {
		cap[i] = NULL;
		cap_int[i] = 0;
		if (r->caps[i] == CAP_NONE)
			continue;
		if (ov[2 * (i + 1)] == PCRE2_UNSET)
			return false;
		len = ov[2 * (i + 1) + 1] - ov[2 * (i + 1)];
		cap[i] = arena_strndup(a, path + ov[2 * (i + 1)], len);
		switch (r->caps[i]) {
		case CAP_UUID:
			if (len != 36 || !uuid_valid(cap[i]))
				return false;
			break;
		case CAP_SLUG:
			if (!slug_valid(cap[i]))
				return false;
			break;
		case CAP_INT:
			if (!parse_int(cap[i], 1, 100000, &v))
				return false;
			cap_int[i] = v;
			break;
		case CAP_NONE:
			break;
		}
	}
	return true;
}

static void
allow_add(char *allow, size_t allowlen, const char *m)
{
	if (strstr(allow, m) != NULL)
		return;
	if (allow[0] != '\0')
		strncat(allow, ", ", allowlen - strlen(allow) - 1);
	strncat(allow, m, allowlen - strlen(allow) - 1);
}

#define SUBJECT_PAD	64
static char subject[ROUTER_MAX_PATH + SUBJECT_PAD];

enum router_result
router_match(arena_t *a, const char *method, const char *path,
    const struct route **out, const char *cap[ROUTE_MAX_CAPS],
    long cap_int[ROUTE_MAX_CAPS], char *allow, size_t allowlen)
{
	size_t	 i, len = strlen(path);
	bool	 path_known = false;
	int	 rc;

	allow[0] = '\0';
	if (len > ROUTER_MAX_PATH || codes == NULL)
		return ROUTER_NOT_FOUND;
	/*
	 * PCRE2's JIT scans the subject with vector loads that may read past
	 * its end (never past a page).  Matching a zero-padded copy keeps
	 * those bytes defined, so valgrind's check of the pool stays exact.
	 */
	memcpy(subject, path, len);
	memset(subject + len, 0, SUBJECT_PAD);
	path = subject;
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (i = 0; i < ntable; i++) {
		rc = pcre2_match(codes[i], (PCRE2_SPTR)path, len, 0, 0, mdata,
		    mctx);
		if (rc < 0)
			continue;	/* no match, or over the match limit */
		if (!take_captures(a, &table[i], path, cap, cap_int))
			continue;
		if (strcmp(table[i].method, method) == 0) {
			*out = &table[i];
			return ROUTER_FOUND;
		}
		path_known = true;
		allow_add(allow, allowlen, table[i].method);
		if (strcmp(table[i].method, "GET") == 0)
			allow_add(allow, allowlen, "HEAD");
	}
	return path_known ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}
