/*
 * pages: the handlers of the route table (web/routes.c), one file per
 * area.  Each takes the validated request and fills the response; none
 * writes to the client or frees request memory.
 */
#ifndef CADENCE_PAGES_H
#define CADENCE_PAGES_H

#include <jansson.h>

#include "web/http.h"

/* health.c */
int	page_livez(struct request *, struct response *);
int	page_readyz(struct request *, struct response *);

/* home.c */
int	page_home(struct request *, struct response *);

/* webhook.c: Strava's push subscription callback. */
int	page_strava_webhook_verify(struct request *, struct response *);
int	page_strava_webhook_event(struct request *, struct response *);

/* dashboard.c */
int	page_dashboard(struct request *, struct response *);

/* account.c */
int	page_signup(struct request *, struct response *);
int	page_signup_post(struct request *, struct response *);
int	page_login(struct request *, struct response *);
int	page_login_post(struct request *, struct response *);
int	page_logout(struct request *, struct response *);

/* settings.c */
int	page_settings(struct request *, struct response *);
int	page_settings_post(struct request *, struct response *);
int	page_settings_password(struct request *, struct response *);
int	page_settings_delete(struct request *, struct response *);

/* strava_status.c: the Strava box of settings and dashboard. */
json_t	*settings_strava_json(struct request *);
/* Called before an account is deleted: disconnects Strava. -1 on error. */
int	 account_before_delete(struct request *);

#endif
