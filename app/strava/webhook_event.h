/*
 * webhook_event: parses and validates the JSON body Strava POSTs to the
 * webhook callback, e.g.
 *
 *	{"aspect_type":"update","event_time":1516126040,"object_id":1360128428,
 *	 "object_type":"activity","owner_id":134815,"subscription_id":120475,
 *	 "updates":{"title":"Messy"}}
 *
 * Pure (no I/O).  Lenient where Strava has been inconsistent: ids and
 * subscription_id may be decimal strings, "updates" values may be
 * booleans or integers (kept as text: "true"), "updates" may be absent or
 * null (as {}), and unknown keys, also nested ones, are ignored.  Still
 * refused, with a short message naming the field: a missing field, a
 * float or negative id, an unknown enum value, nesting deeper than
 * WEBHOOK_MAX_DEPTH, a body over WEBHOOK_MAX_BODY, duplicate keys.
 */
#ifndef CADENCE_WEBHOOK_EVENT_H
#define CADENCE_WEBHOOK_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_MAX_BODY	(16 * 1024)
#define WEBHOOK_MAX_DEPTH	16	/* {"updates":{...}} is 2; room for new fields */
#define WEBHOOK_MAX_UPDATES	32	/* keys in "updates" */
#define WEBHOOK_ERR_MAX		128	/* error message buffer, NUL included */

enum webhook_object { WEBHOOK_ACTIVITY, WEBHOOK_ATHLETE };
enum webhook_aspect { WEBHOOK_CREATE, WEBHOOK_UPDATE, WEBHOOK_DELETE };

struct webhook_update {
	char	*key;
	char	*value;
};

struct webhook_event {
	enum webhook_object	 object_type;
	enum webhook_aspect	 aspect_type;
	int64_t			 object_id;	/* activity or athlete id */
	int64_t			 owner_id;	/* athlete id */
	int64_t			 subscription_id;
	int64_t			 event_time;	/* epoch seconds */
	struct webhook_update	*updates;	/* owned; "updates" members */
	size_t			 nupdates;
	/* object_type "athlete" with updates.authorized == "false" */
	bool			 deauthorized;
};

/*
 * Parses body (len bytes, need not be NUL-terminated).  On failure returns
 * false, writes a message into err and leaves *ev empty (safe to free).
 */
bool	 webhook_event_parse(const char *body, size_t len,
	    struct webhook_event *ev, char err[WEBHOOK_ERR_MAX]);
void	 webhook_event_free(struct webhook_event *);
/* The string value of updates.<key>, or NULL. */
const char *webhook_event_update(const struct webhook_event *, const char *key);
const char *webhook_object_name(enum webhook_object);	/* "activity" */
const char *webhook_aspect_name(enum webhook_aspect);	/* "create" */

#endif
