/* Validation rules shared by sign-up and settings. */
#ifndef CADENCE_ACCOUNT_H
#define CADENCE_ACCOUNT_H

#include <stdbool.h>

#include "core/arena.h"

bool		 account_email_ok(const char *);
char		*account_fold_email(arena_t *, const char *);
bool		 account_name_ok(const char *);
/* A message saying what is wrong with a new password, or NULL. */
const char	*account_password_problem(const char *);

#endif
