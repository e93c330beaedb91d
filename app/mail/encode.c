/*
 * encode: see encode.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/util.h"
#include "mail/encode.h"

#define EWORD_PREFIX	"=?UTF-8?B?"
#define EWORD_SUFFIX	"?="
#define EWORD_OVERHEAD	(sizeof(EWORD_PREFIX) - 1 + sizeof(EWORD_SUFFIX) - 1)
/* Room for one encoded 4-byte character: 8 base64 characters. */
#define EWORD_MIN	(EWORD_OVERHEAD + 8)
#define B64_LINE_BYTES	(MAIL_BODY_LINE / 4 * 3)	/* 57 */

static const char hexdig[] = "0123456789ABCDEF";

/* ---- addresses ----------------------------------------------------------- */

bool
mail_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~",
	    c) != NULL);
}

static bool
local_part_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > MAIL_LOCAL_MAX || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
		if (s[i] != '.' && !mail_atext((unsigned char)s[i]))
			return false;
	}
	return true;
}

static bool
label_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > MAIL_LABEL_MAX || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool
domain_ok(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *dot, *last = s;
	size_t labels = 0, i;

	if (len == 0 || len > MAIL_DOMAIN_MAX)
		return false;
	while (p <= end) {
		dot = memchr(p, '.', (size_t)(end - p));
		if (dot == NULL)
			dot = end;
		if (!label_ok(p, (size_t)(dot - p)))
			return false;
		labels++;
		last = p;
		p = dot + 1;
	}
	/* A numeric top-level label would make an IP address look valid. */
	for (i = 0; last + i < end; i++)
		if (last[i] < '0' || last[i] > '9')
			return labels >= 2;
	return false;
}

bool
mail_addr_valid(const char *addr)
{
	const char	*at;
	size_t		 len;

	if (addr == NULL || (len = strlen(addr)) > MAIL_ADDR_MAX ||
	    (at = strrchr(addr, '@')) == NULL)
		return false;
	return local_part_ok(addr, (size_t)(at - addr)) &&
	    domain_ok(at + 1, len - (size_t)(at - addr) - 1);
}

const char *
mail_addr_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : "";
}

bool
mail_header_text_ok(const char *s, size_t len, size_t max)
{
	return len <= max && memchr(s, '\t', len) == NULL &&
	    utf8_text_ok(s, len, false);
}

/* ---- bodies --------------------------------------------------------------- */

/* Length of the line break at s (CRLF, LF or a lone CR), or 0. */
static size_t
line_break(const char *s, const char *end)
{
	if (s < end && *s == '\n')
		return 1;
	if (s < end && *s == '\r')
		return s + 1 < end && s[1] == '\n' ? 2 : 1;
	return 0;
}

/* Must byte i of the line (n bytes) be written as =XX? */
static bool
qp_must_escape(const char *line, size_t n, size_t i, size_t col)
{
	unsigned char c = (unsigned char)line[i];

	if (c == ' ' || c == '\t')
		return i == n - 1;	/* white space ending a line is lost */
	if (c < 33 || c > 126 || c == '=')
		return true;
	/* Dot-stuffing and mbox "From " quoting must not touch the text. */
	if (col == 0 && c == '.')
		return true;
	return col == 0 && c == 'F' && n - i >= 5 && memcmp(line + i, "From ", 5) == 0;
}

/* Encodes one line of text into local lines, added to out whole. */
static void
qp_line(buf_t *out, const char *line, size_t n)
{
	char	enc[MAIL_BODY_LINE + 4];	/* a line and its "=\r\n" */
	size_t	i, col = 0, tok;
	bool	esc;

	for (i = 0; i < n; i++) {
		esc = qp_must_escape(line, n, i, col);
		tok = esc ? 3 : 1;
		/* The last token may use the column a soft break's '=' needs. */
		if (col + tok > MAIL_BODY_LINE - (i == n - 1 ? 0 : 1)) {
			memcpy(enc + col, "=\r\n", 3);
			buf_add(out, enc, col + 3);
			col = 0;
			esc = qp_must_escape(line, n, i, col);
			tok = esc ? 3 : 1;
		}
		if (esc) {
			enc[col] = '=';
			enc[col + 1] = hexdig[(unsigned char)line[i] >> 4];
			enc[col + 2] = hexdig[(unsigned char)line[i] & 15];
		} else
			enc[col] = line[i];
		col += tok;
	}
	buf_add(out, enc, col);
}

void
mail_qp_encode(buf_t *out, const char *s, size_t len)
{
	const char *end = s + len, *p = s, *eol;
	size_t brk;

	buf_reserve(out, len + len / 8);
	while (p < end) {
		for (eol = p; eol < end && *eol != '\r' && *eol != '\n'; eol++)
			;
		qp_line(out, p, (size_t)(eol - p));
		if ((brk = line_break(eol, end)) > 0)
			buf_add(out, "\r\n", 2);
		p = eol + brk;
	}
}

void
mail_base64_encode(buf_t *out, const void *data, size_t len)
{
	const unsigned char	*s = data;
	char			 line[sodium_base64_ENCODED_LEN(B64_LINE_BYTES,
				    sodium_base64_VARIANT_ORIGINAL)];
	size_t			 n;

	while (len > 0) {
		n = len < B64_LINE_BYTES ? len : B64_LINE_BYTES;
		sodium_bin2base64(line, sizeof(line), s, n,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_puts(out, line);
		buf_add(out, "\r\n", 2);
		s += n;
		len -= n;
	}
}

void
mail_crlf_text(buf_t *out, const char *s, size_t len)
{
	const char *end = s + len, *p = s, *eol;
	size_t brk;

	while (p < end) {
		for (eol = p; eol < end && *eol != '\r' && *eol != '\n'; eol++)
			;
		buf_add(out, p, (size_t)(eol - p));
		if ((brk = line_break(eol, end)) > 0)
			buf_add(out, "\r\n", 2);
		p = eol + brk;
	}
}

bool
mail_prefer_base64(const char *s, size_t len)
{
	size_t i, escaped = 0;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] > 126 || s[i] == '=')
			escaped++;
	/* QP grows by 2 per escaped byte, base64 by a third overall. */
	return escaped * 6 > len;
}

/* ---- header fields ---------------------------------------------------------- */

void
mail_hdr_begin(struct mail_hdr *h, buf_t *out, const char *name)
{
	h->out = out;
	buf_puts(out, name);
	buf_putc(out, ':');
	h->col = strlen(name) + 1;
	h->empty = true;
}

void
mail_hdr_word(struct mail_hdr *h, const char *s, size_t len)
{
	if (!h->empty && h->col + 1 + len > MAIL_LINE_SOFT) {
		buf_add(h->out, "\r\n", 2);
		h->col = 0;
	}
	buf_putc(h->out, ' ');
	buf_add(h->out, s, len);
	h->col += 1 + len;
	h->empty = false;
}

void
mail_hdr_end(struct mail_hdr *h)
{
	buf_add(h->out, "\r\n", 2);
}

/* Bytes of s that fit in one encoded-word of avail characters. */
static size_t
eword_take(const char *s, size_t len, size_t avail)
{
	size_t take, first;

	if (avail > MAIL_EWORD_MAX)
		avail = MAIL_EWORD_MAX;
	take = avail > EWORD_OVERHEAD ? (avail - EWORD_OVERHEAD) / 4 * 3 : 0;
	if (take >= len)
		return len;
	/* Each encoded-word holds whole characters (RFC 2047 5, last rule). */
	while (take > 0 && ((unsigned char)s[take] & 0xc0) == 0x80)
		take--;
	if (take > 0)
		return take;
	/* Only after a long field name: overshoot the soft limit by a little. */
	for (first = 1; first < len && ((unsigned char)s[first] & 0xc0) == 0x80;
	    first++)
		;
	return first;
}

void
mail_hdr_encoded(struct mail_hdr *h, const char *s, size_t len)
{
	char	word[MAIL_EWORD_MAX * 2];
	size_t	avail, take, n;

	while (len > 0) {
		if (h->col + 1 + EWORD_MIN > MAIL_LINE_SOFT && !h->empty) {
			buf_add(h->out, "\r\n", 2);
			h->col = 0;
		}
		avail = h->col + 1 < MAIL_LINE_SOFT ? MAIL_LINE_SOFT - h->col - 1 : 0;
		take = eword_take(s, len, avail);
		memcpy(word, EWORD_PREFIX, sizeof(EWORD_PREFIX) - 1);
		n = sizeof(EWORD_PREFIX) - 1;
		sodium_bin2base64(word + n, sizeof(word) - n,
		    (const unsigned char *)s, take, sodium_base64_VARIANT_ORIGINAL);
		n += strlen(word + n);
		memcpy(word + n, EWORD_SUFFIX, sizeof(EWORD_SUFFIX) - 1);
		n += sizeof(EWORD_SUFFIX) - 1;
		mail_hdr_word(h, word, n);
		s += take;
		len -= take;
	}
}

static bool
has_eword_start(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == '=' && s[i + 1] == '?')
			return true;
	return false;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Plain words fold cleanly when each fits on a line of its own (and the
 * first after the field name); none may contain a non-ASCII or control
 * byte, or look like the start of an encoded-word.
 */
static bool
plain_words_ok(const struct mail_hdr *h, const char *s, size_t len)
{
	size_t i, word = 0, words = 0;

	if (has_eword_start(s, len))
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && !is_space(s[i])) {
			if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
				return false;
			word++;
			continue;
		}
		if (word > 0 && word + 1 + (words == 0 ? h->col : 0) >
		    MAIL_LINE_SOFT)
			return false;
		words += word > 0;
		word = 0;
	}
	return true;
}

/* Calls mail_hdr_word for each run of non-blank characters. */
static void
put_words(struct mail_hdr *h, const char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		while (i < len && is_space(s[i]))
			i++;
		for (start = i; i < len && !is_space(s[i]); i++)
			;
		if (i > start)
			mail_hdr_word(h, s + start, i - start);
	}
}

/* The same text with white space runs as one space, trimmed. */
static size_t
squeeze_spaces(char *dst, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (is_space(s[i]) && (n == 0 || dst[n - 1] == ' '))
			continue;
		dst[n++] = is_space(s[i]) ? ' ' : s[i];
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	return n;
}

void
mail_hdr_text(struct mail_hdr *h, const char *s, size_t len)
{
	char *tmp;
	size_t n;

	if (plain_words_ok(h, s, len)) {
		put_words(h, s, len);
		return;
	}
	tmp = xmalloc(len + 1);
	n = squeeze_spaces(tmp, s, len);
	mail_hdr_encoded(h, tmp, n);
	free(tmp);
}

/* Only atext and single spaces between atoms: the phrase needs no quoting. */
static bool
phrase_is_atoms(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ' ||
	    has_eword_start(s, len))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == ' ' && s[i + 1] != ' ')
			continue;
		if (!mail_atext((unsigned char)s[i]))
			return false;
	}
	return true;
}

static bool
printable_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 32 || (unsigned char)s[i] > 126)
			return false;
	return !has_eword_start(s, len);
}

static void
put_quoted(struct mail_hdr *h, const char *s, size_t len)
{
	buf_t	q = BUF_INIT;
	size_t	i;

	buf_putc(&q, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_putc(&q, '\\');
		buf_putc(&q, s[i]);
	}
	buf_putc(&q, '"');
	mail_hdr_word(h, q.data, q.len);
	buf_free(&q);
}

void
mail_hdr_phrase(struct mail_hdr *h, const char *s, size_t len)
{
	size_t i, quoted = len + 2;

	for (i = 0; i < len; i++)
		quoted += s[i] == '"' || s[i] == '\\';
	if (phrase_is_atoms(s, len) && plain_words_ok(h, s, len))
		put_words(h, s, len);
	else if (printable_ascii(s, len) && h->col + 1 + quoted <= MAIL_LINE_SOFT)
		put_quoted(h, s, len);
	else
		mail_hdr_encoded(h, s, len);
}
