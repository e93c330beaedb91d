/*
 * The pure parts of mail to runners (issue 19, phase 2): the .tar.gz
 * writer of "download my data" (read back by GNU tar), routes as GPX,
 * sealed values and signed unsubscribe links, one-time link tokens, and
 * every mail template composed with sample data.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/secret.h"
#include "core/tar.h"
#include "domain/route_gpx.h"
#include "jobs/mail_account.h"
#include "jobs/mail_notify.h"
#include "mail/template.h"

static struct config cfg;

static void
setup(void)
{
	cr_assert_geq(sodium_init(), 0);
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.secret_key, sizeof(cfg.secret_key), "%s",
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	snprintf(cfg.base_url, sizeof(cfg.base_url), "https://cadence.example");
}

TestSuite(mail_parts, .init = setup);

/* ---- tar.gz ----------------------------------------------------------------- */

static char *
run(const char *cmd)
{
	static char	 out[4096];
	FILE		*p = popen(cmd, "r");
	size_t		 n;

	cr_assert_not_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	cr_assert_eq(pclose(p), 0, "%s failed", cmd);
	return out;
}

Test(mail_parts, tar_gz_reads_back_with_gnu_tar)
{
	char		 path[64], cmd[256], block[512], name[100];
	struct tar	*t;

	snprintf(path, sizeof(path), "/tmp/cadence-tar-%d.tar.gz", (int)getpid());
	memset(block, 'x', sizeof(block));
	memset(name, 'n', 99);
	name[99] = '\0';
	cr_assert_not_null(t = tar_create(path));
	cr_assert_eq(tar_add(t, "d/a.txt", "abc", 3, 1700000000), 0);
	cr_assert_eq(tar_add(t, "d/block", block, sizeof(block), 1700000000), 0);
	cr_assert_eq(tar_add(t, "d/empty", "", 0, 1700000000), 0);
	cr_assert_eq(tar_add(t, name, "1", 1, 1700000000), 0);
	memcpy(block, name, 99);
	block[99] = 'z';
	block[100] = '\0';
	cr_assert_eq(tar_add(t, block, "1", 1, 0), -1, "a 100-byte name");
	cr_assert_eq(tar_close(t), 0);
	snprintf(cmd, sizeof(cmd), "tar tzf %s", path);
	cr_assert_str_eq(run(cmd), "d/a.txt\nd/block\nd/empty\n"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\n");
	snprintf(cmd, sizeof(cmd), "tar xzf %s -O d/a.txt", path);
	cr_assert_str_eq(run(cmd), "abc");
	snprintf(cmd, sizeof(cmd), "tar xzf %s -O d/block | wc -c", path);
	cr_assert_str_eq(run(cmd), "512\n");
	snprintf(cmd, sizeof(cmd), "tar tzvf %s d/a.txt | cut -c1-10", path);
	cr_assert_str_eq(run(cmd), "-rw-r--r--\n");
	unlink(path);
}

/* ---- GPX ---------------------------------------------------------------------- */

Test(mail_parts, route_gpx_from_google_polyline)
{
	buf_t		 b = BUF_INIT;
	const char	*gpx;

	/* Google's documented example: three points. */
	cr_assert(route_gpx_from_polyline(&b, "Run <&> \"x\"",
	    "2025-11-03T06:00:00Z", "_p~iF~ps|U_ulLnnqC_mqNvxq`@"));
	gpx = buf_cstr(&b);
	cr_assert(strstr(gpx, "<trkpt lat=\"38.50000\" lon=\"-120.20000\"/>"));
	cr_assert(strstr(gpx, "<trkpt lat=\"40.70000\" lon=\"-120.95000\"/>"));
	cr_assert(strstr(gpx, "<trkpt lat=\"43.25200\" lon=\"-126.45300\"/>"));
	cr_assert(strstr(gpx, "<name>Run &lt;&amp;&gt; &quot;x&quot;</name>"),
	    "%s", gpx);
	cr_assert(strstr(gpx, "<time>2025-11-03T06:00:00Z</time>"));
	buf_reset(&b);
	cr_assert_not(route_gpx_from_polyline(&b, "x", "", ""));
	cr_assert_not(route_gpx_from_polyline(&b, "x", "", "_p~iF"));
	cr_assert_not(route_gpx_from_polyline(&b, "x", "", NULL));
	buf_free(&b);
}

/* ---- sealed values, signed links, tokens -------------------------------------- */

Test(mail_parts, sealed_values_open_only_with_the_key_and_purpose)
{
	arena_t		 a;
	char		*box, *open;
	struct config	 other = cfg;

	arena_init(&a);
	cr_assert_not_null(box = secret_seal(&cfg, SECRET_MAIL_SEAL, &a,
	    "https://cadence.example/password/reset?token=abc"));
	cr_assert_null(strstr(box, "token"), "sealed text readable");
	cr_assert_not_null(open = secret_open(&cfg, SECRET_MAIL_SEAL, &a, box));
	cr_assert_str_eq(open, "https://cadence.example/password/reset?token=abc");
	cr_assert_null(secret_open(&cfg, SECRET_EXPORT, &a, box),
	    "another purpose opened it");
	other.secret_key[0] = '1';
	cr_assert_null(secret_open(&other, SECRET_MAIL_SEAL, &a, box));
	box[10] = box[10] == 'A' ? 'B' : 'A';
	cr_assert_null(secret_open(&cfg, SECRET_MAIL_SEAL, &a, box), "tampered");
	cr_assert_null(secret_open(&cfg, SECRET_MAIL_SEAL, &a, "short"));
	other.secret_key[0] = '\0';
	cr_assert_null(secret_seal(&other, SECRET_MAIL_SEAL, &a, "x"), "no key");
	arena_free(&a);
}

Test(mail_parts, unsubscribe_links_are_signed_per_runner_and_kind)
{
	const char	*u = "0b7c6e43-2f7a-4c55-9d6e-0a3c4c1e2f10";
	const char	*v = "1b7c6e43-2f7a-4c55-9d6e-0a3c4c1e2f10";
	const char	*url, *s;
	arena_t		 a;

	arena_init(&a);
	url = notify_unsubscribe_url(&cfg, &a, u, "weekly_summary");
	cr_assert(strncmp(url, "https://cadence.example/unsubscribe?u=", 38) == 0);
	s = strstr(url, "&s=") + 3;
	cr_assert_eq(strlen(s), 64);
	cr_assert(notify_unsubscribe_ok(&cfg, u, "weekly_summary", s));
	cr_assert_not(notify_unsubscribe_ok(&cfg, v, "weekly_summary", s));
	cr_assert_not(notify_unsubscribe_ok(&cfg, u, "strava_reconnect", s));
	cr_assert_not(notify_unsubscribe_ok(&cfg, u, "nonsense", s));
	cr_assert_not(notify_unsubscribe_ok(&cfg, u, "weekly_summary", ""));
	cr_assert_not(notify_unsubscribe_ok(&cfg, u, "weekly_summary", NULL));
	arena_free(&a);
}

Test(mail_parts, link_tokens_are_64_hex_and_stored_as_sha256)
{
	char h[MAIL_TOKEN_HEX + 1];

	cr_assert(mail_token_ok("0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef"));
	cr_assert_not(mail_token_ok("0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef"));
	cr_assert_not(mail_token_ok("abc"));
	cr_assert_not(mail_token_ok(NULL));
	mail_token_hash("abc", h);
	cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
	    "b410ff61f20015ad");
}

/* ---- every mail template ------------------------------------------------------- */

static void
compose(mustache_set *set, const char *name, json_t *data, const char *unsub)
{
	struct mail_sender	 s = { set, { "Cadence", "cadence@cadence.example" },
				    "https://cadence.example" };
	struct mail_addr	 to = { "Zo\xc3\xab", "zoe@example.org" };
	struct mail_out		 out;
	char			 err[512];

	cr_assert_eq(mail_build(&s, name, &to, data, unsub, &out, err,
	    sizeof(err)), 0, "%s: %s", name, err);
	cr_assert(strstr(buf_cstr(&out.data), "Content-Type: multipart/"
	    "alternative;"), "%s: not text + HTML", name);
	cr_assert_eq(strstr(buf_cstr(&out.data), "List-Unsubscribe-Post:") !=
	    NULL, unsub != NULL, "%s", name);
	mail_out_free(&out);
	json_decref(data);
}

Test(mail_parts, every_mail_template_composes)
{
	char		 err[512];
	mustache_set	*set = mail_templates_load("templates/mail", err,
			    sizeof(err));
	const char	*u = "https://cadence.example/unsubscribe?u=x&k=y&s=z";

	cr_assert_not_null(set, "%s", err);
	compose(set, "verify_email", json_pack("{s:s, s:s, s:b}", "link",
	    "https://cadence.example/email/verify?token=ab", "expires_label",
	    "7 days", "changed", 1), NULL);
	compose(set, "password_reset", json_pack("{s:s, s:s}", "link",
	    "https://cadence.example/password/reset?token=ab", "expires_label",
	    "30 minutes"), NULL);
	compose(set, "password_changed", json_pack("{s:b, s:s}", "by_reset", 1,
	    "forgot_url", "/password/forgot"), NULL);
	compose(set, "signup_taken", json_pack("{s:s, s:s}", "login_url",
	    "/login", "forgot_url", "/password/forgot"), NULL);
	compose(set, "email_changed_old", json_pack("{s:s, s:s}", "new_address",
	    "new@example.org", "forgot_url", "/password/forgot"), NULL);
	compose(set, "export_ready", json_pack("{s:s, s:s, s:i, s:i}", "link",
	    "https://cadence.example/settings/export/x?e=1&s=2", "size_label",
	    "12 KB", "routes", 3, "days", 7), NULL);
	compose(set, "strava_reconnect", json_pack("{s:s, s:s}",
	    "settings_url", "/settings", "kind_label", "Strava"), u);
	compose(set, "weekly_summary", json_pack("{s:b, s:s, s:s, s:s, "
	    "s:{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i}, s:{s:s, s:s, s:b, "
	    "s:[{s:s, s:s, s:s, s:s, s:s}]}, s:s, s:s}", "has_plan", 1,
	    "plan_name", "Spring 10K", "plan_url", "/plans/x", "week_label",
	    "Nov 24 to Nov 30", "last_week", "label", "Nov 17 to Nov 23",
	    "planned", "40 km", "done", "36 km", "percent", 90, "workouts", 5,
	    "done_count", 4, "missed", 1, "skipped", 0, "next_week", "label",
	    "Nov 24 to Nov 30", "total", "42 km", "has_key", 1, "key", "day",
	    "Tue, Nov 25", "type", "Intervals", "distance", "10 km", "pace",
	    "4:30-4:40 /km", "url", "/workouts/x", "settings_url", "/settings",
	    "kind_label", "Weekly summary"), u);
	compose(set, "notify_plan_proposals", json_pack("{s:s, s:s, s:s}",
	    "title", "Cadence proposes an easier week", "text", "After your "
	    "cold, ...", "url", "/plans/x"), u);
	compose(set, "notify_coach_comments", json_pack("{s:s, s:s}", "title",
	    "Your coach commented", "text", "Nice intervals!"), u);
	mustache_set_free(set);
}
