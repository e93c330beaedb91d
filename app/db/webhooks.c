/* webhooks: see webhooks.h. */
#include <inttypes.h>
#include <stdio.h>

#include "db/db.h"
#include "db/webhooks.h"

static const struct db_stmt q_delete_seen = DB_STMT("fetch_delete_seen",
    "SELECT 1 FROM strava_webhook_events"
    " WHERE strava_athlete_id = $1 AND object_type = 'activity'"
    "   AND object_id = $2 AND aspect_type = 'delete' LIMIT 1");

int
db_webhooks_delete_seen(struct db *db, int64_t athlete_id, int64_t object_id)
{
	char		 athlete[24], object[24];
	const char	*p[2] = { athlete, object };

	snprintf(athlete, sizeof(athlete), "%" PRId64, athlete_id);
	snprintf(object, sizeof(object), "%" PRId64, object_id);
	return db_exists(db, &q_delete_seen, 2, p);
}
