/*
 * config: Cadence's settings, read from environment variables and, when
 * CADENCE_CONFIG names a file of KEY=VALUE lines, from that file (the
 * environment wins).  The master re-reads it on SIGHUP.  Every setting has
 * a default that works for `make run`; a bad value is a clear error.
 */
#ifndef CADENCE_CONFIG_H
#define CADENCE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_STR_MAX	1024

struct config {
	char	database_url[CONFIG_STR_MAX];
	char	database_read_url[CONFIG_STR_MAX];	/* "": no replica */
	int	replica_max_lag;	/* seconds a replica may trail */
	char	socket_path[CONFIG_STR_MAX];
	char	socket_group[64];
	int	workers;
	char	base_url[CONFIG_STR_MAX];
	char	templates_dir[CONFIG_STR_MAX];
	char	sql_dir[CONFIG_STR_MAX];
	char	spool_dir[CONFIG_STR_MAX];
	int	max_requests;		/* recycle a worker after this many */
	int	page_cache_mb;		/* shared page cache (view/shared_cache.h) */
	int	request_timeout;	/* seconds before a request is ended */
	int	shutdown_timeout;	/* seconds before stragglers are killed */
	int	max_body;		/* bytes of request body */
	int	session_idle_days;
	int	session_max_days;
	int	job_workers;
	char	secret_key[CONFIG_STR_MAX];
	char	strava_client_id[64];
	char	strava_client_secret[256];
	char	strava_oauth_base[CONFIG_STR_MAX];
	char	strava_api_base[CONFIG_STR_MAX];
	char	strava_verify_token[256];
	int	strava_subscription_id;	/* 0: see strava/webhook_queue.h */
	int	raw_data_days;
	char	garmin_client_id[128];
	char	garmin_client_secret[256];
	char	garmin_oauth_base[CONFIG_STR_MAX];
	char	garmin_api_base[CONFIG_STR_MAX];
	char	smtp_url[CONFIG_STR_MAX];	/* empty: no mail (see mail/smtp.h) */
	char	smtp_user[256];
	char	smtp_password[256];
	char	smtp_from[CONFIG_STR_MAX];
	char	export_dir[CONFIG_STR_MAX];	/* "download my data" archives */
	bool	demo;
	char	log_level[16];
	/* Derived. */
	bool	https;			/* base_url starts with https:// */
	bool	sandbox;		/* Strava is the local sandbox */
};

/* One row per setting: documented by `cadence --help` and README.md. */
struct config_spec {
	const char	*env;
	const char	*def;
	const char	*help;
};

extern const struct config_spec config_specs[];
extern const size_t config_nspecs;

/*
 * Fills cfg from defaults, CADENCE_CONFIG and the environment.  On error
 * returns -1 with a message naming the variable in err.
 */
int	config_load(struct config *cfg, char *err, size_t errlen);
/* Prints every setting, its default and its meaning. */
void	config_usage(void);

#endif
