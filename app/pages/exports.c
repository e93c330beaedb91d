/*
 * Exports of a plan: the iCalendar feed calendar apps subscribe to, at a
 * secret address the runner can reset, and the CSV training log.
 *
 * The feed has no session (calendar apps send no cookies): the plan id
 * and a 256-bit token in the URL are the credential.  The token is not
 * stored: it is a keyed hash of the plan id and a nonce the runner can
 * replace (core/secret.h), compared in constant time; a wrong one
 * answers exactly like a missing plan (404).  Addresses made before
 * that are checked against their stored SHA-256 (sql/012).  Cost: 1
 * query for the nonce (db/plans.c) + PV_QUERIES.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/secret.h"
#include "core/util.h"
#include "db/plans.h"
#include "domain/csv.h"
#include "domain/ical.h"
#include "pages/pages.h"
#include "pages/plan_pages.h"
#include "view/plan_format.h"
#include "view/view.h"
#include "web/session.h"

#define NONCE_BYTES	16

const char *
plan_feed_token(struct request *req, const char *plan_id, const char *nonce)
{
	char mac[SECRET_MAC_HEX];

	if (nonce == NULL || !secret_mac_hex(req->cfg, SECRET_ICS_FEED,
	    arena_printf(req->arena, "%s:%s", plan_id, nonce), mac))
		return NULL;
	return arena_strdup(req->arena, mac);
}

/* POST /plans/{id}/calendar-token: a new feed address; the old one dies. */
int
page_plan_calendar_token(struct request *req, struct response *res)
{
	unsigned char	 raw[NONCE_BYTES];
	char		 nonce[NONCE_BYTES * 2 + 1];
	int		 rc;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(nonce, sizeof(nonce), raw, sizeof(raw));
	if ((rc = plans_reset_feed_nonce(req->db, req->runner->id, req->cap[0],
	    nonce)) != 1) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	view_flash(req, res, "calendar_token_reset");
	resp_redirect(req, res, arena_printf(req->arena, "/plans/%s",
	    req->cap[0]));
	return 0;
}

/* One all-day event per workout; UID from the workout id, so stable. */
static void
write_feed(struct request *req, const struct plan_view *pv, enum unit u,
    buf_t *out)
{
	arena_t		*a = req->arena;
	buf_t		 summary = BUF_INIT;
	int64_t		 now = (int64_t)time(NULL);
	size_t		 i;

	ical_begin(out, arena_printf(a, "Cadence: %s", pv->name));
	for (i = 0; i < pv->nworkouts; i++) {
		const struct pv_workout	*w = &pv->workouts[i];
		struct ical_event	 ev;

		buf_reset(&summary);
		buf_printf(&summary, "%s %s", w->type_name,
		    pf_distance(a, w->distance_m, u));
		memset(&ev, 0, sizeof(ev));
		ev.id = w->id;
		ev.date = w->date;
		ev.summary = buf_cstr(&summary);
		ev.description = pf_description(a, w->description, u);
		ev.pace = pf_pace_range(a, w->pace_fast, w->pace_slow, u);
		ev.url = req->cfg != NULL && req->cfg->base_url[0] ?
		    arena_printf(a, "%s/workouts/%s", req->cfg->base_url, w->id) :
		    NULL;
		ev.updated = w->updated;
		ical_event(out, &ev, now);
	}
	ical_end(out);
	buf_free(&summary);
}

/* GET /plans/{id}/calendar.ics?token=T (no session). */
int
page_plan_ics(struct request *req, struct response *res)
{
	const char		*token = req_query(req, "token"), *want;
	struct plan_feed	 feed;
	struct plan_view	 pv;
	bool			 ok;
	int			 rc;

	if ((rc = plans_load_feed(req->db, req->arena, req->cap[0], token,
	    &feed)) == -1)
		return -1;
	ok = rc == 1 && strlen(token) == SECRET_MAC_HEX - 1;
	if (ok) {
		want = plan_feed_token(req, req->cap[0], feed.nonce);
		ok = (want != NULL && str_equal_ct(token, want)) ||
		    feed.legacy_token;
	}
	if (!ok) {
		view_error(req, res, 404, NULL);
		return 0;
	}
	rc = plan_view_load(req->db, req->arena, feed.user_id, req->cap[0],
	    PV_NO_DATE, 0, 0, &pv);
	if (rc <= 0) {
		if (rc == 0)
			view_error(req, res, 404, NULL);
		return rc;
	}
	buf_reset(&res->body);
	write_feed(req, &pv, feed.unit, &res->body);
	res->status = 200;
	res->content_type = "text/calendar; charset=utf-8";
	resp_header(res, req->arena, "Content-Disposition",
	    "inline; filename=\"cadence-plan.ics\"");
	res->no_store = true;
	return 0;
}

static void
csv_header(csv_t *c, enum unit u)
{
	static const char *const cols[] = {
		"Date", "Week", "Type", NULL, "Pace", "Description", "State",
		NULL, "Compliance %",
	};
	size_t i;

	for (i = 0; i < NELEM(cols); i++)
		csv_field_text(c, cols[i] != NULL ? cols[i] : i == 3 ?
		    (u == UNIT_MI ? "Planned (mi)" : "Planned (km)") :
		    (u == UNIT_MI ? "Actual (mi)" : "Actual (km)"));
	csv_end_row(c);
}

/* Metres as the unit with two decimals (csv_field_fixed, hundredths). */
static void
csv_distance(csv_t *c, int64_t metres, enum unit u)
{
	double per = u == UNIT_MI ? METRES_PER_MILE : 1000.0;

	csv_field_fixed(c, (int64_t)(metres * 100.0 / per + 0.5), 2);
}

/* GET /plans/{id}/export.csv: one row per workout with its result. */
int
page_plan_csv(struct request *req, struct response *res)
{
	struct plan_view	 pv;
	enum unit		 u = pf_unit(req->subject);
	csv_t			 c;
	char			 day[11];
	size_t			 i;
	int			 rc;

	if ((rc = plan_page_load(req, res, &pv)) <= 0)
		return rc;
	buf_reset(&res->body);
	csv_init(&c, &res->body);
	csv_header(&c, u);
	for (i = 0; i < pv.nworkouts; i++) {
		const struct pv_workout *w = &pv.workouts[i];

		date_format(w->date, day);
		csv_field_text(&c, day);
		csv_field_int(&c, w->week_number);
		csv_field_text(&c, w->type_name);
		csv_distance(&c, w->distance_m, u);
		csv_field_text(&c, pf_pace_range(req->arena, w->pace_fast,
		    w->pace_slow, u));
		csv_field_text(&c, pf_description(req->arena, w->description, u));
		csv_field_text(&c, pf_state_label(w->comp.state));
		if (w->nlinks > 0)
			csv_distance(&c, w->actual_m, u);
		else
			csv_field_text(&c, NULL);
		if (w->nlinks > 0 && w->comp.percent >= 0)
			csv_field_int(&c, w->comp.percent);
		else
			csv_field_text(&c, NULL);
		csv_end_row(&c);
	}
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	resp_header(res, req->arena, "Content-Disposition",
	    "attachment; filename=\"cadence-plan.csv\"");
	res->no_store = true;
	return 0;
}
