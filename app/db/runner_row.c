/* runner_row: see runner_row.h. */
#include <stdlib.h>

#include "db/db.h"
#include "db/runner_row.h"

struct runner *
runner_row_read(arena_t *a, const PGresult *r, int row, int col0)
{
	struct runner *u = arena_alloc(a, sizeof(*u));

	u->id = db_strdup(a, r, row, col0 + RU_ID);
	u->email = db_strdup(a, r, row, col0 + RU_EMAIL);
	u->name = db_strdup(a, r, row, col0 + RU_NAME);
	u->units = db_strdup(a, r, row, col0 + RU_UNITS);
	u->first_day = db_strdup(a, r, row, col0 + RU_FIRST_DAY);
	u->timezone = db_strdup(a, r, row, col0 + RU_TZ);
	u->today = db_strdup(a, r, row, col0 + RU_TODAY);
	u->weekly_distance = db_long(r, row, col0 + RU_WEEKLY);
	u->recent_race_distance = db_long(r, row, col0 + RU_RACE_M);
	u->recent_race_time = db_long(r, row, col0 + RU_RACE_S);
	u->strava_athlete_id = db_long(r, row, col0 + RU_ATHLETE);
	u->data_version = strtoll(db_val(r, row, col0 + RU_VERSION), NULL, 10);
	u->company_id = db_strdup(a, r, row, col0 + RU_COMPANY_ID);
	u->company_role = db_strdup(a, r, row, col0 + RU_COMPANY_ROLE);
	u->company_name = db_strdup(a, r, row, col0 + RU_COMPANY_NAME);
	u->company_slug = db_strdup(a, r, row, col0 + RU_COMPANY_SLUG);
	u->company_personal = db_bool(r, row, col0 + RU_COMPANY_PERSONAL);
	return u;
}
