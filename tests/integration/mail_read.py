#!/usr/bin/python3
"""Reads one message the test SMTP server stored and prints it as JSON.

    mail_read.py MAILDIR MESSAGE-ID
    mail_read.py MAILDIR --to ADDRESS

The first form finds
the file in MAILDIR/new whose Message-ID header is MESSAGE-ID and
decodes it with Python's own email package (policy.default: RFC 2047
words, quoted-printable, base64, charsets), a decoder written by other
people than Cadence's encoder.  Prints {"file", "raw": {header: value as
received}, "to_name", "to_addr", "from_name", "from_addr", "subject",
"date_ok", "parts": [{"type", "cte", "charset", "content"}],
"defects", "max_header_line" (List-Unsubscribe aside), "max_body_line"},
or exits 1 when no message has that id.  The second prints a JSON array
of every message whose envelope recipient (X-RcptTo) is ADDRESS, oldest
first (by the time the server stored it), each described the same way
(an empty array when there is none).
"""
import email
import email.policy
import email.utils
import json
import os
import sys

RAW = ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
       "Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post",
       "Content-Type", "X-MailFrom", "X-RcptTo")


def find(maildir, msgid):
    new = os.path.join(maildir, "new")
    for name in sorted(os.listdir(new)):
        path = os.path.join(new, name)
        with open(path, "rb") as f:
            raw = f.read()
        # compat32 keeps header values exactly as they came.
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
        if msg.get("Message-ID", "").strip() == msgid:
            return path, raw, msg
    return None, None, None


def line_lengths(raw):
    """Longest header line (but List-Unsubscribe's: a URL is not folded,
    so it may pass 78 up to the 998 limit) and longest body line."""
    head, _, body = raw.partition(b"\n\n")
    hmax, field = 0, b""
    for line in head.split(b"\n"):
        line = line.rstrip(b"\r")
        if line[:1] not in (b" ", b"\t"):
            field = line.split(b":", 1)[0].lower()
        if field != b"list-unsubscribe":
            hmax = max(hmax, len(line))
    bmax = max((len(l.rstrip(b"\r")) for l in body.split(b"\n")), default=0)
    return hmax, bmax


def describe(path, raw, old):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    to, frm = msg["To"].addresses[0], msg["From"].addresses[0]
    parts, defects = [], [str(d) for d in msg.defects]
    for part in msg.walk():
        defects += [str(d) for d in part.defects]
        if part.is_multipart():
            continue
        parts.append({"type": part.get_content_type(),
                      "cte": part.get("Content-Transfer-Encoding", ""),
                      "charset": part.get_content_charset(),
                      "content": part.get_content()})
    try:
        date_ok = email.utils.parsedate_to_datetime(old["Date"]) is not None
    except (TypeError, ValueError):
        date_ok = False
    hmax, bmax = line_lengths(raw)
    return {"file": path,
            "raw": {h: old[h] for h in RAW if old[h] is not None},
            "to_name": to.display_name, "to_addr": to.addr_spec,
            "from_name": frm.display_name, "from_addr": frm.addr_spec,
            "subject": str(msg["Subject"]), "date_ok": date_ok,
            "parts": parts, "defects": defects,
            "max_header_line": hmax, "max_body_line": bmax}


def to_address(maildir, addr):
    new = os.path.join(maildir, "new")
    found = []
    for name in os.listdir(new):
        path = os.path.join(new, name)
        with open(path, "rb") as f:
            raw = f.read()
        old = email.message_from_bytes(raw, policy=email.policy.compat32)
        if old.get("X-RcptTo", "").strip().lower() == addr.lower():
            found.append((os.stat(path).st_mtime_ns, name, path, raw, old))
    found.sort()
    return [describe(p, r, o) for _, _, p, r, o in found]


def main():
    if len(sys.argv) == 4 and sys.argv[2] == "--to":
        json.dump(to_address(sys.argv[1], sys.argv[3]), sys.stdout,
                  ensure_ascii=False)
        return
    path, raw, old = find(sys.argv[1], sys.argv[2])
    if path is None:
        sys.exit(1)
    json.dump(describe(path, raw, old), sys.stdout, ensure_ascii=False)


main()
