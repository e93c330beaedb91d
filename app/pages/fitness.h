/*
 * pages/fitness: what the fitness page shares with the dashboard and the
 * plan page (pages/fitness.c).
 */
#ifndef CADENCE_PAGES_FITNESS_H
#define CADENCE_PAGES_FITNESS_H

#include <jansson.h>

#include "web/http.h"

/*
 * The dashboard's fitness card: sets data's "fitness" (today's figures
 * and the chart's text, or null before any run) and *svg, the small
 * chart (NULL: none) for the slot "fitness-small".  0, or -1.
 */
int	 fitness_card(struct request *, json_t *data, const char **svg);
/*
 * The pending proposal of plan_id (NULL: the active plan) as templates
 * show it ({url, summary, title, paces}), or JSON null; NULL on error.
 */
json_t	*fitness_pending_json(struct request *, const char *plan_id);

#endif
