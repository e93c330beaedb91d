/*
 * db/strava_app: what Cadence's Strava application keeps once for every
 * runner and host: the push subscription (strava_webhook_subscription)
 * and the shared rate-limit budget (the strava_rate_limit row).
 */
#ifndef CADENCE_DB_STRAVA_APP_H
#define CADENCE_DB_STRAVA_APP_H

#include <stdbool.h>
#include <stdint.h>

#define DB_SUB_URL_MAX	1024

struct db;

/* The subscription we stored (id 0: none). */
struct db_strava_sub {
	int64_t	 id;
	char	 callback_url[DB_SUB_URL_MAX];
};

/* The newest stored subscription into *out.  0 or -1. */
int	db_strava_sub_get(struct db *, struct db_strava_sub *out);
/* Replaces the stored subscription by s, in one transaction.  0 or -1. */
int	db_strava_sub_set(struct db *, const struct db_strava_sub *s);
int	db_strava_sub_clear(struct db *);

/*
 * The rate-limit pairs Strava last reported, with the 15-minute window
 * and the UTC day they were counted in (epochs of their starts).
 */
struct db_strava_budget {
	int	 limit_15, limit_day, usage_15, usage_day;
	int	 read_limit_15, read_limit_day, read_usage_15, read_usage_day;
	int64_t	 window_start, day_start;
};

/* 1 with *out, 0 when nothing was recorded yet, -1. */
int	db_strava_budget_get(struct db *, struct db_strava_budget *out);
/*
 * Records an answer's usage (an older answer of the same window or day
 * never lowers it) and whether it was a 429.  0 or -1.
 */
int	db_strava_budget_record(struct db *, const struct db_strava_budget *,
	    bool throttled);

/* The budget as /metrics shows it: usage of a window or day that is over
 * counts 0; a value Strava never reported is not known. */
enum db_rate_value {
	DB_RATE_LIMIT_15, DB_RATE_LIMIT_DAY, DB_RATE_USAGE_15,
	DB_RATE_USAGE_DAY, DB_RATE_READ_LIMIT_15, DB_RATE_READ_LIMIT_DAY,
	DB_RATE_READ_USAGE_15, DB_RATE_READ_USAGE_DAY, DB_RATE__MAX
};
struct db_strava_rate {
	bool	 known[DB_RATE__MAX];
	long	 v[DB_RATE__MAX];
	long	 throttled;	/* 429s so far */
};

/* 1 with *out, 0 when there is no budget row, -1. */
int	db_strava_rate_now(struct db *, struct db_strava_rate *out);

#endif
