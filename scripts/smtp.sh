#!/usr/bin/env bash
# The SMTP server of `make run` and the tests: Debian's python3-aiosmtpd
# (1.4.3 in Debian 12) with its Mailbox handler, which stores every message
# it accepts as one file in a maildir (DIR/new/), adding X-MailFrom and
# X-RcptTo with the envelope.  No TLS, no AUTH, loopback only.
#   bash scripts/smtp.sh DIR PORT      (runs in the foreground until TERM)
# Debian's own python3, not whatever python3 comes first on PATH: the
# package installs the module for /usr/bin/python3 only.
set -eu
[ $# -eq 2 ] || { echo "usage: scripts/smtp.sh MAILDIR PORT" >&2; exit 2; }
mkdir -p "$1/new" "$1/cur" "$1/tmp"
exec /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$2" \
    -c aiosmtpd.handlers.Mailbox "$1"
