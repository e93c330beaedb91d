#!/usr/bin/env bash
# Builds every tests/fuzz/fuzz_*.c with clang's libFuzzer + ASan + UBSan
# and runs each for FUZZ_SECONDS (default 60) on its corpus.  With
# FUZZ_SECONDS=0 it only replays the committed corpus (what CI does first).
#   make fuzz                     # 60 s each
#   FUZZ_SECONDS=600 make fuzz    # the long run
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
mkdir -p "$OUT"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
FLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -Iapp -fsanitize=fuzzer $SAN"
# The same libraries the application links (PKGS in the Makefile).
PKG=$(pkg-config --cflags --libs $(sed -n 's/^PKGS[[:space:]]*=//p' Makefile))
# The application library, instrumented, compiled once for all drivers.
make --no-print-directory -j2 BUILD="$OUT" CC=clang OPT="-O1 -g" \
    SAN="-fsanitize=fuzzer-no-link $SAN" "$OUT/libcadence.a" >"$OUT/lib.build.log" 2>&1 ||
    { tail -n 30 "$OUT/lib.build.log"; exit 1; }
status=0
for drv in tests/fuzz/fuzz_*.c; do
    name=$(basename "$drv" .c)
    corpus=tests/fuzz/corpus/${name#fuzz_}
    mkdir -p "$corpus" "$OUT/$name.corpus"
    # shellcheck disable=SC2086
    clang $FLAGS -o "$OUT/$name" "$drv" "$OUT/libcadence.a" $PKG -lm 2>"$OUT/$name.build.log" ||
        { echo "fuzz: $name does not build:"; tail -n 20 "$OUT/$name.build.log"; status=1; continue; }
    dict=""
    [ -f "tests/fuzz/${name#fuzz_}.dict" ] && dict="-dict=tests/fuzz/${name#fuzz_}.dict"
    # Replay the committed corpus: every input must pass.
    "$OUT/$name" $dict -runs=0 "$corpus" >"$OUT/$name.replay.log" 2>&1 ||
        { echo "fuzz: $name fails on its corpus:"; tail -n 30 "$OUT/$name.replay.log"; status=1; continue; }
    if [ "$SECONDS_EACH" -gt 0 ]; then
        if "$OUT/$name" $dict -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
            -max_len=16384 "$OUT/$name.corpus" "$corpus" >"$OUT/$name.log" 2>&1; then
            echo "fuzz: $name: $(grep -Eo 'stat::number_of_executed_units: [0-9]+|#[0-9]+.*(DONE|pulse).*cov: [0-9]+' "$OUT/$name.log" | tail -n 1), no findings"
        else
            echo "fuzz: $name FOUND A PROBLEM:"; grep -A 30 -E 'ERROR|runtime error' "$OUT/$name.log" | head -n 40
            status=1
        fi
    else
        echo "fuzz: $name: corpus replayed"
    fi
done
exit $status
