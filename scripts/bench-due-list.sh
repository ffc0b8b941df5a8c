#!/usr/bin/env bash
# Benchmark of the due list with 500 children and 6,000 visits: builds the release app and
# server (SKIP_BUILD=1 reuses dist/ and the built server), starts the real server on a free
# loopback port with a temporary data directory, seeds the phone's IndexedDB and measures in
# headless Chromium, without and with 4x CPU throttling. Prints numbers; never fails on them.
# Knobs: BENCH_RUNS (10), BENCH_CHILDREN (500), BENCH_VISITS_PER_CHILD (12), BENCH_THROTTLE (4).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
release_for_bench
step "due-list benchmark"
node tests/bench/due-list.bench.mjs
