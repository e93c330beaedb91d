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
#include <string.h>

#include "core/password.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/units.h"
#include "pages/account.h"
#include "pages/login_throttle.h"
#include "pages/pages.h"
#include "view/formdata.h"
#include "view/view.h"
#include "web/session.h"

static const struct db_stmt q_profile = DB_STMT("settings_profile",
    "SELECT u.name, u.email, p.units, p.first_day_of_week, p.timezone,"
    "       p.weekly_distance, p.recent_race_distance, p.recent_race_time"
    "  FROM users u JOIN athlete_profiles p ON p.user_id = u.id"
    " WHERE u.id = $1");
static const struct db_stmt q_tz_ok = DB_STMT("settings_tz_ok",
    "SELECT 1 FROM pg_timezone_names WHERE name = $1");
static const struct db_stmt q_save_user = DB_STMT("settings_save_user",
    "UPDATE users SET name = NULLIF($2, ''), email = $3 WHERE id = $1");
static const struct db_stmt q_save_profile = DB_STMT("settings_save_profile",
    "UPDATE athlete_profiles SET units = $2, first_day_of_week = $3,"
    "       timezone = $4, weekly_distance = $5::int,"
    "       recent_race_distance = $6::int, recent_race_time = $7::int"
    " WHERE user_id = $1");
static const struct db_stmt q_hash = DB_STMT("settings_hash",
    "SELECT password_hash FROM users WHERE id = $1");
static const struct db_stmt q_set_hash = DB_STMT("settings_set_hash",
    "UPDATE users SET password_hash = $2 WHERE id = $1");
static const struct db_stmt q_end_others = DB_STMT("settings_end_others",
    "DELETE FROM sessions WHERE user_id = $1 AND id <> $2");
static const struct db_stmt q_delete = DB_STMT("settings_delete_user",
    "DELETE FROM users WHERE id = $1");
/*
 * The users row's trigger deletes these by athlete id, but disconnecting
 * Strava (account_before_delete) has cleared that id by then.
 */
static const struct db_stmt q_delete_events = DB_STMT("settings_delete_events",
    "DELETE FROM strava_webhook_events WHERE strava_athlete_id = $1::bigint");

static const struct option race_options[] = {
	{ "5000", "5K" }, { "10000", "10K" }, { "21097", "Half marathon" },
	{ "42195", "Marathon" }, { "custom", "Other distance" },
};

static const char *const common_zones[] = {
	"UTC", "Europe/London", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Amsterdam", "Europe/Stockholm",
	"America/New_York", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Sao_Paulo", "America/Toronto",
	"Africa/Nairobi", "Asia/Tokyo", "Asia/Kolkata", "Asia/Singapore",
	"Australia/Sydney", "Pacific/Auckland",
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

/* The settings page with form (stolen) and the other page data. */
static int
show(struct request *req, struct response *res, int status, json_t *form,
    const char *units, const char *first_day, const char *tz,
    const char *race_sel)
{
	json_t	*zones = json_array();
	size_t	 i;

	json_object_set_new(form, "units_km", json_boolean(strcmp(units, "mi")));
	json_object_set_new(form, "units_mi", json_boolean(!strcmp(units, "mi")));
	json_object_set_new(form, "first_mon",
	    json_boolean(strcmp(first_day, "sun")));
	json_object_set_new(form, "first_sun",
	    json_boolean(!strcmp(first_day, "sun")));
	fd_options(form, "recent_race_distance", race_options,
	    NELEM(race_options), race_sel);
	for (i = 0; i < NELEM(common_zones); i++)
		json_array_append_new(zones, json_pack("{s:s, s:b}", "name",
		    common_zones[i], "selected", strcmp(tz, common_zones[i]) == 0));
	return view_page(req, res, status, "settings", json_pack(
	    "{s:o, s:s, s:o, s:{s:b}, s:o}", "form", form, "unit_label",
	    strcmp(units, "mi") == 0 ? "mi" : "km", "timezones", zones,
	    "nav", "settings", 1, "strava", settings_strava_json(req)));
}

int
page_settings(struct request *req, struct response *res)
{
	PGresult	*r;
	json_t		*form = json_object();
	char		 tmp[32];
	const char	*race_sel = "5000";
	enum unit	 u;
	int		 rc;

	if ((r = db_exec(req->db, &q_profile, 1, &req->runner->id)) == NULL ||
	    PQntuples(r) != 1) {
		PQclear(r);
		json_decref(form);
		return -1;
	}
	u = strcmp(db_val(r, 0, 2), "mi") == 0 ? UNIT_MI : UNIT_KM;
	fd_value(form, "name", db_val(r, 0, 0));
	fd_value(form, "email", db_val(r, 0, 1));
	fd_value(form, "timezone", db_val(r, 0, 4));
	if (!db_null(r, 0, 5)) {
		/* The number alone, in the runner's unit, e.g. "40.5". */
		double d = (double)db_long(r, 0, 5) / (u == UNIT_MI ? 1609.344 : 1000.0);

		snprintf(tmp, sizeof(tmp), "%.1f", d);
		if (strlen(tmp) > 2 && strcmp(tmp + strlen(tmp) - 2, ".0") == 0)
			tmp[strlen(tmp) - 2] = '\0';
		fd_value(form, "weekly_distance", tmp);
	}
	if (!db_null(r, 0, 6)) {
		race_sel = standard_distance(db_val(r, 0, 6)) ? db_val(r, 0, 6) :
		    "custom";
		if (strcmp(race_sel, "custom") == 0)
			fd_value(form, "recent_race_distance_custom",
			    db_val(r, 0, 6));
	}
	if (!db_null(r, 0, 7)) {
		units_format_duration(tmp, sizeof(tmp), (int)db_long(r, 0, 7));
		fd_value(form, "recent_race_time", tmp);
	}
	race_sel = arena_strdup(req->arena, race_sel);
	rc = show(req, res, 200, form, arena_strdup(req->arena, db_val(r, 0, 2)),
	    arena_strdup(req->arena, db_val(r, 0, 3)),
	    arena_strdup(req->arena, db_val(r, 0, 4)), race_sel);
	PQclear(r);
	return rc;
}

struct profile_input {
	const char	*name, *email, *units, *first_day, *tz;
	const char	*weekly, *race_sel, *race_custom, *race_time;
	char		 weekly_m[16], race_m[16], race_s[16];
};

static void
validate_profile(struct request *req, struct profile_input *in, json_t *form)
{
	PGresult	*r;
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
	r = strlen(in->tz) < 64 ? db_exec(req->db, &q_tz_ok, 1, &in->tz) : NULL;
	if (r == NULL || PQntuples(r) != 1)
		fd_error(form, "timezone", "Use a time zone name such as "
		    "Europe/Paris or America/New_York.");
	PQclear(r);
	in->weekly_m[0] = in->race_m[0] = in->race_s[0] = '\0';
	if (*in->weekly != '\0') {
		if (units_parse_distance(in->weekly, u, 500000, &m))
			snprintf(in->weekly_m, sizeof(in->weekly_m), "%d", m);
		else
			fd_error(form, "weekly_distance", "Enter a distance "
			    "such as 40 or 32.5 (up to 500).");
	}
	if (strcmp(in->race_sel, "custom") == 0 && *in->race_custom != '\0') {
		if (parse_int(in->race_custom, 400, 250000, &m))
			snprintf(in->race_m, sizeof(in->race_m), "%d", m);
		else
			fd_error(form, "recent_race_distance_custom", "Enter the "
			    "distance in metres, from 400 to 250000.");
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
	struct throttle		 t;
	json_t			*form = json_object();
	const char		*p[8];
	bool			 changing;
	int			 wait = 0;

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
	if (db_begin(req->db) == -1)
		goto fail;
	p[0] = req->runner->id;
	p[1] = in.name;
	p[2] = in.email;
	if (db_run(req->db, &q_save_user, 3, p) < 0) {
		db_rollback(req->db);
		if (!db_unique_violation(req->db))
			goto fail;
		fd_error(form, "email", "Another account uses this email.");
		return show(req, res, 422, form, in.units, in.first_day, in.tz,
		    in.race_sel);
	}
	p[1] = in.units;
	p[2] = in.first_day;
	p[3] = in.tz;
	p[4] = in.weekly_m[0] ? in.weekly_m : NULL;
	p[5] = in.race_m[0] ? in.race_m : NULL;
	p[6] = in.race_s[0] && in.race_m[0] ? in.race_s : NULL;
	if (db_run(req->db, &q_save_profile, 7, p) != 1 ||
	    db_commit(req->db) == -1)
		goto fail;
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
	PGresult	*r;
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
	if ((r = db_exec(req->db, &q_hash, 1, &req->runner->id)) == NULL)
		return -1;
	ok = PQntuples(r) == 1 && !db_null(r, 0, 0) &&
	    password_verify(db_val(r, 0, 0), pw);
	PQclear(r);
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
	const char	*p[2] = { req->runner->id, hash };
	int		 ok;

	if (pw != NULL && strlen(pw) > PASSWORD_MAX)	/* lengths first */
		return password_error(req, res, 422, "new_password", problem);
	if ((ok = password_gate(req, res, cur, "current_password",
	    "That is not your current password.")) != 1)
		return ok;
	if (problem != NULL)
		return password_error(req, res, 422, "new_password", problem);
	if (password_hash(pw, hash) != 0 || db_begin(req->db) == -1)
		return -1;
	if (db_run(req->db, &q_set_hash, 2, p) != 1)
		goto fail;
	p[1] = req->session_id;
	if (db_run(req->db, &q_end_others, 2, p) < 0 || db_commit(req->db) == -1)
		goto fail;
	view_flash(req, res, "password_changed");
	resp_redirect(req, res, "/settings");
	return 0;
fail:
	db_rollback(req->db);
	return -1;
}

/*
 * Deletes the runner and every row that names them: the cascades, the
 * throttle's rows (by user id and by a hash of the email) and the Strava
 * webhook events of their athlete id.
 */
static int
delete_runner(struct request *req)
{
	char		 athlete[24];
	const char	*a = athlete;

	snprintf(athlete, sizeof(athlete), "%lld",
	    (long long)req->runner->strava_athlete_id);
	if (account_before_delete(req) == -1 || db_begin(req->db) == -1)
		return -1;
	if (throttle_forget(req->db, req->runner->id, req->runner->email) == -1 ||
	    db_run(req->db, &q_delete, 1, &req->runner->id) != 1 ||
	    (req->runner->strava_athlete_id != 0 &&
	    db_run(req->db, &q_delete_events, 1, &a) < 0) ||
	    db_commit(req->db) == -1) {
		db_rollback(req->db);
		return -1;
	}
	return 0;
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
