/*
 * store: everything the fake Strava knows - athletes, activities, OAuth
 * grants and codes, the push subscription, test configuration and rate
 * limit usage - plus saving it as one JSON file and the Strava JSON views
 * of athletes and activities.
 *
 * Only the server thread touches a store; the webhook thread gets copies.
 */
#ifndef SANDBOX_STORE_H
#define SANDBOX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define SB_TOKEN_LEN		40	/* hex characters, like Strava's */
#define SB_SCOPE_MAX		160
#define SB_NAME_MAX		128
#define SB_FIELD_MAX		64
#define SB_URL_MAX		1024
#define SB_LAPS_MAX		768	/* the laps string of an activity */
#define SB_LAPS_COUNT		60	/* laps in one activity */
#define SB_FIRST_ATHLETE_ID	9001
#define SB_FIRST_ACTIVITY_ID	12000000001LL	/* past 2^32, like today's ids */

struct sb_athlete {
	int64_t	 id;
	char	 username[SB_FIELD_MAX];
	char	 firstname[SB_FIELD_MAX];
	char	 lastname[SB_FIELD_MAX];
	char	 city[SB_FIELD_MAX];
	char	 country[SB_FIELD_MAX];
	char	 sex[4];			/* "M", "F" or "" */
	char	 measurement[16];		/* "meters" or "feet" */
	double	 weight;
	int64_t	 created_at;
};

struct sb_activity {
	int64_t	 id;
	int64_t	 athlete_id;
	int64_t	 upload_id;		/* 0: none (manual entries) */
	int64_t	 start;			/* UTC seconds */
	int64_t	 created_at;
	char	 tz[SB_FIELD_MAX];	/* IANA name, see tz.h */
	char	 name[SB_NAME_MAX];
	char	 sport_type[32];
	char	 description[256];
	/*
	 * Laps as the watch recorded them, "METRES:SECONDS,..." ("" for
	 * Strava's automatic 1 km laps at the average pace).
	 */
	char	 laps[SB_LAPS_MAX];
	double	 distance;		/* metres */
	double	 elev_gain;
	double	 max_speed;
	double	 avg_hr, max_hr;	/* valid when has_hr */
	double	 lat, lng;		/* start point */
	int	 moving_time, elapsed_time;
	int	 workout_type;		/* -1: null */
	bool	 has_hr, manual, private_, commute, trainer;
	int	 hidden_fetches;	/* fault injection: API 404s left */
};

struct sb_grant {			/* one authorization of the app */
	int64_t	 athlete_id;
	char	 access[SB_TOKEN_LEN + 1];
	char	 refresh[SB_TOKEN_LEN + 1];
	char	 scope[SB_SCOPE_MAX];	/* "read,activity:read_all" */
	int64_t	 expires_at;
	bool	 revoked;
};

struct sb_code {
	char	 code[SB_TOKEN_LEN + 1];
	int64_t	 athlete_id;
	char	 scope[SB_SCOPE_MAX];
	int64_t	 expires_at;
};

struct sb_subscription {
	int64_t	 id;
	char	 callback_url[SB_URL_MAX];
	char	 verify_token[256];
	int64_t	 created_at, updated_at;
};

/* Knobs tests turn through /_sandbox/config; see docs/strava-sandbox.md. */
struct sb_config {
	int	 access_token_ttl;
	int	 code_ttl;
	int	 rotate_refresh_tokens;		/* bool */
	int	 rate_limit_15min, rate_limit_daily;
	int	 read_rate_limit_15min, read_rate_limit_daily;
	int	 fail_next_5xx, fail_5xx_status, fail_next_429, fail_next_400;
	int	 delay_ms;
	int	 activity_404_after_create;
	int	 webhook_timeout_ms, webhook_attempts, webhook_retry_delay_ms;
	int	 validation_timeout_ms;
};

struct sb_usage {			/* rate-limit windows and counts */
	int64_t	 window15, day;
	int	 all15, allday, read15, readday;
};

struct sb_store {
	int64_t			 client_id;
	char			 client_secret[128];
	const char		*path;		/* state file or NULL */
	struct sb_athlete	*athletes;
	size_t			 nathletes;
	struct sb_activity	*acts;
	size_t			 nacts;
	struct sb_grant		*grants;
	size_t			 ngrants;
	struct sb_code		*codes;
	size_t			 ncodes;
	bool			 has_sub;
	struct sb_subscription	 sub;
	int64_t			 next_athlete_id, next_activity_id, next_upload_id, next_sub_id;
	struct sb_config	 cfg;
	struct sb_usage		 usage;
};

void	 sb_store_init(struct sb_store *, int64_t client_id, const char *secret);
/* Drops all data (not the identity); keeps or resets the config. */
void	 sb_store_clear(struct sb_store *, bool reset_config);
void	 sb_store_free(struct sb_store *);
void	 sb_config_defaults(struct sb_config *);
/* Loads path: 0 ok, 1 no such file, -1 unreadable (message printed). */
int	 sb_store_load(struct sb_store *, const char *path);
/* Saves to s->path, if any, atomically; -1 on error (message printed). */
int	 sb_store_save(const struct sb_store *);

json_t	*sb_config_json(const struct sb_config *);
/* Applies the known keys of a JSON object; false and *bad = key on a bad value. */
bool	 sb_config_apply(struct sb_config *, json_t *, const char **bad);

struct sb_athlete  *sb_athlete_find(struct sb_store *, int64_t id);
struct sb_athlete  *sb_athlete_add(struct sb_store *);
struct sb_activity *sb_activity_find(struct sb_store *, int64_t id);
/* A zeroed activity with a fresh id; the pointer lasts until the next add. */
struct sb_activity *sb_activity_add(struct sb_store *, int64_t athlete_id);
void	 sb_activity_delete(struct sb_store *, int64_t id);
/* Strava's legacy "type" for a sport_type; NULL for an unknown one. */
const char *sb_activity_type(const char *sport_type);

struct sb_grant *sb_grant_by_access(struct sb_store *, const char *token);
struct sb_grant *sb_grant_by_refresh(struct sb_store *, const char *token);
struct sb_grant *sb_grant_add(struct sb_store *, int64_t athlete_id, const char *scope);
bool	 sb_grant_has_scope(const struct sb_grant *, const char *scope);
/* True when the athlete has a live (not revoked) grant with any of the scope. */
bool	 sb_athlete_authorized(struct sb_store *, int64_t athlete_id, const char *scope);
struct sb_code *sb_code_add(struct sb_store *, int64_t athlete_id, const char *scope, int64_t now);
/* Finds, removes and returns (in *out) a live code; false when none. */
bool	 sb_code_take(struct sb_store *, const char *code, int64_t now, struct sb_code *out);

/* 40 random hex characters and a NUL. */
void	 sb_random_hex(char out[SB_TOKEN_LEN + 1]);

/* Strava views: state 1 meta, 2 summary, 3 detailed. */
json_t	*sb_athlete_json(const struct sb_athlete *, int resource_state);
json_t	*sb_activity_json(const struct sb_activity *, int resource_state);
/* True for a laps string "METRES:SECONDS,..." (see sb_activity.laps). */
bool	 sb_laps_valid(const char *);

#endif
