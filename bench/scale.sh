#!/usr/bin/env bash
# Pages at the scale of thousands of runners (issue: one data layer).
# Seeds SCALE_RUNNERS runners (default 2,000), each signed in with a
# 16-week plan and a year of runs (~250; bench/scale_seed.sql), then, in
# the same run, with wrk at BENCH_CONNECTIONS (32):
#   - calendar, week, dashboard and activities with a different runner on
#     every request (bench/scale.lua), next to /livez;
#   - one runner's calendar, warm (the same page again and again);
#   - a runner with 2,000 runs and a 30-week plan against one with 30,
#     both rebuilt on every request (a flash cookie skips the page cache);
#   - web workers' memory (RSS) before and after SCALE_MEM_REQUESTS
#     (100,000) requests of different runners.
# Prints one line per figure and the ratios the issue aims at:
#   calendar, different runners >= 0.25 x livez, p99 <= 10 ms; warm >=
#   0.5 x livez, p99 <= 5 ms; heavy <= 1.5 x light; memory within 5 %.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${SCALE_RUNNERS:-2000}
MEM_REQUESTS=${SCALE_MEM_REQUESTS:-100000}
# Workers are not recycled during the run, so the memory figure compares
# the same processes.
export CADENCE_MAX_REQUESTS=0
bench_env_up

t0=$(date +%s.%N)
RUNNERS=$BENCH_ENV/runners.txt
# As the postgres superuser with triggers and FK checks off: the data is
# consistent by construction, and per-row triggers would take minutes.
"$PG_BIN/psql" -h "$BENCH_ENV/pg/run" -U postgres -d cadence -qAt -F ' ' \
    -v n="$N" -c "SET session_replication_role = replica" \
    -f bench/scale_seed.sql | tr "\t" " " >"$RUNNERS" || die "seeding failed"
seeded=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
counts=$($PSQL -c "SELECT (SELECT count(*) FROM users) || ' runners, ' ||
    (SELECT count(*) FROM workouts) || ' workouts, ' ||
    (SELECT count(*) FROM strava_activities) || ' runs'")
echo "scale: seeded $counts in $seeded s"

row() { awk -v t="$1" '$1 == t' "$RUNNERS"; }
light_tok=$(row light | cut -d' ' -f2); light_plan=$(row light | cut -d' ' -f3)
heavy_tok=$(row heavy | cut -d' ' -f2); heavy_plan=$(row heavy | cut -d' ' -f3)
one_tok=$(row 1 | cut -d' ' -f2); one_plan=$(row 1 | cut -d' ' -f3)
for p in "/plans/$one_plan" "/plans/$one_plan/weeks/9" / /activities; do
    s=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: cadence_session=$one_tok" "$CADENCE_URL$p")
    [ "$s" = 200 ] || die "$p answered $s"
done

export SCALE_RUNNERS=$RUNNERS
declare -A rps p99
declare -A stmts
# Statements a request costs on average, over the wrk run just made.
per_request() { awk -v a="$1" -v b="$(db_statements)" -v n="$REQS" 'BEGIN { printf "%.2f", (b - a) / (n > 0 ? n : 1) }'; }
for page in calendar week dashboard activities; do
    s0=$(db_statements)
    SCALE_PAGE=$page wrk_run "$CADENCE_URL/" -s bench/scale.lua
    [ "$ERRS" = 0 ] || die "$page: $ERRS non-2xx answers"
    rps[$page]=$RPS p99[$page]=$P99 stmts[$page]=$(per_request "$s0")
done
# The same pages with no cache at all: what the database and the renderer
# cost on their own (a flash cookie is never cached).
for page in calendar week; do
    SCALE_PAGE=$page SCALE_REBUILD=1 wrk_run "$CADENCE_URL/" -s bench/scale.lua
    [ "$ERRS" = 0 ] || die "$page rebuilt: $ERRS non-2xx answers"
    rps[$page-rebuilt]=$RPS p99[$page-rebuilt]=$P99
done
s0=$(db_statements)
wrk_run "$CADENCE_URL/plans/$one_plan" -H "Cookie: cadence_session=$one_tok"
rps[warm]=$RPS p99[warm]=$P99 stmts[warm]=$(per_request "$s0")
wrk_run "$CADENCE_URL/plans/$light_plan" -H "Cookie: cadence_session=$light_tok; flash=bench"
rps[light]=$RPS p99[light]=$P99
wrk_run "$CADENCE_URL/plans/$heavy_plan" -H "Cookie: cadence_session=$heavy_tok; flash=bench"
rps[heavy]=$RPS p99[heavy]=$P99
wrk_run "$CADENCE_URL/livez"
rps[livez]=$RPS p99[livez]=$P99

for page in calendar week dashboard activities; do
    awk -v p="$page" -v r="${rps[$page]}" -v l="${p99[$page]}" -v z="${rps[livez]}" -v q="${stmts[$page]}" 'BEGIN {
        printf "scale: %-10s different runner each request: %6.0f req/s p99 %6.1f ms (%.2f x livez), %s statements a request\n", p, r, l, r / z, q }'
done
for page in calendar week; do
    awk -v p="$page" -v r="${rps[$page-rebuilt]}" -v l="${p99[$page-rebuilt]}" -v z="${rps[livez]}" 'BEGIN {
        printf "scale: %-10s different runner, no cache:     %6.0f req/s p99 %6.1f ms (%.2f x livez)\n", p, r, l, r / z }'
done
awk -v r="${rps[warm]}" -v l="${p99[warm]}" -v z="${rps[livez]}" -v lr="${rps[livez]}" -v lp="${p99[livez]}" -v q="${stmts[warm]}" \
    -v hr="${rps[heavy]}" -v hp="${p99[heavy]}" -v sr="${rps[light]}" -v sp="${p99[light]}" \
    -v c="$BENCH_CONNECTIONS" -v d="$BENCH_SECONDS" 'BEGIN {
    printf "scale: calendar   one runner, warm:                 %6.0f req/s p99 %6.1f ms (%.2f x livez), %s statements a request\n", r, l, r / z, q
    printf "scale: livez:                                       %6.0f req/s p99 %6.1f ms\n", lr, lp
    printf "scale: calendar rebuilt, 30 runs: %.0f req/s p99 %.1f ms; 2,000 runs and 30 weeks: %.0f req/s p99 %.1f ms; cost ratio heavy/light %.2f\n", sr, sp, hr, hp, sr / hr
    printf "scale: (wrk, %d connections, %ss per load)\n", c, d }'

# Memory: web workers' private memory (RssAnon) before and after many
# requests; the host's shared page cache (RssShmem) is bounded by
# CADENCE_PAGE_CACHE_MB; its touched size (the largest of any worker) is printed beside it.
rss() { for p in $(pgrep -P "$CADENCE_MASTER_PID"); do
        [ "$(cat /proc/$p/comm 2>/dev/null)" = cadence ] && awk -v k="$1:" '$1 == k {print $2}' /proc/$p/status || true; done |
        awk -v max="${2:-}" '{ s += $1; if ($1 > m) m = $1 } END { print (max ? m : s) + 0 }'; }
# Warm first (every runner's calendar once more, so the caches are full),
# then compare before and after MEM_REQUESTS more.
warm=$(awk -v n="$N" -v r="${rps[calendar]}" 'BEGIN { s = n / r; print (s < 1 ? 1 : int(s + 0.999)) }')
SCALE_PAGE=calendar BENCH_SECONDS=$warm wrk_run "$CADENCE_URL/" -s bench/scale.lua
before=$(rss RssAnon)
secs=$(awk -v n="$MEM_REQUESTS" -v r="${rps[calendar]}" 'BEGIN { s = n / r; print (s < 1 ? 1 : int(s + 0.999)) }')
SCALE_PAGE=calendar BENCH_SECONDS=$secs wrk_run "$CADENCE_URL/" -s bench/scale.lua
after=$(rss RssAnon)
awk -v b="$before" -v a="$after" -v sh="$(rss RssShmem max)" -v n="$(awk -v r="$RPS" -v s="$secs" 'BEGIN { printf "%.0f", r * s }')" 'BEGIN {
    printf "scale: web workers private memory %d KiB before, %d KiB after ~%d more requests (%+.1f %%); shared page cache touched: %d KiB\n", b, a, n, (a - b) * 100 / b, sh }'
