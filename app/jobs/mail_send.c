/*
 * mail_send: see mail_send.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/secret.h"
#include "jobs/data_export.h"
#include "jobs/jobs.h"
#include "jobs/mail_account.h"
#include "jobs/mail_notify.h"
#include "jobs/mail_send.h"
#include "mail/smtp.h"
#include "mail/template.h"

/* This job worker's mail state: set up once when it starts. */
static struct {
	bool		 ready;
	char		 why[512];	/* when not ready */
	struct mail_smtp smtp;
	mustache_set	*templates;
	const char	*site_url;
	time_t		 down_until;	/* the server is down: wait until */
	int		 down_wait;	/* the current wait, seconds */
} S;

void
mail_worker_start(const struct config *cfg)
{
	char dir[CONFIG_STR_MAX + 8];

	S.ready = false;
	S.down_until = 0;
	S.down_wait = 0;
	S.site_url = cfg->base_url;
	mustache_set_free(S.templates);
	S.templates = NULL;
	if (mail_smtp_init(&S.smtp, cfg, S.why, sizeof(S.why)) == -1) {
		log_error("mail: %s; mail stays queued", S.why);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/mail", cfg->templates_dir);
	if ((S.templates = mail_templates_load(dir, S.why,
	    sizeof(S.why))) == NULL) {
		log_error("mail: templates: %s; mail stays queued", S.why);
		return;
	}
	S.ready = true;
	log_info("mail: sending through %s as %s", S.smtp.url,
	    S.smtp.from_addr);
}

int
mail_enqueue(struct db *db, const struct config *cfg,
    const struct mail_request *m)
{
	json_t		*job, *sealed = json_object(), *v;
	const char	*k;
	char		*payload, *box;
	arena_t		 a;
	int		 rc = -1;

	arena_init(&a);
	job = json_pack("{s:s, s:{s:s}, s:o}", "template", m->template, "to",
	    "address", m->to_addr, "data", m->data != NULL ? m->data :
	    json_object());
	/* mail_build_json takes absent keys, not nulls. */
	if (m->to_name != NULL && *m->to_name != '\0')
		json_object_set_new(json_object_get(job, "to"), "name",
		    json_string(m->to_name));
	if (m->unsubscribe_url != NULL)
		json_object_set_new(job, "unsubscribe_url",
		    json_string(m->unsubscribe_url));
	json_object_foreach(m->sealed, k, v) {
		if ((box = secret_seal(cfg, SECRET_MAIL_SEAL, &a,
		    json_string_value(v) ? json_string_value(v) : "")) == NULL)
			goto out;
		json_object_set_new(sealed, k, json_string(box));
	}
	if (json_object_size(sealed) > 0)
		json_object_set(job, "sealed", sealed);
	if (job != NULL && (payload = json_dumps(job, JSON_COMPACT)) != NULL) {
		rc = jobs_enqueue(db, MAIL_SEND_KIND, m->user_id, payload,
		    m->dedup_key, 0);
		free(payload);
	}
out:
	if (rc < 0)
		log_error("mail: could not queue a %s mail", m->template);
	json_decref(m->sealed);
	json_decref(sealed);
	json_decref(job);
	arena_free(&a);
	return rc;
}

/* Opens the payload's sealed values into its data; -1 when one cannot be. */
static int
open_sealed(const struct config *cfg, json_t *job, arena_t *a)
{
	json_t		*sealed = json_object_get(job, "sealed"), *v;
	json_t		*data = json_object_get(job, "data");
	const char	*k;
	char		*text;

	if (sealed == NULL)
		return 0;
	if (!json_is_object(sealed) || (data != NULL && !json_is_object(data)))
		return -1;
	if (data == NULL)
		json_object_set_new(job, "data", data = json_object());
	json_object_foreach(sealed, k, v) {
		if (!json_is_string(v) || (text = secret_open(cfg,
		    SECRET_MAIL_SEAL, a, json_string_value(v))) == NULL)
			return -1;
		json_object_set_new(data, k, json_string(text));
	}
	return 0;
}

/* The server (not this message) is the trouble: wait before the others. */
static bool
server_down(const struct mail_result *r)
{
	return r->smtp_code == 0 || r->smtp_code == 421 ||
	    (r->smtp_code >= 530 && r->smtp_code <= 538);
}

static void
note_down(const struct mail_result *r)
{
	bool first = S.down_wait == 0;

	S.down_wait = first ? MAIL_DOWN_FIRST : S.down_wait * 2;
	if (S.down_wait > MAIL_DOWN_MAX)
		S.down_wait = MAIL_DOWN_MAX;
	S.down_until = time(NULL) + S.down_wait;
	if (first)
		log_warn("mail: the SMTP server is not taking mail (%s); mail "
		    "stays queued, retried with backoff", r->detail);
}

static void
note_up(void)
{
	if (S.down_wait != 0)
		log_info("mail: the SMTP server takes mail again");
	S.down_wait = 0;
	S.down_until = 0;
}

/* What one attempt came to, in the queue's terms. */
static enum job_result
outcome(const struct job *j, const struct mail_out *out,
    const struct mail_result *r, char *err, size_t errlen)
{
	switch (r->status) {
	case MAIL_SENT:
		note_up();
		snprintf(err, errlen, "sent %s (%ld ms)", out->message_id, r->ms);
		return JOB_OK;
	case MAIL_PERMFAIL:
		snprintf(err, errlen, "refused for good: %s", r->detail);
		return JOB_FAIL;
	case MAIL_TEMPFAIL:
		break;
	}
	if (server_down(r))
		note_down(r);
	snprintf(err, errlen, "not sent yet: %s", r->detail);
	/* Never given up: past the last attempt, wait without spending. */
	return j->attempts >= JOBS_MAX_ATTEMPTS - 1 ? JOB_DEFER : JOB_RETRY;
}

static enum job_result
send_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	json_t			*job;
	struct mail_sender	 s;
	struct mail_out		 out;
	struct mail_result	 r;
	char			 msgid[MAIL_MSGID_MAX];
	arena_t			 a;
	enum job_result		 res = JOB_FAIL;

	memset(&out, 0, sizeof(out));
	if (!S.ready) {
		snprintf(err, errlen, "mail is not set up: %s", S.why);
		run->retry_after = MAIL_UNCONFIGURED_WAIT;
		return JOB_DEFER;
	}
	if (time(NULL) < S.down_until) {
		snprintf(err, errlen, "the SMTP server was not taking mail: "
		    "waiting");
		run->retry_after = (int)(S.down_until - time(NULL)) + 1;
		return JOB_DEFER;
	}
	if ((job = json_loads(j->payload, 0, NULL)) == NULL) {
		snprintf(err, errlen, "the payload is not JSON");
		return JOB_FAIL;
	}
	arena_init(&a);
	if (json_object_get(job, "message_id") == NULL) {
		snprintf(msgid, sizeof(msgid), "<%s@%s>", j->id,
		    mail_addr_domain(S.smtp.from_addr));
		json_object_set_new(job, "message_id", json_string(msgid));
	}
	s = (struct mail_sender){ S.templates, { S.smtp.from_name,
	    S.smtp.from_addr }, S.site_url };
	if (open_sealed(run->cfg, job, &a) == -1)
		snprintf(err, errlen, "a sealed value cannot be opened (was "
		    "CADENCE_SECRET_KEY changed?)");
	else if (mail_build_json(&s, job, &out, err, errlen) == 0) {
		mail_send(&S.smtp, &out, &r);
		res = outcome(j, &out, &r, err, errlen);
	}
	mail_out_free(&out);
	json_decref(job);
	arena_free(&a);
	return res;
}

void
mail_jobs_register(void)
{
	jobs_register_kind(MAIL_SEND_KIND, send_job);
	mail_account_register();
	mail_notify_register();
	data_export_register();
}
