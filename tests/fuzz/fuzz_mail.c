/*
 * libFuzzer driver for mail/compose: the input is cut at 0x1f bytes into
 * the recipient's name and address, the subject, the text and HTML
 * parts and the unsubscribe URL.  Whatever is composed must be a
 * message no relay or client can read differently: 7-bit, CRLF only,
 * lines <= 998, header lines over 78 only when they hold one word that
 * cannot be folded (a long address or URL), header fields only the
 * ones Cadence writes, each once (no injected Bcc), and
 * a name, subject or address holding CR or LF must have been refused.
 * Violations abort.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/util.h"
#include "mail/compose.h"

#define NFIELDS	6

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fields[] = {
	"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
	"Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post",
	"Content-Type", "Content-Transfer-Encoding",
};

/* Index of the field the line names, or abort. */
static size_t
field_of(const char *line, size_t n)
{
	size_t i, len;

	for (i = 0; i < NELEM(fields); i++) {
		len = strlen(fields[i]);
		if (n > len && line[len] == ':' &&
		    strncasecmp(line, fields[i], len) == 0)
			return i;
	}
	abort();
}

/* A header line over 78 is only allowed when no fold was possible. */
static void
check_long_line(const char *line, size_t n, bool first)
{
	const char *t = line, *end = line + n;

	if (n <= MAIL_LINE_SOFT)
		return;
	if (first)
		t = memchr(line, ':', n) + 1;
	if (t < end && *t == ' ')
		t++;
	if (memchr(t, ' ', (size_t)(end - t)) != NULL)
		abort();
}

static void
check_header(const char *s, size_t hlen)
{
	unsigned	seen[NELEM(fields)] = { 0 };
	size_t		i = 0, n;
	const char	*eol;

	while (i < hlen) {
		eol = strstr(s + i, "\r\n");
		n = (size_t)(eol - (s + i));
		if (s[i] == ' ') {
			if (i == 0)
				abort();
		} else if (++seen[field_of(s + i, n)] > 1)
			abort();
		check_long_line(s + i, n, s[i] != ' ');
		i += n + 2;
	}
}

static void
validate(const char *s, size_t len)
{
	const char	*end = strstr(s, "\r\n\r\n"), *eol;
	size_t		 i, n;

	if (end == NULL)
		abort();
	for (i = 0; i < len; i++)
		if (s[i] == '\0' || (unsigned char)s[i] > 126)
			abort();
	for (i = 0; i < len; i += n + 2) {
		if ((eol = strstr(s + i, "\r\n")) == NULL)
			abort();
		n = (size_t)(eol - (s + i));
		if (n > MAIL_LINE_HARD || memchr(s + i, '\n', n) ||
		    memchr(s + i, '\r', n))
			abort();
	}
	check_header(s, (size_t)(end - s) + 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*copy = xmalloc(size + 1), *f[NFIELDS], *p;
	struct mail_msg	 m;
	struct mail_out	 out;
	char		 err[256];
	int		 i, rc;

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0, p = copy; i < NFIELDS; i++) {
		f[i] = p;
		if ((p = strchr(p, 0x1f)) == NULL)
			p = copy + size;
		else
			*p++ = '\0';
	}
	m = (struct mail_msg){ .from = { "Cadence", "c@cadence.example" },
	    .to = { f[0], f[1] }, .subject = f[2], .text = f[3],
	    .html = f[4][0] ? f[4] : NULL,
	    .unsubscribe_url = f[5][0] ? f[5] : NULL, .date = 1 };
	rc = mail_compose(&m, &out, err, sizeof(err));
	if (rc == 0) {
		validate(buf_cstr(&out.data), out.data.len);
		if (strpbrk(f[0], "\r\n") || strpbrk(f[1], "\r\n") ||
		    strpbrk(f[2], "\r\n"))
			abort();
	}
	mail_out_free(&out);
	free(copy);
	return 0;
}
