/*
 * mail_account: see mail_account.h.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "db/mail.h"
#include "jobs/jobs.h"
#include "jobs/mail_account.h"
#include "jobs/mail_send.h"

#define TOKEN_BYTES	(MAIL_TOKEN_HEX / 2)

bool
mail_token_ok(const char *t)
{
	size_t i;

	if (t == NULL || strlen(t) != MAIL_TOKEN_HEX)
		return false;
	for (i = 0; i < MAIL_TOKEN_HEX; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return false;
	return true;
}

void
mail_token_hash(const char *token, char out[MAIL_TOKEN_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, MAIL_TOKEN_HEX + 1, h, sizeof(h));
}

int
mail_request_reset(struct db *db, const char *user_id)
{
	/* One waiting request per account; an unknown address, one each. */
	return jobs_enqueue(db, "mail.password_reset", user_id, NULL, user_id,
	    0);
}

int
mail_request_verify(struct db *db, const char *user_id)
{
	return jobs_enqueue(db, "mail.verify", user_id, NULL, user_id, 0);
}

int
mail_password_changed(struct db *db, const char *user_id, const char *how)
{
	char payload[64];

	snprintf(payload, sizeof(payload), "{\"how\": \"%s\"}",
	    strcmp(how, "reset") == 0 ? "reset" : "settings");
	return jobs_enqueue(db, "mail.password_changed", user_id, payload,
	    NULL, 0);
}

/* ---- handlers ------------------------------------------------------------ */

static enum job_result
db_trouble(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "database error while %s", what);
	return JOB_RETRY;
}

/* The runner the job is about: JOB_OK when loaded, else what to return. */
static enum job_result
load_user(struct job_run *run, const struct job *j, arena_t *a,
    struct mail_user *u, char *err, size_t errlen)
{
	if (j->user_id == NULL) {
		snprintf(err, errlen, "no account: nothing to send");
		return JOB_SKIP;
	}
	switch (db_mail_user(run->db, a, j->user_id, u)) {
	case -1:
		return db_trouble(err, errlen, "loading the runner");
	case 0:
		snprintf(err, errlen, "the account is gone");
		return JOB_SKIP;
	}
	return JOB_OK;
}

/* A mail to the runner's own address. */
static int
to_runner(struct job_run *run, const struct mail_user *u, const char *tpl,
    json_t *data, json_t *sealed)
{
	struct mail_request m = {
		.user_id = u->r.id, .template = tpl, .to_addr = u->r.email,
		.to_name = u->r.name, .data = data, .sealed = sealed,
	};

	return mail_enqueue(run->db, run->cfg, &m);
}

/*
 * A new one-time link for purpose, stored as a hash, and the mail that
 * carries it (sealed), in one transaction.
 */
static enum job_result
send_link(struct job_run *run, const struct mail_user *u, const char *purpose,
    int ttl, const char *path, const char *tpl, json_t *data, char *err,
    size_t errlen)
{
	unsigned char	 raw[TOKEN_BYTES];
	char		 token[MAIL_TOKEN_HEX + 1], hash[MAIL_TOKEN_HEX + 1];
	char		 link[CONFIG_STR_MAX + 128];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	mail_token_hash(token, hash);
	snprintf(link, sizeof(link), "%s%s?token=%s", run->cfg->base_url, path,
	    token);
	sodium_memzero(token, sizeof(token));
	json_object_set_new(data, "expires_label", json_string(ttl >= 86400 ?
	    "7 days" : "30 minutes"));
	if (db_begin(run->db) == -1 ||
	    db_mail_token_add(run->db, u->r.id, purpose, hash, u->r.email,
	    ttl) == -1 ||
	    to_runner(run, u, tpl, data, json_pack("{s:s}", "link", link)) < 0 ||
	    db_commit(run->db) == -1) {
		sodium_memzero(link, sizeof(link));
		db_rollback(run->db);
		return db_trouble(err, errlen, "storing the link");
	}
	sodium_memzero(link, sizeof(link));
	snprintf(err, errlen, "%s link queued", purpose);
	return JOB_OK;
}

static enum job_result
verify_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	struct mail_user	u;
	arena_t			a;
	enum job_result		r;

	arena_init(&a);
	if ((r = load_user(run, j, &a, &u, err, errlen)) == JOB_OK) {
		if (u.verified) {
			snprintf(err, errlen, "already verified");
			r = JOB_SKIP;
		} else
			r = send_link(run, &u, "verify", MAIL_VERIFY_TTL,
			    "/email/verify", "verify_email", json_object(), err,
			    errlen);
	}
	arena_free(&a);
	return r;
}

static enum job_result
reset_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	struct mail_user	u;
	arena_t			a;
	enum job_result		r;

	arena_init(&a);
	if ((r = load_user(run, j, &a, &u, err, errlen)) == JOB_OK)
		r = send_link(run, &u, "reset", MAIL_RESET_TTL,
		    "/password/reset", "password_reset", json_object(), err,
		    errlen);
	arena_free(&a);
	return r;
}

/* At most one "someone tried to sign up" mail a day. */
static enum job_result
signup_taken_job(struct job_run *run, const struct job *j, char *err,
    size_t errlen)
{
	struct mail_user	u;
	arena_t			a;
	enum job_result		r;

	arena_init(&a);
	if ((r = load_user(run, j, &a, &u, err, errlen)) != JOB_OK)
		goto out;
	if (db_begin(run->db) == -1)
		goto trouble;
	switch (db_mail_ledger_once(run->db, u.r.id, "signup_taken",
	    u.r.today)) {
	case -1:
		goto trouble;
	case 0:
		db_rollback(run->db);
		snprintf(err, errlen, "told already today");
		r = JOB_SKIP;
		goto out;
	}
	if (to_runner(run, &u, "signup_taken", json_pack("{s:s, s:s}",
	    "login_url", "/login", "forgot_url", "/password/forgot"), NULL) < 0 ||
	    db_commit(run->db) == -1)
		goto trouble;
	snprintf(err, errlen, "notice queued");
	goto out;
trouble:
	db_rollback(run->db);
	r = db_trouble(err, errlen, "queueing the notice");
out:
	arena_free(&a);
	return r;
}

/* The old address hears of the change; the new one gets its link. */
static enum job_result
email_changed_job(struct job_run *run, const struct job *j, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(j->payload, 0, NULL);
	const char		*old = json_string_value(json_object_get(p, "old"));
	const char		*new = json_string_value(json_object_get(p, "new"));
	struct mail_user	 u;
	struct mail_request	 m;
	arena_t			 a;
	enum job_result		 r;

	arena_init(&a);
	if ((r = load_user(run, j, &a, &u, err, errlen)) != JOB_OK)
		goto out;
	if (old == NULL || new == NULL) {
		snprintf(err, errlen, "payload without old and new");
		r = JOB_FAIL;
		goto out;
	}
	m = (struct mail_request){ .user_id = u.r.id,
	    .template = "email_changed_old", .to_addr = old,
	    .to_name = u.r.name, .data = json_pack("{s:s, s:s}", "new_address",
	    new, "forgot_url", "/password/forgot") };
	if (mail_enqueue(run->db, run->cfg, &m) < 0) {
		r = db_trouble(err, errlen, "queueing the notice");
		goto out;
	}
	/* Changed again since: the newer change sends its own link. */
	if (strcasecmp(u.r.email, new) != 0 || u.verified)
		snprintf(err, errlen, "notice queued; no link (changed again)");
	else
		r = send_link(run, &u, "verify", MAIL_VERIFY_TTL,
		    "/email/verify", "verify_email", json_pack("{s:b}",
		    "changed", 1), err, errlen);
out:
	json_decref(p);
	arena_free(&a);
	return r;
}

static enum job_result
password_changed_job(struct job_run *run, const struct job *j, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(j->payload, 0, NULL);
	const char		*how = json_string_value(json_object_get(p, "how"));
	struct mail_user	 u;
	arena_t			 a;
	enum job_result		 r;

	arena_init(&a);
	if ((r = load_user(run, j, &a, &u, err, errlen)) == JOB_OK) {
		if (to_runner(run, &u, "password_changed", json_pack("{s:b, s:s}",
		    "by_reset", how != NULL && strcmp(how, "reset") == 0,
		    "forgot_url", "/password/forgot"), NULL) < 0)
			r = db_trouble(err, errlen, "queueing the notice");
		else
			snprintf(err, errlen, "notice queued");
	}
	json_decref(p);
	arena_free(&a);
	return r;
}

void
mail_account_register(void)
{
	jobs_register_kind("mail.verify", verify_job);
	jobs_register_kind("mail.password_reset", reset_job);
	jobs_register_kind("mail.signup_taken", signup_taken_job);
	jobs_register_kind("mail.email_changed", email_changed_job);
	jobs_register_kind("mail.password_changed", password_changed_job);
}
