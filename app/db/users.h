/*
 * users: runner accounts (users, athlete_profiles): sign-up, what sign-in
 * needs, the profile of the settings page, the password, and deleting a
 * runner with every row that names them.
 *
 * Every function but users_create and users_find_for_login takes the
 * runner's id and touches only their rows.  Emails are compared as the
 * unique index compares them (PostgreSQL's lower()).
 */
#ifndef CADENCE_DB_USERS_H
#define CADENCE_DB_USERS_H

#include <stdbool.h>

#include "core/arena.h"

struct db;

/*
 * A new runner with an empty profile but its time zone (a name PostgreSQL
 * knows): 1.  The email is taken: 0, and its
 * owner is told at their next sign-in (signup_attempted).  -1: error.
 */
int	users_create(struct db *, const char *email, const char *name,
	    const char *password_hash, const char *timezone);

/* What sign-in knows of an email. */
struct user_login {
	const char	*id;		/* NULL: no account */
	const char	*hash;		/* NULL: none */
	/* The throttle's subject: the user id, or for an unknown email a
	 * hash of its lower() (every spelling shares one counter). */
	const char	*subject;
	bool		 signup_attempted;	/* someone tried its email */
};
int	users_find_for_login(struct db *, arena_t *, const char *email,
	    struct user_login *);
int	users_set_password_hash(struct db *, const char *user_id,
	    const char *hash);
int	users_clear_signup_attempt(struct db *, const char *user_id);
/* The stored hash into *hash (NULL: none); 1, 0 (no such runner), -1. */
int	users_password_hash(struct db *, arena_t *, const char *user_id,
	    const char **hash);
/* New hash, and every other session of the runner ended; one transaction. */
int	users_change_password(struct db *, const char *user_id,
	    const char *hash, const char *keep_session_id);

/* The settings page's profile; 0 for an unset number. */
struct user_profile {
	const char	*name;		/* "" when none */
	const char	*email;
	const char	*units;		/* "km" or "mi" */
	const char	*first_day;	/* "mon" or "sun" */
	const char	*timezone;
	long		 weekly_m;
	long		 race_m;
	long		 race_s;
};
int	users_load_profile(struct db *, arena_t *, const char *user_id,
	    struct user_profile *);
/* 1 when PostgreSQL knows the time zone name, 0 when not, -1. */
int	users_timezone_known(struct db *, const char *tz);
/*
 * Saves the profile (0 numbers saved as unset) in one transaction: 1, or
 * 0 when another account has the email (nothing saved), or -1.
 */
int	users_save_profile(struct db *, const char *user_id,
	    const struct user_profile *);
/*
 * Deletes the runner: the schema's cascades, plus the rows that name them
 * without a foreign key (the throttle's, by user id and by the email's
 * hash; the webhook events of their Strava athlete, 0: none).
 */
int	users_delete(struct db *, const char *user_id, const char *email,
	    long long strava_athlete_id);

#endif
