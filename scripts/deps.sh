#!/usr/bin/env bash
# Installs the Debian packages Cadence needs, if any is missing.
# Usage: scripts/deps.sh [run|test]   (test adds the test tools)
set -eu

want="build-essential pkg-config libfcgi-dev libpq-dev libjansson-dev
libcurl4-openssl-dev zlib1g-dev libpcre2-dev libsodium-dev libxml2-dev libcriterion-dev
postgresql nginx-light curl ca-certificates python3-aiosmtpd"
if [ "${1:-test}" = test ]; then
    want="$want tidy wrk clang valgrind chromium nodejs npm procps iproute2 gpsbabel"
fi

missing=""
for p in $want; do
    case "$p" in
    nginx-light)
        # Any nginx will do.
        command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && continue ;;
    nodejs|npm)
        # Any Node.js with npm will do (some images ship NodeSource's,
        # whose nodejs package contains npm and conflicts with Debian's).
        command -v "${p%js}" >/dev/null 2>&1 && continue ;;
    chromium)
        [ -x /usr/bin/chromium ] && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "cadence: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "cadence: run as root (or install sudo) to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Packages may start their own services; ours run on other sockets/ports.
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
