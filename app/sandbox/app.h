/*
 * app: the sandbox program's shared context and its route groups.
 *
 *   oauth.c	/oauth/authorize, /oauth/token, /oauth/deauthorize
 *   api.c	/api/v3/... (athlete, activities, push_subscriptions)
 *   control.c	/_sandbox/... JSON control API for tests
 *   pages.c	/ and the HTML forms to record, edit and delete runs
 */
#ifndef SANDBOX_APP_H
#define SANDBOX_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "sandbox/http.h"
#include "sandbox/store.h"
#include "sandbox/webhook.h"

struct sb_app {
	struct sb_store		 store;
	struct sb_webhook	*wh;
	uint64_t		 seed;
	char			 base_url[256];	/* --public-url or the listen URL */
};

/* Each answers true when the path is theirs (and fills the response). */
bool	 sb_oauth_route(struct sb_app *, struct sb_request *, struct sb_response *);
bool	 sb_api_route(struct sb_app *, struct sb_request *, struct sb_response *);
bool	 sb_control_route(struct sb_app *, struct sb_request *, struct sb_response *);
bool	 sb_pages_route(struct sb_app *, struct sb_request *, struct sb_response *);

int64_t	 sb_now(void);
/* Persists the store after a change (no-op without --state). */
void	 sb_app_changed(struct sb_app *);
/* Clears everything and seeds again. */
void	 sb_app_reset(struct sb_app *);

/* Webhook events Strava would send; nothing without a subscription or
 * when the owner has not authorized the app.  updates is taken (may be NULL). */
void	 sb_emit_activity(struct sb_app *, const struct sb_activity *,
	    const char *aspect, json_t *updates);
void	 sb_emit_deauthorized(struct sb_app *, int64_t athlete_id);

/*
 * Records (a == NULL: creates) an activity from request parameters, as
 * the control API and the HTML form share them.  Sends the webhook.
 * Returns the activity id, or 0 with *bad = the offending parameter.
 */
int64_t	 sb_record_activity(struct sb_app *, struct sb_request *, int64_t edit_id,
	    const char **bad);
/* Deletes and sends the delete event; false when there is no such id. */
bool	 sb_delete_activity(struct sb_app *, int64_t id);

#endif
