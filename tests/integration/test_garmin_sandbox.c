/*
 * Integration tests of build/garmin-sandbox: each test starts its own
 * sandbox on a free loopback port (the binary: $GARMIN_SANDBOX_BIN, else
 * $BUILD/garmin-sandbox, else build/garmin-sandbox) and talks to it with
 * libcurl as Cadence would, plus a small callback server thread standing
 * in for Cadence's notification endpoint.  Needs nothing else running.
 */
#include <arpa/inet.h>
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
#include <sodium.h>

#include "core/buf.h"
#include "domain/workout_steps.h"
#include "garmin/workout_json.h"

#define GS_BIN_DEFAULT	"build/garmin-sandbox"
#define GS_REDIRECT	"http://127.0.0.1:9/garmin/callback"
#define GS_CLIENT	"garmin-sandbox-client"
#define GS_SECRET	"garmin-sandbox-secret"
#define GS_USER1	"d3315b1072421d0d0000000000000001"
#define GS_VERIFIER	"Xq3vR8tLm2Kp9WzA7bYc4dEf6gHj1kLn5oPq0rSt8uVw2xYz"
#define GS_MAX_CB	32
#define GS_WAIT_MS	6000

/* ---- the sandbox process ---- */

static pid_t	gs_pid;
static char	gs_url[128];

static void
gs_start(void)
{
	static const char *const env[] = { "GARMIN_SANDBOX_LISTEN",
	    "GARMIN_SANDBOX_CLIENT_ID", "GARMIN_SANDBOX_CLIENT_SECRET",
	    "GARMIN_SANDBOX_PUBLIC_URL", "GARMIN_SANDBOX_CALLBACK_URL" };
	const char *bin = getenv("GARMIN_SANDBOX_BIN");
	char line[256] = "", path[512];
	FILE *out;
	size_t i;
	int fds[2];

	cr_assert_eq(pipe(fds), 0);
	gs_pid = fork();
	cr_assert_neq(gs_pid, -1);
	if (gs_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], STDOUT_FILENO);
		if (getenv("SANDBOX_VERBOSE") == NULL)
			(void)!freopen("/dev/null", "w", stderr);
		close(fds[0]);
		close(fds[1]);
		for (i = 0; i < sizeof(env) / sizeof(env[0]); i++)
			unsetenv(env[i]);
		if (bin == NULL && getenv("BUILD") != NULL) {
			snprintf(path, sizeof(path), "%s/garmin-sandbox", getenv("BUILD"));
			bin = path;
		}
		bin = bin ? bin : GS_BIN_DEFAULT;
		execl(bin, bin, "--listen", "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	cr_assert(fgets(line, sizeof(line), out) != NULL, "garmin-sandbox did not start");
	fclose(out);
	cr_assert(sscanf(line, "garmin-sandbox listening on %127s", gs_url) == 1,
	    "unexpected banner: %s", line);
}

/* ---- the callback server ---- */

static struct {
	int		 fd, port;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	volatile int	 stop;
	int		 fail_first;
	int		 posts;
	char		 bodies[GS_MAX_CB][4096];
	int		 n;
} gcb = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
gcb_handle(int fd)
{
	char in[8192], *end, *cl;
	size_t len = 0, want;
	ssize_t k;
	int status;
	const char *reply;

	while ((end = len ? strstr(in, "\r\n\r\n") : NULL) == NULL) {
		if (len >= sizeof(in) - 1 || (k = recv(fd, in + len, sizeof(in) - 1 - len, 0)) <= 0)
			return;
		len += (size_t)k;
		in[len] = '\0';
	}
	cl = strcasestr(in, "Content-Length:");
	want = (size_t)(end + 4 - in) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
	while (len < want && len < sizeof(in) - 1 &&
	    (k = recv(fd, in + len, sizeof(in) - 1 - len, 0)) > 0) {
		len += (size_t)k;
		in[len] = '\0';
	}
	pthread_mutex_lock(&gcb.lock);
	status = gcb.posts++ < gcb.fail_first ? 500 : 200;
	if (status == 200 && gcb.n < GS_MAX_CB)
		snprintf(gcb.bodies[gcb.n++], sizeof(gcb.bodies[0]), "%s", end + 4);
	pthread_mutex_unlock(&gcb.lock);
	reply = status == 200 ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" :
	    "HTTP/1.1 500 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	(void)!send(fd, reply, strlen(reply), MSG_NOSIGNAL);
}

static void *
gcb_loop(void *arg)
{
	struct pollfd p = { gcb.fd, POLLIN, 0 };
	int c;

	(void)arg;
	while (!gcb.stop)
		if (poll(&p, 1, 100) > 0 && (c = accept(gcb.fd, NULL, NULL)) >= 0) {
			gcb_handle(c);
			close(c);
		}
	return NULL;
}

static void
gcb_start(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t l = sizeof(sa);
	int one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	gcb.fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(gcb.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	cr_assert_eq(bind(gcb.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(gcb.fd, 16), 0);
	getsockname(gcb.fd, (struct sockaddr *)&sa, &l);
	gcb.port = ntohs(sa.sin_port);
	gcb.stop = 0;
	gcb.n = gcb.posts = gcb.fail_first = 0;
	cr_assert_eq(pthread_create(&gcb.thread, NULL, gcb_loop, NULL), 0);
}

static void
setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	cr_assert_geq(sodium_init(), 0);
	gs_start();
	gcb_start();
}

static void
teardown(void)
{
	int status;

	gcb.stop = 1;
	pthread_join(gcb.thread, NULL);
	close(gcb.fd);
	if (gs_pid > 0) {
		kill(gs_pid, SIGTERM);
		waitpid(gs_pid, &status, 0);
		cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "garmin-sandbox did not exit cleanly on SIGTERM");
		gs_pid = 0;
	}
}

TestSuite(garmin_sandbox, .init = setup, .fini = teardown, .timeout = 30);

/* ---- HTTP ---- */

struct gresp {
	long	 status;
	buf_t	 body, headers;
	json_t	*json;
};

static size_t
gcollect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* path may be absolute (a callbackURL); a body starting with '{' is JSON. */
static struct gresp
gh(const char *method, const char *path, const char *body, const char *bearer)
{
	struct gresp r;
	struct curl_slist *hdr = NULL;
	char url[2048], auth[256];
	CURL *c = curl_easy_init();

	memset(&r, 0, sizeof(r));
	snprintf(url, sizeof(url), "%s%s", strncmp(path, "http", 4) == 0 ? "" : gs_url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, gcollect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, gcollect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		if (body[0] == '{' || body[0] == '[')
			hdr = curl_slist_append(hdr, "Content-Type: application/json");
	}
	if (bearer != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", bearer);
		hdr = curl_slist_append(hdr, auth);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	cr_assert_eq(curl_easy_perform(c), CURLE_OK, "%s %s failed", method, path);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	if (r.body.len > 0)
		r.json = json_loads(r.body.data, JSON_DECODE_ANY, NULL);
	return r;
}

static void
gfree(struct gresp *r)
{
	buf_free(&r->body);
	buf_free(&r->headers);
	json_decref(r->json);
}

/* Expects status; frees the response. */
static void
expect_status(const char *method, const char *path, const char *body,
    const char *bearer, long status)
{
	struct gresp r = gh(method, path, body, bearer);

	cr_assert_eq(r.status, status, "%s %s: %ld %s", method, path, r.status,
	    buf_cstr(&r.body));
	gfree(&r);
}

static const char *
js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void
config(const char *json)
{
	expect_status("POST", "/_sandbox/config", json, NULL, 200);
}

static void
callbacks_here(void)
{
	char j[512];

	snprintf(j, sizeof(j), "{\"activities_url\":\"http://127.0.0.1:%d/garmin/push\","
	    "\"deregistrations_url\":\"http://127.0.0.1:%d/garmin/push\","
	    "\"permissions_url\":\"http://127.0.0.1:%d/garmin/push\","
	    "\"webhook_retry_delay_ms\":50}", gcb.port, gcb.port, gcb.port);
	config(j);
}

/* Waits for the n-th (0-based) notification and returns it parsed. */
static json_t *
notification(int n)
{
	struct timespec ts = { 0, 20 * 1000000 };
	int waited;
	json_t *j = NULL;

	for (waited = 0; waited < GS_WAIT_MS; waited += 20) {
		pthread_mutex_lock(&gcb.lock);
		if (gcb.n > n)
			j = json_loads(gcb.bodies[n], 0, NULL);
		pthread_mutex_unlock(&gcb.lock);
		if (j != NULL)
			return j;
		nanosleep(&ts, NULL);
	}
	cr_assert_fail("notification %d never came", n);
	return NULL;
}

static int
notifications(void)
{
	int n;

	pthread_mutex_lock(&gcb.lock);
	n = gcb.n;
	pthread_mutex_unlock(&gcb.lock);
	return n;
}

/* ---- OAuth 2.0 with PKCE ---- */

static void
challenge_of(const char *verifier, char *out, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(out, n, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static const char *
authorize_query(void)
{
	static char q[512];
	char ch[64];

	challenge_of(GS_VERIFIER, ch, sizeof(ch));
	snprintf(q, sizeof(q), "client_id=" GS_CLIENT "&response_type=code&"
	    "code_challenge=%s&code_challenge_method=S256&redirect_uri=" GS_REDIRECT
	    "&state=st4te", ch);
	return q;
}

/* Posts the consent form; returns the Location. */
static char *
consent(const char *user, const char *perms, const char *decision)
{
	char body[1024], *loc, *p;
	struct gresp r;

	snprintf(body, sizeof(body), "%s&user_id=%s&decision=%s&permissions=%s",
	    authorize_query(), user, decision, perms);
	r = gh("POST", "/oauth2Confirm", body, NULL);
	cr_assert_eq(r.status, 302, "consent: %ld %s", r.status, buf_cstr(&r.body));
	p = strcasestr(buf_cstr(&r.headers), "\nLocation: ");
	cr_assert_not_null(p);
	loc = strndup(p + 11, strcspn(p + 11, "\r\n"));
	gfree(&r);
	return loc;
}

static char *
code_of(const char *loc)
{
	const char *p = strstr(loc, "code=");

	cr_assert_not_null(p, "no code in %s", loc);
	return strndup(p + 5, strcspn(p + 5, "&"));
}

static struct gresp
exchange(const char *code, const char *verifier)
{
	char body[512];

	snprintf(body, sizeof(body), "grant_type=authorization_code&client_id=" GS_CLIENT
	    "&client_secret=" GS_SECRET "&code=%s&code_verifier=%s&redirect_uri="
	    GS_REDIRECT, code, verifier);
	return gh("POST", "/di-oauth2-service/oauth/token", body, NULL);
}

struct gtok {
	char access[80], refresh[80];
};

static struct gtok
connect_user(const char *user, const char *perms)
{
	char *loc = consent(user, perms, "agree"), *code = code_of(loc);
	struct gresp r = exchange(code, GS_VERIFIER);
	struct gtok t;

	cr_assert_eq(r.status, 200, "token: %s", buf_cstr(&r.body));
	snprintf(t.access, sizeof(t.access), "%s", js(r.json, "access_token"));
	snprintf(t.refresh, sizeof(t.refresh), "%s", js(r.json, "refresh_token"));
	gfree(&r);
	free(loc);
	free(code);
	return t;
}

static struct gresp
refresh(const char *rt)
{
	char body[256];

	snprintf(body, sizeof(body), "grant_type=refresh_token&client_id=" GS_CLIENT
	    "&client_secret=" GS_SECRET "&refresh_token=%s", rt);
	return gh("POST", "/di-oauth2-service/oauth/token", body, NULL);
}

Test(garmin_sandbox, consent_page_asks_no_scope_and_checks_pkce)
{
	char path[1024];
	struct gresp r;

	snprintf(path, sizeof(path), "/oauth2Confirm?%s", authorize_query());
	r = gh("GET", path, NULL, NULL);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(buf_cstr(&r.body), "name=\"permission\" value=\"ACTIVITY_EXPORT\"") != NULL);
	cr_assert(strstr(buf_cstr(&r.body), "value=\"HISTORICAL_DATA_EXPORT\"") != NULL);
	cr_assert(strstr(buf_cstr(&r.body), GS_USER1) != NULL);
	gfree(&r);
	r = gh("GET", "/oauth2Confirm?client_id=" GS_CLIENT "&response_type=code"
	    "&redirect_uri=" GS_REDIRECT, NULL, NULL);
	cr_assert_eq(r.status, 400);
	cr_assert_str_eq(js(r.json, "error_description"), "code_challenge is required (PKCE)");
	gfree(&r);
	snprintf(path, sizeof(path), "/oauth2Confirm?%s", authorize_query());
	strcpy(strstr(path, "S256"), "plain&redirect_uri=" GS_REDIRECT);
	r = gh("GET", path, NULL, NULL);
	cr_assert_eq(r.status, 400);
	cr_assert_str_eq(js(r.json, "error_description"), "code_challenge_method must be S256");
	gfree(&r);
	expect_status("GET", "/oauth2Confirm?client_id=nope&response_type=code", NULL, NULL, 400);
}

Test(garmin_sandbox, code_exchange_needs_the_verifier_once)
{
	char *loc = consent(GS_USER1, "ACTIVITY_EXPORT,WORKOUT_IMPORT", "agree");
	char *code = code_of(loc);
	struct gresp r;

	cr_assert(strstr(loc, GS_REDIRECT "?code=") == loc, "%s", loc);
	cr_assert(strstr(loc, "&state=st4te") != NULL);
	r = exchange(code, "wrong-verifier-wrong-verifier-wrong-verifier-0");
	cr_assert_eq(r.status, 400);
	cr_assert_str_eq(js(r.json, "error"), "invalid_grant");
	gfree(&r);
	r = exchange(code, GS_VERIFIER);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	cr_assert_str_eq(js(r.json, "token_type"), "bearer");
	cr_assert_eq(json_integer_value(json_object_get(r.json, "expires_in")), 86400);
	cr_assert_eq(json_integer_value(json_object_get(r.json, "refresh_token_expires_in")), 7775998);
	cr_assert_str_eq(js(r.json, "scope"), "PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE");
	cr_assert_eq(strlen(js(r.json, "jti")), 36);
	gfree(&r);
	r = exchange(code, GS_VERIFIER);		/* single use */
	cr_assert_eq(r.status, 400);
	gfree(&r);
	expect_status("POST", "/di-oauth2-service/oauth/token", "grant_type=authorization_code"
	    "&client_id=" GS_CLIENT "&client_secret=nope&code=x", NULL, 401);
	free(loc);
	free(code);
}

Test(garmin_sandbox, cancel_redirects_with_access_denied)
{
	char *loc = consent(GS_USER1, "ACTIVITY_EXPORT", "cancel");

	cr_assert_str_eq(loc, GS_REDIRECT "?error=access_denied&state=st4te");
	free(loc);
}

Test(garmin_sandbox, refresh_tokens_rotate)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	struct gresp r = refresh(t.refresh), r2;

	cr_assert_eq(r.status, 200);
	cr_assert_str_neq(js(r.json, "refresh_token"), t.refresh);
	cr_assert_str_neq(js(r.json, "access_token"), t.access);
	r2 = refresh(t.refresh);			/* the old one is dead */
	cr_assert_eq(r2.status, 400);
	cr_assert_str_eq(js(r2.json, "error"), "invalid_grant");
	gfree(&r2);
	r2 = refresh(js(r.json, "refresh_token"));
	cr_assert_eq(r2.status, 200);
	gfree(&r2);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, js(r.json, "access_token"), 200);
	expect_status("POST", "/_sandbox/expire-tokens", "", NULL, 200);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, js(r.json, "access_token"), 401);
	gfree(&r);
}

Test(garmin_sandbox, user_id_and_permissions)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT,WORKOUT_IMPORT");
	struct gresp r = gh("GET", "/wellness-api/rest/user/id", NULL, t.access);

	cr_assert_str_eq(js(r.json, "userId"), GS_USER1);
	gfree(&r);
	r = gh("GET", "/wellness-api/rest/user/permissions", NULL, t.access);
	cr_assert_str_eq(buf_cstr(&r.body), "[\"ACTIVITY_EXPORT\",\"WORKOUT_IMPORT\"]");
	gfree(&r);
	r = gh("GET", "/userPermissions/", NULL, t.access);
	cr_assert_eq(r.status, 200);
	gfree(&r);
	r = gh("GET", "/wellness-api/rest/user/id", NULL, NULL);
	cr_assert_eq(r.status, 401);
	cr_assert(json_is_string(json_object_get(r.json, "errorMessage")));
	gfree(&r);
}

static long long
record_run(const char *extra)
{
	char body[512];
	struct gresp r;
	long long id;

	snprintf(body, sizeof(body), "{\"user_id\":\"" GS_USER1 "\",\"distance_km\":10.2,"
	    "\"duration\":3000,\"average_heartrate\":150,\"max_heartrate\":172%s}", extra);
	r = gh("POST", "/_sandbox/activities", body, NULL);
	cr_assert_eq(r.status, 201, "%s", buf_cstr(&r.body));
	id = json_integer_value(json_object_get(r.json, "activityId"));
	gfree(&r);
	return id;
}

Test(garmin_sandbox, push_notification_and_pull_confirm)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	json_t *n, *a;
	struct gresp r;
	char path[256];
	long long start;

	callbacks_here();
	record_run("");
	n = notification(0);
	a = json_array_get(json_object_get(n, "activities"), 0);
	cr_assert_str_eq(js(a, "userId"), GS_USER1);
	cr_assert_str_eq(js(a, "activityType"), "RUNNING");
	cr_assert(json_is_string(json_object_get(a, "summaryId")));
	cr_assert_eq(json_integer_value(json_object_get(a, "durationInSeconds")), 3000);
	cr_assert_float_eq(json_number_value(json_object_get(a, "distanceInMeters")), 10200, 1e-6);
	cr_assert_eq(json_integer_value(json_object_get(a, "averageHeartRateInBeatsPerMinute")), 150);
	start = json_integer_value(json_object_get(a, "startTimeInSeconds"));
	cr_assert_gt(start, 1700000000);
	/* A forged push is checked by pulling the upload window. */
	snprintf(path, sizeof(path), "/wellness-api/rest/activities?uploadStartTimeInSeconds=%lld"
	    "&uploadEndTimeInSeconds=%lld", start, start + 3600 + 60);
	r = gh("GET", path, NULL, t.access);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	cr_assert_eq(json_array_size(r.json), 1);
	cr_assert_str_eq(js(json_array_get(r.json, 0), "summaryId"), js(a, "summaryId"));
	gfree(&r);
	snprintf(path, sizeof(path), "/wellness-api/rest/activities?uploadStartTimeInSeconds=%lld"
	    "&uploadEndTimeInSeconds=%lld", start, start + 86401);
	expect_status("GET", path, NULL, t.access, 400);
	json_decref(n);
}

Test(garmin_sandbox, no_activity_export_no_notification)
{
	struct gtok t = connect_user(GS_USER1, "WORKOUT_IMPORT");

	callbacks_here();
	record_run("");
	usleep(300 * 1000);
	cr_assert_eq(notifications(), 0);
	expect_status("GET", "/wellness-api/rest/activities?uploadStartTimeInSeconds=1"
	    "&uploadEndTimeInSeconds=2", NULL, t.access, 412);
}

Test(garmin_sandbox, ping_notification_gives_a_callback_url)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	json_t *n, *p;
	struct gresp r;

	callbacks_here();
	config("{\"ping_mode\":true}");
	record_run(",\"name\":\"Tempo\"");
	n = notification(0);
	p = json_array_get(json_object_get(n, "activities"), 0);
	cr_assert_str_eq(js(p, "userId"), GS_USER1);
	cr_assert(strstr(js(p, "callbackURL"), "/wellness-api/rest/activities?"
	    "uploadStartTimeInSeconds=") != NULL, "%s", js(p, "callbackURL"));
	r = gh("GET", js(p, "callbackURL"), NULL, t.access);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(js(json_array_get(r.json, 0), "activityName"), "Tempo");
	gfree(&r);
	json_decref(n);
}

Test(garmin_sandbox, backfill_needs_historical_data_export)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	struct gtok h;
	long long now = (long long)time(NULL);
	char path[256];
	json_t *n;

	callbacks_here();
	record_run(",\"notify\":false,\"start\":1790000000");
	record_run(",\"notify\":false,\"start\":1790100000");
	record_run(",\"notify\":false,\"start\":1700000000");
	snprintf(path, sizeof(path), "/wellness-api/rest/backfill/activities?"
	    "summaryStartTimeInSeconds=%d&summaryEndTimeInSeconds=%d", 1789000000, 1791000000);
	expect_status("GET", path, NULL, t.access, 412);
	h = connect_user(GS_USER1, "ACTIVITY_EXPORT,HISTORICAL_DATA_EXPORT");
	expect_status("GET", path, NULL, h.access, 202);
	n = notification(0);
	cr_assert_eq(json_array_size(json_object_get(n, "activities")), 2);
	json_decref(n);
	expect_status("GET", path, NULL, h.access, 409);	/* duplicate */
	snprintf(path, sizeof(path), "/wellness-api/rest/backfill/activities?"
	    "summaryStartTimeInSeconds=%lld&summaryEndTimeInSeconds=%lld",
	    now - 31LL * 86400, now);
	expect_status("GET", path, NULL, h.access, 400);	/* over 30 days */
}

Test(garmin_sandbox, deregistration_by_partner_and_by_user)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	json_t *n;
	struct gresp r;

	callbacks_here();
	expect_status("DELETE", "/wellness-api/rest/user/registration", NULL, t.access, 204);
	n = notification(0);
	cr_assert_str_eq(js(json_array_get(json_object_get(n, "deregistrations"), 0), "userId"),
	    GS_USER1);
	json_decref(n);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, t.access, 401);
	r = refresh(t.refresh);
	cr_assert_eq(r.status, 400);
	gfree(&r);
	/* The user disconnects on Garmin's side. */
	t = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	expect_status("POST", "/_sandbox/users/" GS_USER1 "/deregister", "", NULL, 200);
	n = notification(1);
	cr_assert(json_object_get(n, "deregistrations") != NULL);
	json_decref(n);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, t.access, 401);
}

Test(garmin_sandbox, permission_change_is_notified)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT,WORKOUT_IMPORT");
	json_t *n, *c;
	struct gresp r;

	callbacks_here();
	expect_status("POST", "/_sandbox/users/" GS_USER1 "/permissions",
	    "{\"permissions\":[\"ACTIVITY_EXPORT\"]}", NULL, 200);
	n = notification(0);
	c = json_array_get(json_object_get(n, "userPermissionsChange"), 0);
	cr_assert_str_eq(js(c, "userId"), GS_USER1);
	cr_assert_eq(json_array_size(json_object_get(c, "permissions")), 1);
	cr_assert(json_is_integer(json_object_get(c, "changeTimeInSeconds")));
	json_decref(n);
	r = gh("GET", "/wellness-api/rest/user/permissions", NULL, t.access);
	cr_assert_str_eq(buf_cstr(&r.body), "[\"ACTIVITY_EXPORT\"]");
	gfree(&r);
	expect_status("GET", "/training-api/schedule?startDate=2026-01-01&endDate=2026-12-31",
	    NULL, t.access, 412);
	expect_status("POST", "/_sandbox/users/" GS_USER1 "/permissions",
	    "{\"permissions\":[\"NOPE\"]}", NULL, 400);
}

#define WORKOUT(name, extra) "{\"workoutName\":\"" name "\",\"sport\":\"RUNNING\"," \
	"\"workoutProvider\":\"Cadence\",\"workoutSourceId\":\"Cadence\"" extra "," \
	"\"segments\":[{\"segmentOrder\":1,\"sport\":\"RUNNING\",\"steps\":[" \
	"{\"type\":\"WorkoutStep\",\"stepOrder\":1,\"intensity\":\"WARMUP\"," \
	"\"durationType\":\"DISTANCE\",\"durationValue\":1400,\"targetType\":\"PACE\"," \
	"\"targetValueLow\":2.778,\"targetValueHigh\":3.03}," \
	"{\"type\":\"WorkoutRepeatStep\",\"stepOrder\":2,\"repeatType\":" \
	"\"REPEAT_UNTIL_STEPS_CMPLT\",\"repeatValue\":6,\"skipLastRestStep\":false," \
	"\"steps\":[{\"type\":\"WorkoutStep\",\"stepOrder\":3,\"intensity\":\"INTERVAL\"," \
	"\"durationType\":\"DISTANCE\",\"durationValue\":800,\"targetType\":\"PACE\"," \
	"\"targetValueLow\":3.922,\"targetValueHigh\":4.0},{\"type\":\"WorkoutStep\"," \
	"\"stepOrder\":4,\"intensity\":\"RECOVERY\",\"durationType\":\"DISTANCE\"," \
	"\"durationValue\":400,\"targetType\":\"OPEN\"}]}]}]}"

Test(garmin_sandbox, workouts_and_schedules)
{
	struct gtok t = connect_user(GS_USER1, "WORKOUT_IMPORT");
	struct gresp r;
	char path[128], body[4096];
	long long wid, owner, sid;

	r = gh("POST", "/workoutportal/workout/v2", WORKOUT("Intervals", ""), t.access);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	wid = json_integer_value(json_object_get(r.json, "workoutId"));
	owner = json_integer_value(json_object_get(r.json, "ownerId"));
	cr_assert_gt(wid, 0);
	cr_assert_gt(owner, 0);
	cr_assert(json_is_string(json_object_get(r.json, "createdDate")));
	gfree(&r);
	expect_status("POST", "/workoutportal/workout/v2", WORKOUT("X", ",\"workoutId\":5"),
	    t.access, 400);
	expect_status("POST", "/workoutportal/workout/v2", "{\"workoutName\":\"X\","
	    "\"sport\":\"RUNNING\",\"segments\":[{\"steps\":[{\"type\":\"WorkoutStep\","
	    "\"stepOrder\":1,\"intensity\":\"FAST\",\"durationType\":\"OPEN\"}]}]}", t.access, 400);
	snprintf(path, sizeof(path), "/training-api/workout/v2/%lld", wid);
	expect_status("PUT", path, WORKOUT("Intervals, moved", ""), t.access, 400);
	snprintf(body, sizeof(body), WORKOUT("Intervals, edited", ",\"ownerId\":%lld"), owner);
	r = gh("PUT", path, body, t.access);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	gfree(&r);
	r = gh("GET", path, NULL, t.access);
	cr_assert_str_eq(js(r.json, "workoutName"), "Intervals, edited");
	gfree(&r);
	snprintf(body, sizeof(body), "{\"workoutId\":%lld,\"date\":\"2026-12-03\"}", wid);
	r = gh("POST", "/training-api/schedule/", body, t.access);
	cr_assert_eq(r.status, 200, "%s", buf_cstr(&r.body));
	cr_assert(json_is_integer(r.json), "%s", buf_cstr(&r.body));
	sid = json_integer_value(r.json);
	gfree(&r);
	expect_status("POST", "/training-api/schedule/", "{\"workoutId\":1,\"date\":\"2026-12-03\"}",
	    t.access, 400);
	expect_status("POST", "/training-api/schedule/", "{\"workoutId\":1,\"date\":\"03/12/2026\"}",
	    t.access, 400);
	r = gh("GET", "/training-api/schedule?startDate=2026-12-01&endDate=2026-12-07", NULL, t.access);
	cr_assert_eq(json_array_size(r.json), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(r.json, 0), "scheduleId")), sid);
	gfree(&r);
	snprintf(path, sizeof(path), "/training-api/schedule/%lld", sid);
	snprintf(body, sizeof(body), "{\"workoutId\":%lld,\"date\":\"2026-12-04\"}", wid);
	r = gh("PUT", path, body, t.access);
	cr_assert_str_eq(js(r.json, "date"), "2026-12-04");
	gfree(&r);
	/* Deleting the workout takes its schedules with it. */
	snprintf(path, sizeof(path), "/training-api/workout/v2/%lld", wid);
	expect_status("DELETE", path, NULL, t.access, 204);
	expect_status("GET", path, NULL, t.access, 404);
	snprintf(path, sizeof(path), "/training-api/schedule/%lld", sid);
	expect_status("GET", path, NULL, t.access, 404);
}

Test(garmin_sandbox, workouts_are_per_user_and_need_the_permission)
{
	struct gtok a = connect_user(GS_USER1, "WORKOUT_IMPORT"), b;
	struct gresp r;
	char path[128];
	long long wid;

	r = gh("POST", "/workoutportal/workout/v2", WORKOUT("Mine", ""), a.access);
	wid = json_integer_value(json_object_get(r.json, "workoutId"));
	gfree(&r);
	r = gh("POST", "/_sandbox/users", "{\"name\":\"Other Runner\"}", NULL);
	cr_assert_eq(r.status, 201);
	b = connect_user(js(r.json, "id"), "WORKOUT_IMPORT");
	gfree(&r);
	snprintf(path, sizeof(path), "/training-api/workout/v2/%lld", wid);
	expect_status("GET", path, NULL, b.access, 404);
	b = connect_user(GS_USER1, "ACTIVITY_EXPORT");
	expect_status("POST", "/workoutportal/workout/v2", WORKOUT("No", ""), b.access, 412);
}

Test(garmin_sandbox, fault_switches)
{
	struct gtok t = connect_user(GS_USER1, "ACTIVITY_EXPORT,WORKOUT_IMPORT");
	struct gresp r;

	config("{\"fail_next_429\":1}");
	expect_status("GET", "/wellness-api/rest/user/id", NULL, t.access, 429);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, t.access, 200);
	config("{\"fail_next_5xx\":2,\"fail_5xx_status\":502}");
	/* OAuth is not affected by the switches. */
	r = refresh(t.refresh);
	cr_assert_eq(r.status, 200);
	gfree(&r);
	expect_status("GET", "/training-api/schedule?startDate=2026-01-01&endDate=2026-01-02",
	    NULL, t.access, 502);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, t.access, 502);
	expect_status("GET", "/wellness-api/rest/user/id", NULL, t.access, 200);
	config("{\"fail_next_412\":1}");
	expect_status("GET", "/wellness-api/rest/user/permissions", NULL, t.access, 412);
	r = gh("POST", "/_sandbox/config", "{\"fail_5xx_status\":404}", NULL);
	cr_assert_eq(r.status, 400);
	cr_assert_str_eq(js(r.json, "errorMessage"), "invalid fail_5xx_status");
	gfree(&r);
}

Test(garmin_sandbox, failed_deliveries_are_retried)
{
	json_t *n;
	struct gresp r;

	connect_user(GS_USER1, "ACTIVITY_EXPORT");
	callbacks_here();
	gcb.fail_first = 2;
	record_run("");
	n = notification(0);
	json_decref(n);
	r = gh("GET", "/_sandbox/deliveries", NULL, NULL);
	cr_assert_eq(json_array_size(json_object_get(r.json, "deliveries")), 3);
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(r.json,
	    "deliveries"), 2), "ok")));
	gfree(&r);
}

Test(garmin_sandbox, home_page_shows_the_calendar)
{
	struct gtok t = connect_user(GS_USER1, "WORKOUT_IMPORT");
	struct gresp r = gh("POST", "/workoutportal/workout/v2", WORKOUT("Intervals 6x800", ""),
	    t.access);
	char body[128];

	snprintf(body, sizeof(body), "{\"workoutId\":%lld,\"date\":\"2026-12-03\"}",
	    (long long)json_integer_value(json_object_get(r.json, "workoutId")));
	gfree(&r);
	expect_status("POST", "/training-api/schedule/", body, t.access, 200);
	r = gh("GET", "/", NULL, NULL);
	cr_assert(strstr(buf_cstr(&r.body), "<strong>2026-12-03</strong> Intervals 6x800") != NULL,
	    "%s", buf_cstr(&r.body));
	cr_assert(strstr(buf_cstr(&r.body), "Repeat 6 times") != NULL);
	gfree(&r);
}

/* What Cadence will publish (garmin/workout_json.c) passes the checks. */
Test(garmin_sandbox, cadence_workout_json_is_accepted)
{
	static const struct ws_spec specs[] = {
		{ .session = WS_INTERVALS, .distance_m = 10000, .pace_fast_s = 250,
		  .pace_slow_s = 255, .easy_fast_s = 330, .easy_slow_s = 360,
		  .reps = 6, .rep_m = 800, .recovery_m = 400 },
		{ .session = WS_INTERVALS, .distance_m = 8000, .pace_fast_s = 230,
		  .pace_slow_s = 235, .easy_fast_s = 330, .easy_slow_s = 360,
		  .reps = 8, .rep_m = 200, .recovery_m = 200, .hills = true },
		{ .session = WS_EASY, .distance_m = 8000, .pace_fast_s = 330,
		  .pace_slow_s = 360, .strides = 6 },
		{ .session = WS_LONG, .distance_m = 26000, .pace_fast_s = 280,
		  .pace_slow_s = 285, .easy_fast_s = 330, .easy_slow_s = 360,
		  .block_m = 6500 },
	};
	struct gtok t = connect_user(GS_USER1, "WORKOUT_IMPORT");
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct ws_workout w;
		json_t *j;
		char *body;
		struct gresp r;

		cr_assert_eq(ws_build(&specs[i], &w, NULL, 0), 0);
		j = garmin_workout_json(&w, ws_session_name(w.session), "from Cadence", 0);
		body = json_dumps(j, JSON_COMPACT);
		r = gh("POST", "/workoutportal/workout/v2", body, t.access);
		cr_assert_eq(r.status, 200, "spec %zu: %s", i, buf_cstr(&r.body));
		gfree(&r);
		free(body);
		json_decref(j);
	}
}
