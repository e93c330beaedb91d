/*
 * Settings: the runner's profile (what the plan generator starts from),
 * password change (ends the other sessions) and account deletion (the
 * seed's cascades remove everything the runner owns; the rows that name
 * the runner without a foreign key are deleted here).  Every check of the
 * current password, and every email change, goes through the sign-in
 * throttle (login_throttle.h): a stolen session must not be a way to
 * guess the password or to learn who else has an account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "core/util.h"
#include "db/users.h"
#include "domain/plan_gen.h"
#include "jobs/data_export.h"
#include "jobs/mail_account.h"
#include "domain/units.h"
#include "pages/account.h"
#include "pages/login_throttle.h"
#include "pages/mail_pages.h"
#include "pages/pages.h"
#include "pages/settings_hr.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"

static const struct option race_options[] = {
	{ "5000", "5K" }, { "10000", "10K" }, { "21097", "Half marathon" },
	{ "42195", "Marathon" }, { "custom", "Other distance" },
};


static bool
standard_distance(const char *v)
{
	size_t i;

	for (i = 0; i + 1 < NELEM(race_options); i++)
		if (strcmp(v, race_options[i].value) == 0)
			return true;
	return false;
}

/* Metres as the number alone in the runner's unit: "40.5", "26.22". */
static const char *
unit_number(arena_t *a, long metres, enum unit u)
{
	char	 s[32];
	size_t	 n;

	snprintf(s, sizeof(s), "%.2f", (double)metres / (u == UNIT_MI ?
	    1609.344 : 1000.0));
	n = strlen(s);
	while (s[n - 1] == '0')
		s[--n] = '\0';
	if (s[n - 1] == '.')
		s[--n] = '\0';
	return arena_strdup(a, s);
}

/* The settings page with form (stolen) and the other page data. */
static int
show(struct request *req, struct response *res, int status, json_t *form,
    const char *units, const char *first_day, const char *tz,
    const char *race_sel)
{
	json_t	*zones = account_timezones_json(tz), *hr = settings_hr_json(req);

	if (hr == NULL) {
		json_decref(form);
		json_decref(zones);
		return -1;
	}
	json_object_set_new(form, "units_km", json_boolean(strcmp(units, "mi")));
	json_object_set_new(form, "units_mi", json_boolean(!strcmp(units, "mi")));
	json_object_set_new(form, "first_mon",
	    json_boolean(strcmp(first_day, "sun")));
	json_object_set_new(form, "first_sun",
	    json_boolean(!strcmp(first_day, "sun")));
	fd_options(form, "recent_race_distance", race_options,
	    NELEM(race_options), race_sel);
	return view_page(req, res, status, "settings", json_pack(
	    "{s:o, s:s, s:s, s:o, s:{s:b}, s:o, s:o, s:o, s:o}", "form", form,
	    "weekly_max", unit_number(req->arena, PLAN_MAX_WEEKLY_M,
	    strcmp(units, "mi") == 0 ? UNIT_MI : UNIT_KM), "unit_label",
	    strcmp(units, "mi") == 0 ? "mi" : "km", "timezones", zones,
	    "nav", "settings", 1, "strava", settings_strava_json(req),
	    "garmin", settings_garmin_json(req),
	    "mail", settings_mail_json(req), "heart_rate", hr));
}

int
page_settings(struct request *req, struct response *res)
{
	struct user_profile	 pr;
	json_t			*form;
	char			 tmp[32];
	const char		*race_sel = "5000";
	enum unit		 u;

	if (users_load_profile(req->db, req->arena, req->runner->id, &pr) != 1)
		return -1;
	form = json_object();
	u = strcmp(pr.units, "mi") == 0 ? UNIT_MI : UNIT_KM;
	fd_value(form, "name", pr.name);
	fd_value(form, "email", pr.email);
	fd_value(form, "timezone", pr.timezone);
	if (pr.weekly_m > 0)
		fd_value(form, "weekly_distance", unit_number(req->arena,
		    pr.weekly_m, u));
	if (pr.race_m > 0) {
		const char *m = arena_printf(req->arena, "%ld", pr.race_m);

		race_sel = standard_distance(m) ? m : "custom";
		if (strcmp(race_sel, "custom") == 0)
			fd_value(form, "recent_race_distance_custom",
			    unit_number(req->arena, pr.race_m, u));
	}
	if (pr.race_s > 0) {
		units_format_duration(tmp, sizeof(tmp), (int)pr.race_s);
		fd_value(form, "recent_race_time", tmp);
	}
	return show(req, res, 200, form, pr.units, pr.first_day, pr.timezone,
	    race_sel);
}

struct profile_input {
	const char	*name, *email, *units, *first_day, *tz;
	const char	*weekly, *race_sel, *race_custom, *race_time;
	char		 weekly_m[16], race_m[16], race_s[16];
};

static void
validate_profile(struct request *req, struct profile_input *in, json_t *form)
{
	int		 m, s;
	enum unit	 u = strcmp(in->units, "mi") == 0 ? UNIT_MI : UNIT_KM;

	if (!account_name_ok(in->name))
		fd_error(form, "name", "Use at most 255 characters, on one line.");
	if (!account_email_ok(in->email))
		fd_error(form, "email", "Enter an email address like "
		    "runner@example.com.");
	if (strcmp(in->units, "km") && strcmp(in->units, "mi"))
		fd_error(form, "units", "Choose kilometres or miles.");
	if (strcmp(in->first_day, "mon") && strcmp(in->first_day, "sun"))
		fd_error(form, "first_day", "Choose Monday or Sunday.");
	if (strlen(in->tz) >= 64 || users_timezone_known(req->db, in->tz) != 1)
		fd_error(form, "timezone", "Use a time zone name such as "
		    "Europe/Paris or America/New_York.");
	in->weekly_m[0] = in->race_m[0] = in->race_s[0] = '\0';
	if (*in->weekly != '\0') {
		if (units_parse_distance(in->weekly, u, PLAN_MAX_WEEKLY_M, &m))
			snprintf(in->weekly_m, sizeof(in->weekly_m), "%d", m);
		else
			fd_error(form, "weekly_distance", arena_printf(req->arena,
			    "Enter a distance such as 40 or 32.5 (up to %s).",
			    unit_number(req->arena, PLAN_MAX_WEEKLY_M, u)));
	}
	if (strcmp(in->race_sel, "custom") == 0 && *in->race_custom != '\0') {
		/* In the unit chosen on this form, like the weekly distance. */
		if (units_parse_distance(in->race_custom, u, 250000, &m) &&
		    m >= 400)
			snprintf(in->race_m, sizeof(in->race_m), "%d", m);
		else
			fd_error(form, "recent_race_distance_custom", u == UNIT_MI ?
			    "Enter the distance in miles, from 0.25 to 155." :
			    "Enter the distance in km, from 0.4 to 250.");
	} else if (standard_distance(in->race_sel))
		snprintf(in->race_m, sizeof(in->race_m), "%s", in->race_sel);
	else if (strcmp(in->race_sel, "custom") != 0)
		fd_error(form, "recent_race_distance", "Choose a distance.");
	if (*in->race_time != '\0') {
		if (units_parse_duration(in->race_time, &s) && s > 0)
			snprintf(in->race_s, sizeof(in->race_s), "%d", s);
		else
			fd_error(form, "recent_race_time", "Enter a time as "
			    "h:mm:ss or mm:ss, e.g. 24:30.");
	} else
		in->race_m[0] = '\0';	/* a distance without a time says nothing */
}

/*
 * "Another account uses this email" tells whether an address is
 * registered, so a change of email is an attempt on the throttle: taken
 * back when it is saved, counted when the email was taken.  Returns the
 * seconds this client must wait (an error on the email field), 0, or -1.
 */
static int
email_change_wait(struct request *req, struct throttle *t, json_t *form)
{
	int wait;

	throttle_init(req, t, req->runner->id, req->runner->id);
	if ((wait = throttle_attempt(req, t)) > 0)
		fd_error(form, "email", arena_printf(req->arena, "Too many "
		    "attempts from here. Please wait %d second%s and try "
		    "again.", wait, wait == 1 ? "" : "s"));
	return wait;
}

int
page_settings_post(struct request *req, struct response *res)
{
	struct profile_input	 in;
	struct user_profile	 pr;
	struct throttle		 t;
	json_t			*form = json_object();
	bool			 changing;
	int			 wait = 0, rc;

	in.name = req_form(req, "name");
	in.email = account_fold_email(req->arena, req_form(req, "email"));
	in.units = req_form(req, "units");
	in.first_day = req_form(req, "first_day");
	in.tz = req_form(req, "timezone");
	in.weekly = req_form(req, "weekly_distance");
	in.race_sel = req_form(req, "recent_race_distance");
	in.race_custom = req_form(req, "recent_race_distance_custom");
	in.race_time = req_form(req, "recent_race_time");
	fd_value(form, "name", in.name);
	fd_value(form, "email", in.email);
	fd_value(form, "timezone", in.tz);
	fd_value(form, "weekly_distance", in.weekly);
	fd_value(form, "recent_race_distance_custom", in.race_custom);
	fd_value(form, "recent_race_time", in.race_time);
	validate_profile(req, &in, form);
	changing = !fd_has_errors(form) &&
	    strcmp(in.email, req->runner->email) != 0;
	if (changing && (wait = email_change_wait(req, &t, form)) < 0)
		goto fail;
	if (fd_has_errors(form))
		return show(req, res, wait > 0 ? 429 : 422, form, in.units,
		    in.first_day, in.tz, in.race_sel);
	pr = (struct user_profile){ .name = in.name, .email = in.email,
	    .units = in.units, .first_day = in.first_day, .timezone = in.tz,
	    .weekly_m = atol(in.weekly_m), .race_m = atol(in.race_m),
	    .race_s = in.race_m[0] ? atol(in.race_s) : 0 };
	if ((rc = users_save_profile(req->db, req->runner->id, &pr)) == -1)
		goto fail;
	if (rc == 0) {
		fd_error(form, "email", "Another account uses this email.");
		return show(req, res, 422, form, in.units, in.first_day, in.tz,
		    in.race_sel);
	}
	if (changing && throttle_passed(req, &t) == -1)
		goto fail;
	json_decref(form);
	view_flash(req, res, "settings_saved");
	resp_redirect(req, res, "/settings");
	return 0;
fail:
	json_decref(form);
	return -1;
}

/* Re-shows settings with one error on a password field. */
static int
password_error(struct request *req, struct response *res, int status,
    const char *field, const char *msg)
{
	json_t *form = json_object();

	fd_error(form, field, msg);
	return show(req, res, status, form, req->runner->units,
	    req->runner->first_day, req->runner->timezone, "5000");
}

/*
 * Checks pw as the runner's password under the throttle.  1: right; 0:
 * wrong or refused, the settings page with the message is in res; -1:
 * error.  Length first: an overlong value is wrong without a query.
 */
static int
password_gate(struct request *req, struct response *res, const char *pw,
    const char *field, const char *wrong)
{
	struct throttle	 t;
	const char	*hash;
	int		 wait;
	bool		 ok;

	if (pw == NULL || strlen(pw) > PASSWORD_MAX)
		return password_error(req, res, 422, field, wrong) == -1 ? -1 : 0;
	throttle_init(req, &t, req->runner->id, req->runner->id);
	if ((wait = throttle_attempt(req, &t)) < 0)
		return -1;
	if (wait > 0)
		return password_error(req, res, 429, field, arena_printf(
		    req->arena, "Too many wrong passwords. Please wait %d "
		    "second%s and try again.", wait, wait == 1 ? "" : "s")) ==
		    -1 ? -1 : 0;
	if (users_password_hash(req->db, req->arena, req->runner->id,
	    &hash) == -1)
		return -1;
	ok = hash != NULL && password_verify(hash, pw);
	if (!ok)
		return password_error(req, res, 422, field, wrong) == -1 ? -1 : 0;
	return throttle_passed(req, &t) == -1 ? -1 : 1;
}

int
page_settings_password(struct request *req, struct response *res)
{
	const char	*cur = params_get(&req->form, "current_password");
	const char	*pw = params_get(&req->form, "new_password");
	const char	*problem = account_password_problem(pw ? pw : "");
	char		 hash[PASSWORD_HASH_MAX];
	int		 ok;

	if (pw != NULL && strlen(pw) > PASSWORD_MAX)	/* lengths first */
		return password_error(req, res, 422, "new_password", problem);
	if ((ok = password_gate(req, res, cur, "current_password",
	    "That is not your current password.")) != 1)
		return ok;
	if (problem != NULL)
		return password_error(req, res, 422, "new_password", problem);
	if (password_hash(pw, hash) != 0 ||
	    users_change_password(req->db, req->runner->id, hash,
	    req->session_id) == -1 ||
	    mail_password_changed(req->db, req->runner->id, "settings") < 0)
		return -1;
	view_flash(req, res, "password_changed");
	resp_redirect(req, res, "/settings");
	return 0;
}

/*
 * Deletes the runner and every row that names them: the cascades, the
 * throttle's rows (by user id and by a hash of the email) and the Strava
 * webhook events of their athlete id.
 */
static int
delete_runner(struct request *req)
{
	if (account_before_delete(req) == -1 ||
	    data_export_forget(req->cfg, req->db, req->runner->id) == -1)
		return -1;
	return users_delete(req->db, req->runner->id, req->runner->email,
	    req->runner->strava_athlete_id);
}

int
page_settings_delete(struct request *req, struct response *res)
{
	int ok;

	if ((ok = password_gate(req, res, params_get(&req->form, "password"),
	    "delete_password", "That is not your password; nothing was "
	    "deleted.")) != 1)
		return ok;
	if (delete_runner(req) == -1)
		return -1;
	session_end(req, res);		/* the row is gone with the user */
	view_flash(req, res, "account_deleted");
	resp_redirect(req, res, "/");
	return 0;
}
