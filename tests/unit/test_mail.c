/*
 * Tests for app/mail: addresses, the wire encodings (each output run
 * through the strict decoders of mail_decode.c and compared with what
 * went in, over fixed vectors and thousands of random texts), whole
 * messages, header injection, templates and the send-result rule.
 */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/util.h"
#include "mail/compose.h"
#include "mail/encode.h"
#include "mail/smtp.h"
#include "mail/template.h"
#include "mail_decode.h"

#define ROUNDS		2000	/* random texts per property */
#define FROM		{ "Cadence", "cadence@cadence.example" }

/* ---- helpers -------------------------------------------------------------- */

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
put_utf8(buf_t *b, unsigned cp)
{
	if (cp < 0x80)
		buf_putc(b, (int)cp);
	else if (cp < 0x800) {
		buf_putc(b, (int)(0xc0 | cp >> 6));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xe0 | cp >> 12));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | cp >> 18));
		buf_putc(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	}
}

/* A code point from ASCII, Latin, Cyrillic, CJK or emoji; no control. */
static unsigned
rnd_cp(bool newlines)
{
	static const unsigned lo[] = { 0x20, 0xa0, 0x400, 0x4e00, 0x1f300 };
	static const unsigned span[] = { 0x5f, 0x60, 0x100, 0x5000, 0x350 };
	static const char specials[] = " .=\"\\(<@,;:F-";
	unsigned r = rnd(20), k;

	if (newlines && r == 0)
		return '\n';
	if (r < 10)	/* mostly ASCII, with its specials */
		return r < 3 ? (unsigned char)specials[rnd(sizeof(specials) - 1)] :
		    0x20 + rnd(0x5f);
	k = 1 + rnd(4);
	return lo[k] + rnd(span[k]);
}

static void
rnd_text(buf_t *b, size_t max_cps, bool newlines)
{
	size_t i, n = rnd((unsigned)max_cps + 1);

	buf_reset(b);
	for (i = 0; i < n; i++)
		put_utf8(b, rnd_cp(newlines));
}

/* Line breaks of any convention as CRLF: the canonical form of text. */
static void
crlf(buf_t *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		if (*s == '\r' || *s == '\n')
			buf_add(out, "\r\n", 2);
		else
			buf_putc(out, *s);
	}
}

/* White space runs as one space, trimmed (what mail_hdr_text keeps). */
static void
squeezed(buf_t *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == ' ' && (out->len == 0 || out->data[out->len - 1] == ' '))
			continue;
		buf_putc(out, *s);
	}
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
}

static struct mail_out
compose_ok(const struct mail_msg *m)
{
	struct mail_out out;
	char err[256] = "";

	cr_assert_eq(mail_compose(m, &out, err, sizeof(err)), 0, "%s", err);
	return out;
}

static void
expect_refused(const struct mail_msg *m, const char *field)
{
	struct mail_out out;
	char err[256] = "";

	cr_assert_eq(mail_compose(m, &out, err, sizeof(err)), -1,
	    "composed with a bad %s", field);
	cr_assert(strstr(err, field) != NULL, "error '%s' does not name %s",
	    err, field);
	cr_assert_eq(out.data.len, 0, "a refused message left output");
	mail_out_free(&out);
}

/* The unfolded value of a header, asserting it decodes cleanly. */
static void
header(const struct mail_out *out, const char *name, buf_t *v, size_t *ml)
{
	const char *why = td_header(buf_cstr(&out->data), name, v, ml);

	cr_assert_null(why, "%s: %s", name, why);
}

/* ---- addresses ------------------------------------------------------------ */

Test(mail, addresses_valid)
{
	static const char *const good[] = {
		"runner@example.com", "a.b+tag@sub.example.co.uk",
		"x@cadence.localhost", "o'brien@xn--mnchen-3ya.de",
		"!#$%&'*+-/=?^_`{|}~@example.org", "a@b-c.example",
	};
	size_t i;

	for (i = 0; i < NELEM(good); i++)
		cr_assert(mail_addr_valid(good[i]), "refused %s", good[i]);
}

Test(mail, addresses_invalid)
{
	static const char *const bad[] = {
		"", "runner", "@example.com", "runner@", "runner@localhost",
		"a..b@example.com", ".a@example.com", "a.@example.com",
		"a b@example.com", "\"a b\"@example.com", "a@example.com\r\n"
		"Bcc: victim@example.org", "a@example.com\n", "a@exa mple.com",
		"a@-example.com", "a@example-.com", "a@example..com",
		"a@1.2.3.4", "a@[127.0.0.1]", "jos\xc3\xa9@example.com",
		"a@m\xc3\xbcnchen.de", "<a@example.com>", "a@b@example.com",
		"a@example.com,b@example.com", "a(c)@example.com",
		"a@example.com>", "a@.example.com",
	};
	char long_local[80], long_label[120], long_addr[300];
	size_t i;

	for (i = 0; i < NELEM(bad); i++)
		cr_assert_not(mail_addr_valid(bad[i]), "accepted '%s'", bad[i]);
	snprintf(long_local, sizeof(long_local), "%065d@example.com", 0);
	cr_assert_not(mail_addr_valid(long_local));
	snprintf(long_local, sizeof(long_local), "%064d@example.com", 0);
	cr_assert(mail_addr_valid(long_local), "64-byte local part refused");
	snprintf(long_label, sizeof(long_label), "a@%064d.com", 0);
	cr_assert_not(mail_addr_valid(long_label));
	/* Every part within its limit; only the whole is one byte too long. */
	snprintf(long_addr, sizeof(long_addr), "%064d@%063d.%063d.%058d.com",
	    0, 0, 0, 0);
	cr_assert_eq(strlen(long_addr), MAIL_ADDR_MAX + 1);
	cr_assert_not(mail_addr_valid(long_addr));
	snprintf(long_addr, sizeof(long_addr), "%064d@%063d.%063d.%057d.com",
	    0, 0, 0, 0);
	cr_assert(mail_addr_valid(long_addr), "254-byte address refused");
}

Test(mail, parse_mailbox_from_config)
{
	char name[MAIL_NAME_MAX + 1], addr[MAIL_ADDR_MAX + 1];

	cr_assert_eq(mail_parse_mailbox("Cadence <no-reply@cadence.example>",
	    name, addr), 0);
	cr_assert_str_eq(name, "Cadence");
	cr_assert_str_eq(addr, "no-reply@cadence.example");
	cr_assert_eq(mail_parse_mailbox("\"Cadence, Inc.\" <a@b.example>",
	    name, addr), 0);
	cr_assert_str_eq(name, "Cadence, Inc.");
	cr_assert_eq(mail_parse_mailbox("  a@b.example ", name, addr), 0);
	cr_assert_str_eq(name, "");
	cr_assert_str_eq(addr, "a@b.example");
	cr_assert_eq(mail_parse_mailbox("C\xc3\xa9 <a@b.example>", name, addr), 0);
	cr_assert_neq(mail_parse_mailbox("Cadence <a@b>", name, addr), 0);
	cr_assert_neq(mail_parse_mailbox("Cadence <a@b.example", name, addr), 0);
	cr_assert_neq(mail_parse_mailbox("Cadence\r\nBcc: x@y.example "
	    "<a@b.example>", name, addr), 0);
	cr_assert_neq(mail_parse_mailbox("Ca\"dence <a@b.example>", name,
	    addr), 0);
	cr_assert_neq(mail_parse_mailbox("", name, addr), 0);
}

/* ---- quoted-printable and base64 ------------------------------------------ */

static void
qp_expect(const char *in, const char *want)
{
	buf_t out = BUF_INIT;

	mail_qp_encode(&out, in, strlen(in));
	cr_assert_str_eq(buf_cstr(&out), want, "QP of '%s'", in);
	buf_free(&out);
}

Test(mail, qp_vectors)
{
	qp_expect("a=b", "a=3Db");
	qp_expect("caf\xc3\xa9", "caf=C3=A9");
	qp_expect("trailing \nspace\t\r\nend ", "trailing=20\r\nspace=09\r\nend=20");
	qp_expect(".hidden\nFrom me\nFromage", "=2Ehidden\r\n=46rom me\r\nFromage");
	qp_expect("a\rb\r\n\nc", "a\r\nb\r\n\r\nc");
	/* 80 x 'a': 75 characters and a soft break, then the other 5. */
	qp_expect("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaa=\r\naaaaa");
	/* 76 exactly fits: the last character needs no room for '='. */
	qp_expect("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbb", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbbbbbbbbbbbbb");
}

Test(mail, qp_round_trip_random)
{
	buf_t in = BUF_INIT, enc = BUF_INIT, dec = BUF_INIT, want = BUF_INIT;
	const char *why;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		rnd_text(&in, 400, true);
		if (rnd(4) == 0)	/* long unbroken runs and line ends */
			buf_puts(&in, i % 2 ? "  \n.\nFrom x\n" :
			    "=====================================================");
		buf_reset(&enc);
		buf_reset(&dec);
		buf_reset(&want);
		mail_qp_encode(&enc, buf_cstr(&in), in.len);
		why = td_qp(buf_cstr(&enc), enc.len, &dec);
		cr_assert_null(why, "%s in:\n%s", why, buf_cstr(&enc));
		crlf(&want, buf_cstr(&in));
		cr_assert_eq(dec.len, want.len);
		cr_assert(memcmp(dec.data, want.data, want.len) == 0,
		    "QP round trip differs for:\n%s", buf_cstr(&in));
		cr_assert_null(strstr(buf_cstr(&enc), "\r\n."),
		    "a line starts with '.'");
		cr_assert_null(strstr(buf_cstr(&enc), "\r\nFrom "));
	}
	buf_free(&in);
	buf_free(&enc);
	buf_free(&dec);
	buf_free(&want);
}

Test(mail, base64_round_trip_and_lines)
{
	buf_t in = BUF_INIT, enc = BUF_INIT, dec = BUF_INIT;
	int i;

	cr_assert_eq(enc.len, 0);
	mail_base64_encode(&enc, "hello", 5);
	cr_assert_str_eq(buf_cstr(&enc), "aGVsbG8=\r\n");
	for (i = 0; i < ROUNDS / 4; i++) {
		rnd_text(&in, 300, true);
		buf_reset(&enc);
		buf_reset(&dec);
		mail_base64_encode(&enc, in.data, in.len);
		cr_assert_null(td_base64(buf_cstr(&enc), enc.len, &dec));
		cr_assert(dec.len == in.len && (in.len == 0 ||
		    memcmp(dec.data, in.data, in.len) == 0));
	}
	buf_free(&in);
	buf_free(&enc);
	buf_free(&dec);
}

Test(mail, base64_chosen_for_mostly_non_ascii)
{
	const char *ja = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae"
	    "\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88";

	cr_assert(mail_prefer_base64(ja, strlen(ja)));
	cr_assert_not(mail_prefer_base64("Your week: 5 runs, 42 km",
	    strlen("Your week: 5 runs, 42 km")));
	cr_assert_not(mail_prefer_base64("Caf\xc3\xa9 run at 7", 15));
}

/* ---- header fields ---------------------------------------------------------- */

/* Writes a Subject field for s and returns its decoded text. */
static void
subject_round_trip(const char *s, buf_t *decoded, size_t *max_line)
{
	struct mail_out	 out;
	struct mail_hdr	 h;
	buf_t		 v = BUF_INIT;
	const char	*why;

	memset(&out, 0, sizeof(out));
	mail_hdr_begin(&h, &out.data, "Subject");
	mail_hdr_text(&h, s, strlen(s));
	mail_hdr_end(&h);
	buf_puts(&out.data, "\r\n");
	header(&out, "Subject", &v, max_line);
	why = td_2047(buf_cstr(&v), decoded);
	cr_assert_null(why, "%s: %s", why, buf_cstr(&out.data));
	buf_free(&v);
	mail_out_free(&out);
}

Test(mail, subject_plain_ascii_stays_readable)
{
	buf_t d = BUF_INIT;
	size_t ml;

	subject_round_trip("Your week: 5 runs, 42 km", &d, &ml);
	cr_assert_str_eq(buf_cstr(&d), "Your week: 5 runs, 42 km");
	cr_assert_eq(ml, strlen("Subject: Your week: 5 runs, 42 km"));
	buf_free(&d);
}

Test(mail, subject_that_looks_encoded_is_encoded)
{
	buf_t d = BUF_INIT;
	size_t ml;

	subject_round_trip("=?UTF-8?B?aGk=?= is not for decoding", &d, &ml);
	cr_assert_str_eq(buf_cstr(&d), "=?UTF-8?B?aGk=?= is not for decoding");
	buf_free(&d);
}

Test(mail, subject_known_encoding)
{
	struct mail_hdr h;
	buf_t b = BUF_INIT;

	mail_hdr_begin(&h, &b, "Subject");
	mail_hdr_text(&h, "Caf\xc3\xa9", 5);
	mail_hdr_end(&h);
	/* Same as Python's email.header.Header('Café', 'utf-8').encode(). */
	cr_assert_str_eq(buf_cstr(&b), "Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n");
	buf_free(&b);
}

Test(mail, subject_long_ascii_folds_at_spaces)
{
	const char *s = "Your plan for the Berlin Marathon: week 12 of 18, "
	    "with a 32 km long run on Sunday and intervals on Tuesday";
	buf_t d = BUF_INIT;
	size_t ml;

	subject_round_trip(s, &d, &ml);
	cr_assert_str_eq(buf_cstr(&d), s);
	cr_assert_leq(ml, MAIL_LINE_SOFT);
	buf_free(&d);
}

Test(mail, subject_round_trip_random)
{
	buf_t s = BUF_INIT, d = BUF_INIT, want = BUF_INIT;
	size_t ml;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		rnd_text(&s, 1 + rnd(150), false);
		if (s.len == 0)
			continue;
		buf_reset(&d);
		buf_reset(&want);
		subject_round_trip(buf_cstr(&s), &d, &ml);
		squeezed(&want, buf_cstr(&s));
		cr_assert_str_eq(buf_cstr(&d), buf_cstr(&want));
		cr_assert_leq(ml, MAIL_LINE_SOFT, "line of %zu for '%s'", ml,
		    buf_cstr(&s));
	}
	buf_free(&s);
	buf_free(&d);
	buf_free(&want);
}

/* Composes a message to name and returns the decoded To display name. */
static void
name_round_trip(const char *name, buf_t *decoded, buf_t *raw)
{
	struct mail_msg	 m = { .from = FROM,
			    .to = { name, "runner@example.com" },
			    .subject = "Hi", .text = "Body\n" };
	struct mail_out	 out = compose_ok(&m);
	buf_t		 addr = BUF_INIT;
	const char	*why;
	size_t		 ml;

	buf_reset(raw);
	header(&out, "To", raw, &ml);
	why = td_mailbox(buf_cstr(raw), decoded, &addr);
	cr_assert_null(why, "%s: %s", why, buf_cstr(raw));
	cr_assert_str_eq(buf_cstr(&addr), "runner@example.com");
	cr_assert_leq(ml, MAIL_LINE_SOFT, "To line of %zu: %s", ml,
	    buf_cstr(raw));
	buf_free(&addr);
	mail_out_free(&out);
}

Test(mail, display_names_atoms_quoted_encoded)
{
	static const struct { const char *name, *raw; } cases[] = {
		{ "Mary-Jane O'Brien", "Mary-Jane O'Brien <runner@example.com>" },
		{ "Smith, John", "\"Smith, John\" <runner@example.com>" },
		{ "Dr. \"Doc\" A\\B", "\"Dr. \\\"Doc\\\" A\\\\B\" "
		  "<runner@example.com>" },
		{ "Jos\xc3\xa9", "=?UTF-8?B?Sm9zw6k=?= <runner@example.com>" },
		{ "", "runner@example.com" },
		{ "=?x?=", "=?UTF-8?B?PT94Pz0=?= <runner@example.com>" },
	};
	buf_t d = BUF_INIT, raw = BUF_INIT;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		buf_reset(&d);
		name_round_trip(cases[i].name, &d, &raw);
		cr_assert_str_eq(buf_cstr(&raw), cases[i].raw);
		cr_assert_str_eq(buf_cstr(&d), cases[i].name);
	}
	buf_free(&d);
	buf_free(&raw);
}

Test(mail, display_name_round_trip_random)
{
	buf_t s = BUF_INIT, d = BUF_INIT, raw = BUF_INIT;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		rnd_text(&s, 1 + rnd(80), false);
		if (s.len == 0 || s.len > MAIL_NAME_MAX)
			continue;
		buf_reset(&d);
		name_round_trip(buf_cstr(&s), &d, &raw);
		cr_assert_str_eq(buf_cstr(&d), buf_cstr(&s), "raw: %s",
		    buf_cstr(&raw));
	}
	buf_free(&s);
	buf_free(&d);
	buf_free(&raw);
}

/* ---- whole messages ---------------------------------------------------------- */

static const struct mail_msg full = {
	.from = { "Cadence", "no-reply@cadence.example" },
	.to = { "Zo\xc3\xab \xc5\x81ukasz-M\xc3\xbcller", "zoe@example.org" },
	.subject = "Your week: 5 runs \xe2\x80\x94 42 km \xf0\x9f\x8f\x83",
	.text = "Hi Zo\xc3\xab,\n\nO'Brien & Co <team> ran 42 km.\n-- \n"
	    "Cadence\n",
	.html = "<p>Hi Zo\xc3\xab,</p>\n<p>O&#39;Brien &amp; Co ran 42 km."
	    "</p>\n",
	.unsubscribe_url = "https://cadence.example/unsubscribe/0123456789abcdef",
	.date = 1717423509,
};

Test(mail, message_headers)
{
	struct mail_out	out = compose_ok(&full);
	buf_t		v = BUF_INIT, d = BUF_INIT, a = BUF_INIT;
	size_t		ml;

	header(&out, "Date", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "Mon, 03 Jun 2024 14:05:09 +0000");
	buf_reset(&v);
	header(&out, "From", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "Cadence <no-reply@cadence.example>");
	buf_reset(&v);
	header(&out, "To", &v, &ml);
	cr_assert_null(td_mailbox(buf_cstr(&v), &d, &a));
	cr_assert_str_eq(buf_cstr(&d), full.to.name);
	buf_reset(&v);
	buf_reset(&d);
	header(&out, "Subject", &v, &ml);
	cr_assert_null(td_2047(buf_cstr(&v), &d));
	cr_assert_str_eq(buf_cstr(&d), full.subject);
	buf_reset(&v);
	header(&out, "Message-ID", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), out.message_id);
	cr_assert_eq(strlen(out.message_id), 1 + 32 + 1 +
	    strlen("cadence.example") + 1, "Message-ID %s", out.message_id);
	cr_assert(str_has_prefix(strstr(out.message_id, "@"),
	    "@cadence.example>"));
	buf_reset(&v);
	header(&out, "MIME-Version", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "1.0");
	buf_reset(&v);
	header(&out, "List-Unsubscribe", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "<https://cadence.example/unsubscribe/"
	    "0123456789abcdef>");
	buf_reset(&v);
	header(&out, "List-Unsubscribe-Post", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "List-Unsubscribe=One-Click");
	cr_assert_str_eq(out.from, "no-reply@cadence.example");
	cr_assert_str_eq(out.to, "zoe@example.org");
	buf_free(&v);
	buf_free(&d);
	buf_free(&a);
	mail_out_free(&out);
}

Test(mail, message_is_7bit_crlf_and_short_lined)
{
	struct mail_out	 out = compose_ok(&full);
	const char	*p = buf_cstr(&out.data), *eol;
	size_t		 i;

	for (i = 0; i < out.data.len; i++)
		cr_assert(out.data.data[i] > 0 && (unsigned char)out.data.data[i] < 128,
		    "8-bit or NUL byte at %zu", i);
	for (; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		cr_assert_not_null(eol, "last line without CRLF");
		cr_assert_null(memchr(p, '\n', (size_t)(eol - p)), "bare LF");
		cr_assert_leq(eol - p, MAIL_LINE_SOFT, "line: %.*s",
		    (int)(eol - p), p);
	}
	mail_out_free(&out);
}

Test(mail, message_parts_decode_to_what_went_in)
{
	struct mail_out	out = compose_ok(&full);
	buf_t		body = BUF_INIT, want = BUF_INIT;
	char		enc[32];

	cr_assert_null(td_part(buf_cstr(&out.data), "text/plain", &body, enc));
	crlf(&want, full.text);
	cr_assert_str_eq(buf_cstr(&body), buf_cstr(&want));
	cr_assert_str_eq(enc, "quoted-printable");
	buf_reset(&body);
	buf_reset(&want);
	cr_assert_null(td_part(buf_cstr(&out.data), "text/html", &body, enc));
	crlf(&want, full.html);
	cr_assert_str_eq(buf_cstr(&body), buf_cstr(&want));
	buf_free(&body);
	buf_free(&want);
	mail_out_free(&out);
}

Test(mail, message_in_japanese_uses_base64)
{
	struct mail_msg m = full;
	struct mail_out out;
	buf_t body = BUF_INIT, want = BUF_INIT;
	char enc[32];

	m.text = "\xe4\xbb\x8a\xe9\x80\xb1\xe3\x81\xae\xe7\xb7\xb4\xe7\xbf\x92"
	    "\xe3\x81\xaf\xe4\xba\x94\xe5\x9b\x9e\xe3\x81\xa7\xe3\x81\x99\n";
	out = compose_ok(&m);
	cr_assert_null(td_part(buf_cstr(&out.data), "text/plain", &body, enc));
	cr_assert_str_eq(enc, "base64");
	crlf(&want, m.text);
	cr_assert_str_eq(buf_cstr(&body), buf_cstr(&want));
	buf_free(&body);
	buf_free(&want);
	mail_out_free(&out);
}

Test(mail, text_only_message_without_unsubscribe)
{
	struct mail_msg m = full;
	struct mail_out out;
	buf_t v = BUF_INIT, body = BUF_INIT;
	char enc[32];
	size_t ml;

	m.html = NULL;
	m.unsubscribe_url = NULL;
	out = compose_ok(&m);
	header(&out, "Content-Type", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "text/plain; charset=UTF-8");
	cr_assert_not_null(td_header(buf_cstr(&out.data), "List-Unsubscribe",
	    &v, &ml));
	cr_assert_not_null(td_header(buf_cstr(&out.data),
	    "List-Unsubscribe-Post", &v, &ml));
	cr_assert_null(td_part(buf_cstr(&out.data), "text/plain", &body, enc));
	cr_assert(strstr(buf_cstr(&body), "O'Brien & Co <team> ran 42 km."));
	buf_free(&v);
	buf_free(&body);
	mail_out_free(&out);
}

Test(mail, message_ids_and_boundaries_differ)
{
	struct mail_out a = compose_ok(&full), b = compose_ok(&full);
	buf_t va = BUF_INIT, vb = BUF_INIT;
	size_t ml;

	cr_assert_str_neq(a.message_id, b.message_id);
	header(&a, "Content-Type", &va, &ml);
	header(&b, "Content-Type", &vb, &ml);
	cr_assert_str_neq(buf_cstr(&va), buf_cstr(&vb));
	buf_free(&va);
	buf_free(&vb);
	mail_out_free(&a);
	mail_out_free(&b);
}

Test(mail, message_id_kept_for_retries)
{
	struct mail_msg	m = full;
	struct mail_out	out;
	buf_t		v = BUF_INIT;
	size_t		ml;

	m.message_id = "<0123abcd.retry@cadence.example>";
	out = compose_ok(&m);
	cr_assert_str_eq(out.message_id, m.message_id);
	header(&out, "Message-ID", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), m.message_id);
	buf_free(&v);
	mail_out_free(&out);
	m.message_id = "<a@b.example>\r\nBcc: victim@example.org";
	expect_refused(&m, "message id");
	m.message_id = "a@b.example";
	expect_refused(&m, "message id");
	m.message_id = "<a@b@c.example>";
	expect_refused(&m, "message id");
	m.message_id = "<@b.example>";
	expect_refused(&m, "message id");
}

Test(mail, date_format)
{
	char d[MAIL_DATE_MAX];

	mail_format_date(0, d);
	cr_assert_str_eq(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	mail_format_date(1740787199, d);
	cr_assert_str_eq(d, "Fri, 28 Feb 2025 23:59:59 +0000");
}

/* ---- injection and bad input ------------------------------------------------- */

Test(mail, header_injection_refused)
{
	static const char *const names[] = {
		"Eve\r\nBcc: victim@example.org", "Eve\nBcc: x@y.example",
		"Eve\rX", "Eve\tTab", "Eve\x7f", "Eve\xc2\x85", "Eve\xff",
		"Eve\xc3",
	};
	struct mail_msg m;
	size_t i;

	for (i = 0; i < NELEM(names); i++) {
		m = full;
		m.to.name = names[i];
		expect_refused(&m, "to");
		m = full;
		m.from.name = names[i];
		expect_refused(&m, "from");
		m = full;
		m.subject = names[i];
		expect_refused(&m, "subject");
	}
	m = full;
	m.to.addr = "zoe@example.org\r\nBcc: victim@example.org";
	expect_refused(&m, "to");
	m = full;
	m.from.addr = "x@y.example>\r\nBcc: victim@example.org";
	expect_refused(&m, "from");
	m = full;
	m.unsubscribe_url = "https://x.example/u>\r\nBcc: v@example.org";
	expect_refused(&m, "unsubscribe");
	m = full;
	m.unsubscribe_url = "https://x.example/u>, <mailto:v@example.org";
	expect_refused(&m, "unsubscribe");
	m = full;
	m.unsubscribe_url = "javascript:alert(1)";
	expect_refused(&m, "unsubscribe");
}

Test(mail, other_bad_input_refused)
{
	char		 big[MAIL_NAME_MAX + 2];
	struct mail_msg	 m = full;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	m.to.name = big;
	expect_refused(&m, "to");
	m = full;
	m.subject = "";
	expect_refused(&m, "subject");
	m = full;
	m.text = NULL;
	expect_refused(&m, "text");
	m = full;
	m.text = "bell\x07";
	expect_refused(&m, "text");
	m = full;
	m.html = "\xc3\x28";
	expect_refused(&m, "html");
}

/* ---- templates ---------------------------------------------------------------- */

static mustache_set *
test_templates(void)
{
	static const struct { const char *name, *src; } t[] = {
		{ "hi.subject", "Hello {{first}} & {{#to_name}}{{to_name}}{{/to_name}}\n" },
		{ "hi.text", "Hi {{to_name}}, {{first}} & <co>.\n{{> foot.text}}" },
		{ "hi.html", "<p>Hi {{to_name}}, {{first}}</p>\n" },
		{ "foot.text", "-- \n{{site_url}}{{#unsubscribe_url}} {{unsubscribe_url}}{{/unsubscribe_url}}\n" },
		{ "plain.subject", "Plain\n" },
		{ "plain.text", "Only text: {{secret}}\n" },
		{ "two.subject", "Line one\nLine two\n" },
		{ "two.text", "x\n" },
	};
	mustache_set *set = mustache_set_new();
	mustache_err err;
	size_t i;

	for (i = 0; i < NELEM(t); i++)
		cr_assert_eq(mustache_set_add(set, t[i].name, t[i].src,
		    strlen(t[i].src), NULL, &err), 0, "%s", err.msg);
	return set;
}

Test(mail, template_text_parts_are_not_html_escaped)
{
	mustache_set		*set = test_templates();
	struct mail_sender	 s = { set, FROM, "https://cadence.example" };
	struct mail_addr	 to = { "O'Brien", "ob@example.org" };
	json_t			*data = json_pack("{s:s}", "first", "Tom & <Jerry>");
	struct mail_out		 out;
	buf_t			 v = BUF_INIT, d = BUF_INIT, body = BUF_INIT;
	char			 err[256], enc[32];
	size_t			 ml;

	cr_assert_eq(mail_build(&s, "hi", &to, data, "https://cadence.example/u/1",
	    &out, err, sizeof(err)), 0, "%s", err);
	header(&out, "Subject", &v, &ml);
	cr_assert_null(td_2047(buf_cstr(&v), &d));
	cr_assert_str_eq(buf_cstr(&d), "Hello Tom & <Jerry> & O'Brien");
	cr_assert_null(td_part(buf_cstr(&out.data), "text/plain", &body, enc));
	cr_assert_str_eq(buf_cstr(&body), "Hi O'Brien, Tom & <Jerry> & <co>.\r\n"
	    "-- \r\nhttps://cadence.example https://cadence.example/u/1\r\n");
	buf_reset(&body);
	cr_assert_null(td_part(buf_cstr(&out.data), "text/html", &body, enc));
	cr_assert_str_eq(buf_cstr(&body),
	    "<p>Hi O&#39;Brien, Tom &amp; &lt;Jerry&gt;</p>\r\n");
	buf_free(&v);
	buf_free(&d);
	buf_free(&body);
	json_decref(data);
	mail_out_free(&out);
	mustache_set_free(set);
}

Test(mail, template_without_html_is_text_only)
{
	mustache_set		*set = test_templates();
	struct mail_sender	 s = { set, FROM, "https://cadence.example" };
	struct mail_addr	 to = { NULL, "ob@example.org" };
	struct mail_out		 out;
	buf_t			 v = BUF_INIT;
	char			 err[256];
	size_t			 ml;

	cr_assert_eq(mail_build(&s, "plain", &to, NULL, NULL, &out, err,
	    sizeof(err)), 0, "%s", err);
	header(&out, "Content-Type", &v, &ml);
	cr_assert_str_eq(buf_cstr(&v), "text/plain; charset=UTF-8");
	buf_free(&v);
	mail_out_free(&out);
	mustache_set_free(set);
}

static void
build_fails(const struct mail_sender *s, const char *name,
    const struct mail_addr *to, const json_t *data, const char *want)
{
	struct mail_out out;
	char err[256] = "";

	cr_assert_eq(mail_build(s, name, to, data, NULL, &out, err,
	    sizeof(err)), -1, "built %s", name);
	cr_assert(strstr(err, want), "error '%s' lacks '%s'", err, want);
	mail_out_free(&out);
}

Test(mail, template_errors)
{
	mustache_set		*set = test_templates();
	struct mail_sender	 s = { set, FROM, "https://cadence.example" };
	struct mail_addr	 to = { "Eve", "eve@example.org" };
	struct mail_addr	 bad = { "Eve", "eve@example.org\r\nBcc: x@y.example" };
	json_t			*nl = json_pack("{s:s}", "first", "a\r\nBcc: x@y.example");
	json_t			*nul = json_pack("{s:s%}", "secret", "a\0b", (size_t)3);

	build_fails(&s, "missing", &to, NULL, "no template named");
	build_fails(&s, "../hi", &to, NULL, "template name");
	build_fails(&s, "two", &to, NULL, "more than one line");
	build_fails(&s, "hi", &to, nl, "more than one line");
	build_fails(&s, "hi", &bad, NULL, "to:");
	build_fails(&s, "plain", &to, nul, "NUL");
	json_decref(nl);
	json_decref(nul);
	mustache_set_free(set);
}

Test(mail, template_job_json)
{
	mustache_set		*set = test_templates();
	struct mail_sender	 s = { set, FROM, "https://cadence.example" };
	json_t			*job;
	struct mail_out		 out;
	char			 err[256];

	job = json_loads("{\"template\": \"hi\", \"to\": {\"address\": "
	    "\"ob@example.org\", \"name\": \"O\"}, \"data\": {\"first\": \"T\"},"
	    " \"unsubscribe_url\": \"https://cadence.example/u/2\"}", 0, NULL);
	cr_assert_eq(mail_build_json(&s, job, &out, err, sizeof(err)), 0, "%s",
	    err);
	cr_assert(strstr(buf_cstr(&out.data),
	    "List-Unsubscribe: <https://cadence.example/u/2>\r\n"));
	mail_out_free(&out);
	json_decref(job);
	job = json_loads("{\"template\": \"plain\", \"to\": {\"address\": "
	    "\"ob@example.org\"}, \"message_id\": \"<first.try@x.example>\"}",
	    0, NULL);
	cr_assert_eq(mail_build_json(&s, job, &out, err, sizeof(err)), 0, "%s",
	    err);
	cr_assert_str_eq(out.message_id, "<first.try@x.example>");
	mail_out_free(&out);
	json_decref(job);
	job = json_loads("{\"template\": \"hi\", \"to\": {\"address\": "
	    "\"ob@example.org\", \"name\": \"O\\u0000\\r\\nBcc: x@y.example\"}}",
	    JSON_ALLOW_NUL, NULL);
	cr_assert_not_null(job);
	cr_assert_eq(mail_build_json(&s, job, &out, err, sizeof(err)), -1);
	cr_assert(strstr(err, "NUL"), "%s", err);
	mail_out_free(&out);
	json_decref(job);
	job = json_loads("{\"template\": \"hi\", \"to\": \"ob@example.org\"}",
	    0, NULL);
	cr_assert_eq(mail_build_json(&s, job, &out, err, sizeof(err)), -1);
	mail_out_free(&out);
	json_decref(job);
	mustache_set_free(set);
}

Test(mail, shipped_templates_load_and_build)
{
	char			 err[256];
	mustache_set		*set = mail_templates_load("templates/mail", err,
				    sizeof(err));
	struct mail_sender	 s = { set, FROM, "https://cadence.example" };
	struct mail_addr	 to = { "Zo\xc3\xab", "zoe@example.org" };
	struct mail_out		 out;
	json_t			*data = json_pack("{s:s}", "sent_at", "now");

	cr_assert_not_null(set, "%s", err);
	cr_assert_eq(mail_build(&s, "test", &to, data, NULL, &out, err,
	    sizeof(err)), 0, "%s", err);
	mail_out_free(&out);
	json_decref(data);
	mustache_set_free(set);
}

/* ---- configuration and the send-result rule ------------------------------------ */

static int
smtp_init(const char *url, const char *user, const char *pw, const char *from,
    struct mail_smtp *s, char *err, size_t errlen)
{
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.smtp_url, sizeof(cfg.smtp_url), "%s", url);
	snprintf(cfg.smtp_user, sizeof(cfg.smtp_user), "%s", user);
	snprintf(cfg.smtp_password, sizeof(cfg.smtp_password), "%s", pw);
	snprintf(cfg.smtp_from, sizeof(cfg.smtp_from), "%s", from);
	return mail_smtp_init(s, &cfg, err, errlen);
}

Test(mail, smtp_config)
{
	struct mail_smtp s;
	char err[256];

	cr_assert_eq(smtp_init("smtp://127.0.0.1:2525", "", "",
	    "Cadence <c@cadence.localhost>", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(s.url, "smtp://127.0.0.1:2525/cadence.localhost");
	cr_assert_not(s.starttls, "loopback needs no STARTTLS");
	cr_assert_str_eq(s.from_name, "Cadence");
	cr_assert_eq(s.connect_timeout_ms, MAIL_CONNECT_TIMEOUT_MS);
	cr_assert_eq(smtp_init("smtp://mail.example.org:587", "u", "p",
	    "c@example.org", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert(s.starttls, "STARTTLS must be required off loopback");
	cr_assert_str_eq(s.url, "smtp://mail.example.org:587/example.org");
	cr_assert_eq(smtp_init("smtps://mail.example.org/helo.example.org",
	    "u", "p", "c@example.org", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(s.starttls, "smtps is TLS from the start");
	cr_assert_str_eq(s.url, "smtps://mail.example.org/helo.example.org");
	cr_assert_eq(smtp_init("smtp://127.mail.example.org:587", "", "",
	    "c@example.org", &s, err, sizeof(err)), 0, "%s", err);
	cr_assert(s.starttls, "a host named 127.* is not loopback");
	cr_assert_eq(smtp_init("smtp://localhost:25", "", "", "c@example.org",
	    &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(s.starttls);
	cr_assert_eq(smtp_init("smtp://[::1]:25", "", "", "c@example.org",
	    &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(s.starttls);
	cr_assert_eq(smtp_init("smtp://127.0.0.9:25", "", "", "c@example.org",
	    &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(s.starttls);
}

Test(mail, smtp_config_errors)
{
	static const struct { const char *url, *user, *pw, *from, *want; } bad[] = {
		{ "", "", "", "c@example.org", "SMTP_URL is not set" },
		{ "http://mail.example.org", "", "", "c@example.org", "smtp://" },
		{ "smtp://u:secret@mail.example.org", "", "", "c@example.org",
		  "credentials" },
		{ "smtp://mail.example.org?x=1", "", "", "c@example.org", "query" },
		{ "smtp://mail.example.org", "u", "", "c@example.org", "SMTP_USER" },
		{ "smtp://mail.example.org", "", "", "", "SMTP_FROM" },
		{ "smtp://mail.example.org", "", "", "Cadence <c@localhost>",
		  "SMTP_FROM" },
	};
	struct mail_smtp s;
	char err[256];
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		cr_assert_eq(smtp_init(bad[i].url, bad[i].user, bad[i].pw,
		    bad[i].from, &s, err, sizeof(err)), -1, "accepted %s",
		    bad[i].url);
		cr_assert(strstr(err, bad[i].want), "'%s' lacks '%s'", err,
		    bad[i].want);
		cr_assert_null(strstr(err, "secret"), "error shows a password");
	}
}

Test(mail, send_result_rule)
{
	static const struct { int curl, smtp; enum mail_status want; } c[] = {
		{ CURLE_OK, 250, MAIL_SENT },
		{ CURLE_SEND_ERROR, 550, MAIL_PERMFAIL },	/* no such user */
		{ CURLE_WEIRD_SERVER_REPLY, 554, MAIL_PERMFAIL },
		{ CURLE_SEND_ERROR, 552, MAIL_PERMFAIL },	/* too big */
		{ CURLE_SEND_ERROR, 451, MAIL_TEMPFAIL },	/* try later */
		{ CURLE_RECV_ERROR, 421, MAIL_TEMPFAIL },	/* closing */
		{ CURLE_LOGIN_DENIED, 535, MAIL_TEMPFAIL },	/* our password */
		{ CURLE_LOGIN_DENIED, 530, MAIL_TEMPFAIL },
		{ CURLE_COULDNT_CONNECT, 0, MAIL_TEMPFAIL },
		{ CURLE_COULDNT_RESOLVE_HOST, 0, MAIL_TEMPFAIL },
		{ CURLE_OPERATION_TIMEDOUT, 0, MAIL_TEMPFAIL },
		{ CURLE_OPERATION_TIMEDOUT, 250, MAIL_TEMPFAIL },
		{ CURLE_USE_SSL_FAILED, 0, MAIL_TEMPFAIL },
		{ CURLE_PEER_FAILED_VERIFICATION, 0, MAIL_TEMPFAIL },
	};
	size_t i;

	for (i = 0; i < NELEM(c); i++)
		cr_assert_eq(mail_classify(c[i].curl, c[i].smtp), c[i].want,
		    "curl %d, SMTP %d", c[i].curl, c[i].smtp);
}
