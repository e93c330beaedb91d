/*
 * Invitation links (issue 18): the owner's page of them, and joining.
 *
 *	GET  /c/{slug}/invitations		the owner: invitations and
 *						the form for a new one
 *	POST /c/{slug}/invitations		role, label: a new link,
 *						shown once on the answer
 *	POST /c/{slug}/invitations/{id}/revoke	before anyone uses it
 *	GET  /c/{slug}/join?t=TOKEN		what the link offers: sign up
 *						or sign in, then join
 *	POST /c/{slug}/join			t: join (signed in)
 *
 * A link is /c/{slug}/join?t= and 256 random bits; only their SHA-256 is
 * stored, so the database cannot hand a link out again.  The token rides
 * in the query string and the form, never the path (nginx and the
 * request log keep paths, not query strings).  It opens only its own
 * club (the slug is part of the check), once, for INVITATION_TTL_DAYS,
 * and joining takes a signed-in runner's explicit POST: a new runner
 * signs up from the link, signs in, and lands back on it.
 */
#include <string.h>

#include "core/config.h"
#include "core/token.h"
#include "core/util.h"
#include "domain/runner.h"
#include "pages/clubs.h"
#include "pages/account.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/plan_format.h"
#include "view/view.h"

static const struct option role_options[] = {
	{ "athlete", "Athlete: their coaches see their training" },
	{ "coach", "Coach: sees the club's athletes" },
};

/* By enum invitation_state. */
static const char *const state_keys[] = {
	"pending", "accepted", "expired", "revoked",
};
static const char *const state_labels[] = {
	"Waiting", "Accepted", "Expired", "Revoked",
};

/* The hash of token, in the arena. */
static const char *
hash_of(arena_t *a, const char *token)
{
	char *hex = arena_alloc(a, TOKEN_HEX_LEN);

	token_hash(token, hex);
	return hex;
}

static const char *
join_path(arena_t *a, const char *slug, const char *token)
{
	return arena_printf(a, "/c/%s/join?t=%s", slug, token);
}

/* ---- the owner's page ---------------------------------------------------- */

static json_t *
invitation_json(struct request *req, const struct invitation *v)
{
	arena_t *a = req->arena;

	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s?, s:b}",
	    "id", v->id, "role_label", club_role_label(v->role),
	    "label", *v->label ? v->label : NULL,
	    "state", state_keys[v->state],
	    "state_label", state_labels[v->state],
	    "created_label", pf_date(a, v->created, DS_SHORT),
	    "expires_label", pf_date(a, v->expires, DS_SHORT),
	    "accepted_by", v->accepted_by,
	    "revocable", v->state == INVITATION_PENDING);
}

/* The page; link: a new invitation's, shown this once (or NULL). */
static int
show_invitations(struct request *req, struct response *res, int status,
    json_t *form, json_t *link)
{
	struct invitation	*v;
	json_t			*list;
	int			 i, n;

	if ((n = clubs_invitations(req->db, req->arena,
	    req->access->company.id, &v)) < 0) {
		json_decref(form);
		json_decref(link);
		return -1;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, invitation_json(req, &v[i]));
	return view_page(req, res, status, "club_invitations", json_pack(
	    "{s:o, s:o, s:o, s:b, s:o, s:i, s:{s:b}, s:b, s:b}",
	    "club", club_json(req, &req->access->company), "form", form,
	    "new_link", link ? link : json_null(),
	    "has_invitations", n > 0, "invitations", list,
	    "ttl_days", INVITATION_TTL_DAYS, "nav", "club", 1,
	    "nav_invitations", 1, "is_owner", 1));
}

static json_t *
empty_form(void)
{
	json_t *form = json_object();

	fd_options(form, "role", role_options, NELEM(role_options), "athlete");
	return form;
}

int
page_club_invitations(struct request *req, struct response *res)
{
	return show_invitations(req, res, 200, empty_form(), NULL);
}

int
page_club_invite(struct request *req, struct response *res)
{
	const char	*role = req_form(req, "role"), *label = req_form(req,
			    "label"), *id;
	char		 token[TOKEN_HEX_LEN];
	json_t		*form = json_object();

	fd_options(form, "role", role_options, NELEM(role_options),
	    strcmp(role, "coach") == 0 ? "coach" : "athlete");
	fd_value(form, "label", label);
	if (strcmp(role, "coach") != 0 && strcmp(role, "athlete") != 0)
		fd_error(form, "role", "Choose athlete or coach.");
	if (!club_line_ok(label, INVITATION_LABEL_MAX))
		fd_error(form, "label", "Use at most 120 characters, on one "
		    "line.");
	if (fd_has_errors(form))
		return show_invitations(req, res, 422, form, NULL);
	token_new(token);
	switch (clubs_invite(req->db, req->arena, req->access->company.id,
	    req->runner->id, access_role(role), label, hash_of(req->arena,
	    token), &id)) {
	case 1:
		break;
	case 0:
		fd_error(form, "role", "50 links are waiting already: withdraw "
		    "some first.");
		return show_invitations(req, res, 422, form, NULL);
	default:
		json_decref(form);
		return -1;
	}
	json_decref(form);
	/* The only time the link exists outside the owner's hands. */
	return show_invitations(req, res, 201, empty_form(), json_pack(
	    "{s:s, s:s, s:s?}", "url", arena_printf(req->arena, "%s%s",
	    req->cfg != NULL ? req->cfg->base_url : "", join_path(req->arena,
	    req->access->company.slug, token)), "role_label",
	    club_role_label(access_role(role)), "label", *label ? label : NULL));
}

int
page_club_invitation_revoke(struct request *req, struct response *res)
{
	int rc = clubs_revoke(req->db, req->access->company.id, req->cap[1]);

	if (rc != 1) {
		if (rc == 0)	/* not this club's, or used already */
			view_error(req, res, 404, NULL);
		return rc == 0 ? 0 : -1;
	}
	view_flash(req, res, "invitation_revoked");
	resp_redirect(req, res, arena_printf(req->arena, "/c/%s/invitations",
	    req->access->company.slug));
	return 0;
}

/* ---- joining ------------------------------------------------------------- */

static int
invalid_link(struct request *req, struct response *res)
{
	view_error(req, res, 404, "This invitation link does not work: it "
	    "was used already, withdrawn, or it expired. Ask the club for a "
	    "new one.");
	return 0;
}

/* The token of the link (query) or of the join form; NULL if malformed. */
static const char *
request_token(const struct request *req)
{
	const char *t = req_form(req, "t");

	if (*t == '\0')
		t = req_query(req, "t");
	return token_valid(t) ? t : NULL;
}

int
page_join(struct request *req, struct response *res)
{
	const char		*t = request_token(req), *here;
	struct invitation_offer	 o;
	json_t			*leads, *data;
	int			 rc;

	if (t == NULL)
		return invalid_link(req, res);
	if ((rc = clubs_offer(req->db, req->arena, req->cap[0],
	    hash_of(req->arena, t), &o)) != 1)
		return rc == 0 ? invalid_link(req, res) : -1;
	if ((leads = club_leads_json(req, o.company.id)) == NULL)
		return -1;
	here = join_path(req->arena, o.company.slug, t);
	/* club_name too: within {{#user}}, club means the runner's own. */
	data = json_pack("{s:o, s:s, s:s, s:s?, s:s, s:b, s:o, s:s, s:s, s:s,"
	    " s:s}", "club", club_json(req, &o.company), "club_name",
	    o.company.name,
	    "role_label", club_role_label(o.role), "invited_by", o.invited_by,
	    "expires_label", pf_date(req->arena, o.expires, DS_FULL),
	    "as_athlete", o.role == ROLE_ATHLETE, "leads", leads,
	    "token", t, "next", here, "join_url", arena_printf(req->arena,
	    "/c/%s/join", o.company.slug), "login_url", arena_printf(req->arena,
	    "/login?next=%s", http_query_encode(req->arena, here)));
	if (req->runner != NULL && !req->runner->company_personal)
		json_object_set_new(data, "current_club", json_pack("{s:s, s:s}",
		    "name", req->runner->company_name, "url", arena_printf(
		    req->arena, "/c/%s/", req->runner->company_slug)));
	/* The sign-up form of the join page: UTC until the browser says. */
	json_object_set_new(data, "form", json_pack("{s:{s:s}}", "timezone",
	    "value", "UTC"));
	json_object_set_new(data, "timezones", account_timezones_json("UTC"));
	return view_page(req, res, 200, "join", data);
}

int
page_join_post(struct request *req, struct response *res)
{
	const char *t = request_token(req);

	if (req->runner == NULL) {	/* signed out: sign in, come back */
		resp_redirect(req, res, t == NULL ? "/login" : arena_printf(
		    req->arena, "/login?next=%s", http_query_encode(req->arena,
		    join_path(req->arena, req->cap[0], t))));
		return 0;
	}
	if (t == NULL)
		return invalid_link(req, res);
	switch (clubs_join(req->db, req->cap[0], hash_of(req->arena, t),
	    req->runner->id)) {
	case CLUBS_JOINED:
		view_flash(req, res, "club_joined");
		resp_redirect(req, res, arena_printf(req->arena, "/c/%s/",
		    req->cap[0]));
		return 0;
	case CLUBS_JOIN_NOT_ALONE:
		view_error(req, res, 409, "You are a member of a club already: "
		    "leave it first (from its page), then use the link again.");
		return 0;
	case CLUBS_JOIN_INVALID:
		return invalid_link(req, res);
	default:
		return -1;
	}
}
