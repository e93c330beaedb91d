# Shared by the bench/*.sh scripts: a private environment and wrk helpers.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/env.sh"
cd "$ROOT"
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}

# bench_env_up: a fresh environment in a temporary directory (torn down on exit).
bench_env_up() {
    BENCH_ENV=$(mktemp -d "${TMPDIR:-/tmp}/cadence-bench.XXXXXX")
    chmod 755 "$BENCH_ENV"
    trap 'env_down "$BENCH_ENV"; rm -rf "$BENCH_ENV"' EXIT
    CADENCE_LOG_LEVEL=warn NGINX_ACCESS_LOG=off env_up "$BENCH_ENV" >/dev/null ||
        die "the benchmark environment did not start"
}

# wrk_run URL [wrk args...]: sets RPS, P99 (milliseconds), ERRS (non-2xx)
# and REQS (requests made) from wrk's output.
wrk_run() {
    _url=$1; shift
    _out=$(wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency "$@" "$_url")
    RPS=$(printf '%s\n' "$_out" | awk '/Requests\/sec/ {print $2}')
    P99=$(printf '%s\n' "$_out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) sub(/ms$/,"",v); else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}')
    ERRS=$(printf '%s\n' "$_out" | awk '/Non-2xx/ {print $5}')
    ERRS=${ERRS:-0}
    REQS=$(printf '%s\n' "$_out" | awk '/requests in/ {print $1}')
}

# db_statements: web workers' database statements so far (/metrics).
db_statements() {
    curl -s "$CADENCE_URL/metrics" |
        awk '/^cadence_db_statements_total/ { s += $2 } END { print s + 0 }'
}
