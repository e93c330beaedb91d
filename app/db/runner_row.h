/*
 * runner_row: the columns of a struct runner (domain/runner.h) and how to
 * read them, shared by the statements that load one: the session's
 * (db/sessions.c) and the access layer's subjects (db/access.c).  Only
 * app/db/ includes it.
 *
 *	"SELECT ... " RUNNER_COLUMNS " FROM users u" RUNNER_JOINS " WHERE ..."
 *
 * The columns come in this order (RU_*), from column col0 of a row on.
 * No token, password hash or secret is among them.
 */
#ifndef CADENCE_DB_RUNNER_ROW_H
#define CADENCE_DB_RUNNER_ROW_H

#include <libpq-fe.h>

#include "core/arena.h"
#include "domain/runner.h"

#define RUNNER_COLUMNS \
    "u.id, u.email, COALESCE(u.name, '')," \
    " COALESCE(rp.units, 'km'), COALESCE(rp.first_day_of_week, 'mon')," \
    " COALESCE(rp.timezone, 'UTC')," \
    " (NOW() AT TIME ZONE COALESCE(rp.timezone, 'UTC'))::date," \
    " COALESCE(rp.weekly_distance, 0), COALESCE(rp.recent_race_distance, 0)," \
    " COALESCE(rp.recent_race_time, 0), COALESCE(u.strava_athlete_id, 0)," \
    " COALESCE((SELECT v.version FROM user_data_versions v" \
    "            WHERE v.user_id = u.id), 0)," \
    " u.company_id, u.company_role, rc.name, rc.slug, rc.personal"
/* u is the users row; these name the profile (rp) and company (rc). */
#define RUNNER_JOINS \
    " LEFT JOIN athlete_profiles rp ON rp.user_id = u.id" \
    " JOIN companies rc ON rc.id = u.company_id"

enum { RU_ID, RU_EMAIL, RU_NAME, RU_UNITS, RU_FIRST_DAY, RU_TZ, RU_TODAY,
	RU_WEEKLY, RU_RACE_M, RU_RACE_S, RU_ATHLETE, RU_VERSION,
	RU_COMPANY_ID, RU_COMPANY_ROLE, RU_COMPANY_NAME, RU_COMPANY_SLUG,
	RU_COMPANY_PERSONAL, RU__MAX };

/* The runner of row's columns col0 .. col0 + RU__MAX - 1, in the arena. */
struct runner	*runner_row_read(arena_t *, const PGresult *, int row,
		    int col0);

#endif
