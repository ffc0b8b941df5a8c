#!/usr/bin/env bash
# Benchmark of shrinking a 12 MP photo on the phone: builds the release app and server
# (SKIP_BUILD=1 reuses dist/ and the built server), starts the real server on a free loopback
# port with a temporary data directory, and picks photos in the visit form in headless
# Chromium, without and with 4x CPU throttling. Prints numbers; never fails on them.
# Knobs: BENCH_RUNS (8), BENCH_THROTTLE (4).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
release_for_bench
step "photo shrink benchmark"
node tests/bench/photo-shrink.bench.mjs
