#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "view/mustache.h"
#include "view/view.h"
#include "domain/runner.h"
#include "web/http.h"

static mustache_set *templates;

int
view_init(const char *dir, char *err, size_t errlen)
{
	mustache_set	*set = mustache_set_new();
	mustache_err	 e;

	if (mustache_set_load_dir(set, dir, &e) == -1 ||
	    mustache_set_check(set, &e) == -1) {
		snprintf(err, errlen, "%s: %s", e.where, e.msg);
		mustache_set_free(set);
		return -1;
	}
	if (!mustache_set_has(set, "layout") || !mustache_set_has(set, "error")) {
		snprintf(err, errlen, "%s: the layout and error templates are "
		    "required", dir);
		mustache_set_free(set);
		return -1;
	}
	mustache_set_free(templates);
	templates = set;
	return 0;
}

void
view_free(void)
{
	mustache_set_free(templates);
	templates = NULL;
}

/*
 * Flash messages are keys into this table, never text from the client, so
 * a crafted cookie can at most pick another of these sentences.
 */
static const struct {
	const char	*key;
	const char	*kind;
	const char	*message;
} flashes[] = {
	{ "welcome", "success", "Welcome to Cadence! Your account is ready." },
	/* Sign-up says the same whether or not the email was taken. */
	{ "signup_done", "info", "Thanks! Now sign in with the email and "
	  "password you chose. (If that email already had a Cadence account, "
	  "nothing was changed: sign in with its own password.)" },
	{ "signup_attempted", "info", "Signed in. Someone, maybe you, tried "
	  "to create an account with your email; nothing was changed." },
	{ "signed_in", "success", "Signed in. Good to see you." },
	{ "signed_out", "info", "You are signed out." },
	{ "settings_saved", "success", "Settings saved." },
	{ "password_changed", "success",
	  "Password changed. Your other sessions were signed out." },
	{ "account_deleted", "info",
	  "Your account and all its data were deleted." },
	{ "plan_created", "success", "Your plan is ready." },
	{ "workout_moved", "success", "Workout moved. Its workout page shows "
	  "the date it was first planned for." },
	{ "plan_created_goal", "success", "Your plan is ready. Your goal time "
	  "is faster than your recent race and weekly distance suggest you "
	  "can run by race day, so the paces are set for the time your "
	  "training supports; keep the goal in mind and re-plan after your "
	  "next race." },
	{ "plan_activated", "success", "Plan activated." },
	{ "plan_renamed", "success", "Plan renamed." },
	{ "plan_deleted", "info", "Plan deleted." },
	{ "plan_updated", "success",
	  "Plan updated: future workouts were re-generated." },
	{ "workout_saved", "success", "Workout saved." },
	{ "workout_deleted", "info", "Workout removed." },
	{ "workout_added", "success", "Workout added." },
	{ "strava_connected", "success",
	  "Strava connected. Your runs are being imported." },
	{ "strava_disconnected", "info",
	  "Strava disconnected; your Strava data was deleted." },
	{ "garmin_connected", "success", "Garmin Connect connected." },
	{ "garmin_denied", "info", "Garmin access was not granted. You can "
	  "connect again at any time." },
	{ "garmin_disconnected", "info",
	  "Garmin disconnected; your Garmin data was deleted." },
	{ "calendar_token_reset", "success",
	  "Calendar link reset: the old link no longer works." },
	{ "activity_matched", "success", "Run matched to this workout." },
	{ "activity_unmatched", "info",
	  "Run unmatched: it will not be matched to this workout again." },
	{ "note_saved", "success", "Note saved." },
	{ "club_created", "success", "Your club is ready. Invite your "
	  "athletes and coaches from its Invitations page." },
	{ "club_joined", "success", "Welcome to the club." },
	{ "club_left", "info", "You left the club. Your training is yours "
	  "alone again: its coaches no longer see it." },
	{ "member_removed", "info", "Member removed: they no longer see the "
	  "club, and its coaches no longer see their training." },
	{ "invitation_revoked", "info", "Invitation withdrawn: its link no "
	  "longer works." },
	{ "comment_posted", "success", "Comment posted." },
	/* Mail (pages/mail_pages.h). */
	{ "password_reset", "success", "Your new password is set. Every "
	  "other session was signed out, and your email was told." },
	{ "notifications_saved", "success", "Email notifications saved." },
	{ "verify_sent", "info", "A new verification link is on its way to "
	  "your email." },
	{ "export_started", "info", "Your archive is being made. It will be "
	  "here in a moment, and we will email you a link." },
	{ "export_busy", "info", "An archive is being made already, or you "
	  "asked for several today: use the latest one." },
	{ "heart_rates_saved", "success",
	  "Heart rates saved: your runs are being scored again." },
	{ "adjustment_accepted", "success",
	  "Plan adjusted: the weeks ahead follow the new proposal." },
	{ "adjustment_declined", "info",
	  "Proposal declined: your plan stays as it was." },
	{ "source_switched", "success", "This run now uses the source you "
	  "chose, and keeps it when the others send it again." },
};

static json_t	*club_of(const struct runner *);

/* The runner as templates see them (user.*). */
static json_t *
runner_json(const struct runner *r)
{
	char		 initials[8] = "";
	const char	*n = r->name[0] ? r->name : r->email;
	size_t		 k = 0;
	const char	*p;

	/* First letters of up to two words, ASCII only (else skipped). */
	for (p = n; *p != '\0' && k < 2; p++)
		if ((p == n || p[-1] == ' ') && ((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z')))
			initials[k++] = (char)(*p & ~0x20);
	initials[k] = '\0';
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "id", r->id,
	    "email", r->email, "name", r->name[0] ? r->name : r->email,
	    "initials", initials, "units", r->units,
	    "strava_connected", r->strava_athlete_id != 0,
	    "club", club_of(r));
}

/* The runner's club, shown on every page of theirs; null for lone runners. */
static json_t *
club_of(const struct runner *r)
{
	if (r->company_personal || r->company_slug == NULL)
		return json_null();
	return json_pack("{s:s, s:s, s:s}", "name", r->company_name,
	    "slug", r->company_slug, "role", r->company_role);
}

/* A coach looking at an athlete's training: whose it is. */
static json_t *
viewing_json(struct request *req)
{
	const struct runner *s = req->subject;

	return json_pack("{s:s, s:s, s:s}", "name", s->name[0] ? s->name :
	    s->email, "club", s->company_name, "url", arena_printf(req->arena,
	    "/c/%s/athletes/%s", s->company_slug, s->id));
}

static json_t *
flash_json(const char *key)
{
	size_t i;

	if (key == NULL || *key == '\0')
		return NULL;
	for (i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++)
		if (strcmp(flashes[i].key, key) == 0)
			return json_pack("{s:s, s:s}", "message",
			    flashes[i].message, "kind", flashes[i].kind);
	return NULL;
}

void
view_flash(struct request *req, struct response *res, const char *key)
{
	char *cookie = arena_printf(req->arena, "flash=%s; Path=/; Max-Age=60; "
	    "HttpOnly; SameSite=Lax%s", key,
	    req->cfg != NULL && req->cfg->https ? "; Secure" : "");

	resp_header(res, req->arena, "Set-Cookie", cookie);
}

static void
add_common(struct request *req, json_t *data)
{
	const struct config	*cfg = req->cfg;
	json_t			*flash;

	json_object_set_new(data, "site", json_pack("{s:s, s:b, s:s}",
	    "name", "Cadence", "sandbox", cfg != NULL && cfg->sandbox,
	    "sandbox_url", cfg != NULL ? cfg->strava_oauth_base : ""));
	if (req->runner != NULL)
		json_object_set_new(data, "user", runner_json(req->runner));
	if (req->runner != NULL && req->subject != NULL &&
	    req->subject != req->runner)
		json_object_set_new(data, "viewing", viewing_json(req));
	if (req->csrf_token != NULL)
		json_object_set_new(data, "csrf_token",
		    json_string(req->csrf_token));
	if ((flash = flash_json(req->flash)) != NULL)
		json_object_set_new(data, "flash", flash);
}

static void
plain_500(struct response *res)
{
	resp_text(res, 500, "500 Internal Server Error: something went wrong "
	    "on our side. Please try again in a moment.\n");
}

int
view_page(struct request *req, struct response *res, int status,
    const char *tpl, json_t *data)
{
	mustache_err e;

	if (data == NULL)
		data = json_object();
	add_common(req, data);
	buf_reset(&res->body);
	res->status = status;
	res->html = true;
	res->content_type = "text/html; charset=utf-8";
	if (req->runner != NULL)
		res->no_store = true;
	if (templates == NULL ||
	    mustache_render(templates, tpl, data, &res->body, &e) == -1) {
		log_error("render %s: %s: %s", tpl, templates ? e.where : "",
		    templates ? e.msg : "no templates loaded");
		json_decref(data);
		if (strcmp(tpl, "error") != 0) {
			view_error(req, res, 500, NULL);
			return 0;
		}
		plain_500(res);
		return -1;
	}
	json_decref(data);
	return 0;
}

/* Replaces the first slot of name in the body with html. */
static void
fill_slot(struct request *req, struct response *res, const char *name,
    const char *html)
{
	const char	*slot = arena_printf(req->arena, "<div class=\"svg-slot\""
	    " data-slot=\"%s\"></div>", name);
	const char	*body = buf_cstr(&res->body), *at;
	buf_t		 out = BUF_INIT;

	if ((at = strstr(body, slot)) == NULL) {
		log_warn("render: no slot %s for its markup", name);
		return;
	}
	buf_add(&out, body, (size_t)(at - body));
	buf_puts(&out, html);
	buf_puts(&out, at + strlen(slot));
	buf_reset(&res->body);
	buf_add(&res->body, out.data, out.len);
	buf_free(&out);
}

int
view_page_markup(struct request *req, struct response *res, int status,
    const char *tpl, json_t *data, const struct view_markup *m, size_t n)
{
	size_t i;

	if (view_page(req, res, status, tpl, data) == -1)
		return -1;
	if (res->status != status)
		return 0;	/* the error page: nothing of ours goes in */
	for (i = 0; i < n; i++)
		if (m[i].html != NULL)
			fill_slot(req, res, m[i].slot, m[i].html);
	return 0;
}

static const char *
default_message(int status)
{
	switch (status) {
	case 400: return "The request could not be understood. Please check "
		    "what you entered and try again.";
	case 403: return "This request was refused. If you submitted a form, "
		    "reload the page and try again.";
	case 404: return "There is nothing here. It may have been moved or "
		    "deleted, or the link is mistyped.";
	case 405: return "This page cannot be used that way.";
	case 413: return "That was more data than Cadence accepts at once.";
	case 503: return "Cadence is briefly unavailable (its database is not "
		    "answering). Please try again in a minute.";
	default:  return "Something went wrong on our side. Please try again "
		    "in a moment.";
	}
}

void
view_error(struct request *req, struct response *res, int status,
    const char *message)
{
	json_t *data;

	resp_clear(res);
	data = json_pack("{s:i, s:s, s:s}", "status", status,
	    "title", http_status_text(status),
	    "message", message ? message : default_message(status));
	(void)view_page(req, res, status, "error", data);
}
