/*
 * mail_decode: see mail_decode.h.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/util.h"
#include "mail_decode.h"

#define QP_LINE		76
#define B64_LINE	76
#define EWORD_MAX	75
#define HARD_LINE	998

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;	/* RFC 2045 6.7: upper case only */
}

/* The next physical line [p, *eol) and whether it was the last. */
static const char *
next_line(const char *p, const char *end, const char **eol, bool *last)
{
	const char *crlf = memmem(p, (size_t)(end - p), "\r\n", 2);

	*last = crlf == NULL;
	*eol = crlf ? crlf : end;
	if (memchr(p, '\r', (size_t)(*eol - p)) || memchr(p, '\n', (size_t)(*eol - p)))
		return "bare CR or LF";
	return NULL;
}

static const char *
qp_line(const char *line, size_t n, buf_t *out)
{
	size_t	i, body = n;
	bool	soft = n > 0 && line[n - 1] == '=';
	int	hi, lo;

	if (n > QP_LINE)
		return "quoted-printable line longer than 76";
	if (soft)
		body--;
	if (!soft && body > 0 && (line[body - 1] == ' ' || line[body - 1] == '\t'))
		return "white space at the end of a quoted-printable line";
	for (i = 0; i < body; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '=') {
			if (i + 2 >= body)
				return "cut =XX escape";
			if ((hi = hexval(line[i + 1])) < 0 ||
			    (lo = hexval(line[i + 2])) < 0)
				return "bad =XX escape";
			buf_putc(out, hi * 16 + lo);
			i += 2;
		} else if (c == ' ' || c == '\t' || (c >= 33 && c <= 126))
			buf_putc(out, c);
		else
			return "byte not allowed in quoted-printable";
	}
	return soft ? "" : NULL;	/* "" tells the caller: soft break */
}

const char *
td_qp(const char *s, size_t len, buf_t *out)
{
	const char *p = s, *end = s + len, *eol, *why;
	bool last = false;

	while (p < end && !last) {
		if ((why = next_line(p, end, &eol, &last)) != NULL)
			return why;
		why = qp_line(p, (size_t)(eol - p), out);
		if (why != NULL && why[0] != '\0')
			return why;
		if (why == NULL && !last)
			buf_add(out, "\r\n", 2);
		p = eol + 2;
	}
	return NULL;
}

const char *
td_base64(const char *s, size_t len, buf_t *out)
{
	const char	*p = s, *end = s + len, *eol, *why;
	buf_t		 joined = BUF_INIT;
	unsigned char	*bin;
	size_t		 binlen = 0;
	bool		 last = false;

	while (p < end && !last) {
		if ((why = next_line(p, end, &eol, &last)) != NULL)
			return why;
		if (eol - p > B64_LINE)
			return "base64 line longer than 76";
		buf_add(&joined, p, (size_t)(eol - p));
		p = eol + 2;
	}
	bin = xmalloc(joined.len + 1);
	if (sodium_base642bin(bin, joined.len + 1, buf_cstr(&joined), joined.len,
	    NULL, &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		buf_free(&joined);
		return "bad base64";
	}
	buf_add(out, bin, binlen);
	free(bin);
	buf_free(&joined);
	return NULL;
}

/* ---- RFC 2047 ------------------------------------------------------------- */

static const char *
eword_q(const char *t, size_t n, buf_t *out)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < n; i++) {
		if (t[i] == '_')
			buf_putc(out, ' ');
		else if (t[i] == '=') {
			if (i + 2 >= n || (hi = hexval(t[i + 1])) < 0 ||
			    (lo = hexval(t[i + 2])) < 0)
				return "bad Q escape";
			buf_putc(out, hi * 16 + lo);
			i += 2;
		} else
			buf_putc(out, t[i]);
	}
	return NULL;
}

/* Decodes one "=?charset?E?text?=" of n characters, or says why not. */
static const char *
eword(const char *w, size_t n, buf_t *out)
{
	const char	*q1, *q2, *text;
	buf_t		 dec = BUF_INIT;
	const char	*why;
	size_t		 tlen;

	if (n > EWORD_MAX)
		return "encoded-word longer than 75";
	if ((q1 = memchr(w + 2, '?', n - 2)) == NULL || q1 + 3 > w + n ||
	    q1[2] != '?')
		return "malformed encoded-word";
	if ((size_t)(q1 - (w + 2)) != 5 || strncasecmp(w + 2, "UTF-8", 5) != 0)
		return "encoded-word charset is not UTF-8";
	q2 = q1 + 2;
	text = q2 + 1;
	tlen = (size_t)(w + n - 2 - text);
	if (q1[1] == 'B' || q1[1] == 'b')
		why = td_base64(text, tlen, &dec);
	else if (q1[1] == 'Q' || q1[1] == 'q')
		why = eword_q(text, tlen, &dec);
	else
		why = "unknown encoding";
	if (why == NULL && !utf8_text_ok(buf_cstr(&dec), dec.len, false))
		why = "encoded-word is not whole UTF-8 characters";
	if (why == NULL)
		buf_add(out, dec.data, dec.len);
	buf_free(&dec);
	return why;
}

static bool
is_eword(const char *w, size_t n)
{
	return n >= 8 && w[0] == '=' && w[1] == '?' && w[n - 2] == '?' &&
	    w[n - 1] == '=';
}

const char *
td_2047(const char *s, buf_t *out)
{
	const char	*p = s, *ws, *tok, *why;
	bool		 prev_eword = false, cur;

	while (*p != '\0') {
		for (ws = p; *p == ' ' || *p == '\t'; p++)
			;
		for (tok = p; *p != '\0' && *p != ' ' && *p != '\t'; p++)
			;
		if (p == tok) {		/* trailing white space */
			buf_add(out, ws, (size_t)(tok - ws));
			break;
		}
		cur = is_eword(tok, (size_t)(p - tok));
		if (!(cur && prev_eword))
			buf_add(out, ws, (size_t)(tok - ws));
		if (cur && (why = eword(tok, (size_t)(p - tok), out)) != NULL)
			return why;
		if (!cur)
			buf_add(out, tok, (size_t)(p - tok));
		prev_eword = cur;
	}
	return NULL;
}

static const char *
unquote(const char *s, size_t n, buf_t *out)
{
	size_t i;

	for (i = 1; i + 1 < n; i++) {
		if (s[i] == '"')
			return "unescaped quote in quoted-string";
		if (s[i] == '\\')
			i++;
		buf_putc(out, s[i]);
	}
	return NULL;
}

const char *
td_mailbox(const char *s, buf_t *name, buf_t *addr)
{
	const char	*lt = strrchr(s, '<');
	size_t		 len = strlen(s), n;
	char		*phrase;
	const char	*why = NULL;

	if (lt == NULL) {
		buf_puts(addr, s);
		return strpbrk(s, " \"") ? "bare address with space or quote" :
		    NULL;
	}
	if (s[len - 1] != '>')
		return "address not last";
	buf_add(addr, lt + 1, (size_t)(s + len - 1 - (lt + 1)));
	for (n = (size_t)(lt - s); n > 0 && s[n - 1] == ' '; n--)
		;
	phrase = xstrndup(s, n);
	if (n >= 2 && phrase[0] == '"' && phrase[n - 1] == '"')
		why = unquote(phrase, n, name);
	else if (strstr(phrase, "=?") != NULL)
		why = td_2047(phrase, name);
	else {
		for (size_t i = 0; i < n && why == NULL; i++)
			if (!(isalnum((unsigned char)phrase[i]) || phrase[i] == ' ' ||
			    strchr("!#$%&'*+-/=?^_`{|}~", phrase[i])))
				why = "special character in an unquoted name";
		buf_puts(name, phrase);
	}
	free(phrase);
	return why;
}

/* ---- messages ------------------------------------------------------------- */

/* Checks the header block's lines; its length (with the blank line). */
static const char *
header_block(const char *msg, size_t *hlen)
{
	const char	*end = strstr(msg, "\r\n\r\n"), *p, *eol;
	bool		 last;

	if (end == NULL)
		return "no blank line after the header";
	*hlen = (size_t)(end - msg) + 4;
	for (p = msg; p < end + 2; p = eol + 2) {
		if (next_line(p, end + 2, &eol, &last) != NULL || last)
			return "header line without CRLF";
		if (eol - p > HARD_LINE)
			return "header line longer than 998";
		for (const char *c = p; c < eol; c++)
			if ((unsigned char)*c > 126 || *c == '\0')
				return "8-bit or NUL byte in the header";
	}
	return NULL;
}

const char *
td_header(const char *msg, const char *name, buf_t *value, size_t *max_line)
{
	const char	*p, *eol, *why;
	size_t		 hlen, nlen = strlen(name), found = 0;
	bool		 in = false;

	if ((why = header_block(msg, &hlen)) != NULL)
		return why;
	*max_line = 0;
	for (p = msg; p < msg + hlen - 2; p = eol + 2) {
		eol = strstr(p, "\r\n");
		if (*p == ' ' || *p == '\t') {
			if (in) {
				buf_add(value, p, (size_t)(eol - p));
				if ((size_t)(eol - p) > *max_line)
					*max_line = (size_t)(eol - p);
			}
			continue;
		}
		in = strncasecmp(p, name, nlen) == 0 && p[nlen] == ':';
		if (!in)
			continue;
		if (found++)
			return "repeated";
		p += nlen + 1;
		*max_line = (size_t)(eol - p) + nlen + 1;
		if (*p == ' ')
			p++;
		buf_add(value, p, (size_t)(eol - p));
	}
	return found ? NULL : "absent";
}

static const char *
decode_body(const char *part, const char *type, buf_t *body, char enc[32])
{
	buf_t		 ct = BUF_INIT, cte = BUF_INIT;
	const char	*why, *content = strstr(part, "\r\n\r\n");
	size_t		 ml;

	if ((why = td_header(part, "Content-Type", &ct, &ml)) == NULL &&
	    (why = td_header(part, "Content-Transfer-Encoding", &cte, &ml)) ==
	    NULL) {
		snprintf(enc, 32, "%s", buf_cstr(&cte));
		if (strncmp(buf_cstr(&ct), type, strlen(type)) != 0)
			why = "other type";
		else if (strstr(buf_cstr(&ct), "charset=UTF-8") == NULL)
			why = "no charset=UTF-8";
		else if (strcmp(enc, "quoted-printable") == 0)
			why = td_qp(content + 4, strlen(content + 4), body);
		else if (strcmp(enc, "base64") == 0)
			why = td_base64(content + 4, strlen(content + 4), body);
		else
			why = "unknown Content-Transfer-Encoding";
	}
	buf_free(&ct);
	buf_free(&cte);
	return why;
}

/* The part of a multipart body whose Content-Type is type. */
static const char *
find_part(const char *body, const char *boundary, const char *type,
    buf_t *out, char enc[32])
{
	char		 delim[128];
	const char	*p, *next, *why = "no part of that type";
	char		*part;

	snprintf(delim, sizeof(delim), "--%s\r\n", boundary);
	if (strncmp(body, delim, strlen(delim)) != 0)
		return "body does not start with the boundary";
	p = body + strlen(delim);
	snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	for (;; p = next + strlen(delim) + 2) {
		if ((next = strstr(p, delim)) == NULL)
			return "unterminated part";
		part = xstrndup(p, (size_t)(next - p));
		buf_reset(out);
		why = decode_body(part, type, out, enc);
		free(part);
		if (why == NULL || strcmp(why, "other type") != 0)
			return why;
		if (strncmp(next + strlen(delim), "--\r\n", 4) == 0)
			return "no part of that type";
	}
}

const char *
td_part(const char *msg, const char *type, buf_t *body, char enc[32])
{
	buf_t		 ct = BUF_INIT;
	const char	*why, *b, *e;
	char		 boundary[100];
	size_t		 ml;

	if ((why = td_header(msg, "Content-Type", &ct, &ml)) != NULL)
		return why;
	if (strncmp(buf_cstr(&ct), "multipart/alternative;", 22) != 0) {
		buf_free(&ct);
		return decode_body(msg, type, body, enc);
	}
	if ((b = strstr(buf_cstr(&ct), "boundary=\"")) == NULL ||
	    (e = strchr(b + 10, '"')) == NULL || e - (b + 10) >= 100) {
		buf_free(&ct);
		return "no boundary";
	}
	snprintf(boundary, sizeof(boundary), "%.*s", (int)(e - (b + 10)), b + 10);
	buf_free(&ct);
	return find_part(strstr(msg, "\r\n\r\n") + 4, boundary, type, body, enc);
}
