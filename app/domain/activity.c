/* activity: see activity.h. */
#include <string.h>

#include "domain/activity.h"

#define SPORT_IS_(type)	strcmp(sport_type, #type) == 0

bool
sport_is_run(const char *sport_type)
{
	return sport_type != NULL && (RUN_SPORT_TYPES(SPORT_IS_, ||));
}
