#!/usr/bin/env bash
# /livez through nginx and the FastCGI pool, next to a static file served by
# the same nginx, in one run: requests/s, p99 and their ratio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bench_env_up

wrk_run "$CADENCE_URL/static/app.css"
s_rps=$RPS s_p99=$P99
wrk_run "$CADENCE_URL/livez"
l_rps=$RPS l_p99=$P99 l_err=$ERRS
awk -v lr="$l_rps" -v lp="$l_p99" -v sr="$s_rps" -v sp="$s_p99" -v c="$BENCH_CONNECTIONS" -v d="$BENCH_SECONDS" -v e="$l_err" 'BEGIN {
    printf "http: /livez (pool) %.0f req/s p99 %.2f ms; static file (nginx) %.0f req/s p99 %.2f ms; ratio %.2f (wrk, %d connections, %ss, non-2xx %d)\n", lr, lp, sr, sp, lr / sr, c, d, e }'
