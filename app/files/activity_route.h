/*
 * activity_route: what a run's page shows, cut from its points, for
 * every source that has points (uploaded files, Garmin's activity
 * details): the route as an encoded polyline and the laps and splits.
 * Pure: no I/O; results in the caller's arena.
 */
#ifndef CADENCE_ACTIVITY_ROUTE_H
#define CADENCE_ACTIVITY_ROUTE_H

#include "core/arena.h"
#include "domain/splits.h"
#include "files/activity_file.h"

#define AF_ROUTE_POINTS_MAX	500	/* points kept in the route's polyline */

/*
 * The route of a as an encoded polyline of at most AF_ROUTE_POINTS_MAX of
 * its positioned points (evenly taken), or NULL with fewer than two.
 */
const char	*af_route_polyline(arena_t *, const struct af_activity *a);
/*
 * a's laps (distance, timer or else elapsed time, average heart rate) and
 * its splits per kilometre and per mile cut from the points (af_splits),
 * as the splits JSON and activity_laps rows store them.
 */
struct run_splits *af_run_splits(arena_t *, const struct af_activity *a);

#endif
