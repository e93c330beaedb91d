/*
 * notifications: see notifications.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/garmin.h"
#include "garmin/notifications.h"
#include "jobs/jobs.h"


/* The upload window of a ping's callbackURL; false if it has none. */
static bool
ping_window(const char *url, int64_t *from, int64_t *to)
{
	const char	*a = strstr(url, "uploadStartTimeInSeconds=");
	const char	*b = strstr(url, "uploadEndTimeInSeconds=");
	char		 v[24];

	if (a == NULL || b == NULL)
		return false;
	a += strlen("uploadStartTimeInSeconds=");
	b += strlen("uploadEndTimeInSeconds=");
	snprintf(v, sizeof(v), "%.*s", (int)strcspn(a, "&"), a);
	if (!parse_int64(v, 0, INT64_C(1) << 40, from))
		return false;
	snprintf(v, sizeof(v), "%.*s", (int)strcspn(b, "&"), b);
	return parse_int64(v, *from, INT64_C(1) << 40, to);
}

static int
append(const char *s, size_t n, void *arg)
{
	buf_add(arg, s, n);
	return 0;
}

/*
 * One job: payload built here, owned here.  Dumped into a buf_t, never
 * with json_dumps: in a web worker Jansson allocates from the request's
 * arena (server/worker.c), which free() must not see.
 */
static int
queue(struct db *db, const char *kind, const char *runner, json_t *payload,
    const char *dedup, struct garmin_intake *in)
{
	buf_t	 text = BUF_INIT;
	int	 rc;

	rc = json_dump_callback(payload, append, &text, JSON_COMPACT);
	json_decref(payload);
	if (rc == 0)
		rc = jobs_enqueue(db, kind, runner, buf_cstr(&text), dedup, 0);
	buf_free(&text);
	if (rc < 0)
		return -1;
	in->queued += (size_t)rc;
	return 0;
}

/*
 * An activity or activity details entry (kind says which): a pushed
 * record or a ping.  Only ids and windows are taken; a pushed record's
 * content is never kept (the job pulls it from Garmin).
 */
static int
take_activity(struct db *db, const char *kind, const json_t *e,
    const char *guser, const char *runner, int64_t now,
    struct garmin_intake *in)
{
	const char	*tag = strcmp(kind, GARMIN_KIND_DETAILS) == 0 ? "d" : "";
	const char	*sid = json_string_value(json_object_get(e, "summaryId"));
	const char	*cb = json_string_value(json_object_get(e, "callbackURL"));
	char		 dedup[160];
	int64_t		 from, to;

	if (cb != NULL && ping_window(cb, &from, &to)) {
		snprintf(dedup, sizeof(dedup), "%sping:%s:%" PRId64 ":%" PRId64,
		    tag, guser, from, to);
		return queue(db, kind, runner, json_pack(
		    "{s:s, s:I, s:I}", "garmin_user_id", guser, "upload_start",
		    (json_int_t)from, "upload_end", (json_int_t)to), dedup, in);
	}
	if (sid == NULL || *sid == '\0' || strlen(sid) >= 64) {
		in->bad++;
		return 0;
	}
	snprintf(dedup, sizeof(dedup), "%spush:%s:%s", tag, guser, sid);
	return queue(db, kind, runner, json_pack(
	    "{s:s, s:s, s:I}", "garmin_user_id", guser, "summary_id", sid,
	    "received", (json_int_t)now), dedup, in);
}

static int
take_entry(struct db *db, const char *type, const json_t *e, int64_t now,
    struct garmin_intake *in)
{
	const char	*guser = json_string_value(json_object_get(e, "userId"));
	char		 runner[40], dedup[160];
	int		 found;

	if (guser == NULL || *guser == '\0' ||
	    strlen(guser) >= DB_GARMIN_ID_MAX) {
		in->bad++;
		return 0;
	}
	if ((found = db_garmin_runner(db, guser, runner)) == -1)
		return -1;
	if (found == 0) {
		in->unknown++;
		return 0;
	}
	if (strcmp(type, "activities") == 0)
		return take_activity(db, GARMIN_KIND_ACTIVITY, e, guser, runner,
		    now, in);
	if (strcmp(type, "activityDetails") == 0)
		return take_activity(db, GARMIN_KIND_DETAILS, e, guser, runner,
		    now, in);
	snprintf(dedup, sizeof(dedup), "%s", guser);
	return queue(db, strcmp(type, "deregistrations") == 0 ?
	    GARMIN_KIND_DEREGISTER : GARMIN_KIND_PERMISSIONS, runner,
	    json_pack("{s:s}", "garmin_user_id", guser), dedup, in);
}

int
garmin_notifications_take(struct db *db, const char *body, size_t len,
    int64_t now, struct garmin_intake *in)
{
	static const char *const types[] = { "activities", "activityDetails",
	    "deregistrations", "userPermissionsChange" };
	json_error_t	 jerr;
	json_t		*root, *list, *e;
	size_t		 t, i, taken = 0;
	bool		 any = false;
	int		 rc = 0;

	memset(in, 0, sizeof(*in));
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return -1;
	}
	for (t = 0; t < sizeof(types) / sizeof(types[0]) && rc == 0; t++) {
		if ((list = json_object_get(root, types[t])) == NULL)
			continue;
		if (!json_is_array(list)) {
			rc = -1;
			break;
		}
		any = true;
		json_array_foreach(list, i, e) {
			if (taken++ >= GARMIN_NOTIFY_MAX_ITEMS)
				break;
			if (take_entry(db, types[t], e, now, in) == -1) {
				rc = -2;
				break;
			}
		}
	}
	json_decref(root);
	return rc == 0 && !any ? -1 : rc;
}
