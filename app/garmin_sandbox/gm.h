/*
 * garmin-sandbox: a local stand-in for the Garmin Connect Developer
 * Program (OAuth 2.0 with PKCE, the Health/Activity API's user endpoints,
 * push and ping notifications, backfill, and the Training API's workouts
 * and schedules), for tests and `make run`.  See docs/garmin-sandbox.md.
 *
 *   main.c	command line, routing, the loop
 *   store.c	users, codes, grants, activities, workouts, schedules, config
 *   oauth.c	/oauth2Confirm, /di-oauth2-service/oauth/token
 *   wellness.c	/wellness-api/rest/... and the notifications
 *   details.c	activity details: samples and laps made up from a summary
 *   training.c	/workoutportal/workout/v2, /training-api/...
 *   control.c	/_sandbox/... JSON control API for tests
 *
 * The HTTP server and the delivery thread are the Strava sandbox's
 * (app/sandbox/http.c, webhook.c), shared as they are.
 */
#ifndef GARMIN_SANDBOX_GM_H
#define GARMIN_SANDBOX_GM_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "sandbox/http.h"
#include "sandbox/webhook.h"

#define GM_TOKEN_LEN		64	/* hex characters */
#define GM_USER_ID_LEN		32	/* like "d3315b1072421d0dd7c8f6b8e1de4df8" */
#define GM_MAX_USERS		64
#define GM_MAX_CODES		256
#define GM_MAX_GRANTS		1024
#define GM_MAX_ACTIVITIES	10000
#define GM_MAX_WORKOUTS		2000
#define GM_MAX_SCHEDULES	4000
#define GM_MAX_BACKFILLS	256
#define GM_NAME_MAX		64
#define GM_URL_MAX		512
#define GM_CHALLENGE_MAX	128	/* base64url of SHA-256 is 43 */
#define GM_PULL_WINDOW_S	86400	/* pull: 24 h of upload time at most */
#define GM_BACKFILL_WINDOW_S	(30 * 86400)	/* activity backfill: 30 days */
#define GM_MAX_WORKOUT_STEPS	100	/* single-sport workouts */
#define GM_SCOPE		"PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE"

/* User permissions, chosen on the consent page. */
enum gm_perm {
	GM_ACTIVITY_EXPORT = 1 << 0, GM_HEALTH_EXPORT = 1 << 1,
	GM_WORKOUT_IMPORT = 1 << 2, GM_COURSE_IMPORT = 1 << 3,
	GM_HISTORICAL_DATA_EXPORT = 1 << 4
};
#define GM_NPERMS	5

struct gm_user {
	char	 id[GM_USER_ID_LEN + 1];
	char	 name[GM_NAME_MAX];
	unsigned perms;		/* granted to the app, while registered */
	bool	 registered;
};

struct gm_code {
	char	 code[GM_TOKEN_LEN + 1];
	int	 user;
	unsigned perms;
	char	 challenge[GM_CHALLENGE_MAX];
	char	 redirect_uri[GM_URL_MAX];	/* "" when none was given */
	int64_t	 expires;
	bool	 used;
};

struct gm_grant {
	int	 user;
	char	 access[GM_TOKEN_LEN + 1];
	char	 refresh[GM_TOKEN_LEN + 1];
	int64_t	 access_expires, refresh_expires;
	bool	 access_revoked, refresh_used;
};

struct gm_activity {
	int64_t	 summary_id;
	int	 user;
	char	 name[GM_NAME_MAX];
	char	 type[32];		/* RUNNING, TRAIL_RUNNING, ... */
	int64_t	 start;			/* epoch seconds UTC */
	int	 offset_s;		/* startTimeOffsetInSeconds */
	int	 duration_s;
	double	 distance_m;
	int	 avg_hr, max_hr;	/* 0: none */
	int64_t	 uploaded;		/* upload time, for pulls */
	bool	 manual;		/* entered by hand: no details */
	double	 elevation_gain;	/* totalElevationGainInMeters; < 0: none */
	json_t	*samples, *laps;	/* details given by a test; NULL: made up */
};

struct gm_workout {
	int64_t	 id;
	int	 user;
	json_t	*body;			/* as stored, with ids and dates */
	bool	 deleted;
};

struct gm_schedule {
	int64_t	 id, workout_id;
	int	 user;
	char	 date[11];
	bool	 deleted;
};

struct gm_config {
	int	 access_token_ttl, refresh_token_ttl, code_ttl;
	bool	 ping_mode;		/* ping (callbackURL) instead of push */
	int	 fail_next_412, fail_next_429, fail_next_5xx, fail_5xx_status;
	char	 activities_url[GM_URL_MAX];	/* "" : no notifications */
	char	 activity_details_url[GM_URL_MAX];
	char	 deregistrations_url[GM_URL_MAX];
	char	 permissions_url[GM_URL_MAX];
	int	 webhook_timeout_ms, webhook_attempts, webhook_retry_delay_ms;
};

struct gm_app {
	char			 client_id[GM_NAME_MAX];
	char			 client_secret[GM_NAME_MAX];
	char			 base_url[256];
	struct gm_config	 cfg;
	struct gm_user		 users[GM_MAX_USERS];
	int			 nusers;
	struct gm_code		 codes[GM_MAX_CODES];
	int			 ncodes;
	struct gm_grant		 grants[GM_MAX_GRANTS];
	int			 ngrants;
	struct gm_activity	 acts[GM_MAX_ACTIVITIES];
	int			 nacts;
	struct gm_workout	 workouts[GM_MAX_WORKOUTS];
	int			 nworkouts;
	struct gm_schedule	 schedules[GM_MAX_SCHEDULES];
	int			 nschedules;
	int64_t			 backfills[GM_MAX_BACKFILLS][4];	/* user, start, end, details */
	int			 nbackfills;
	int64_t			 next_summary, next_workout, next_schedule;
	struct sb_webhook	*wh;
};

/* Routes: each answers true when the path is theirs. */
bool	 gm_oauth_route(struct gm_app *, struct sb_request *, struct sb_response *);
bool	 gm_wellness_route(struct gm_app *, struct sb_request *, struct sb_response *);
bool	 gm_training_route(struct gm_app *, struct sb_request *, struct sb_response *);
bool	 gm_control_route(struct gm_app *, struct sb_request *, struct sb_response *);

/* store.c */
int64_t	 gm_now(void);
void	 gm_reset(struct gm_app *);		/* everything but client and wh */
void	 gm_config_defaults(struct gm_config *);
json_t	*gm_config_json(const struct gm_config *);
bool	 gm_config_apply(struct gm_config *, json_t *, const char **bad);
void	 gm_random_hex(char *out, size_t hexlen);
int	 gm_user_add(struct gm_app *, const char *name);	/* index or -1 */
int	 gm_user_find(const struct gm_app *, const char *id);
const char *gm_perm_name(int bit);			/* "ACTIVITY_EXPORT" */
int	 gm_perm_parse(const char *);			/* bit, or 0 */
json_t	*gm_perms_json(unsigned perms);
struct gm_grant *gm_grant_add(struct gm_app *, int user);
/* The user of a live access token, from "Authorization: Bearer"; -1. */
int	 gm_auth_user(struct gm_app *, const struct sb_request *);
void	 gm_revoke_user(struct gm_app *, int user);
json_t	*gm_activity_json(const struct gm_app *, const struct gm_activity *);
/* The activity's Activity Details record; NULL for a manual one. */
json_t	*gm_details_json(const struct gm_app *, const struct gm_activity *);

/* wellness.c: notifications (nothing when the URL is not configured). */
void	 gm_notify_activities(struct gm_app *, const struct gm_activity *, int n);
/* The activities' details (activityDetails), to activity_details_url. */
void	 gm_notify_details(struct gm_app *, const struct gm_activity *, int n);
void	 gm_notify_deregistration(struct gm_app *, int user);
void	 gm_notify_permissions(struct gm_app *, int user);

/* Garmin's REST error body: {"errorMessage": "..."}. */
void	 gm_error(struct sb_response *, int status, const char *message);
/* The fault switches: true (response filled) when one fires. */
bool	 gm_fault(struct gm_app *, struct sb_response *);

#endif
