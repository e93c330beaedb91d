/* Validation rules shared by sign-up and settings. */
#ifndef CADENCE_ACCOUNT_H
#define CADENCE_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>

#include "core/arena.h"

/*
 * The longest email an account can have (RFC 5321's path limit); longer
 * input is refused before it reaches the database or Argon2id.
 */
#define ACCOUNT_EMAIL_MAX	254

bool		 account_email_ok(const char *);
char		*account_fold_email(arena_t *, const char *);
bool		 account_name_ok(const char *);
/* A message saying what is wrong with a new password, or NULL. */
const char	*account_password_problem(const char *);
/* Time-zone suggestions for a datalist: [{name, selected}]. */
json_t		*account_timezones_json(const char *selected);

#endif
