/*
 * Heart rates (POST /settings/heart-rate): the runner's maximum and
 * threshold heart rate, both optional, for scoring runs by heart rate
 * when their pace says nothing.  Saving them scores every run again (a
 * trigger of sql/021 queues the job).  An error shows the card alone
 * with the messages (422).  Cost: the session + 1.
 */
#include <stdio.h>

#include "db/fitness.h"
#include "pages/pages.h"
#include "pages/settings_hr.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"
#include "core/util.h"

json_t *
settings_hr_json(struct request *req)
{
	struct fitness_profile	 f;
	json_t			*form = json_object();
	char			 v[16];

	if (fitness_load_profile(req->db, req->runner->id, &f) == -1) {
		json_decref(form);
		return NULL;
	}
	if (f.max_hr > 0) {
		snprintf(v, sizeof(v), "%d", f.max_hr);
		fd_value(form, "max_hr", v);
	}
	if (f.threshold_hr > 0) {
		snprintf(v, sizeof(v), "%d", f.threshold_hr);
		fd_value(form, "threshold_hr", v);
	}
	return form;
}

/* A heart rate field: empty is 0; false (message set) when bad. */
static bool
read_hr(json_t *form, const char *field, const char *v, int lo, int hi,
    int *out)
{
	char msg[96];

	*out = 0;
	fd_value(form, field, v);
	if (*v == '\0' || parse_int(v, lo, hi, out))
		return true;
	snprintf(msg, sizeof(msg), "Give beats per minute from %d to %d, or "
	    "leave it empty.", lo, hi);
	fd_error(form, field, msg);
	return false;
}

int
page_settings_heart_rate(struct request *req, struct response *res)
{
	json_t	*form = json_object();
	int	 max, lthr, rc;
	bool	 ok;

	ok = read_hr(form, "max_hr", req_form(req, "max_hr"), HR_MAX_MIN,
	    HR_MAX_MAX, &max);
	ok = read_hr(form, "threshold_hr", req_form(req, "threshold_hr"),
	    HR_THRESHOLD_MIN, HR_THRESHOLD_MAX, &lthr) && ok;
	if (ok && max > 0 && lthr >= max) {
		fd_error(form, "threshold_hr", "Your threshold heart rate is "
		    "below your maximum: check both.");
		ok = false;
	}
	if (!ok)
		return view_page(req, res, 422, "settings_heart_rate",
		    json_pack("{s:{s:b}, s:o}", "nav", "settings", 1,
		    "heart_rate", form));
	json_decref(form);
	if ((rc = fitness_save_heart_rates(req->db, req->runner->id, max,
	    lthr)) == -1)
		return -1;
	view_flash(req, res, "heart_rates_saved");
	resp_redirect(req, res, "/settings");
	return 0;
}
