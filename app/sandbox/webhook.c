/*
 * webhook: a queue served by one thread with libcurl.  Deliveries go out
 * one at a time in event order, like Strava's per-subscription stream.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/util.h"
#include "sandbox/http.h"
#include "sandbox/store.h"
#include "sandbox/webhook.h"

struct job {
	struct job		*next;
	char			*url;
	char			*body;
	long long		 seq;
	struct sb_delivery_opts	 opts;
};

struct sb_webhook {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct job	*head, *tail;
	size_t		 pending;
	bool		 quit;
	long long	 next_seq;
	json_t		*log;		/* array of attempts */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* One HTTP exchange: status (0 when none) and the curl error text. */
static long
http_call(const char *url, const char *post_body, int timeout_ms, buf_t *resp,
    char *err, size_t errlen)
{
	CURL			*c = curl_easy_init();
	struct curl_slist	*hdr = NULL;
	CURLcode		 rc;
	long			 status = 0;

	if (c == NULL)
		fatal_oom();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "strava-sandbox");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	if (post_body != NULL) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		hdr = curl_slist_append(hdr, "Expect:");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body);
	}
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errlen, "%s", rc == CURLE_OPERATION_TIMEDOUT ?
		    "timeout" : curl_easy_strerror(rc));
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return status;
}

static void
log_attempt(struct sb_webhook *w, const struct job *j, int attempt, long status,
    const char *err, int64_t started)
{
	json_t *e = json_pack("{s:I, s:i, s:s, s:o, s:i, s:b, s:s*, s:I, s:I}",
	    "seq", (json_int_t)j->seq, "attempt", attempt, "url", j->url,
	    "event", json_loads(j->body, 0, NULL), "status", (int)status,
	    "ok", status == 200 && err[0] == '\0', "error", err[0] ? err : NULL,
	    "at_ms", (json_int_t)started, "duration_ms", (json_int_t)(now_ms() - started));

	pthread_mutex_lock(&w->lock);
	if (json_array_size(w->log) >= SB_WEBHOOK_LOG_MAX)
		json_array_remove(w->log, 0);
	json_array_append_new(w->log, e);
	pthread_mutex_unlock(&w->lock);
}

/* Sleeps up to ms, waking early on quit; true when quitting. */
static bool
wait_or_quit(struct sb_webhook *w, int ms)
{
	struct timespec	 until;
	bool		 quit;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->quit && pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
		;
	quit = w->quit;
	pthread_mutex_unlock(&w->lock);
	return quit;
}

static void
deliver(struct sb_webhook *w, const struct job *j)
{
	buf_t	 resp = BUF_INIT;
	char	 err[256];
	int64_t	 started;
	long	 status;
	int	 attempt;

	for (attempt = 1; attempt <= j->opts.attempts; attempt++) {
		if (attempt > 1 && wait_or_quit(w, j->opts.retry_delay_ms))
			break;
		err[0] = '\0';
		buf_reset(&resp);
		started = now_ms();
		status = http_call(j->url, j->body, j->opts.timeout_ms, &resp, err, sizeof(err));
		if (status != 200 && err[0] == '\0')
			snprintf(err, sizeof(err), "HTTP %ld", status);
		log_attempt(w, j, attempt, status, err, started);
		if (status == 200)
			break;
	}
	buf_free(&resp);
}

static void *
worker(void *arg)
{
	struct sb_webhook	*w = arg;
	struct job		*j;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->quit && w->head == NULL)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->quit) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		j = w->head;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		deliver(w, j);
		pthread_mutex_lock(&w->lock);
		w->pending--;
		pthread_mutex_unlock(&w->lock);
		free(j->url);
		free(j->body);
		free(j);
	}
}

struct sb_webhook *
sb_webhook_start(void)
{
	struct sb_webhook *w = xcalloc(1, sizeof(*w));

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->log = json_array();
	w->next_seq = 1;
	if (pthread_create(&w->thread, NULL, worker, w) != 0) {
		fprintf(stderr, "strava-sandbox: cannot start webhook thread\n");
		exit(1);
	}
	return w;
}

void
sb_webhook_stop(struct sb_webhook *w)
{
	struct job *j;

	pthread_mutex_lock(&w->lock);
	w->quit = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while ((j = w->head) != NULL) {
		w->head = j->next;
		free(j->url);
		free(j->body);
		free(j);
	}
	json_decref(w->log);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void
sb_webhook_send(struct sb_webhook *w, const char *url, json_t *event,
    const struct sb_delivery_opts *opts)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->url = xstrdup(url);
	if ((j->body = json_dumps(event, JSON_COMPACT)) == NULL)
		fatal_oom();
	json_decref(event);
	j->opts = *opts;
	pthread_mutex_lock(&w->lock);
	j->seq = w->next_seq++;
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->pending++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

json_t *
sb_webhook_log(struct sb_webhook *w)
{
	json_t *copy;

	pthread_mutex_lock(&w->lock);
	copy = json_deep_copy(w->log);
	pthread_mutex_unlock(&w->lock);
	return copy;
}

void
sb_webhook_log_clear(struct sb_webhook *w)
{
	pthread_mutex_lock(&w->lock);
	json_array_clear(w->log);
	pthread_mutex_unlock(&w->lock);
}

size_t
sb_webhook_pending(struct sb_webhook *w)
{
	size_t n;

	pthread_mutex_lock(&w->lock);
	n = w->pending;
	pthread_mutex_unlock(&w->lock);
	return n;
}

int
sb_webhook_validate(const char *url, const char *verify_token, int timeout_ms,
    char *err, size_t errlen)
{
	buf_t		 full = BUF_INIT, resp = BUF_INIT;
	char		 challenge[SB_TOKEN_LEN + 1], cerr[256] = "";
	json_t		*j = NULL;
	const char	*echo;
	long		 status;
	int		 rc = -1;

	sb_random_hex(challenge);
	buf_printf(&full, "%s%shub.mode=subscribe&hub.challenge=%s&hub.verify_token=",
	    url, strchr(url, '?') ? "&" : "?", challenge);
	sb_url_encode(&full, verify_token);
	status = http_call(full.data, NULL, timeout_ms, &resp, cerr, sizeof(cerr));
	if (status != 200) {
		snprintf(err, errlen, "GET to callback URL does not return 200 (%s)",
		    cerr[0] ? cerr : "wrong status");
		goto out;
	}
	j = json_loadb(resp.data ? resp.data : "", resp.len, 0, NULL);
	echo = json_string_value(json_object_get(j, "hub.challenge"));
	if (echo == NULL || strcmp(echo, challenge) != 0) {
		snprintf(err, errlen, "callback URL did not echo hub.challenge");
		goto out;
	}
	rc = 0;
out:
	json_decref(j);
	buf_free(&full);
	buf_free(&resp);
	return rc;
}
