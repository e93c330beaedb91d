/*
 * Integration tests of build/strava-sandbox: each test starts its own
 * sandbox on a free loopback port (the binary: $STRAVA_SANDBOX_BIN, else
 * $BUILD/strava-sandbox, else build/strava-sandbox) and talks to it with libcurl, as Cadence would, plus a
 * small callback server thread standing in for Cadence's webhook endpoint.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>

#include "core/buf.h"

#define SANDBOX_BIN_DEFAULT	"build/strava-sandbox"
#define REDIRECT		"http://127.0.0.1:9/callback"
#define CB_MAX_REQ		64
#define WAIT_MS			6000

/* ---- the sandbox process ---- */

static pid_t	sandbox_pid;
static char	sandbox_url[128];
static char	state_path[128];

static void
sandbox_start(const char *state)
{
	static const char *const env[] = { "STRAVA_SANDBOX_LISTEN",
	    "STRAVA_SANDBOX_CLIENT_ID", "STRAVA_SANDBOX_CLIENT_SECRET",
	    "STRAVA_SANDBOX_STATE", "STRAVA_SANDBOX_PUBLIC_URL", "STRAVA_SANDBOX_SEED" };
	const char	*bin = getenv("STRAVA_SANDBOX_BIN");
	char		 line[256] = "", path[512];
	size_t		 i;
	FILE		*out;
	int		 fds[2];

	cr_assert_eq(pipe(fds), 0);
	sandbox_pid = fork();
	cr_assert_neq(sandbox_pid, -1);
	if (sandbox_pid == 0) {
		/* Dies with the test process, even when a test times out. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], STDOUT_FILENO);
		if (getenv("SANDBOX_VERBOSE") == NULL)
			(void)!freopen("/dev/null", "w", stderr);
		close(fds[0]);
		close(fds[1]);
		/* Our own sandbox, not the harness's: no settings inherited. */
		for (i = 0; i < sizeof(env) / sizeof(env[0]); i++)
			unsetenv(env[i]);
		if (bin == NULL && getenv("BUILD") != NULL) {
			snprintf(path, sizeof(path), "%s/strava-sandbox", getenv("BUILD"));
			bin = path;
		}
		bin = bin ? bin : SANDBOX_BIN_DEFAULT;
		if (state)
			execl(bin, bin, "--listen", "127.0.0.1:0", "--seed", "42",
			    "--state", state, (char *)NULL);
		else
			execl(bin, bin, "--listen", "127.0.0.1:0", "--seed", "42", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	cr_assert(fgets(line, sizeof(line), out) != NULL, "sandbox did not start");
	fclose(out);
	cr_assert(sscanf(line, "strava-sandbox listening on %127s", sandbox_url) == 1,
	    "unexpected banner: %s", line);
}

static void
sandbox_stop(void)
{
	int status;

	if (sandbox_pid > 0) {
		kill(sandbox_pid, SIGTERM);
		waitpid(sandbox_pid, &status, 0);
		cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "sandbox did not exit cleanly on SIGTERM");
		sandbox_pid = 0;
	}
}

static void
setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	sandbox_start(NULL);
}

static void
teardown(void)
{
	sandbox_stop();
	if (state_path[0]) {
		unlink(state_path);
		state_path[0] = '\0';
	}
}

/* ---- HTTP client ---- */

struct resp {
	long	 status;
	buf_t	 body;
	buf_t	 headers;
	json_t	*json;
	double	 seconds;
};

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* method path [body [bearer]]; a body starting with '{' is sent as JSON. */
static struct resp
http(const char *method, const char *path, const char *body, const char *bearer)
{
	struct resp		 r;
	struct curl_slist	*hdr = NULL;
	char			 url[2048], auth[256];
	CURL			*c = curl_easy_init();

	memset(&r, 0, sizeof(r));
	snprintf(url, sizeof(url), "%s%s", sandbox_url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		if (body[0] == '{')
			hdr = curl_slist_append(hdr, "Content-Type: application/json");
	}
	if (bearer != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", bearer);
		hdr = curl_slist_append(hdr, auth);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	cr_assert_eq(curl_easy_perform(c), CURLE_OK, "%s %s failed", method, path);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r.seconds);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	if (r.body.len > 0)
		r.json = json_loads(r.body.data, 0, NULL);
	return r;
}

static void
resp_free(struct resp *r)
{
	buf_free(&r->body);
	buf_free(&r->headers);
	json_decref(r->json);
}

/* A response header's value, copied into out ("" when absent). */
static const char *
header(const struct resp *r, const char *name, char *out, size_t size)
{
	const char	*p = buf_cstr(&r->headers);
	size_t		 n = strlen(name);

	out[0] = '\0';
	while ((p = strstr(p, "\n")) != NULL) {
		p++;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			p += strspn(p, " ");
			snprintf(out, size, "%.*s", (int)strcspn(p, "\r\n"), p);
			break;
		}
	}
	return out;
}

static const char *
jstr(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));

	return s ? s : "";
}

static long long
jint(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

/* The code field of the first Strava-style error. */
static const char *
err_code(const struct resp *r, const char *what)
{
	return jstr(json_array_get(json_object_get(r->json, "errors"), 0), what);
}

static void
set_config(const char *json)
{
	struct resp r = http("POST", "/_sandbox/config", json, NULL);

	cr_assert_eq(r.status, 200, "config %s: %s", json, buf_cstr(&r.body));
	resp_free(&r);
}

/* ---- OAuth helpers ---- */

static char *
authorize(const char *scope, long long athlete_id, const char *decision)
{
	char		 body[512], loc[1024];
	struct resp	 r;

	snprintf(body, sizeof(body), "client_id=1000&redirect_uri=" REDIRECT
	    "&response_type=code&state=st4te&athlete_id=%lld&decision=%s&scope=%s",
	    athlete_id, decision, scope);
	r = http("POST", "/oauth/authorize", body, NULL);
	cr_assert_eq(r.status, 302, "authorize: %ld %s", r.status, buf_cstr(&r.body));
	header(&r, "Location", loc, sizeof(loc));
	resp_free(&r);
	return strdup(loc);
}

static char *
code_from(const char *location)
{
	const char *p = strstr(location, "code=");

	cr_assert(p != NULL, "no code in %s", location);
	return strndup(p + 5, strcspn(p + 5, "&"));
}

struct tokens {
	char	 access[64];
	char	 refresh[64];
};

static struct tokens
login(const char *scope, long long athlete_id)
{
	char		*loc = authorize(scope, athlete_id, "authorize"), *code = code_from(loc);
	char		 body[256];
	struct tokens	 t;
	struct resp	 r;

	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&grant_type=authorization_code&code=%s", code);
	r = http("POST", "/oauth/token", body, NULL);
	cr_assert_eq(r.status, 200, "token: %s", buf_cstr(&r.body));
	snprintf(t.access, sizeof(t.access), "%s", jstr(r.json, "access_token"));
	snprintf(t.refresh, sizeof(t.refresh), "%s", jstr(r.json, "refresh_token"));
	resp_free(&r);
	free(loc);
	free(code);
	return t;
}

/* ---- the callback server (Cadence's webhook endpoint) ---- */

enum cb_mode { CB_OK, CB_FAIL, CB_SLOW, CB_WRONG_CHALLENGE };

struct cb_req {
	char	 method[8];
	char	 target[512];
	char	 body[2048];
};

static struct {
	int		 fd, port;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	volatile int	 stop;
	enum cb_mode	 mode;
	int		 fail_first;	/* the first N POSTs answer 500 */
	int		 posts;
	struct cb_req	 reqs[CB_MAX_REQ];
	int		 nreq;
} cb = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
cb_answer(int fd, int status, const char *body)
{
	char out[512];
	int n = snprintf(out, sizeof(out), "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", status, strlen(body), body);

	(void)!send(fd, out, (size_t)n, MSG_NOSIGNAL);
}

static void
cb_handle(int fd)
{
	char		 in[8192], *end, *cl, chal[128] = "", body[256];
	struct cb_req	 q;
	size_t		 len = 0, want;
	ssize_t		 n;
	int		 status = 200;
	const char	*p;

	memset(&q, 0, sizeof(q));
	while ((end = (len ? strstr(in, "\r\n\r\n") : NULL)) == NULL) {
		if (len >= sizeof(in) - 1 || (n = recv(fd, in + len, sizeof(in) - 1 - len, 0)) <= 0)
			return;
		len += (size_t)n;
		in[len] = '\0';
	}
	want = (size_t)(end + 4 - in);
	if ((cl = strcasestr(in, "Content-Length:")) != NULL && cl < end)
		want += (size_t)atoi(cl + 15);
	while (len < want && len < sizeof(in) - 1 &&
	    (n = recv(fd, in + len, sizeof(in) - 1 - len, 0)) > 0)
		in[len += (size_t)n] = '\0';
	sscanf(in, "%7s %511s", q.method, q.target);
	snprintf(q.body, sizeof(q.body), "%s", end + 4);
	pthread_mutex_lock(&cb.lock);
	if (cb.nreq < CB_MAX_REQ)
		cb.reqs[cb.nreq++] = q;
	if (strcmp(q.method, "POST") == 0 && cb.posts++ < cb.fail_first)
		status = 500;
	pthread_mutex_unlock(&cb.lock);
	if (strcmp(q.method, "GET") == 0) {
		if ((p = strstr(q.target, "hub.challenge=")) != NULL)
			snprintf(chal, sizeof(chal), "%.*s", (int)strcspn(p + 14, "&"), p + 14);
		snprintf(body, sizeof(body), "{\"hub.challenge\":\"%s\"}",
		    cb.mode == CB_WRONG_CHALLENGE ? "nope" : chal);
		cb_answer(fd, 200, body);
		return;
	}
	if (cb.mode == CB_SLOW)
		usleep(700 * 1000);
	cb_answer(fd, cb.mode == CB_FAIL ? 500 : status, "{}");
}

static void *
cb_loop(void *arg)
{
	struct pollfd	 pfd = { cb.fd, POLLIN, 0 };
	int		 c;

	while (!cb.stop)
		if (poll(&pfd, 1, 50) > 0 && (c = accept(cb.fd, NULL, NULL)) >= 0) {
			cb_handle(c);
			close(c);
		}
	return NULL;
}

static void
cb_start(enum cb_mode mode)
{
	struct sockaddr_in	sa = { .sin_family = AF_INET };
	socklen_t		len = sizeof(sa);

	cb.mode = mode;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cb.fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(cb.fd >= 0);
	cr_assert_eq(bind(cb.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(cb.fd, 16), 0);
	getsockname(cb.fd, (struct sockaddr *)&sa, &len);
	cb.port = ntohs(sa.sin_port);
	cr_assert_eq(pthread_create(&cb.thread, NULL, cb_loop, NULL), 0);
}

static void
cb_stop(void)
{
	cb.stop = 1;
	pthread_join(cb.thread, NULL);
	close(cb.fd);
}

/* Subscribes the callback server; returns the subscription id. */
static long long
subscribe(void)
{
	char		 body[256];
	struct resp	 r;
	long long	 id;

	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&callback_url=http://127.0.0.1:%d/strava/webhook&verify_token=v3rify", cb.port);
	r = http("POST", "/api/v3/push_subscriptions", body, NULL);
	cr_assert_eq(r.status, 201, "subscribe: %s", buf_cstr(&r.body));
	id = jint(r.json, "id");
	resp_free(&r);
	return id;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until the sandbox logged n delivery attempts and has none pending. */
static json_t *
wait_deliveries(size_t n)
{
	long long	 until = now_ms() + WAIT_MS;
	json_t		*log = NULL;
	struct resp	 r;

	for (;;) {
		r = http("GET", "/_sandbox/deliveries", NULL, NULL);
		log = json_incref(json_object_get(r.json, "deliveries"));
		if ((json_array_size(log) >= n && jint(r.json, "pending") == 0) ||
		    now_ms() > until) {
			resp_free(&r);
			return log;
		}
		json_decref(log);
		resp_free(&r);
		usleep(50 * 1000);
	}
}

static json_t *
event_of(json_t *log, size_t i)
{
	return json_object_get(json_array_get(log, i), "event");
}

static long long
record_run(const char *extra)
{
	char		 body[512];
	struct resp	 r;
	long long	 id;

	snprintf(body, sizeof(body), "{\"distance_km\":10.5,\"duration\":\"0:55:00\","
	    "\"start_date_local\":\"2026-01-10T18:30:00\"%s%s}", extra[0] ? "," : "", extra);
	r = http("POST", "/_sandbox/activities", body, NULL);
	cr_assert_eq(r.status, 201, "record: %s", buf_cstr(&r.body));
	id = jint(r.json, "id");
	resp_free(&r);
	return id;
}

TestSuite(sandbox, .init = setup, .fini = teardown, .timeout = 25);

/* ---- OAuth ---- */

Test(sandbox, authorize_page_and_validation)
{
	struct resp r = http("GET", "/oauth/authorize?client_id=1000&redirect_uri=" REDIRECT
	    "&response_type=code&approval_prompt=auto&scope=read,activity:read_all&state=abc",
	    NULL, NULL);

	cr_assert_eq(r.status, 200);
	cr_expect(strstr(buf_cstr(&r.body), "value=\"activity:read_all\"") != NULL);
	cr_expect(strstr(buf_cstr(&r.body), "Sandy Strider") != NULL);
	cr_expect(strstr(buf_cstr(&r.body), ">Authorize<") != NULL);
	cr_expect(strstr(buf_cstr(&r.body), ">Cancel<") != NULL);
	resp_free(&r);

	r = http("GET", "/oauth/authorize?client_id=999&redirect_uri=" REDIRECT
	    "&response_type=code", NULL, NULL);
	cr_assert_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "message"), "Bad Request");
	cr_expect_str_eq(err_code(&r, "resource"), "Application");
	cr_expect_str_eq(err_code(&r, "field"), "client_id");
	cr_expect_str_eq(err_code(&r, "code"), "invalid");
	resp_free(&r);

	r = http("GET", "/oauth/authorize?client_id=1000&redirect_uri=" REDIRECT
	    "&response_type=token", NULL, NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(err_code(&r, "field"), "response_type");
	resp_free(&r);
}

Test(sandbox, authorize_redirect_shapes)
{
	char *ok = authorize("activity:read_all", 9001, "authorize");
	char *no = authorize("activity:read_all", 9001, "cancel");

	cr_expect(strncmp(ok, REDIRECT "?state=st4te&code=", strlen(REDIRECT) + 18) == 0, "%s", ok);
	cr_expect(strstr(ok, "&scope=read,activity:read_all") != NULL, "%s", ok);
	cr_expect_str_eq(no, REDIRECT "?state=st4te&error=access_denied");
	free(ok);
	free(no);
	/* An unticked box is not granted; read always is. */
	ok = authorize("activity:read", 9001, "authorize");
	cr_expect(strstr(ok, "&scope=read,activity:read") != NULL &&
	    strstr(ok, "read_all") == NULL, "%s", ok);
	free(ok);
}

Test(sandbox, code_is_single_use_and_secret_checked)
{
	char		*loc = authorize("activity:read_all", 9001, "authorize");
	char		*code = code_from(loc), body[256];
	struct resp	 r;

	snprintf(body, sizeof(body), "client_id=1000&client_secret=wrong"
	    "&grant_type=authorization_code&code=%s", code);
	r = http("POST", "/oauth/token", body, NULL);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(err_code(&r, "field"), "client_secret");
	resp_free(&r);

	snprintf(body, sizeof(body), "{\"client_id\":1000,\"client_secret\":\"sandbox-secret\","
	    "\"grant_type\":\"authorization_code\",\"code\":\"%s\"}", code);
	r = http("POST", "/oauth/token", body, NULL);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	cr_expect_str_eq(jstr(r.json, "token_type"), "Bearer");
	cr_expect_eq(strlen(jstr(r.json, "access_token")), 40);
	cr_expect_eq(jint(r.json, "expires_in"), 21600);
	cr_expect_eq(jint(json_object_get(r.json, "athlete"), "id"), 9001);
	resp_free(&r);

	r = http("POST", "/oauth/token", body, NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(err_code(&r, "resource"), "AuthorizationCode");
	resp_free(&r);
	free(loc);
	free(code);
}

Test(sandbox, refresh_rotates_and_old_token_dies)
{
	struct tokens	 t = login("activity:read_all", 9001);
	char		 body[256], fresh[64];
	struct resp	 r;

	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&grant_type=refresh_token&refresh_token=%s", t.refresh);
	r = http("POST", "/oauth/token", body, NULL);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	cr_expect_null(json_object_get(r.json, "athlete"));
	snprintf(fresh, sizeof(fresh), "%s", jstr(r.json, "refresh_token"));
	cr_expect_str_neq(fresh, t.refresh);
	/* Not close to expiry: Strava hands back the same access token. */
	cr_expect_str_eq(jstr(r.json, "access_token"), t.access);
	resp_free(&r);

	r = http("POST", "/oauth/token", body, NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(err_code(&r, "resource"), "RefreshToken");
	cr_expect_str_eq(err_code(&r, "field"), "refresh_token");
	resp_free(&r);

	set_config("{\"rotate_refresh_tokens\":false}");
	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&grant_type=refresh_token&refresh_token=%s", fresh);
	r = http("POST", "/oauth/token", body, NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "refresh_token"), fresh);
	resp_free(&r);
}

Test(sandbox, expired_access_token_is_401_until_refreshed)
{
	struct tokens	 t = login("activity:read_all", 9001);
	struct resp	 r = http("POST", "/_sandbox/expire-tokens", "", NULL);
	char		 body[256];

	cr_expect_eq(jint(r.json, "expired"), 1);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_assert_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "message"), "Authorization Error");
	cr_expect_str_eq(err_code(&r, "resource"), "Athlete");
	cr_expect_str_eq(err_code(&r, "field"), "access_token");
	resp_free(&r);

	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&grant_type=refresh_token&refresh_token=%s", t.refresh);
	r = http("POST", "/oauth/token", body, NULL);
	cr_assert_eq(r.status, 200);
	cr_expect_str_neq(jstr(r.json, "access_token"), t.access);
	snprintf(t.access, sizeof(t.access), "%s", jstr(r.json, "access_token"));
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 200);
	resp_free(&r);

	/* A short TTL runs out on its own. */
	set_config("{\"access_token_ttl\":1}");
	t = login("activity:read_all", 9001);
	sleep(2);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 401);
	resp_free(&r);
}

/* ---- REST ---- */

Test(sandbox, athlete_endpoint)
{
	struct tokens	 t = login("read", 9001);
	struct resp	 r = http("GET", "/api/v3/athlete", NULL, t.access);

	cr_assert_eq(r.status, 200);
	cr_expect_eq(jint(r.json, "id"), 9001);
	cr_expect_str_eq(jstr(r.json, "firstname"), "Sandy");
	cr_expect_str_eq(jstr(r.json, "lastname"), "Strider");
	cr_expect_str_eq(jstr(r.json, "username"), "sandy_strider");
	cr_expect_str_eq(jstr(r.json, "city"), "Paris");
	cr_expect_str_eq(jstr(r.json, "sex"), "F");
	cr_expect_eq(jint(r.json, "resource_state"), 2);
	resp_free(&r);

	r = http("GET", "/api/v3/athlete", NULL, NULL);
	cr_expect_eq(r.status, 401);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, "0123456789012345678901234567890123456789");
	cr_expect_eq(r.status, 401);
	resp_free(&r);
}

Test(sandbox, seeded_history_is_realistic)
{
	struct resp	 r = http("GET", "/_sandbox/activities?athlete_id=9001", NULL, NULL);
	json_t		*a;
	size_t		 i, runs = 0, trail = 0, rides = 0, priv = 0, manual = 0, hr = 0, shifted = 0;

	cr_assert_eq(r.status, 200);
	json_array_foreach(r.json, i, a) {
		const char *type = jstr(a, "sport_type");

		runs += strcmp(type, "Run") == 0 || strcmp(type, "TrailRun") == 0;
		trail += strcmp(type, "TrailRun") == 0;
		rides += strcmp(type, "Ride") == 0;
		priv += json_is_true(json_object_get(a, "private"));
		manual += json_is_true(json_object_get(a, "manual"));
		hr += json_is_true(json_object_get(a, "has_heartrate"));
		/* a UTC date that differs from the local one */
		shifted += strncmp(jstr(a, "start_date"), jstr(a, "start_date_local"), 10) != 0;
		cr_expect(strcmp(jstr(a, "start_date"), jstr(a, "start_date_local")) != 0);
		cr_expect_eq(jstr(a, "start_date_local")[19], 'Z');
	}
	cr_expect(runs >= 4 * 8 && runs <= 6 * 8 + 1, "runs: %zu", runs);
	cr_expect_eq(trail, 1);
	cr_expect_eq(rides, 1);
	cr_expect_eq(priv, 1);
	cr_expect_eq(manual, 1);
	cr_expect(hr >= 8 && hr < runs, "with heart rate: %zu", hr);
	cr_expect_geq(shifted, 1);
	resp_free(&r);
}

/* Lists; copies the start_date of the first and last activity returned. */
static size_t
list_count(const char *token, const char *query, char first[32], char last[32])
{
	char		 path[256];
	struct resp	 r;
	size_t		 n;

	snprintf(path, sizeof(path), "/api/v3/athlete/activities%s", query);
	r = http("GET", path, NULL, token);
	cr_assert_eq(r.status, 200, "%s: %s", path, buf_cstr(&r.body));
	n = json_array_size(r.json);
	if (first && n)
		snprintf(first, 32, "%s", jstr(json_array_get(r.json, 0), "start_date"));
	if (last && n)
		snprintf(last, 32, "%s", jstr(json_array_get(r.json, n - 1), "start_date"));
	resp_free(&r);
	return n;
}

Test(sandbox, activity_list_paging_and_filters)
{
	struct tokens	 t = login("activity:read_all", 9001);
	struct resp	 r = http("POST", "/_sandbox/activities/bulk",
	    "{\"count\":1000,\"interval\":21600,\"before\":1700000000}", NULL);
	size_t		 total = 0, n, page;
	char		 first[32], last[32], a_first[32], a_last[32], q[128];

	cr_assert_eq(r.status, 201);
	cr_expect_eq(jint(r.json, "created"), 1000);
	resp_free(&r);

	cr_expect_eq(list_count(t.access, "", NULL, NULL), 30);
	cr_expect_eq(list_count(t.access, "?per_page=500", NULL, NULL), 200);
	for (page = 1; (n = list_count(t.access, (snprintf(q, sizeof(q),
	    "?per_page=200&page=%zu", page), q), NULL, NULL)) > 0; page++)
		total += n;
	cr_expect_geq(total, 1040);
	/* bulk runs: every 6 h before 1700000000, so 4 in the last day */
	cr_expect_eq(list_count(t.access, "?before=1700000000&after=1699913600", NULL, NULL), 3);
	cr_expect_eq(list_count(t.access, "?before=1700000001&after=1699913599", NULL, NULL), 4);
	/* newest first; with "after" oldest first */
	list_count(t.access, "?before=1700000000&per_page=2", first, last);
	list_count(t.access, "?after=1690000000&before=1700000000&per_page=5", a_first, a_last);
	cr_expect_gt(strcmp(first, last), 0, "%s then %s", first, last);
	cr_expect_lt(strcmp(a_first, a_last), 0, "%s then %s", a_first, a_last);
	cr_expect_str_eq(first, "2023-11-14T16:13:20Z");	/* 1700000000 - 6 h */
	cr_expect_str_eq(a_first, "2023-07-22T10:13:20Z");	/* first after 1690000000 */
	r = http("GET", "/api/v3/athlete/activities?before=yesterday", NULL, t.access);
	cr_expect_eq(r.status, 400);
	resp_free(&r);
}

Test(sandbox, private_activities_need_read_all)
{
	struct tokens	 all = login("activity:read_all", 9001);
	struct tokens	 some = login("activity:read", 9001);
	struct tokens	 none = login("read", 9001);
	long long	 priv = record_run("\"private\":true,\"name\":\"Secret\"");
	char		 path[64];
	size_t		 n_all = list_count(all.access, "?per_page=200", NULL, NULL);
	size_t		 n_some = list_count(some.access, "?per_page=200", NULL, NULL);
	struct resp	 r;

	cr_expect_eq(n_all, n_some + 2);	/* the seeded one and ours */
	snprintf(path, sizeof(path), "/api/v3/activities/%lld", priv);
	r = http("GET", path, NULL, some.access);
	cr_expect_eq(r.status, 404);
	cr_expect_str_eq(jstr(r.json, "message"), "Record Not Found");
	cr_expect_str_eq(err_code(&r, "resource"), "Activity");
	resp_free(&r);
	r = http("GET", path, NULL, all.access);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(jint(r.json, "resource_state"), 3);
	cr_expect_str_eq(jstr(r.json, "visibility"), "only_me");
	resp_free(&r);
	r = http("GET", "/api/v3/athlete/activities", NULL, none.access);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(err_code(&r, "field"), "activity:read_permission");
	cr_expect_str_eq(err_code(&r, "code"), "missing");
	resp_free(&r);
	r = http("GET", "/api/v3/activities/999", NULL, all.access);
	cr_expect_eq(r.status, 404);
	resp_free(&r);
}

/* The athlete authorizes again with fewer scopes: the token stays, the
 * activity endpoints then answer Strava's missing-scope 401. */
Test(sandbox, scope_change_and_usage_counters)
{
	struct tokens	 t = login("activity:read_all", 9001);
	struct resp	 r;

	r = http("POST", "/_sandbox/reset-usage", "", NULL);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete/activities", NULL, t.access);
	cr_expect_eq(r.status, 200);
	resp_free(&r);
	r = http("POST", "/_sandbox/tokens/scope", "athlete_id=9001&scope=read",
	    NULL);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	cr_expect_geq(jint(r.json, "changed"), 1);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete/activities", NULL, t.access);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "message"), "Authorization Error");
	cr_expect_str_eq(err_code(&r, "resource"), "AccessToken");
	cr_expect_str_eq(err_code(&r, "field"), "activity:read_permission");
	cr_expect_str_eq(err_code(&r, "code"), "missing");
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);	/* "read" */
	cr_expect_eq(r.status, 200);
	resp_free(&r);
	/* Every call counted, the refused ones too, as Strava does. */
	r = http("GET", "/_sandbox/usage", NULL, NULL);
	cr_expect_eq(jint(r.json, "read_usage_daily"), 3);
	resp_free(&r);
	r = http("POST", "/_sandbox/tokens/scope", "athlete_id=x&scope=read",
	    NULL);
	cr_expect_eq(r.status, 400);
	resp_free(&r);
}

Test(sandbox, activity_detail_fields)
{
	struct tokens	 t = login("activity:read_all", 9001);
	long long	 id = record_run("\"name\":\"Riverside\",\"type\":\"TrailRun\","
	    "\"average_heartrate\":151,\"max_heartrate\":170");
	char		 path[64];
	struct resp	 r;
	json_t		*j;

	snprintf(path, sizeof(path), "/api/v3/activities/%lld", id);
	r = http("GET", path, NULL, t.access);
	cr_assert_eq(r.status, 200);
	j = r.json;
	cr_expect_gt(jint(j, "id"), 4294967296LL);
	cr_expect_str_eq(jstr(j, "name"), "Riverside");
	cr_expect_str_eq(jstr(j, "type"), "Run");
	cr_expect_str_eq(jstr(j, "sport_type"), "TrailRun");
	cr_expect_float_eq(json_number_value(json_object_get(j, "distance")), 10500.0, 0.01);
	cr_expect_eq(jint(j, "moving_time"), 3300);
	cr_expect_str_eq(jstr(j, "start_date"), "2026-01-10T17:30:00Z");
	cr_expect_str_eq(jstr(j, "start_date_local"), "2026-01-10T18:30:00Z");
	cr_expect_str_eq(jstr(j, "timezone"), "(GMT+01:00) Europe/Paris");
	cr_expect_float_eq(json_number_value(json_object_get(j, "utc_offset")), 3600.0, 0.01);
	cr_expect(json_is_true(json_object_get(j, "has_heartrate")));
	cr_expect_float_eq(json_number_value(json_object_get(j, "average_heartrate")), 151, 0.01);
	cr_expect_eq(jint(json_object_get(j, "athlete"), "id"), 9001);
	cr_expect_eq(jint(json_object_get(j, "map"), "resource_state"), 3);
	cr_expect_gt(strlen(jstr(json_object_get(j, "map"), "summary_polyline")), 10);
	resp_free(&r);
}

Test(sandbox, rate_limit_headers_and_429)
{
	struct tokens	 t = login("activity:read_all", 9001);
	char		 v[64];
	struct resp	 r;
	int		 i;

	set_config("{\"rate_limit_15min\":100,\"read_rate_limit_15min\":3}");
	for (i = 1; i <= 3; i++) {
		r = http("GET", "/api/v3/athlete", NULL, t.access);
		cr_assert_eq(r.status, 200);
		cr_expect_str_eq(header(&r, "X-RateLimit-Limit", v, sizeof(v)), "100,2000");
		cr_expect_str_eq(header(&r, "X-ReadRateLimit-Limit", v, sizeof(v)), "3,1000");
		header(&r, "X-ReadRateLimit-Usage", v, sizeof(v));
		cr_expect_eq(atoi(v), i, "usage %s on call %d", v, i);
		resp_free(&r);
	}
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 429);
	cr_expect_str_eq(jstr(r.json, "message"), "Rate Limit Exceeded");
	cr_expect_str_eq(err_code(&r, "field"), "rate limit");
	cr_expect_str_eq(err_code(&r, "code"), "exceeded");
	cr_expect_str_eq(header(&r, "X-RateLimit-Usage", v, sizeof(v)), "4,4");
	resp_free(&r);
	r = http("POST", "/_sandbox/reset-usage", "", NULL);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 200);
	resp_free(&r);
}

Test(sandbox, fault_injection)
{
	struct tokens	 t = login("activity:read_all", 9001);
	struct resp	 r;
	long long	 id;
	char		 path[64];

	set_config("{\"fail_next_5xx\":2,\"fail_next_429\":1}");
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 429);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 503);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 503);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 200);
	resp_free(&r);

	/* A 400 is Strava refusing the request, not the token. */
	set_config("{\"fail_next_400\":1}");
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "message"), "Bad Request");
	cr_expect_str_eq(err_code(&r, "code"), "invalid");
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 200);
	resp_free(&r);

	set_config("{\"activity_404_after_create\":2}");
	id = record_run("");
	snprintf(path, sizeof(path), "/api/v3/activities/%lld", id);
	r = http("GET", path, NULL, t.access);
	cr_expect_eq(r.status, 404);
	resp_free(&r);
	r = http("GET", path, NULL, t.access);
	cr_expect_eq(r.status, 404);
	resp_free(&r);
	r = http("GET", path, NULL, t.access);
	cr_expect_eq(r.status, 200);
	resp_free(&r);

	set_config("{\"delay_ms\":300}");
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 200);
	cr_expect_geq(r.seconds, 0.29);
	resp_free(&r);

	r = http("POST", "/_sandbox/config", "{\"fail_5xx_status\":200}", NULL);
	cr_expect_eq(r.status, 400);
	resp_free(&r);
}

/* ---- webhooks ---- */

Test(sandbox, subscription_lifecycle)
{
	struct resp	 r;
	char		 body[256], path[128];
	long long	 id;

	cb_start(CB_OK);
	id = subscribe();
	cr_expect_gt(id, 0);
	pthread_mutex_lock(&cb.lock);
	cr_assert_eq(cb.nreq, 1);
	cr_expect_str_eq(cb.reqs[0].method, "GET");
	cr_expect(strstr(cb.reqs[0].target, "/strava/webhook?hub.mode=subscribe&hub.challenge=")
	    != NULL, "%s", cb.reqs[0].target);
	cr_expect(strstr(cb.reqs[0].target, "&hub.verify_token=v3rify") != NULL);
	pthread_mutex_unlock(&cb.lock);

	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&callback_url=http://127.0.0.1:%d/x&verify_token=v", cb.port);
	r = http("POST", "/api/v3/push_subscriptions", body, NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(err_code(&r, "code"), "already exists");
	resp_free(&r);

	r = http("GET", "/api/v3/push_subscriptions?client_id=1000&client_secret=sandbox-secret",
	    NULL, NULL);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(json_array_size(r.json), 1);
	cr_expect_eq(jint(json_array_get(r.json, 0), "id"), id);
	cr_expect_eq(jint(json_array_get(r.json, 0), "application_id"), 1000);
	cr_expect_eq(jint(json_array_get(r.json, 0), "resource_state"), 2);
	cr_expect(strstr(jstr(json_array_get(r.json, 0), "callback_url"), "/strava/webhook"));
	resp_free(&r);

	r = http("GET", "/api/v3/push_subscriptions?client_id=1000&client_secret=bad", NULL, NULL);
	cr_expect_eq(r.status, 401);
	resp_free(&r);

	snprintf(path, sizeof(path), "/api/v3/push_subscriptions/%lld?client_id=1000"
	    "&client_secret=sandbox-secret", id);
	r = http("DELETE", path, NULL, NULL);
	cr_expect_eq(r.status, 204);
	resp_free(&r);
	r = http("GET", "/api/v3/push_subscriptions?client_id=1000&client_secret=sandbox-secret",
	    NULL, NULL);
	cr_expect_eq(json_array_size(r.json), 0);
	resp_free(&r);

	/* A callback that does not echo the challenge is refused. */
	cb.mode = CB_WRONG_CHALLENGE;
	r = http("POST", "/api/v3/push_subscriptions", body, NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(err_code(&r, "resource"), "PushSubscription");
	resp_free(&r);
	cb_stop();
}

Test(sandbox, webhooks_on_record_edit_delete)
{
	struct tokens	 t = login("activity:read_all", 9001);
	json_t		*log, *e;
	long long	 sub, id, other;
	char		 path[64];
	struct resp	 r;

	(void)t;
	cb_start(CB_OK);
	sub = subscribe();
	/* an athlete who never authorized the app: no events */
	r = http("POST", "/_sandbox/athletes", "{\"firstname\":\"Nora\",\"lastname\":\"Nobody\"}", NULL);
	cr_assert_eq(r.status, 201);
	other = jint(r.json, "id");
	resp_free(&r);
	snprintf(path, sizeof(path), "\"athlete_id\":%lld", other);
	record_run(path);

	id = record_run("\"name\":\"Before\"");
	snprintf(path, sizeof(path), "/_sandbox/activities/%lld", id);
	r = http("POST", path, "{\"name\":\"After\"}", NULL);
	cr_expect_eq(r.status, 200);
	resp_free(&r);
	r = http("POST", path, "{\"private\":true,\"type\":\"TrailRun\"}", NULL);
	resp_free(&r);
	r = http("DELETE", path, NULL, NULL);
	cr_expect_eq(r.status, 204);
	resp_free(&r);

	log = wait_deliveries(4);
	cr_assert_eq(json_array_size(log), 4, "%s", json_dumps(log, 0));
	e = event_of(log, 0);
	cr_expect_str_eq(jstr(e, "aspect_type"), "create");
	cr_expect_str_eq(jstr(e, "object_type"), "activity");
	cr_expect_eq(jint(e, "object_id"), id);
	cr_expect_eq(jint(e, "owner_id"), 9001);
	cr_expect_eq(jint(e, "subscription_id"), sub);
	cr_expect_gt(jint(e, "event_time"), 1700000000);
	cr_expect_eq(json_object_size(json_object_get(e, "updates")), 0);
	e = event_of(log, 1);
	cr_expect_str_eq(jstr(e, "aspect_type"), "update");
	cr_expect_str_eq(jstr(json_object_get(e, "updates"), "title"), "After");
	e = event_of(log, 2);
	cr_expect_str_eq(jstr(json_object_get(e, "updates"), "private"), "true");
	cr_expect_str_eq(jstr(json_object_get(e, "updates"), "type"), "TrailRun");
	e = event_of(log, 3);
	cr_expect_str_eq(jstr(e, "aspect_type"), "delete");
	cr_expect_eq(jint(e, "object_id"), id);
	cr_expect(json_is_true(json_object_get(json_array_get(log, 3), "ok")));
	json_decref(log);

	pthread_mutex_lock(&cb.lock);
	cr_expect_eq(cb.nreq, 5);		/* validation GET + 4 POSTs */
	cr_expect_str_eq(cb.reqs[1].method, "POST");
	cr_expect(strstr(cb.reqs[1].body, "\"aspect_type\":\"create\"") != NULL);
	pthread_mutex_unlock(&cb.lock);
	cb_stop();
}

/* Attempts logged for the first event, and whether the last succeeded. */
static size_t
attempts_for_first_event(json_t *log, bool *last_ok, const char **last_error)
{
	long long	 seq = jint(json_array_get(log, 0), "seq");
	json_t		*a;
	size_t		 i, n = 0;

	json_array_foreach(log, i, a) {
		if (jint(a, "seq") != seq)
			continue;
		n++;
		cr_expect_eq(jint(a, "attempt"), (long long)n);
		*last_ok = json_is_true(json_object_get(a, "ok"));
		*last_error = jstr(a, "error");
	}
	return n;
}

Test(sandbox, webhook_retries_non_200_three_times)
{
	json_t		*log;
	bool		 ok = true;
	const char	*err;

	login("activity:read_all", 9001);
	set_config("{\"webhook_retry_delay_ms\":50}");
	cb_start(CB_FAIL);
	subscribe();
	record_run("");
	log = wait_deliveries(3);
	cr_expect_eq(attempts_for_first_event(log, &ok, &err), 3);
	cr_expect_not(ok);
	cr_expect_eq(jint(json_array_get(log, 2), "status"), 500);
	json_decref(log);
	cb_stop();
}

Test(sandbox, webhook_retries_slow_callback_then_succeeds)
{
	json_t		*log;
	bool		 ok = false;
	const char	*err = "";

	login("activity:read_all", 9001);
	set_config("{\"webhook_retry_delay_ms\":50,\"webhook_timeout_ms\":300}");
	cb_start(CB_SLOW);
	subscribe();
	record_run("");
	log = wait_deliveries(3);
	cr_expect_eq(attempts_for_first_event(log, &ok, &err), 3);
	cr_expect_not(ok);
	cr_expect_str_eq(err, "timeout");
	json_decref(log);

	/* A callback failing once is retried and then delivered. */
	{
		struct resp r = http("DELETE", "/_sandbox/deliveries", NULL, NULL);

		resp_free(&r);
	}
	usleep(800 * 1000);			/* let the slow handler finish */
	pthread_mutex_lock(&cb.lock);
	cb.mode = CB_OK;
	cb.fail_first = cb.posts + 1;
	pthread_mutex_unlock(&cb.lock);
	record_run("");
	log = wait_deliveries(2);
	cr_expect_eq(attempts_for_first_event(log, &ok, &err), 2);
	cr_expect(ok);
	json_decref(log);
	cb_stop();
}

Test(sandbox, deauthorize_revokes_and_sends_athlete_event)
{
	struct tokens	 t = login("activity:read_all", 9001);
	struct resp	 r;
	json_t		*log, *e;
	char		 body[256];
	long long	 sub;

	cb_start(CB_OK);
	sub = subscribe();
	snprintf(body, sizeof(body), "access_token=%s", t.access);
	r = http("POST", "/oauth/deauthorize", body, NULL);
	cr_assert_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "access_token"), t.access);
	resp_free(&r);
	r = http("GET", "/api/v3/athlete", NULL, t.access);
	cr_expect_eq(r.status, 401);
	resp_free(&r);
	snprintf(body, sizeof(body), "client_id=1000&client_secret=sandbox-secret"
	    "&grant_type=refresh_token&refresh_token=%s", t.refresh);
	r = http("POST", "/oauth/token", body, NULL);
	cr_expect_eq(r.status, 400);
	resp_free(&r);

	log = wait_deliveries(1);
	cr_assert_eq(json_array_size(log), 1);
	e = event_of(log, 0);
	cr_expect_str_eq(jstr(e, "aspect_type"), "update");
	cr_expect_str_eq(jstr(e, "object_type"), "athlete");
	cr_expect_eq(jint(e, "object_id"), 9001);
	cr_expect_eq(jint(e, "owner_id"), 9001);
	cr_expect_eq(jint(e, "subscription_id"), sub);
	cr_expect_str_eq(jstr(json_object_get(e, "updates"), "authorized"), "false");
	json_decref(log);

	/* once deauthorized, her new runs raise no events */
	record_run("");
	usleep(300 * 1000);
	log = wait_deliveries(1);
	cr_expect_eq(json_array_size(log), 1);
	json_decref(log);
	cb_stop();
}

/* ---- the program ---- */

Test(sandbox, state_file_survives_restart)
{
	struct tokens	 t;
	struct resp	 r;

	sandbox_stop();
	snprintf(state_path, sizeof(state_path), "/tmp/sandbox-test-%d.json", (int)getpid());
	unlink(state_path);
	sandbox_start(state_path);
	t = login("activity:read_all", 9001);
	record_run("\"name\":\"Persisted\"");
	sandbox_stop();
	cr_assert_eq(access(state_path, R_OK), 0);
	sandbox_start(state_path);
	r = http("GET", "/api/v3/athlete/activities?per_page=1&before=1768100000", NULL, t.access);
	cr_assert_eq(r.status, 200, "token lost across restart: %s", buf_cstr(&r.body));
	cr_expect_str_eq(jstr(json_array_get(r.json, 0), "name"), "Persisted");
	resp_free(&r);
}

Test(sandbox, home_page_and_html_form)
{
	struct resp	 r = http("GET", "/", NULL, NULL);
	char		 loc[64];

	cr_assert_eq(r.status, 200);
	cr_expect(strstr(buf_cstr(&r.body), "Record a run") != NULL);
	cr_expect(strstr(buf_cstr(&r.body), "Long Run") != NULL);
	resp_free(&r);
	r = http("POST", "/_sandbox/activities", "html=1&athlete_id=9001&date=2026-02-01"
	    "&time=07:15&distance_km=8&duration=45:00&sport_type=Run&name=Form+run", NULL);
	cr_expect_eq(r.status, 303);
	cr_expect_str_eq(header(&r, "Location", loc, sizeof(loc)), "/");
	resp_free(&r);
	r = http("GET", "/_sandbox/activities?athlete_id=9001", NULL, NULL);
	cr_expect(strstr(buf_cstr(&r.body), "\"Form run\"") != NULL);
	cr_expect(strstr(buf_cstr(&r.body), "\"start_date\":\"2026-02-01T06:15:00Z\"") != NULL);
	resp_free(&r);
	r = http("POST", "/_sandbox/activities", "{\"distance_km\":-1,\"duration\":\"1:00\"}", NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(err_code(&r, "field"), "distance_km");
	resp_free(&r);
}
