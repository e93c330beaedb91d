/*
 * mail_decode: strict decoders for the mail unit tests, written apart
 * from app/mail so that a misreading of an RFC in the encoder is not
 * repeated here.  Each refuses what the wire rules forbid (long lines,
 * bare LF, lower-case or bad escapes, trailing white space, encoded-words
 * over 75 characters or splitting a character) and returns NULL, or a
 * sentence saying what is wrong.
 */
#ifndef CADENCE_TEST_MAIL_DECODE_H
#define CADENCE_TEST_MAIL_DECODE_H

#include <stddef.h>

#include "core/buf.h"

/* Quoted-printable body; hard line breaks come out as CRLF. */
const char	*td_qp(const char *s, size_t len, buf_t *out);
/* Base64 body in lines of at most 76 characters. */
const char	*td_base64(const char *s, size_t len, buf_t *out);
/*
 * Unstructured header text (already unfolded): encoded-words decoded,
 * white space between adjacent encoded-words dropped (RFC 2047 6.2).
 */
const char	*td_2047(const char *s, buf_t *out);
/*
 * A mailbox "phrase <addr>" or "addr": the display name (atoms,
 * quoted-string or encoded-words) into name, the address into addr.
 */
const char	*td_mailbox(const char *s, buf_t *name, buf_t *addr);

/*
 * The header block of msg: every line CRLF-terminated, at most 998
 * characters, 7-bit.  The unfolded value of the one field called name
 * (case-insensitive) into value; "absent" or "repeated" otherwise.
 * max_line: the longest physical line of that field (for the 78 rule).
 */
const char	*td_header(const char *msg, const char *name, buf_t *value,
		    size_t *max_line);
/*
 * The decoded body of msg's part of Content-Type type ("text/plain"):
 * the whole body for a single-part message, or one part of a
 * multipart/alternative.  enc gets the transfer encoding used.
 */
const char	*td_part(const char *msg, const char *type, buf_t *body,
		    char enc[32]);

#endif
