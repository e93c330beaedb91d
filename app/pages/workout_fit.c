/*
 * "Download for my watch" (issue 17.1): GET /workouts/{id}/workout.fit,
 * the workout as a FIT workout file (files/fit.h's encoder) of the steps
 * domain/workout_spec.h reads from it, for any FIT-capable watch to
 * import.  Whoever may read the workout may download it (the runner,
 * their club's owner and coaches: db/access.h); anyone else gets 404.
 * Cost: the session, the access check and the workout page's load.
 */
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "db/workouts.h"
#include "domain/runner.h"
#include "domain/workout_spec.h"
#include "files/fit.h"
#include "pages/pages.h"
#include "view/plan_format.h"
#include "view/view.h"

/* "Cadence Tempo 2026-12-03" (the FIT name field holds 31 bytes). */
static const char *
fit_name(arena_t *a, const struct pv_workout *w)
{
	char day[11];

	date_format(w->date, day);
	return arena_printf(a, "Cadence %.10s %s", w->type_name, day);
}

int
page_workout_fit(struct request *req, struct response *res)
{
	struct workout_page	 wp;
	struct pv_workout	*w = &wp.workout;
	struct ws_workout	 steps;
	char			 err[128], day[11];
	int			 rc;

	if ((rc = workouts_load_page(req->db, req->arena, req->subject->id,
	    req->cap[0], pf_today(req->subject), &wp)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	buf_reset(&res->body);
	if (workout_steps_of(w->type_key, w->distance_m, w->pace_fast,
	    w->pace_slow, w->description, &steps, err, sizeof(err)) == -1 ||
	    fit_workout_encode(&steps, fit_name(req->arena, w),
	    (int64_t)time(NULL), &res->body, err, sizeof(err)) == -1) {
		view_error(req, res, 409, arena_printf(req->arena, "This "
		    "workout cannot be written as steps: %s.", err));
		return 0;
	}
	date_format(w->date, day);
	res->status = 200;
	res->content_type = "application/vnd.ant.fit";
	resp_header(res, req->arena, "Content-Disposition", arena_printf(
	    req->arena, "attachment; filename=\"cadence-%s-%s.fit\"", day,
	    w->type_key));
	res->no_store = true;
	return 0;
}
