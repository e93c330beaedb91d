/*
 * Clubs (issue 18): starting one, its page, its members, leaving it.
 *
 *	GET/POST /clubs/new		a runner on their own starts a club
 *					and becomes its owner
 *	GET  /c/{slug}/			owner and coaches: the roster, who
 *					needs attention first; athletes: who
 *					can see their data, and leaving
 *	GET  /c/{slug}/members		owner and coaches: everyone, by role
 *	POST /c/{slug}/members/{id}/remove	the owner removes a member
 *	POST /c/{slug}/leave		a coach or athlete leaves
 *
 * The club of the URL comes granted by the access layer
 * (req->access->company, server/routes.c); every call below is scoped to
 * it.  Leaving or being removed moves no data: the runner keeps all of
 * theirs, and their coaches stop seeing it at once.
 * Cost of the roster: the session, the access check and ROSTER_QUERIES,
 * whatever the club's size.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/roster.h"
#include "domain/runner.h"
#include "pages/clubs.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/plan_format.h"
#include "view/view.h"

const char *
club_role_label(enum company_role r)
{
	return r == ROLE_OWNER ? "Owner" : r == ROLE_COACH ? "Coach" :
	    "Athlete";
}

json_t *
club_json(struct request *req, const struct company *c)
{
	return json_pack("{s:s, s:s, s:s}", "name", c->name, "slug", c->slug,
	    "url", arena_printf(req->arena, "/c/%s/", c->slug));
}

json_t *
club_leads_json(struct request *req, const char *company_id)
{
	struct club_member	*m;
	json_t			*list;
	int			 i, n;

	if ((n = clubs_members(req->db, req->arena, company_id, true, &m)) < 0)
		return NULL;
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "name",
		    m[i].name, "role_label", club_role_label(m[i].role)));
	return list;
}

bool
club_viewer_leads(const struct request *req)
{
	enum company_role r = access_role(req->runner->company_role);

	return !req->runner->company_personal && (r == ROLE_OWNER ||
	    r == ROLE_COACH);
}

size_t
club_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool
club_line_ok(const char *s, size_t max)
{
	return utf8_text_ok(s, strlen(s), false) && club_chars(s) <= max;
}

/* ---- starting a club ----------------------------------------------------- */

/* "Harbour Runners!" -> "harbour-runners": a slug proposal ("" if none). */
static char *
slug_from(arena_t *a, const char *name)
{
	char	*s = arena_alloc(a, SLUG_MAX + 1);
	size_t	 n = 0;

	for (; *name != '\0' && n < SLUG_MAX; name++) {
		char c = *name;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[n++] = c;
		else if (n > 0 && s[n - 1] != '-')
			s[n++] = '-';
	}
	while (n > 0 && s[n - 1] == '-')
		n--;
	s[n] = '\0';
	return s;
}

static int
show_new(struct request *req, struct response *res, int status, json_t *form)
{
	const struct runner *r = req->runner;

	return view_page(req, res, status, "club_new", json_pack(
	    "{s:o, s:o, s:o, s:{s:b}}", "form", form,
	    "form_error", fd_has_errors(form) ? json_string("Some fields need "
	    "attention: see the messages below them.") : json_null(),
	    "current", r->company_personal ? json_null() : json_pack(
	    "{s:s, s:s}", "name", r->company_name, "url", arena_printf(
	    req->arena, "/c/%s/", r->company_slug)), "nav", "club", 1));
}

int
page_club_new(struct request *req, struct response *res)
{
	return show_new(req, res, 200, json_object());
}

int
page_club_new_post(struct request *req, struct response *res)
{
	const char	*name = req_form(req, "name");
	const char	*slug = req_form(req, "slug");
	json_t		*form = json_object();

	if (*slug == '\0')
		slug = slug_from(req->arena, name);
	fd_value(form, "name", name);
	fd_value(form, "slug", slug);
	if (*name == '\0' || !club_line_ok(name, CLUB_NAME_MAX))
		fd_error(form, "name", "Give the club a name of at most 120 "
		    "characters, on one line.");
	if (!slug_valid(slug))
		fd_error(form, "slug", "Use 3 to 40 lower-case letters, digits "
		    "and single hyphens, like harbour-runners.");
	if (fd_has_errors(form))
		return show_new(req, res, 422, form);
	switch (clubs_create(req->db, req->runner->id, name, slug)) {
	case CLUBS_CREATED:
		json_decref(form);
		view_flash(req, res, "club_created");
		resp_redirect(req, res, arena_printf(req->arena, "/c/%s/",
		    slug));
		return 0;
	case CLUBS_SLUG_TAKEN:
		fd_error(form, "slug", "That address is taken: choose another.");
		return show_new(req, res, 422, form);
	case CLUBS_NOT_ALONE:
		fd_error(form, "name", "You are in a club already: leave it "
		    "before starting another.");
		return show_new(req, res, 409, form);
	default:
		json_decref(form);
		return -1;
	}
}

/* ---- the roster ---------------------------------------------------------- */

/* "today", "yesterday", "5 days ago"; none when n < 0. */
static const char *
days_ago(arena_t *a, int n, const char *none)
{
	if (n < 0)
		return none;
	return n == 0 ? "today" : n == 1 ? "yesterday" :
	    arena_printf(a, "%d days ago", n);
}

static const char *
strava_label(const struct roster_input *in)
{
	return in->strava_needs_reconnect ? "Strava needs reconnecting" :
	    in->strava_connected ? "Strava connected" : "Strava not connected";
}

static json_t *
reasons_json(const struct roster_status *st)
{
	json_t	*list = json_array();
	int	 r;

	for (r = 0; r < RR__MAX; r++)
		if (st->reasons & (1u << r))
			json_array_append_new(list, json_pack("{s:s}", "text",
			    roster_reason_text((enum roster_reason)r)));
	return list;
}

static json_t *
athlete_json(struct request *req, const struct roster_athlete *x,
    const struct roster_status *st, enum unit u)
{
	arena_t *a = req->arena;

	return json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s?, s:s?,"
	    " s:i, s:i, s:s, s:s, s:s, s:b, s:o}",
	    "name", x->name,
	    "url", arena_printf(a, "/c/%s/athletes/%s",
	    req->access->company.slug, x->id),
	    "plan_name", x->plan_name,
	    "plan_url", x->plan_id ? arena_printf(a, "/plans/%s", x->plan_id) :
	    NULL, "race_label", x->plan_id ? pf_date(a, x->race_date, DS_FULL) :
	    NULL,
	    "planned_label", pf_distance(a, (int)st->week_planned_m, u),
	    "done_label", pf_distance(a, (int)st->week_done_m, u),
	    "percent_label", st->due_percent >= 0 ? arena_printf(a, "%d%%",
	    st->due_percent) : NULL,
	    "compliance_class", pf_colour(st->colour),
	    "missed_key", st->missed_key, "missed", st->missed,
	    "run_label", days_ago(a, x->in.days_since_run, "no run yet"),
	    "sync_label", days_ago(a, x->days_since_sync, "never"),
	    "strava_label",
	    strava_label(&x->in), "needs_attention", st->reasons != 0,
	    "reasons", reasons_json(st));
}

/* Roster rows in the order a coach works through them. */
struct ranked {
	const struct roster_athlete	*x;
	struct roster_status		 st;
	int				 order;	/* by name, from the query */
};

static int
by_attention(const void *p, const void *q)
{
	const struct ranked *a = p, *b = q;

	if (a->st.score != b->st.score)
		return a->st.score > b->st.score ? -1 : 1;
	return a->order - b->order;
}

static int
show_roster(struct request *req, struct response *res)
{
	date_t			 today = pf_today(req->runner);
	struct roster_athlete	*xs;
	struct ranked		*rk;
	json_t			*list;
	int			 i, n, attention = 0;

	if ((n = roster_load(req->db, req->arena, req->access->company.id,
	    today - ROSTER_WINDOW_BEFORE, today + ROSTER_WINDOW_AFTER,
	    &xs)) < 0)
		return -1;
	rk = arena_alloc(req->arena, sizeof(*rk) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		rk[i].x = &xs[i];
		rk[i].order = i;
		roster_evaluate(&xs[i].in, &rk[i].st);
		attention += rk[i].st.reasons != 0;
	}
	qsort(rk, (size_t)n, sizeof(*rk), by_attention);
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, athlete_json(req, rk[i].x,
		    &rk[i].st, pf_unit(req->runner)));
	return view_page(req, res, 200, "club_roster", json_pack(
	    "{s:o, s:b, s:b, s:i, s:i, s:o, s:{s:b}, s:b}",
	    "club", club_json(req, &req->access->company),
	    "is_owner", access_role(req->runner->company_role) == ROLE_OWNER,
	    "has_athletes", n > 0, "athletes_count", n,
	    "attention_count", attention, "athletes", list, "nav", "club", 1,
	    "nav_roster", 1));
}

/* An athlete's view of their club: who sees their data; leaving. */
static int
show_membership(struct request *req, struct response *res)
{
	json_t *leads = club_leads_json(req, req->access->company.id);

	if (leads == NULL)
		return -1;
	return view_page(req, res, 200, "club_home", json_pack(
	    "{s:o, s:s, s:o, s:{s:b}}",
	    "club", club_json(req, &req->access->company),
	    "role_label", club_role_label(access_role(
	    req->runner->company_role)), "leads", leads, "nav", "club", 1));
}

int
page_club(struct request *req, struct response *res)
{
	return club_viewer_leads(req) ? show_roster(req, res) :
	    show_membership(req, res);
}

/* ---- members ------------------------------------------------------------- */

int
page_club_members(struct request *req, struct response *res)
{
	struct club_member	*m;
	bool			 owner = access_role(
				    req->runner->company_role) == ROLE_OWNER;
	json_t			*list;
	int			 i, n;

	if ((n = clubs_members(req->db, req->arena, req->access->company.id,
	    false, &m)) < 0)
		return -1;
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack(
		    "{s:s, s:s, s:s, s:s, s:b, s:b}", "id", m[i].id,
		    "name", m[i].name, "email", m[i].email,
		    "role_label", club_role_label(m[i].role),
		    "is_athlete", m[i].role == ROLE_ATHLETE,
		    "removable", owner && m[i].role != ROLE_OWNER));
	return view_page(req, res, 200, "club_members", json_pack(
	    "{s:o, s:b, s:o, s:{s:b}, s:b}",
	    "club", club_json(req, &req->access->company), "is_owner", owner,
	    "members", list, "nav", "club", 1, "nav_members", 1));
}

int
page_club_member_remove(struct request *req, struct response *res)
{
	int rc = clubs_remove_member(req->db, req->access->company.id,
	    req->cap[1]);

	if (rc != 1) {
		if (rc == 0)	/* not a member, or the owner */
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	view_flash(req, res, "member_removed");
	resp_redirect(req, res, arena_printf(req->arena, "/c/%s/members",
	    req->access->company.slug));
	return 0;
}

int
page_club_leave(struct request *req, struct response *res)
{
	int rc;

	if (access_role(req->runner->company_role) == ROLE_OWNER) {
		view_error(req, res, 422, "The owner cannot leave the club: "
		    "it would have nobody to manage it.");
		return 0;
	}
	if ((rc = clubs_leave(req->db, req->runner->id,
	    req->access->company.id)) != 1) {
		if (rc == 0)	/* left already, from another page */
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	view_flash(req, res, "club_left");
	resp_redirect(req, res, "/");
	return 0;
}
