#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/util.h"

enum ctype { C_STR, C_INT, C_BOOL };

struct binding {
	const char	*env;
	enum ctype	 type;
	size_t		 off;
	size_t		 size;	/* for strings */
	int		 min, max;	/* for numbers */
};

#define S(e, f)		{ e, C_STR, offsetof(struct config, f), \
			  sizeof(((struct config *)0)->f), 0, 0 }
#define I(e, f, lo, hi)	{ e, C_INT, offsetof(struct config, f), 0, lo, hi }
#define B(e, f)		{ e, C_BOOL, offsetof(struct config, f), 0, 0, 1 }

static const struct binding bindings[] = {
	S("DATABASE_URL", database_url),
	S("DATABASE_READ_URL", database_read_url),
	I("CADENCE_REPLICA_MAX_LAG", replica_max_lag, 1, 60),
	S("CADENCE_SOCKET", socket_path),
	S("CADENCE_SOCKET_GROUP", socket_group),
	I("CADENCE_WORKERS", workers, 0, 256),
	S("CADENCE_BASE_URL", base_url),
	S("CADENCE_TEMPLATES", templates_dir),
	S("CADENCE_SQL_DIR", sql_dir),
	S("CADENCE_SPOOL_DIR", spool_dir),
	I("CADENCE_MAX_REQUESTS", max_requests, 0, 100000000),
	I("CADENCE_PAGE_CACHE_MB", page_cache_mb, 0, 65536),
	I("CADENCE_REQUEST_TIMEOUT", request_timeout, 1, 3600),
	I("CADENCE_SHUTDOWN_TIMEOUT", shutdown_timeout, 1, 600),
	I("CADENCE_MAX_BODY", max_body, 1024, 64 * 1024 * 1024),
	I("CADENCE_SESSION_IDLE_DAYS", session_idle_days, 1, 3650),
	I("CADENCE_SESSION_MAX_DAYS", session_max_days, 1, 3650),
	I("CADENCE_JOB_WORKERS", job_workers, 0, 16),
	S("CADENCE_SECRET_KEY", secret_key),
	S("STRAVA_CLIENT_ID", strava_client_id),
	S("STRAVA_CLIENT_SECRET", strava_client_secret),
	S("STRAVA_OAUTH_BASE", strava_oauth_base),
	S("STRAVA_API_BASE", strava_api_base),
	S("STRAVA_WEBHOOK_VERIFY_TOKEN", strava_verify_token),
	I("STRAVA_SUBSCRIPTION_ID", strava_subscription_id, 0, 2147483647),
	I("CADENCE_RAW_DATA_DAYS", raw_data_days, 0, 3650),
	S("GARMIN_CLIENT_ID", garmin_client_id),
	S("GARMIN_CLIENT_SECRET", garmin_client_secret),
	S("GARMIN_OAUTH_BASE", garmin_oauth_base),
	S("GARMIN_API_BASE", garmin_api_base),
	S("SMTP_URL", smtp_url),
	S("SMTP_USER", smtp_user),
	S("SMTP_PASSWORD", smtp_password),
	S("SMTP_FROM", smtp_from),
	S("CADENCE_EXPORT_DIR", export_dir),
	B("CADENCE_DEMO", demo),
	S("CADENCE_LOG_LEVEL", log_level),
};

const struct config_spec config_specs[] = {
	{ "DATABASE_URL", "postgresql:///cadence",
	  "libpq connection string or URL of the PostgreSQL database" },
	{ "DATABASE_READ_URL", "",
	  "a streaming replica for page reads (docs/scaling.md); empty: none" },
	{ "CADENCE_REPLICA_MAX_LAG", "5",
	  "seconds the replica may trail before pages read the primary" },
	{ "CADENCE_SOCKET", "var/run/cadence.sock",
	  "FastCGI unix socket the pool listens on (nginx connects here)" },
	{ "CADENCE_SOCKET_GROUP", "",
	  "group given access to the socket (mode 0660), e.g. www-data" },
	{ "CADENCE_WORKERS", "0",
	  "web worker processes; 0 means 2 x CPU cores" },
	{ "CADENCE_BASE_URL", "http://127.0.0.1:8080",
	  "public URL of the site (https:// turns on Secure cookies and HSTS)" },
	{ "CADENCE_TEMPLATES", "templates", "directory of *.mustache templates" },
	{ "CADENCE_SQL_DIR", "sql", "directory of NNN_name.sql migrations" },
	{ "CADENCE_SPOOL_DIR", "var/spool",
	  "durable spool for webhook events while PostgreSQL is down" },
	{ "CADENCE_MAX_REQUESTS", "10000",
	  "requests a worker serves before it is recycled (0: never)" },
	{ "CADENCE_PAGE_CACHE_MB", "256",
	  "megabytes of rendered pages shared by the host's workers (0: none;"
	  " read at start, not on reload)" },
	{ "CADENCE_REQUEST_TIMEOUT", "30",
	  "seconds a request may run before its worker is ended" },
	{ "CADENCE_SHUTDOWN_TIMEOUT", "10",
	  "seconds in-flight requests get on stop before KILL" },
	{ "CADENCE_MAX_BODY", "1048576", "largest request body in bytes" },
	{ "CADENCE_SESSION_IDLE_DAYS", "30",
	  "a session unused this many days ends" },
	{ "CADENCE_SESSION_MAX_DAYS", "90",
	  "a session ends this many days after sign-in, used or not" },
	{ "CADENCE_JOB_WORKERS", "1",
	  "job worker processes (Strava imports and webhook events)" },
	{ "CADENCE_SECRET_KEY", "",
	  "64 hex digits (required by serve): encrypts Strava tokens at rest"
	  " and signs calendar-feed addresses" },
	{ "STRAVA_CLIENT_ID", "",
	  "Strava API application id (`make run` without one starts the sandbox)" },
	{ "STRAVA_CLIENT_SECRET", "", "Strava API application secret" },
	{ "STRAVA_OAUTH_BASE", "https://www.strava.com",
	  "where /oauth/authorize and /oauth/token live" },
	{ "STRAVA_API_BASE", "https://www.strava.com/api/v3",
	  "Strava REST API base URL" },
	{ "STRAVA_WEBHOOK_VERIFY_TOKEN", "",
	  "token Strava echoes when validating the webhook subscription" },
	{ "STRAVA_SUBSCRIPTION_ID", "0",
	  "only webhook events of this subscription are taken (0: the one "
	  "`cadence strava subscribe` stored, or any if none)" },
	{ "CADENCE_RAW_DATA_DAYS", "7",
	  "days the raw Strava JSON of an activity is kept" },
	{ "GARMIN_CLIENT_ID", "",
	  "Garmin Connect Developer Program client id (`make run` without one"
	  " starts the Garmin sandbox)" },
	{ "GARMIN_CLIENT_SECRET", "", "Garmin client secret" },
	{ "GARMIN_OAUTH_BASE", "https://connect.garmin.com",
	  "where /oauth2Confirm lives (the token endpoint: diauth.garmin.com"
	  " for Garmin's, else this base)" },
	{ "GARMIN_API_BASE", "https://apis.garmin.com",
	  "Garmin's REST APIs (wellness-api, training-api, workoutportal)" },
	{ "SMTP_URL", "",
	  "smtp://host:587 (STARTTLS required unless the host is loopback) or "
	  "smtps://host:465; empty: no mail is sent" },
	{ "SMTP_USER", "", "SMTP login (with SMTP_PASSWORD), if the server "
	  "wants one" },
	{ "SMTP_PASSWORD", "", "SMTP password (never logged)" },
	{ "SMTP_FROM", "",
	  "sender of every mail, e.g. 'Cadence <no-reply@example.org>'; its "
	  "domain also names Message-IDs" },
	{ "CADENCE_EXPORT_DIR", "var/exports",
	  "where \"download my data\" archives are kept until their link "
	  "expires (7 days)" },
	{ "CADENCE_DEMO", "1",
	  "1: `make run` creates the demo runner demo@cadence.test" },
	{ "CADENCE_LOG_LEVEL", "info", "debug, info, warn or error" },
};
const size_t config_nspecs = NELEM(config_specs);

static const char *
spec_default(const char *env)
{
	size_t i;

	for (i = 0; i < config_nspecs; i++)
		if (strcmp(config_specs[i].env, env) == 0)
			return config_specs[i].def;
	return "";
}

static int
set_value(struct config *cfg, const struct binding *b, const char *v,
    char *err, size_t errlen)
{
	char	*p = (char *)cfg + b->off;
	int	 n;

	switch (b->type) {
	case C_STR:
		if (strlen(v) >= b->size) {
			snprintf(err, errlen, "%s is too long (at most %zu "
			    "characters)", b->env, b->size - 1);
			return -1;
		}
		memcpy(p, v, strlen(v) + 1);
		return 0;
	case C_INT:
		if (!parse_int(v, b->min, b->max, &n)) {
			snprintf(err, errlen, "%s must be a whole number from "
			    "%d to %d (got '%.40s')", b->env, b->min, b->max, v);
			return -1;
		}
		memcpy(p, &n, sizeof(n));
		return 0;
	case C_BOOL:
		if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "yes") == 0)
			*(bool *)p = true;
		else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
		    strcmp(v, "no") == 0)
			*(bool *)p = false;
		else {
			snprintf(err, errlen, "%s must be 1 or 0 (got '%.40s')",
			    b->env, v);
			return -1;
		}
		return 0;
	}
	return -1;
}

static const struct binding *
find_binding(const char *env)
{
	size_t i;

	for (i = 0; i < NELEM(bindings); i++)
		if (strcmp(bindings[i].env, env) == 0)
			return &bindings[i];
	return NULL;
}

/* KEY=VALUE lines; # comments; the environment overrides the file. */
static int
load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	FILE			*f;
	char			 line[2048], *eq, *end;
	const struct binding	*b;
	int			 lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "CADENCE_CONFIG: cannot open %s: %s",
		    path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected KEY=VALUE",
			    path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		for (end = eq; end > line && end[-1] == ' '; end--)
			end[-1] = '\0';
		if ((b = find_binding(line)) == NULL) {
			snprintf(err, errlen, "%s:%d: unknown setting %s",
			    path, lineno, line);
			rc = -1;
		} else if (getenv(line) == NULL)
			rc = set_value(cfg, b, eq + 1, err, errlen);
	}
	fclose(f);
	return rc;
}

static int
check_derived(struct config *cfg, char *err, size_t errlen)
{
	if (cfg->workers == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		cfg->workers = (int)(n > 0 && n < 64 ? 2 * n : 4);
	}
	if (!str_has_prefix(cfg->base_url, "http://") &&
	    !str_has_prefix(cfg->base_url, "https://")) {
		snprintf(err, errlen, "CADENCE_BASE_URL must start with "
		    "http:// or https://");
		return -1;
	}
	/* No trailing slash, so paths can be appended. */
	while (strlen(cfg->base_url) > 8 &&
	    cfg->base_url[strlen(cfg->base_url) - 1] == '/')
		cfg->base_url[strlen(cfg->base_url) - 1] = '\0';
	cfg->https = str_has_prefix(cfg->base_url, "https://");
	if (cfg->session_idle_days > cfg->session_max_days) {
		snprintf(err, errlen, "CADENCE_SESSION_IDLE_DAYS must not "
		    "exceed CADENCE_SESSION_MAX_DAYS");
		return -1;
	}
	if (cfg->secret_key[0] != '\0' && strlen(cfg->secret_key) != 64) {
		snprintf(err, errlen, "CADENCE_SECRET_KEY must be 64 hex "
		    "digits (32 bytes)");
		return -1;
	}
	/* Anything but strava.com is the sandbox: the pages say so. */
	cfg->sandbox = !str_has_prefix(cfg->strava_oauth_base,
	    "https://www.strava.com");
	/* The rest of SMTP_* is checked by mail/smtp.c when mail is sent. */
	if (cfg->smtp_url[0] != '\0' && !str_has_prefix(cfg->smtp_url,
	    "smtp://") && !str_has_prefix(cfg->smtp_url, "smtps://")) {
		snprintf(err, errlen, "SMTP_URL must start with smtp:// or "
		    "smtps://");
		return -1;
	}
	if (strcmp(cfg->log_level, "debug") && strcmp(cfg->log_level, "info") &&
	    strcmp(cfg->log_level, "warn") && strcmp(cfg->log_level, "error")) {
		snprintf(err, errlen, "CADENCE_LOG_LEVEL must be debug, info, "
		    "warn or error");
		return -1;
	}
	return 0;
}

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	const char	*v, *file;
	size_t		 i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NELEM(bindings); i++)
		if (set_value(cfg, &bindings[i], spec_default(bindings[i].env),
		    err, errlen) == -1)
			return -1;
	if ((file = getenv("CADENCE_CONFIG")) != NULL && *file != '\0' &&
	    load_file(cfg, file, err, errlen) == -1)
		return -1;
	for (i = 0; i < NELEM(bindings); i++) {
		if ((v = getenv(bindings[i].env)) == NULL)
			continue;
		if (set_value(cfg, &bindings[i], v, err, errlen) == -1)
			return -1;
	}
	return check_derived(cfg, err, errlen);
}

void
config_usage(void)
{
	size_t i;

	printf("\nconfiguration (environment variables, or KEY=VALUE lines in "
	    "the file named by CADENCE_CONFIG):\n");
	for (i = 0; i < config_nspecs; i++)
		printf("  %-28s %s\n  %-28s (default: '%s')\n",
		    config_specs[i].env, config_specs[i].help, "",
		    config_specs[i].def);
}
