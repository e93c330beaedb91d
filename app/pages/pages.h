/*
 * pages: the handlers of the route table (server/routes.c), one file per
 * area.  Each takes the validated request and fills the response; none
 * writes to the client or frees request memory.
 */
#ifndef CADENCE_PAGES_H
#define CADENCE_PAGES_H

#include <jansson.h>
#include <stdbool.h>

#include "web/http.h"

/* limits.c: after a failed write, answers 422 when the runner ran into
 * one of their limits (plans, workouts per plan or per day) and returns
 * true; false leaves the failure to the caller. */
bool	reply_if_limit(struct request *, struct response *);

/* health.c */
int	page_livez(struct request *, struct response *);
int	page_readyz(struct request *, struct response *);

/* metrics.c: Prometheus text format, loopback clients only. */
int	page_metrics(struct request *, struct response *);

/* home.c */
int	page_home(struct request *, struct response *);

/* webhook.c: Strava's push subscription callback. */
int	page_strava_webhook_verify(struct request *, struct response *);
int	page_strava_webhook_event(struct request *, struct response *);

/* dashboard.c */
int	page_dashboard(struct request *, struct response *);

/* account.c */
int	page_signup(struct request *, struct response *);
int	page_signup_post(struct request *, struct response *);
int	page_login(struct request *, struct response *);
int	page_login_post(struct request *, struct response *);
int	page_logout(struct request *, struct response *);

/* settings.c */
int	page_settings(struct request *, struct response *);
int	page_settings_post(struct request *, struct response *);
int	page_settings_password(struct request *, struct response *);
int	page_settings_delete(struct request *, struct response *);

/* plans.c: the plan list, the plan form, activate / rename / delete. */
int	page_plans(struct request *, struct response *);
int	page_plan_new(struct request *, struct response *);
int	page_plan_new_post(struct request *, struct response *);
int	page_plan_edit(struct request *, struct response *);
int	page_plan_edit_post(struct request *, struct response *);
int	page_plan_activate(struct request *, struct response *);
int	page_plan_rename(struct request *, struct response *);
int	page_plan_delete(struct request *, struct response *);

/* workout_edit.c: edit, move, add, remove, skip, done, reset. */
int	page_workout_edit(struct request *, struct response *);
int	page_workout_add(struct request *, struct response *);
int	page_workout_delete(struct request *, struct response *);
int	page_workout_skip(struct request *, struct response *);
int	page_workout_done(struct request *, struct response *);
int	page_workout_reset(struct request *, struct response *);

/* Views of a plan: calendar.c, week.c, workout.c, activities.c, exports.c. */
int	page_plan_calendar(struct request *, struct response *);
int	page_plan_week(struct request *, struct response *);
int	page_workout(struct request *, struct response *);
/* workout_fit.c: the workout as a FIT file for a watch (issue 17). */
int	page_workout_fit(struct request *, struct response *);
int	page_workout_match(struct request *, struct response *);
int	page_workout_unmatch(struct request *, struct response *);
int	page_workout_note(struct request *, struct response *);
int	page_activities(struct request *, struct response *);
/* upload.c: runs from FIT, GPX and TCX files (issue 17). */
int	page_activities_upload(struct request *, struct response *);
int	page_activities_upload_post(struct request *, struct response *);
int	page_plan_ics(struct request *, struct response *);
int	page_plan_calendar_token(struct request *, struct response *);
int	page_plan_csv(struct request *, struct response *);

/*
 * Clubs (issue 18).  clubs.c: starting a club, the club page (the roster
 * for its owner and coaches, who sees your data for its athletes),
 * members, leaving.  invitations.c: the owner's invitation links and
 * joining by one.  coaching.c: an athlete's page for their coach, and
 * comments on a workout.
 */
int	page_club_new(struct request *, struct response *);
int	page_club_new_post(struct request *, struct response *);
int	page_club(struct request *, struct response *);
int	page_club_leave(struct request *, struct response *);
int	page_club_members(struct request *, struct response *);
int	page_club_member_remove(struct request *, struct response *);
int	page_club_invitations(struct request *, struct response *);
int	page_club_invite(struct request *, struct response *);
int	page_club_invitation_revoke(struct request *, struct response *);
int	page_join(struct request *, struct response *);
int	page_join_post(struct request *, struct response *);
int	page_club_athlete(struct request *, struct response *);
int	page_workout_comment(struct request *, struct response *);
/*
 * coaching.c, for the workout page: adds own (the runner's own page, or
 * a coach's view), comments and workout.adjusted_by to data and workout.
 * 0, or -1 on a database error.
 */
int	coaching_workout_json(struct request *, json_t *data, json_t *workout);
/* For the dashboard: the newest comments others left for the runner. */
json_t	*coaching_recent_json(struct request *);
/* Training load and plan adaptation: fitness.c, activity.c, adjust.c,
 * settings_hr.c. */
int	page_fitness(struct request *, struct response *);
int	page_activity(struct request *, struct response *);
int	page_activity_source(struct request *, struct response *);
int	page_plan_adjust(struct request *, struct response *);
int	page_plan_adjust_post(struct request *, struct response *);
int	page_adjustment(struct request *, struct response *);
int	page_adjustment_accept(struct request *, struct response *);
int	page_adjustment_decline(struct request *, struct response *);
int	page_settings_heart_rate(struct request *, struct response *);

/* strava.c: connecting and disconnecting Strava. */
int	page_strava_connect(struct request *, struct response *);
int	page_strava_callback(struct request *, struct response *);
int	page_strava_disconnect(struct request *, struct response *);
int	page_strava_disconnect_confirm(struct request *, struct response *);

/* garmin.c: connecting and disconnecting Garmin, its settings box. */
int	page_garmin_connect(struct request *, struct response *);
int	page_garmin_callback(struct request *, struct response *);
int	page_garmin_disconnect(struct request *, struct response *);
int	page_garmin_webhook(struct request *, struct response *);
json_t	*settings_garmin_json(struct request *);

/* strava_status.c: the Strava box of settings and dashboard. */
json_t	*settings_strava_json(struct request *);
/* Called before an account is deleted: disconnects Strava. -1 on error. */
int	 account_before_delete(struct request *);

#endif
