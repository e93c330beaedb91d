#!/usr/bin/env bash
# Where the CPU goes while calendars are built from the database (no
# cache: a flash cookie), a different runner each request, SCALE_RUNNERS
# (300) seeded as bench/scale.sh does: `perf record -a` over 10 s of the
# load, then the share of each process (comm) and, for Cadence and
# PostgreSQL, of their libraries.  Needs perf (Debian: linux-perf); runs
# on its own (bench/run.sh skips it): `bash bench/scale_profile.sh`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
command -v perf >/dev/null || die "perf is not installed (apt-get install linux-perf)"
N=${SCALE_RUNNERS:-300}
export CADENCE_MAX_REQUESTS=0
bench_env_up
RUNNERS=$BENCH_ENV/runners.txt
"$PG_BIN/psql" -h "$BENCH_ENV/pg/run" -U postgres -d cadence -qAt -F ' ' \
    -v n="$N" -c "SET session_replication_role = replica" \
    -f bench/scale_seed.sql | tr "\t" " " >"$RUNNERS" || die "seeding failed"
export SCALE_RUNNERS=$RUNNERS SCALE_PAGE=calendar SCALE_REBUILD=1
DATA=$BENCH_ENV/perf.data
BENCH_SECONDS=3 wrk_run "$CADENCE_URL/" -s bench/scale.lua	# warm-up
( BENCH_SECONDS=14 wrk_run "$CADENCE_URL/" -s bench/scale.lua
  echo "profile: calendar rebuilt, different runners: $RPS req/s p99 $P99 ms" ) &
load=$!		# (a bare wait would also wait for the environment's servers)
sleep 2
# perf may exit non-zero after writing its data (seen here): the file decides.
perf record -a -g -o "$DATA" -- sleep 10 >/dev/null 2>&1 || true
[ -s "$DATA" ] || die "perf recorded nothing"
wait "$load"
report() { perf report -i "$DATA" --no-children -g none --stdio "$@" 2>/dev/null |
    awk '/%/ && !/^#/ { printf "profile:   %s\n", $0 }' | head -n 12; }
echo "profile: share of all CPU samples by process"
report --sort comm
for c in cadence postgres; do
    echo "profile: $c, by library"
    report --comm "$c" --sort dso
done
