#!/usr/bin/env bash
# `make run`: PostgreSQL (under var/), migrations, the Strava sandbox when
# no Strava credentials are configured, the Cadence pool and nginx; stays
# in the foreground until Ctrl-C, then stops everything cleanly.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

VAR=${CADENCE_VAR:-$ROOT/var}	# another directory: a second instance
PORT=${PORT:-8080}
SANDBOX_PORT=${SANDBOX_PORT:-$((PORT + 10))}
mkdir -p "$VAR/run" "$VAR/log" "$VAR/spool"

if [ -f "$VAR/run/run.pid" ] && kill -0 "$(cat "$VAR/run/run.pid")" 2>/dev/null; then
    die "already running (pid $(cat "$VAR/run/run.pid")); 'make stop' stops it"
fi
echo $$ >"$VAR/run/run.pid"

pids=()
stopping=0
stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    echo; echo "cadence: stopping..."
    [ -f "$VAR/run/nginx.pid" ] && kill -QUIT "$(cat "$VAR/run/nginx.pid")" 2>/dev/null || true
    [ -f "$VAR/run/cadence.pid" ] && kill -TERM "$(cat "$VAR/run/cadence.pid")" 2>/dev/null || true
    [ -f "$VAR/run/sandbox.pid" ] && kill -TERM "$(cat "$VAR/run/sandbox.pid")" 2>/dev/null || true
    [ -f "$VAR/run/garmin-sandbox.pid" ] && kill -TERM "$(cat "$VAR/run/garmin-sandbox.pid")" 2>/dev/null || true
    [ -f "$VAR/run/smtp.pid" ] && kill -TERM "$(cat "$VAR/run/smtp.pid")" 2>/dev/null || true
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pg_stop "$VAR/pg"
    rm -f "$VAR/run/"*.pid
    echo "cadence: stopped"
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

pg_init "$VAR/pg"
pg_start "$VAR/pg"
pg_createdb "$VAR/pg" cadence

export DATABASE_URL=${DATABASE_URL:-"postgresql:///cadence?host=$VAR/pg/run&user=cadence"}
export CADENCE_SOCKET=${CADENCE_SOCKET:-$VAR/run/cadence.sock}
export CADENCE_BASE_URL=${CADENCE_BASE_URL:-http://127.0.0.1:$PORT}
export CADENCE_SPOOL_DIR=${CADENCE_SPOOL_DIR:-$VAR/spool}
if [ -z "${CADENCE_SECRET_KEY:-}" ]; then
    # A key of this machine's own for encrypting Strava tokens at rest.
    [ -s "$VAR/secret_key" ] || (umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$VAR/secret_key")
    export CADENCE_SECRET_KEY=$(cat "$VAR/secret_key")
fi

build/cadence migrate

if [ -z "${STRAVA_CLIENT_ID:-}" ]; then
    setsid build/strava-sandbox --listen "127.0.0.1:$SANDBOX_PORT" \
        --state "$VAR/sandbox.json" >"$VAR/log/sandbox.log" 2>&1 &
    pids+=($!); echo $! >"$VAR/run/sandbox.pid"
    export STRAVA_CLIENT_ID=1000 STRAVA_CLIENT_SECRET=sandbox-secret
    export STRAVA_OAUTH_BASE=http://127.0.0.1:$SANDBOX_PORT
    export STRAVA_API_BASE=http://127.0.0.1:$SANDBOX_PORT/api/v3
    export STRAVA_WEBHOOK_VERIFY_TOKEN=${STRAVA_WEBHOOK_VERIFY_TOKEN:-sandbox-verify}
    wait_http "$STRAVA_OAUTH_BASE/" 10 || die "the Strava sandbox did not start (var/log/sandbox.log)"
fi

# The Garmin sandbox unless real Garmin credentials are configured
# (docs/garmin-sandbox.md); its notifications go to our webhook.
if [ -z "${GARMIN_CLIENT_ID:-}" ]; then
    GARMIN_SANDBOX_PORT=${GARMIN_SANDBOX_PORT:-$((PORT + 11))}
    # Taken (another make run, a test's server): any free port will do.
    if (exec 3<>"/dev/tcp/127.0.0.1/$GARMIN_SANDBOX_PORT") 2>/dev/null; then
        GARMIN_SANDBOX_PORT=$(free_port)
    fi
    export GARMIN_CLIENT_ID=garmin-sandbox-client GARMIN_CLIENT_SECRET=garmin-sandbox-secret
    export GARMIN_OAUTH_BASE=http://127.0.0.1:$GARMIN_SANDBOX_PORT
    export GARMIN_API_BASE=$GARMIN_OAUTH_BASE
    setsid build/garmin-sandbox --listen "127.0.0.1:$GARMIN_SANDBOX_PORT" \
        --client-id "$GARMIN_CLIENT_ID" --client-secret "$GARMIN_CLIENT_SECRET" \
        --callback-url "$CADENCE_BASE_URL/garmin/webhook" \
        >"$VAR/log/garmin-sandbox.log" 2>&1 &
    pids+=($!); echo $! >"$VAR/run/garmin-sandbox.pid"
    wait_http "$GARMIN_OAUTH_BASE/_sandbox/health" 10 || die "the Garmin sandbox did not start (var/log/garmin-sandbox.log)"
fi

# A local SMTP server unless a real one is configured: mail lands in var/mail/new/.
if [ -z "${SMTP_URL:-}" ]; then
    SMTP_PORT=${SMTP_PORT:-$((PORT + 25))}
    setsid bash scripts/smtp.sh "$VAR/mail" "$SMTP_PORT" >"$VAR/log/smtp.log" 2>&1 &
    pids+=($!); echo $! >"$VAR/run/smtp.pid"
    export SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
    export SMTP_FROM=${SMTP_FROM:-"Cadence <cadence@cadence.localhost>"}
    wait_port "$SMTP_PORT" 10 || die "the SMTP server did not start (var/log/smtp.log)"
fi

if [ "${CADENCE_DEMO:-1}" != 0 ] && build/cadence --help 2>/dev/null | grep -q '^  demo'; then
    build/cadence demo
fi

nginx_conf "$VAR/nginx.conf" "$VAR" "$PORT" "$CADENCE_SOCKET" "$VAR/log/nginx-access.log"
export CADENCE_SOCKET_GROUP=${CADENCE_SOCKET_GROUP:-${NGINX_GROUP:-}}

# tee ignores Ctrl-C so that the pool's shutdown lines still reach the log.
setsid build/cadence serve > >(trap '' INT; exec tee -a "$VAR/log/cadence.log") 2>&1 &
pids+=($!); echo $! >"$VAR/run/cadence.pid"
wait_file "$CADENCE_SOCKET" 15 || die "the Cadence pool did not start (var/log/cadence.log)"

setsid "$NGINX" -c "$VAR/nginx.conf" -p "$VAR" &
pids+=($!); echo $! >"$VAR/run/nginx.pid"
wait_http "http://127.0.0.1:$PORT/livez" 10 || die "nginx did not start (var/nginx-error.log)"

# The sandbox's webhooks: it validates the callback against the running
# site, so only now.  Idempotent: a subscription the sandbox kept in
# var/sandbox.json for this callback is reused; one for another callback
# (PORT changed) is replaced: the sandbox's application is ours alone.
if [ -f "$VAR/run/sandbox.pid" ]; then
    build/cadence strava subscribe 2>/dev/null ||
        { build/cadence strava unsubscribe >/dev/null && build/cadence strava subscribe; } ||
        echo "cadence: warning: no webhook subscription; activities arrive only by import" >&2
fi

cat <<MSG

  Cadence is running at http://127.0.0.1:$PORT/
MSG
if [ "${STRAVA_OAUTH_BASE:-}" != "" ] && [ "${STRAVA_OAUTH_BASE#http://127.0.0.1}" != "$STRAVA_OAUTH_BASE" ]; then
    echo "  Strava sandbox:        $STRAVA_OAUTH_BASE/"
fi
if [ -f "$VAR/run/garmin-sandbox.pid" ]; then
    echo "  Garmin sandbox:        $GARMIN_OAUTH_BASE/"
fi
if [ -f "$VAR/run/smtp.pid" ]; then
    echo "  Mail:                  $SMTP_URL, every message lands in $VAR/mail/new/"
fi
if [ "${CADENCE_DEMO:-1}" != 0 ]; then
    echo "  Demo runner:           demo@cadence.test / demo-runner"
    echo "  Demo coach:            coach@cadence.test / demo-coach (club $CADENCE_BASE_URL/c/demo-club/)"
fi
echo "  Press Ctrl-C to stop (or run 'make stop' from another terminal)."
echo

# Stay in the foreground until Ctrl-C or until a service dies.
wait -n "${pids[@]}" || true
echo "cadence: a service stopped unexpectedly; see var/log/" >&2
exit 1
