# A complete Cadence environment of its own — PostgreSQL cluster, Strava
# and Garmin sandboxes, the pool and nginx on free ports and sockets — for the tests and
# the benchmarks.  Source after scripts/lib.sh; needs ROOT and BUILD.
#
#   env_up DIR     starts everything under DIR and exports CADENCE_URL,
#                  DATABASE_URL, SANDBOX_URL, GARMIN_SANDBOX_URL,
#                  CADENCE_MASTER_PID, ... (also
#                  written to DIR/env.sh for debugging)
#   env_down DIR   stops it

env_up() {
    _env=$1
    PG_FSYNC=off pg_init "$_env/pg"
    pg_start "$_env/pg"
    pg_createdb "$_env/pg" cadence
    export DATABASE_URL="postgresql:///cadence?host=$_env/pg/run&user=cadence"
    export PG_STOP_CMD="bash -c '. $ROOT/scripts/lib.sh; pg_stop $_env/pg'"
    export PG_START_CMD="bash -c '. $ROOT/scripts/lib.sh; pg_start $_env/pg'"
    export PSQL="$PG_BIN/psql -h $_env/pg/run -U cadence -d cadence -qAt"
    "$BUILD/cadence" migrate >"$_env/migrate.log" 2>&1 ||
        { cat "$_env/migrate.log" >&2; return 1; }

    _port=$(free_port)
    _sport=$(free_port)
    export CADENCE_SOCKET=$_env/cadence.sock
    export CADENCE_BASE_URL=http://127.0.0.1:$_port
    export CADENCE_URL=$CADENCE_BASE_URL
    export CADENCE_BIN=$(cd "$BUILD" && pwd)/cadence   # for tests that run commands
    export CADENCE_WORKERS=${CADENCE_WORKERS:-4}
    export CADENCE_SPOOL_DIR=$_env/spool
    export CADENCE_EXPORT_DIR=$_env/exports
    export CADENCE_SECRET_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    export STRAVA_CLIENT_ID=1000 STRAVA_CLIENT_SECRET=sandbox-secret
    export STRAVA_OAUTH_BASE=http://127.0.0.1:$_sport
    export STRAVA_API_BASE=http://127.0.0.1:$_sport/api/v3
    export STRAVA_WEBHOOK_VERIFY_TOKEN=test-verify-token
    export SANDBOX_URL=$STRAVA_OAUTH_BASE
    # The Garmin sandbox (docs/garmin-sandbox.md): every notification goes
    # to Cadence's Garmin webhook.
    _gport=$(free_port)
    export GARMIN_CLIENT_ID=garmin-sandbox-client
    export GARMIN_CLIENT_SECRET=garmin-sandbox-secret
    export GARMIN_OAUTH_BASE=http://127.0.0.1:$_gport
    export GARMIN_API_BASE=$GARMIN_OAUTH_BASE
    export GARMIN_SANDBOX_URL=$GARMIN_OAUTH_BASE
    export CADENCE_REQUEST_TIMEOUT=${CADENCE_REQUEST_TIMEOUT:-10}
    # A real SMTP server; tests read what it received in $MAILDIR/new.
    _mport=$(free_port)
    export MAILDIR=$_env/maildir
    export SMTP_URL=smtp://127.0.0.1:$_mport
    export SMTP_FROM="Cadence <cadence@cadence.localhost>"
    bash "$ROOT/scripts/smtp.sh" "$MAILDIR" "$_mport" >"$_env/smtp.log" 2>&1 &
    echo $! >"$_env/smtp.pid"

    "$BUILD/strava-sandbox" --listen "127.0.0.1:$_sport" --state "$_env/sandbox.json" \
        >"$_env/sandbox.log" 2>&1 &
    echo $! >"$_env/sandbox.pid"
    "$BUILD/garmin-sandbox" --listen "127.0.0.1:$_gport" \
        --client-id "$GARMIN_CLIENT_ID" --client-secret "$GARMIN_CLIENT_SECRET" \
        --callback-url "$CADENCE_BASE_URL/garmin/webhook" \
        >"$_env/garmin-sandbox.log" 2>&1 &
    echo $! >"$_env/garmin-sandbox.pid"
    nginx_conf "$_env/nginx.conf" "$_env" "$_port" "$CADENCE_SOCKET" "${NGINX_ACCESS_LOG:-$_env/nginx-access.log}"
    export CADENCE_SOCKET_GROUP=${NGINX_GROUP:-}
    export CADENCE_LOG_FILE=$_env/cadence.log     # the pool's log, for tests
    "$BUILD/cadence" serve >"$CADENCE_LOG_FILE" 2>&1 &
    export CADENCE_MASTER_PID=$!
    echo $! >"$_env/cadence.pid"
    wait_file "$CADENCE_SOCKET" 15 || { cat "$_env/cadence.log" >&2; return 1; }
    "$NGINX" -c "$_env/nginx.conf" -p "$_env" >"$_env/nginx.out" 2>&1 &
    echo $! >"$_env/nginx.master.pid"
    wait_http "$CADENCE_URL/livez" 15 || { cat "$_env/nginx-error.log" >&2; return 1; }
    wait_http "$SANDBOX_URL/" 15 || echo "warning: the Strava sandbox is not answering" >&2
    wait_http "$GARMIN_SANDBOX_URL/_sandbox/health" 15 || echo "warning: the Garmin sandbox is not answering" >&2
    wait_port "$_mport" 15 || { cat "$_env/smtp.log" >&2; return 1; }
    export -p | grep -E ' (CADENCE|STRAVA|GARMIN|SANDBOX|PG_|PSQL|DATABASE|SMTP_|MAILDIR)' >"$_env/env.sh"
}

env_down() {
    _env=$1
    [ -f "$_env/nginx.master.pid" ] && kill -QUIT "$(cat "$_env/nginx.master.pid")" 2>/dev/null
    [ -f "$_env/cadence.pid" ] && kill -TERM "$(cat "$_env/cadence.pid")" 2>/dev/null
    [ -f "$_env/sandbox.pid" ] && kill -TERM "$(cat "$_env/sandbox.pid")" 2>/dev/null
    [ -f "$_env/garmin-sandbox.pid" ] && kill -TERM "$(cat "$_env/garmin-sandbox.pid")" 2>/dev/null
    [ -f "$_env/smtp.pid" ] && kill -TERM "$(cat "$_env/smtp.pid")" 2>/dev/null
    sleep 0.3
    pg_stop "$_env/pg"
}
