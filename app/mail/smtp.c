/*
 * smtp: see smtp.h.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "mail/smtp.h"

bool
mail_smtp_configured(const struct config *cfg)
{
	return cfg->smtp_url[0] != '\0';
}

/* Literal loopback addresses only: "127.mail.example" is a remote host. */
static bool
is_loopback(const char *host)
{
	struct in_addr a;

	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return true;
	return inet_pton(AF_INET, host, &a) == 1 &&
	    (ntohl(a.s_addr) >> 24) == 127;
}

/* Part of u, or NULL when absent (freed by the caller with curl_free). */
static char *
url_part(CURLU *u, CURLUPart what)
{
	char *v = NULL;

	if (curl_url_get(u, what, &v, 0) != CURLUE_OK)
		return NULL;
	return v;
}

/*
 * smtp:// or smtps://, a host, no credentials (they belong in SMTP_USER
 * and SMTP_PASSWORD, which are never printed), no query.  The path names
 * us in EHLO; libcurl would say "localhost" when it is empty.
 */
static int
check_url(struct mail_smtp *s, const char *url, char *err, size_t errlen)
{
	CURLU	*u = curl_url();
	char	*scheme = NULL, *host = NULL, *path = NULL, *user = NULL,
		*query = NULL, *full = NULL;
	int	 rc = -1;

	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    (scheme = url_part(u, CURLUPART_SCHEME)) == NULL ||
	    (host = url_part(u, CURLUPART_HOST)) == NULL) {
		snprintf(err, errlen, "SMTP_URL is not a URL like "
		    "smtp://host:587 or smtps://host:465");
		goto out;
	}
	if (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0) {
		snprintf(err, errlen, "SMTP_URL must start with smtp:// or "
		    "smtps://");
		goto out;
	}
	if ((user = url_part(u, CURLUPART_USER)) != NULL ||
	    (query = url_part(u, CURLUPART_QUERY)) != NULL) {
		snprintf(err, errlen, "SMTP_URL must not hold credentials or a "
		    "query: use SMTP_USER and SMTP_PASSWORD");
		goto out;
	}
	path = url_part(u, CURLUPART_PATH);
	if (path == NULL || strcmp(path, "/") == 0 || path[0] == '\0')
		curl_url_set(u, CURLUPART_PATH,
		    mail_addr_domain(s->from_addr), 0);
	if ((full = url_part(u, CURLUPART_URL)) == NULL ||
	    strlen(full) >= sizeof(s->url)) {
		snprintf(err, errlen, "SMTP_URL is too long");
		goto out;
	}
	snprintf(s->url, sizeof(s->url), "%s", full);
	s->starttls = strcmp(scheme, "smtp") == 0 && !is_loopback(host);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(path);
	curl_free(user);
	curl_free(query);
	curl_free(full);
	curl_url_cleanup(u);
	return rc;
}

int
mail_smtp_init(struct mail_smtp *s, const struct config *cfg, char *err,
    size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->connect_timeout_ms = MAIL_CONNECT_TIMEOUT_MS;
	s->response_timeout_s = MAIL_RESPONSE_TIMEOUT_S;
	s->send_timeout_ms = MAIL_SEND_TIMEOUT_MS;
	if (!mail_smtp_configured(cfg)) {
		snprintf(err, errlen, "SMTP_URL is not set: Cadence cannot "
		    "send mail");
		return -1;
	}
	if (mail_parse_mailbox(cfg->smtp_from, s->from_name, s->from_addr)) {
		snprintf(err, errlen, "SMTP_FROM must be an address, or "
		    "\"Name <address>\" (got '%.80s')", cfg->smtp_from);
		return -1;
	}
	if ((cfg->smtp_user[0] == '\0') != (cfg->smtp_password[0] == '\0')) {
		snprintf(err, errlen, "SMTP_USER and SMTP_PASSWORD go "
		    "together: set both or neither");
		return -1;
	}
	snprintf(s->user, sizeof(s->user), "%s", cfg->smtp_user);
	snprintf(s->password, sizeof(s->password), "%s", cfg->smtp_password);
	return check_url(s, cfg->smtp_url, err, errlen);
}

/* ---- sending -------------------------------------------------------------- */

struct reader {
	const char	*p;
	size_t		 left;
};

static size_t
read_message(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader	*r = arg;
	size_t		 n = size * nmemb < r->left ? size * nmemb : r->left;

	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

enum mail_status
mail_classify(int curl_code, int smtp_code)
{
	if (curl_code == CURLE_OK)
		return MAIL_SENT;
	/* 530/534/535/538 (RFC 4954): our credentials, not this message. */
	if (smtp_code == 530 || smtp_code == 534 || smtp_code == 535 ||
	    smtp_code == 538)
		return MAIL_TEMPFAIL;
	if (smtp_code >= 500 && smtp_code < 600)
		return MAIL_PERMFAIL;
	return MAIL_TEMPFAIL;
}

const char *
mail_status_name(enum mail_status st)
{
	switch (st) {
	case MAIL_SENT:
		return "sent";
	case MAIL_TEMPFAIL:
		return "temporary failure";
	case MAIL_PERMFAIL:
		return "permanent failure";
	}
	return "?";
}

static void
set_options(CURL *h, const struct mail_smtp *s, const struct mail_out *msg,
    struct reader *rd, struct curl_slist *rcpt, char *errbuf)
{
	char from[MAIL_ADDR_MAX + 3];

	snprintf(from, sizeof(from), "<%s>", msg->from);
	curl_easy_setopt(h, CURLOPT_URL, s->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(h, CURLOPT_READDATA, rd);
	/* Lets the server refuse an oversized message before it is sent. */
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)rd->left);
	curl_easy_setopt(h, CURLOPT_USE_SSL,
	    s->starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (s->user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, s->password);
	}
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, s->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    s->response_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, s->send_timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
}

static void
log_result(const struct mail_out *msg, const struct mail_result *r)
{
	if (r->status == MAIL_SENT)
		log_info("mail: sent %s (%ld ms)", msg->message_id, r->ms);
	else
		log_warn("mail: %s for %s: %s", mail_status_name(r->status),
		    msg->message_id, r->detail);
}

enum mail_status
mail_send(const struct mail_smtp *s, const struct mail_out *msg,
    struct mail_result *r)
{
	char			 errbuf[CURL_ERROR_SIZE] = "";
	char			 to[MAIL_ADDR_MAX + 3];
	struct reader		 rd = { msg->data.data, msg->data.len };
	struct curl_slist	*rcpt;
	struct timespec		 t0;
	CURL			*h;
	long			 code = 0;

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(to, sizeof(to), "<%s>", msg->to);
	if ((h = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, to)) == NULL)
		fatal_oom();
	set_options(h, s, msg, &rd, rcpt, errbuf);
	r->curl_code = (int)curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	r->smtp_code = (int)code;
	r->status = mail_classify(r->curl_code, r->smtp_code);
	r->ms = elapsed_ms(&t0);
	if (r->curl_code == CURLE_OK)
		snprintf(r->detail, sizeof(r->detail), "accepted (%d)",
		    r->smtp_code);
	else
		snprintf(r->detail, sizeof(r->detail), "%.200s (SMTP %d, curl %d)",
		    errbuf[0] ? errbuf : curl_easy_strerror(r->curl_code),
		    r->smtp_code, r->curl_code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	log_result(msg, r);
	return r->status;
}
