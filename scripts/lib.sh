# Bash helpers shared by run.sh, stop.sh, test.sh and the benchmarks.
# Source it; it expects ROOT (the repository) to be set.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

die() { echo "cadence: $*" >&2; exit 1; }

# Runs a command as the postgres user when we are root (initdb refuses root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Lets user $1 reach directory $2 (adds o+x to ancestors that lack it).
make_reachable() {
    [ "$(id -u)" -eq 0 ] || return 0
    _d=$2
    while [ "$_d" != "/" ]; do
        if ! runuser -u "$1" -- test -x "$_d" 2>/dev/null; then
            chmod o+x "$_d"
        fi
        _d=$(dirname "$_d")
    done
}

# A free TCP port on 127.0.0.1, below the kernel's ephemeral range: a port
# in that range may be the source port of any client connection (curl
# under load), and binding it then fails although nothing listens.
free_port() {
    _lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$_lo" -gt 12000 ] 2>/dev/null || _lo=32768
    for _i in $(seq 1 100); do
        _p=$(( $(od -An -N2 -tu2 /dev/urandom) % (_lo - 10000) + 10000 ))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$_p) 2>/dev/null; then
            echo "$_p"; return 0
        fi
    done
    die "no free port found"
}

# pg_init DIR: a cluster in DIR (socket only, no TCP), trust for local use.
pg_init() {
    _dir=$1
    mkdir -p "$_dir"
    [ "$(id -u)" -eq 0 ] && { chown postgres:postgres "$_dir"; make_reachable postgres "$_dir"; }
    if [ ! -f "$_dir/data/PG_VERSION" ]; then
        as_pg mkdir -p "$_dir/data" "$_dir/run"
        as_pg "$PG_BIN/initdb" -D "$_dir/data" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >"$_dir/initdb.log" 2>&1 || {
            cat "$_dir/initdb.log" >&2; die "initdb failed"; }
        cat >>"$_dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$_dir/run'
unix_socket_permissions = 0700
fsync = ${PG_FSYNC:-on}
max_connections = 200
shared_buffers = 128MB
log_min_messages = warning
${PG_EXTRA_CONF:-}
CONF
    fi
}

pg_start() {
    as_pg "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/postgres.log" -w -t 30 start >/dev/null ||
        { tail -n 20 "$1/postgres.log" >&2; die "PostgreSQL did not start"; }
}

pg_stop() {
    [ -f "$1/data/postmaster.pid" ] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# pg_createdb DIR NAME: the cadence role and database (idempotent).
pg_createdb() {
    as_pg "$PG_BIN/psql" -h "$1/run" -U postgres -d postgres -qAt -c \
        "SELECT 1 FROM pg_roles WHERE rolname = 'cadence'" | grep -q 1 ||
        as_pg "$PG_BIN/psql" -h "$1/run" -U postgres -d postgres -q -c \
        "CREATE ROLE cadence LOGIN"
    as_pg "$PG_BIN/psql" -h "$1/run" -U postgres -d postgres -qAt -c \
        "SELECT 1 FROM pg_database WHERE datname = '$2'" | grep -q 1 ||
        as_pg "$PG_BIN/psql" -h "$1/run" -U postgres -d postgres -q -c \
        "CREATE DATABASE \"$2\" OWNER cadence"
}

# nginx_conf OUT VAR PORT SOCKET [ACCESS_LOG]: writes a config from nginx/.
nginx_conf() {
    _user=""
    if [ "$(id -u)" -eq 0 ]; then
        # Workers as www-data when it can reach the files, else as root
        # (a checkout under /root); the pool socket's group follows.
        if id www-data >/dev/null 2>&1 &&
            runuser -u www-data -- test -r "$ROOT/static/app.css" 2>/dev/null; then
            _user="user www-data www-data;"; NGINX_GROUP=www-data
        else
            _user="user root root;"; NGINX_GROUP=root
        fi
    fi
    mkdir -p "$2/tmp"
    _log="${5:-off}"
    [ "$_log" = off ] || _log="$_log cadence"
    sed -e "s|@VAR@|$2|g" -e "s|@PORT@|$3|g" -e "s|@SOCKET@|$4|g" \
        -e "s|@ROOT@|$ROOT|g" -e "s|@USER_LINE@|$_user|" \
        -e "s|@ACCESS_LOG@|$_log|" \
        -e "s|@READ_TIMEOUT@|${NGINX_READ_TIMEOUT:-35}|" \
        "$ROOT/nginx/cadence.conf.in" >"$1"
    "$NGINX" -t -q -c "$1" -p "$2" 2>&1 | grep -v "user\" directive" >&2 || true
}

# wait_http URL [SECONDS]: until URL answers (any status).
wait_http() {
    _n=$(( ${2:-20} * 10 ))
    while [ "$_n" -gt 0 ]; do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1; _n=$((_n - 1))
    done
    return 1
}

# wait_port PORT [SECONDS]: until something listens on 127.0.0.1:PORT.
wait_port() {
    _n=$(( ${2:-20} * 10 ))
    while [ "$_n" -gt 0 ]; do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1; _n=$((_n - 1))
    done
    return 1
}

# wait_file PATH [SECONDS]
wait_file() {
    _n=$(( ${2:-20} * 10 ))
    while [ "$_n" -gt 0 ]; do
        [ -e "$1" ] && return 0
        sleep 0.1; _n=$((_n - 1))
    done
    return 1
}
