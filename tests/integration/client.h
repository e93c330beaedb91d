/*
 * client: a small libcurl HTTP client for the integration tests.  Each
 * client keeps its own cookie jar (one "browser"), talks to the nginx in
 * front of the pool (CADENCE_URL) and never follows redirects, so tests
 * see exactly what Cadence answered.
 */
#ifndef CADENCE_TEST_CLIENT_H
#define CADENCE_TEST_CLIENT_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/buf.h"

struct http_resp {
	long	 status;
	buf_t	 body;
	buf_t	 headers;	/* raw header block */
	double	 seconds;	/* total time */
};

struct client;

/* The base URL of the site under test (env CADENCE_URL). */
const char	*site_url(void);
struct client	*client_new(void);
void		 client_free(struct client *);
/*
 * Sends this client's requests from addr, a loopback address such as
 * "127.4.5.6" (nginx listens on 127.0.0.1; any 127/8 source reaches it),
 * so one machine can play many clients for the per-address throttles.
 */
void		 client_bind(struct client *, const char *addr);
/* A loopback address no other test of this run uses (static buffer). */
const char	*fresh_addr(void);
/* client_new() bound to fresh_addr(). */
struct client	*client_elsewhere(void);
/*
 * Sends method path (relative to CADENCE_URL, or a full URL) with an
 * optional urlencoded body and extra "Name: value" headers (NULL-ended).
 * Returns the status, fills resp (caller frees with resp_done).
 */
long	 client_req(struct client *, const char *method, const char *path,
	    const char *form, const char *const *headers, struct http_resp *);
long	 client_get(struct client *, const char *path, struct http_resp *);
/* POSTs form with the csrf_token of the last page fetched added. */
long	 client_post(struct client *, const char *path, const char *form,
	    struct http_resp *);
/* A file for client_post_files. */
struct upload_part {
	const char	*filename;
	const void	*data;
	size_t		 len;
};
/*
 * POSTs multipart/form-data to path: each part as a "files" file field,
 * with csrf_token (the last page's, or csrf if not NULL) as a field.
 */
long	 client_post_files(struct client *, const char *path,
	    const struct upload_part *, size_t n, const char *csrf,
	    struct http_resp *);
void	 resp_done(struct http_resp *);
/* Value of header name (case-insensitive) in a static buffer, or NULL. */
const char *resp_header_value(const struct http_resp *, const char *name);
bool	 resp_has(const struct http_resp *, const char *needle);
/* The csrf_token value in the page, into the client for client_post. */
const char *client_csrf(struct client *);
void	 client_take_csrf(struct client *, const struct http_resp *);
/* Percent-encodes s (static rotating buffers: use right away). */
const char *urlenc(const char *s);

/*
 * Signs up a new runner (unique email from prefix) through the real pages,
 * then signs in (sign-up itself does not), leaving the client signed in;
 * the email is returned in out.
 */
void	 client_signup(struct client *, const char *prefix, char out[128]);
/* Signs in; returns the status of the POST (303 on success). */
long	 client_login(struct client *, const char *email, const char *pw);
#define TEST_PASSWORD	"correct horse battery"

/*
 * The calendar-feed token plan_id's calendar page shows to the signed-in
 * client (64 hex digits) into out; false if the page has none.
 */
bool	 client_feed_token(struct client *, const char *plan_id, char out[65]);

/* The pool under test: its master (CADENCE_MASTER_PID) and children. */
pid_t	 pool_master(void);
int	 pool_count_children(pid_t parent);
/* The pool's size once whole: the most children seen over 200 ms. */
int	pool_whole_count(pid_t parent);
/* A child of parent whose process name is comm (NULL: any); 0 if none. */
pid_t	 pool_child(pid_t parent, const char *comm);

/* Test environment helpers. */
/* First column of the first row of sql on DATABASE_URL ("" if none). */
const char *db_value(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Runs sql; returns affected rows or -1. */
long	 db_exec_sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	 run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *env_or(const char *name, const char *def);

#endif
