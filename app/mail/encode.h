/*
 * encode: the wire encodings of Internet mail, as pure functions over
 * buffers: quoted-printable and base64 bodies (RFC 2045), header fields
 * folded to the recommended line length with RFC 2047 encoded-words for
 * anything that is not plain ASCII, and address checks.
 *
 * Nothing here does I/O or allocates beyond the output buffer, so every
 * rule is unit-tested (tests/unit/test_mail.c) including round trips
 * through an independent decoder.
 */
#ifndef CADENCE_MAIL_ENCODE_H
#define CADENCE_MAIL_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define MAIL_LINE_SOFT		78	/* RFC 5322 2.1.1: SHOULD */
#define MAIL_LINE_HARD		998	/* RFC 5322 2.1.1: MUST */
#define MAIL_BODY_LINE		76	/* RFC 2045 6.7, 6.8: QP and base64 */
#define MAIL_EWORD_MAX		75	/* RFC 2047 2: one encoded-word */
#define MAIL_LOCAL_MAX		64	/* RFC 5321 4.5.3.1.1 */
#define MAIL_DOMAIN_MAX		253	/* RFC 1035 2.3.4, without the root dot */
#define MAIL_LABEL_MAX		63	/* RFC 1035 2.3.4 */
#define MAIL_ADDR_MAX		254	/* RFC 5321 path 256 minus "<>" */

/*
 * True for an address Cadence sends to or from: an ASCII dot-atom local
 * part, '@', and a domain of at least two LDH labels (A-labels for
 * internationalised domains).  Quoted local parts, IP literals, comments
 * and UTF-8 addresses (SMTPUTF8) are refused: no runner needs them and
 * each widens what could go wrong in a header or an SMTP command.
 */
bool	mail_addr_valid(const char *addr);
/* RFC 5322 3.2.3 atext: what an atom or a dot-atom is made of. */
bool	mail_atext(unsigned char c);
/* The domain of a valid address (the part after '@'). */
const char *mail_addr_domain(const char *addr);

/*
 * True if s (len bytes) may be put in a header at all: valid UTF-8, no
 * control character (so no CR, LF or NUL: header injection), at most
 * max bytes.
 */
bool	mail_header_text_ok(const char *s, size_t len, size_t max);

/*
 * Quoted-printable (RFC 2045 6.7) of UTF-8 text: line breaks of any
 * convention become CRLF, encoded lines are at most MAIL_BODY_LINE
 * characters, trailing white space and a leading '.' or "From " are
 * encoded so no relay can alter them.
 */
void	mail_qp_encode(buf_t *out, const char *s, size_t len);
/* Base64 (RFC 2045 6.8) of len bytes, CRLF after every 76 characters. */
void	mail_base64_encode(buf_t *out, const void *s, size_t len);
/*
 * Same text with line breaks as CRLF, for base64: the canonical form of
 * a text/ body is CRLF lines (RFC 2049 4).
 */
void	mail_crlf_text(buf_t *out, const char *s, size_t len);
/* True when base64 is shorter than quoted-printable for this text. */
bool	mail_prefer_base64(const char *s, size_t len);

/*
 * A header field being written: "Name:" then words, each preceded by a
 * space or, when it would pass MAIL_LINE_SOFT, by a fold (CRLF SP).
 */
struct mail_hdr {
	buf_t	*out;
	size_t	 col;		/* characters on the current line */
	bool	 empty;		/* nothing after "Name:" yet */
};

void	mail_hdr_begin(struct mail_hdr *, buf_t *out, const char *name);
/* One word: never split (an address, an encoded-word, an atom). */
void	mail_hdr_word(struct mail_hdr *, const char *s, size_t len);
/*
 * Unstructured text (Subject): plain words when it is printable ASCII
 * that folds cleanly and cannot be mistaken for an encoded-word,
 * otherwise RFC 2047 encoded-words.  Runs of white space become one
 * space.
 */
void	mail_hdr_text(struct mail_hdr *, const char *s, size_t len);
/*
 * A display name (RFC 5322 phrase): atoms when it has only atext,
 * a quoted-string when it has other printable ASCII, encoded-words
 * otherwise (RFC 2047 5(3)).
 */
void	mail_hdr_phrase(struct mail_hdr *, const char *s, size_t len);
/* Encoded-words (base64, UTF-8) for s, never splitting a character. */
void	mail_hdr_encoded(struct mail_hdr *, const char *s, size_t len);
/* Ends the field with CRLF. */
void	mail_hdr_end(struct mail_hdr *);

#endif
