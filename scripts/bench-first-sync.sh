#!/usr/bin/env bash
# Benchmark of a new phone's first sync down of a village, in a real browser: builds the
# release app and server (SKIP_BUILD=1 reuses dist/ and the built server), starts the real
# server on a free loopback port with a temporary data directory, sends it a village of 200
# children with a year of visits, then has new phones (fresh headless Chromium profiles) join
# by invite link and pull it, unthrottled, on Lighthouse's 3G link, and on 3G with the CPU 4x
# slower; then the cost of a sync when nothing changed. Prints numbers; fails only when a
# phone never holds the whole village. (scripts/bench-first-sync.py measures the server's
# side alone, and models the link.)
# Knobs: BENCH_CHILDREN (200), BENCH_VISITS (12), BENCH_RUNS (1), BENCH_CPU (4),
# BENCH_TIMEOUT_S (180), BENCH_SEND_AT_ONCE (8), BENCH_VARIANTS (unthrottled,3g,3g-cpu; also
# 3g-devtools).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
release_for_bench
step "first sync benchmark"
node tests/bench/first-sync.bench.mjs
