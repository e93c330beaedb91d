/*
 * Mail through a real SMTP server: the harness (scripts/env.sh) starts
 * aiosmtpd on a free port, exports SMTP_URL, SMTP_FROM and MAILDIR, and
 * the server stores each message it accepts in MAILDIR/new.  Messages
 * are read back with Python's email package (mail_read.py), so what is
 * asserted is what a mail client would show.
 *
 * Failures: a closed port, a server that never greets, a listen queue
 * that never completes a connection (the shipped connect timeout), and a
 * scripted SMTP peer for the replies a real server gives only in
 * situations a test cannot stage (4xx, 5xx at each step, bad password).
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "core/config.h"
#include "core/util.h"
#include "mail/smtp.h"
#include "mail/template.h"

#define UNICODE_NAME	"Zo\xc3\xab \xc5\x81ukasz-M\xc3\xbcller \xe5\xb1\xb1\xe7\x94\xb0"
#define UNSUB_URL	"https://cadence.example/unsubscribe/9f86d081884c7d659a2feaa0c55ad015"
#define LATENCY_SENDS	20
#define PEER_IO_SECONDS	5	/* the scripted peer never waits longer */

static struct config	cfg;
static struct mail_smtp	smtp;
static mustache_set	*templates;

static void
setup(void)
{
	char err[512];

	cr_assert_eq(config_load(&cfg, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(mail_smtp_init(&smtp, &cfg, err, sizeof(err)), 0, "%s",
	    err);
	templates = mail_templates_load("templates/mail", err, sizeof(err));
	cr_assert_not_null(templates, "%s", err);
}

static void
teardown(void)
{
	mustache_set_free(templates);
}

TestSuite(mail, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers -------------------------------------------------------------- */

static void
build(const char *name, const char *addr, const char *unsub,
    struct mail_out *out)
{
	struct mail_sender	 s = { templates, { smtp.from_name,
				    smtp.from_addr }, cfg.base_url };
	struct mail_addr	 to = { name, addr };
	json_t			*data = json_pack("{s:s}", "sent_at", "today");
	char			 err[512];

	cr_assert_eq(mail_build(&s, "test", &to, data, unsub, out, err,
	    sizeof(err)), 0, "%s", err);
	json_decref(data);
}

/* The message with that Message-ID as received, decoded by Python. */
static json_t *
received(const char *msgid)
{
	char		 cmd[1024];
	json_error_t	 jerr;
	json_t		*j;
	FILE		*p;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/integration/"
	    "mail_read.py '%s' '%s'", env_or("MAILDIR", ""), msgid);
	cr_assert_not_null(p = popen(cmd, "r"));
	j = json_loadf(p, 0, &jerr);
	cr_assert_eq(pclose(p), 0, "message %s not in the maildir", msgid);
	cr_assert_not_null(j, "mail_read.py: %s", jerr.text);
	return j;
}

static const char *
jstr(const json_t *j, const char *path1, const char *path2)
{
	const json_t *v = json_object_get(j, path1);

	if (path2 != NULL)
		v = json_object_get(v, path2);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The decoded content of the part of that type. */
static const char *
part(const json_t *msg, const char *type, const char **cte)
{
	const json_t	*parts = json_object_get(msg, "parts"), *p;
	size_t		 i;

	json_array_foreach(parts, i, p) {
		if (strcmp(jstr(p, "type", NULL), type) == 0) {
			*cte = jstr(p, "cte", NULL);
			cr_assert_str_eq(jstr(p, "charset", NULL), "utf-8");
			return jstr(p, "content", NULL);
		}
	}
	cr_assert_fail("no %s part", type);
	return NULL;
}

static int
maildir_count(void)
{
	char	cmd[600], line[32];
	FILE	*p;
	int	n = -1;

	snprintf(cmd, sizeof(cmd), "ls '%s/new' | wc -l",
	    env_or("MAILDIR", "/nonexistent"));
	if ((p = popen(cmd, "r")) != NULL && fgets(line, sizeof(line), p))
		n = atoi(line);
	if (p != NULL)
		pclose(p);
	return n;
}

static void
send_ok(const struct mail_out *out)
{
	struct mail_result r;

	cr_assert_eq(mail_send(&smtp, out, &r), MAIL_SENT, "%s", r.detail);
	cr_assert_eq(r.smtp_code, 250);
	cr_assert_eq(r.curl_code, 0);
}

/* ---- delivery to the real server ---------------------------------------------- */

Test(mail, delivered_with_encoded_headers_and_both_parts)
{
	struct mail_out	 out;
	json_t		*m;
	const char	*text, *html, *cte;

	build(UNICODE_NAME, "zoe@example.org", UNSUB_URL, &out);
	send_ok(&out);
	m = received(out.message_id);
	/* What a mail client shows. */
	cr_assert_str_eq(jstr(m, "to_name", NULL), UNICODE_NAME);
	cr_assert_str_eq(jstr(m, "to_addr", NULL), "zoe@example.org");
	cr_assert_str_eq(jstr(m, "from_name", NULL), "Cadence");
	cr_assert_str_eq(jstr(m, "from_addr", NULL), "cadence@cadence.localhost");
	cr_assert_str_eq(jstr(m, "subject", NULL),
	    "Cadence test message for " UNICODE_NAME);
	cr_assert(json_is_true(json_object_get(m, "date_ok")), "bad Date");
	cr_assert_eq(json_array_size(json_object_get(m, "defects")), 0,
	    "Python found defects: %s", json_dumps(json_object_get(m,
	    "defects"), 0));
	/* How it travelled: RFC 2047 words, envelope, MIME. */
	cr_assert(str_has_prefix(jstr(m, "raw", "To"), "=?UTF-8?B?"),
	    "To: %s", jstr(m, "raw", "To"));
	cr_assert(str_has_prefix(jstr(m, "raw", "Subject"), "=?UTF-8?B?"));
	cr_assert_str_eq(jstr(m, "raw", "Message-ID"), out.message_id);
	cr_assert(strstr(out.message_id, "@cadence.localhost>") != NULL);
	cr_assert_str_eq(jstr(m, "raw", "MIME-Version"), "1.0");
	cr_assert_str_eq(jstr(m, "raw", "X-MailFrom"), "cadence@cadence.localhost");
	cr_assert_str_eq(jstr(m, "raw", "X-RcptTo"), "zoe@example.org");
	cr_assert(str_has_prefix(jstr(m, "raw", "Content-Type"),
	    "multipart/alternative;"));
	cr_assert_leq(json_integer_value(json_object_get(m, "max_header_line")),
	    MAIL_LINE_SOFT);
	cr_assert_leq(json_integer_value(json_object_get(m, "max_body_line")),
	    MAIL_BODY_LINE);
	/* RFC 8058 one-click unsubscribe. */
	cr_assert_str_eq(jstr(m, "raw", "List-Unsubscribe"), "<" UNSUB_URL ">");
	cr_assert_str_eq(jstr(m, "raw", "List-Unsubscribe-Post"),
	    "List-Unsubscribe=One-Click");
	/* Both parts, decoded. */
	text = part(m, "text/plain", &cte);
	cr_assert_str_eq(cte, "quoted-printable");
	cr_assert(str_has_prefix(text, "Hello " UNICODE_NAME ",\n"), "%s", text);
	cr_assert(strstr(text, "Unsubscribe from these emails: " UNSUB_URL "\n"));
	cr_assert(strstr(text, "\n-- \n"), "signature separator lost");
	html = part(m, "text/html", &cte);
	cr_assert(strstr(html, "<p>Hello " UNICODE_NAME ",</p>"), "%s", html);
	cr_assert(strstr(html, "<a href=\"" UNSUB_URL "\""));
	json_decref(m);
	mail_out_free(&out);
}

Test(mail, no_list_headers_without_unsubscribe_url)
{
	struct mail_out	 out;
	json_t		*m;
	const char	*cte;

	build("Ana", "ana@example.org", NULL, &out);
	send_ok(&out);
	m = received(out.message_id);
	cr_assert_null(jstr(m, "raw", "List-Unsubscribe"));
	cr_assert_null(jstr(m, "raw", "List-Unsubscribe-Post"));
	cr_assert_str_eq(jstr(m, "raw", "To"), "Ana <ana@example.org>");
	cr_assert_null(strstr(part(m, "text/plain", &cte), "Unsubscribe"));
	json_decref(m);
	mail_out_free(&out);
}

Test(mail, injection_refused_before_anything_is_sent)
{
	struct mail_sender	 s = { templates, { smtp.from_name,
				    smtp.from_addr }, cfg.base_url };
	struct mail_addr	 evil_name = { "Eve\r\nBcc: victim@example.org",
				    "eve@example.org" };
	struct mail_addr	 evil_addr = { "Eve",
				    "eve@example.org>\r\nBcc: victim@example.org" };
	struct mail_addr	 plain = { "Eve", "eve@example.org" };
	struct mail_out		 out;
	char			 err[256];
	int			 before = maildir_count();

	cr_assert_eq(mail_build(&s, "test", &evil_name, NULL, NULL, &out, err,
	    sizeof(err)), -1);
	mail_out_free(&out);
	cr_assert_eq(mail_build(&s, "test", &evil_addr, NULL, NULL, &out, err,
	    sizeof(err)), -1);
	mail_out_free(&out);
	cr_assert_eq(mail_build(&s, "test", &plain, NULL,
	    "https://x.example/u>\r\nBcc: victim@example.org", &out, err,
	    sizeof(err)), -1);
	mail_out_free(&out);
	cr_assert_eq(maildir_count(), before, "something reached the server");
}

Test(mail, send_latency_to_local_server)
{
	struct mail_result	r;
	struct mail_out		out;
	long			ms[LATENCY_SENDS], t;
	int			i, j;

	build("Ana", "ana@example.org", UNSUB_URL, &out);
	for (i = 0; i < LATENCY_SENDS; i++) {
		cr_assert_eq(mail_send(&smtp, &out, &r), MAIL_SENT, "%s",
		    r.detail);
		ms[i] = r.ms;
		for (j = i; j > 0 && ms[j - 1] > ms[j]; j--) {
			t = ms[j];
			ms[j] = ms[j - 1];
			ms[j - 1] = t;
		}
	}
	cr_log_info("send to the local server, %d messages: median %ld ms, "
	    "max %ld ms", LATENCY_SENDS, ms[LATENCY_SENDS / 2],
	    ms[LATENCY_SENDS - 1]);
	fprintf(stderr, "mail: send latency median %ld ms, max %ld ms (%d "
	    "sends)\n", ms[LATENCY_SENDS / 2], ms[LATENCY_SENDS - 1],
	    LATENCY_SENDS);
	cr_assert_lt(ms[LATENCY_SENDS / 2], 1000);
	mail_out_free(&out);
}

/* ---- the command --------------------------------------------------------------- */

/* Runs cmd, returns its exit status and its first stdout line in out. */
static int
run_capture(const char *cmd, char *out, size_t outlen)
{
	FILE	*p = popen(cmd, "r");
	int	 st;

	cr_assert_not_null(p);
	out[0] = '\0';
	if (fgets(out, (int)outlen, p) == NULL)
		out[0] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(mail, command_sends_a_test_message)
{
	char		 cmd[1024], line[1024], msgid[MAIL_MSGID_MAX];
	json_t		*m;
	const char	*cte;

	snprintf(cmd, sizeof(cmd), "'%s' mail test --to runner@example.org "
	    "--name 'Ren\xc3\xa9 D\xc3\xbcrr' --unsubscribe '%s' 2>/dev/null",
	    env_or("CADENCE_BIN", "build/cadence"), UNSUB_URL);
	cr_assert_eq(run_capture(cmd, line, sizeof(line)), 0, "%s", line);
	cr_assert_eq(sscanf(line, "sent %255s to runner@example.org", msgid), 1,
	    "output: %s", line);
	m = received(msgid);
	cr_assert_str_eq(jstr(m, "subject", NULL),
	    "Cadence test message for Ren\xc3\xa9 D\xc3\xbcrr");
	cr_assert_str_eq(jstr(m, "raw", "List-Unsubscribe"), "<" UNSUB_URL ">");
	cr_assert(strstr(part(m, "text/plain", &cte), "Cadence can send you mail"));
	json_decref(m);
}

Test(mail, command_exit_statuses)
{
	char cmd[1024], line[256];
	const char *bin = env_or("CADENCE_BIN", "build/cadence");

	snprintf(cmd, sizeof(cmd), "'%s' mail test --to not-an-address "
	    "2>/dev/null", bin);
	cr_assert_eq(run_capture(cmd, line, sizeof(line)), 1);
	snprintf(cmd, sizeof(cmd), "'%s' mail test 2>/dev/null", bin);
	cr_assert_eq(run_capture(cmd, line, sizeof(line)), 2);
	snprintf(cmd, sizeof(cmd), "SMTP_URL= '%s' mail test --to a@example.org "
	    "2>/dev/null", bin);
	cr_assert_eq(run_capture(cmd, line, sizeof(line)), 2);
	/* Port 1 on loopback: nothing listens there. */
	snprintf(cmd, sizeof(cmd), "SMTP_URL=smtp://127.0.0.1:1 '%s' mail test "
	    "--to a@example.org 2>/dev/null", bin);
	cr_assert_eq(run_capture(cmd, line, sizeof(line)), 75);
}

/* ---- servers that fail -------------------------------------------------------- */

/* A TCP listener on a free port of addr with the given backlog. */
static int
listener_at(in_addr_t addr, int backlog, int *port)
{
	struct sockaddr_in	sa = { .sin_family = AF_INET };
	socklen_t		len = sizeof(sa);
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = addr;
	cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    listen(fd, backlog) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static int
listener(int backlog, int *port)
{
	return listener_at(htonl(INADDR_LOOPBACK), backlog, port);
}

static struct mail_smtp
smtp_at(int port)
{
	struct mail_smtp s = smtp;

	snprintf(s.url, sizeof(s.url), "smtp://127.0.0.1:%d/cadence.localhost",
	    port);
	return s;
}

static void
expect_tempfail(const struct mail_smtp *s, long max_ms, int curl_code)
{
	struct mail_result	r;
	struct mail_out		out;

	build("Ana", "ana@example.org", NULL, &out);
	cr_assert_eq(mail_send(s, &out, &r), MAIL_TEMPFAIL, "%s: %s",
	    mail_status_name(r.status), r.detail);
	cr_assert_eq(r.smtp_code, 0, "%s", r.detail);
	cr_assert_eq(r.curl_code, curl_code, "%s", r.detail);
	cr_assert_lt(r.ms, max_ms, "took %ld ms", r.ms);
	fprintf(stderr, "mail: %s after %ld ms (%s)\n",
	    mail_status_name(r.status), r.ms, r.detail);
	mail_out_free(&out);
}

Test(mail, closed_port_is_a_quick_temporary_failure)
{
	int			port, fd = listener(1, &port);
	struct mail_smtp	s;

	close(fd);	/* now nothing listens on port */
	s = smtp_at(port);
	expect_tempfail(&s, 1000, 7 /* CURLE_COULDNT_CONNECT */);
}

Test(mail, unanswered_connect_times_out_with_the_shipped_default)
{
	int			port, fd = listener(0, &port), filler[2], i;
	struct sockaddr_in	sa = { .sin_family = AF_INET };
	struct mail_smtp	s;

	/* Fill the accept queue: the kernel then drops further SYNs, so
	 * the next connect hangs as with a host that is down. */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	for (i = 0; i < 2; i++) {
		filler[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(filler[i], (struct sockaddr *)&sa, sizeof(sa));
	}
	usleep(100000);
	s = smtp_at(port);
	cr_assert_eq(s.connect_timeout_ms, MAIL_CONNECT_TIMEOUT_MS);
	expect_tempfail(&s, MAIL_CONNECT_TIMEOUT_MS + 1500,
	    28 /* CURLE_OPERATION_TIMEDOUT */);
	close(filler[0]);
	close(filler[1]);
	close(fd);
}

Test(mail, server_that_never_greets_times_out)
{
	int			port, fd = listener(8, &port);
	struct mail_smtp	s = smtp_at(port);

	/* Accepted by the kernel, never answered: a stuck server. */
	s.response_timeout_s = 1;
	expect_tempfail(&s, 3000, 28 /* CURLE_OPERATION_TIMEDOUT */);
	close(fd);
}

/* ---- a scripted SMTP peer ------------------------------------------------------ */

struct peer {
	int			 fd, port;
	const char *const	*script;	/* replies, NULL-terminated */
	char			 got_auth[256];	/* the AUTH line received */
	char			 verbs[256];	/* first 4 bytes of each command */
	pthread_t		 thread;
};

/* Reads one command line, or a whole DATA block after a 354. */
static int
peer_read(FILE *in, bool data, struct peer *p)
{
	char line[2048];

	while (fgets(line, sizeof(line), in) != NULL) {
		if (strncmp(line, "AUTH", 4) == 0)
			snprintf(p->got_auth, sizeof(p->got_auth), "%.200s",
			    line);
		if (!data && strlen(p->verbs) + 6 < sizeof(p->verbs))
			snprintf(p->verbs + strlen(p->verbs), 6, "%.4s ", line);
		if (!data || strcmp(line, ".\r\n") == 0)
			return 0;
	}
	return -1;
}

static void *
peer_run(void *arg)
{
	struct peer	*p = arg;
	struct timeval	 tv = { PEER_IO_SECONDS, 0 };
	int		 c = accept(p->fd, NULL, NULL), i;
	FILE		*in;
	bool		 data = false;

	if (c < 0)
		return NULL;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	in = fdopen(dup(c), "r");
	for (i = 0; p->script[i] != NULL; i++) {
		if (i > 0 && peer_read(in, data, p) != 0)
			break;
		dprintf(c, "%s\r\n", p->script[i]);
		data = str_has_prefix(p->script[i], "354");
	}
	while (peer_read(in, false, p) == 0)	/* QUIT, if it comes */
		dprintf(c, "221 bye\r\n");
	fclose(in);
	close(c);
	return NULL;
}

static void
peer_start_at(struct peer *p, in_addr_t addr, const char *const *script)
{
	memset(p, 0, sizeof(*p));
	p->script = script;
	p->fd = listener_at(addr, 1, &p->port);
	cr_assert_eq(pthread_create(&p->thread, NULL, peer_run, p), 0);
}

static void
peer_start(struct peer *p, const char *const *script)
{
	peer_start_at(p, htonl(INADDR_LOOPBACK), script);
}

static struct mail_result
send_to_peer(const char *const *script, const char *user, const char *pw,
    struct peer *p)
{
	struct mail_smtp	s;
	struct mail_result	r;
	struct mail_out		out;

	peer_start(p, script);
	s = smtp_at(p->port);
	snprintf(s.user, sizeof(s.user), "%s", user);
	snprintf(s.password, sizeof(s.password), "%s", pw);
	build("Ana", "ana@example.org", NULL, &out);
	mail_send(&s, &out, &r);
	pthread_join(p->thread, NULL);
	close(p->fd);
	mail_out_free(&out);
	return r;
}

static void
expect_reply(const char *const *script, enum mail_status want, int code)
{
	struct peer		p;
	struct mail_result	r = send_to_peer(script, "", "", &p);

	cr_assert_eq(r.status, want, "%s, want %s: %s",
	    mail_status_name(r.status), mail_status_name(want), r.detail);
	cr_assert_eq(r.smtp_code, code, "%s", r.detail);
}

Test(mail, replies_classified)
{
	static const char *const rcpt_unknown[] = { "220 peer", "250 peer",
	    "250 ok", "550 5.1.1 no such user", NULL };
	static const char *const data_later[] = { "220 peer", "250 peer",
	    "250 ok", "250 ok", "354 go ahead", "451 4.3.0 try later", NULL };
	static const char *const data_spam[] = { "220 peer", "250 peer",
	    "250 ok", "250 ok", "354 go ahead", "554 5.7.1 rejected", NULL };
	static const char *const busy[] = { "421 4.3.2 busy, come back", NULL };
	static const char *const too_big[] = { "220 peer", "250 peer",
	    "552 5.3.4 too big", NULL };
	static const char *const rcpt_later[] = { "220 peer", "250 peer",
	    "250 ok", "450 4.2.1 mailbox busy", NULL };
	static const char *const accepted[] = { "220 peer", "250 peer",
	    "250 ok", "250 ok", "354 go ahead", "250 2.0.0 queued as 1", NULL };

	expect_reply(rcpt_unknown, MAIL_PERMFAIL, 550);
	expect_reply(data_later, MAIL_TEMPFAIL, 451);
	expect_reply(data_spam, MAIL_PERMFAIL, 554);
	expect_reply(busy, MAIL_TEMPFAIL, 421);
	expect_reply(too_big, MAIL_PERMFAIL, 552);
	expect_reply(rcpt_later, MAIL_TEMPFAIL, 450);
	expect_reply(accepted, MAIL_SENT, 250);
}

Test(mail, wrong_password_is_temporary_and_never_shown)
{
	static const char *const script[] = { "220 peer",
	    "250-peer\r\n250 AUTH PLAIN LOGIN", "535 5.7.8 bad credentials",
	    NULL };
	static const char pw[] = "s3cret-Pa55word";
	char		 logpath[] = "/tmp/cadence-mail-log.XXXXXX", buf[4096];
	int		 logfd = mkstemp(logpath), saved = dup(2);
	struct peer	 p;
	struct mail_result r;
	ssize_t		 n;

	/* Everything mail_send logs goes to a file we then search. */
	cr_assert(logfd >= 0 && saved >= 0);
	dup2(logfd, 2);
	r = send_to_peer(script, "runner", pw, &p);
	dup2(saved, 2);
	cr_assert_eq(r.status, MAIL_TEMPFAIL, "%s", r.detail);
	cr_assert_eq(r.smtp_code, 535);
	cr_assert(str_has_prefix(p.got_auth, "AUTH PLAIN"), "AUTH: %s",
	    p.got_auth);
	cr_assert_null(strstr(r.detail, pw));
	n = pread(logfd, buf, sizeof(buf) - 1, 0);
	cr_assert_gt(n, 0, "mail_send logged nothing");
	buf[n] = '\0';
	cr_assert(strstr(buf, "temporary failure"), "log: %s", buf);
	cr_assert_null(strstr(buf, pw), "the password is in the log");
	close(logfd);
	unlink(logpath);
}

/* This machine's first IPv4 address that is not loopback, or 0. */
static in_addr_t
non_loopback_addr(void)
{
	struct ifaddrs	*ifs, *i;
	in_addr_t	 a = 0;

	if (getifaddrs(&ifs) != 0)
		return 0;
	for (i = ifs; i != NULL && a == 0; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET &&
		    (ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->
		    sin_addr.s_addr) >> 24) != 127)
			a = ((struct sockaddr_in *)(void *)i->ifa_addr)->
			    sin_addr.s_addr;
	freeifaddrs(ifs);
	return a;
}

Test(mail, no_starttls_off_loopback_means_nothing_sent)
{
	static const char *const script[] = { "220 peer",
	    "250-peer\r\n250 AUTH PLAIN", NULL };
	in_addr_t		 addr = non_loopback_addr();
	struct config		 c = cfg;
	struct mail_smtp	 s;
	struct mail_result	 r;
	struct mail_out		 out;
	struct peer		 p;
	char			 err[256], ip[INET_ADDRSTRLEN];

	if (addr == 0)
		cr_skip_test("no non-loopback IPv4 address here");
	peer_start_at(&p, addr, script);
	inet_ntop(AF_INET, &addr, ip, sizeof(ip));
	snprintf(c.smtp_url, sizeof(c.smtp_url), "smtp://%s:%d", ip, p.port);
	snprintf(c.smtp_user, sizeof(c.smtp_user), "runner");
	snprintf(c.smtp_password, sizeof(c.smtp_password), "s3cret");
	cr_assert_eq(mail_smtp_init(&s, &c, err, sizeof(err)), 0, "%s", err);
	cr_assert(s.starttls);
	build("Ana", "ana@example.org", NULL, &out);
	cr_assert_eq(mail_send(&s, &out, &r), MAIL_TEMPFAIL, "%s", r.detail);
	cr_assert_eq(r.curl_code, 64 /* CURLE_USE_SSL_FAILED */, "%s", r.detail);
	pthread_join(p.thread, NULL);
	close(p.fd);
	/* The server offered no STARTTLS: no credentials, no envelope. */
	cr_assert_eq(p.got_auth[0], '\0', "AUTH sent in clear: %s", p.got_auth);
	cr_assert_null(strstr(p.verbs, "MAIL"), "commands: %s", p.verbs);
	cr_assert(str_has_prefix(p.verbs, "EHLO"), "commands: %s", p.verbs);
	mail_out_free(&out);
}
