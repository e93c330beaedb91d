#include <curl/curl.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "client.h"

struct client {
	CURL	*curl;
	char	 csrf[128];
};

const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

const char *
site_url(void)
{
	return env_or("CADENCE_URL", "http://127.0.0.1:8080");
}

struct client *
client_new(void)
{
	struct client *c = xcalloc(1, sizeof(*c));

	c->curl = curl_easy_init();
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");	/* own jar */
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	return c;
}

void
client_free(struct client *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
}

static size_t
on_data(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

void
client_bind(struct client *c, const char *addr)
{
	curl_easy_setopt(c->curl, CURLOPT_INTERFACE, addr);
}

const char *
fresh_addr(void)
{
	static char	addr[32];
	static unsigned	n;
	unsigned	pid = (unsigned)getpid();

	/*
	 * 127.a.b.c: a and b from the pid (Criterion runs each test in a
	 * process of its own; unique below pid 64000), c counts calls.
	 */
	snprintf(addr, sizeof(addr), "127.%u.%u.%u", 1 + pid % 250,
	    pid / 250 % 256, 1 + n++ % 250);
	return addr;
}

struct client *
client_elsewhere(void)
{
	struct client *c = client_new();

	client_bind(c, fresh_addr());
	return c;
}

long
client_req(struct client *c, const char *method, const char *path,
    const char *form, const char *const *headers, struct http_resp *r)
{
	struct curl_slist	*hl = NULL;
	char			 url[4096];
	CURLcode		 rc;

	memset(r, 0, sizeof(*r));
	if (strncmp(path, "http", 4) == 0)
		snprintf(url, sizeof(url), "%s", path);
	else
		snprintf(url, sizeof(url), "%s%s", site_url(), path);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 1L);
	else if (form != NULL) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, form);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(form));
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    !(strcmp(method, "POST") == 0 && form != NULL))
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	for (; headers != NULL && *headers != NULL; headers++)
		hl = curl_slist_append(hl, *headers);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
	rc = curl_easy_perform(c->curl);
	curl_slist_free_all(hl);
	if (rc != CURLE_OK) {
		r->status = -1;
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c->curl, CURLINFO_TOTAL_TIME, &r->seconds);
	return r->status;
}

long
client_get(struct client *c, const char *path, struct http_resp *r)
{
	long s = client_req(c, "GET", path, NULL, NULL, r);

	client_take_csrf(c, r);
	return s;
}

long
client_post(struct client *c, const char *path, const char *form,
    struct http_resp *r)
{
	char	*body;
	size_t	 n = strlen(form) + strlen(c->csrf) + 32;
	long	 s;

	body = xmalloc(n);
	snprintf(body, n, "%s%scsrf_token=%s", form, *form ? "&" : "", c->csrf);
	s = client_req(c, "POST", path, body, NULL, r);
	free(body);
	client_take_csrf(c, r);
	return s;
}

long
client_post_files(struct client *c, const char *path,
    const struct upload_part *parts, size_t n, const char *csrf,
    struct http_resp *r)
{
	curl_mime	*mime = curl_mime_init(c->curl);
	curl_mimepart	*mp;
	char		 url[4096];
	size_t		 i;
	CURLcode	 rc;

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", site_url(), path);
	mp = curl_mime_addpart(mime);
	curl_mime_name(mp, "csrf_token");
	curl_mime_data(mp, csrf != NULL ? csrf : c->csrf, CURL_ZERO_TERMINATED);
	for (i = 0; i < n; i++) {
		mp = curl_mime_addpart(mime);
		curl_mime_name(mp, "files");
		curl_mime_filename(mp, parts[i].filename);
		curl_mime_type(mp, "application/octet-stream");
		curl_mime_data(mp, parts[i].data, parts[i].len);
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
	rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	if (rc != CURLE_OK) {
		r->status = -1;
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c->curl, CURLINFO_TOTAL_TIME, &r->seconds);
	client_take_csrf(c, r);
	return r->status;
}

void
resp_done(struct http_resp *r)
{
	buf_free(&r->body);
	buf_free(&r->headers);
}

const char *
resp_header_value(const struct http_resp *r, const char *name)
{
	static char	 val[4096];
	const char	*p = buf_cstr(&r->headers), *eol;
	size_t		 n = strlen(name), len;

	for (; *p != '\0'; p = eol + (*eol != '\0')) {
		eol = p + strcspn(p, "\n");
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			len = (size_t)(eol - p);
			if (len > 0 && p[len - 1] == '\r')
				len--;
			if (len >= sizeof(val))
				len = sizeof(val) - 1;
			memcpy(val, p, len);
			val[len] = '\0';
			return val;
		}
	}
	return NULL;
}

bool
resp_has(const struct http_resp *r, const char *needle)
{
	return strstr(buf_cstr(&r->body), needle) != NULL;
}

void
client_take_csrf(struct client *c, const struct http_resp *r)
{
	const char	*p = strstr(buf_cstr(&r->body), "name=\"csrf_token\"");
	const char	*v;
	size_t		 n;

	if (p == NULL || (v = strstr(p, "value=\"")) == NULL)
		return;
	v += 7;
	n = strcspn(v, "\"");
	if (n < sizeof(c->csrf)) {
		memcpy(c->csrf, v, n);
		c->csrf[n] = '\0';
	}
}

const char *
client_csrf(struct client *c)
{
	return c->csrf;
}

const char *
urlenc(const char *s)
{
	static char	 bufs[4][8192];
	static int	 k;
	char		*o = bufs[k++ % 4];
	size_t		 n = 0;

	for (; *s != '\0' && n < sizeof(bufs[0]) - 4; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~')
			o[n++] = (char)ch;
		else
			n += (size_t)snprintf(o + n, 4, "%%%02X", ch);
	}
	o[n] = '\0';
	return o;
}

int
run_cmd(const char *fmt, ...)
{
	char	cmd[4096];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

void
client_signup(struct client *c, const char *prefix, char out[128])
{
	static int	 n;
	struct http_resp r;
	char		 form[512];

	snprintf(out, 128, "%s-%d-%d-%ld@test.cadence", prefix, (int)getpid(),
	    n++, (long)random() % 100000);
	client_get(c, "/signup", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=%s&email=%s&password=%s",
	    urlenc("Test Runner"), urlenc(out), urlenc(TEST_PASSWORD));
	client_post(c, "/signup", form, &r);
	if (r.status != 303)
		fprintf(stderr, "signup %s answered %ld\n", out, r.status);
	resp_done(&r);
	/*
	 * Sign-up does not sign in (that would tell a new email from a taken
	 * one): sign in, unless this build still did.
	 */
	if (client_get(c, "/settings", &r) != 200 &&
	    client_login(c, out, TEST_PASSWORD) != 303)
		fprintf(stderr, "sign-in after signup %s failed\n", out);
	resp_done(&r);
}

long
client_login(struct client *c, const char *email, const char *pw)
{
	struct http_resp r;
	char		 form[512];
	long		 s;

	client_get(c, "/login", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "email=%s&password=%s", urlenc(email),
	    urlenc(pw));
	s = client_post(c, "/login", form, &r);
	resp_done(&r);
	if (s == 303) {
		client_get(c, "/settings", &r);
		resp_done(&r);
	}
	return s;
}

static PGconn *
test_db(void)
{
	static PGconn *conn;

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		if (conn != NULL)
			PQfinish(conn);
		conn = PQconnectdb(env_or("DATABASE_URL", "dbname=cadence"));
	}
	return conn;
}

const char *
db_value(const char *fmt, ...)
{
	static char	 out[4096];
	char		 sql[4096];
	va_list		 ap;
	PGresult	*r;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	r = PQexec(test_db(), sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		snprintf(out, sizeof(out), "%s", PQgetvalue(r, 0, 0));
	else if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "db_value: %s (%.60s): %s\n",
		    PQresStatus(PQresultStatus(r)), sql,
		    PQerrorMessage(test_db()));
	PQclear(r);
	return out;
}

long
db_exec_sql(const char *fmt, ...)
{
	char		 sql[8192];
	va_list		 ap;
	PGresult	*r;
	long		 n = -1;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	r = PQexec(test_db(), sql);
	if (PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK)
		n = strtol(PQcmdTuples(r), NULL, 10);
	else
		fprintf(stderr, "db_exec_sql: %s", PQerrorMessage(test_db()));
	PQclear(r);
	return n;
}

pid_t
pool_master(void)
{
	return (pid_t)atoi(env_or("CADENCE_MASTER_PID", "0"));
}

int
pool_count_children(pid_t parent)
{
	DIR		*d = opendir("/proc");
	struct dirent	*e;
	char		 path[300], line[512], *p;
	int		 n = 0, ppid;
	char		 state;
	FILE		*f;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		/* pid (comm) state ppid ...: comm may hold spaces.  A killed
		 * child not reaped yet (Z) is no longer in the pool. */
		if (fgets(line, sizeof(line), f) != NULL &&
		    (p = strrchr(line, ')')) != NULL &&
		    sscanf(p + 2, "%c %d", &state, &ppid) == 2 &&
		    ppid == parent && state != 'Z')
			n++;
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

int
pool_whole_count(pid_t parent)
{
	int i, n, most = 0;

	/* A child of an earlier test may still be on its way back. */
	for (i = 0; i < 10; i++) {
		if ((n = pool_count_children(parent)) > most)
			most = n;
		usleep(20 * 1000);
	}
	return most;
}

pid_t
pool_child(pid_t parent, const char *comm)
{
	char	 cmd[160], out[32] = "";
	FILE	*p;

	snprintf(cmd, sizeof(cmd), "pgrep -P %d %s%s | head -n 1", (int)parent,
	    comm != NULL ? "-x " : "", comm != NULL ? comm : "");
	if ((p = popen(cmd, "r")) == NULL)
		return 0;
	if (fgets(out, sizeof(out), p) == NULL)
		out[0] = '\0';
	pclose(p);
	return (pid_t)atoi(out);
}

bool
client_feed_token(struct client *cl, const char *plan_id, char out[65])
{
	struct http_resp	 r;
	char			 path[128];
	const char		*t;
	bool			 ok = false;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/plans/%s", plan_id);
	if (client_get(cl, path, &r) == 200 &&
	    (t = strstr(buf_cstr(&r.body), "calendar.ics?token=")) != NULL &&
	    strspn(t + 19, "0123456789abcdef") == 64) {
		snprintf(out, 65, "%.64s", t + 19);
		ok = true;
	}
	resp_done(&r);
	return ok;
}
