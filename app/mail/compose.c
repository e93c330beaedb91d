/*
 * compose: see compose.h.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/util.h"
#include "mail/compose.h"

#define RANDOM_BYTES	16	/* 128 bits: Message-ID and boundary unique */

static const char *const wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const month[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void
mail_format_date(time_t t, char out[MAIL_DATE_MAX])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	/* Names from tables: strftime's %a and %b follow the locale. */
	snprintf(out, MAIL_DATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wday[tm.tm_wday % 7], tm.tm_mday, month[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
random_hex(char out[2 * RANDOM_BYTES + 1])
{
	unsigned char r[RANDOM_BYTES];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 2 * RANDOM_BYTES + 1, r, sizeof(r));
}

/* ---- checks --------------------------------------------------------------- */

static int
fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s", what);
	return -1;
}

static int
check_mailbox(const struct mail_addr *a, const char *field, char *err,
    size_t errlen)
{
	if (a->addr == NULL || !mail_addr_valid(a->addr)) {
		snprintf(err, errlen, "%s: not a valid email address", field);
		return -1;
	}
	if (a->name != NULL &&
	    !mail_header_text_ok(a->name, strlen(a->name), MAIL_NAME_MAX)) {
		snprintf(err, errlen, "%s: the name is longer than %d bytes, "
		    "not UTF-8, or has a line break or control character",
		    field, MAIL_NAME_MAX);
		return -1;
	}
	return 0;
}

/* http(s), printable ASCII, nothing that ends the <...> or the list. */
static bool
url_ok(const char *u)
{
	size_t i, len = strlen(u);

	if (len > MAIL_URL_MAX || !(str_has_prefix(u, "https://") ||
	    str_has_prefix(u, "http://")))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)u[i] <= ' ' || (unsigned char)u[i] > 126 ||
		    strchr("<>,\"\\", u[i]) != NULL)
			return false;
	return true;
}

/* "<left@right>", both sides dot-atom text: nothing to inject. */
static bool
msgid_ok(const char *id)
{
	size_t i, len = strlen(id), ats = 0;

	if (len < 5 || len >= MAIL_MSGID_MAX || id[0] != '<' ||
	    id[len - 1] != '>' || id[1] == '@' || id[len - 2] == '@')
		return false;
	for (i = 1; i < len - 1; i++) {
		if (id[i] == '@')
			ats++;
		else if (id[i] != '.' && !mail_atext((unsigned char)id[i]))
			return false;
	}
	return ats == 1;
}

static int
check_msg(const struct mail_msg *m, char *err, size_t errlen)
{
	if (check_mailbox(&m->from, "from", err, errlen) ||
	    check_mailbox(&m->to, "to", err, errlen))
		return -1;
	if (m->subject == NULL || m->subject[0] == '\0' ||
	    !mail_header_text_ok(m->subject, strlen(m->subject),
	    MAIL_SUBJECT_MAX))
		return fail(err, errlen, "subject: empty, too long, not UTF-8, "
		    "or has a line break or control character");
	if (m->text == NULL || strlen(m->text) > MAIL_BODY_MAX ||
	    !utf8_text_ok(m->text, strlen(m->text), true))
		return fail(err, errlen, "text: missing, too long or not "
		    "UTF-8 text");
	if (m->html != NULL && (strlen(m->html) > MAIL_BODY_MAX ||
	    !utf8_text_ok(m->html, strlen(m->html), true)))
		return fail(err, errlen, "html: too long or not UTF-8 text");
	if (m->unsubscribe_url != NULL && !url_ok(m->unsubscribe_url))
		return fail(err, errlen, "unsubscribe URL: not an http(s) URL "
		    "of printable ASCII without <>,\"\\");
	if (m->message_id != NULL && !msgid_ok(m->message_id))
		return fail(err, errlen, "message id: not <left@right> of "
		    "dot-atom text");
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

static void
put_mailbox(buf_t *b, const char *field, const struct mail_addr *a)
{
	struct mail_hdr	h;
	char		bracketed[MAIL_ADDR_MAX + 3];
	int		n;

	mail_hdr_begin(&h, b, field);
	if (a->name == NULL || a->name[0] == '\0') {
		mail_hdr_word(&h, a->addr, strlen(a->addr));
	} else {
		mail_hdr_phrase(&h, a->name, strlen(a->name));
		n = snprintf(bracketed, sizeof(bracketed), "<%s>", a->addr);
		mail_hdr_word(&h, bracketed, (size_t)n);
	}
	mail_hdr_end(&h);
}

static void
put_headers(buf_t *b, const struct mail_msg *m, const char *msgid)
{
	struct mail_hdr	h;
	char		date[MAIL_DATE_MAX];

	mail_format_date(m->date ? m->date : time(NULL), date);
	buf_printf(b, "Date: %s\r\n", date);
	put_mailbox(b, "From", &m->from);
	put_mailbox(b, "To", &m->to);
	mail_hdr_begin(&h, b, "Subject");
	mail_hdr_text(&h, m->subject, strlen(m->subject));
	mail_hdr_end(&h);
	buf_printf(b, "Message-ID: %s\r\n", msgid);
	buf_puts(b, "MIME-Version: 1.0\r\n");
	/* RFC 3834: no vacation replies or other auto-answers to us. */
	buf_puts(b, "Auto-Submitted: auto-generated\r\n");
	if (m->unsubscribe_url != NULL) {
		buf_printf(b, "List-Unsubscribe: <%s>\r\n", m->unsubscribe_url);
		buf_puts(b, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	}
}

/* A text part: its MIME headers, a blank line, the encoded body. */
static void
put_part(buf_t *b, const char *type, const char *s)
{
	size_t	len = strlen(s);
	bool	b64 = mail_prefer_base64(s, len);
	buf_t	crlf = BUF_INIT;

	buf_printf(b, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: %s\r\n\r\n", type,
	    b64 ? "base64" : "quoted-printable");
	if (b64) {
		mail_crlf_text(&crlf, s, len);
		mail_base64_encode(b, crlf.data, crlf.len);
		buf_free(&crlf);
	} else
		mail_qp_encode(b, s, len);
}

static bool
ends_with_crlf(const buf_t *b)
{
	return b->len >= 2 && memcmp(b->data + b->len - 2, "\r\n", 2) == 0;
}

/*
 * "=_" cannot occur in quoted-printable or base64 output, so the
 * boundary can never appear inside a part.  The CRLF before each
 * delimiter belongs to the delimiter (RFC 2046 5.1.1), so it is always
 * written: a part's own final line break survives.
 */
static void
put_alternative(buf_t *b, const struct mail_msg *m)
{
	char		rnd[2 * RANDOM_BYTES + 1], param[2 * RANDOM_BYTES + 16];
	struct mail_hdr	h;
	int		n;

	random_hex(rnd);
	mail_hdr_begin(&h, b, "Content-Type");
	mail_hdr_word(&h, "multipart/alternative;", 22);
	n = snprintf(param, sizeof(param), "boundary=\"=_%s\"", rnd);
	mail_hdr_word(&h, param, (size_t)n);
	mail_hdr_end(&h);
	buf_puts(b, "\r\n");
	buf_printf(b, "--=_%s\r\n", rnd);
	put_part(b, "text/plain", m->text);
	buf_printf(b, "\r\n--=_%s\r\n", rnd);
	put_part(b, "text/html", m->html);
	buf_printf(b, "\r\n--=_%s--\r\n", rnd);
}

int
mail_compose(const struct mail_msg *m, struct mail_out *out, char *err,
    size_t errlen)
{
	char rnd[2 * RANDOM_BYTES + 1];

	memset(out, 0, sizeof(*out));
	buf_init(&out->data);
	if (check_msg(m, err, errlen))
		return -1;
	random_hex(rnd);
	if (m->message_id != NULL)
		snprintf(out->message_id, sizeof(out->message_id), "%s",
		    m->message_id);
	else
		snprintf(out->message_id, sizeof(out->message_id), "<%s@%s>",
		    rnd, mail_addr_domain(m->from.addr));
	snprintf(out->from, sizeof(out->from), "%s", m->from.addr);
	snprintf(out->to, sizeof(out->to), "%s", m->to.addr);
	put_headers(&out->data, m, out->message_id);
	if (m->html != NULL)
		put_alternative(&out->data, m);
	else {
		put_part(&out->data, "text/plain", m->text);
		if (!ends_with_crlf(&out->data))
			buf_add(&out->data, "\r\n", 2);
	}
	return 0;
}

void
mail_out_free(struct mail_out *out)
{
	buf_free(&out->data);
}

/* ---- SMTP_FROM ------------------------------------------------------------ */

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

int
mail_parse_mailbox(const char *s, char name[MAIL_NAME_MAX + 1],
    char addr[MAIL_ADDR_MAX + 1])
{
	const char	*lt = strchr(s, '<'), *n = s, *a = s;
	size_t		 nlen = 0, alen = strlen(s);

	if (lt != NULL) {
		if (alen < 2 || s[alen - 1] != '>')
			return -1;
		nlen = (size_t)(lt - s);
		a = lt + 1;
		alen = (size_t)(s + alen - 1 - a);
	}
	trim(&n, &nlen);
	trim(&a, &alen);
	if (nlen >= 2 && n[0] == '"' && n[nlen - 1] == '"') {
		n++;
		nlen -= 2;
	}
	if (alen > MAIL_ADDR_MAX || nlen > MAIL_NAME_MAX ||
	    memchr(n, '"', nlen) != NULL ||
	    !mail_header_text_ok(n, nlen, MAIL_NAME_MAX))
		return -1;
	memcpy(name, n, nlen);
	name[nlen] = '\0';
	memcpy(addr, a, alen);
	addr[alen] = '\0';
	return mail_addr_valid(addr) ? 0 : -1;
}
